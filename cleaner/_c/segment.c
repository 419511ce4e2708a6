/* Lines and sentences with their offsets (cleaner.segment). */
#include "common.h"

/* ------------------------------------------------------------------ split_lines */

const char *const line_field_names[LINE_FIELDS] = {"index", "number", "start", "end", "text", "kind"};
static Slots line_slots; /* (where Line keeps its fields) */

PyDoc_STRVAR(split_lines_doc,
"split_lines(text, line_type, line_kind, markers, /) -> list | None\n"
"\n"
"cleaner.segment.split_lines for text without ``\\r`` (``None`` otherwise: the caller splits\n"
"it): the non-blank lines between ``\\n``, stripped, as ``line_type(index, number, start,\n"
"end, text, kind)``. ``line_kind(text)`` is asked for lines that start with one of\n"
"``markers``; the others are \"table\" (two tabs or more) or \"text\".");

/* Whether text[s:e] holds two tabs or more (a "table" line; asked only of a text that holds
 * a tab at all, so a plain loop). */
static inline int
two_tabs(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t tabs = 0;
    for (Py_ssize_t k = s; k < e && tabs < 2; k++)
        tabs += PyUnicode_READ(kind, data, k) == '\t';
    return tabs >= 2;
}

static PyObject *
split_lines_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyType_Check(args[1]) ||
        !PyUnicode_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "split_lines(text, line_type, line_kind, markers)");
        return NULL;
    }
    PyObject *text = args[0], *line_kind = args[2], *markers = args[3];
    PyTypeObject *type = (PyTypeObject *)args[1];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_FindChar(text, '\r', 0, len, 1) != -1)
        Py_RETURN_NONE;
    /* (no tab in the text, no table line: most texts skip the per-line test) */
    int has_tab = PyUnicode_FindChar(text, '\t', 0, len, 1) != -1;
    find_slots(&line_slots, type, line_field_names, LINE_FIELDS);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = 0, number = 0;
    while (pos <= len) {
        Py_ssize_t stop = find_unit(kind, data, pos, len, '\n');
        Py_ssize_t s = pos, e = stop;
        while (s < e && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, s)))
            s++;
        while (e > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1)))
            e--;
        if (e > s) {
            PyObject *stripped = PyUnicode_Substring(text, s, e);
            if (stripped == NULL)
                goto error;
            PyObject *line_kind_value;
            Py_UCS4 first = PyUnicode_READ(kind, data, s);
            if (PyUnicode_FindChar(markers, first, 0, PyUnicode_GET_LENGTH(markers), 1) >= 0) {
                line_kind_value = PyObject_CallOneArg(line_kind, stripped);
                if (line_kind_value == NULL) {
                    Py_DECREF(stripped);
                    goto error;
                }
            }
            else {
                line_kind_value =
                    has_tab && two_tabs(kind, data, s, e) ? str_kind_table : str_kind_text;
                Py_INCREF(line_kind_value);
            }
            PyObject *values[6] = {PyLong_FromSsize_t(PyList_GET_SIZE(out)),
                                   PyLong_FromSsize_t(number), PyLong_FromSsize_t(s),
                                   PyLong_FromSsize_t(e), stripped, line_kind_value};
            PyObject *line = NULL;
            if (values[0] && values[1] && values[2] && values[3])
                line = slots_new(&line_slots, values);
            for (int f = 0; f < 6; f++)
                Py_XDECREF(values[f]);
            if (line == NULL)
                goto error;
            int failed = PyList_Append(out, line);
            Py_DECREF(line);
            if (failed < 0)
                goto error;
        }
        pos = stop + 1;
        number++;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ split_sentences */

#define SENT_SPACE 1 /* the regex module's \s */
#define SENT_LOOK 2  /* what may follow a latin stop and its space */

static inline int
sent_stop(Py_UCS4 c) /* [.!?…] */
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

static inline int
sent_closer(Py_UCS4 c) /* ["'”’»)\]」』）] */
{
    switch (c) {
    case '"': case '\'': case 0x201D: case 0x2019: case 0xBB: case ')': case ']':
    case 0x300D: case 0x300F: case 0xFF09:
        return 1;
    }
    return 0;
}

static inline int
sent_cjk_stop(Py_UCS4 c) /* [。！？!?．] */
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF0E;
}

static inline int
sent_cjk_closer(Py_UCS4 c) /* [」』”’）)] */
{
    return c == 0x300D || c == 0x300F || c == 0x201D || c == 0x2019 || c == 0xFF09 || c == ')';
}

static inline int
sent_danda(Py_UCS4 c) /* [।॥؟۔] */
{
    return c == 0x0964 || c == 0x0965 || c == 0x061F || c == 0x06D4;
}

/* Whether a match of one of the stops above can start at ``c`` (the others only move the
 * loop on by one character). */
static inline int
sent_any_stop(Py_UCS4 c)
{
    if (c < 0x80)
        return c == '.' || c == '!' || c == '?';
    return sent_stop(c) || sent_cjk_stop(c) || sent_danda(c);
}

static int
append_span(PyObject *out, Py_ssize_t s, Py_ssize_t e)
{
    PyObject *pair = Py_BuildValue("(nn)", s, e);
    if (pair == NULL)
        return -1;
    int failed = PyList_Append(out, pair);
    Py_DECREF(pair);
    return failed;
}

/* segment._abbreviation of the ASCII ``word`` (``n`` characters, lower-cased, no final
 * period) before ``next``: 1 (an abbreviation or an initial), 0 (not), -2 (an error). */
static int
abbreviation_word(const char *word, Py_ssize_t n, Py_UCS4 next, PyObject *facts)
{
    if (n == 0)
        return 0;
    if (n == 1 && word[0] >= 'a' && word[0] <= 'z')
        return 1; /* an initial */
    if (memchr(word, '.', (size_t)n) != NULL) {
        /* "u.s", "e.g", "a.m": every part between the periods two characters at most */
        Py_ssize_t part = 0, k = 0;
        for (; k < n && part <= 2; k++)
            part = word[k] == '.' ? 0 : part + 1;
        if (part <= 2)
            return 1;
    }
    PyObject *w = PyUnicode_FromStringAndSize(word, n);
    if (w == NULL)
        return -2;
    int number = PySet_Contains(PyTuple_GET_ITEM(facts, 2), w);
    int plain = number == 0 ? PySet_Contains(PyTuple_GET_ITEM(facts, 1), w) : 0;
    Py_DECREF(w);
    if (number < 0 || plain < 0)
        return -2;
    if (number)
        return next != 0 && Py_UNICODE_ISDIGIT(next);
    return plain;
}

/* segment._is_abbreviation where its facts (longest, words, number_words) settle it: 1 (an
 * abbreviation or an initial), 0 (not), -1 (ask Python), -2 (an error). ``next`` is the
 * character after the space (0: none). Python is asked only where a character past ASCII
 * decides (str.isalpha, the regex module's \w, str.casefold), or a line break. */
static int
known_abbreviation(int kind, const void *data, Py_ssize_t stop, Py_UCS4 next, PyObject *facts)
{
    if (facts == NULL)
        return -1;
    Py_ssize_t longest = PyLong_AsSsize_t(PyTuple_GET_ITEM(facts, 0));
    if (longest == -1 && PyErr_Occurred())
        return -2;
    if (longest < 0 || longest > 64)
        return -1;
    Py_ssize_t from = stop - longest - 1 > 0 ? stop - longest - 1 : 0;
    /* the head: text[from:stop]; letters only and longer than any abbreviation: no */
    int letters = stop > from;
    for (Py_ssize_t k = from; k < stop && letters; k++)
        letters = Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, k));
    if (letters && stop - from > longest)
        return 0;
    char word[72];
    Py_ssize_t n = 0;
    /* a word of letters after the head's last space: looked up, lower-cased */
    Py_ssize_t space = -1;
    for (Py_ssize_t k = stop - 1; k >= from && space < 0; k--)
        if (PyUnicode_READ(kind, data, k) == ' ')
            space = k;
    if (space >= 0 && space + 1 < stop) {
        int alpha = 1;
        for (Py_ssize_t k = space + 1; k < stop; k++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, k);
            if (ch >= 128)
                return -1; /* (a letter or not, and its case: Python decides) */
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
                alpha = 0;
            word[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        if (alpha)
            return abbreviation_word(word, n, next, facts);
    }
    /* else the word before the stop as _WORD_ENDING_RE has it: the run of word characters
     * and periods that ends there, within 32 characters; lower-cased, final periods off */
    if (stop > 0 && PyUnicode_READ(kind, data, stop - 1) == '\n')
        return -1;
    Py_ssize_t low = stop - 32 > 0 ? stop - 32 : 0, k = stop;
    for (; k > low; k--) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k - 1);
        if (ch >= 128)
            return -1; /* (a word character or not: Python decides) */
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '.'))
            break;
    }
    n = 0;
    for (Py_ssize_t j = k; j < stop; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        word[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    while (n > 0 && word[n - 1] == '.')
        n--;
    return abbreviation_word(word, n, next, facts);
}

PyDoc_STRVAR(split_sentences_doc,
"split_sentences(text, start, end, table, is_abbreviation, abbreviations=None, /) -> list | None\n"
"\n"
"cleaner.segment.split_sentences for text[start:end] without Thai and without characters\n"
"past U+FFFF (``None`` for those: the caller splits them). ``table`` flags each code point\n"
"below U+10000: 1 for the regex module's \\s, 2 for the class that may follow a latin stop;\n"
"``is_abbreviation(text, stop, next_char)`` decides a single period, where\n"
"``abbreviations`` (``(longest, words, number_words)``: segment._is_abbreviation's facts)\n"
"do not settle it: a word of letters longer than ``longest`` before the period, or an ASCII\n"
"word of letters after a space.");

PyObject *
split_sentences_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 && nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "split_sentences() takes 5 or 6 arguments");
        return NULL;
    }
    PyObject *text = args[0], *is_abbreviation = args[4];
    PyObject *facts = nargs == 6 && args[5] != Py_None ? args[5] : NULL;
    if (facts != NULL &&
        !(PyTuple_Check(facts) && PyTuple_GET_SIZE(facts) == 3 &&
          PyLong_Check(PyTuple_GET_ITEM(facts, 0)) && PyFrozenSet_Check(PyTuple_GET_ITEM(facts, 1)) &&
          PyFrozenSet_Check(PyTuple_GET_ITEM(facts, 2)))) {
        PyErr_SetString(PyExc_TypeError,
                        "split_sentences: abbreviations must be (longest, words, number words)");
        return NULL;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "split_sentences: text must be str");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), end = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred())
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (start < 0 || end > len) {
        PyErr_SetString(PyExc_ValueError, "split_sentences: start and end must lie in the text");
        return NULL;
    }
    Py_buffer view;
    if (table_buffer(args[3], &view, 1, "split_sentences: table", "bytes") < 0)
        return NULL;
    const uint8_t *flags = view.buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = NULL;
    if (kind != PyUnicode_1BYTE_KIND) {
        for (Py_ssize_t k = start; k < end; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            if (c >= 0x10000 || (c >= 0x0E00 && c <= 0x0E7F)) {
                PyBuffer_Release(&view);
                Py_RETURN_NONE; /* Thai phrases, astral classes: the Python way */
            }
        }
    }
    out = PyList_New(0);
    if (out == NULL)
        goto error;
#define CH(k) PyUnicode_READ(kind, data, (k))
    Py_ssize_t seg_start = start, p = start;
    while (p < end) {
        /* (no stop starts at most characters: passed over, read in the text's own width
         * for Latin-1 text) */
        if (kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *d = data;
            while (p < end && !sent_any_stop(d[p]))
                p++;
        }
        else {
            while (p < end && !sent_any_stop(CH(p)))
                p++;
        }
        if (p == end)
            break;
        Py_UCS4 c = CH(p);
        Py_ssize_t m_end = -1, stop_s = -1, stop_e = -1, space_s = -1;
        if (sent_stop(c)) {
            /* (?P<stop>[.!?…]+)[closers]*(?P<space>\s+)(?=[look]): maximal runs; giving
             * any back cannot succeed (no space is a closer, a stop or a look character) */
            Py_ssize_t r = p;
            while (r < end && sent_stop(CH(r)))
                r++;
            Py_ssize_t q = r;
            while (q < end && sent_closer(CH(q)))
                q++;
            Py_ssize_t w = q;
            while (w < end && (flags[CH(w)] & SENT_SPACE))
                w++;
            if (w > q && w < end && (flags[CH(w)] & SENT_LOOK)) {
                m_end = w;
                stop_s = p;
                stop_e = r;
                space_s = q;
            }
        }
        if (m_end < 0 && sent_cjk_stop(c)) {
            Py_ssize_t r = p;
            while (r < end && sent_cjk_stop(CH(r)))
                r++;
            while (r < end && sent_cjk_closer(CH(r)))
                r++;
            while (r < end && (flags[CH(r)] & SENT_SPACE))
                r++;
            m_end = r;
        }
        if (m_end < 0 && sent_danda(c)) {
            Py_ssize_t r = p;
            while (r < end && sent_danda(CH(r)))
                r++;
            while (r < end && (flags[CH(r)] & SENT_SPACE))
                r++;
            m_end = r;
        }
        if (m_end < 0) {
            p++;
            continue;
        }
        p = m_end; /* the next match starts after this one */
        if (stop_s >= 0 && CH(stop_s) == '.' && stop_e - stop_s == 1 && space_s == stop_e) {
            /* a single period, no closer: an abbreviation or an initial? */
            int known = known_abbreviation(kind, data, stop_s, m_end < end ? CH(m_end) : 0, facts);
            if (known < -1)
                goto error;
            if (known == 1)
                continue;
            if (known == 0)
                goto cut;
            PyObject *next = m_end < end ? PyUnicode_Substring(text, m_end, m_end + 1)
                                         : PyUnicode_FromStringAndSize("", 0);
            if (next == NULL)
                goto error;
            PyObject *at = PyLong_FromSsize_t(stop_s);
            if (at == NULL) {
                Py_DECREF(next);
                goto error;
            }
            PyObject *verdict = PyObject_CallFunctionObjArgs(is_abbreviation, text, at, next, NULL);
            Py_DECREF(at);
            Py_DECREF(next);
            if (verdict == NULL)
                goto error;
            int yes = PyObject_IsTrue(verdict);
            Py_DECREF(verdict);
            if (yes < 0)
                goto error;
            if (yes)
                continue;
        }
    cut:;
        Py_ssize_t cut = space_s >= 0 ? space_s : m_end;
        if (stop_s < 0) {
            /* CJK / danda: the sentence ends after the stop and its closers */
            cut = m_end;
            while (cut > seg_start && Py_UNICODE_ISSPACE(CH(cut - 1)))
                cut--;
        }
        if (cut > seg_start && append_span(out, seg_start, cut) < 0)
            goto error;
        seg_start = m_end;
    }
    if (seg_start < end && append_span(out, seg_start, end) < 0)
        goto error;
    /* the ends of the range, or a space the patterns do not count as one: trim */
    Py_ssize_t n_out = PyList_GET_SIZE(out);
    int trim = 0;
    for (Py_ssize_t k = 0; k < n_out && !trim; k++) {
        PyObject *pair = PyList_GET_ITEM(out, k);
        Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
        Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
        trim = Py_UNICODE_ISSPACE(CH(s)) || Py_UNICODE_ISSPACE(CH(e - 1));
    }
    if (trim) {
        PyObject *trimmed = PyList_New(0);
        if (trimmed == NULL)
            goto error;
        for (Py_ssize_t k = 0; k < n_out; k++) {
            PyObject *pair = PyList_GET_ITEM(out, k);
            Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
            Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
            while (s < e && Py_UNICODE_ISSPACE(CH(s)))
                s++;
            while (e > s && Py_UNICODE_ISSPACE(CH(e - 1)))
                e--;
            if (e > s && append_span(trimmed, s, e) < 0) {
                Py_DECREF(trimmed);
                goto error;
            }
        }
        Py_SETREF(out, trimmed);
    }
#undef CH
    PyBuffer_Release(&view);
    return out;
error:
    Py_XDECREF(out);
    PyBuffer_Release(&view);
    return NULL;
}

/* ------------------------------------------------------------------ assemble_lines */

static int
append_slice(PyObject *pieces, PyObject *text, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *piece = PyUnicode_Substring(text, start, end);
    if (piece == NULL)
        return -1;
    int appended = PyList_Append(pieces, piece);
    Py_DECREF(piece);
    return appended;
}

PyDoc_STRVAR(assemble_lines_doc,
"assemble_lines(original, lines, whole, by_line, cut_line, /) -> str\n"
"\n"
"cleaner.assemble.assemble's loop, for the lines of ``original`` (a non-empty list of Line,\n"
"``lines[k].index == k``): the lines whose index is in ``whole`` dropped, the lines in\n"
"``by_line`` (index -> their cuts) as ``cut_line(original, line, cuts)`` makes them (None:\n"
"dropped), the others as they stand, each gap kept as the widest newline part of the gaps\n"
"since the last kept line, runs of untouched neighbours copied in one slice.");

static PyObject *
assemble_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) ||
        !PyAnySet_Check(args[2]) || !PyDict_Check(args[3]) || PyList_GET_SIZE(args[1]) == 0) {
        PyErr_SetString(PyExc_TypeError,
                        "assemble_lines(original: str, lines: non-empty list, whole: set, "
                        "by_line: dict, cut_line)");
        return NULL;
    }
    PyObject *original = args[0], *lines = args[1], *whole = args[2], *by_line = args[3];
    PyObject *cut_line = args[4];
    Py_ssize_t n = PyList_GET_SIZE(lines), size = PyUnicode_GET_LENGTH(original);
    int okind = PyUnicode_KIND(original);
    const void *odata = PyUnicode_DATA(original);
    find_slots(&line_slots, Py_TYPE(PyList_GET_ITEM(lines, 0)), line_field_names, LINE_FIELDS);
    PyObject *pieces = PyList_New(0), *out = NULL;
    if (pieces == NULL)
        return NULL;
    Py_ssize_t prev = -1, prev_index = -1, sep_start = 0, sep_end = 0, sep_count = 0;
    Py_ssize_t run_start = -1, run_end = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        Py_ssize_t index = slot_ssize(line, &line_slots, LINE_INDEX);
        Py_ssize_t start = slot_ssize(line, &line_slots, LINE_START);
        Py_ssize_t end = slot_ssize(line, &line_slots, LINE_END);
        if (PyErr_Occurred())
            goto done;
        if (index < 0 || index >= n || start < 0 || end < start || end > size) {
            PyErr_SetString(PyExc_ValueError, "assemble_lines: a line's index or offsets are not the text's");
            goto done;
        }
        PyObject *index_obj = PyLong_FromSsize_t(index);
        if (index_obj == NULL)
            goto done;
        int dropped = PySet_Contains(whole, index_obj);
        PyObject *cuts = NULL;
        if (dropped == 0) {
            cuts = PyDict_GetItemWithError(by_line, index_obj); /* borrowed */
            if (cuts == NULL && PyErr_Occurred())
                dropped = -1;
        }
        Py_DECREF(index_obj);
        if (dropped < 0)
            goto done;
        int has_cuts = 0;
        if (cuts != NULL && (has_cuts = PyObject_IsTrue(cuts)) < 0)
            goto done;
        if (prev >= 0 && index > 0) {
            if (run_start >= 0 && !dropped && !has_cuts && prev_index == index - 1) {
                run_end = end;
                prev = i;
                prev_index = index;
                continue;
            }
            /* the gap's newline part: up to and including its last newline */
            Py_ssize_t gap_start = slot_ssize(PyList_GET_ITEM(lines, index - 1), &line_slots, LINE_END);
            if (gap_start == -1 && PyErr_Occurred())
                goto done;
            if (gap_start < 0 || gap_start > start) {
                PyErr_SetString(PyExc_ValueError, "assemble_lines: lines out of order");
                goto done;
            }
            Py_ssize_t gap_end = start, count = 0;
            for (Py_ssize_t k = start - 1; k >= gap_start; k--) {
                Py_UCS4 ch = PyUnicode_READ(okind, odata, k);
                if (ch == '\n' || ch == '\r') {
                    gap_end = k + 1;
                    break;
                }
            }
            for (Py_ssize_t k = gap_start; k < gap_end; k++) {
                Py_UCS4 ch = PyUnicode_READ(okind, odata, k);
                count += ch == '\n' || ch == '\r';
            }
            if (count > sep_count) {
                sep_start = gap_start;
                sep_end = gap_end;
                sep_count = count;
            }
        }
        if (dropped)
            continue;
        PyObject *kept = NULL;
        if (has_cuts) {
            PyObject *call_args[3] = {original, line, cuts};
            kept = PyObject_Vectorcall(cut_line, call_args, 3, NULL);
            if (kept == NULL)
                goto done;
            if (kept == Py_None) {
                Py_DECREF(kept);
                continue;
            }
        }
        if (run_start >= 0) {
            if (append_slice(pieces, original, run_start, run_end) < 0) {
                Py_XDECREF(kept);
                goto done;
            }
            run_start = -1;
        }
        /* the line's indent: the whitespace before it on its own line */
        Py_ssize_t begin = start;
        while (begin > 0) {
            Py_UCS4 ch = PyUnicode_READ(okind, odata, begin - 1);
            if (ch == '\n' || ch == '\r' || !Py_UNICODE_ISSPACE(ch))
                break;
            begin--;
        }
        int failed;
        if (prev < 0)
            failed = append_slice(pieces, original, index == 0 ? 0 : begin, start);
        else
            failed = append_slice(pieces, original, sep_start, sep_end) < 0 ||
                     append_slice(pieces, original, begin, start) < 0;
        if (!failed && kept != NULL)
            failed = PyList_Append(pieces, kept);
        Py_XDECREF(kept);
        if (failed)
            goto done;
        if (!has_cuts) {
            run_start = start;
            run_end = end;
        }
        prev = i;
        prev_index = index;
        sep_start = sep_end = sep_count = 0;
    }
    if (prev < 0) {
        out = PyUnicode_New(0, 0);
        goto done;
    }
    if (run_start >= 0 && append_slice(pieces, original, run_start, run_end) < 0)
        goto done;
    {
        Py_ssize_t last_end = slot_ssize(PyList_GET_ITEM(lines, n - 1), &line_slots, LINE_END);
        if ((last_end == -1 && PyErr_Occurred()) ||
            append_slice(pieces, original, last_end, size) < 0)
            goto done;
    }
    {
        PyObject *empty = PyUnicode_New(0, 0);
        if (empty != NULL) {
            out = PyUnicode_Join(empty, pieces);
            Py_DECREF(empty);
        }
    }
done:
    Py_DECREF(pieces);
    return out;
}

/* ------------------------------------------------------------------ standing_lines */

PyDoc_STRVAR(standing_lines_doc,
"standing_lines(lines, whole, cut, /)\n"
"    -> tuple[str, list[tuple[int, int, int, int]], list[int], list, list[int]]\n"
"\n"
"cleaner.leftovers._Standing's loop over ``lines`` (a list of Line): the lines whose index\n"
"is in the set ``whole`` dropped; a line in the dict ``cut`` (index -> (pieces, texts,\n"
"joined, kind): its kept pieces (start, end) in the original, their texts, the texts\n"
"joined by a space and the joined line's kind) stands as its pieces, parted by a space;\n"
"the others as they are, one per line. Returns the new text, its segments (new start,\n"
"original start, length, line index), their new starts, its lines (as Line, with their\n"
"new offsets and index, their original number) and the indices among those of the cut\n"
"lines.");

/* The segment (now, orig, length, index), appended to ``segments``, and ``now`` to
 * ``starts``: 0, or -1 with an error. */
static int
append_segment(PyObject *segments, PyObject *starts, Py_ssize_t now, Py_ssize_t orig,
               Py_ssize_t length, PyObject *index)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL)
        return -1;
    PyObject *a = PyLong_FromSsize_t(now), *b = PyLong_FromSsize_t(orig), *c = PyLong_FromSsize_t(length);
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    PyTuple_SET_ITEM(t, 2, c);
    PyTuple_SET_ITEM(t, 3, Py_NewRef(index));
    int failed = a == NULL || b == NULL || c == NULL || PyList_Append(segments, t) < 0 ||
                 PyList_Append(starts, a) < 0;
    Py_DECREF(t);
    return failed ? -1 : 0;
}

static PyObject *
standing_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyList_Check(args[0]) || !PyAnySet_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "standing_lines(lines: list, whole: set, cut: dict)");
        return NULL;
    }
    PyObject *lines = args[0], *whole = args[1], *cut = args[2];
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *parts = PyList_New(0), *segments = PyList_New(0), *out_lines = PyList_New(0);
    PyObject *cut_now = PyList_New(0), *newline = PyUnicode_FromOrdinal('\n');
    PyObject *space = PyUnicode_FromOrdinal(' '), *starts = PyList_New(0), *joined_text = NULL;
    if (parts == NULL || segments == NULL || out_lines == NULL || cut_now == NULL ||
        newline == NULL || space == NULL || starts == NULL)
        goto error;
    if (n > 0)
        find_slots(&line_slots, Py_TYPE(PyList_GET_ITEM(lines, 0)), line_field_names, LINE_FIELDS);
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        PyObject *index = slot_field(line, &line_slots, LINE_INDEX);
        if (index == NULL)
            goto error;
        int gone = PySet_Contains(whole, index);
        PyObject *pieces = NULL;
        if (gone == 0) {
            pieces = PyDict_GetItemWithError(cut, index); /* (borrowed) */
            if (pieces == NULL && PyErr_Occurred())
                gone = -1;
        }
        if (gone != 0) {
            Py_DECREF(index);
            if (gone < 0)
                goto error;
            continue;
        }
        PyObject *values[LINE_FIELDS] = {NULL};
        PyObject *made = NULL;
        int failed = 1;
        /* (its input number, and its place among the lines that stand) */
        values[LINE_NUMBER] = slot_field(line, &line_slots, LINE_NUMBER);
        values[LINE_INDEX] = PyLong_FromSsize_t(PyList_GET_SIZE(out_lines));
        if (values[LINE_NUMBER] == NULL || values[LINE_INDEX] == NULL)
            goto line_done;
        if (pieces == NULL) { /* (most lines: kept as they are, one segment) */
            Py_ssize_t start = slot_ssize(line, &line_slots, LINE_START);
            Py_ssize_t end = start == -1 && PyErr_Occurred() ? -1 : slot_ssize(line, &line_slots, LINE_END);
            if (end == -1 && PyErr_Occurred())
                goto line_done;
            if (PyList_GET_SIZE(parts)) {
                if (PyList_Append(parts, newline) < 0)
                    goto line_done;
                size += 1;
            }
            Py_ssize_t length = end - start;
            if (append_segment(segments, starts, size, start, length, index) < 0)
                goto line_done;
            values[LINE_TEXT] = slot_field(line, &line_slots, LINE_TEXT);
            values[LINE_KIND] = slot_field(line, &line_slots, LINE_KIND);
            values[LINE_START] = PyLong_FromSsize_t(size);
            values[LINE_END] = PyLong_FromSsize_t(size + length);
            for (int f = 0; f < LINE_FIELDS; f++)
                if (values[f] == NULL)
                    goto line_done;
            if (PyList_Append(parts, values[LINE_TEXT]) < 0)
                goto line_done;
            size += length;
        }
        else { /* a cut line: its kept pieces */
            if (!PyTuple_Check(pieces) || PyTuple_GET_SIZE(pieces) != 4 ||
                !PyList_Check(PyTuple_GET_ITEM(pieces, 0)) || !PyList_Check(PyTuple_GET_ITEM(pieces, 1)) ||
                PyList_GET_SIZE(PyTuple_GET_ITEM(pieces, 0)) != PyList_GET_SIZE(PyTuple_GET_ITEM(pieces, 1))) {
                PyErr_SetString(PyExc_TypeError, "standing_lines: cut[index] must be (pieces, texts, joined, kind)");
                goto line_done;
            }
            PyObject *spans = PyTuple_GET_ITEM(pieces, 0), *texts = PyTuple_GET_ITEM(pieces, 1);
            Py_ssize_t k_all = PyList_GET_SIZE(spans);
            for (Py_ssize_t k = 0; k < k_all; k++) {
                Py_ssize_t s0, e0;
                PyObject *piece = PyList_GET_ITEM(texts, k);
                if (!PyArg_ParseTuple(PyList_GET_ITEM(spans, k), "nn", &s0, &e0))
                    goto line_done;
                if (k || PyList_GET_SIZE(parts)) {
                    if (PyList_Append(parts, k == 0 ? newline : space) < 0)
                        goto line_done;
                    size += 1;
                }
                if (append_segment(segments, starts, size, s0, e0 - s0, index) < 0)
                    goto line_done;
                if (PyList_Append(parts, piece) < 0)
                    goto line_done;
                size += e0 - s0;
            }
            if (k_all == 0) { /* (nothing of it left) */
                failed = 0;
                goto line_done;
            }
            PyObject *joined = PyTuple_GET_ITEM(pieces, 2);
            if (!PyUnicode_Check(joined)) {
                PyErr_SetString(PyExc_TypeError, "standing_lines: a cut line's joined text must be a str");
                goto line_done;
            }
            if (PyList_Append(cut_now, values[LINE_INDEX]) < 0)
                goto line_done;
            values[LINE_TEXT] = Py_NewRef(joined);
            values[LINE_KIND] = Py_NewRef(PyTuple_GET_ITEM(pieces, 3));
            values[LINE_START] = PyLong_FromSsize_t(size - PyUnicode_GET_LENGTH(joined));
            values[LINE_END] = PyLong_FromSsize_t(size);
            for (int f = 0; f < LINE_FIELDS; f++)
                if (values[f] == NULL)
                    goto line_done;
        }
        made = slots_new(&line_slots, values);
        if (made != NULL && PyList_Append(out_lines, made) == 0)
            failed = 0;
    line_done:
        Py_XDECREF(made);
        for (int f = 0; f < LINE_FIELDS; f++)
            Py_XDECREF(values[f]);
        Py_DECREF(index);
        if (failed)
            goto error;
    }
    {
        PyObject *empty = PyUnicode_New(0, 0);
        joined_text = empty != NULL ? PyUnicode_Join(empty, parts) : NULL;
        Py_XDECREF(empty);
        if (joined_text == NULL)
            goto error;
    }
    Py_DECREF(parts);
    Py_DECREF(newline);
    Py_DECREF(space);
    return Py_BuildValue("(NNNNN)", joined_text, segments, starts, out_lines, cut_now);
error:
    Py_XDECREF(parts);
    Py_XDECREF(segments);
    Py_XDECREF(out_lines);
    Py_XDECREF(cut_now);
    Py_XDECREF(newline);
    Py_XDECREF(space);
    Py_XDECREF(starts);
    Py_XDECREF(joined_text);
    return NULL;
}

/* ------------------------------------------------------------------ group_lines */

PyDoc_STRVAR(group_lines_doc,
"group_lines(lines, removals, /) -> tuple[set[int], dict[int, list]]\n"
"\n"
"cleaner.assemble.group_by_line for a list of removals: the ``Line.index`` of every line a\n"
"removal takes whole (no replacement, its whole span), and the other removals by the index\n"
"of their line, which each finds by its ``line`` (a ``Line.number``; ``lines`` in order).\n"
"ValueError names a removal whose line is not one of ``lines`` (a blank line).");

/* ``getattr(obj, name)`` as a Py_ssize_t: -1 with an exception (or the value -1). */
static Py_ssize_t
attr_ssize(PyObject *obj, PyObject *name)
{
    PyObject *value = PyObject_GetAttr(obj, name);
    if (value == NULL)
        return -1;
    Py_ssize_t got = PyLong_AsSsize_t(value);
    Py_DECREF(value);
    return got;
}

static PyObject *str_line, *str_start, *str_end, *str_replacement;

static PyObject *
group_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "group_lines(lines: list, removals: list)");
        return NULL;
    }
    if (str_line == NULL && ((str_line = PyUnicode_InternFromString("line")) == NULL ||
                             (str_start = PyUnicode_InternFromString("start")) == NULL ||
                             (str_end = PyUnicode_InternFromString("end")) == NULL ||
                             (str_replacement = PyUnicode_InternFromString("replacement")) == NULL))
        return NULL;
    PyObject *lines = args[0], *removals = args[1];
    PyObject *whole = PySet_New(NULL), *cuts = PyDict_New();
    if (whole == NULL || cuts == NULL)
        goto error;
    Py_ssize_t n = PyList_GET_SIZE(lines);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(removals); i++) {
        PyObject *r = PyList_GET_ITEM(removals, i);
        Py_ssize_t number = attr_ssize(r, str_line);
        if (number == -1 && PyErr_Occurred())
            goto error;
        /* (bisect_left over the lines' numbers) */
        Py_ssize_t lo = 0, hi = n;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            PyObject *line = PyList_GET_ITEM(lines, mid);
            find_slots(&line_slots, Py_TYPE(line), line_field_names, LINE_FIELDS);
            Py_ssize_t at = slot_ssize(line, &line_slots, LINE_NUMBER);
            if (at == -1 && PyErr_Occurred())
                goto error;
            if (at < number)
                lo = mid + 1;
            else
                hi = mid;
        }
        Py_ssize_t start = attr_ssize(r, str_start);
        Py_ssize_t end = start == -1 && PyErr_Occurred() ? -1 : attr_ssize(r, str_end);
        if (end == -1 && PyErr_Occurred())
            goto error;
        PyObject *target = lo < n ? PyList_GET_ITEM(lines, lo) : NULL;
        Py_ssize_t t_number = -1, t_start = 0, t_end = 0;
        PyObject *index = NULL;
        if (target != NULL) {
            find_slots(&line_slots, Py_TYPE(target), line_field_names, LINE_FIELDS);
            if (((t_number = slot_ssize(target, &line_slots, LINE_NUMBER)) == -1 ||
                 (t_start = slot_ssize(target, &line_slots, LINE_START)) == -1 ||
                 (t_end = slot_ssize(target, &line_slots, LINE_END)) == -1) &&
                PyErr_Occurred())
                goto error;
        }
        if (target == NULL || t_number != number) {
            PyErr_Format(PyExc_ValueError, "removal %zd:%zd names line %zd, which is blank",
                         start, end, number + 1);
            goto error;
        }
        if ((index = slot_field(target, &line_slots, LINE_INDEX)) == NULL)
            goto error;
        PyObject *replacement = PyObject_GetAttr(r, str_replacement);
        if (replacement == NULL) {
            Py_DECREF(index);
            goto error;
        }
        int failed;
        if (replacement == Py_None && start <= t_start && end >= t_end)
            failed = PySet_Add(whole, index) < 0;
        else {
            PyObject *cut = PyDict_GetItemWithError(cuts, index);
            if (cut == NULL && !PyErr_Occurred()) {
                cut = PyList_New(0);
                failed = cut == NULL || PyDict_SetItem(cuts, index, cut) < 0;
                Py_XDECREF(cut); /* (the dict holds it) */
            }
            else
                failed = cut == NULL;
            failed = failed || PyList_Append(cut, r) < 0;
        }
        Py_DECREF(replacement);
        Py_DECREF(index);
        if (failed)
            goto error;
    }
    return Py_BuildValue("(NN)", whole, cuts);
error:
    Py_XDECREF(whole);
    Py_XDECREF(cuts);
    return NULL;
}

PyMethodDef cleaner_segment_methods[] = {
    {"split_lines", (PyCFunction)(void (*)(void))split_lines_native, METH_FASTCALL, split_lines_doc},
    {"assemble_lines", (PyCFunction)(void (*)(void))assemble_lines, METH_FASTCALL, assemble_lines_doc},
    {"split_sentences", (PyCFunction)(void (*)(void))split_sentences_native, METH_FASTCALL, split_sentences_doc},
    {"group_lines", (PyCFunction)(void (*)(void))group_lines, METH_FASTCALL, group_lines_doc},
    {"standing_lines", (PyCFunction)(void (*)(void))standing_lines, METH_FASTCALL, standing_lines_doc},
    {NULL, NULL, 0, NULL},
};
