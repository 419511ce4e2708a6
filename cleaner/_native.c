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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
        uint64_t g = 0x9E3779B97F4A7C15ULL;
        for (Py_ssize_t j = 0; j < n; j++)
            g = mix64(g ^ word_hash[k + j]) + (uint64_t)j;
        grams[m] = g;
        gram_line[m] = line;
        m++;
    }
    return m;
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
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "repeated_runs() takes 3 arguments");
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(args[1]);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t min_runs = PyLong_AsSsize_t(args[2]);
    if (min_runs == -1 && PyErr_Occurred())
        return NULL;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "repeated_runs: n must be at least 1");
        return NULL;
    }
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

static PyObject *str_lower; /* interned "lower" */

/* FNV-1a over the code points of a word, spread by mix64. */
static inline uint64_t
word_hash_of(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (Py_ssize_t k = start; k < end; k++) {
        h ^= (uint64_t)PyUnicode_READ(kind, data, k);
        h *= 0x100000001B3ULL;
    }
    return mix64(h ^ (uint64_t)(end - start));
}

PyDoc_STRVAR(rough_scan_doc,
"rough_scan(texts, n, min_runs, /) -> tuple[list[str], list[int], list[int]]\n"
"\n"
"For lines ``texts``: each line's rough key (``\" \".join(text.lower().split())``), its word\n"
"count, and the positions of the lines holding at least ``min_runs`` runs of ``n``\n"
"consecutive words that stand twice or more among all the lines' runs (as\n"
"``repeated_runs`` on the lines' rough words), without making a string per word.");

static PyObject *
rough_scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "rough_scan() takes 3 arguments");
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(args[1]);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t min_runs = PyLong_AsSsize_t(args[2]);
    if (min_runs == -1 && PyErr_Occurred())
        return NULL;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "rough_scan: n must be at least 1");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(args[0], "rough_scan: texts must be a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n_lines = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);

    PyObject *keys = NULL, *sizes = NULL, *found = NULL, *out = NULL;
    uint64_t *word_hash = NULL, *grams = NULL;
    Py_ssize_t *gram_line = NULL;
    Py_UCS4 *joined = NULL;
    Py_ssize_t hash_cap = 0, gram_cap = 0, joined_cap = 0, m = 0;

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
        PyObject *low = PyObject_CallMethodNoArgs(text, str_lower);
        if (low == NULL)
            goto error;
        int kind = PyUnicode_KIND(low);
        const void *data = PyUnicode_DATA(low);
        Py_ssize_t len = PyUnicode_GET_LENGTH(low);
        /* at most (len + 1) / 2 words */
        if ((len + 1) / 2 + 1 > hash_cap) {
            hash_cap = (len + 1) / 2 + 1;
            PyMem_Free(word_hash);
            word_hash = PyMem_Malloc(sizeof(uint64_t) * (size_t)hash_cap);
            if (word_hash == NULL) {
                Py_DECREF(low);
                PyErr_NoMemory();
                goto error;
            }
        }
        Py_ssize_t words = 0, pos = 0, key_len = 0;
        int plain = 1; /* the key is the lowered text itself: single spaces, none at the ends */
        while (pos < len) {
            Py_ssize_t start = pos;
            while (start < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start)))
                start++;
            if (start == len) {
                if (start > pos)
                    plain = 0; /* trailing space */
                break;
            }
            if (start - pos != (words ? 1 : 0) ||
                (words && PyUnicode_READ(kind, data, pos) != ' '))
                plain = 0;
            Py_ssize_t end = start + 1;
            while (end < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end)))
                end++;
            word_hash[words++] = word_hash_of(kind, data, start, end);
            key_len += (end - start) + (words > 1);
            pos = end;
        }
        PyObject *key;
        if (plain) {
            key = low;
            Py_INCREF(key);
        }
        else {
            if (key_len > joined_cap) {
                joined_cap = key_len;
                PyMem_Free(joined);
                joined = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(joined_cap ? joined_cap : 1));
                if (joined == NULL) {
                    Py_DECREF(low);
                    PyErr_NoMemory();
                    goto error;
                }
            }
            Py_ssize_t w = 0;
            pos = 0;
            while (pos < len) {
                while (pos < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos)))
                    pos++;
                if (pos == len)
                    break;
                if (w)
                    joined[w++] = ' ';
                while (pos < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos)))
                    joined[w++] = PyUnicode_READ(kind, data, pos++);
            }
            /* (FromKindAndData narrows to the canonical kind: equal strings compare equal) */
            key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, joined, w);
        }
        Py_DECREF(low);
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
    Py_DECREF(seq);
    return out;
}

/* ------------------------------------------------------------------ fold_parts */

#define FOLD_CARE 0xFFFFFFFFu /* a character the table cannot fold in place */
#define FOLD_TABLE_SIZE 0x10000

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

/* ------------------------------------------------------------------ module */

static PyMethodDef native_methods[] = {
    {"repeated_runs", (PyCFunction)(void (*)(void))repeated_runs, METH_FASTCALL,
     repeated_runs_doc},
    {"rough_scan", (PyCFunction)(void (*)(void))rough_scan, METH_FASTCALL, rough_scan_doc},
    {"fold_parts", (PyCFunction)(void (*)(void))fold_parts, METH_FASTCALL, fold_parts_doc},
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
    str_lower = PyUnicode_InternFromString("lower");
    if (str_lower == NULL)
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
