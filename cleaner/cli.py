"""Command line (placeholder)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import cleaner

    args = sys.argv[1:] if argv is None else argv
    text = open(args[0], encoding="utf-8").read() if args else sys.stdin.read()
    result = cleaner.clean(text)
    sys.stdout.write(result.text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
