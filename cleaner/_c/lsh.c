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

/* ------------------------------------------------------------------ key_chars */

/* A cache in front of a cleaner.dedup._WordChars dict: the character of each word met so far,
 * by the word's code points, so that a key's words are looked up without making a str of
 * each, hashing it and probing the dict (whose words lie all over the heap: most of the cost
 * in a long document). The dict stays the truth: a word the cache lacks is asked of the dict
 * (and kept), a new word goes into both. The dict only ever grows, or is cleared, which drops
 * the cache (_WordChars.clear); a dict found smaller than the cache last saw it does too. */
typedef struct { /* (16 bytes: the probes of a long document's words miss the cache) */
    uint32_t hash; /* (its low half) */
    uint32_t at;   /* where the word's code points start in ``cps`` (EMPTY_SLOT: none) */
    uint32_t len;
    Py_UCS4 ch;
} WordSlot;

#define EMPTY_SLOT UINT32_MAX

typedef struct {
    WordSlot *slots;
    size_t cap, used;
    Py_UCS4 *cps; /* the words' code points, end to end */
    Py_ssize_t cps_len, cps_cap;
    Py_ssize_t dict_size; /* len(chars) when the last call ended */
} WordTable;

#define WORD_TABLE_CAPSULE "cleaner._native.word_table"

static void
word_table_reset(WordTable *t)
{
    PyMem_Free(t->slots);
    PyMem_Free(t->cps);
    t->slots = NULL;
    t->cps = NULL;
    t->cap = t->used = 0;
    t->cps_len = t->cps_cap = t->dict_size = 0;
}

static void
word_table_destroy(PyObject *capsule)
{
    WordTable *t = PyCapsule_GetPointer(capsule, WORD_TABLE_CAPSULE);
    if (t == NULL) {
        PyErr_Clear();
        return;
    }
    word_table_reset(t);
    PyMem_Free(t);
}

PyDoc_STRVAR(word_table_doc,
"word_table() -> capsule\n"
"\n"
"An empty cache for ``key_chars``: the characters of the words of one _WordChars dict.");

static PyObject *
word_table(PyObject *module, PyObject *unused)
{
    WordTable *t = PyMem_Calloc(1, sizeof(WordTable));
    if (t == NULL)
        return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, WORD_TABLE_CAPSULE, word_table_destroy);
    if (capsule == NULL)
        PyMem_Free(t);
    return capsule;
}

/* Whether the word ``len`` code units of ``kind`` at ``at`` in ``data`` is the one at ``cps``. */
static inline int
same_word(const Py_UCS4 *cps, int kind, const void *data, Py_ssize_t at, Py_ssize_t len)
{
    return same_code_points(PyUnicode_4BYTE_KIND, cps, 0, kind, data, at, len);
}

/* The slot of the word (or the empty slot where it would go). */
static inline WordSlot *
word_slot(const WordTable *t, int kind, const void *data, Py_ssize_t at, Py_ssize_t len,
          uint64_t h)
{
    size_t i = (size_t)h & (t->cap - 1);
    for (;;) {
        WordSlot *slot = &t->slots[i];
        if (slot->at == EMPTY_SLOT || (slot->hash == (uint32_t)h && slot->len == len &&
                                       same_word(t->cps + slot->at, kind, data, at, len)))
            return slot;
        i = (i + 1) & (t->cap - 1);
    }
}

/* Room for one more word of ``len`` code points: 1, 0 when the table takes no more (its
 * code points would not fit in 32 bits: the dict alone is asked of that word), or -1 with
 * MemoryError. */
static int
word_table_room(WordTable *t, Py_ssize_t len)
{
    if (t->cps_len + len >= (Py_ssize_t)EMPTY_SLOT || t->used >= ((size_t)1 << 30))
        return 0;
    if (grow((void **)&t->cps, &t->cps_cap, t->cps_len + len, sizeof(Py_UCS4)) < 0)
        return -1;
    if (4 * (t->used + 1) > 3 * t->cap) { /* (at most 3/4 full: fewer lines to miss) */
        size_t cap = t->cap ? 2 * t->cap : 1024;
        WordSlot *slots = PyMem_Malloc(sizeof(WordSlot) * cap);
        if (slots == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (size_t i = 0; i < cap; i++)
            slots[i].at = EMPTY_SLOT;
        for (size_t i = 0; i < t->cap; i++) {
            WordSlot *old = &t->slots[i];
            if (old->at == EMPTY_SLOT)
                continue;
            size_t j = (size_t)old->hash & (cap - 1);
            while (slots[j].at != EMPTY_SLOT)
                j = (j + 1) & (cap - 1);
            slots[j] = *old;
        }
        PyMem_Free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    return 1;
}

/* The character the dict ``chars`` gives key[s:e] in ``*c``: 1; 0 when it has none and
 * ``add`` is false; a new one (as _WordChars.__missing__ gives it) when ``add`` is true; -1
 * with an error (``exhausted()`` once ``limit`` words have one). */
static int
dict_char(PyObject *chars, PyObject *key, Py_ssize_t s, Py_ssize_t e, int add, Py_ssize_t limit,
          PyObject *exhausted, Py_UCS4 *c)
{
    PyObject *word = PyUnicode_Substring(key, s, e);
    if (word == NULL)
        return -1;
    PyObject *ch = PyDict_GetItemWithError(chars, word); /* (borrowed) */
    int status = 1;
    if (ch == NULL) {
        Py_ssize_t given = PyDict_GET_SIZE(chars);
        if (PyErr_Occurred())
            status = -1;
        else if (!add)
            status = 0;
        else if (given >= limit) {
            PyErr_SetNone(exhausted);
            status = -1;
        }
        else {
            Py_UCS4 code = (Py_UCS4)(given + 0x100);
            PyObject *made = PyUnicode_FromOrdinal((int)(code < 0xD800 ? code : code + 0x800));
            if (made == NULL || PyDict_SetItem(chars, word, made) < 0)
                status = -1;
            ch = made; /* (the dict holds it) */
            Py_XDECREF(made);
        }
    }
    Py_DECREF(word);
    if (status != 1)
        return status;
    if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1) {
        PyErr_SetString(PyExc_TypeError, "key_chars: chars must map each word to one character");
        return -1;
    }
    *c = PyUnicode_READ_CHAR(ch, 0);
    return 1;
}

PyDoc_STRVAR(key_chars_doc,
"key_chars(keys, chars, table, add, limit, exhausted, /) -> list[str | None]\n"
"\n"
"Each key (words parted by single spaces; \"\" holds none) as one string of one character\n"
"per word, the word's character in the _WordChars dict ``chars``. A word that ``chars``\n"
"lacks gets the next character when ``add`` is true, as _WordChars.__missing__ gives it:\n"
"with n words in ``chars``, U+0100 + n, past the surrogate block from U+D800 on\n"
"(``exhausted()`` is raised when n reaches ``limit``); when ``add`` is false, it makes that\n"
"key's string None. So cleaner.dedup's ``_chars_of``, for all the keys in one call, the\n"
"words looked up in ``table`` (a ``word_table()`` kept beside ``chars``) before the dict.");

static PyObject *
key_chars(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "key_chars() takes 6 arguments");
        return NULL;
    }
    PyObject *chars = args[1];
    if (!PyDict_Check(chars)) {
        PyErr_SetString(PyExc_TypeError, "key_chars: chars must be a dict");
        return NULL;
    }
    WordTable *t = PyCapsule_GetPointer(args[2], WORD_TABLE_CAPSULE);
    if (t == NULL) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "key_chars: table must be a word_table()");
        return NULL;
    }
    int add = PyObject_IsTrue(args[3]);
    if (add < 0)
        return NULL;
    Py_ssize_t limit = PyLong_AsSsize_t(args[4]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    if (limit < 0 || limit > 0x10FFFF - 0x100 - 0x800) {
        PyErr_SetString(PyExc_ValueError, "key_chars: limit must be 0 .. 0x10FFFF - 0x900");
        return NULL;
    }
    PyObject *exhausted = args[5];
    if (!PyExceptionClass_Check(exhausted)) {
        PyErr_SetString(PyExc_TypeError, "key_chars: exhausted must be an exception class");
        return NULL;
    }
    if (PyDict_GET_SIZE(chars) < t->dict_size)
        word_table_reset(t); /* (the dict was cleared behind the cache's back) */
    PyObject *keys = PySequence_Tuple(args[0]);
    if (keys == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(keys), cap = 0;
    Py_UCS4 *buf = NULL;
    PyObject *out = PyList_New(n);
    if (out == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyTuple_GET_ITEM(keys, i);
        if (!PyUnicode_Check(key)) {
            PyErr_Format(PyExc_TypeError, "key_chars: keys[%zd] must be str, not %.100s", i,
                         Py_TYPE(key)->tp_name);
            goto error;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        if (reserve((void **)&buf, &cap, len + 1, sizeof(Py_UCS4)) < 0) /* (+1: never NULL) */
            goto error;
        Py_ssize_t m = 0;
        int lacking = 0;
        for (Py_ssize_t s = 0; len > 0 && s <= len && !lacking;) {
            uint64_t h;
            Py_ssize_t e = next_word(kind, data, s, len, &h);
            Py_ssize_t wlen = e - s;
            WordSlot *slot = t->cap ? word_slot(t, kind, data, s, wlen, h) : NULL;
            if (slot != NULL && slot->at != EMPTY_SLOT) {
                buf[m++] = slot->ch;
                s = e + 1;
                continue;
            }
            /* not met yet: the dict's character, or a new one */
            Py_UCS4 c;
            int got = dict_char(chars, key, s, e, add, limit, exhausted, &c);
            if (got < 0)
                goto error;
            if (got == 0) {
                lacking = 1;
                break;
            }
            int room = word_table_room(t, wlen);
            if (room < 0)
                goto error;
            if (room) {
                slot = word_slot(t, kind, data, s, wlen, h);
                slot->hash = (uint32_t)h;
                slot->at = (uint32_t)t->cps_len;
                slot->len = (uint32_t)wlen;
                slot->ch = c;
                for (Py_ssize_t k = 0; k < wlen; k++)
                    t->cps[t->cps_len++] = PyUnicode_READ(kind, data, s + k);
                t->used++;
            }
            buf[m++] = c;
            s = e + 1;
        }
        PyObject *string;
        if (lacking) {
            string = Py_None;
            Py_INCREF(string);
        }
        else
            string = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m);
        if (string == NULL)
            goto error;
        PyList_SET_ITEM(out, i, string);
    }
    t->dict_size = PyDict_GET_SIZE(chars);
    PyMem_Free(buf);
    Py_DECREF(keys);
    return out;
error:
    t->dict_size = PyDict_GET_SIZE(chars);
    PyMem_Free(buf);
    Py_XDECREF(out);
    Py_DECREF(keys);
    return NULL;
}

/* ------------------------------------------------------------------ band_pairs */

PyDoc_STRVAR(band_pairs_doc,
"band_pairs(sig, at, bands, rows, fresh, max_bucket, /) -> tuple[bytes, int]\n"
"\n"
"cleaner.lsh's LSH candidate pairs of n strings, as native int64 codes ``i * n + j``\n"
"(``i < j``; unsorted, a pair possibly more than once), and the size of the largest bucket.\n"
"``sig``: the C-contiguous uint32 signature matrix (one row of num_perm values per string\n"
"it holds); ``at``: None (string i is row i, n rows) or the C-contiguous int64 row of each\n"
"of the n strings. A string's hash in band b mixes its row's values b * rows .. b * rows +\n"
"rows - 1 as cleaner.lsh's ``_band_hashes`` does (h = 0; h ^= v; h *= 0x100000001B3); a\n"
"bucket is the strings of one band with one hash.\n"
"\n"
"With ``fresh`` None: every pair of a bucket of up to ``max_bucket`` strings, and a larger\n"
"bucket's members (ascending) in runs of ``max_bucket`` that overlap by one, each run's\n"
"pairs (as ``candidate_pairs_and_bucket``). With ``fresh`` (a list of string positions):\n"
"only the pairs of one bucket that hold a fresh string (as ``candidate_pairs_with``),\n"
"with the largest bucket 0 (not looked at).");

/* A growable array of pair codes. */
typedef struct {
    int64_t *codes;
    Py_ssize_t len, cap;
} Codes;

static inline int
codes_push(Codes *c, int64_t code)
{
    if (grow((void **)&c->codes, &c->cap, c->len + 1, sizeof(int64_t)) < 0)
        return -1;
    c->codes[c->len++] = code;
    return 0;
}

/* The slot of the bucket hash ``v`` in an open-addressing table of ``cap`` slots (``slot``:
 * the bucket's number, -1 where empty; ``slot_hash``: its hash), or the empty one where it
 * would go. */
static inline size_t
bucket_slot(const int32_t *slot, const uint64_t *slot_hash, size_t cap, uint64_t v)
{
    size_t s = (size_t)mix64(v) & (cap - 1);
    while (slot[s] >= 0 && slot_hash[s] != v)
        s = (s + 1) & (cap - 1);
    return s;
}

/* Every pair of ``members[0 .. k-1]`` (ascending). */
static inline int
push_all_pairs(Codes *c, const Py_ssize_t *members, Py_ssize_t k, Py_ssize_t n)
{
    for (Py_ssize_t x = 0; x < k; x++)
        for (Py_ssize_t y = x + 1; y < k; y++)
            if (codes_push(c, (int64_t)members[x] * n + members[y]) < 0)
                return -1;
    return 0;
}

static PyObject *
band_pairs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "band_pairs() takes 6 arguments");
        return NULL;
    }
    Py_ssize_t bands = PyLong_AsSsize_t(args[2]), rows = PyLong_AsSsize_t(args[3]);
    Py_ssize_t max_bucket = PyLong_AsSsize_t(args[5]);
    if (PyErr_Occurred())
        return NULL;
    if (bands < 1 || rows < 1 || max_bucket < 2) {
        PyErr_SetString(PyExc_ValueError, "band_pairs: bands and rows must be positive, max_bucket 2 or more");
        return NULL;
    }
    PyObject *fresh = args[4];
    if (fresh != Py_None && !PyList_Check(fresh)) {
        PyErr_SetString(PyExc_TypeError, "band_pairs: fresh must be None or a list of positions");
        return NULL;
    }
    Py_buffer sv, av;
    av.obj = NULL;
    if (PyObject_GetBuffer(args[0], &sv, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_ND) < 0)
        return NULL;
    PyObject *result = NULL;
    uint64_t *hash = NULL, *slot_hash = NULL;
    Py_ssize_t *row_of = NULL, *next = NULL, *head = NULL, *tail = NULL, *size = NULL;
    Py_ssize_t *members = NULL, *fresh_at = NULL;
    int32_t *slot = NULL;
    Codes out = {NULL, 0, 0};
    Py_ssize_t largest = 0;
    if (sv.ndim != 2 || sv.itemsize != 4 || sv.format == NULL || strchr("IL", sv.format[0]) == NULL ||
        sv.format[1] != '\0') {
        PyErr_SetString(PyExc_TypeError, "band_pairs: sig must be a 2-d uint32 matrix");
        goto done;
    }
    Py_ssize_t n_rows = sv.shape[0], num_perm = sv.shape[1];
    if (bands * rows > num_perm) {
        PyErr_SetString(PyExc_ValueError, "band_pairs: bands x rows past the signature's width");
        goto done;
    }
    Py_ssize_t n = n_rows;
    if (args[1] != Py_None) {
        if (PyObject_GetBuffer(args[1], &av, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_ND) < 0) {
            av.obj = NULL;
            goto done;
        }
        if (av.ndim != 1 || av.itemsize != 8 || av.format == NULL ||
            strchr("lq", av.format[0]) == NULL || av.format[1] != '\0') {
            PyErr_SetString(PyExc_TypeError, "band_pairs: at must be None or a 1-d int64 array");
            goto done;
        }
        n = av.shape[0];
    }
    if (n > ((Py_ssize_t)1 << 31)) {
        PyErr_SetString(PyExc_ValueError, "band_pairs: too many strings");
        goto done;
    }
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap <<= 1;
    row_of = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    hash = PyMem_Malloc(sizeof(uint64_t) * (size_t)(n ? n : 1) * (size_t)bands);
    next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    members = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    slot = PyMem_Malloc(sizeof(int32_t) * cap);
    slot_hash = PyMem_Malloc(sizeof(uint64_t) * cap);
    head = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    tail = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    size = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n ? n : 1));
    if (row_of == NULL || hash == NULL || next == NULL || members == NULL || slot == NULL ||
        slot_hash == NULL || head == NULL || tail == NULL || size == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const int64_t *at = av.obj != NULL ? (const int64_t *)av.buf : NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t r = at != NULL ? (Py_ssize_t)at[i] : i;
        if (r < 0 || r >= n_rows) {
            PyErr_Format(PyExc_IndexError, "band_pairs: at[%zd] is not a row of sig", i);
            goto done;
        }
        row_of[i] = r;
    }
    /* each string's hash in each band, band by band (hash[b * n + i]), its row read once */
    const uint32_t *sig = (const uint32_t *)sv.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint32_t *row = sig + row_of[i] * num_perm;
        for (Py_ssize_t b = 0; b < bands; b++) {
            uint64_t h = 0;
            for (Py_ssize_t c = 0; c < rows; c++) {
                h ^= (uint64_t)row[b * rows + c];
                h *= 0x100000001B3ULL;
            }
            hash[b * n + i] = h;
        }
    }
    Py_ssize_t n_fresh = 0;
    if (fresh != Py_None) {
        n_fresh = PyList_GET_SIZE(fresh);
        if (n_fresh > n) {
            PyErr_SetString(PyExc_ValueError, "band_pairs: more fresh positions than strings");
            goto done;
        }
        fresh_at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_fresh ? n_fresh : 1));
        if (fresh_at == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t f = 0; f < n_fresh; f++) {
            Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(fresh, f));
            if (p == -1 && PyErr_Occurred())
                goto done;
            if (p < 0 || p >= n) {
                PyErr_SetString(PyExc_IndexError, "band_pairs: a fresh position past the strings");
                goto done;
            }
            fresh_at[f] = p;
        }
    }
    for (Py_ssize_t b = 0; b < bands; b++) {
        const uint64_t *h = hash + b * n;
        if (fresh != Py_None) {
            /* the fresh strings' hashes in a small table (each bucket's fresh members in
             * one chain), then every string looked up in it */
            size_t fcap = 16;
            while (fcap < (size_t)n_fresh * 2)
                fcap <<= 1;
            memset(slot, -1, sizeof(int32_t) * fcap);
            Py_ssize_t buckets = 0;
            for (Py_ssize_t f = 0; f < n_fresh; f++) {
                uint64_t v = h[fresh_at[f]];
                size_t s = bucket_slot(slot, slot_hash, fcap, v);
                if (slot[s] < 0) {
                    slot[s] = (int32_t)buckets;
                    slot_hash[s] = v;
                    head[buckets] = -1;
                    buckets++;
                }
                /* (chained through next[], indexed by the fresh string's place in fresh) */
                next[f] = head[slot[s]];
                head[slot[s]] = f;
            }
            for (Py_ssize_t i = 0; i < n; i++) {
                size_t s = bucket_slot(slot, slot_hash, fcap, h[i]);
                if (slot[s] < 0)
                    continue;
                for (Py_ssize_t f = head[slot[s]]; f >= 0; f = next[f]) {
                    Py_ssize_t other = fresh_at[f];
                    if (other == i)
                        continue;
                    int64_t lo = other < i ? other : i, hi = other < i ? i : other;
                    if (codes_push(&out, lo * n + hi) < 0)
                        goto done;
                }
            }
            continue;
        }
        /* every string's bucket: members chained in ascending order (head, tail, next) */
        memset(slot, -1, sizeof(int32_t) * cap);
        Py_ssize_t buckets = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            uint64_t v = h[i];
            size_t s = bucket_slot(slot, slot_hash, cap, v);
            next[i] = -1;
            if (slot[s] < 0) {
                slot[s] = (int32_t)buckets;
                slot_hash[s] = v;
                head[buckets] = tail[buckets] = i;
                size[buckets] = 1;
                buckets++;
            }
            else {
                Py_ssize_t k = slot[s];
                next[tail[k]] = i;
                tail[k] = i;
                size[k]++;
            }
        }
        for (Py_ssize_t k = 0; k < buckets; k++) {
            Py_ssize_t m = size[k];
            largest = m > largest ? m : largest;
            if (m < 2)
                continue;
            Py_ssize_t got = 0;
            for (Py_ssize_t i = head[k]; i >= 0; i = next[i])
                members[got++] = i;
            if (m <= max_bucket) {
                if (push_all_pairs(&out, members, m, n) < 0)
                    goto done;
                continue;
            }
            /* a huge bucket (pathological repetition): overlapping runs */
            for (Py_ssize_t run = 0; run < m; run += max_bucket) {
                Py_ssize_t from = run > 0 ? run - 1 : 0;
                Py_ssize_t to = run + max_bucket < m ? run + max_bucket : m;
                if (push_all_pairs(&out, members + from, to - from, n) < 0)
                    goto done;
            }
        }
    }
    result = Py_BuildValue("(y#n)", out.codes != NULL ? (const char *)out.codes : "",
                           (Py_ssize_t)sizeof(int64_t) * out.len, fresh == Py_None ? (largest > 1 ? largest : 1) : 0);
done:
    PyMem_Free(out.codes);
    PyMem_Free(row_of);
    PyMem_Free(hash);
    PyMem_Free(next);
    PyMem_Free(members);
    PyMem_Free(slot);
    PyMem_Free(slot_hash);
    PyMem_Free(head);
    PyMem_Free(tail);
    PyMem_Free(size);
    PyMem_Free(fresh_at);
    PyBuffer_Release(&sv);
    if (av.obj != NULL)
        PyBuffer_Release(&av);
    return result;
}

PyMethodDef cleaner_lsh_methods[] = {
    {"minhash_into", (PyCFunction)(void (*)(void))minhash_into, METH_FASTCALL, minhash_into_doc},
    {"word_table", word_table, METH_NOARGS, word_table_doc},
    {"key_chars", (PyCFunction)(void (*)(void))key_chars, METH_FASTCALL, key_chars_doc},
    {"band_pairs", (PyCFunction)(void (*)(void))band_pairs, METH_FASTCALL, band_pairs_doc},
    {NULL, NULL, 0, NULL},
};
