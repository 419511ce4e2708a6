/* MinHash signatures (cleaner.lsh), and the strings of one character per word they are taken of. */
#include "common.h"

/* ------------------------------------------------------------------ minhash_into */

PyDoc_STRVAR(minhash_into_doc,
"minhash_into(out, strings, a, b, /) -> None\n"
"\n"
"cleaner.lsh's MinHash signatures of non-empty ``strings`` (each character one element)\n"
"written into ``out`` (C-contiguous uint32, len(strings) x num_perm): for each permutation\n"
"p, the minimum over the characters c of ((a[p] * (c * 0x9E3779B97F4A7C15) + b[p]) mod 2^64)\n"
">> 32, with ``a`` and ``b`` num_perm uint64 each.");

/* One string's signature: ``xs`` its ``len`` character codes (multiplied once), ``m`` room
 * for ``num_perm`` minima. Character by character, every permutation at once: the inner
 * loop has no dependency from one permutation to the next, so the compiler vectorizes it
 * (with AVX2 where the CPU has it, chosen when the module loads: GCC on x86-64 Linux). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define MINHASH_CLONES __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define MINHASH_CLONES
#endif

MINHASH_CLONES static void
minhash_one(const uint64_t *xs, Py_ssize_t len, const uint64_t *restrict a,
            const uint64_t *restrict b, Py_ssize_t num_perm, uint64_t *restrict m,
            uint32_t *restrict dest)
{
    for (Py_ssize_t p = 0; p < num_perm; p++)
        m[p] = UINT64_MAX;
    for (Py_ssize_t k = 0; k < len; k++) {
        const uint64_t x = xs[k];
        for (Py_ssize_t p = 0; p < num_perm; p++) {
            uint64_t h = (a[p] * x + b[p]) >> 32;
            m[p] = h < m[p] ? h : m[p];
        }
    }
    for (Py_ssize_t p = 0; p < num_perm; p++)
        dest[p] = (uint32_t)m[p];
}

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
    uint64_t *xs = NULL; /* a string's character codes, multiplied once */
    uint64_t *minima = NULL;
    Py_ssize_t num_perm = av.len / (Py_ssize_t)sizeof(uint64_t);
    if (av.len != bv.len || av.len % (Py_ssize_t)sizeof(uint64_t) || num_perm == 0) {
        PyErr_SetString(PyExc_ValueError, "minhash_into: a and b must be num_perm uint64 each");
        goto done;
    }
    minima = PyMem_Malloc(sizeof(uint64_t) * (size_t)num_perm);
    if (minima == NULL) {
        PyErr_NoMemory();
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
        if (reserve((void **)&xs, &xs_cap, len, sizeof(uint64_t)) < 0)
            goto done;
        for (Py_ssize_t k = 0; k < len; k++)
            xs[k] = (uint64_t)PyUnicode_READ(kind, data, k) * 0x9E3779B97F4A7C15ULL;
        minhash_one(xs, len, a, b, num_perm, minima, dest + i * num_perm);
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyMem_Free(xs);
    PyMem_Free(minima);
    Py_XDECREF(seq);
    PyBuffer_Release(&out);
    PyBuffer_Release(&av);
    PyBuffer_Release(&bv);
    return result;
}

/* ------------------------------------------------------------------ word_chars */

PyDoc_STRVAR(word_chars_doc,
"word_chars(word_lists, chars, add, limit, exhausted, /) -> list[str | None]\n"
"\n"
"Each list of words in ``word_lists`` as one string of one character per word, the word's\n"
"character in the dict ``chars``. A word that ``chars`` lacks gets the next character when\n"
"``add`` is true, as cleaner.dedup's ``_WordChars.__missing__`` gives it: with n words in\n"
"``chars``, U+0100 + n, past the surrogate block from U+D800 on (``exhausted()`` is raised\n"
"when n reaches ``limit``); when ``add`` is false, it makes that list's string None. So\n"
"``\"\".join(map(chars.__getitem__, words))`` (or the same with ``chars.get``) for all the\n"
"lists in one call, without a Python call per new word.");

static PyObject *
word_chars(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "word_chars() takes 5 arguments");
        return NULL;
    }
    Py_ssize_t limit = PyLong_AsSsize_t(args[3]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    if (limit < 0 || limit > 0x10FFFF - 0x100 - 0x800) {
        PyErr_SetString(PyExc_ValueError, "word_chars: limit must be 0 .. 0x10FFFF - 0x900");
        return NULL;
    }
    PyObject *exhausted = args[4];
    if (!PyExceptionClass_Check(exhausted)) {
        PyErr_SetString(PyExc_TypeError, "word_chars: exhausted must be an exception class");
        return NULL;
    }
    PyObject *chars = args[1];
    if (!PyDict_Check(chars)) {
        PyErr_SetString(PyExc_TypeError, "word_chars: chars must be a dict");
        return NULL;
    }
    int add = PyObject_IsTrue(args[2]);
    if (add < 0)
        return NULL;
    PyObject *lists = PySequence_Tuple(args[0]);
    if (lists == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(lists), cap = 0;
    Py_UCS4 *buf = NULL;
    PyObject *out = PyList_New(n);
    if (out == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ws = PyTuple_GET_ITEM(lists, i);
        if (!PyList_Check(ws)) {
            PyErr_Format(PyExc_TypeError, "word_chars: word_lists[%zd] must be a list of str, not %.100s",
                         i, Py_TYPE(ws)->tp_name);
            goto error;
        }
        Py_ssize_t m = PyList_GET_SIZE(ws);
        if (reserve((void **)&buf, &cap, m + 1, sizeof(Py_UCS4)) < 0) /* (+1: never NULL) */
            goto error;
        int lacking = 0;
        for (Py_ssize_t k = 0; k < m && !lacking; k++) {
            PyObject *word = PyList_GET_ITEM(ws, k);
            if (!PyUnicode_CheckExact(word)) { /* (a subclass could run code that changes ws) */
                PyErr_Format(PyExc_TypeError, "word_chars: word_lists[%zd][%zd] must be str, not %.100s",
                             i, k, Py_TYPE(word)->tp_name);
                goto error;
            }
            PyObject *ch = PyDict_GetItemWithError(chars, word); /* (borrowed) */
            if (ch == NULL) {
                if (PyErr_Occurred())
                    goto error;
                if (!add) {
                    lacking = 1;
                    break;
                }
                Py_ssize_t given = PyDict_GET_SIZE(chars);
                if (given >= limit) {
                    PyErr_SetNone(exhausted);
                    goto error;
                }
                Py_UCS4 code = (Py_UCS4)(given + 0x100);
                PyObject *made = PyUnicode_FromOrdinal((int)(code < 0xD800 ? code : code + 0x800));
                if (made == NULL)
                    goto error;
                int status = PyDict_SetItem(chars, word, made);
                Py_DECREF(made);
                if (status < 0)
                    goto error;
                ch = made; /* (the dict holds it) */
            }
            if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1) {
                PyErr_SetString(PyExc_TypeError, "word_chars: chars must map each word to one character");
                goto error;
            }
            buf[k] = PyUnicode_READ_CHAR(ch, 0);
        }
        PyObject *s;
        if (lacking) {
            s = Py_None;
            Py_INCREF(s);
        }
        else
            s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m);
        if (s == NULL)
            goto error;
        PyList_SET_ITEM(out, i, s);
    }
    PyMem_Free(buf);
    Py_DECREF(lists);
    return out;
error:
    PyMem_Free(buf);
    Py_XDECREF(out);
    Py_DECREF(lists);
    return NULL;
}

PyMethodDef cleaner_lsh_methods[] = {
    {"minhash_into", (PyCFunction)(void (*)(void))minhash_into, METH_FASTCALL, minhash_into_doc},
    {"word_chars", (PyCFunction)(void (*)(void))word_chars, METH_FASTCALL, word_chars_doc},
    {NULL, NULL, 0, NULL},
};
