"""Rule patterns loosened into fast stdlib ``re`` patterns, for the engine's prefilter.

The engine matches a rule inside one line: from the line start (or a sentence start), the
text stopping at the line end, in a match of at most the rule's ``max_chars``. To skip the
lines where no rule *could* match, it needs, for each rule, a pattern that matches
wherever the rule matches inside a line, whatever follows: a *necessary* condition, never
skipping a line the rule would take. :func:`alternatives` makes one from a rule's pattern
(``regex`` syntax, read by :class:`_Reader`), each change only letting it match more:

* zero-width assertions (``^``, ``$``, ``\\b``, ``\\Z``, lookarounds...) are left out,
  atomic groups and possessive quantifiers become plain ones;
* every one-character item becomes an explicit stdlib ``re`` class, no flag is left for
  ``re`` to read: for a literal, the literal and its case variants (asked of ``regex``
  itself, over all of Unicode); for a class or class escape (``[...]``, ``\\w``,
  ``\\p{Lu}``, ``.``...), the characters ``regex`` matches with it (asked of ``regex``
  over the Basic Multilingual Plane), widened to whole blocks of 256 characters beyond
  Latin-1 (whitespace kept exact, so ``\\w`` and ``\\s`` stay apart), and all
  characters beyond the BMP when it matches any of them (see :func:`_class_of`); line
  breaks are left out of every class (a line holds none);
* a repeated group, or an optional one of varying length, becomes any run of the
  characters it can match, and two runs side by side become one; an unbounded repeat is
  capped at the longest match that counts. So no group is ever repeated, and ``re``
  backtracks at worst polynomially, inside one line (a catastrophic rule still reaches
  the ``regex`` module and its timeout);
* the pattern is cut once ``budget`` characters are sure to be matched (a prefix of every
  match is all a prefilter needs), and written as alternatives that each start with one
  character class, which :func:`union` groups by class (``re`` skips a branch whose first
  class does not match in one test).

Anything this reader does not know for certain (inline flags other than scoped ``i``, ``m``
or ``s``, conditionals, fuzzy matching, unknown escapes...) makes it give up: the pattern
is ``None``, and the engine then examines every line for that rule, as it would without a
prefilter. So does a pattern whose loosened form can match the empty string.

Example:
    >>> import re, regex
    >>> flags = regex.V0 | regex.IGNORECASE
    >>> loose = re.compile(loosen(r"(?:also\\s+)?read\\b\\s*:[^\\r\\n]*\\Z", flags))
    >>> bool(loose.match("Also read: more")), bool(loose.match("ALSO READ :")), bool(
    ...     loose.match("Ready")
    ... )
    (True, True, False)
    >>> loosen(r"(?:$|foo)", flags) is None
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import regex

__all__ = ["alternatives", "loosen", "union"]


class _UnreadableError(Exception):
    """The pattern uses syntax this reader does not handle."""


@dataclass
class _Item:
    """One element of a sequence, with its quantifier.

    ``kind`` is ``"atom"`` (one character, class or class escape: ``src`` is its text,
    ``char`` the character when it is a literal, ``flags`` the flags in force), ``"assert"``
    (zero-width, left out) or ``"group"`` (``branches``). ``quant`` is the quantifier's
    ``least`` and ``most`` are its repeat counts (``most`` ``None``: no limit).
    """

    kind: str
    src: str = ""
    char: str | None = None
    flags: int = 0
    least: int = 1
    most: int | None = 1
    branches: list[list[_Item]] = field(default_factory=list)

    def times(self, least: int, most: int | None) -> _Item:
        """This item with another repeat count."""
        return _Item(self.kind, self.src, self.char, self.flags, least, most, self.branches)


_CLASS_ESCAPES = frozenset("dDwWsS")
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_ASSERT_ESCAPES = frozenset("bBAZGKmM")
_SCOPED_FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL}
_HEX = frozenset("0123456789abcdefABCDEF")
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


class _Reader:
    """A recursive-descent reader of the ``regex`` (version 0) syntax rules use."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.p = pattern
        self.i = 0
        self.flags = flags

    def read(self) -> list[list[_Item]]:
        """The top-level branches of the whole pattern."""
        branches = self.alternation()
        if self.i != len(self.p):
            raise _UnreadableError("unbalanced parenthesis")
        return branches

    def alternation(self) -> list[list[_Item]]:
        """Branches up to the closing parenthesis of the group (or the pattern end)."""
        branches: list[list[_Item]] = [[]]
        p = self.p
        while self.i < len(p) and p[self.i] != ")":
            if p[self.i] == "|":
                self.i += 1
                branches.append([])
                continue
            item = self.item()
            self.quantifier(item)
            branches[-1].append(item)
        return branches

    def item(self) -> _Item:
        p, i = self.p, self.i
        c = p[i]
        if c == "\\":
            return self.escape()
        if c == "[":
            return self.char_class()
        if c == "(":
            return self.group()
        if c in "*+?{":
            raise _UnreadableError(f"quantifier without an item at {i}")
        self.i += 1
        if c in "^$":
            return _Item("assert")
        return _Item("atom", c, None if c == "." else c, self.flags)

    def _braced(self, start: int) -> int:
        """The offset after the ``}`` closing a brace that opens at ``start``."""
        end = self.p.find("}", start)
        if self.p[start : start + 1] != "{" or end < 0:
            raise _UnreadableError(f"bad braced escape at {start}")
        return end + 1

    def escape(self) -> _Item:
        p, i = self.p, self.i
        if i + 1 >= len(p):
            raise _UnreadableError("trailing backslash")
        c = p[i + 1]
        char: str | None = None
        if c in "pP":
            end = self._braced(i + 2) if p[i + 2 : i + 3] == "{" else i + 3
        elif c == "N":
            end = self._braced(i + 2)
        elif c in _HEX_DIGITS:
            if c == "x" and p[i + 2 : i + 3] == "{":
                end = self._braced(i + 2)
                digits = p[i + 3 : end - 1]
            else:
                end = i + 2 + _HEX_DIGITS[c]
                digits = p[i + 2 : end]
            if not digits or not set(digits) <= _HEX or int(digits, 16) > 0x10FFFF:
                raise _UnreadableError("bad hex escape")
            char = chr(int(digits, 16))
        elif c in _CLASS_ESCAPES:
            end = i + 2
        elif c in _LITERAL_ESCAPES or not c.isalnum():
            end = i + 2
            char = _LITERAL_ESCAPES.get(c, c)
        elif c in _ASSERT_ESCAPES:
            self.i = i + 2
            return _Item("assert")
        else:
            raise _UnreadableError(f"escape \\{c}")
        if end > len(p):
            raise _UnreadableError("truncated escape")
        self.i = end
        return _Item("atom", p[i:end], char, self.flags)

    def char_class(self) -> _Item:
        p, start = self.p, self.i
        i = start + 1
        if p[i : i + 1] == "^":
            i += 1
        if p[i : i + 1] == "]":  # a leading ] is a literal
            i += 1
        while True:
            if i >= len(p):
                raise _UnreadableError("unclosed class")
            c = p[i]
            if c == "]":
                break
            if c == "[":
                raise _UnreadableError("nested set or POSIX class")
            if c == "\\":
                if p[i + 1 : i + 2] in ("p", "P", "N", "x") and p[i + 2 : i + 3] == "{":
                    i = self._braced(i + 2)
                else:
                    i += 2
                continue
            i += 1
        self.i = i + 1
        return _Item("atom", p[start : i + 1], None, self.flags)

    def group(self) -> _Item:
        p, i = self.p, self.i
        outer = self.flags
        kind = "group"
        if not p.startswith("(?", i):  # a capturing group
            self.i = i + 1
        elif p[i + 2 : i + 3] in (":", ">"):  # an atomic group matches less than a plain one
            self.i = i + 3
        elif p[i + 2 : i + 3] in ("=", "!") or p[i + 2 : i + 4] in ("<=", "<!"):
            kind = "assert"
            self.i = i + (4 if p[i + 2] == "<" else 3)
        else:
            colon = p.find(":", i + 2)
            on, _, off = p[i + 2 : colon].partition("-") if colon > 0 else ("", "", "")
            if not on + off or not set(on + off) <= set(_SCOPED_FLAGS):
                raise _UnreadableError(f"group syntax at {i}")
            for letter in on:
                self.flags |= _SCOPED_FLAGS[letter]
            for letter in off:
                self.flags &= ~_SCOPED_FLAGS[letter]
            self.i = colon + 1
        branches = self.alternation()
        self.flags = outer
        if self.i >= len(p):
            raise _UnreadableError("unclosed group")
        self.i += 1
        return _Item(kind, branches=branches)

    def quantifier(self, item: _Item) -> None:
        p, i = self.p, self.i
        if i >= len(p) or p[i] not in "*+?{":
            return
        if p[i] == "{":
            end = p.find("}", i)
            low, sep, high = p[i + 1 : end].partition(",") if end > 0 else ("x", "", "")
            if not (low.isdigit() or (sep and not low)) or (high and not high.isdigit()):
                raise _UnreadableError(f"brace at {i} is not a plain quantifier")
            least = int(low) if low else 0
            most = int(high) if high else (None if sep else least)
            end += 1
        else:
            least = 1 if p[i] == "+" else 0
            most = 1 if p[i] == "?" else None
            end = i + 1
        if p[end : end + 1] in ("?", "+"):  # lazy or possessive: no more matches than greedy
            end += 1
        if p[end : end + 1] in ("*", "+", "?", "{"):
            raise _UnreadableError("stacked quantifiers")
        if item.kind == "assert":
            raise _UnreadableError("quantified assertion")
        if most is not None and most < least:
            raise _UnreadableError("repeat range out of order")
        self.i = end
        item.least = least
        item.most = most


def _esc(char: str) -> str:
    """One character as text both ``re`` and ``regex`` read as that character."""
    if char.isascii() and char.isalnum():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


Runs = tuple[tuple[int, int], ...]  # a set of characters: sorted, disjoint code point runs
_EVERYTHING: Runs = ((0, 0x10FFFF),)


def _runs(codes: Iterable[int]) -> Runs:
    """Code points (sorted) as runs."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] >= code - 1:
            runs[-1][1] = max(runs[-1][1], code)
        else:
            runs.append([code, code])
    return tuple((low, high) for low, high in runs)


def _merge(sets: Iterable[Runs]) -> Runs:
    """The union of character sets."""
    runs: list[list[int]] = []
    for low, high in sorted(run for one in sets for run in one):
        if runs and runs[-1][1] >= low - 1:
            runs[-1][1] = max(runs[-1][1], high)
        else:
            runs.append([low, high])
    return tuple((low, high) for low, high in runs)


def _complement(runs: Runs) -> Runs:
    out = []
    nxt = 0
    for low, high in runs:
        if low > nxt:
            out.append((nxt, low - 1))
        nxt = high + 1
    if nxt <= 0x10FFFF:
        out.append((nxt, 0x10FFFF))
    return tuple(out)


def _text(runs: Runs) -> str:
    """A character set as the shortest ``re`` class (or one escaped character)."""
    if len(runs) == 1 and runs[0][0] == runs[0][1]:
        return _esc(chr(runs[0][0]))
    if runs == _EVERYTHING:
        return "[\\x00-\\U0010ffff]"
    outside = _complement(runs)
    negated = len(outside) < len(runs)
    parts = []
    for low, high in outside if negated else runs:
        parts.append(_esc(chr(low)))
        if high > low:
            parts.append(("-" if high > low + 1 else "") + _esc(chr(high)))
    return ("[^" if negated else "[") + "".join(parts) + "]"


# case variants of literal characters under IGNORECASE, as the regex module matches them
_CASES: dict[str, Runs] = {}
_PLANES: list[str] = []  # the Basic Multilingual Plane, and every other character
_SPACES: list[bytearray] = []  # which BMP characters are whitespace


def _planes() -> tuple[str, str]:
    if not _PLANES:
        _PLANES.append("".join(map(chr, range(0x10000))))
        _PLANES.append("".join(map(chr, range(0x10000, 0x110000))))
        _SPACES.append(bytearray(c.isspace() for c in _PLANES[0]))
    return _PLANES[0], _PLANES[1]


def _learn_cases(chars: set[str]) -> None:
    """Fill :data:`_CASES` for ``chars``: one search of a class of all of them through
    every Unicode character finds the candidates, each literal then keeps its own."""
    new = sorted(chars - _CASES.keys())
    if not new:
        return
    flags = regex.V0 | regex.IGNORECASE
    batch = regex.compile("[" + "".join(_esc(c) for c in new) + "]", flags)
    found = {c for plane in _planes() for c in batch.findall(plane)} | set(new)
    for char in new:
        single = regex.compile(_esc(char), flags)
        _CASES[char] = _runs(sorted(ord(c) for c in found if single.fullmatch(c) or c == char))


def _literal(item: _Item) -> str | None:
    """The character a literal item stands for (checked with ``regex``), else ``None``."""
    return None if item.char is None else _checked_literal(item.src, item.char, item.flags)


@cache
def _checked_literal(src: str, char: str, flags: int) -> str | None:
    if regex.fullmatch(src, char, (flags | regex.V0) & ~regex.IGNORECASE) is None:
        return None
    return char


_BLOCK = 0x100
_SMALL = 512  # a class of at most this many BMP characters is kept exact


@cache
def _class_of(src: str, flags: int) -> Runs:
    """A set holding every character the ``regex`` class ``src`` matches under ``flags``.

    Exact for a small class, over Latin-1 and for whitespace; beyond, whole blocks of 256
    characters are taken when the class matches any non-whitespace character in them, and
    all characters outside the BMP when it matches any of them: a superset with few runs
    (quick to compile), which keeps classes that ``regex`` keeps apart (``\\w`` and
    ``\\s``, a line break and the rest) apart.
    """
    bmp, astral = _planes()
    spaces = _SPACES[0]
    compiled = regex.compile(src, flags | regex.V0)
    missed = compiled.sub("", bmp)
    if len(missed) < len(bmp) // 2:
        member = bytearray(b"\x01") * len(bmp)
        for char in missed:
            member[ord(char)] = 0
    else:
        member = bytearray(len(bmp))
        for char in compiled.findall(bmp):
            member[ord(char)] = 1
    small = len(bmp) - len(missed) <= _SMALL
    for low in range(_BLOCK, 0 if small else len(bmp), _BLOCK):
        block = range(low, low + _BLOCK)
        if any(member[c] and not spaces[c] for c in block):
            for c in block:
                if not spaces[c]:
                    member[c] = 1
    runs = _runs(c for c, inside in enumerate(member) if inside)
    if compiled.search(astral):
        runs = _merge([runs, ((0x10000, 0x10FFFF),)])
    return runs


def _atom_set(item: _Item) -> Runs:
    """The characters one repeat of an atom can match inside a line.

    A rule matches inside one line, which holds no line break (``\\n`` or ``\\r``):
    leaving them out keeps every loosened match inside a line.
    """
    char = _literal(item)
    if char is None:
        return _no_breaks(_class_of(item.src, item.flags))
    if item.flags & regex.IGNORECASE:
        return _no_breaks(_CASES[char])
    return _no_breaks(((ord(char), ord(char)),))


@cache
def _no_breaks(runs: Runs) -> Runs:
    return _minus(runs, ((0x0A, 0x0A), (0x0D, 0x0D)))


def _minus(runs: Runs, away: Runs) -> Runs:
    """``runs`` without the characters of ``away``."""
    return _complement(_merge([_complement(runs), away]))


def _fixed(item: _Item) -> bool:
    """Whether an item always matches the same number of characters."""
    if item.kind == "assert":
        return True
    if item.least != item.most:
        return False
    return all(_fixed(sub) for branch in item.branches for sub in branch) and (
        len({sum(_width(sub) for sub in branch) for branch in item.branches}) <= 1
    )


def _width(item: _Item) -> int:
    if item.kind == "assert":
        return 0
    if item.kind == "atom":
        return item.least
    return item.least * (sum(_width(sub) for sub in item.branches[0]) if item.branches else 0)


def _item_set(item: _Item) -> Runs:
    """Every character an item can match (nothing for an assertion)."""
    if item.kind == "atom":
        return _atom_set(item)
    return _merge(_item_set(sub) for branch in item.branches for sub in branch)


def _atom(item: _Item) -> str:
    """The class of the characters one repeat of an atom can match."""
    return _text(_atom_set(item))


def _quant(least: int, most: int | None) -> str:
    if (least, most) == (1, 1):
        return ""
    if most is None:
        return {0: "*", 1: "+"}.get(least, f"{{{least},}}")
    if (least, most) == (0, 1):
        return "?"
    return f"{{{least}}}" if least == most else f"{{{least},{most}}}"


class _Parts:
    """The parts of a loosened sequence: text, and repeated classes kept apart so that two
    repeats of variable length side by side become one (``\\s*-?\\s*`` becomes
    ``[\\s-]*``: the same strings and more, without the backtracking between them)."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, int] | tuple[Runs, int, int | None]] = []

    def text(self, text: str, least: int) -> None:
        self.parts.append((text, least))

    def repeat(self, chars: Runs, least: int, most: int | None) -> None:
        last = self.parts[-1] if self.parts else None
        if (
            least != most
            and last is not None
            and len(last) == 3
            and not isinstance(last[0], str)
            and last[1] != last[2]
        ):
            before = last[2]
            self.parts[-1] = (
                _merge([last[0], chars]),
                last[1] + least,
                None if before is None or most is None else before + most,
            )
        else:
            self.parts.append((chars, least, most))

    def least(self, k: int) -> int:
        return self.parts[k][1]

    def render(self, final: bool) -> str:
        parts = list(self.parts)
        if final:  # parts that can match nothing constrain nothing at the end
            while parts and not parts[-1][1]:
                parts.pop()
        out = []
        for part in parts:
            if len(part) == 2:
                out.append(part[0])
            else:
                out.append(_text(part[0]) + _quant(part[1], part[2]))
        return "".join(out)


def _seq(items: list[_Item], budget: int, final: bool, cap: int) -> tuple[str, int, bool]:
    """A sequence as ``re`` text, cut once ``budget`` characters are sure to be matched;
    its least length; whether it is whole (not cut).

    A cut text matches a prefix of every match of the sequence, so it may only end the
    loosened pattern (``final``), where parts that can match nothing are dropped too. An
    optional group is taken whole (what follows could not be joined to a cut inside it); a
    required one may be cut inside. A repeated group becomes any run of the characters it
    can match (``[...]*``): no group is ever repeated, so ``re`` never backtracks
    exponentially (a catastrophic rule is left to the ``regex`` module and its timeout).
    """
    parts = _Parts()
    least = 0
    whole = True
    for item in items:
        if least >= budget:
            whole = False
            break
        if item.kind == "assert":
            continue
        if item.kind == "atom":
            most = max(cap, item.least) if item.most is None else item.most
            parts.repeat(_atom_set(item), item.least, most)
            least += item.least
            continue
        if item.most != 1 or (not item.least and not _fixed(item)):
            # a repeated group, or an optional one of varying length: any run of the
            # characters it can match (no rule match is longer than ``cap``)
            chars = _item_set(item)
            if chars:
                parts.repeat(chars, 0, cap)
            continue
        room = budget - least if item.least else _UNCUT
        branches = [_seq(branch, room, False, cap) for branch in item.branches]
        inner = min(n for _, n, _ in branches)
        if all(done for _, _, done in branches):
            body = "|".join(text for text, _, _ in branches)
            parts.text(f"(?:{body}){_quant(item.least, 1)}", inner * item.least)
            least += inner * item.least
            continue
        whole = False  # a required group cut inside: nothing can follow it
        branches = [_seq(branch, room, True, cap) for branch in item.branches]
        parts.text("(?:" + "|".join(text for text, _, _ in branches) + ")", inner)
        least += inner
        break
    return parts.render(final), least, whole


_UNCUT = 1 << 30


def _firsts(
    items: list[_Item], budget: int, cap: int, depth: int = 0
) -> list[tuple[str, str]] | None:
    """The sequence as alternatives that each start with one character class: pairs of
    the class and the rest (cut after ``budget`` characters), or ``None`` when the
    sequence can match the empty string (it constrains nothing)."""
    items = [item for item in items if item.kind != "assert"]
    if not items or depth > 8:
        return None
    head, rest = items[0], items[1:]
    after = [head.times(max(head.least - 1, 0), None if head.most is None else head.most - 1)]
    if head.most == 1:
        after = []
    out: list[tuple[str, str]] = []
    if head.kind == "atom":
        tail = _seq(after + rest, budget - 1, True, cap)[0]
        out.append((_atom(head), tail))
    else:
        for branch in head.branches:
            found = _firsts(branch + after + rest, budget, cap, depth + 1)
            if found is None:
                return None
            out.extend(found)
    if head.least == 0:
        found = _firsts(rest, budget, cap, depth + 1)
        if found is None:
            return None
        out.extend(found)
    return out


def _literals(items: list[_Item]) -> set[str]:
    out: set[str] = set()
    for item in items:
        if item.kind == "atom" and item.flags & regex.IGNORECASE:
            char = _literal(item)
            if char is not None:
                out.add(char)
        for branch in item.branches:
            out |= _literals(branch)
    return out


def _read(pattern: str, flags: int) -> list[_Item] | None:
    try:
        branches = _Reader(pattern, flags).read()
    except _UnreadableError:
        return None
    if len(branches) > 1:
        return [_Item("group", branches=branches)]
    return branches[0]


Alternatives = tuple[tuple[str, str], ...]
_DONE: dict[tuple[str, int, int, int], Alternatives | None] = {}


def alternatives(
    patterns: Sequence[tuple[str, int, int]], budget: int = 8
) -> list[Alternatives | None]:
    """Each ``(pattern, flags, cap)`` (``regex`` syntax; ``cap``: the longest match that
    counts) loosened into stdlib ``re`` text, as alternatives that start with one character
    class: ``(class, rest)`` pairs, the rest cut after ``budget`` characters. ``None`` for
    a pattern this module cannot read, or that can match the empty string. (Remembered for
    the process: engines share them.)"""
    todo = [(p, f, c, budget) for p, f, c in patterns if (p, f, c, budget) not in _DONE]
    read = [_read(pattern, flags) for pattern, flags, _, _ in todo]
    chars: set[str] = set()
    for items in read:
        chars |= _literals(items or [])
    _learn_cases(chars)
    for key, items in zip(todo, read, strict=True):
        found = None if items is None else _firsts(items, budget, key[2])
        _DONE[key] = None if found is None else tuple(found)
    return [_DONE[(p, f, c, budget)] for p, f, c in patterns]


def union(alternatives: Sequence[tuple[str, str]]) -> str:
    """One ``re`` alternation of ``(class, rest)`` pairs, grouped by class (``re`` skips a
    branch whose first class does not match in one test, so each position costs about
    one test per distinct first class)."""
    by_class: dict[str, list[str]] = {}
    for cls, rest in alternatives:
        rests = by_class.setdefault(cls, [])
        if rest not in rests:
            rests.append(rest)
    parts = []
    for cls, rests in by_class.items():
        if "" in rests:
            parts.append(cls)
        elif len(rests) == 1:
            parts.append(cls + rests[0])
        else:
            parts.append(cls + "(?:" + "|".join(rests) + ")")
    return "(?:" + "|".join(parts) + ")"


def loosen(pattern: str, flags: int, budget: int = _UNCUT, cap: int = 1000) -> str | None:
    """``pattern`` (``regex`` syntax, compiled with ``flags``) as one stdlib ``re``
    pattern that matches wherever it matches inside a line, in a match of at most ``cap``
    characters, or ``None`` (see the module docstring)."""
    found = alternatives([(pattern, flags, cap)], budget)[0]
    return None if found is None else union(found)


def any_of(pattern: str, flags: int) -> str | None:
    """A stdlib ``re`` class of every character ``pattern`` can match (so ``class*``
    matches wherever ``pattern`` matches, e.g. the bullets and brackets before a rule);
    ``None`` when the pattern cannot be read."""
    items = _read(pattern, flags)
    if items is None:
        return None
    _learn_cases(_literals(items))
    return _text(_merge(_item_set(item) for item in items))
