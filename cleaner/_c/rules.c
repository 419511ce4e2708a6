/* The rule engine's per-line scan (cleaner.rules.engine). */
#include "common.h"

/* ------------------------------------------------------------------ scan_rule_lines */

/* One rule dispatch (see cleaner.rules.engine._Dispatch.native_spec). */
typedef struct {
    PyObject *by_key;      /* dict: key -> (idx, free_max, edge_max) */
    PyObject *candidates;  /* callable(key) -> entry, fills by_key */
    PyObject *by_long_key; /* dict: long key -> entry */
    PyObject *narrow;      /* callable(idx, long key) -> entry, fills by_long_key */
    Py_ssize_t max_chars, first_window, last_window;
    PyObject *rule_min, *rule_max, *rule_first, *rule_last, *rule_contains; /* tuples */
    struct KeyTable *short_table, *long_table; /* (NULL: none; see key_table) */
    const struct RuleTable *rule_table;        /* (NULL: none; see rule_table) */
} Dispatch;

static Slots line_slots; /* (where Line keeps its fields) */

/* ------------------------------------------------------------------ key tables */

/* A dispatch's key cache seen from C: the entries of the keys met so far (up to KEY_CPS
 * characters), by their code points, so that a line's key is looked up without making a
 * str of it, hashing that and probing the dict (whose keys and entries lie all over the
 * heap). An entry is what the dict holds, or what the dispatch's fill method made for the
 * key: the same for the same key, always (the table holds its own reference). */
#define KEY_CPS 8

typedef struct {
    PyObject *entry; /* NULL: an empty slot */
    int32_t len;
    /* the entry's rule count and bounds (see Found), read when it was put: a line whose key
     * the table knows is judged without touching the entry's objects */
    int32_t rules;
    Py_ssize_t free_max, edge_max;
    Py_UCS4 cp[KEY_CPS];
} KeySlot; /* (64 bytes: one cache line, as the table is aligned) */
#if SIZE_MAX == UINT64_MAX
_Static_assert(sizeof(KeySlot) == 64, "a key slot fills one cache line");
#endif

/* A dispatch entry found for a key: the entry (a 3-tuple: the candidate rules, the longest
 * line a rule without position limits takes, the longest a position-limited one takes),
 * borrowed from the key table that holds it or from ``held``, and what it says, read once. */
typedef struct {
    PyObject *entry;
    PyObject *held; /* the reference this lookup owns, or NULL (the table holds the entry) */
    Py_ssize_t rules, free_max, edge_max;
} Found;

static inline void
found_clear(Found *f)
{
    Py_CLEAR(f->held);
    f->entry = NULL;
}

/* Reads f->entry's rule count and bounds: 0, or -1 with TypeError for a malformed entry. */
static int
found_read(Found *f)
{
    PyObject *entry = f->entry;
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 ||
        !PyTuple_Check(PyTuple_GET_ITEM(entry, 0))) {
        PyErr_SetString(PyExc_TypeError,
                        "scan_rule_lines: a dispatch entry is a 3-tuple whose first item is a tuple");
        return -1;
    }
    f->rules = PyTuple_GET_SIZE(PyTuple_GET_ITEM(entry, 0));
    f->free_max = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 1));
    f->edge_max = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 2));
    return PyErr_Occurred() ? -1 : 0;
}

/* Whether some rule of the entry is left for a line (or fragment) of ``length``
 * characters (``edge``: where position-limited rules apply). */
static inline int
found_allows(const Found *f, Py_ssize_t length, int edge)
{
    return f->rules > 0 && (length <= f->free_max || (edge && length <= f->edge_max));
}

typedef struct KeyTable {
    KeySlot *slots; /* (within ``block``, at a multiple of 64 bytes) */
    void *block;
    size_t cap, used, most; /* (``most``: the keys it takes; then the dict alone is asked) */
} KeyTable;

#define KEY_TABLE_CAPSULE "cleaner._native.key_table"

static void
key_table_destroy(PyObject *capsule)
{
    KeyTable *t = PyCapsule_GetPointer(capsule, KEY_TABLE_CAPSULE);
    if (t == NULL) {
        PyErr_Clear();
        return;
    }
    for (size_t i = 0; i < t->cap; i++)
        Py_XDECREF(t->slots[i].entry);
    PyMem_Free(t->block);
    PyMem_Free(t);
}

PyDoc_STRVAR(key_table_doc,
"key_table(most, /) -> capsule\n"
"\n"
"An empty key table for a dispatch's ``native_spec`` (its short or its long keys): the\n"
"C core's cache of the entries of the keys it has met, ``most`` keys at most.");

static PyObject *
key_table(PyObject *module, PyObject *arg)
{
    Py_ssize_t most = PyLong_AsSsize_t(arg);
    if (most == -1 && PyErr_Occurred())
        return NULL;
    if (most < 0) {
        PyErr_SetString(PyExc_ValueError, "key_table: most must be at least 0");
        return NULL;
    }
    KeyTable *t = PyMem_Calloc(1, sizeof(KeyTable));
    if (t == NULL)
        return PyErr_NoMemory();
    t->most = (size_t)most;
    PyObject *capsule = PyCapsule_New(t, KEY_TABLE_CAPSULE, key_table_destroy);
    if (capsule == NULL)
        PyMem_Free(t);
    return capsule;
}

/* The slot of the key (or the empty slot where it would go). */
static inline KeySlot *
key_slot(const KeyTable *t, const Py_UCS4 *cp, Py_ssize_t len, uint64_t h)
{
    size_t i = (size_t)h & (t->cap - 1);
    for (;;) {
        KeySlot *slot = &t->slots[i];
        if (slot->entry == NULL ||
            (slot->len == len && memcmp(slot->cp, cp, sizeof(Py_UCS4) * (size_t)len) == 0))
            return slot;
        i = (i + 1) & (t->cap - 1);
    }
}

/* Keep ``entry`` for the key (not in the table yet): 0, or -1 with MemoryError. */
static int
key_table_put(KeyTable *t, const Py_UCS4 *cp, Py_ssize_t len, uint64_t h, const Found *found)
{
    if (t->used >= t->most || found->rules > INT32_MAX)
        return 0;
    if (2 * (t->used + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        KeySlot *old = t->slots;
        void *old_block = t->block;
        size_t old_cap = t->cap;
        /* (64 bytes more, to start the slots on a cache line: a probe reads one line) */
        void *block = PyMem_Calloc(cap + 1, sizeof(KeySlot));
        if (block == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->block = block;
        t->slots = (KeySlot *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
        t->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].entry != NULL)
                *key_slot(t, old[i].cp, old[i].len, hash_word(old[i].cp, old[i].len)) = old[i];
        PyMem_Free(old_block);
    }
    KeySlot *slot = key_slot(t, cp, len, h);
    slot->len = (int32_t)len;
    memcpy(slot->cp, cp, sizeof(Py_UCS4) * (size_t)len);
    slot->rules = (int32_t)found->rules;
    slot->free_max = found->free_max;
    slot->edge_max = found->edge_max;
    slot->entry = Py_NewRef(found->entry);
    t->used++;
    return 0;
}

/* ------------------------------------------------------------------ rule tables */

/* A dispatch's per-rule limits read once into C arrays (see rule_table), so that choosing a
 * line's rules reads no int or str object: each rule's length and position limits, and its
 * ``contains`` hints when all of them are ASCII str (the common case). */
typedef struct RuleTable {
    PyObject *source[5];    /* the tuples it was made from (held: see parse_dispatch) */
    Py_ssize_t *limits;     /* 4 per rule: min_chars, max_chars, first_lines, last_lines */
    Py_ssize_t *hints;      /* per rule: how many hints, or -1 (not all ASCII str) */
    Py_ssize_t *hint_at;    /* per rule: its first hint's place in ``hint_end`` */
    Py_ssize_t *hint_end;   /* each hint's end in ``chars`` (a hint starts at the last's end) */
    char *chars;
} RuleTable;

#define RULE_TABLE_CAPSULE "cleaner._native.rule_table"

static void
rule_table_free(RuleTable *t)
{
    for (int a = 0; a < 5; a++)
        Py_XDECREF(t->source[a]);
    PyMem_Free(t->limits);
    PyMem_Free(t->hints);
    PyMem_Free(t->hint_at);
    PyMem_Free(t->hint_end);
    PyMem_Free(t->chars);
    PyMem_Free(t);
}

static void
rule_table_destroy(PyObject *capsule)
{
    RuleTable *t = PyCapsule_GetPointer(capsule, RULE_TABLE_CAPSULE);
    if (t == NULL) {
        PyErr_Clear();
        return;
    }
    rule_table_free(t);
}

PyDoc_STRVAR(rule_table_doc,
"rule_table(min_chars, max_chars, first_lines, last_lines, contains, /) -> capsule\n"
"\n"
"A dispatch's rule limits as ``scan_rule_lines`` reads them fastest: the five tuples of\n"
"its ``native_spec`` (items 7 to 11), read once. A spec that carries one (its 15th item)\n"
"must carry these very tuples.");

static PyObject *
rule_table(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "rule_table() takes 5 arguments");
        return NULL;
    }
    for (int a = 0; a < 5; a++) {
        if (!PyTuple_Check(args[a]) || PyTuple_GET_SIZE(args[a]) != PyTuple_GET_SIZE(args[0])) {
            PyErr_SetString(PyExc_TypeError, "rule_table: five tuples of one length");
            return NULL;
        }
    }
    Py_ssize_t count = PyTuple_GET_SIZE(args[0]), n_hints = 0, n_chars = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *contains = PyTuple_GET_ITEM(args[4], k);
        if (!PyTuple_Check(contains)) {
            PyErr_SetString(PyExc_TypeError, "rule_table: contains must be a tuple");
            return NULL;
        }
        for (Py_ssize_t h = 0; h < PyTuple_GET_SIZE(contains); h++) {
            PyObject *hint = PyTuple_GET_ITEM(contains, h);
            n_hints++;
            if (PyUnicode_Check(hint) && PyUnicode_IS_ASCII(hint))
                n_chars += PyUnicode_GET_LENGTH(hint);
        }
    }
    RuleTable *t = PyMem_Calloc(1, sizeof(RuleTable));
    if (t == NULL)
        return PyErr_NoMemory();
    t->limits = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(4 * count + 1));
    t->hints = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(count + 1));
    t->hint_at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(count + 1));
    t->hint_end = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n_hints + 1));
    t->chars = PyMem_Malloc((size_t)(n_chars + 1));
    if (t->limits == NULL || t->hints == NULL || t->hint_at == NULL || t->hint_end == NULL ||
        t->chars == NULL) {
        rule_table_free(t);
        return PyErr_NoMemory();
    }
    Py_ssize_t at = 0, w = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        for (int a = 0; a < 4; a++)
            t->limits[4 * k + a] = PyLong_AsSsize_t(PyTuple_GET_ITEM(args[a], k));
        if (PyErr_Occurred()) {
            rule_table_free(t);
            return NULL;
        }
        PyObject *contains = PyTuple_GET_ITEM(args[4], k);
        Py_ssize_t own = PyTuple_GET_SIZE(contains);
        t->hint_at[k] = at;
        t->hints[k] = own;
        for (Py_ssize_t h = 0; h < own; h++) {
            PyObject *hint = PyTuple_GET_ITEM(contains, h);
            if (PyUnicode_Check(hint) && PyUnicode_IS_ASCII(hint)) {
                Py_ssize_t len = PyUnicode_GET_LENGTH(hint);
                memcpy(t->chars + w, PyUnicode_1BYTE_DATA(hint), (size_t)len);
                w += len;
            }
            else
                t->hints[k] = -1; /* (read off the tuple, as without a table) */
            t->hint_end[at++] = w;
        }
    }
    for (int a = 0; a < 5; a++)
        t->source[a] = Py_NewRef(args[a]);
    PyObject *capsule = PyCapsule_New(t, RULE_TABLE_CAPSULE, rule_table_destroy);
    if (capsule == NULL)
        rule_table_free(t);
    return capsule;
}

static int
parse_dispatch(PyObject *spec, Dispatch *d)
{
    Py_ssize_t items = PyTuple_Check(spec) ? PyTuple_GET_SIZE(spec) : 0;
    if (items != 12 && items != 14 && items != 15) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: a dispatch spec is a 12-tuple (14 with "
                                         "its key tables, 15 with its rule table)");
        return -1;
    }
    d->short_table = d->long_table = NULL;
    d->rule_table = NULL;
    if (items >= 14) {
        PyObject *short_table = PyTuple_GET_ITEM(spec, 12), *long_table = PyTuple_GET_ITEM(spec, 13);
        if (!PyCapsule_IsValid(short_table, KEY_TABLE_CAPSULE) ||
            !PyCapsule_IsValid(long_table, KEY_TABLE_CAPSULE) || short_table == long_table) {
            PyErr_SetString(PyExc_TypeError,
                            "scan_rule_lines: a dispatch's key tables are two made by key_table()");
            return -1;
        }
        d->short_table = PyCapsule_GetPointer(short_table, KEY_TABLE_CAPSULE);
        d->long_table = PyCapsule_GetPointer(long_table, KEY_TABLE_CAPSULE);
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
    if (items == 15) {
        PyObject *capsule = PyTuple_GET_ITEM(spec, 14);
        const RuleTable *t = PyCapsule_IsValid(capsule, RULE_TABLE_CAPSULE)
                                 ? PyCapsule_GetPointer(capsule, RULE_TABLE_CAPSULE)
                                 : NULL;
        /* (made from this spec's own tuples: it holds them, so no other tuple can have
         * taken their addresses) */
        if (t == NULL || t->source[0] != d->rule_min || t->source[1] != d->rule_max ||
            t->source[2] != d->rule_first || t->source[3] != d->rule_last ||
            t->source[4] != d->rule_contains) {
            PyErr_SetString(PyExc_TypeError, "scan_rule_lines: a dispatch's rule table is the "
                                             "rule_table() of its own limits");
            return -1;
        }
        d->rule_table = t;
    }
    if (!PyDict_Check(d->by_key) || !PyDict_Check(d->by_long_key) ||
        !PyTuple_Check(d->rule_min) || !PyTuple_Check(d->rule_max) ||
        !PyTuple_Check(d->rule_first) || !PyTuple_Check(d->rule_last) ||
        !PyTuple_Check(d->rule_contains)) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: malformed dispatch spec");
        return -1;
    }
    return 0;
}

/* The characters skipped before a line's dispatch key (bullets, brackets, quotes): the
 * ASCII ones as bits (a line most often starts with an ASCII letter: one test), the others
 * listed. */
typedef struct {
    uint64_t ascii[2];
    Py_UCS4 other[64];
    Py_ssize_t n_other;
} LeadSet;

static inline int
in_lead(Py_UCS4 ch, const LeadSet *set)
{
    if (ch < 128)
        return (int)((set->ascii[ch >> 6] >> (ch & 63)) & 1);
    for (Py_ssize_t k = 0; k < set->n_other; k++)
        if (set->other[k] == ch)
            return 1;
    return 0;
}

/* The end of _Dispatch's key at ``s``: text[s : min(e, s + head_len)], bullets and brackets
 * (``lead``) skipped, then ``key_len`` more characters, trailing whitespace stripped (the
 * key is text[s : the end]). */
static Py_ssize_t
anchored_end(int kind, const void *data, Py_ssize_t s, Py_ssize_t e, Py_ssize_t head_len,
             Py_ssize_t key_len, const LeadSet *lead)
{
    Py_ssize_t head_end = e < s + head_len ? e : s + head_len;
    Py_ssize_t skip = s;
    while (skip < head_end && in_lead(PyUnicode_READ(kind, data, skip), lead))
        skip++;
    Py_ssize_t key_end = skip + key_len < head_end ? skip + key_len : head_end;
    while (key_end > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, key_end - 1)))
        key_end--;
    return key_end;
}

/* by_key.get(key) or fill(key) (``idx`` NULL), or fill(idx, key); a new reference. */
static PyObject *
lookup(PyObject *dict, PyObject *key, PyObject *fill, PyObject *idx)
{
    PyObject *entry = PyDict_GetItemWithError(dict, key);
    if (entry != NULL)
        return Py_NewRef(entry);
    if (PyErr_Occurred())
        return NULL;
    return idx == NULL ? PyObject_CallOneArg(fill, key)
                       : PyObject_CallFunctionObjArgs(fill, idx, key, NULL);
}

/* The entry of the key text[s:e] into ``out``: through ``table`` (when not NULL) for a key
 * of up to KEY_CPS characters, so that a key the table knows costs no str, hash or dict
 * probe, nor a look at the entry's objects; else lookup() (``narrowed``: the entry whose
 * rules a long key narrows, None for a short key). 0, or -1 with an exception set (``out``
 * then holds nothing). Release ``out`` with found_clear. */
static int
table_lookup(KeyTable *table, PyObject *text, int kind, const void *data, Py_ssize_t s,
             Py_ssize_t e, PyObject *dict, PyObject *fill, const Found *narrowed, Found *out)
{
    Py_ssize_t len = e - s;
    Py_UCS4 cp[KEY_CPS];
    uint64_t h = 0;
    int tabled = table != NULL && len <= KEY_CPS;
    out->entry = out->held = NULL;
    if (tabled) {
        for (Py_ssize_t k = 0; k < len; k++)
            cp[k] = PyUnicode_READ(kind, data, s + k);
        h = hash_word(cp, len);
        if (table->cap) {
            const KeySlot *slot = key_slot(table, cp, len, h);
            if (slot->entry != NULL) {
                out->entry = slot->entry;
                out->rules = slot->rules;
                out->free_max = slot->free_max;
                out->edge_max = slot->edge_max;
                return 0;
            }
        }
    }
    PyObject *key = PyUnicode_Substring(text, s, e);
    if (key == NULL)
        return -1;
    out->held = lookup(dict, key, fill,
                       narrowed != NULL ? PyTuple_GET_ITEM(narrowed->entry, 0) : NULL);
    Py_DECREF(key);
    if (out->held == NULL)
        return -1;
    out->entry = out->held;
    if (found_read(out) < 0 || (tabled && key_table_put(table, cp, len, h, out) < 0)) {
        found_clear(out);
        return -1;
    }
    return 0;
}

/* str.casefold() of an ASCII str (its lowercase). */
static PyObject *
ascii_lower(PyObject *text)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyUnicode_New(len, 127);
    if (out == NULL)
        return NULL;
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(text);
    Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t k = 0; k < len; k++)
        dst[k] = src[k] >= 'A' && src[k] <= 'Z' ? (Py_UCS1)(src[k] + 32) : src[k];
    return out;
}

/* Whether the ``nl`` bytes at ``needle`` stand in the ``hl`` bytes at ``hay``. */
static int
bytes_contain(const char *hay, Py_ssize_t hl, const char *needle, Py_ssize_t nl)
{
    if (nl == 0)
        return 1;
    if (nl > hl)
        return 0;
    const char *p = hay, *last = hay + hl - nl;
    while (p <= last && (p = memchr(p, needle[0], (size_t)(last - p + 1))) != NULL) {
        if (memcmp(p, needle, (size_t)nl) == 0)
            return 1;
        p++;
    }
    return 0;
}

/* The character pairs of a text, for a quick "cannot contain" answer before bytes_contain:
 * a 4096-bit set (hashed pairs: a pair absent from the set is absent from the text). */
#define PAIR_WORDS 64

static inline unsigned
pair_bit(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 131u + (unsigned)b) & (PAIR_WORDS * 64u - 1u);
}

static void
pair_set(const char *text, Py_ssize_t len, uint64_t *bits)
{
    memset(bits, 0, PAIR_WORDS * sizeof(uint64_t));
    for (Py_ssize_t i = 0; i + 1 < len; i++) {
        unsigned b = pair_bit((unsigned char)text[i], (unsigned char)text[i + 1]);
        bits[b >> 6] |= (uint64_t)1 << (b & 63u);
    }
}

/* 0 when ``needle`` cannot stand in the text of ``bits`` (one of its pairs is not there);
 * 1 when it may. */
static inline int
pairs_allow(const uint64_t *bits, const char *needle, Py_ssize_t nl)
{
    for (Py_ssize_t i = 0; i + 1 < nl; i++) {
        unsigned b = pair_bit((unsigned char)needle[i], (unsigned char)needle[i + 1]);
        if (!(bits[b >> 6] & ((uint64_t)1 << (b & 63u))))
            return 0;
    }
    return 1;
}

/* Whether the ASCII hint ``needle`` stands in the projection ``proj``: ruled out by the
 * projection's character pairs first when it has them (``pairs``, else NULL). */
static inline int
hint_in(const char *proj, Py_ssize_t proj_len, const uint64_t *pairs, const char *needle,
        Py_ssize_t nl)
{
    return (pairs == NULL || pairs_allow(pairs, needle, nl)) &&
           bytes_contain(proj, proj_len, needle, nl);
}

/* str.casefold() of ``own`` by ``fold`` (casefold of each code point below U+10000 where it
 * is one character; FOLD_CARE where it is not): a new str, or NULL, with no exception, where
 * the table cannot (a character past U+FFFF or one it leaves to Python), or with one. */
static PyObject *
table_casefold(PyObject *own, const uint32_t *fold)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(own);
    int kind = PyUnicode_KIND(own);
    if (kind == PyUnicode_4BYTE_KIND)
        return NULL;
    const void *data = PyUnicode_DATA(own);
    Py_UCS4 *chars = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(len ? len : 1));
    if (chars == NULL)
        return PyErr_NoMemory();
    Py_UCS4 max = 0;
    for (Py_ssize_t k = 0; k < len; k++) {
        uint32_t ch = fold[PyUnicode_READ(kind, data, k)];
        if (ch == FOLD_CARE) {
            PyMem_Free(chars);
            return NULL;
        }
        chars[k] = ch;
        max |= ch;
    }
    PyObject *out = ucs4_str_max(chars, len, max);
    PyMem_Free(chars);
    return out;
}

/* rules.literals.fold_for_hints after the casefold: a combining dot above (what ``İ``
 * casefolds to, after its ``i``) dropped and ``ı`` read as ``i``, as a pattern's ``i``
 * and ``I`` match them. Replaces ``*folded``; 0, or -1 with an exception. */
static int
hint_fold_fix(PyObject **folded)
{
    static const Py_UCS4 from[2] = {0x0307, 0x0131}, to[2] = {0, 'i'}; /* (0: dropped) */
    for (int k = 0; k < 2; k++) {
        Py_ssize_t at = PyUnicode_FindChar(*folded, from[k], 0, PyUnicode_GET_LENGTH(*folded), 1);
        if (at == -2)
            return -1;
        if (at == -1)
            continue;
        PyObject *old = PyUnicode_FromOrdinal((int)from[k]);
        PyObject *new = to[k] ? PyUnicode_FromOrdinal((int)to[k]) : PyUnicode_New(0, 0);
        PyObject *out = old && new ? PyUnicode_Replace(*folded, old, new, -1) : NULL;
        Py_XDECREF(old);
        Py_XDECREF(new);
        if (out == NULL)
            return -1;
        Py_SETREF(*folded, out);
    }
    return 0;
}

/* text[s:e] casefolded as the ``contains`` test reads it (see select_rules' ``folded``),
 * each character past U+007F written as 0x80, into ``out`` (``e - s`` bytes): an ASCII hint
 * stands in the folded text exactly where it stands in these bytes. Returns their number,
 * or -1 where only str.casefold can fold the text (no table, a longer casefold, or a
 * character past U+FFFF). */
static Py_ssize_t
ascii_projection(PyObject *text, Py_ssize_t s, Py_ssize_t e, const uint32_t *fold, char *out)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t w = 0;
    for (Py_ssize_t k = s; k < e; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k), f;
        if (c < 128)
            f = c >= 'A' && c <= 'Z' ? c + 32 : c;
        else {
            if (fold == NULL || c >= FOLD_TABLE_SIZE || (f = fold[c]) == FOLD_CARE)
                return -1;
            if (f == 0x0307) /* (hint_fold_fix: a combining dot above dropped, ...) */
                continue;
            if (f == 0x0131) /* (... and a dotless i read as i) */
                f = 'i';
        }
        out[w++] = f < 128 ? (char)f : (char)0x80;
    }
    return w;
}

/* text[s:e] casefolded as _Dispatch.select has it
 * (fold_for_hints): a new str, or NULL with an exception. */
static PyObject *
hint_folded(PyObject *text, Py_ssize_t s, Py_ssize_t e, const uint32_t *fold)
{
    PyObject *own = PyUnicode_Substring(text, s, e);
    if (own == NULL)
        return NULL;
    PyObject *folded = NULL;
    if (PyUnicode_IS_ASCII(own))
        folded = ascii_lower(own);
    else {
        folded = fold != NULL ? table_casefold(own, fold) : NULL;
        if (folded == NULL && !PyErr_Occurred())
            folded = PyObject_CallMethodNoArgs(own, str_casefold);
        if (folded != NULL && hint_fold_fix(&folded) < 0)
            Py_CLEAR(folded);
    }
    Py_DECREF(own);
    return folded;
}

/* The ``contains`` hints of rule ``k`` (a borrowed tuple), or NULL with TypeError. */
static PyObject *
rule_contains(const Dispatch *d, Py_ssize_t k)
{
    PyObject *contains = PyTuple_GET_ITEM(d->rule_contains, k);
    if (!PyTuple_Check(contains)) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines: contains must be a tuple");
        return NULL;
    }
    return contains;
}

/* _Dispatch.select: the candidates ``idx`` whose length, position and ``contains`` limits
 * allow text[s:e] on line ``index`` of ``n``; a new tuple (maybe
 * empty) or NULL. */
static PyObject *
select_rules(const Dispatch *d, PyObject *idx, PyObject *text, Py_ssize_t s,
             Py_ssize_t e, Py_ssize_t index, Py_ssize_t n, const uint32_t *fold)
{
    Py_ssize_t length = e - s, count = PyTuple_GET_SIZE(idx), kept = 0;
    Py_ssize_t keep[64]; /* positions in idx of the rules kept (the first 64) */
    PyObject *folded = NULL;
    /* (the text's ASCII projection, for the ASCII hints: made on first use; -1: none) */
    char proj_room[512], *proj = NULL;
    Py_ssize_t proj_len = -1;
    int projected = 0, all = 1;
    /* (the projection's character pairs, made for a rule of many hints: most hints of such
     * a rule are not in the line, and this tells at once for most of them) */
    uint64_t pairs[PAIR_WORDS];
    int paired = 0;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *item = PyTuple_GET_ITEM(idx, j);
        Py_ssize_t k = PyLong_AsSsize_t(item);
        if (k == -1 && PyErr_Occurred())
            goto error;
        if (k < 0 || k >= PyTuple_GET_SIZE(d->rule_max)) {
            PyErr_SetString(PyExc_IndexError, "scan_rule_lines: rule index out of range");
            goto error;
        }
        const RuleTable *rt = d->rule_table;
        Py_ssize_t min_chars, max_chars, first, last, hints;
        PyObject *contains = NULL; /* (read only when the rule table has not the hints) */
        if (rt != NULL) {
            const Py_ssize_t *limits = rt->limits + 4 * k;
            min_chars = limits[0];
            max_chars = limits[1];
            first = limits[2];
            last = limits[3];
            hints = rt->hints[k];
        }
        else {
            max_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_max, k));
            min_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_min, k));
            first = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_first, k));
            last = PyLong_AsSsize_t(PyTuple_GET_ITEM(d->rule_last, k));
            if (PyErr_Occurred())
                goto error;
            hints = -1;
        }
        int ok = length <= max_chars && length >= min_chars;
        if (ok && (first >= 0 || last >= 0))
            ok = (first >= 0 && index < first) || (last >= 0 && index >= n - last);
        if (hints < 0) {
            if ((contains = rule_contains(d, k)) == NULL)
                goto error;
            hints = PyTuple_GET_SIZE(contains);
        }
        if (ok && hints && !projected) {
            projected = 1;
            proj = length <= (Py_ssize_t)sizeof(proj_room) ? proj_room : PyMem_Malloc((size_t)length);
            if (proj == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            proj_len = ascii_projection(text, s, e, fold, proj);
        }
        int any = 0;
        if (ok && hints >= 4 && proj_len >= 0 && !paired) {
            pair_set(proj, proj_len, pairs);
            paired = 1;
        }
        for (Py_ssize_t h = 0; ok && h < hints && !any; h++) {
            if (contains == NULL && proj_len >= 0) {
                /* (an ASCII hint of the rule table, as the branch below reads it) */
                Py_ssize_t at = rt->hint_at[k] + h, from = at ? rt->hint_end[at - 1] : 0;
                any = hint_in(proj, proj_len, paired ? pairs : NULL, rt->chars + from,
                              rt->hint_end[at] - from);
                continue;
            }
            if (contains == NULL && (contains = rule_contains(d, k)) == NULL)
                goto error;
            PyObject *hint = PyTuple_GET_ITEM(contains, h);
            if (proj_len >= 0 && PyUnicode_Check(hint) && PyUnicode_IS_ASCII(hint)) {
                any = hint_in(proj, proj_len, paired ? pairs : NULL,
                              (const char *)PyUnicode_1BYTE_DATA(hint), PyUnicode_GET_LENGTH(hint));
                continue;
            }
            /* (a hint the projection cannot answer: the folded text itself) */
            if (folded == NULL &&
                (folded = hint_folded(text, s, e, fold)) == NULL)
                goto error;
            if (PyUnicode_IS_ASCII(folded) && PyUnicode_Check(hint)) {
                /* (an ASCII line holds no character of a hint past U+007F) */
                any = PyUnicode_KIND(hint) == PyUnicode_1BYTE_KIND &&
                      bytes_contain((const char *)PyUnicode_1BYTE_DATA(folded),
                                    PyUnicode_GET_LENGTH(folded),
                                    (const char *)PyUnicode_1BYTE_DATA(hint),
                                    PyUnicode_GET_LENGTH(hint));
                continue;
            }
            any = PySequence_Contains(folded, hint);
            if (any < 0)
                goto error;
        }
        if (ok && hints)
            ok = any;
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
    if (proj != proj_room)
        PyMem_Free(proj);
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
    if (proj != proj_room)
        PyMem_Free(proj);
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

/* The first position from ``p`` (before ``e``) whose character is a boundary_first one, or
 * ``e``: one- and two-byte code units looked up in a table made from boundary_first (64 KB,
 * of which text touches the few lines of its scripts), the rest asked. */
static inline Py_ssize_t
next_boundary_first(int kind, const void *data, Py_ssize_t p, Py_ssize_t e)
{
    static uint8_t bmp[0x10000];
    static int ready = 0;
    if (!ready) {
        for (Py_UCS4 ch = 0; ch < 0x10000; ch++)
            bmp[ch] = (uint8_t)boundary_first(ch);
        ready = 1;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *c = data;
        while (p < e && !bmp[c[p]])
            p++;
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *c = data;
        while (p < e && !bmp[c[p]])
            p++;
    }
    else {
        while (p < e && !boundary_first(PyUnicode_READ(kind, data, p)))
            p++;
    }
    return p;
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

/* Append (at, rules) to *list (made on first use) when ``rules`` is not empty; steals
 * ``rules``. 0, or -1 with an exception set. */
static int
append_pair(PyObject **list, Py_ssize_t at, PyObject *rules)
{
    if (PyTuple_GET_SIZE(rules) == 0) {
        Py_DECREF(rules);
        return 0;
    }
    if (*list == NULL && (*list = PyList_New(0)) == NULL) {
        Py_DECREF(rules);
        return -1;
    }
    PyObject *pair = Py_BuildValue("(nN)", at, rules);
    if (pair == NULL)
        return -1;
    int failed = PyList_Append(*list, pair);
    Py_DECREF(pair);
    return failed;
}

PyDoc_STRVAR(scan_rule_lines_doc,
"scan_rule_lines(text, lines, active, start, trailing, fallbacks, lead, fold=None, /) -> list\n"
"\n"
"The per-line part of RuleEngine._find: for each line (``Line`` objects; only those whose\n"
"``active`` flag is true, when ``active`` is not None) the rules of the ``start`` dispatch,\n"
"of each ``fallbacks`` dispatch and of the ``trailing`` dispatch (None: none) that its\n"
"dispatch key, length, position and ``contains`` limits leave to try, as\n"
"``(line, start_rules or None, [(fallback, rules), ...] or None, [(pos, rules), ...] or\n"
"None)`` for the lines that have any. A dispatch is its ``native_spec`` tuple; ``lead`` the\n"
"characters skipped before a key; ``fold`` (or None) the casefold of each code point below\n"
"U+10000 where it is one character, for a line's ``contains`` test (else str.casefold).");

static PyObject *
scan_lines(PyObject *const *args, const uint32_t *fold)
{
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
    LeadSet lead_set = {{0, 0}, {0}, 0};
    const LeadSet *lead = &lead_set;
    Py_ssize_t n_lead = PyUnicode_GET_LENGTH(args[6]);
    if (n_lead > 64) {
        Py_DECREF(fb_seq);
        PyErr_SetString(PyExc_ValueError, "scan_rule_lines: at most 64 lead characters");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n_lead; k++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(args[6], k);
        if (ch < 128)
            lead_set.ascii[ch >> 6] |= (uint64_t)1 << (ch & 63);
        else
            lead_set.other[lead_set.n_other++] = ch;
    }
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
    Found found = {NULL, NULL, 0, 0, 0}, longer = {NULL, NULL, 0, 0, 0}; /* (short, long key) */
    if (out == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (active != Py_None && !PyObject_IsTrue(PyList_GET_ITEM(active, i)))
            continue;
        PyObject *line = PySequence_Fast_GET_ITEM(lines, i);
        /* (a Line's fields read off its slots; another object's through its attributes) */
        find_slots(&line_slots, Py_TYPE(line), line_field_names, LINE_FIELDS);
        Py_ssize_t s = slot_ssize(line, &line_slots, LINE_START);
        Py_ssize_t e = PyErr_Occurred() ? -1 : slot_ssize(line, &line_slots, LINE_END);
        Py_ssize_t index = PyErr_Occurred() ? -1 : slot_ssize(line, &line_slots, LINE_INDEX);
        if (PyErr_Occurred())
            goto error;
        /* (its text is text[s:e]: the contains test reads that, and the line's own str,
         * another object to fetch from memory, is left alone) */
        if (s < 0 || e > text_len || s > e) {
            PyErr_Format(PyExc_ValueError, "scan_rule_lines: line %zd (%zd, %zd) is outside the text", i, s, e);
            goto error;
        }
        Py_ssize_t length = e - s;
        /* the line-start rules */
        if (length <= start.max_chars) {
            if (table_lookup(start.short_table, text, kind, data, s,
                             anchored_end(kind, data, s, e, 24, 3, lead), start.by_key,
                             start.candidates, NULL, &found) < 0)
                goto error;
            int edge = i < start.first_window || i >= n - start.last_window;
            if (found_allows(&found, length, edge)) {
                if (table_lookup(start.long_table, text, kind, data, s,
                                 anchored_end(kind, data, s, e, 24, 8, lead),
                                 start.by_long_key, start.narrow, &found, &longer) < 0)
                    goto error;
                if (found_allows(&longer, length, edge)) {
                    start_sel = select_rules(&start, PyTuple_GET_ITEM(longer.entry, 0), text,
                                             s, e, index, n, fold);
                    if (start_sel == NULL)
                        goto error;
                    if (PyTuple_GET_SIZE(start_sel) == 0)
                        Py_CLEAR(start_sel);
                }
                found_clear(&longer);
            }
            found_clear(&found);
        }
        /* the fallback packs (other languages' buttons and widgets): one key for all, and
         * one long key, for the few rules the short one leaves (as for the start rules) */
        Py_ssize_t fb_end = -1, fb_long_end = -1; /* (the ends of the keys, made once) */
        for (Py_ssize_t f = 0; f < n_fb; f++) {
            const Dispatch *d = &fallbacks[f];
            if (length > d->max_chars)
                continue;
            if (fb_end < 0)
                fb_end = anchored_end(kind, data, s, e, 16, 3, lead);
            if (table_lookup(d->short_table, text, kind, data, s, fb_end, d->by_key,
                             d->candidates, NULL, &found) < 0)
                goto error;
            if (found.rules == 0) { /* (no rule: nothing to select) */
                found_clear(&found);
                continue;
            }
            if (fb_long_end < 0)
                fb_long_end = anchored_end(kind, data, s, e, 16, 8, lead);
            int failed = table_lookup(d->long_table, text, kind, data, s, fb_long_end,
                                      d->by_long_key, d->narrow, &found, &longer);
            found_clear(&found);
            if (failed < 0)
                goto error;
            if (longer.rules > 0) {
                PyObject *sel = select_rules(d, PyTuple_GET_ITEM(longer.entry, 0), text, s, e,
                                             index, n, fold);
                if (sel == NULL || append_pair(&fb_list, f, sel) < 0)
                    goto error;
            }
            found_clear(&longer);
        }
        /* trailing fragments: sentence starts near the end of the line */
        if (has_trailing && trailing.max_chars && length > 6) {
            Py_ssize_t p = s > e - trailing.max_chars - 4 ? s : e - trailing.max_chars - 4;
            while ((p = next_boundary_first(kind, data, p, e)) < e) {
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
                if (table_lookup(trailing.short_table, text, kind, data, pos, key_end,
                                 trailing.by_key, trailing.candidates, NULL, &found) < 0)
                    goto error;
                Py_ssize_t frag = e - pos;
                const Found *use = &found;
                if (found_allows(&found, frag, 1) && frag >= 8) {
                    /* the long key (a fragment this long holds it: nothing past the line) */
                    key_end = pos + 8;
                    while (key_end > pos && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, key_end - 1)))
                        key_end--;
                    if (table_lookup(trailing.long_table, text, kind, data, pos, key_end,
                                     trailing.by_long_key, trailing.narrow, &found, &longer) < 0)
                        goto error;
                    use = &longer;
                }
                if (found_allows(use, frag, 1)) {
                    PyObject *sel = select_rules(&trailing, PyTuple_GET_ITEM(use->entry, 0), text,
                                                 pos, e, index, n, fold);
                    if (sel == NULL || append_pair(&trail_list, pos, sel) < 0)
                        goto error;
                }
                found_clear(&longer);
                found_clear(&found);
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
    }
    Py_DECREF(fb_seq);
    Py_DECREF(lines);
    return out;
error:
    Py_XDECREF(out);
    Py_XDECREF(start_sel);
    Py_XDECREF(fb_list);
    Py_XDECREF(trail_list);
    found_clear(&found);
    found_clear(&longer);
    Py_DECREF(fb_seq);
    Py_DECREF(lines);
    return NULL;
}

static PyObject *
scan_rule_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 && nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "scan_rule_lines() takes 7 or 8 arguments");
        return NULL;
    }
    if (nargs == 7 || args[7] == Py_None)
        return scan_lines(args, NULL);
    /* (the casefold table: a line's folded text made here rather than by str.casefold) */
    Py_buffer view;
    if (table_buffer(args[7], &view, sizeof(uint32_t), "scan_rule_lines: fold",
                     "unsigned 32-bit codes") < 0)
        return NULL;
    PyObject *out = scan_lines(args, (const uint32_t *)view.buf);
    PyBuffer_Release(&view);
    return out;
}

PyDoc_STRVAR(contains_any_doc,
"contains_any(text, needles, /) -> bool\n"
"\n"
"``any(needle in text for needle in needles)`` (a tuple of str), without the general\n"
"substring search: each needle's first character is looked for, the rest compared where\n"
"it stands.");

/* Whether ``needle`` (of ``nlen`` code points, the first ``first``) stands in ``text``: its
 * first character found by CPython's own character search, the rest compared there. */
static int
holds_needle(PyObject *text, PyObject *needle, Py_UCS4 first, Py_ssize_t nlen)
{
    int kind = PyUnicode_KIND(text), nkind = PyUnicode_KIND(needle);
    const void *data = PyUnicode_DATA(text), *ndata = PyUnicode_DATA(needle);
    Py_ssize_t last = PyUnicode_GET_LENGTH(text) - nlen, k = 0;
    while (k <= last && (k = PyUnicode_FindChar(text, first, k, last + 1, 1)) >= 0) {
        Py_ssize_t j = 1;
        while (j < nlen && PyUnicode_READ(kind, data, k + j) == PyUnicode_READ(nkind, ndata, j))
            j++;
        if (j == nlen)
            return 1;
        k++;
    }
    return 0;
}

static PyObject *
contains_any(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "contains_any(text: str, needles: tuple[str, ...])");
        return NULL;
    }
    PyObject *text = args[0], *needles = args[1];
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(needles); i++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, i);
        if (!PyUnicode_Check(needle)) {
            PyErr_Format(PyExc_TypeError, "contains_any: needles[%zd] must be str, not %.100s", i,
                         Py_TYPE(needle)->tp_name);
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(needles); i++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, i);
        Py_ssize_t nlen = PyUnicode_GET_LENGTH(needle);
        if (nlen == 0)
            Py_RETURN_TRUE; /* ("" is in every str) */
        if (nlen > len)
            continue;
        Py_UCS4 first = PyUnicode_READ_CHAR(needle, 0);
        if (first > PyUnicode_MAX_CHAR_VALUE(text))
            continue; /* (a character the text's kind cannot hold) */
        if (holds_needle(text, needle, first, nlen))
            Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

PyMethodDef cleaner_rules_methods[] = {
    {"contains_any", (PyCFunction)(void (*)(void))contains_any, METH_FASTCALL, contains_any_doc},
    {"scan_rule_lines", (PyCFunction)(void (*)(void))scan_rule_lines, METH_FASTCALL, scan_rule_lines_doc},
    {"key_table", (PyCFunction)key_table, METH_O, key_table_doc},
    {"rule_table", (PyCFunction)(void (*)(void))rule_table, METH_FASTCALL, rule_table_doc},
    {NULL, NULL, 0, NULL},
};
