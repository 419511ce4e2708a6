/* Folded words and keys of a line, and scripts written without spaces (cleaner.normalize). */
#include "common.h"

/* ------------------------------------------------------------------ fold_parts */


/* A str from ``len`` code points whose largest is ``max``, made in its canonical (most
 * compact) kind directly: no second pass to find the largest code point. */
static inline PyObject *
ucs4_str_max(const Py_UCS4 *chars, Py_ssize_t len, Py_UCS4 max)
{
    PyObject *s = PyUnicode_New(len, max);
    if (s == NULL)
        return NULL;
    if (max < 256) {
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(s);
        for (Py_ssize_t k = 0; k < len; k++)
            d[k] = (Py_UCS1)chars[k];
    }
    else if (max < 0x10000) {
        Py_UCS2 *d = PyUnicode_2BYTE_DATA(s);
        for (Py_ssize_t k = 0; k < len; k++)
            d[k] = (Py_UCS2)chars[k];
    }
    else
        memcpy(PyUnicode_4BYTE_DATA(s), chars, sizeof(Py_UCS4) * (size_t)len);
    return s;
}

/* The words of folded[start:end] (split at whitespace, as str.split()) appended to
 * ``words``; their key (words joined by one space) made from ``scratch``. Returns the key,
 * or NULL with an exception set; ``*digits`` counts words that start with a decimal digit. */
static PyObject *
split_folded(const Py_UCS4 *folded, Py_ssize_t start, Py_ssize_t end, PyObject *words,
             Py_UCS4 *scratch, Py_ssize_t *digits)
{
    Py_ssize_t pos = start, w = 0;
    Py_UCS4 key_max = 0;
    *digits = 0;
    while (pos < end) {
        while (pos < end && Py_UNICODE_ISSPACE(folded[pos]))
            pos++;
        if (pos == end)
            break;
        Py_ssize_t word_start = pos;
        Py_UCS4 max = 0;
        while (pos < end && !Py_UNICODE_ISSPACE(folded[pos])) {
            max = folded[pos] > max ? folded[pos] : max;
            pos++;
        }
        PyObject *word = ucs4_str_max(folded + word_start, pos - word_start, max);
        if (word == NULL)
            return NULL;
        int failed = PyList_Append(words, word);
        Py_DECREF(word);
        if (failed < 0)
            return NULL;
        if (Py_UNICODE_ISDECIMAL(folded[word_start]))
            (*digits)++;
        key_max = max > key_max ? max : key_max;
        if (w)
            scratch[w++] = ' ';
        memcpy(scratch + w, folded + word_start, sizeof(Py_UCS4) * (size_t)(pos - word_start));
        w += pos - word_start;
    }
    return ucs4_str_max(scratch, w, w ? (key_max > ' ' ? key_max : ' ') : 0);
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
    if (table_buffer(args[2], &view, sizeof(uint32_t), "fold_parts: table",
                     "unsigned 32-bit codes") < 0)
        return NULL;
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
    /* the folded line, then room for a key (a space between two words can stand where
     * the line has none, at a sentence end: at most one per word) */
    Py_UCS4 *folded = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(3 * len + 2));
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
    if (n_spans <= 1) {
        /* one sentence (or none): the line's words are split from the whole line */
        key = split_folded(folded, 0, len, words, scratch, &digits);
        if (key == NULL)
            goto done;
    }
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
        if (!failed && n_spans > 1) {
            /* several sentences: the line's words are theirs, end to end (shared objects,
             * as the Python twin has them) */
            digits += sdigits;
            Py_ssize_t size = PyList_GET_SIZE(words);
            failed = PyList_SetSlice(words, size, size, ws) < 0;
        }
        Py_DECREF(ws);
        Py_DECREF(skey);
        Py_XDECREF(count);
        if (failed)
            goto done;
    }
    if (n_spans > 1) {
        /* the line's key: its words joined by one space */
        Py_ssize_t n_words = PyList_GET_SIZE(words), w = 0;
        Py_UCS4 max = 0;
        for (Py_ssize_t k = 0; k < n_words; k++) {
            PyObject *word = PyList_GET_ITEM(words, k);
            int wkind = PyUnicode_KIND(word);
            const void *wdata = PyUnicode_DATA(word);
            Py_ssize_t wlen = PyUnicode_GET_LENGTH(word);
            if (w)
                scratch[w++] = ' ';
            for (Py_ssize_t c = 0; c < wlen; c++) {
                Py_UCS4 ch = PyUnicode_READ(wkind, wdata, c);
                max = ch > max ? ch : max;
                scratch[w++] = ch;
            }
        }
        key = ucs4_str_max(scratch, w, w ? (max > ' ' ? max : ' ') : 0);
        if (key == NULL)
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
    if (table_buffer(args[1], &view, 1, "has_unspaced: table", "bytes") < 0)
        return NULL;
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

PyMethodDef cleaner_fold_methods[] = {
    {"fold_parts", (PyCFunction)(void (*)(void))fold_parts, METH_FASTCALL, fold_parts_doc},
    {"has_unspaced", (PyCFunction)(void (*)(void))has_unspaced_native, METH_FASTCALL, has_unspaced_doc},
    {NULL, NULL, 0, NULL},
};
