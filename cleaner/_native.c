/* cleaner._native: the few per-document loops that cost most in Python, in C.
 *
 * Every function here has a pure-Python twin in the module that uses it, which stays the
 * reference: the package works without this module (a compiler-less install), and the
 * tests check that both give the same answers (tests/test_native.py).
 *
 * Plain CPython C API, no other dependency.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_CARE 0xFFFFFFFFu /* a character a table leaves to Python */
#define FOLD_TABLE_SIZE 0x10000  /* tables cover the code points below U+10000 */

#ifndef CLEANER_NATIVE_SOURCE_SHA256
#define CLEANER_NATIVE_SOURCE_SHA256 "unknown"
#endif

/* ------------------------------------------------------------------ repeated_runs */

static inline uint64_t
mix64(uint64_t x)
{
    /* splitmix64's finaliser: spreads a word hash over all 64 bits */
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

/* Appends to ``result`` the lines (0 .. n_lines-1) holding at least ``min_runs`` of the
 * ``m`` runs ``grams`` (``gram_line[r]``: the line of run r) whose value stands twice or
 * more among all of them. Returns 0, or -1 with an exception set. */
static int
append_repeated(PyObject *result, const uint64_t *grams, const Py_ssize_t *gram_line,
                Py_ssize_t m, Py_ssize_t n_lines, Py_ssize_t min_runs)
{
    int status = -1;
    size_t cap = 16;
    while (cap < (size_t)m * 2)
        cap <<= 1;
    uint64_t *keys = PyMem_Malloc(sizeof(uint64_t) * cap);
    uint32_t *counts = PyMem_Calloc(cap, sizeof(uint32_t));
    uint8_t *used = PyMem_Calloc(cap, 1);
    Py_ssize_t *per_line = PyMem_Calloc((size_t)(n_lines ? n_lines : 1), sizeof(Py_ssize_t));
    if (keys == NULL || counts == NULL || used == NULL || per_line == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* how often each run stands: open addressing in a table at least twice as large */
    for (Py_ssize_t r = 0; r < m; r++) {
        size_t s = (size_t)grams[r] & (cap - 1);
        while (used[s] && keys[s] != grams[r])
            s = (s + 1) & (cap - 1);
        if (!used[s]) {
            used[s] = 1;
            keys[s] = grams[r];
        }
        counts[s]++;
    }
    for (Py_ssize_t r = 0; r < m; r++) {
        size_t s = (size_t)grams[r] & (cap - 1);
        while (keys[s] != grams[r])
            s = (s + 1) & (cap - 1);
        if (counts[s] >= 2)
            per_line[gram_line[r]]++;
    }
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        if (per_line[i] >= min_runs) {
            PyObject *v = PyLong_FromSsize_t(i);
            if (v == NULL || PyList_Append(result, v) < 0) {
                Py_XDECREF(v);
                goto done;
            }
            Py_DECREF(v);
        }
    }
    status = 0;
done:
    PyMem_Free(keys);
    PyMem_Free(counts);
    PyMem_Free(used);
    PyMem_Free(per_line);
    return status;
}

/* The runs of ``n`` words of one line, from its word hashes. */
static inline Py_ssize_t
add_runs(const uint64_t *word_hash, Py_ssize_t len, Py_ssize_t n, Py_ssize_t line,
         uint64_t *grams, Py_ssize_t *gram_line, Py_ssize_t m)
{
    for (Py_ssize_t k = 0; k + n <= len; k++) {
        /* the words' hashes, in order, then one mix (word hashes are mixed already) */
        uint64_t g = 0x9E3779B97F4A7C15ULL;
        for (Py_ssize_t j = 0; j < n; j++)
            g = (g ^ word_hash[k + j]) * 0x100000001B3ULL + (uint64_t)j;
        grams[m] = mix64(g);
        gram_line[m] = line;
        m++;
    }
    return m;
}

/* The (n, min_runs) arguments of repeated_runs and rough_scan, checked; 0 or -1. */
static int
parse_runs(const char *name, PyObject *const *args, Py_ssize_t nargs, Py_ssize_t expected,
           Py_ssize_t *n, Py_ssize_t *min_runs)
{
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments", name, expected);
        return -1;
    }
    *n = PyLong_AsSsize_t(args[1]);
    if (*n == -1 && PyErr_Occurred())
        return -1;
    *min_runs = PyLong_AsSsize_t(args[2]);
    if (*min_runs == -1 && PyErr_Occurred())
        return -1;
    if (*n < 1) {
        PyErr_Format(PyExc_ValueError, "%s: n must be at least 1", name);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(repeated_runs_doc,
"repeated_runs(line_words, n, min_runs, /) -> list[int]\n"
"\n"
"Positions of the lists in ``line_words`` (each a list of str, the words of one line) that\n"
"hold at least ``min_runs`` runs of ``n`` consecutive words (run positions, counted with\n"
"repeats) each of which stands at least twice among all the runs of all the lines. Runs\n"
"never cross from one line into the next. Ascending order.");

static PyObject *
repeated_runs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, min_runs;
    if (parse_runs("repeated_runs", args, nargs, 3, &n, &min_runs) < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(args[0], "repeated_runs: line_words must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n_lines = PySequence_Fast_GET_SIZE(seq);
    PyObject **line_items = PySequence_Fast_ITEMS(seq);

    PyObject *result = NULL;
    uint64_t *word_hash = NULL, *grams = NULL;
    Py_ssize_t *gram_line = NULL;

    /* the runs: how many there are at most */
    Py_ssize_t max_words = 0, total_runs = 0;
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        PyObject *ws = line_items[i];
        if (!PyList_Check(ws)) {
            PyErr_Format(PyExc_TypeError,
                         "repeated_runs: line_words[%zd] must be a list of str, not %.100s", i,
                         Py_TYPE(ws)->tp_name);
            goto done;
        }
        Py_ssize_t len = PyList_GET_SIZE(ws);
        if (len > max_words)
            max_words = len;
        if (len >= n)
            total_runs += len - n + 1;
    }
    result = PyList_New(0);
    if (result == NULL || total_runs == 0)
        goto done;

    word_hash = PyMem_Malloc(sizeof(uint64_t) * (size_t)(max_words ? max_words : 1));
    grams = PyMem_Malloc(sizeof(uint64_t) * (size_t)total_runs);
    gram_line = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)total_runs);
    if (word_hash == NULL || grams == NULL || gram_line == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        PyObject *ws = line_items[i];
        Py_ssize_t len = PyList_GET_SIZE(ws);
        if (len < n)
            continue;
        for (Py_ssize_t k = 0; k < len; k++) {
            PyObject *w = PyList_GET_ITEM(ws, k);
            if (!PyUnicode_Check(w)) {
                PyErr_Format(PyExc_TypeError,
                             "repeated_runs: line_words[%zd][%zd] must be str, not %.100s", i, k,
                             Py_TYPE(w)->tp_name);
                goto error;
            }
            Py_hash_t h = PyObject_Hash(w); /* cached in the str object */
            if (h == -1 && PyErr_Occurred())
                goto error;
            word_hash[k] = mix64((uint64_t)h);
        }
        m = add_runs(word_hash, len, n, i, grams, gram_line, m);
    }

    if (append_repeated(result, grams, gram_line, m, n_lines, min_runs) < 0)
        goto error;
    goto done;

error:
    Py_CLEAR(result);
done:
    PyMem_Free(word_hash);
    PyMem_Free(grams);
    PyMem_Free(gram_line);
    Py_DECREF(seq);
    return result;
}

/* ------------------------------------------------------------------ rough_scan */

static PyObject *str_lower, *str_casefold, *str_start, *str_end, *str_index, *str_text;

PyDoc_STRVAR(rough_scan_doc,
"rough_scan(texts, n, min_runs, lower, /) -> tuple[list[str], list[int], list[int]]\n"
"\n"
"For lines ``texts``: each line's rough key (``\" \".join(text.lower().split())``), its word\n"
"count, and the positions of the lines holding at least ``min_runs`` runs of ``n``\n"
"consecutive words that stand twice or more among all the lines' runs (as\n"
"``repeated_runs`` on the lines' rough words), without making a string per word.\n"
"``lower`` maps each code point below U+10000 to its one-character lowercase, or to\n"
"0xFFFFFFFF where str.lower() must decide (a longer result, or one that depends on the\n"
"neighbours): a line holding such a character is lowered by str.lower() itself.");

static PyObject *
rough_scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, min_runs;
    if (parse_runs("rough_scan", args, nargs, 4, &n, &min_runs) < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(args[0], "rough_scan: texts must be a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n_lines = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);

    PyObject *keys = NULL, *sizes = NULL, *found = NULL, *out = NULL;
    uint64_t *word_hash = NULL, *grams = NULL;
    Py_ssize_t *gram_line = NULL;
    Py_UCS4 *joined = NULL, *low = NULL;
    Py_ssize_t hash_cap = 0, gram_cap = 0, joined_cap = 0, low_cap = 0, m = 0;
    Py_buffer view;
    if (PyObject_GetBuffer(args[3], &view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    if (view.len != (Py_ssize_t)(sizeof(uint32_t) * FOLD_TABLE_SIZE)) {
        PyBuffer_Release(&view);
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "rough_scan: table must hold 65536 unsigned 32-bit codes");
        return NULL;
    }
    const uint32_t *lower_table = (const uint32_t *)view.buf;

    keys = PyList_New(n_lines);
    sizes = PyList_New(n_lines);
    found = PyList_New(0);
    if (keys == NULL || sizes == NULL || found == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        PyObject *text = items[i];
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "rough_scan: texts[%zd] must be str, not %.100s", i,
                         Py_TYPE(text)->tp_name);
            goto error;
        }
        /* lowercase into ``low``: by the table where it has every character (one code
         * point each, no context), else by str.lower() itself */
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        if (len + 1 > low_cap) {
            low_cap = 2 * (len + 1);
            PyMem_Free(low);
            low = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)low_cap);
            if (low == NULL) {
                PyErr_NoMemory();
                goto error;
            }
        }
        int tabled = 1;
        {
            int tkind = PyUnicode_KIND(text);
            const void *tdata = PyUnicode_DATA(text);
            if (tkind == PyUnicode_1BYTE_KIND) {
                const Py_UCS1 *c = tdata;
                for (Py_ssize_t k = 0; k < len; k++)
                    low[k] = lower_table[c[k]];
                for (Py_ssize_t k = 0; k < len && tabled; k++)
                    tabled = low[k] != FOLD_CARE;
            }
            else if (tkind == PyUnicode_2BYTE_KIND) {
                const Py_UCS2 *c = tdata;
                for (Py_ssize_t k = 0; k < len && tabled; k++)
                    tabled = (low[k] = lower_table[c[k]]) != FOLD_CARE;
            }
            else
                tabled = 0;
        }
        if (!tabled) {
            PyObject *lowered = PyObject_CallMethodNoArgs(text, str_lower);
            if (lowered == NULL)
                goto error;
            len = PyUnicode_GET_LENGTH(lowered);
            if (len + 1 > low_cap) {
                low_cap = 2 * (len + 1);
                PyMem_Free(low);
                low = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)low_cap);
                if (low == NULL) {
                    Py_DECREF(lowered);
                    PyErr_NoMemory();
                    goto error;
                }
            }
            if (PyUnicode_AsUCS4(lowered, low, low_cap, 0) == NULL) {
                Py_DECREF(lowered);
                goto error;
            }
            Py_DECREF(lowered);
        }
        /* at most (len + 1) / 2 words */
        if ((len + 1) / 2 + 1 > hash_cap) {
            hash_cap = (len + 1) / 2 + 1;
            PyMem_Free(word_hash);
            word_hash = PyMem_Malloc(sizeof(uint64_t) * (size_t)hash_cap);
            if (word_hash == NULL) {
                PyErr_NoMemory();
                goto error;
            }
        }
        Py_ssize_t words = 0, pos = 0, w = 0;
        if (len > joined_cap) {
            joined_cap = 2 * len;
            PyMem_Free(joined);
            joined = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(joined_cap ? joined_cap : 1));
            if (joined == NULL) {
                PyErr_NoMemory();
                goto error;
            }
        }
        while (pos < len) {
            while (pos < len && Py_UNICODE_ISSPACE(low[pos]))
                pos++;
            if (pos == len)
                break;
            Py_ssize_t start = pos;
            uint64_t h = 0xCBF29CE484222325ULL;
            if (w)
                joined[w++] = ' ';
            while (pos < len && !Py_UNICODE_ISSPACE(low[pos])) {
                h = (h ^ (uint64_t)low[pos]) * 0x100000001B3ULL;
                joined[w++] = low[pos++];
            }
            word_hash[words++] = mix64(h ^ (uint64_t)(pos - start));
        }
        /* (FromKindAndData narrows to the canonical kind: equal strings compare equal) */
        PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, joined, w);
        if (key == NULL)
            goto error;
        PyList_SET_ITEM(keys, i, key);
        PyObject *count = PyLong_FromSsize_t(words);
        if (count == NULL)
            goto error;
        PyList_SET_ITEM(sizes, i, count);
        if (words >= n) {
            if (m + words > gram_cap) {
                Py_ssize_t cap = gram_cap ? gram_cap : 256;
                while (cap < m + words)
                    cap *= 2;
                uint64_t *g = PyMem_Realloc(grams, sizeof(uint64_t) * (size_t)cap);
                if (g == NULL) {
                    PyErr_NoMemory();
                    goto error;
                }
                grams = g;
                Py_ssize_t *gl = PyMem_Realloc(gram_line, sizeof(Py_ssize_t) * (size_t)cap);
                if (gl == NULL) {
                    PyErr_NoMemory();
                    goto error;
                }
                gram_line = gl;
                gram_cap = cap;
            }
            m = add_runs(word_hash, words, n, i, grams, gram_line, m);
        }
    }
    if (m > 0 && append_repeated(found, grams, gram_line, m, n_lines, min_runs) < 0)
        goto error;
    out = PyTuple_Pack(3, keys, sizes, found);
error:
    Py_XDECREF(keys);
    Py_XDECREF(sizes);
    Py_XDECREF(found);
    PyMem_Free(word_hash);
    PyMem_Free(grams);
    PyMem_Free(gram_line);
    PyMem_Free(joined);
    PyMem_Free(low);
    PyBuffer_Release(&view);
    Py_DECREF(seq);
    return out;
}

/* ------------------------------------------------------------------ fold_parts */


/* A str from ``len`` code points (in the canonical, most compact kind). */
static inline PyObject *
ucs4_str(const Py_UCS4 *chars, Py_ssize_t len)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, len);
}

/* The words of folded[start:end] (split at whitespace, as str.split()) appended to
 * ``words``; their key (words joined by one space) made from ``scratch``. Returns the key,
 * or NULL with an exception set; ``*digits`` counts words that start with a decimal digit. */
static PyObject *
split_folded(const Py_UCS4 *folded, Py_ssize_t start, Py_ssize_t end, PyObject *words,
             Py_UCS4 *scratch, Py_ssize_t *digits)
{
    Py_ssize_t pos = start, w = 0;
    *digits = 0;
    while (pos < end) {
        while (pos < end && Py_UNICODE_ISSPACE(folded[pos]))
            pos++;
        if (pos == end)
            break;
        Py_ssize_t word_start = pos;
        while (pos < end && !Py_UNICODE_ISSPACE(folded[pos]))
            pos++;
        PyObject *word = ucs4_str(folded + word_start, pos - word_start);
        if (word == NULL)
            return NULL;
        int failed = PyList_Append(words, word);
        Py_DECREF(word);
        if (failed < 0)
            return NULL;
        if (Py_UNICODE_ISDECIMAL(folded[word_start]))
            (*digits)++;
        if (w)
            scratch[w++] = ' ';
        memcpy(scratch + w, folded + word_start, sizeof(Py_UCS4) * (size_t)(pos - word_start));
        w += pos - word_start;
    }
    return ucs4_str(scratch, w);
}

PyDoc_STRVAR(fold_parts_doc,
"fold_parts(text, spans, table, /) -> tuple | None\n"
"\n"
"The words of a line folded in place, whole and per sentence: ``(sentence_words,\n"
"sentence_keys, sentence_digits, words, key, digits)``, where a key is the words joined by\n"
"one space and ``digits`` counts the words that start with a decimal digit. ``spans`` are\n"
"the sentences' ``(start, end)`` offsets; ``table`` maps each code point below U+10000 to\n"
"its folded form (casefold, then the fold table), or 0xFFFFFFFF for one that cannot fold\n"
"in place. ``None`` when the line holds such a character, an ``&`` or a character past\n"
"U+FFFF: the caller then folds it the careful way. With one span, ``sentence_words`` is\n"
"``[words]``.");

static PyObject *
fold_parts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fold_parts() takes 3 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "fold_parts: text must be str, not %.100s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[2], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (view.len != (Py_ssize_t)(sizeof(uint32_t) * FOLD_TABLE_SIZE)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "fold_parts: table must hold 65536 unsigned 32-bit codes");
        return NULL;
    }
    const uint32_t *table = (const uint32_t *)view.buf;
    PyObject *spans = PySequence_Fast(args[1], "fold_parts: spans must be a sequence");
    if (spans == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    PyObject *out = NULL, *sentence_words = NULL, *sentence_keys = NULL, *sentence_digits = NULL;
    PyObject *words = NULL, *key = NULL;
    Py_UCS4 *folded = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(2 * len + 1));
    if (folded == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_UCS4 *scratch = folded + len;
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (ch >= FOLD_TABLE_SIZE || ch == '&' || table[ch] == FOLD_CARE) {
            out = Py_None; /* the careful way */
            Py_INCREF(out);
            goto done;
        }
        folded[k] = (Py_UCS4)table[ch];
    }
    Py_ssize_t n_spans = PySequence_Fast_GET_SIZE(spans);
    PyObject **items = PySequence_Fast_ITEMS(spans);
    Py_ssize_t digits = 0;
    words = PyList_New(0);
    if (words == NULL)
        goto done;
    key = split_folded(folded, 0, len, words, scratch, &digits);
    if (key == NULL)
        goto done;
    sentence_words = PyList_New(0);
    sentence_keys = PyList_New(0);
    sentence_digits = PyList_New(0);
    if (sentence_words == NULL || sentence_keys == NULL || sentence_digits == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n_spans; i++) {
        Py_ssize_t s, e;
        if (!PyArg_ParseTuple(items[i], "nn;fold_parts: a span must be (start, end)", &s, &e))
            goto done;
        if (s < 0 || e > len || s > e) {
            PyErr_Format(PyExc_ValueError, "fold_parts: span %zd (%zd, %zd) is outside the text",
                         i, s, e);
            goto done;
        }
        PyObject *ws, *skey;
        Py_ssize_t sdigits;
        if (n_spans == 1) {
            ws = words;
            Py_INCREF(ws);
            skey = key;
            Py_INCREF(skey);
            sdigits = digits;
        }
        else {
            ws = PyList_New(0);
            if (ws == NULL)
                goto done;
            skey = split_folded(folded, s, e, ws, scratch, &sdigits);
            if (skey == NULL) {
                Py_DECREF(ws);
                goto done;
            }
        }
        PyObject *count = PyLong_FromSsize_t(sdigits);
        int failed = count == NULL || PyList_Append(sentence_words, ws) < 0 ||
                     PyList_Append(sentence_keys, skey) < 0 ||
                     PyList_Append(sentence_digits, count) < 0;
        Py_DECREF(ws);
        Py_DECREF(skey);
        Py_XDECREF(count);
        if (failed)
            goto done;
    }
    out = Py_BuildValue("(OOOOOn)", sentence_words, sentence_keys, sentence_digits, words, key,
                        digits);
done:
    Py_XDECREF(sentence_words);
    Py_XDECREF(sentence_keys);
    Py_XDECREF(sentence_digits);
    Py_XDECREF(words);
    Py_XDECREF(key);
    PyMem_Free(folded);
    Py_DECREF(spans);
    PyBuffer_Release(&view);
    return out;
}

/* ------------------------------------------------------------------ scan_rule_lines */

/* One rule dispatch (see cleaner.rules.engine._Dispatch.native_spec). */
typedef struct {
    PyObject *by_key;      /* dict: key -> (idx, free_max, edge_max) */
    PyObject *candidates;  /* callable(key) -> entry, fills by_key */
    PyObject *by_long_key; /* dict: long key -> entry */
    PyObject *narrow;      /* callable(idx, long key) -> entry, fills by_long_key */
    Py_ssize_t max_chars, first_window, last_window;
    PyObject *rule_min, *rule_max, *rule_first, *rule_last, *rule_contains; /* tuples */
} Dispatch;

static int
parse_dispatch(PyObject *spec, Dispatch *d)
{
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 12) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: a dispatch spec is a 12-tuple");
        return -1;
    }
    d->by_key = PyTuple_GET_ITEM(spec, 0);
    d->candidates = PyTuple_GET_ITEM(spec, 1);
    d->by_long_key = PyTuple_GET_ITEM(spec, 2);
    d->narrow = PyTuple_GET_ITEM(spec, 3);
    d->max_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(spec, 4));
    d->first_window = PyLong_AsSsize_t(PyTuple_GET_ITEM(spec, 5));
    d->last_window = PyLong_AsSsize_t(PyTuple_GET_ITEM(spec, 6));
    d->rule_min = PyTuple_GET_ITEM(spec, 7);
    d->rule_max = PyTuple_GET_ITEM(spec, 8);
    d->rule_first = PyTuple_GET_ITEM(spec, 9);
    d->rule_last = PyTuple_GET_ITEM(spec, 10);
    d->rule_contains = PyTuple_GET_ITEM(spec, 11);
    if (PyErr_Occurred())
        return -1;
    if (!PyDict_Check(d->by_key) || !PyDict_Check(d->by_long_key) ||
        !PyTuple_Check(d->rule_min) || !PyTuple_Check(d->rule_max) ||
        !PyTuple_Check(d->rule_first) || !PyTuple_Check(d->rule_last) ||
        !PyTuple_Check(d->rule_contains)) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: malformed dispatch spec");
        return -1;
    }
    return 0;
}

static inline int
in_chars(Py_UCS4 ch, const Py_UCS4 *set, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++)
        if (set[k] == ch)
            return 1;
    return 0;
}

/* text[s : min(e, s + head_len)], bullets and brackets (``lead``) skipped, then
 * ``key_len`` more characters, trailing whitespace stripped: _Dispatch's key. */
static PyObject *
anchored_key(PyObject *text, int kind, const void *data, Py_ssize_t s, Py_ssize_t e,
             Py_ssize_t head_len, Py_ssize_t key_len, const Py_UCS4 *lead, Py_ssize_t n_lead)
{
    Py_ssize_t head_end = e < s + head_len ? e : s + head_len;
    Py_ssize_t skip = s;
    while (skip < head_end && in_chars(PyUnicode_READ(kind, data, skip), lead, n_lead))
        skip++;
    Py_ssize_t key_end = skip + key_len < head_end ? skip + key_len : head_end;
    while (key_end > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, key_end - 1)))
        key_end--;
    return PyUnicode_Substring(text, s, key_end);
}

/* by_key.get(key) or candidates(key); a new reference. */
static PyObject *
lookup(PyObject *dict, PyObject *key, PyObject *fill, PyObject *idx)
{
    PyObject *entry = PyDict_GetItemWithError(dict, key);
    if (entry != NULL) {
        Py_INCREF(entry);
        return entry;
    }
    if (PyErr_Occurred())
        return NULL;
    entry = idx == NULL ? PyObject_CallOneArg(fill, key)
                        : PyObject_CallFunctionObjArgs(fill, idx, key, NULL);
    if (entry != NULL && (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3)) {
        Py_DECREF(entry);
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: a dispatch entry is a 3-tuple");
        return NULL;
    }
    return entry;
}

/* entry[0] is non-empty and its bounds allow this length. */
static int
entry_allows(PyObject *entry, Py_ssize_t length, int edge, int *ok)
{
    PyObject *idx = PyTuple_GET_ITEM(entry, 0);
    if (!PyTuple_Check(idx)) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: entry[0] must be a tuple");
        return -1;
    }
    if (PyTuple_GET_SIZE(idx) == 0) {
        *ok = 0;
        return 0;
    }
    Py_ssize_t free_max = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 1));
    Py_ssize_t edge_max = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 2));
    if (PyErr_Occurred())
        return -1;
    *ok = length <= free_max || (edge && length <= edge_max);
    return 0;
}

/* _Dispatch.select: the candidates ``idx`` whose length, position and ``contains`` limits
 * allow text[s:e] (``piece``, when not NULL) on line ``index`` of ``n``; a new tuple (maybe
 * empty) or NULL. */
static PyObject *
select_rules(const Dispatch *d, PyObject *idx, PyObject *text, PyObject *piece, Py_ssize_t s,
             Py_ssize_t e, Py_ssize_t index, Py_ssize_t n)
{
    Py_ssize_t length = e - s, count = PyTuple_GET_SIZE(idx), kept = 0;
    Py_ssize_t keep[64]; /* positions in idx of the rules kept (the first 64) */
    PyObject *folded = NULL;
    int all = 1;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *item = PyTuple_GET_ITEM(idx, j);
        Py_ssize_t k = PyLong_AsSsize_t(item);
        if (k == -1 && PyErr_Occurred())
            goto error;
        if (k < 0 || k >= PyTuple_GET_SIZE(d->rule_max)) {
            PyErr_SetString(PyExc_IndexError, "scan_rule_lines: rule index out of range");
            goto error;
        }
        Py_ssize_t max_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_max, k));
        Py_ssize_t min_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_min, k));
        Py_ssize_t first = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_first, k));
        Py_ssize_t last = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_last, k));
        if (PyErr_Occurred())
            goto error;
        int ok = length <= max_chars && length >= min_chars;
        if (ok && (first >= 0 || last >= 0))
            ok = (first >= 0 && index < first) || (last >= 0 && index >= n - last);
        PyObject *contains = PyTuple_GET_ITEM(d->rule_contains, k);
        if (!PyTuple_Check(contains)) {
            PyErr_SetString(PyExc_TypeError, "scan_rule_lines: contains must be a tuple");
            goto error;
        }
        Py_ssize_t hints = PyTuple_GET_SIZE(contains);
        if (ok && hints) {
            if (folded == NULL) {
                /* (the casefolded line, or fragment, as _Dispatch.select has it) */
                PyObject *own = piece != NULL ? piece : PyUnicode_Substring(text, s, e);
                if (own == NULL)
                    goto error;
                if (!PyUnicode_Check(own)) {
                    PyErr_SetString(PyExc_TypeError, "scan_rule_lines: line.text must be str");
                    goto error;
                }
                folded = PyObject_CallMethodNoArgs(own, str_casefold);
                if (piece == NULL)
                    Py_DECREF(own);
                if (folded == NULL)
                    goto error;
            }
            int any = 0;
            for (Py_ssize_t h = 0; h < hints && !any; h++) {
                any = PySequence_Contains(folded, PyTuple_GET_ITEM(contains, h));
                if (any < 0)
                    goto error;
            }
            ok = any;
        }
        if (!ok) {
            all = 0;
            continue;
        }
        if (kept == 64) {
            PyErr_SetString(PyExc_ValueError, "scan_rule_lines: more than 64 candidate rules");
            goto error;
        }
        keep[kept++] = j;
    }
    Py_XDECREF(folded);
    if (all) {
        Py_INCREF(idx);
        return idx;
    }
    PyObject *out = PyTuple_New(kept);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t j = 0; j < kept; j++) {
        PyObject *item = PyTuple_GET_ITEM(idx, keep[j]);
        Py_INCREF(item);
        PyTuple_SET_ITEM(out, j, item);
    }
    return out;
error:
    Py_XDECREF(folded);
    return NULL;
}

/* the stdlib pattern [.!?…"”»)\]。！？؟।]["”’»)\]]?[ \t\u00a0]* (rules.model._BOUNDARY_RE) */
static inline int
boundary_first(Py_UCS4 ch)
{
    switch (ch) {
    case '.': case '!': case '?': case 0x2026: case '"': case 0x201D: case 0xBB: case ')':
    case ']': case 0x3002: case 0xFF01: case 0xFF1F: case 0x061F: case 0x0964:
        return 1;
    }
    return 0;
}

static inline int
boundary_closer(Py_UCS4 ch)
{
    switch (ch) {
    case '"': case 0x201D: case 0x2019: case 0xBB: case ')': case ']':
        return 1;
    }
    return 0;
}

static inline int
boundary_space(Py_UCS4 ch)
{
    return ch == ' ' || ch == '\t' || ch == 0xA0;
}

static inline int
cjk_stop(Py_UCS4 ch)
{
    return ch == 0x3002 || ch == 0xFF01 || ch == 0xFF1F;
}

PyDoc_STRVAR(scan_rule_lines_doc,
"scan_rule_lines(text, lines, active, start, trailing, fallbacks, lead, /) -> list\n"
"\n"
"The per-line part of RuleEngine._find: for each line (``Line`` objects; only those whose\n"
"``active`` flag is true, when ``active`` is not None) the rules of the ``start`` dispatch,\n"
"of each ``fallbacks`` dispatch and of the ``trailing`` dispatch (None: none) that its\n"
"dispatch key, length, position and ``contains`` limits leave to try, as\n"
"``(line, start_rules or None, [(fallback, rules), ...] or None, [(pos, rules), ...] or\n"
"None)`` for the lines that have any. A dispatch is its ``native_spec`` tuple; ``lead`` the\n"
"characters skipped before a key.");

static PyObject *
scan_rule_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines() takes 7 arguments");
        return NULL;
    }
    PyObject *text = args[0], *lines_arg = args[1], *active = args[2];
    if (!PyUnicode_Check(text) || !PyUnicode_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: text and lead must be str");
        return NULL;
    }
    Dispatch start, trailing;
    int has_trailing = args[4] != Py_None;
    if (parse_dispatch(args[3], &start) < 0 || (has_trailing && parse_dispatch(args[4], &trailing) < 0))
        return NULL;
    PyObject *fb_seq = PySequence_Fast(args[5], "scan_rule_lines: fallbacks must be a sequence");
    if (fb_seq == NULL)
        return NULL;
    Py_ssize_t n_fb = PySequence_Fast_GET_SIZE(fb_seq);
    Dispatch fallbacks[16];
    if (n_fb > 16) {
        Py_DECREF(fb_seq);
        PyErr_SetString(PyExc_ValueError, "scan_rule_lines: at most 16 fallback dispatches");
        return NULL;
    }
    for (Py_ssize_t f = 0; f < n_fb; f++) {
        if (parse_dispatch(PySequence_Fast_GET_ITEM(fb_seq, f), &fallbacks[f]) < 0) {
            Py_DECREF(fb_seq);
            return NULL;
        }
    }
    Py_UCS4 lead[64];
    Py_ssize_t n_lead = PyUnicode_GET_LENGTH(args[6]);
    if (n_lead > 64) {
        Py_DECREF(fb_seq);
        PyErr_SetString(PyExc_ValueError, "scan_rule_lines: at most 64 lead characters");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n_lead; k++)
        lead[k] = PyUnicode_READ_CHAR(args[6], k);
    PyObject *lines = PySequence_Fast(lines_arg, "scan_rule_lines: lines must be a sequence");
    if (lines == NULL) {
        Py_DECREF(fb_seq);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(lines);
    if (active != Py_None && (!PyList_Check(active) || PyList_GET_SIZE(active) != n)) {
        Py_DECREF(fb_seq);
        Py_DECREF(lines);
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: active must be None or a list of bools, one per line");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t text_len = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    PyObject *start_sel = NULL, *fb_list = NULL, *trail_list = NULL;
    PyObject *key = NULL, *entry = NULL, *line_text = NULL;
    if (out == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (active != Py_None && !PyObject_IsTrue(PyList_GET_ITEM(active, i)))
            continue;
        PyObject *line = PySequence_Fast_GET_ITEM(lines, i);
        PyObject *o = PyObject_GetAttr(line, str_start);
        Py_ssize_t s = o ? PyLong_AsSsize_t(o) : -1;
        Py_XDECREF(o);
        o = PyObject_GetAttr(line, str_end);
        Py_ssize_t e = o ? PyLong_AsSsize_t(o) : -1;
        Py_XDECREF(o);
        o = PyObject_GetAttr(line, str_index);
        Py_ssize_t index = o ? PyLong_AsSsize_t(o) : -1;
        Py_XDECREF(o);
        if (PyErr_Occurred())
            goto error;
        line_text = PyObject_GetAttr(line, str_text);
        if (line_text == NULL)
            goto error;
        if (s < 0 || e > text_len || s > e) {
            PyErr_Format(PyExc_ValueError, "scan_rule_lines: line %zd (%zd, %zd) is outside the text", i, s, e);
            goto error;
        }
        Py_ssize_t length = e - s;
        /* the line-start rules */
        if (length <= start.max_chars) {
            key = anchored_key(text, kind, data, s, e, 24, 3, lead, n_lead);
            if (key == NULL || (entry = lookup(start.by_key, key, start.candidates, NULL)) == NULL)
                goto error;
            Py_CLEAR(key);
            int edge = i < start.first_window || i >= n - start.last_window, ok;
            if (entry_allows(entry, length, edge, &ok) < 0)
                goto error;
            if (ok) {
                key = anchored_key(text, kind, data, s, e, 24, 8, lead, n_lead);
                if (key == NULL)
                    goto error;
                PyObject *narrowed = lookup(start.by_long_key, key, start.narrow,
                                            PyTuple_GET_ITEM(entry, 0));
                Py_CLEAR(key);
                Py_CLEAR(entry);
                if (narrowed == NULL)
                    goto error;
                entry = narrowed;
                if (entry_allows(entry, length, edge, &ok) < 0)
                    goto error;
                if (ok) {
                    start_sel = select_rules(&start, PyTuple_GET_ITEM(entry, 0), text, line_text,
                                             s, e, index, n);
                    if (start_sel == NULL)
                        goto error;
                    if (PyTuple_GET_SIZE(start_sel) == 0)
                        Py_CLEAR(start_sel);
                }
            }
            Py_CLEAR(entry);
        }
        /* the fallback packs (other languages' buttons and widgets) */
        for (Py_ssize_t f = 0; f < n_fb; f++) {
            const Dispatch *d = &fallbacks[f];
            if (length > d->max_chars)
                continue;
            key = anchored_key(text, kind, data, s, e, 16, 3, lead, n_lead);
            if (key == NULL || (entry = lookup(d->by_key, key, d->candidates, NULL)) == NULL)
                goto error;
            Py_CLEAR(key);
            PyObject *sel = select_rules(d, PyTuple_GET_ITEM(entry, 0), text, line_text, s, e,
                                         index, n);
            Py_CLEAR(entry);
            if (sel == NULL)
                goto error;
            if (PyTuple_GET_SIZE(sel)) {
                if (fb_list == NULL && (fb_list = PyList_New(0)) == NULL) {
                    Py_DECREF(sel);
                    goto error;
                }
                PyObject *pair = Py_BuildValue("(nN)", f, sel);
                if (pair == NULL || PyList_Append(fb_list, pair) < 0) {
                    Py_XDECREF(pair);
                    goto error;
                }
                Py_DECREF(pair);
            }
            else
                Py_DECREF(sel);
        }
        /* trailing fragments: sentence starts near the end of the line */
        if (has_trailing && trailing.max_chars && length > 6) {
            Py_ssize_t p = s > e - trailing.max_chars - 4 ? s : e - trailing.max_chars - 4;
            while (p < e) {
                if (!boundary_first(PyUnicode_READ(kind, data, p))) {
                    p++;
                    continue;
                }
                Py_ssize_t b_start = p, q = p + 1;
                if (q < e && boundary_closer(PyUnicode_READ(kind, data, q)))
                    q++;
                while (q < e && boundary_space(PyUnicode_READ(kind, data, q)))
                    q++;
                p = q; /* the next match starts after this one */
                Py_ssize_t pos = q;
                if (pos >= e || e - pos > trailing.max_chars)
                    continue;
                if (!boundary_space(PyUnicode_READ(kind, data, pos - 1)) &&
                    !cjk_stop(PyUnicode_READ(kind, data, b_start)))
                    continue;
                Py_ssize_t key_end = pos + 3 < text_len ? pos + 3 : text_len;
                while (key_end > pos && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, key_end - 1)))
                    key_end--;
                key = PyUnicode_Substring(text, pos, key_end);
                if (key == NULL ||
                    (entry = lookup(trailing.by_key, key, trailing.candidates, NULL)) == NULL)
                    goto error;
                Py_CLEAR(key);
                int ok;
                Py_ssize_t frag = e - pos;
                if (entry_allows(entry, frag, 1, &ok) < 0)
                    goto error;
                if (ok) {
                    PyObject *sel = select_rules(&trailing, PyTuple_GET_ITEM(entry, 0), text, NULL,
                                                 pos, e, index, n);
                    if (sel == NULL)
                        goto error;
                    if (PyTuple_GET_SIZE(sel)) {
                        if (trail_list == NULL && (trail_list = PyList_New(0)) == NULL) {
                            Py_DECREF(sel);
                            goto error;
                        }
                        PyObject *pair = Py_BuildValue("(nN)", pos, sel);
                        if (pair == NULL || PyList_Append(trail_list, pair) < 0) {
                            Py_XDECREF(pair);
                            goto error;
                        }
                        Py_DECREF(pair);
                    }
                    else
                        Py_DECREF(sel);
                }
                Py_CLEAR(entry);
            }
        }
        if (start_sel != NULL || fb_list != NULL || trail_list != NULL) {
            PyObject *row = Py_BuildValue("(nOOO)", i, start_sel ? start_sel : Py_None,
                                          fb_list ? fb_list : Py_None,
                                          trail_list ? trail_list : Py_None);
            if (row == NULL || PyList_Append(out, row) < 0) {
                Py_XDECREF(row);
                goto error;
            }
            Py_DECREF(row);
            Py_CLEAR(start_sel);
            Py_CLEAR(fb_list);
            Py_CLEAR(trail_list);
        }
        Py_CLEAR(line_text);
    }
    Py_DECREF(fb_seq);
    Py_DECREF(lines);
    return out;
error:
    Py_XDECREF(out);
    Py_XDECREF(start_sel);
    Py_XDECREF(fb_list);
    Py_XDECREF(trail_list);
    Py_XDECREF(key);
    Py_XDECREF(entry);
    Py_XDECREF(line_text);
    Py_DECREF(fb_seq);
    Py_DECREF(lines);
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

PyDoc_STRVAR(split_sentences_doc,
"split_sentences(text, start, end, table, is_abbreviation, /) -> list | None\n"
"\n"
"cleaner.segment.split_sentences for text[start:end] without Thai and without characters\n"
"past U+FFFF (``None`` for those: the caller splits them). ``table`` flags each code point\n"
"below U+10000: 1 for the regex module's \\s, 2 for the class that may follow a latin stop;\n"
"``is_abbreviation(text, stop, next_char)`` decides a single period.");

static PyObject *
split_sentences_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "split_sentences() takes 5 arguments");
        return NULL;
    }
    PyObject *text = args[0], *is_abbreviation = args[4];
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
    if (PyObject_GetBuffer(args[3], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (view.len != FOLD_TABLE_SIZE) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "split_sentences: table must hold 65536 bytes");
        return NULL;
    }
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

/* ------------------------------------------------------------------ has_unspaced */

PyDoc_STRVAR(has_unspaced_doc,
"has_unspaced(text, table, /) -> bool\n"
"\n"
"Whether ``text`` holds a code point flagged in ``table`` (65,536 bytes, one per code point\n"
"below U+10000; none past it is flagged).");

static PyObject *
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
    if (PyObject_GetBuffer(args[1], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (view.len != FOLD_TABLE_SIZE) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "has_unspaced: table must hold 65536 bytes");
        return NULL;
    }
    const uint8_t *flags = view.buf;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int found = 0;
    if (PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *c = PyUnicode_2BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len && !found; k++)
            found = flags[c[k]];
    }
    else {
        const Py_UCS4 *c = PyUnicode_4BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len && !found; k++)
            found = c[k] < FOLD_TABLE_SIZE && flags[c[k]];
    }
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

/* ------------------------------------------------------------------ split_lines */

/* Where a slots class keeps its fields (cleaner.segment.Line), found once. */
static PyTypeObject *line_type_seen;
static Py_ssize_t line_offsets[6];
static const char *const line_fields[6] = {"index", "number", "start", "end", "text", "kind"};
static PyObject *str_kind_text, *str_kind_table;

static int
find_line_slots(PyTypeObject *type)
{
    if (type == line_type_seen)
        return 1;
    if (type->tp_members == NULL)
        return 0;
    Py_ssize_t found[6]; /* (only a class with all six object slots replaces the one seen) */
    for (int f = 0; f < 6; f++) {
        found[f] = -1;
        for (PyMemberDef *m = type->tp_members; m->name != NULL; m++) {
            if (strcmp(m->name, line_fields[f]) == 0 && m->type == T_OBJECT_EX &&
                !(m->flags & READONLY))
                found[f] = m->offset;
        }
        if (found[f] < 0)
            return 0;
    }
    memcpy(line_offsets, found, sizeof(found));
    line_type_seen = type;
    return 1;
}

/* A new Line(values...): its slots filled as its __init__ fills them, or its __init__
 * called where the class is not the plain slots class this expects. Steals nothing. */
static PyObject *
new_line(PyTypeObject *type, int direct, PyObject *const values[6])
{
    if (!direct)
        return PyObject_Vectorcall((PyObject *)type, values, 6, NULL);
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj == NULL)
        return NULL;
    for (int f = 0; f < 6; f++) {
        Py_INCREF(values[f]);
        *(PyObject **)((char *)obj + line_offsets[f]) = values[f];
    }
    return obj;
}

PyDoc_STRVAR(split_lines_doc,
"split_lines(text, line_type, line_kind, markers, /) -> list | None\n"
"\n"
"cleaner.segment.split_lines for text without ``\\r`` (``None`` otherwise: the caller splits\n"
"it): the non-blank lines between ``\\n``, stripped, as ``line_type(index, number, start,\n"
"end, text, kind)``. ``line_kind(text)`` is asked for lines that start with one of\n"
"``markers``; the others are \"table\" (two tabs or more) or \"text\".");

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
    int direct = find_line_slots(type);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = 0, number = 0;
    while (pos <= len) {
        Py_ssize_t stop = pos;
        while (stop < len && PyUnicode_READ(kind, data, stop) != '\n')
            stop++;
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
                Py_ssize_t tabs = 0;
                for (Py_ssize_t k = s; k < e && tabs < 2; k++)
                    tabs += PyUnicode_READ(kind, data, k) == '\t';
                line_kind_value = tabs >= 2 ? str_kind_table : str_kind_text;
                Py_INCREF(line_kind_value);
            }
            PyObject *values[6] = {PyLong_FromSsize_t(PyList_GET_SIZE(out)),
                                   PyLong_FromSsize_t(number), PyLong_FromSsize_t(s),
                                   PyLong_FromSsize_t(e), stripped, line_kind_value};
            PyObject *line = NULL;
            if (values[0] && values[1] && values[2] && values[3])
                line = new_line(type, direct, values);
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

/* ------------------------------------------------------------------ minhash_into */

PyDoc_STRVAR(minhash_into_doc,
"minhash_into(out, strings, a, b, /) -> None\n"
"\n"
"cleaner.lsh's MinHash signatures of non-empty ``strings`` (each character one element)\n"
"written into ``out`` (C-contiguous uint32, len(strings) x num_perm): for each permutation\n"
"p, the minimum over the characters c of ((a[p] * (c * 0x9E3779B97F4A7C15) + b[p]) mod 2^64)\n"
">> 32, with ``a`` and ``b`` num_perm uint64 each.");

static PyObject *
minhash_into(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "minhash_into() takes 4 arguments");
        return NULL;
    }
    Py_buffer out, av, bv;
    if (PyObject_GetBuffer(args[0], &out, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    if (PyObject_GetBuffer(args[2], &av, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&out);
        return NULL;
    }
    if (PyObject_GetBuffer(args[3], &bv, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&out);
        PyBuffer_Release(&av);
        return NULL;
    }
    PyObject *result = NULL, *seq = NULL;
    uint64_t *mins = NULL;
    Py_ssize_t num_perm = av.len / (Py_ssize_t)sizeof(uint64_t);
    if (av.len != bv.len || av.len % (Py_ssize_t)sizeof(uint64_t) || num_perm == 0) {
        PyErr_SetString(PyExc_ValueError, "minhash_into: a and b must be num_perm uint64 each");
        goto done;
    }
    seq = PySequence_Fast(args[1], "minhash_into: strings must be a sequence");
    if (seq == NULL)
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (out.len != n * num_perm * (Py_ssize_t)sizeof(uint32_t)) {
        PyErr_SetString(PyExc_ValueError, "minhash_into: out must hold len(strings) x num_perm uint32");
        goto done;
    }
    const uint64_t *a = av.buf, *b = bv.buf;
    uint32_t *dest = out.buf;
    Py_ssize_t xs_cap = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_Format(PyExc_ValueError, "minhash_into: strings[%zd] must be a non-empty str", i);
            goto done;
        }
        int kind = PyUnicode_KIND(s);
        const void *data = PyUnicode_DATA(s);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        if (len > xs_cap) {
            xs_cap = 2 * len;
            PyMem_Free(mins);
            mins = PyMem_Malloc(sizeof(uint64_t) * (size_t)xs_cap);
            if (mins == NULL) {
                PyErr_NoMemory();
                goto done;
            }
        }
        uint64_t *xs = mins; /* the characters' codes, multiplied once */
        for (Py_ssize_t k = 0; k < len; k++)
            xs[k] = (uint64_t)PyUnicode_READ(kind, data, k) * 0x9E3779B97F4A7C15ULL;
        for (Py_ssize_t p = 0; p < num_perm; p++) {
            const uint64_t ap = a[p], bp = b[p];
            uint64_t m = UINT64_MAX;
            for (Py_ssize_t k = 0; k < len; k++) {
                uint64_t h = (ap * xs[k] + bp) >> 32;
                m = h < m ? h : m;
            }
            dest[i * num_perm + p] = (uint32_t)m;
        }
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyMem_Free(mins);
    Py_XDECREF(seq);
    PyBuffer_Release(&out);
    PyBuffer_Release(&av);
    PyBuffer_Release(&bv);
    return result;
}

/* ------------------------------------------------------------------ stopword_scores */

PyDoc_STRVAR(stopword_scores_doc,
"stopword_scores(sample, owner, index, langs, letters, lower, /) -> list[tuple[int, str]]\n"
"\n"
"For each language ``langs[i]``: how many distinct words of ``sample.lower().split()``\n"
"``owner`` (word -> language) gives to it, plus how many of the distinct characters\n"
"``letters[i]`` (its own letters, all past ASCII) the lowered sample holds; ``index`` maps\n"
"a language to i.\n"
"``lower`` is cleaner.normalize.lower_table(). In the order of ``langs``.");

static PyObject *
stopword_scores(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyDict_Check(args[2]) || !PyTuple_Check(args[3]) || !PyTuple_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "stopword_scores(sample: str, owner: dict, index: dict, langs: tuple, "
                        "letters: tuple, lower)");
        return NULL;
    }
    PyObject *sample = args[0], *owner = args[1], *index = args[2];
    PyObject *langs = args[3], *letters = args[4];
    Py_ssize_t n_langs = PyTuple_GET_SIZE(langs);
    if (PyTuple_GET_SIZE(letters) != n_langs || n_langs > 64) {
        PyErr_SetString(PyExc_ValueError, "stopword_scores: one letters string per language (64 at most)");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[5], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (view.len != (Py_ssize_t)(sizeof(uint32_t) * FOLD_TABLE_SIZE)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "stopword_scores: lower must hold 65536 uint32 codes");
        return NULL;
    }
    const uint32_t *lower_table = view.buf;
    PyObject *lowered = NULL, *seen = NULL, *out = NULL;
    Py_ssize_t counts[64] = {0};
    uint64_t found_letters[64] = {0};
    /* lower by the table where it decides every character, else by str.lower() */
    Py_ssize_t len = PyUnicode_GET_LENGTH(sample);
    int skind = PyUnicode_KIND(sample);
    const void *sdata = PyUnicode_DATA(sample);
    int tabled = skind != PyUnicode_4BYTE_KIND;
    for (Py_ssize_t k = 0; k < len && tabled; k++)
        tabled = lower_table[PyUnicode_READ(skind, sdata, k)] != FOLD_CARE;
    if (tabled) {
        Py_UCS4 *buf = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(len ? len : 1));
        if (buf == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < len; k++)
            buf[k] = lower_table[PyUnicode_READ(skind, sdata, k)];
        lowered = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
        PyMem_Free(buf);
    }
    else
        lowered = PyObject_CallMethodNoArgs(sample, str_lower);
    if (lowered == NULL)
        goto done;
    int kind = PyUnicode_KIND(lowered);
    const void *data = PyUnicode_DATA(lowered);
    len = PyUnicode_GET_LENGTH(lowered);
    seen = PySet_New(NULL);
    if (seen == NULL)
        goto done;
    Py_ssize_t pos = 0;
    while (pos < len) {
        while (pos < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos)))
            pos++;
        if (pos == len)
            break;
        Py_ssize_t start = pos;
        while (pos < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos)))
            pos++;
        PyObject *word = PyUnicode_Substring(lowered, start, pos);
        if (word == NULL)
            goto done;
        PyObject *lang = PyDict_GetItemWithError(owner, word);
        if (lang == NULL && PyErr_Occurred()) {
            Py_DECREF(word);
            goto done;
        }
        if (lang != NULL) {
            int fresh = PySet_Contains(seen, word);
            if (fresh == 0)
                fresh = PySet_Add(seen, word) < 0 ? -1 : 1;
            else if (fresh == 1)
                fresh = 0;
            if (fresh < 0) {
                Py_DECREF(word);
                goto done;
            }
            if (fresh) {
                PyObject *at = PyDict_GetItemWithError(index, lang);
                if (at == NULL && PyErr_Occurred()) {
                    Py_DECREF(word);
                    goto done;
                }
                if (at != NULL) {
                    Py_ssize_t i = PyLong_AsSsize_t(at);
                    if (i < 0 || i >= n_langs) {
                        Py_DECREF(word);
                        if (!PyErr_Occurred())
                            PyErr_SetString(PyExc_ValueError, "stopword_scores: bad index");
                        goto done;
                    }
                    counts[i]++;
                }
            }
        }
        Py_DECREF(word);
    }
    /* own letters: the characters past ASCII, looked up in each language's few */
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c < 0x80)
            continue;
        for (Py_ssize_t i = 0; i < n_langs; i++) {
            PyObject *own = PyTuple_GET_ITEM(letters, i);
            if (!PyUnicode_Check(own) || PyUnicode_GET_LENGTH(own) > 64) {
                PyErr_SetString(PyExc_TypeError, "stopword_scores: letters are str of 64 at most");
                goto done;
            }
            Py_ssize_t at = PyUnicode_FindChar(own, c, 0, PyUnicode_GET_LENGTH(own), 1);
            if (at >= 0)
                found_letters[i] |= (uint64_t)1 << at;
        }
    }
    out = PyList_New(n_langs);
    if (out == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n_langs; i++) {
        Py_ssize_t distinct = 0; /* (the letters of a language are distinct) */
        for (uint64_t bits = found_letters[i]; bits; bits &= bits - 1)
            distinct++;
        PyObject *pair = Py_BuildValue("(nO)", counts[i] + distinct, PyTuple_GET_ITEM(langs, i));
        if (pair == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, pair);
    }
done:
    Py_XDECREF(lowered);
    Py_XDECREF(seen);
    PyBuffer_Release(&view);
    return out;
}

/* ------------------------------------------------------------------ module */

static PyMethodDef native_methods[] = {
    {"repeated_runs", (PyCFunction)(void (*)(void))repeated_runs, METH_FASTCALL,
     repeated_runs_doc},
    {"rough_scan", (PyCFunction)(void (*)(void))rough_scan, METH_FASTCALL, rough_scan_doc},
    {"fold_parts", (PyCFunction)(void (*)(void))fold_parts, METH_FASTCALL, fold_parts_doc},
    {"scan_rule_lines", (PyCFunction)(void (*)(void))scan_rule_lines, METH_FASTCALL,
     scan_rule_lines_doc},
    {"split_sentences", (PyCFunction)(void (*)(void))split_sentences_native, METH_FASTCALL,
     split_sentences_doc},
    {"has_unspaced", (PyCFunction)(void (*)(void))has_unspaced_native, METH_FASTCALL,
     has_unspaced_doc},
    {"minhash_into", (PyCFunction)(void (*)(void))minhash_into, METH_FASTCALL, minhash_into_doc},
    {"stopword_scores", (PyCFunction)(void (*)(void))stopword_scores, METH_FASTCALL,
     stopword_scores_doc},
    {"split_lines", (PyCFunction)(void (*)(void))split_lines_native, METH_FASTCALL,
     split_lines_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    "cleaner._native",
    "The per-document loops that cost most in Python, in C (see each function's Python twin).",
    -1,
    native_methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if ((str_lower = PyUnicode_InternFromString("lower")) == NULL ||
        (str_casefold = PyUnicode_InternFromString("casefold")) == NULL ||
        (str_start = PyUnicode_InternFromString("start")) == NULL ||
        (str_end = PyUnicode_InternFromString("end")) == NULL ||
        (str_index = PyUnicode_InternFromString("index")) == NULL ||
        (str_text = PyUnicode_InternFromString("text")) == NULL ||
        (str_kind_text = PyUnicode_InternFromString("text")) == NULL ||
        (str_kind_table = PyUnicode_InternFromString("table")) == NULL)
        return NULL;
    PyObject *module = PyModule_Create(&native_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddStringConstant(module, "SOURCE_SHA256", CLEANER_NATIVE_SOURCE_SHA256) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
