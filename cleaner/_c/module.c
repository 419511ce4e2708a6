/* cleaner._native: the module, its table of functions and its interned names. */
#include "common.h"

#ifndef CLEANER_NATIVE_SOURCE_SHA256
#define CLEANER_NATIVE_SOURCE_SHA256 "unknown"
#endif

PyObject *str_lower, *str_casefold;
PyObject *str_kind_text, *str_kind_table;
uint8_t space_bmp[FOLD_TABLE_SIZE];

static PyMethodDef native_methods[32];

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
        (str_kind_text = PyUnicode_InternFromString("text")) == NULL ||
        (str_kind_table = PyUnicode_InternFromString("table")) == NULL)
        return NULL;
    for (Py_UCS4 ch = 0; ch < FOLD_TABLE_SIZE; ch++)
        space_bmp[ch] = (uint8_t)Py_UNICODE_ISSPACE(ch);
    /* one table from the files' tables (the last entry stays zero: the end) */
    PyMethodDef *parts[] = {cleaner_runs_methods, cleaner_segment_methods, cleaner_fold_methods, cleaner_rules_methods, cleaner_language_methods, cleaner_lsh_methods, cleaner_pairs_methods, cleaner_units_methods};
    size_t at = 0, room = sizeof(native_methods) / sizeof(native_methods[0]) - 1;
    for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
        for (PyMethodDef *m = parts[p]; m->ml_name != NULL; m++) {
            if (at == room) {
                PyErr_SetString(PyExc_SystemError, "cleaner._native: method table too small");
                return NULL;
            }
            native_methods[at++] = *m;
        }
    }
    PyObject *module = PyModule_Create(&native_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddStringConstant(module, "SOURCE_SHA256", CLEANER_NATIVE_SOURCE_SHA256) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
