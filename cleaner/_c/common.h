/* cleaner's C core: what its files share.
 *
 * Every function of the core has a pure-Python twin beside the code that calls it, which
 * stays the reference: the package works without the core (an install without a compiler),
 * and tests/test_native.py checks that both give the same answers. Plain CPython API.
 */
#ifndef CLEANER_NATIVE_COMMON_H
#define CLEANER_NATIVE_COMMON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_CARE 0xFFFFFFFFu   /* a character a table leaves to Python */
#define FOLD_TABLE_SIZE 0x10000 /* tables cover the code points below U+10000 */
/* in a table for a line of a script written without spaces (normalize.unspaced_fold_table):
 * set on the code of a character that folds to one of such a script, a word of its own */
#define UNSPACED_FLAG 0x80000000u

/* interned names, made when the module loads (module.c) */
extern PyObject *str_lower, *str_casefold;
extern PyObject *str_kind_text, *str_kind_table;

/* the functions of each file, for the module's table (NULL-terminated) */
extern PyMethodDef cleaner_runs_methods[];
extern PyMethodDef cleaner_segment_methods[];
extern PyMethodDef cleaner_fold_methods[];
extern PyMethodDef cleaner_rules_methods[];
extern PyMethodDef cleaner_language_methods[];
extern PyMethodDef cleaner_lsh_methods[];
extern PyMethodDef cleaner_pairs_methods[];
extern PyMethodDef cleaner_units_methods[];

/* functions of one file that another calls (as the module would: the same arguments) */
PyObject *split_sentences_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *line_parts_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *has_unspaced_native(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
/* dedup._ends_with_stop(text[s:e]) (fold.c) */
int ends_with_stop(int kind, const void *data, Py_ssize_t s, Py_ssize_t e, PyObject *stops,
                   PyObject *closers);

/* Whether an HTML entity that normalize.fold unescapes starts at the ``&`` at ``k`` (fold.c) */
int starts_entity(int kind, const void *data, Py_ssize_t k, Py_ssize_t len);

/* str.split()'s whitespace (Py_UNICODE_ISSPACE) for each code point below U+10000, filled
 * when the module loads (module.c) */
extern uint8_t space_bmp[FOLD_TABLE_SIZE];

static inline int
is_space(Py_UCS4 ch)
{
    return ch < FOLD_TABLE_SIZE ? space_bmp[ch] : Py_UNICODE_ISSPACE(ch);
}

/* ``data`` (``len`` code units of ``kind``) folded code by code with ``table`` into ``out``:
 * 1, or 0 when a character is past the table, has a code of ``care`` or above, or starts an
 * HTML entity (normalize.fold unescapes those first): the line is then folded the careful
 * way. */
static inline int
fold_codes(int kind, const void *data, Py_ssize_t len, const uint32_t *table, uint32_t care,
           Py_UCS4 *out)
{
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (ch >= FOLD_TABLE_SIZE || table[ch] >= care ||
            (ch == '&' && starts_entity(kind, data, k, len)))
            return 0;
        out[k] = table[ch];
    }
    return 1;
}

/* The marks that stay with the character of an unspaced script before them
 * (normalize._UNSPACED_WORD_RE: combining diacritics and Thai vowel and tone marks). */
static inline int
unspaced_mark(Py_UCS4 c)
{
    return (c >= 0x0300 && c <= 0x036F) || c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) ||
           (c >= 0x0E47 && c <= 0x0E4E);
}

/* The next word of folded[*pos:end] as normalize.words splits a text that holds an
 * unspaced script, the codes those of normalize.unspaced_fold_table (UNSPACED_FLAG on a
 * character of such a script): a flagged character is a word of its own with the marks
 * after it; the other words are the runs between whitespace and flagged characters. Its
 * place in ``*start``, ``*end`` (``*pos`` moved past it); 0 when none is left. */
static inline int
next_unspaced_word(const Py_UCS4 *folded, Py_ssize_t *pos, Py_ssize_t end, Py_ssize_t *start,
                   Py_ssize_t *stop)
{
    Py_ssize_t p = *pos;
    while (p < end && !(folded[p] & UNSPACED_FLAG) && is_space(folded[p]))
        p++;
    *start = p;
    if (p == end) {
        *pos = p;
        return 0;
    }
    if (folded[p] & UNSPACED_FLAG) {
        for (p++; p < end && unspaced_mark(folded[p] & ~UNSPACED_FLAG); p++)
            ;
    }
    else {
        while (p < end && !(folded[p] & UNSPACED_FLAG) && !is_space(folded[p]))
            p++;
    }
    *stop = *pos = p;
    return 1;
}

/* Where a slots class (a dataclass with slots=True) keeps the fields ``names`` (at most
 * 12), found once per class: ``direct`` when each is a plain object slot, so an instance is
 * read and built through its slots; otherwise through its attributes and its __init__. */
typedef struct {
    PyTypeObject *type;
    const char *const *names;
    int n, direct;
    Py_ssize_t offsets[12];
} Slots;

static inline void
find_slots(Slots *slots, PyTypeObject *type, const char *const *names, int n)
{
    if (type == slots->type)
        return;
    slots->type = type;
    slots->names = names;
    slots->n = n;
    slots->direct = 0;
    if (type->tp_members == NULL || n > 12)
        return;
    for (int f = 0; f < n; f++) {
        slots->offsets[f] = -1;
        for (PyMemberDef *m = type->tp_members; m->name != NULL; m++) {
            if (strcmp(m->name, names[f]) == 0 && m->type == T_OBJECT_EX && !(m->flags & READONLY))
                slots->offsets[f] = m->offset;
        }
        if (slots->offsets[f] < 0)
            return;
    }
    slots->direct = 1;
}

/* Field ``f`` of ``obj`` (of the class ``slots`` was found for, or any other): a new
 * reference, or NULL with an exception. */
static inline PyObject *
slot_field(PyObject *obj, const Slots *slots, int f)
{
    if (slots->direct && Py_TYPE(obj) == slots->type) {
        PyObject *value = *(PyObject **)((char *)obj + slots->offsets[f]);
        if (value != NULL)
            return Py_NewRef(value);
    }
    return PyObject_GetAttrString(obj, slots->names[f]);
}

/* Field ``f`` of ``obj`` as a Py_ssize_t; -1 with an exception on failure. */
static inline Py_ssize_t
slot_ssize(PyObject *obj, const Slots *slots, int f)
{
    PyObject *value = slot_field(obj, slots, f);
    if (value == NULL)
        return -1;
    Py_ssize_t got = PyLong_AsSsize_t(value);
    Py_DECREF(value);
    return got;
}

/* A new instance of ``slots->type`` with ``values`` (one per field, not stolen): its slots
 * filled as its __init__ fills them, or its __init__ called. */
static inline PyObject *
slots_new(const Slots *slots, PyObject *const *values)
{
    PyTypeObject *type = slots->type;
    if (!slots->direct)
        return PyObject_Vectorcall((PyObject *)type, values, (size_t)slots->n, NULL);
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj == NULL)
        return NULL;
    for (int f = 0; f < slots->n; f++)
        *(PyObject **)((char *)obj + slots->offsets[f]) = Py_NewRef(values[f]);
    return obj;
}

/* cleaner.segment.Line's fields, in order (segment.c) */
enum { LINE_INDEX, LINE_NUMBER, LINE_START, LINE_END, LINE_TEXT, LINE_KIND, LINE_FIELDS };
extern const char *const line_field_names[LINE_FIELDS];

/* splitmix64's finaliser: spreads a hash over all 64 bits */
static inline uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

/* The hash of the ``len`` code points at ``at`` in ``data`` (code units of ``kind``):
 * FNV-1a over them, then their number, mixed. The same for the same code points however
 * they are stored (all-pairs reads words off keys of any width). */
#define HASH_UNITS_LOOP(UNIT)                                                                 \
    for (Py_ssize_t k = 0; k < len; k++)                                                      \
        h = (h ^ (uint64_t)((const UNIT *)data)[at + k]) * 0x100000001B3ULL;
static inline uint64_t
hash_units(int kind, const void *data, Py_ssize_t at, Py_ssize_t len)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    if (kind == PyUnicode_1BYTE_KIND) {
        HASH_UNITS_LOOP(Py_UCS1)
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        HASH_UNITS_LOOP(Py_UCS2)
    }
    else {
        HASH_UNITS_LOOP(Py_UCS4)
    }
    return mix64(h ^ (uint64_t)len);
}

/* A word's hash (hash_units of its code points; the rough scan's word hashes, the stopword
 * table's keys). */
static inline uint64_t
hash_word(const Py_UCS4 *chars, Py_ssize_t len)
{
    return hash_units(PyUnicode_4BYTE_KIND, chars, 0, len);
}

/* The end of the word of a key that starts at ``s`` (the next space, or ``len``), its
 * hash_units in ``*hash``: one pass, no search call per (short) word. */
#define NEXT_WORD_LOOP(UNIT)                                                                  \
    {                                                                                         \
        const UNIT *c = data;                                                                 \
        while (e < len && c[e] != ' ') {                                                      \
            h = (h ^ (uint64_t)c[e]) * 0x100000001B3ULL;                                      \
            e++;                                                                              \
        }                                                                                     \
    }
static inline Py_ssize_t
next_word(int kind, const void *data, Py_ssize_t s, Py_ssize_t len, uint64_t *hash)
{
    Py_ssize_t e = s;
    uint64_t h = 0xCBF29CE484222325ULL;
    if (kind == PyUnicode_1BYTE_KIND)
        NEXT_WORD_LOOP(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND)
        NEXT_WORD_LOOP(Py_UCS2)
    else
        NEXT_WORD_LOOP(Py_UCS4)
    *hash = mix64(h ^ (uint64_t)(e - s));
    return e;
}

/* The first place from ``pos`` where the code unit ``ch`` (1 to 0x7F) stands in ``data``
 * (``len`` code units of ``kind``), or ``len``: memchr on one-byte text; on two-byte text
 * memchr of its low byte over the bytes, a hit kept where it is a whole unit (an even
 * offset, a high byte of 0; little-endian); a typed loop else. */
#define FIND_UNIT_LOOP(UNIT)                                                                  \
    {                                                                                         \
        const UNIT *c = data;                                                                 \
        while (pos < len && c[pos] != ch)                                                     \
            pos++;                                                                            \
        return pos;                                                                           \
    }
static inline Py_ssize_t
find_unit(int kind, const void *data, Py_ssize_t pos, Py_ssize_t len, Py_UCS4 ch)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *d = data;
        const Py_UCS1 *hit = pos < len ? memchr(d + pos, (int)ch, (size_t)(len - pos)) : NULL;
        return hit != NULL ? (Py_ssize_t)(hit - d) : len;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
#if PY_LITTLE_ENDIAN
        const Py_UCS2 *c = data;
        const unsigned char *bytes = data;
        while (pos < len) {
            const unsigned char *hit =
                memchr(bytes + 2 * pos, (int)ch, (size_t)(2 * (len - pos)));
            if (hit == NULL)
                return len;
            Py_ssize_t at = (Py_ssize_t)(hit - bytes) / 2;
            if (c[at] == ch) /* (else a high byte, or a unit whose high byte is not 0) */
                return at;
            pos = at + 1;
        }
        return len;
#else
        FIND_UNIT_LOOP(Py_UCS2)
#endif
    }
    FIND_UNIT_LOOP(Py_UCS4)
}


/* Whether the ``len`` code points at ``xa`` in ``xd`` (code units of ``xk``) are those at
 * ``ya`` in ``yd`` (of ``yk``): compared as code units where both are of one kind (a str
 * holding one wider character stores its ASCII words wider than a word alone). */
static inline int
same_code_points(int xk, const void *xd, Py_ssize_t xa, int yk, const void *yd, Py_ssize_t ya,
                 Py_ssize_t len)
{
    if (xk == yk)
        return memcmp((const char *)xd + xa * xk, (const char *)yd + ya * yk,
                      (size_t)len * (size_t)xk) == 0;
    for (Py_ssize_t k = 0; k < len; k++)
        if (PyUnicode_READ(xk, xd, xa + k) != PyUnicode_READ(yk, yd, ya + k))
            return 0;
    return 1;
}

/* The table ``obj`` as a buffer of 65536 items of ``item_size`` bytes (one per code point
 * below U+10000) in ``view``, released by the caller; 0, or -1 with ValueError naming
 * ``what`` (e.g. "fold_parts: table") and ``unit`` ("bytes", "unsigned 32-bit codes"). */
static inline int
table_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t item_size, const char *what,
             const char *unit)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0)
        return -1;
    if (view->len != item_size * FOLD_TABLE_SIZE) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s must hold 65536 %s", what, unit);
        return -1;
    }
    return 0;
}

/* A str from ``len`` code points whose largest is ``max`` (or any value in the same of
 * PyUnicode_New's ranges, below 128, 256, 65536 or not: the bitwise or of code points below
 * 65536 is one), made in its canonical (most compact) kind directly: no second pass to
 * find the largest code point. */
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

/* The code points of the str ``str`` written at ``dst``; ``*max`` raised to the largest.
 * Returns how many. */
static inline Py_ssize_t
copy_code_points(Py_UCS4 *dst, PyObject *str, Py_UCS4 *max)
{
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        *max = ch > *max ? ch : *max;
        dst[k] = ch;
    }
    return len;
}

/* At least ``need`` items of ``item`` bytes in ``*buf`` (its contents need not survive):
 * 0, or -1 with MemoryError. */
static inline int
reserve(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t item)
{
    if (need <= *cap)
        return 0;
    PyMem_Free(*buf);
    *cap = 2 * need;
    *buf = PyMem_Malloc(item * (size_t)*cap);
    if (*buf == NULL) {
        *cap = 0;
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* At least ``need`` items of ``item`` bytes in ``*buf``, its contents kept: 0, or -1. */
static inline int
grow(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t item)
{
    if (need <= *cap)
        return 0;
    Py_ssize_t more = *cap ? *cap : 256;
    while (more < need)
        more *= 2;
    void *got = PyMem_Realloc(*buf, item * (size_t)more);
    if (got == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buf = got;
    *cap = more;
    return 0;
}

#endif
