/* Folded words and keys of a line, and scripts written without spaces (cleaner.normalize). */
#include "common.h"

/* ------------------------------------------------------------------ fold_parts */


/* A word just copied to the end of a key being made (``len`` code points, up to ``end`` in
 * ``scratch``, the largest ``max``): its str appended to ``words`` (NULL: none made), and
 * counted, in ``*digits`` too when it starts with a decimal digit. 0, or -1 with an
 * exception set. */
static inline int
add_word(const Py_UCS4 *end, Py_ssize_t len, Py_UCS4 max, PyObject *words, Py_ssize_t *count,
         Py_ssize_t *digits)
{
    if (words != NULL) {
        PyObject *word = ucs4_str_max(end - len, len, max);
        if (word == NULL)
            return -1;
        int failed = PyList_Append(words, word);
        Py_DECREF(word);
        if (failed < 0)
            return -1;
    }
    (*count)++;
    Py_UCS4 first = end[-len];
    if (first < 128 ? first - '0' <= 9u : Py_UNICODE_ISDECIMAL(first))
        (*digits)++;
    return 0;
}

/* The words of folded[start:end] (split at whitespace, as str.split()) appended to
 * ``words`` (NULL: no str made for them); their key (words joined by one space) made from
 * ``scratch``. Returns the key, or NULL with an exception set; ``*count`` is the number of
 * words and ``*digits`` of those that start with a decimal digit. */
static PyObject *
split_folded(const Py_UCS4 *folded, Py_ssize_t start, Py_ssize_t end, PyObject *words,
             Py_UCS4 *scratch, Py_ssize_t *count, Py_ssize_t *digits)
{
    Py_ssize_t pos = start, w = 0;
    Py_UCS4 key_max = 0;
    *digits = *count = 0;
    while (pos < end) {
        /* (is_space: Py_UNICODE_ISSPACE by a table; a word's characters copied to the key
         * as they are met) */
        while (pos < end && is_space(folded[pos]))
            pos++;
        if (pos == end)
            break;
        Py_ssize_t word_start = pos;
        Py_UCS4 max = 0;
        if (w)
            scratch[w++] = ' ';
        while (pos < end && !is_space(folded[pos])) {
            Py_UCS4 c = folded[pos++];
            max = c > max ? c : max;
            scratch[w++] = c;
        }
        if (add_word(scratch + w, pos - word_start, max, words, count, digits) < 0)
            return NULL;
        key_max = max > key_max ? max : key_max;
    }
    return ucs4_str_max(scratch, w, w ? (key_max > ' ' ? key_max : ' ') : 0);
}

/* split_folded for a line folded with normalize.unspaced_fold_table (codes that may carry
 * UNSPACED_FLAG), as normalize.words splits text holding an unspaced script (see
 * next_unspaced_word). */
static PyObject *
split_unspaced(const Py_UCS4 *folded, Py_ssize_t start, Py_ssize_t end, PyObject *words,
               Py_UCS4 *scratch, Py_ssize_t *count, Py_ssize_t *digits)
{
    Py_ssize_t pos = start, w = 0, from, to;
    Py_UCS4 key_max = 0;
    *digits = *count = 0;
    while (next_unspaced_word(folded, &pos, end, &from, &to)) {
        if (w)
            scratch[w++] = ' ';
        Py_UCS4 max = 0;
        for (Py_ssize_t k = from; k < to; k++) {
            Py_UCS4 c = folded[k] & ~UNSPACED_FLAG;
            max = c > max ? c : max;
            scratch[w++] = c;
        }
        if (add_word(scratch + w, to - from, max, words, count, digits) < 0)
            return NULL;
        key_max = max > key_max ? max : key_max;
    }
    return ucs4_str_max(scratch, w, w ? (key_max > ' ' ? key_max : ' ') : 0);
}

PyDoc_STRVAR(fold_parts_doc,
"fold_parts(text, spans, table, unspaced=False, /) -> tuple | None\n"
"\n"
"The words of a line folded in place, whole and per sentence: ``(sentence_words,\n"
"sentence_keys, sentence_digits, words, key, digits)``, where a key is the words joined by\n"
"one space and ``digits`` counts the words that start with a decimal digit. ``spans`` are\n"
"the sentences' ``(start, end)`` offsets; ``table`` maps each code point below U+10000 to\n"
"its folded form (casefold, then the fold table), or 0xFFFFFFFF for one that cannot fold\n"
"in place. ``None`` when the line holds such a character, an ``&`` or a character past\n"
"U+FFFF: the caller then folds it the careful way. With one span, ``sentence_words`` is\n"
"``[words]``.\n"
"\n"
"With ``unspaced``, ``table`` is ``normalize.unspaced_fold_table()`` and the words are\n"
"``normalize.words`` of each sentence and of the whole line: a character of a script\n"
"written without spaces is a word of its own.");

/* What folding a line gives: its words and key, and each sentence's (new references). */
typedef struct {
    PyObject *sentence_words, *sentence_keys, *words, *key; /* (no words: NULL) */
    Py_ssize_t *sdigits, *scount, *starts, *ends;           /* per span (PyMem) */
    Py_ssize_t n_spans, digits, count;
} Folded;

static void
folded_clear(Folded *f)
{
    Py_CLEAR(f->sentence_words);
    Py_CLEAR(f->sentence_keys);
    Py_CLEAR(f->words);
    Py_CLEAR(f->key);
    PyMem_Free(f->sdigits);
    PyMem_Free(f->scount);
    PyMem_Free(f->starts);
    PyMem_Free(f->ends);
    f->sdigits = f->scount = f->starts = f->ends = NULL;
}

/* Sentence ``i`` of ``f`` split (split_unspaced or split_folded): its key, count and
 * digits stored, and its word list when ``want_words`` (``*ws``: that list, borrowed, or
 * NULL). 0, or -1 with an exception set. */
static int
split_sentence(Folded *f, Py_ssize_t i, const Py_UCS4 *folded, Py_UCS4 *scratch, int want_words,
               int unspaced, PyObject **ws)
{
    *ws = NULL;
    if (want_words) {
        if ((*ws = PyList_New(0)) == NULL)
            return -1;
        PyList_SET_ITEM(f->sentence_words, i, *ws);
    }
    PyObject *skey = (unspaced ? split_unspaced : split_folded)(
        folded, f->starts[i], f->ends[i], *ws, scratch, &f->scount[i], &f->sdigits[i]);
    if (skey == NULL)
        return -1;
    PyList_SET_ITEM(f->sentence_keys, i, skey);
    return 0;
}

/* Whether an HTML entity that ``normalize.fold`` unescapes starts at the ``&`` at ``k``: what
 * its ``_ENTITY_RE``, ``&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);``, matches there (``\d`` and
 * ``\w`` as ``re`` has them for str). A ``&`` that starts none ("Q&A", "R & D") is text
 * like any other: fold leaves the line as it is. */
int
starts_entity(int kind, const void *data, Py_ssize_t k, Py_ssize_t len)
{
    Py_ssize_t j = k + 1;
    if (j >= len)
        return 0;
    Py_UCS4 ch = PyUnicode_READ(kind, data, j);
    if (ch == '#') {
        j++;
        Py_ssize_t first = j;
        if (j < len && PyUnicode_READ(kind, data, j) == 'x') {
            /* #x and hex digits; else "x" is no digit, and #\d+ cannot match either */
            first = ++j;
            while (j < len && Py_ISXDIGIT(PyUnicode_READ(kind, data, j)))
                j++;
        }
        else {
            while (j < len && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, j)))
                j++;
        }
        return j > first && j < len && PyUnicode_READ(kind, data, j) == ';';
    }
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
        return 0;
    j++;
    while (j < len) {
        ch = PyUnicode_READ(kind, data, j);
        if (!(Py_UNICODE_ISALNUM(ch) || ch == '_'))
            break;
        j++;
    }
    return j < len && PyUnicode_READ(kind, data, j) == ';';
}

/* Fold ``text`` in place and split it, whole and per span (``who`` names the caller in
 * errors), with a str per word when ``want_words`` (else the keys and counts only): 1 with
 * ``*f`` filled, 0 when the line must be folded the careful way (nothing to clear), -1
 * with an exception set. */
static int
fold_line(const char *who, PyObject *text, PyObject *spans_arg, const uint32_t *table, Folded *f,
          int want_words, int unspaced)
{
    memset(f, 0, sizeof(*f));
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    /* the folded line, then room for a sentence's key (at most as long as the sentence),
     * then for the line's (a space between two words can stand where the line has none,
     * at a sentence end: at most one per sentence) */
    Py_UCS4 *folded = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(4 * len + 3));
    if (folded == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_UCS4 *scratch = folded + len;
    /* (a flagged code only in a line split as unspaced: any other way, the careful way) */
    if (!fold_codes(kind, data, len, table, unspaced ? FOLD_CARE : UNSPACED_FLAG, folded)) {
        PyMem_Free(folded);
        return 0; /* the careful way */
    }
    PyObject *spans = PySequence_Fast(spans_arg, "spans must be a sequence");
    if (spans == NULL) {
        PyMem_Free(folded);
        return -1;
    }
    Py_ssize_t n_spans = PySequence_Fast_GET_SIZE(spans);
    PyObject **items = PySequence_Fast_ITEMS(spans);
    f->n_spans = n_spans;
    f->sdigits = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_spans + 1));
    f->scount = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_spans + 1));
    f->starts = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_spans + 1));
    f->ends = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_spans + 1));
    if (want_words) {
        f->words = PyList_New(0);
        f->sentence_words = PyList_New(n_spans);
    }
    f->sentence_keys = PyList_New(n_spans);
    if (f->sdigits == NULL || f->scount == NULL || f->starts == NULL || f->ends == NULL ||
        (want_words && (f->words == NULL || f->sentence_words == NULL)) ||
        f->sentence_keys == NULL) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto error;
    }
    for (Py_ssize_t i = 0; i < n_spans; i++) {
        PyObject *span = items[i];
        Py_ssize_t s = -1, e = -1;
        if (PyTuple_Check(span) && PyTuple_GET_SIZE(span) == 2) {
            s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            e = s == -1 && PyErr_Occurred() ? -1 : PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if (e == -1 && PyErr_Occurred())
                goto error;
        }
        else {
            PyErr_Format(PyExc_TypeError, "%s: a span must be (start, end)", who);
            goto error;
        }
        if (s < 0 || e > len || s > e) {
            PyErr_Format(PyExc_ValueError, "%s: span %zd (%zd, %zd) is outside the text", who,
                         i, s, e);
            goto error;
        }
        f->starts[i] = s;
        f->ends[i] = e;
    }
    if (unspaced) {
        /* each sentence split on its own, and the whole line too (as words() has them:
         * a sentence's end need not part words the way a space does) */
        PyObject *ws;
        for (Py_ssize_t i = 0; i < n_spans; i++) {
            if (split_sentence(f, i, folded, scratch, want_words, 1, &ws) < 0)
                goto error;
        }
        f->key = split_unspaced(folded, 0, len, f->words, scratch, &f->count, &f->digits);
        if (f->key == NULL)
            goto error;
    }
    else if (n_spans <= 1) {
        /* one sentence (or none): the line's words are split from the whole line */
        f->key = split_folded(folded, 0, len, f->words, scratch, &f->count, &f->digits);
        if (f->key == NULL)
            goto error;
        if (n_spans == 1) {
            if (want_words) {
                Py_INCREF(f->words);
                PyList_SET_ITEM(f->sentence_words, 0, f->words);
            }
            Py_INCREF(f->key);
            PyList_SET_ITEM(f->sentence_keys, 0, f->key);
            f->sdigits[0] = f->digits;
            f->scount[0] = f->count;
        }
    }
    else {
        /* several sentences: the line's words are theirs, end to end (shared objects, as
         * the Python twin has them), and its key their keys, each but an empty one
         * followed by a space but the last (a space ends no word and starts none) */
        Py_ssize_t w = 0;
        Py_UCS4 max = 0;
        Py_UCS4 *line_key = scratch + len + 1; /* (after the room a sentence key takes) */
        for (Py_ssize_t i = 0; i < n_spans; i++) {
            PyObject *ws;
            if (split_sentence(f, i, folded, scratch, want_words, 0, &ws) < 0)
                goto error;
            PyObject *skey = PyList_GET_ITEM(f->sentence_keys, i);
            f->digits += f->sdigits[i];
            f->count += f->scount[i];
            if (want_words) {
                Py_ssize_t size = PyList_GET_SIZE(f->words);
                if (PyList_SetSlice(f->words, size, size, ws) < 0)
                    goto error;
            }
            if (PyUnicode_GET_LENGTH(skey)) {
                if (w)
                    line_key[w++] = ' ';
                w += copy_code_points(line_key + w, skey, &max);
            }
        }
        f->key = ucs4_str_max(line_key, w, w ? (max > ' ' ? max : ' ') : 0);
        if (f->key == NULL)
            goto error;
    }
    PyMem_Free(folded);
    Py_DECREF(spans);
    return 1;
error:
    PyMem_Free(folded);
    Py_DECREF(spans);
    folded_clear(f);
    return -1;
}

static PyObject *
fold_parts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 && nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "fold_parts() takes 3 or 4 arguments");
        return NULL;
    }
    int unspaced = nargs == 4 ? PyObject_IsTrue(args[3]) : 0;
    if (unspaced < 0)
        return NULL;
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "fold_parts: text must be str, not %.100s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_buffer view;
    if (table_buffer(args[2], &view, sizeof(uint32_t), "fold_parts: table",
                     "unsigned 32-bit codes") < 0)
        return NULL;
    Folded f;
    int got = fold_line("fold_parts", text, args[1], (const uint32_t *)view.buf, &f, 1, unspaced);
    PyBuffer_Release(&view);
    if (got <= 0)
        return got < 0 ? NULL : Py_NewRef(Py_None);
    PyObject *out = NULL, *digits = PyList_New(f.n_spans);
    if (digits != NULL) {
        for (Py_ssize_t i = 0; i < f.n_spans; i++) {
            PyObject *count = PyLong_FromSsize_t(f.sdigits[i]);
            if (count == NULL) {
                Py_CLEAR(digits);
                break;
            }
            PyList_SET_ITEM(digits, i, count);
        }
    }
    if (digits != NULL)
        out = Py_BuildValue("(OOOOOn)", f.sentence_words, f.sentence_keys, digits, f.words,
                            f.key, f.digits);
    Py_XDECREF(digits);
    folded_clear(&f);
    return out;
}

/* ------------------------------------------------------------------ line_parts */

static inline int
in_str(PyObject *set, Py_UCS4 ch)
{
    return PyUnicode_FindChar(set, ch, 0, PyUnicode_GET_LENGTH(set), 1) >= 0;
}

/* dedup._ends_with_stop(text[s:e]): the last character once whitespace and then
 * ``closers`` are stripped from the end is one of ``stops``. */
int
ends_with_stop(int kind, const void *data, Py_ssize_t s, Py_ssize_t e, PyObject *stops,
               PyObject *closers)
{
    while (e > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1)))
        e--;
    while (e > s && in_str(closers, PyUnicode_READ(kind, data, e - 1)))
        e--;
    return e > s && in_str(stops, PyUnicode_READ(kind, data, e - 1));
}

PyDoc_STRVAR(line_parts_doc,
"line_parts(text, spans, table, frame, min_words, min_chars, max_numeric, long_words,\n"
"           stops, closers, questions, keep_words=True, unspaced=False, /) -> tuple | None\n"
"\n"
"cleaner.dedup._line_parts for a line that folds in place (None otherwise, as fold_parts):\n"
"``(spans (the argument itself), sentence_keys, sentence_sizes, size, sentence_ok, key, frame, questions, prose,\n"
"fits, words, sentence_words)``, the first ten the fields of _LineParts. A sentence is ok\n"
"when the line is no ``frame``, it is not the last or ends with one of ``stops`` (once\n"
"whitespace and ``closers`` are stripped), it has ``min_words`` words and a key of\n"
"``min_chars`` characters, and at most ``max_numeric`` of its words start with a digit; the\n"
"line ``fits`` by the same counts; it is ``questions`` when it has fewer than\n"
"2 x ``long_words`` words and every sentence ends with one of ``questions``, and ``prose``\n"
"when it has several sentences, ``long_words`` words or more, or ends with a stop. Without\n"
"``keep_words``, ``words`` and ``sentence_words`` are None (no str is made per word).\n"
"``unspaced``: the words as fold_parts splits them with it (a line of a script written\n"
"without spaces, folded with normalize.unspaced_fold_table()).");

PyObject *
line_parts_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 11 || nargs > 13) {
        PyErr_SetString(PyExc_TypeError, "line_parts() takes 11 to 13 arguments");
        return NULL;
    }
    int keep_words = nargs >= 12 ? PyObject_IsTrue(args[11]) : 1;
    int unspaced = nargs == 13 ? PyObject_IsTrue(args[12]) : 0;
    if (keep_words < 0 || unspaced < 0)
        return NULL;
    PyObject *text = args[0], *stops = args[8], *closers = args[9], *marks = args[10];
    if (!PyUnicode_Check(text) || !PyUnicode_Check(stops) || !PyUnicode_Check(closers) ||
        !PyUnicode_Check(marks)) {
        PyErr_SetString(PyExc_TypeError, "line_parts: text, stops, closers and questions must be str");
        return NULL;
    }
    int frame = PyObject_IsTrue(args[3]);
    Py_ssize_t min_words = PyLong_AsSsize_t(args[4]);
    Py_ssize_t min_chars = PyLong_AsSsize_t(args[5]);
    double max_numeric = PyFloat_AsDouble(args[6]);
    Py_ssize_t long_words = PyLong_AsSsize_t(args[7]);
    if (frame < 0 || PyErr_Occurred())
        return NULL;
    Py_buffer view;
    if (table_buffer(args[2], &view, sizeof(uint32_t), "line_parts: table",
                     "unsigned 32-bit codes") < 0)
        return NULL;
    Folded f;
    int got = fold_line("line_parts", text, args[1], (const uint32_t *)view.buf, &f, keep_words,
                        unspaced);
    PyBuffer_Release(&view);
    if (got <= 0)
        return got < 0 ? NULL : Py_NewRef(Py_None);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = f.count, last = f.n_spans - 1;
    PyObject *out = NULL, *sizes = PyList_New(f.n_spans), *oks = PyList_New(f.n_spans);
    if (sizes == NULL || oks == NULL)
        goto done;
    int questions = n < 2 * long_words;
    for (Py_ssize_t i = 0; i < f.n_spans; i++) {
        Py_ssize_t size = f.scount[i];
        PyObject *count = PyLong_FromSsize_t(size);
        if (count == NULL)
            goto done;
        PyList_SET_ITEM(sizes, i, count);
        /* (the share as Python computes it: a float division) */
        double share = size ? (double)f.sdigits[i] / (double)size : 0.0;
        int ok = !frame &&
                 (i < last || ends_with_stop(kind, data, f.starts[i], f.ends[i], stops, closers)) &&
                 size >= min_words &&
                 PyUnicode_GET_LENGTH(PyList_GET_ITEM(f.sentence_keys, i)) >= min_chars &&
                 share <= max_numeric;
        PyList_SET_ITEM(oks, i, Py_NewRef(ok ? Py_True : Py_False));
        /* (text[e - 1], as Python indexes it: the last character for an empty first span) */
        Py_ssize_t at = f.ends[i] >= 1 ? f.ends[i] - 1 : PyUnicode_GET_LENGTH(text) - 1;
        if (questions && !(at >= 0 && in_str(marks, PyUnicode_READ(kind, data, at))))
            questions = 0;
    }
    int prose = f.n_spans > 1 || n >= long_words ||
                ends_with_stop(kind, data, 0, PyUnicode_GET_LENGTH(text), stops, closers);
    double share = n ? (double)f.digits / (double)n : 0.0;
    int fits = n >= min_words && PyUnicode_GET_LENGTH(f.key) >= min_chars && share <= max_numeric;
    out = Py_BuildValue("(OOOnOOOOOOOO)", args[1], f.sentence_keys, sizes, n, oks, f.key,
                        frame ? Py_True : Py_False, questions ? Py_True : Py_False,
                        prose ? Py_True : Py_False, fits ? Py_True : Py_False,
                        keep_words ? f.words : Py_None, keep_words ? f.sentence_words : Py_None);
done:
    Py_XDECREF(sizes);
    Py_XDECREF(oks);
    folded_clear(&f);
    return out;
}

/* ------------------------------------------------------------------ has_unspaced */

PyDoc_STRVAR(has_unspaced_doc,
"has_unspaced(text, table, /) -> bool\n"
"\n"
"Whether ``text`` holds a code point flagged in ``table`` (65,536 bytes, one per code point\n"
"below U+10000; none past it is flagged).");

/* A flags table's summary, for a quick first test of a block of characters: the lowest
 * flagged code point and the two longest runs of unflagged code points above it (each
 * [from, from + len)); a code point below ``low`` or in a gap is flagged in no case. */
typedef struct {
    PyObject *table; /* (held: no other object can take its address while it is kept) */
    uint16_t low, gap_from[2], gap_len[2];
} FlagSummary;

static FlagSummary flag_summary; /* (the last table summed up: the one cleaner passes) */

/* The summary of the 65,536 ``flags`` of ``table``, made once per table object. */
static const FlagSummary *
summarize_flags(PyObject *table, const uint8_t *flags)
{
    if (flag_summary.table == table)
        return &flag_summary;
    FlagSummary sum = {NULL, 0xFFFF, {0, 0}, {0, 0}};
    Py_ssize_t cp = 0;
    while (cp < FOLD_TABLE_SIZE && !flags[cp])
        cp++;
    if (cp == FOLD_TABLE_SIZE) /* (none flagged: all one gap above U+FFFF) */
        cp = 0xFFFF;
    sum.low = (uint16_t)cp;
    while (cp < FOLD_TABLE_SIZE) {
        while (cp < FOLD_TABLE_SIZE && flags[cp])
            cp++;
        Py_ssize_t from = cp;
        while (cp < FOLD_TABLE_SIZE && !flags[cp])
            cp++;
        /* (a gap runs to cp; the top one stops at U+FFFE: lengths fit 16 bits) */
        Py_ssize_t len = (cp < FOLD_TABLE_SIZE ? cp : 0xFFFF) - from;
        if (len <= 0)
            continue;
        int slot = len > sum.gap_len[0] ? 0 : len > sum.gap_len[1] ? 1 : -1;
        if (slot == 0) {
            sum.gap_from[1] = sum.gap_from[0];
            sum.gap_len[1] = sum.gap_len[0];
        }
        if (slot >= 0) {
            sum.gap_from[slot] = (uint16_t)from;
            sum.gap_len[slot] = (uint16_t)len;
        }
    }
    sum.table = Py_NewRef(table);
    Py_XDECREF(flag_summary.table);
    flag_summary = sum;
    return &flag_summary;
}

/* Whether some of the 64 code points at ``c`` is not below ``low`` nor in either gap (a
 * loop without a table: no load waits for another). */
static inline int
block_may_hold(const Py_UCS2 *c, uint16_t low, uint16_t from0, uint16_t len0, uint16_t from1,
               uint16_t len1)
{
    int maybe = 0;
    for (int j = 0; j < 64; j++) {
        uint16_t x = c[j];
        maybe |= (x >= low) & ((uint16_t)(x - from0) >= len0) & ((uint16_t)(x - from1) >= len1);
    }
    return maybe;
}

PyObject *
has_unspaced_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "has_unspaced(text: str, table: bytes)");
        return NULL;
    }
    PyObject *text = args[0];
    if (PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND)
        Py_RETURN_FALSE; /* (every flagged code point is above U+0E00) */
    Py_buffer view;
    if (table_buffer(args[1], &view, 1, "has_unspaced: table", "bytes") < 0)
        return NULL;
    const uint8_t *flags = view.buf;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int found = 0;
    if (PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND) {
        /* In blocks of 64: a first test that the compiler can run on many characters at a
         * time (below the lowest flagged code point, or in one of the two longest gaps:
         * typographic punctuation, and Hangul, hold none), then the table for a block that
         * fails it. */
        const FlagSummary *sum = summarize_flags(args[1], flags);
        const uint16_t low = sum->low, from0 = sum->gap_from[0], len0 = sum->gap_len[0],
                       from1 = sum->gap_from[1], len1 = sum->gap_len[1];
        const Py_UCS2 *c = PyUnicode_2BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len && !found; k += 64) {
            Py_ssize_t end = k + 64 < len ? k + 64 : len;
            int maybe = 1;
            if (end - k == 64)
                maybe = block_may_hold(c + k, low, from0, len0, from1, len1);
            if (!maybe)
                continue;
            uint8_t any = 0;
            for (Py_ssize_t j = k; j < end; j++)
                any |= flags[c[j]];
            found = any != 0;
        }
    }
    else {
        const Py_UCS4 *c = PyUnicode_4BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len && !found; k++)
            found = c[k] < FOLD_TABLE_SIZE && flags[c[k]];
    }
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

PyMethodDef cleaner_fold_methods[] = {
    {"fold_parts", (PyCFunction)(void (*)(void))fold_parts, METH_FASTCALL, fold_parts_doc},
    {"line_parts", (PyCFunction)(void (*)(void))line_parts_native, METH_FASTCALL, line_parts_doc},
    {"has_unspaced", (PyCFunction)(void (*)(void))has_unspaced_native, METH_FASTCALL, has_unspaced_doc},
    {NULL, NULL, 0, NULL},
};
