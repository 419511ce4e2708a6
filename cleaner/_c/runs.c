/* Runs of words that stand more than once: the duplicate search's candidate lines (cleaner.dedup). */
#include "common.h"

/* ------------------------------------------------------------------ repeated_runs */

/* A slot of the counting tables: in use in this call when it holds the call's stamp (so the
 * table is never cleared), with a value (a count, or a line and a flag): 16 bytes, one
 * cache line for a probe, which is what a long document's table, beyond the caches, costs. */
typedef struct {
    uint64_t key;
    uint32_t stamp, value;
} RunSlot;

/* Buffers kept from one call to the next, so that a scan of an ordinary document allocates
 * nothing (growing them, zeroing the count table and freeing them cost 2 % of a clean's
 * instructions). Buffers that a long document grew past SCRATCH_KEEP bytes in all are freed
 * when its call ends (kept, a 10,000-paragraph document's three scans took 2-3 % less time
 * and its clean's peak memory rose by 15 MB, a fifth). Calls run under the GIL; a call made
 * while another holds them (none does today: a fallback runs Python code, which could) gets
 * buffers of its own. */
typedef struct {
    int busy;
    uint64_t *all_hash, *grams, *line_hash, *offsets;
    Py_ssize_t *gram_line, *copies, *per_line;
    Py_UCS4 *joined, *low;
    Py_ssize_t hash_cap, gram_cap, gram_line_cap, line_hash_cap, offsets_cap, copies_cap,
        per_line_cap, joined_cap, low_cap, slot_of_cap;
    RunSlot *slots; /* (the counting table of append_repeated and count_copies) */
    uint64_t *part_runs; /* (append_repeated, a long document: its runs part by part...) */
    uint32_t *part_lines; /* (...with their lines) */
    Py_ssize_t *part_at;  /* (...and where each part starts) */
    Py_ssize_t part_runs_cap, part_lines_cap, part_at_cap;
    Py_ssize_t *slot_rep; /* (count_copies: the first line of each slot's key) */
    uint32_t *slot_of;
    size_t table_cap;
    Py_ssize_t slot_rep_cap;
    uint32_t stamp;
} RunScratch;

#define SCRATCH_KEEP ((size_t)4 << 20)

static RunScratch run_scratch;

static RunScratch *
scratch_acquire(void)
{
    if (!run_scratch.busy) {
        run_scratch.busy = 1;
        return &run_scratch;
    }
    RunScratch *own = PyMem_Calloc(1, sizeof(RunScratch));
    if (own == NULL)
        PyErr_NoMemory();
    return own;
}

static size_t
scratch_bytes(const RunScratch *sc)
{
    return sizeof(uint64_t) * (size_t)(sc->hash_cap + sc->gram_cap + sc->line_hash_cap +
                                       sc->offsets_cap) +
           sizeof(RunSlot) * sc->table_cap + sizeof(uint64_t) * (size_t)sc->part_runs_cap +
           sizeof(uint32_t) * (size_t)sc->part_lines_cap +
           sizeof(Py_ssize_t) * (size_t)sc->part_at_cap +
           sizeof(Py_ssize_t) * (size_t)(sc->gram_line_cap + sc->copies_cap + sc->per_line_cap +
                                         sc->slot_rep_cap) +
           sizeof(Py_UCS4) * (size_t)(sc->joined_cap + sc->low_cap) +
           sizeof(uint32_t) * (size_t)sc->slot_of_cap;
}

/* The counting buffers (append_repeated's and count_copies') freed. */
static void
scratch_free_counting(RunScratch *sc)
{
    PyMem_Free(sc->slots);
    PyMem_Free(sc->slot_rep);
    PyMem_Free(sc->slot_of);
    PyMem_Free(sc->per_line);
    PyMem_Free(sc->part_runs);
    PyMem_Free(sc->part_lines);
    PyMem_Free(sc->part_at);
    sc->slots = NULL;
    sc->slot_rep = sc->per_line = sc->part_at = NULL;
    sc->slot_of = sc->part_lines = NULL;
    sc->part_runs = NULL;
    sc->table_cap = 0;
    sc->slot_rep_cap = sc->slot_of_cap = sc->per_line_cap = 0;
    sc->part_runs_cap = sc->part_lines_cap = sc->part_at_cap = 0;
}

static void
scratch_free(RunScratch *sc)
{
    PyMem_Free(sc->all_hash);
    PyMem_Free(sc->grams);
    PyMem_Free(sc->line_hash);
    PyMem_Free(sc->offsets);
    PyMem_Free(sc->gram_line);
    PyMem_Free(sc->copies);
    PyMem_Free(sc->joined);
    PyMem_Free(sc->low);
    scratch_free_counting(sc);
    if (sc == &run_scratch)
        memset(sc, 0, sizeof(RunScratch)); /* (busy back to 0) */
    else
        PyMem_Free(sc);
}

static void
scratch_release(RunScratch *sc)
{
    if (sc == &run_scratch && scratch_bytes(sc) <= SCRATCH_KEEP) {
        sc->busy = 0;
        return;
    }
    scratch_free(sc);
}

PyDoc_STRVAR(release_scratch_doc,
"release_scratch(/) -> None\n"
"\n"
"Free the buffers that rough_scan keeps from one call to the next (a few MB at most): before\n"
"measuring a clean's memory, say, so that its peak holds them as a first clean's does.");

static PyObject *
release_scratch(PyObject *module, PyObject *unused)
{
    if (!run_scratch.busy)
        scratch_free(&run_scratch);
    Py_RETURN_NONE;
}

/* The counting buffers freed now if the call will not keep them (a long document's: they
 * are the largest, and the call's result is yet to be made beside them). */
static void
scratch_trim_table(RunScratch *sc)
{
    if (sc == &run_scratch && scratch_bytes(sc) <= SCRATCH_KEEP)
        return;
    scratch_free_counting(sc);
}

/* The table of ``sc`` ready for a new use by ``items`` keys: its size for them (a power of
 * two, at least twice as many), every slot free (by a new stamp). The size, or 0 with an
 * exception set. */
static size_t
scratch_table(RunScratch *sc, Py_ssize_t items)
{
    size_t cap = 16;
    while (cap < (size_t)items * 2)
        cap <<= 1;
    if (cap > UINT32_MAX) {
        PyErr_NoMemory();
        return 0;
    }
    if (cap > sc->table_cap) {
        PyMem_Free(sc->slots);
        sc->slots = PyMem_Calloc(cap, sizeof(RunSlot)); /* (stamp 0: never a use's) */
        sc->table_cap = sc->slots != NULL ? cap : 0;
        if (sc->slots == NULL) {
            PyErr_NoMemory();
            return 0;
        }
        sc->stamp = 0;
    }
    if (++sc->stamp == 0) {
        /* (after 2^32 - 1 uses: every slot made free again) */
        memset(sc->slots, 0, sizeof(RunSlot) * sc->table_cap);
        sc->stamp = 1;
    }
    return cap;
}

#define TWICE 0x80000000u /* (append_repeated: the value stood more than once) */

/* Runs per part when a long document's runs are counted part by part (append_repeated). */
#define PART_RUNS 8192

/* One run (value ``g``, on ``line``) counted in ``slots``: each run's line gets one for it
 * when its value stands more than once: open addressing in a table at least twice as large
 * (the slot from both halves of the value: runs are sums of products, whose low bits see
 * only the low bits of the words' hashes), the line of a value's first run kept in its slot
 * until a second comes. */
static inline void
count_run(RunSlot *slots, size_t cap, uint32_t stamp, uint64_t g, uint32_t line,
          Py_ssize_t *per_line)
{
    size_t s = (size_t)(g ^ g >> 32) & (cap - 1);
    while (slots[s].stamp == stamp && slots[s].key != g)
        s = (s + 1) & (cap - 1);
    RunSlot *slot = &slots[s];
    if (slot->stamp != stamp) {
        slot->key = g;
        slot->stamp = stamp;
        slot->value = line;
        return;
    }
    if (!(slot->value & TWICE)) {
        per_line[slot->value]++;
        slot->value |= TWICE;
    }
    per_line[line]++;
}

/* Appends to ``result`` the lines (0 .. n_lines-1) holding at least ``min_runs`` of the
 * ``m`` runs ``grams`` (``gram_line[r]``: the line of run r) whose value stands twice or
 * more among all of them, with the table in ``sc``. Returns 0, or -1 with an exception set. */
static int
append_repeated(PyObject *result, const uint64_t *grams, const Py_ssize_t *gram_line,
                Py_ssize_t m, Py_ssize_t n_lines, Py_ssize_t min_runs, RunScratch *sc)
{
    if (n_lines >= (Py_ssize_t)TWICE) {
        PyErr_SetString(PyExc_OverflowError, "rough_scan: too many lines");
        return -1;
    }
    if (reserve((void **)&sc->per_line, &sc->per_line_cap, n_lines ? n_lines : 1,
                sizeof(Py_ssize_t)) < 0)
        return -1;
    Py_ssize_t *per_line = sc->per_line;
    memset(per_line, 0, sizeof(Py_ssize_t) * (size_t)(n_lines ? n_lines : 1));
    if (m <= 2 * PART_RUNS) {
        size_t cap = scratch_table(sc, m);
        if (cap == 0)
            return -1;
        for (Py_ssize_t r = 0; r < m; r++)
            count_run(sc->slots, cap, sc->stamp, grams[r], (uint32_t)gram_line[r], per_line);
    }
    else {
        /* A long document's table is far larger than the caches, and every run's probe a
         * miss: the runs are first sorted into parts by their value's top bits (equal
         * values in one part, each part about PART_RUNS runs), then counted part by part
         * in a table that stays in the cache, a new stamp for each part. */
        int bits = 0;
        while (((Py_ssize_t)1 << bits) * PART_RUNS < m)
            bits++;
        Py_ssize_t parts = (Py_ssize_t)1 << bits;
        if (reserve((void **)&sc->part_runs, &sc->part_runs_cap, m, sizeof(uint64_t)) < 0 ||
            reserve((void **)&sc->part_lines, &sc->part_lines_cap, m, sizeof(uint32_t)) < 0 ||
            reserve((void **)&sc->part_at, &sc->part_at_cap, parts + 1, sizeof(Py_ssize_t)) < 0)
            return -1;
        Py_ssize_t *at = sc->part_at;
        memset(at, 0, sizeof(Py_ssize_t) * (size_t)(parts + 1));
        for (Py_ssize_t r = 0; r < m; r++)
            at[(grams[r] >> (64 - bits)) + 1]++;
        Py_ssize_t largest = 0;
        for (Py_ssize_t p = 0; p < parts; p++) {
            largest = at[p + 1] > largest ? at[p + 1] : largest;
            at[p + 1] += at[p];
        }
        uint64_t *runs = sc->part_runs;
        uint32_t *lines = sc->part_lines;
        for (Py_ssize_t r = 0; r < m; r++) {
            Py_ssize_t k = at[grams[r] >> (64 - bits)]++;
            runs[k] = grams[r];
            lines[k] = (uint32_t)gram_line[r];
        }
        /* (at[p] is now where part p ends, and part p - 1's end where it starts) */
        for (Py_ssize_t p = 0, from = 0; p < parts; from = at[p], p++) {
            if (at[p] == from)
                continue;
            size_t part_cap = scratch_table(sc, largest); /* (one size for all parts) */
            if (part_cap == 0)
                return -1;
            for (Py_ssize_t k = from; k < at[p]; k++)
                count_run(sc->slots, part_cap, sc->stamp, runs[k], lines[k], per_line);
        }
    }
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        if (per_line[i] >= min_runs) {
            PyObject *v = PyLong_FromSsize_t(i);
            if (v == NULL || PyList_Append(result, v) < 0) {
                Py_XDECREF(v);
                return -1;
            }
            Py_DECREF(v);
        }
    }
    return 0;
}

/* The multiplier of a run's j-th word: odd, and unrelated to the others'. (Multiples
 * 1, 3, 5, 7 of one constant, as before, made "a b b a" and "b a a b" the same run: 1 + 7
 * = 3 + 5. No sum of some of these equals the sum of others of them by more than chance.) */
static inline uint64_t
run_weight(Py_ssize_t j)
{
    return mix64(0x9E3779B97F4A7C15ULL * (uint64_t)(j + 1)) | 1u;
}

/* The runs of ``n`` words of one line, from its word hashes. */
static inline Py_ssize_t
add_runs(const uint64_t *word_hash, Py_ssize_t len, Py_ssize_t n, Py_ssize_t line,
         uint64_t *grams, Py_ssize_t *gram_line, Py_ssize_t m)
{
    if (n == 4) {
        /* (the duplicate search's run length: the loop below unrolled, the same sums) */
        const uint64_t c0 = run_weight(0), c1 = run_weight(1), c2 = run_weight(2),
                       c3 = run_weight(3);
        for (Py_ssize_t k = 0; k + 4 <= len; k++) {
            grams[m] = 4u + word_hash[k] * c0 + word_hash[k + 1] * c1 + word_hash[k + 2] * c2 +
                       word_hash[k + 3] * c3;
            gram_line[m] = line;
            m++;
        }
        return m;
    }
    for (Py_ssize_t k = 0; k + n <= len; k++) {
        /* the words' hashes (mixed already), each times the odd weight of its place in
         * the run, summed: products that do not wait for one another */
        uint64_t g = (uint64_t)n;
        for (Py_ssize_t j = 0; j < n; j++)
            g += word_hash[k + j] * run_weight(j);
        grams[m] = g;
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

    RunScratch *sc = scratch_acquire();
    if (sc == NULL)
        goto error;
    int failed = append_repeated(result, grams, gram_line, m, n_lines, min_runs, sc) < 0;
    scratch_release(sc);
    if (failed)
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

/* A rough key's hash: its words' hashes chained in order from a seed. */
#define KEY_HASH_SEED 0x84222325CBF29CE4ULL
#define KEY_HASH_NEXT(lh, word) (((lh) ^ (word)) * 0x100000001B3ULL + 1)

/* The word of ``len`` code points at ``word`` (as joined into a key) hashed as word
 * ``*words`` of ``word_hash`` and chained into the key's hash ``*lh``. */
static inline void
key_word(const Py_UCS4 *word, Py_ssize_t len, uint64_t *word_hash, Py_ssize_t *words,
         uint64_t *lh)
{
    word_hash[*words] = hash_word(word, len);
    *lh = KEY_HASH_NEXT(*lh, word_hash[*words]);
    (*words)++;
}

/* The table pass of rough_scan over a line of one- or two-byte code units ``src``: each
 * character lowered by ``table``, the words split at whitespace, hashed (FNV-1a over the
 * code points, then mix64 of it and the length: hash_units' values) and joined by single
 * spaces at ``out``, in code units of type OUT, which hold code points up to WIDEST. Made
 * twice in the line's own width (no wider buffer and no copy into the key's kind: most
 * lines) and twice in code points (a line the table lowers past its width). Returns 0,
 * with nothing written to the outputs, when a character is one the table leaves to Python
 * (FOLD_CARE) or lowers past WIDEST: the caller's other passes decide those lines. */
#define DEFINE_ROUGH_WORDS(NAME, SRC, OUT, WIDEST)                                             \
    static int NAME(const SRC *src, Py_ssize_t len, const uint32_t *table, OUT *out,            \
                    uint64_t *word_hash, Py_ssize_t *words_out, Py_ssize_t *joined_out,         \
                    uint64_t *line_hash_out, Py_UCS4 *or_out)                                   \
    {                                                                                           \
        Py_ssize_t words = 0, w = 0, word_len = 0;                                              \
        uint64_t h = 0, lh = KEY_HASH_SEED;                                                     \
        Py_UCS4 key_or = 0;                                                                     \
        for (Py_ssize_t k = 0; k < len; k++) {                                                  \
            Py_UCS4 ch = table[src[k]];                                                         \
            /* (printable ASCII, most characters, is neither whitespace nor left to Python) */  \
            if (ch - 0x21u > 0x7Eu - 0x21u) {                                                   \
                if (ch > (WIDEST)) /* (FOLD_CARE too) */                                        \
                    return 0;                                                                   \
                if (is_space(ch)) {                                                             \
                    if (word_len) {                                                             \
                        word_hash[words] = mix64(h ^ (uint64_t)word_len);                       \
                        lh = KEY_HASH_NEXT(lh, word_hash[words]);                               \
                        words++;                                                                \
                        word_len = 0;                                                           \
                    }                                                                           \
                    continue;                                                                   \
                }                                                                               \
            }                                                                                   \
            if (!word_len) {                                                                    \
                if (words)                                                                      \
                    out[w++] = ' ';                                                             \
                h = 0xCBF29CE484222325ULL;                                                      \
            }                                                                                   \
            h = (h ^ (uint64_t)ch) * 0x100000001B3ULL;                                          \
            out[w++] = (OUT)ch;                                                                 \
            key_or |= ch;                                                                       \
            word_len++;                                                                         \
        }                                                                                       \
        if (word_len) {                                                                         \
            word_hash[words] = mix64(h ^ (uint64_t)word_len);                                   \
            lh = KEY_HASH_NEXT(lh, word_hash[words]);                                           \
            words++;                                                                            \
        }                                                                                       \
        *words_out = words;                                                                     \
        *joined_out = w;                                                                        \
        *line_hash_out = lh;                                                                    \
        *or_out = key_or;                                                                       \
        return 1;                                                                               \
    }

DEFINE_ROUGH_WORDS(rough_words_1, Py_UCS1, Py_UCS1, 0xFFu)
DEFINE_ROUGH_WORDS(rough_words_2, Py_UCS2, Py_UCS2, 0xFFFFu)
DEFINE_ROUGH_WORDS(rough_words_1_wide, Py_UCS1, Py_UCS4, 0x10FFFFu)
DEFINE_ROUGH_WORDS(rough_words_2_wide, Py_UCS2, Py_UCS4, 0x10FFFFu)

/* The table pass over the str ``text`` (``len`` code points) into ``out``: in its own width,
 * or (``wide``) in code points; 0 for a line of four-byte characters (see above for the
 * rest). */
static int
rough_words(PyObject *text, Py_ssize_t len, const uint32_t *table, int wide, void *out,
            uint64_t *word_hash, Py_ssize_t *words, Py_ssize_t *joined, uint64_t *line_hash,
            Py_UCS4 *key_or)
{
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return wide ? rough_words_1_wide(PyUnicode_1BYTE_DATA(text), len, table, out, word_hash,
                                         words, joined, line_hash, key_or)
                    : rough_words_1(PyUnicode_1BYTE_DATA(text), len, table, out, word_hash, words,
                                    joined, line_hash, key_or);
    case PyUnicode_2BYTE_KIND:
        return wide ? rough_words_2_wide(PyUnicode_2BYTE_DATA(text), len, table, out, word_hash,
                                         words, joined, line_hash, key_or)
                    : rough_words_2(PyUnicode_2BYTE_DATA(text), len, table, out, word_hash, words,
                                    joined, line_hash, key_or);
    default:
        return 0;
    }
}

/* The key ``out[0:w]`` (code units of ``kind``, 1 or 2; ``key_or``: their bitwise or) as a
 * str in its canonical kind. */
static PyObject *
rough_key(int kind, const void *out, Py_ssize_t w, Py_UCS4 key_or)
{
    PyObject *key = PyUnicode_New(w, key_or);
    if (key == NULL)
        return NULL;
    if (kind == PyUnicode_1BYTE_KIND)
        memcpy(PyUnicode_1BYTE_DATA(key), out, (size_t)w);
    else if (key_or >= 256)
        memcpy(PyUnicode_2BYTE_DATA(key), out, sizeof(Py_UCS2) * (size_t)w);
    else {
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(key);
        for (Py_ssize_t k = 0; k < w; k++)
            d[k] = (Py_UCS1)((const Py_UCS2 *)out)[k];
    }
    return key;
}

/* copies[i] = how many of the ``n_lines`` keys equal keys[i] (as Counter(keys) counts
 * them), from their hashes in the table of ``sc``, equal hashes checked by comparing the
 * keys. 0 or -1. */
static int
count_copies(PyObject *keys, const uint64_t *line_hash, Py_ssize_t n_lines, Py_ssize_t *copies,
             RunScratch *sc)
{
    size_t cap = scratch_table(sc, n_lines);
    if (cap == 0 ||
        reserve((void **)&sc->slot_rep, &sc->slot_rep_cap, (Py_ssize_t)cap, sizeof(Py_ssize_t)) < 0 ||
        reserve((void **)&sc->slot_of, &sc->slot_of_cap, n_lines ? n_lines : 1, sizeof(uint32_t)) < 0)
        return -1;
    const uint32_t stamp = sc->stamp;
    RunSlot *slots = sc->slots;
    Py_ssize_t *rep = sc->slot_rep;
    uint32_t *slot_of = sc->slot_of;
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        uint64_t h = line_hash[i];
        size_t s = (size_t)(h ^ h >> 32) & (cap - 1);
        for (;;) {
            if (slots[s].stamp != stamp) {
                /* (a key not met before: this line stands for it) */
                slots[s].stamp = stamp;
                slots[s].key = h;
                slots[s].value = 0;
                rep[s] = i;
                break;
            }
            if (slots[s].key == h) {
                int same = PyUnicode_Compare(PyList_GET_ITEM(keys, i),
                                             PyList_GET_ITEM(keys, rep[s]));
                if (same == -1 && PyErr_Occurred())
                    return -1;
                if (same == 0)
                    break;
            }
            s = (s + 1) & (cap - 1);
        }
        slots[s].value++;
        slot_of[i] = (uint32_t)s;
    }
    for (Py_ssize_t i = 0; i < n_lines; i++)
        copies[i] = (Py_ssize_t)slots[slot_of[i]].value;
    return 0;
}


PyDoc_STRVAR(rough_scan_doc,
"rough_scan(texts, n, min_runs, lower, fallback=None, previous=..., unspaced=None, /)\n"
"    -> tuple[list[str], list[int], list[int], list[int]]\n"
"\n"
"For lines ``texts``: each line's rough key (``\" \".join(text.lower().split())``), its word\n"
"count, how many of the lines have that key, and the positions of the lines holding at least ``min_runs`` runs of ``n``\n"
"consecutive words that stand twice or more among all the lines' runs (as\n"
"``repeated_runs`` on the lines' rough words), as ``(keys, counts, positions, copies)``,\n"
"without making a string per word.\n"
"``lower`` maps each code point below U+10000 to its one-character lowercase, or to\n"
"0xFFFFFFFF where str.lower() must decide (a longer result, or one that depends on the\n"
"neighbours): a line holding such a character is lowered by str.lower() itself.\n"
"\n"
"With ``fallback`` (a callable: line -> list of its words), ``lower`` is a fold table\n"
"instead (each code point to the one it folds to, whitespace for a separator), the words\n"
"are the folded line split at whitespace, and a line holding a 0xFFFFFFFF code point (or\n"
"one past U+FFFF) gets its words from ``fallback``; with ``unspaced`` as well\n"
"(normalize.unspaced_fold_table()), such a line that this table folds is split here as\n"
"normalize.words splits a line of a script written without spaces (the words ``fallback``\n"
"gives), and only the others call ``fallback``.\n"
"\n"
"With ``previous`` (``None``, or the state an earlier call returned), a fifth item is\n"
"returned: this call's state (the lines, their keys, counts and word hashes). A line that\n"
"is the very str object of a line of ``previous``, scanned with the same table (and a\n"
"fallback if that scan had one) and the same ``n``, takes its key, count and hashes from\n"
"there instead of being scanned again (the same answer: they depend on the line's text\n"
"alone; its runs are made again from its word hashes, and the counting across lines is\n"
"done again). A second scan of a\n"
"document, most of whose lines are the lines of the first, costs little more than grouping\n"
"them. The state does not hold the fallback (it would often make a reference cycle): pass\n"
"a state only with the fallback it was made with.");

/* An earlier rough scan's state, checked, and a map from its line objects to their
 * positions (see rough_scan's ``previous``). */
typedef struct {
    Py_ssize_t n;
    PyObject **texts;        /* (borrowed from the state's tuple) */
    PyObject *keys, *counts; /* tuples */
    const uint64_t *offsets, *line_hash, *words;
    size_t cap;              /* of the map: 0 when there is nothing to reuse */
    PyObject **slot_text;
    Py_ssize_t *slot_line;
} Previous;

#define STATE_ITEMS 6 /* (table, whether a fallback, texts, keys, counts, hashes) */

static void
previous_free(Previous *prev)
{
    PyMem_Free(prev->slot_text);
    PyMem_Free(prev->slot_line);
}

/* Reads ``state`` (or None) into ``prev``: 0, or -1 with TypeError for a state that no
 * rough scan made. A state made with another table, or with a fallback where this scan has
 * none (or the other way), is not reused. */
static int
previous_init(Previous *prev, PyObject *state, PyObject *table, PyObject *fallback, Py_ssize_t ngram)
{
    memset(prev, 0, sizeof(*prev));
    if (state == Py_None)
        return 0;
    static const char bad[] = "rough_scan: previous must be None or the state an earlier call returned";
    if (!PyTuple_CheckExact(state) || PyTuple_GET_SIZE(state) != STATE_ITEMS) {
        PyErr_SetString(PyExc_TypeError, bad);
        return -1;
    }
    PyObject *texts = PyTuple_GET_ITEM(state, 2), *keys = PyTuple_GET_ITEM(state, 3),
             *counts = PyTuple_GET_ITEM(state, 4), *hashes = PyTuple_GET_ITEM(state, 5);
    if (!PyTuple_CheckExact(texts) || !PyTuple_CheckExact(keys) || !PyTuple_CheckExact(counts) ||
        !PyBytes_CheckExact(hashes)) {
        PyErr_SetString(PyExc_TypeError, bad);
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(texts);
    Py_ssize_t size = PyBytes_GET_SIZE(hashes);
    const uint64_t *offsets = (const uint64_t *)PyBytes_AS_STRING(hashes);
    if (PyTuple_GET_SIZE(keys) != n || PyTuple_GET_SIZE(counts) != n ||
        size < (Py_ssize_t)sizeof(uint64_t) * (2 * n + 1) || size % (Py_ssize_t)sizeof(uint64_t)) {
        PyErr_SetString(PyExc_TypeError, bad);
        return -1;
    }
    /* (the hashes: n + 1 word offsets, n line hashes, the word hashes, then ``ngram``; the
     * runs are not kept: a line's are made again from its word hashes, cheaper than a copy
     * of them all kept, 36 MB at 100,000 paragraphs) */
    Py_ssize_t items = size / (Py_ssize_t)sizeof(uint64_t);
    Py_ssize_t made_with = (Py_ssize_t)offsets[items - 1];
    if (offsets[0] != 0 || offsets[n] > (uint64_t)items || made_with < 1) {
        PyErr_SetString(PyExc_TypeError, bad);
        return -1;
    }
    Py_ssize_t total = (Py_ssize_t)offsets[n];
    for (Py_ssize_t j = 0; j < n; j++) {
        if (offsets[j + 1] < offsets[j] || !PyUnicode_Check(PyTuple_GET_ITEM(keys, j))) {
            PyErr_SetString(PyExc_TypeError, bad);
            return -1;
        }
    }
    if (items != 2 * n + 1 + total + 1) {
        PyErr_SetString(PyExc_TypeError, bad);
        return -1;
    }
    /* (the state says whether a fallback was given, not which: holding it would hold
     * what it is bound to, often the object that holds the state, a reference cycle) */
    int same = PyTuple_GET_ITEM(state, 0) == table &&
               (PyTuple_GET_ITEM(state, 1) == Py_True) == (fallback != NULL) && made_with == ngram;
    if (!same || n == 0)
        return 0;
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap <<= 1;
    prev->slot_text = PyMem_Calloc(cap, sizeof(PyObject *));
    prev->slot_line = PyMem_Malloc(sizeof(Py_ssize_t) * cap);
    if (prev->slot_text == NULL || prev->slot_line == NULL) {
        previous_free(prev);
        PyErr_NoMemory();
        return -1;
    }
    prev->cap = cap;
    prev->n = n;
    prev->texts = &PyTuple_GET_ITEM(texts, 0);
    prev->keys = keys;
    prev->counts = counts;
    prev->offsets = offsets;
    prev->line_hash = offsets + n + 1;
    prev->words = offsets + 2 * n + 1;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *t = prev->texts[j];
        size_t s = (size_t)mix64((uint64_t)(uintptr_t)t) & (cap - 1);
        while (prev->slot_text[s] != NULL && prev->slot_text[s] != t)
            s = (s + 1) & (cap - 1);
        if (prev->slot_text[s] == NULL) { /* (a line given twice: its first place) */
            prev->slot_text[s] = t;
            prev->slot_line[s] = j;
        }
    }
    return 0;
}

/* The position in the earlier scan of the very object ``text``, or -1. */
static inline Py_ssize_t
previous_find(const Previous *prev, PyObject *text)
{
    if (prev->cap == 0)
        return -1;
    size_t s = (size_t)mix64((uint64_t)(uintptr_t)text) & (prev->cap - 1);
    while (prev->slot_text[s] != NULL) {
        if (prev->slot_text[s] == text)
            return prev->slot_line[s];
        s = (s + 1) & (prev->cap - 1);
    }
    return -1;
}

static PyObject *
rough_scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, min_runs;
    if (parse_runs("rough_scan", args, nargs, nargs >= 5 && nargs <= 7 ? nargs : 4, &n, &min_runs) < 0)
        return NULL;
    PyObject *fallback = nargs >= 5 && args[4] != Py_None ? args[4] : NULL;
    if (fallback != NULL && !PyCallable_Check(fallback)) {
        PyErr_SetString(PyExc_TypeError, "rough_scan: fallback must be callable or None");
        return NULL;
    }
    int want_state = nargs >= 6;
    Previous prev;
    if (previous_init(&prev, want_state ? args[5] : Py_None, args[3], fallback, n) < 0)
        return NULL;
    /* (a tuple of the lines when fallback runs Python code: nothing can change it meanwhile) */
    PyObject *seq = fallback != NULL ? PySequence_Tuple(args[0])
                                     : PySequence_Fast(args[0], "rough_scan: texts must be a sequence of str");
    if (seq == NULL) {
        previous_free(&prev);
        return NULL;
    }
    Py_ssize_t n_lines = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);

    PyObject *keys = NULL, *sizes = NULL, *found = NULL, *out = NULL, *copy_list = NULL;
    uint64_t *line_hash = NULL, *offsets = NULL;
    Py_ssize_t *copies = NULL;
    Py_ssize_t m = 0, total = 0;
    RunScratch *sc = scratch_acquire();
    if (sc == NULL) {
        Py_DECREF(seq);
        previous_free(&prev);
        return NULL;
    }
    Py_buffer view;
    if (table_buffer(args[3], &view, sizeof(uint32_t), "rough_scan: table",
                     "unsigned 32-bit codes") < 0) {
        scratch_release(sc);
        Py_DECREF(seq);
        previous_free(&prev);
        return NULL;
    }
    const uint32_t *lower_table = (const uint32_t *)view.buf;
    Py_buffer unspaced_view = {0};
    const uint32_t *unspaced_table = NULL;
    if (nargs == 7 && args[6] != Py_None && fallback != NULL) {
        if (table_buffer(args[6], &unspaced_view, sizeof(uint32_t), "rough_scan: unspaced",
                         "unsigned 32-bit codes") < 0) {
            PyBuffer_Release(&view);
            scratch_release(sc);
            Py_DECREF(seq);
            previous_free(&prev);
            return NULL;
        }
        unspaced_table = (const uint32_t *)unspaced_view.buf;
    }

    keys = PyList_New(n_lines);
    sizes = PyList_New(n_lines);
    found = PyList_New(0);
    copy_list = PyList_New(n_lines);
    if (reserve((void **)&sc->line_hash, &sc->line_hash_cap, n_lines ? n_lines : 1,
                sizeof(uint64_t)) < 0 ||
        reserve((void **)&sc->offsets, &sc->offsets_cap, n_lines + 1, sizeof(uint64_t)) < 0 ||
        reserve((void **)&sc->copies, &sc->copies_cap, n_lines ? n_lines : 1,
                sizeof(Py_ssize_t)) < 0)
        goto error;
    line_hash = sc->line_hash;
    offsets = sc->offsets;
    copies = sc->copies;
    if (keys == NULL || sizes == NULL || found == NULL || copy_list == NULL)
        goto error;
    if (prev.cap > 0) {
        /* (a scan of the same document again, the second look's: its word hashes and runs
         * take about as much room as the last scan's, reserved at once rather than grown
         * by doubling, a copy at each step) */
        Py_ssize_t prev_words = (Py_ssize_t)prev.offsets[prev.n]; /* (more than its runs) */
        if (grow((void **)&sc->all_hash, &sc->hash_cap, prev_words + 1, sizeof(uint64_t)) < 0 ||
            grow((void **)&sc->grams, &sc->gram_cap, prev_words + 1, sizeof(uint64_t)) < 0 ||
            grow((void **)&sc->gram_line, &sc->gram_line_cap, prev_words + 1, sizeof(Py_ssize_t)) < 0)
            goto error;
    }
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        PyObject *text = items[i];
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "rough_scan: texts[%zd] must be str, not %.100s", i,
                         Py_TYPE(text)->tp_name);
            goto error;
        }
        offsets[i] = (uint64_t)total;
        Py_ssize_t words = 0;
        uint64_t *word_hash;
        Py_ssize_t again = previous_find(&prev, text);
        if (again >= 0) {
            /* a line of the earlier scan: its key, count and hashes as they were */
            words = (Py_ssize_t)(prev.offsets[again + 1] - prev.offsets[again]);
            if (grow((void **)&sc->all_hash, &sc->hash_cap, total + words + 1, sizeof(uint64_t)) < 0)
                goto error;
            word_hash = sc->all_hash + total;
            memcpy(word_hash, prev.words + prev.offsets[again], sizeof(uint64_t) * (size_t)words);
            line_hash[i] = prev.line_hash[again];
            PyObject *key = PyTuple_GET_ITEM(prev.keys, again);
            PyObject *count = PyTuple_GET_ITEM(prev.counts, again);
            Py_INCREF(key);
            PyList_SET_ITEM(keys, i, key);
            Py_INCREF(count);
            PyList_SET_ITEM(sizes, i, count);
            goto runs;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        /* at most (len + 1) / 2 words; the key is at most len long */
        if (grow((void **)&sc->all_hash, &sc->hash_cap, total + (len + 1) / 2 + 1, sizeof(uint64_t)) < 0 ||
            reserve((void **)&sc->joined, &sc->joined_cap, len + 1, sizeof(Py_UCS4)) < 0)
            goto error;
        word_hash = sc->all_hash + total;
        Py_ssize_t w = 0;
        uint64_t lh = KEY_HASH_SEED; /* the key's hash: its words' hashes in order */
        Py_UCS4 key_max = 0;                 /* (the bitwise or of the key's code points) */
        /* (most lines: the table pass in the line's own width, the key at joined in that
         * width; else in code points, for a character the table lowers past that width) */
        int narrow = rough_words(text, len, lower_table, 0, sc->joined, word_hash, &words, &w, &lh,
                                 &key_max);
        if (narrow)
            goto keyed;
        int tabled = rough_words(text, len, lower_table, 1, sc->joined, word_hash, &words, &w, &lh,
                                 &key_max);
        if (!tabled && unspaced_table != NULL) {
            /* a line of an unspaced script that the table folds: split here (as the
             * fallback would: normalize.words), hashed and joined as below */
            if (reserve((void **)&sc->low, &sc->low_cap, len + 1, sizeof(Py_UCS4)) < 0 ||
                grow((void **)&sc->all_hash, &sc->hash_cap, total + len + 1, sizeof(uint64_t)) < 0 ||
                reserve((void **)&sc->joined, &sc->joined_cap, 2 * len + 1, sizeof(Py_UCS4)) < 0)
                goto error;
            if (fold_codes(PyUnicode_KIND(text), PyUnicode_DATA(text), len, unspaced_table,
                           FOLD_CARE, sc->low)) {
                word_hash = sc->all_hash + total;
                words = w = 0;
                lh = KEY_HASH_SEED;
                key_max = 0;
                Py_ssize_t pos = 0, from, to;
                while (next_unspaced_word(sc->low, &pos, len, &from, &to)) {
                    if (w)
                        sc->joined[w++] = ' ';
                    Py_ssize_t start = w;
                    for (Py_ssize_t j = from; j < to; j++) {
                        Py_UCS4 c = sc->low[j] & ~UNSPACED_FLAG;
                        key_max = c > key_max ? c : key_max;
                        sc->joined[w++] = c;
                    }
                    key_word(sc->joined + start, w - start, word_hash, &words, &lh);
                }
                goto keyed;
            }
        }
        if (!tabled && fallback != NULL) {
            /* a character the fold table leaves to Python: the line's words from
             * ``fallback`` (words hold no whitespace), hashed and joined as above */
            PyObject *got = PyObject_CallOneArg(fallback, text);
            if (got == NULL)
                goto error;
            if (!PyList_CheckExact(got)) {
                PyErr_Format(PyExc_TypeError, "rough_scan: fallback must return a list of str, not %.100s",
                             Py_TYPE(got)->tp_name);
                Py_DECREF(got);
                goto error;
            }
            Py_ssize_t n_words = PyList_GET_SIZE(got), room = n_words;
            for (Py_ssize_t k = 0; k < n_words; k++) {
                PyObject *word = PyList_GET_ITEM(got, k);
                if (!PyUnicode_Check(word)) {
                    PyErr_Format(PyExc_TypeError, "rough_scan: fallback returned a %.100s, not a str",
                                 Py_TYPE(word)->tp_name);
                    Py_DECREF(got);
                    goto error;
                }
                room += PyUnicode_GET_LENGTH(word);
            }
            if (grow((void **)&sc->all_hash, &sc->hash_cap, total + n_words + 1, sizeof(uint64_t)) < 0 ||
                reserve((void **)&sc->joined, &sc->joined_cap, room + 1, sizeof(Py_UCS4)) < 0) {
                Py_DECREF(got);
                goto error;
            }
            word_hash = sc->all_hash + total;
            words = w = 0;
            lh = KEY_HASH_SEED;
            key_max = 0;
            for (Py_ssize_t k = 0; k < n_words; k++) {
                if (w)
                    sc->joined[w++] = ' ';
                Py_ssize_t wlen = copy_code_points(sc->joined + w, PyList_GET_ITEM(got, k), &key_max);
                w += wlen;
                key_word(sc->joined + w - wlen, wlen, word_hash, &words, &lh);
            }
            Py_DECREF(got);
        }
        else if (!tabled) {
            /* a character the table leaves to str.lower() (a longer result, or one that
             * depends on its neighbours), or one past U+FFFF: the line lowered by Python */
            PyObject *lowered = PyObject_CallMethodNoArgs(text, str_lower);
            if (lowered == NULL)
                goto error;
            len = PyUnicode_GET_LENGTH(lowered);
            if (reserve((void **)&sc->low, &sc->low_cap, len + 1, sizeof(Py_UCS4)) < 0 ||
                grow((void **)&sc->all_hash, &sc->hash_cap, total + (len + 1) / 2 + 1, sizeof(uint64_t)) < 0 ||
                reserve((void **)&sc->joined, &sc->joined_cap, len + 1, sizeof(Py_UCS4)) < 0 ||
                PyUnicode_AsUCS4(lowered, sc->low, sc->low_cap, 0) == NULL) {
                Py_DECREF(lowered);
                goto error;
            }
            Py_DECREF(lowered);
            word_hash = sc->all_hash + total;
            words = w = 0;
            lh = KEY_HASH_SEED;
            key_max = 0;
            Py_ssize_t pos = 0;
            while (pos < len) {
                while (pos < len && is_space(sc->low[pos]))
                    pos++;
                if (pos == len)
                    break;
                Py_ssize_t start = pos;
                if (w)
                    sc->joined[w++] = ' ';
                while (pos < len && !is_space(sc->low[pos])) {
                    key_max = sc->low[pos] > key_max ? sc->low[pos] : key_max;
                    sc->joined[w++] = sc->low[pos++];
                }
                key_word(sc->joined + w - (pos - start), pos - start, word_hash, &words, &lh);
            }
        }
    keyed:
        line_hash[i] = mix64(lh ^ (uint64_t)words);
        {
            /* (in its canonical kind: equal strings compare equal) */
            PyObject *key = narrow ? rough_key(PyUnicode_KIND(text), sc->joined, w, key_max)
                                   : ucs4_str_max(sc->joined, w, key_max);
            if (key == NULL)
                goto error;
            PyList_SET_ITEM(keys, i, key);
            PyObject *count = PyLong_FromSsize_t(words);
            if (count == NULL)
                goto error;
            PyList_SET_ITEM(sizes, i, count);
        }
    runs:
        total += words;
        if (words >= n) {
            /* (a line met before: its runs as they were) */
            if (grow((void **)&sc->grams, &sc->gram_cap, m + words, sizeof(uint64_t)) < 0 ||
                grow((void **)&sc->gram_line, &sc->gram_line_cap, m + words, sizeof(Py_ssize_t)) < 0)
                goto error;
            /* (a line met before too: its runs made again from its word hashes) */
            m = add_runs(word_hash, words, n, i, sc->grams, sc->gram_line, m);
        }
    }
    offsets[n_lines] = (uint64_t)total;
    if (m > 0 && append_repeated(found, sc->grams, sc->gram_line, m, n_lines, min_runs, sc) < 0)
        goto error;
    if (count_copies(keys, line_hash, n_lines, copies, sc) < 0)
        goto error;
    scratch_trim_table(sc);
    for (Py_ssize_t i = 0; i < n_lines; i++) {
        PyObject *count = PyLong_FromSsize_t(copies[i]);
        if (count == NULL)
            goto error;
        PyList_SET_ITEM(copy_list, i, count);
    }
    if (!want_state) {
        out = PyTuple_Pack(4, keys, sizes, found, copy_list);
        goto error; /* (the common exit) */
    }
    {
        /* the state: the lines (a tuple of its own, holding them: no other object can
         * take their addresses while it lives), copies of the keys and counts, and the
         * hashes: the word offsets, the line hashes, the word hashes and the run length */
        Py_ssize_t words_at = 2 * n_lines + 1;
        PyObject *hashes = PyBytes_FromStringAndSize(
            NULL, (Py_ssize_t)sizeof(uint64_t) * (words_at + total + 1));
        PyObject *texts_kept = PyList_CheckExact(seq) ? PyList_AsTuple(seq) : Py_NewRef(seq);
        PyObject *keys_kept = PyList_AsTuple(keys), *counts_kept = PyList_AsTuple(sizes);
        PyObject *state = NULL;
        if (hashes != NULL && texts_kept != NULL && keys_kept != NULL && counts_kept != NULL) {
            uint64_t *blob = (uint64_t *)PyBytes_AS_STRING(hashes);
            memcpy(blob, offsets, sizeof(uint64_t) * (size_t)(n_lines + 1));
            memcpy(blob + n_lines + 1, line_hash, sizeof(uint64_t) * (size_t)n_lines);
            if (total)
                memcpy(blob + words_at, sc->all_hash, sizeof(uint64_t) * (size_t)total);
            blob[words_at + total] = (uint64_t)n;
            state = PyTuple_Pack(STATE_ITEMS, args[3], fallback != NULL ? Py_True : Py_False,
                                 texts_kept, keys_kept, counts_kept, hashes);
        }
        Py_XDECREF(hashes);
        Py_XDECREF(texts_kept);
        Py_XDECREF(keys_kept);
        Py_XDECREF(counts_kept);
        if (state != NULL) {
            out = PyTuple_Pack(5, keys, sizes, found, copy_list, state);
            Py_DECREF(state);
        }
    }
error:
    Py_XDECREF(keys);
    Py_XDECREF(sizes);
    Py_XDECREF(found);
    Py_XDECREF(copy_list);
    PyBuffer_Release(&view);
    PyBuffer_Release(&unspaced_view); /* (nothing to release when none was given) */
    Py_DECREF(seq);
    previous_free(&prev);
    scratch_release(sc);
    return out;
}

PyMethodDef cleaner_runs_methods[] = {
    {"repeated_runs", (PyCFunction)(void (*)(void))repeated_runs, METH_FASTCALL, repeated_runs_doc},
    {"rough_scan", (PyCFunction)(void (*)(void))rough_scan, METH_FASTCALL, rough_scan_doc},
    {"release_scratch", release_scratch, METH_NOARGS, release_scratch_doc},
    {NULL, NULL, 0, NULL},
};
