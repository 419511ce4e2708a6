/* The language ranking's stopword and own-letter counts (cleaner.rules.language). */
#include "common.h"

/* ------------------------------------------------------------------ stopword_scores */

PyDoc_STRVAR(stopword_scores_doc,
"stopword_scores(sample, owner, index, langs, letters, lower, longest, /) -> list[tuple[int, str]]\n"
"\n"
"For each language ``langs[i]``: how many distinct words of ``sample.lower().split()``\n"
"``owner`` (word -> language) gives to it, plus how many of the distinct characters\n"
"``letters[i]`` (its own letters, all past ASCII) the lowered sample holds; ``index`` maps\n"
"a language to i.\n"
"``lower`` is cleaner.normalize.lower_table(); ``longest`` the length of the longest word of\n"
"``owner`` (a longer word is not looked up). In the order of ``langs``.");

static PyObject *
stopword_scores(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyDict_Check(args[2]) || !PyTuple_Check(args[3]) || !PyTuple_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "stopword_scores(sample: str, owner: dict, index: dict, langs: tuple, "
                        "letters: tuple, lower, longest: int)");
        return NULL;
    }
    Py_ssize_t longest = PyLong_AsSsize_t(args[6]);
    if (longest == -1 && PyErr_Occurred())
        return NULL;
    PyObject *sample = args[0], *owner = args[1], *index = args[2];
    PyObject *langs = args[3], *letters = args[4];
    Py_ssize_t n_langs = PyTuple_GET_SIZE(langs);
    if (PyTuple_GET_SIZE(letters) != n_langs || n_langs > 64) {
        PyErr_SetString(PyExc_ValueError, "stopword_scores: one letters string per language (64 at most)");
        return NULL;
    }
    /* every language's own letters in one list: (letter, language, its bit) */
    Py_UCS4 own_char[256];
    uint8_t own_lang[256], own_bit[256];
    int n_own = 0;
    for (Py_ssize_t i = 0; i < n_langs; i++) {
        PyObject *own = PyTuple_GET_ITEM(letters, i);
        if (!PyUnicode_Check(own) || PyUnicode_GET_LENGTH(own) > 64 ||
            n_own + PyUnicode_GET_LENGTH(own) > 256) {
            PyErr_SetString(PyExc_TypeError,
                            "stopword_scores: letters are str of 64 at most, 256 in all");
            return NULL;
        }
        for (Py_ssize_t b = 0; b < PyUnicode_GET_LENGTH(own); b++) {
            own_char[n_own] = PyUnicode_READ_CHAR(own, b);
            own_lang[n_own] = (uint8_t)i;
            own_bit[n_own++] = (uint8_t)b;
        }
    }
    Py_buffer view;
    if (table_buffer(args[5], &view, sizeof(uint32_t), "stopword_scores: lower",
                     "unsigned 32-bit codes") < 0)
        return NULL;
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
        if (pos - start > longest)
            continue; /* (no stopword is that long) */
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
        for (int j = 0; j < n_own; j++) {
            if (own_char[j] == c) /* (a letter may be own to several languages) */
                found_letters[own_lang[j]] |= (uint64_t)1 << own_bit[j];
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

PyMethodDef cleaner_language_methods[] = {
    {"stopword_scores", (PyCFunction)(void (*)(void))stopword_scores, METH_FASTCALL, stopword_scores_doc},
    {NULL, NULL, 0, NULL},
};
