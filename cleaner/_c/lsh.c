/* MinHash signatures (cleaner.lsh). */
#include "common.h"

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
    uint64_t *xs = NULL; /* a string's character codes, multiplied once */
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
            PyMem_Free(xs);
            xs = PyMem_Malloc(sizeof(uint64_t) * (size_t)xs_cap);
            if (xs == NULL) {
                PyErr_NoMemory();
                goto done;
            }
        }
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
    PyMem_Free(xs);
    Py_XDECREF(seq);
    PyBuffer_Release(&out);
    PyBuffer_Release(&av);
    PyBuffer_Release(&bv);
    return result;
}

PyMethodDef cleaner_lsh_methods[] = {
    {"minhash_into", (PyCFunction)(void (*)(void))minhash_into, METH_FASTCALL, minhash_into_doc},
    {NULL, NULL, 0, NULL},
};
