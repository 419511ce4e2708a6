/* Fuzzy matching among all pairs of a few hundred units (cleaner.dedup._all_pairs). */
#include "common.h"

/* A unit longer than this many words sends the call back to RapidFuzz (the bit rows of
 * one unit take words x words / 64 machine words). */
#define PAIRS_MAX_WORDS 4096

/* ------------------------------------------------------------------ all_pairs */

/* Whether a pair of ``a`` and ``b`` words (earlier, later) with ``c`` words in common
 * matches: dedup._pairwise's test, with the same float arithmetic. */
static inline int
pair_passes(Py_ssize_t a, Py_ssize_t b, Py_ssize_t c, double min_score, double min_share,
            Py_ssize_t min_near, int contained)
{
    if (a + b > 0 && 200.0 * (double)c / (double)(a + b) >= min_score)
        return 1;
    if (contained && b <= a && 100.0 * (double)c / (double)(b > 1 ? b : 1) >= min_share)
        return 1;
    return contained && a < b && c == a && a >= min_near;
}

/* A word: ``len`` code points at ``at`` in the str ``str`` (a word of a list, or a piece of
 * a key), and its hash. */
typedef struct {
    PyObject *str;
    Py_ssize_t at, len;
    uint64_t hash;
} WordRef;

/* Equal words: the same code points. */
static inline int
same_word(const WordRef *x, const WordRef *y)
{
    return x->len == y->len &&
           same_code_points(PyUnicode_KIND(x->str), PyUnicode_DATA(x->str), x->at,
                            PyUnicode_KIND(y->str), PyUnicode_DATA(y->str), y->at, x->len);
}


/* Bit-parallel LCS (Hyyro): ``S`` starts all ones; for each character (word) of the other
 * string, with ``row`` the bits of where it stands in this one: u = S & row,
 * S = (S + u) | (S - u); the LCS is the number of zero bits of S. One machine word: */
static inline uint64_t
lcs_step(uint64_t S, uint64_t row)
{
    uint64_t u = S & row;
    return (S + u) | (S - u);
}

/* ...and over ``blocks`` machine words, the addition carried across them. */
static inline void
lcs_step_blocks(uint64_t *state, const uint64_t *row, Py_ssize_t blocks)
{
    uint64_t carry = 0;
    for (Py_ssize_t w = 0; w < blocks; w++) {
        uint64_t S = state[w], u = S & row[w];
        uint64_t x = S + carry;
        uint64_t next = x < carry;
        x += u;
        next |= x < u;
        carry = next;
        state[w] = x | (S - u);
    }
}

/* The LCS of a state of ``blocks`` machine words: its zero bits. */
static inline Py_ssize_t
lcs_of_blocks(const uint64_t *state, Py_ssize_t blocks)
{
    Py_ssize_t c = 0;
    for (Py_ssize_t w = 0; w < blocks; w++)
        c += __builtin_popcountll(~state[w]);
    return c;
}

/* How many words the key ``key`` holds (words joined by single spaces; none when empty):
 * its spaces plus one; one-byte keys eight bytes at a time (a space made a zero byte, the
 * zero bytes flagged without a carry across bytes and summed by one multiplication). */
#define COUNT_SPACES_LOOP(UNIT)                                                               \
    {                                                                                         \
        const UNIT *c = data;                                                                 \
        for (Py_ssize_t k = 0; k < len; k++)                                                  \
            spaces += c[k] == ' ';                                                            \
    }
static Py_ssize_t
key_words(PyObject *key)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(key), spaces = 0;
    if (len == 0)
        return 0;
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *c = data;
        const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
        Py_ssize_t k = 0;
        for (; k + 8 <= len; k += 8) {
            uint64_t x;
            memcpy(&x, c + k, sizeof(x));
            x ^= 0x2020202020202020ULL;
            uint64_t nonzero = ((x & low7) + low7) | x; /* (top bit of each byte) */
            spaces += (Py_ssize_t)((((~nonzero >> 7) & ones) * ones) >> 56);
        }
        for (; k < len; k++)
            spaces += c[k] == ' ';
    }
    else if (kind == PyUnicode_2BYTE_KIND)
        COUNT_SPACES_LOOP(Py_UCS2)
    else
        COUNT_SPACES_LOOP(Py_UCS4)
    return spaces + 1;
}

PyDoc_STRVAR(all_pairs_doc,
"all_pairs(seqs, min_score, min_share, min_near, contained, /) -> list[tuple[int, int, int]] | None\n"
"\n"
"For the word lists ``seqs`` (each a list of str, or a key: a str of words joined by single\n"
"spaces), the pairs (i, j, c), i < j, in that\n"
"order, whose longest common subsequence of words, c words long, passes dedup._pairwise's\n"
"test (near: 200c/(a+b) >= min_score; with ``contained``: the later no longer and 100c/b\n"
">= min_share, or the earlier shorter, all of it common and at least ``min_near`` words).\n"
"Words are equal when their text is (RapidFuzz compares their hashes). Bit-parallel LCS\n"
"(Hyyro) over word codes numbered for the call. ``None`` when a list holds more than 4,096\n"
"words (the caller takes RapidFuzz then).");

static PyObject *
all_pairs(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "all_pairs() takes 5 arguments");
        return NULL;
    }
    double min_score = PyFloat_AsDouble(args[1]);
    if (min_score == -1.0 && PyErr_Occurred())
        return NULL;
    double min_share = PyFloat_AsDouble(args[2]);
    if (min_share == -1.0 && PyErr_Occurred())
        return NULL;
    Py_ssize_t min_near = PyLong_AsSsize_t(args[3]);
    if (min_near == -1 && PyErr_Occurred())
        return NULL;
    int contained = PyObject_IsTrue(args[4]);
    if (contained < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(args[0], "all_pairs: seqs must be a sequence of lists");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);

    PyObject *result = NULL;
    Py_ssize_t *offset = NULL;
    int32_t *codes = NULL, *slot_of = NULL, *slot_code = NULL;
    WordRef *vocab = NULL;
    int32_t *table = NULL;
    uint64_t *rows = NULL, *state = NULL;

    /* the lists, checked; where each one's codes start */
    offset = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    if (offset == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    offset[0] = 0;
    Py_ssize_t longest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ws = items[i];
        if (!PyList_Check(ws) && !PyUnicode_Check(ws)) {
            PyErr_Format(PyExc_TypeError,
                         "all_pairs: seqs[%zd] must be a list of str or a str, not %.100s", i,
                         Py_TYPE(ws)->tp_name);
            goto done;
        }
        Py_ssize_t len = PyList_Check(ws) ? PyList_GET_SIZE(ws) : key_words(ws);
        if (len > longest)
            longest = len;
        offset[i + 1] = offset[i] + len;
    }
    if (longest > PAIRS_MAX_WORDS) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    result = PyList_New(0);
    if (result == NULL || n < 2)
        goto done;

    /* every word a code: equal words, equal codes (open addressing on the word's hash) */
    Py_ssize_t total = offset[n];
    size_t cap = 16;
    while (cap < (size_t)total * 2)
        cap <<= 1;
    codes = PyMem_Malloc(sizeof(int32_t) * (size_t)(total ? total : 1));
    table = PyMem_Malloc(sizeof(int32_t) * cap);
    vocab = PyMem_Malloc(sizeof(WordRef) * (size_t)(total ? total : 1));
    if (codes == NULL || table == NULL || vocab == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    memset(table, 0xFF, sizeof(int32_t) * cap);
    int32_t n_codes = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ws = items[i];
        int is_key = PyUnicode_Check(ws);
        Py_ssize_t len = offset[i + 1] - offset[i];
        if (!is_key && PyList_GET_SIZE(ws) != len) {
            PyErr_SetString(PyExc_RuntimeError, "all_pairs: a list changed size");
            goto error;
        }
        Py_ssize_t pos = 0; /* (in a key: where the next word starts) */
        for (Py_ssize_t k = 0; k < len; k++) {
            WordRef ref;
            if (is_key) { /* (split and hashed in one pass: common.h's next_word) */
                Py_ssize_t stop = next_word(PyUnicode_KIND(ws), PyUnicode_DATA(ws), pos,
                                            PyUnicode_GET_LENGTH(ws), &ref.hash);
                ref.str = ws;
                ref.at = pos;
                ref.len = stop - pos;
                pos = stop + 1;
            }
            else {
                PyObject *w = PyList_GET_ITEM(ws, k);
                if (!PyUnicode_Check(w)) {
                    PyErr_Format(PyExc_TypeError,
                                 "all_pairs: seqs[%zd][%zd] must be a str, not %.100s", i, k,
                                 Py_TYPE(w)->tp_name);
                    goto error;
                }
                ref.str = w;
                ref.at = 0;
                ref.len = PyUnicode_GET_LENGTH(w);
                ref.hash = hash_units(PyUnicode_KIND(w), PyUnicode_DATA(w), 0, ref.len);
            }
            size_t s = (size_t)ref.hash & (cap - 1);
            int32_t code;
            while ((code = table[s]) >= 0 &&
                   !(vocab[code].hash == ref.hash && same_word(&vocab[code], &ref)))
                s = (s + 1) & (cap - 1);
            if (code < 0) {
                code = table[s] = n_codes++;
                vocab[code] = ref;
            }
            codes[offset[i] + k] = code;
        }
    }

    /* for each earlier unit: one row of bits per distinct word (where it stands), then
     * the LCS with each later unit (lcs_step, lcs_step_blocks) */
    Py_ssize_t max_blocks = (longest + 63) / 64;
    slot_of = PyMem_Malloc(sizeof(int32_t) * (size_t)(n_codes ? n_codes : 1));
    slot_code = PyMem_Malloc(sizeof(int32_t) * (size_t)(longest ? longest : 1));
    rows = PyMem_Malloc(sizeof(uint64_t) * (size_t)(longest ? longest : 1) * (size_t)(max_blocks ? max_blocks : 1));
    state = PyMem_Malloc(sizeof(uint64_t) * (size_t)(max_blocks ? max_blocks : 1));
    if (slot_of == NULL || slot_code == NULL || rows == NULL || state == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    memset(slot_of, 0xFF, sizeof(int32_t) * (size_t)(n_codes ? n_codes : 1));
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        const int32_t *ai = codes + offset[i];
        Py_ssize_t a = offset[i + 1] - offset[i];
        Py_ssize_t blocks = (a + 63) / 64;
        int32_t n_slots = 0;
        for (Py_ssize_t k = 0; k < a; k++) {
            int32_t s = slot_of[ai[k]];
            if (s < 0) {
                s = slot_of[ai[k]] = n_slots;
                slot_code[n_slots++] = ai[k];
                memset(rows + (size_t)s * (size_t)blocks, 0, sizeof(uint64_t) * (size_t)blocks);
            }
            rows[(size_t)s * (size_t)blocks + (size_t)(k / 64)] |= (uint64_t)1 << (k % 64);
        }
        for (Py_ssize_t j = i + 1; j < n; j++) {
            const int32_t *bj = codes + offset[j];
            Py_ssize_t b = offset[j + 1] - offset[j];
            if (!pair_passes(a, b, a < b ? a : b, min_score, min_share, min_near, contained))
                continue; /* (not even with every word of the shorter one in common) */
            Py_ssize_t c = 0;
            if (blocks == 1) {
                uint64_t S = ~(uint64_t)0;
                for (Py_ssize_t k = 0; k < b; k++) {
                    int32_t s = slot_of[bj[k]];
                    if (s >= 0)
                        S = lcs_step(S, rows[s]);
                }
                c = lcs_of_blocks(&S, 1);
            }
            else if (blocks > 1) {
                for (Py_ssize_t w = 0; w < blocks; w++)
                    state[w] = ~(uint64_t)0;
                for (Py_ssize_t k = 0; k < b; k++) {
                    int32_t s = slot_of[bj[k]];
                    if (s >= 0)
                        lcs_step_blocks(state, rows + (size_t)s * (size_t)blocks, blocks);
                }
                c = lcs_of_blocks(state, blocks);
            }
            if (pair_passes(a, b, c, min_score, min_share, min_near, contained)) {
                PyObject *t = Py_BuildValue("(nnn)", i, j, c);
                if (t == NULL || PyList_Append(result, t) < 0) {
                    Py_XDECREF(t);
                    goto error;
                }
                Py_DECREF(t);
            }
        }
        for (int32_t s = 0; s < n_slots; s++)
            slot_of[slot_code[s]] = -1;
    }
    goto done;

error:
    Py_CLEAR(result);
done:
    PyMem_Free(offset);
    PyMem_Free(codes);
    PyMem_Free(table);
    PyMem_Free(vocab);
    PyMem_Free(slot_of);
    PyMem_Free(slot_code);
    PyMem_Free(rows);
    PyMem_Free(state);
    Py_DECREF(seq);
    return result;
}

/* ------------------------------------------------------------------ lcs_pairs */

PyDoc_STRVAR(lcs_pairs_doc,
"lcs_pairs(strings, i_idx, j_idx, out, /) -> bool\n"
"\n"
"For each k, the length of the longest common subsequence of the characters of\n"
"``strings[i_idx[k]]`` and ``strings[j_idx[k]]`` (RapidFuzz's ``LCSseq.similarity``, which\n"
"dedup._compared's twin asks of RapidFuzz) into ``out[k]``: ``i_idx`` and ``j_idx`` int64\n"
"buffers, ``out`` a writable int32 buffer, all of one length. Bit-parallel (Hyyro), as\n"
"all_pairs: the bit rows of a string are made once for a run of pairs that share it (the\n"
"LSH pairs come ordered by their first string). False, with ``out`` unfinished, when a\n"
"string of a pair is longer than 4,096 characters (the caller asks RapidFuzz then).");

/* A slot of lcs_pairs' table: a character of the current string, and its bit row. */
typedef struct {
    Py_UCS4 ch;
    int32_t row; /* (-1: free) */
} CharSlot;

/* The slot of ``ch`` in lcs_pairs' table: where it stands, or the free slot it would take. */
static inline size_t
char_slot(const CharSlot *table, size_t mask, Py_UCS4 ch)
{
    size_t s = ((size_t)ch * 0x9E3779B1u) & mask;
    while (table[s].row >= 0 && table[s].ch != ch)
        s = (s + 1) & mask;
    return s;
}

static int
int64_buffer(PyObject *obj, Py_buffer *view, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (view->itemsize != 8 || view->len % 8) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "lcs_pairs: %s must be an int64 array", what);
        return -1;
    }
    return 0;
}

static PyObject *
lcs_pairs(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "lcs_pairs() takes 4 arguments");
        return NULL;
    }
    if (!PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "lcs_pairs: strings must be a list of str");
        return NULL;
    }
    PyObject *strings = args[0];
    Py_buffer iv, jv, ov;
    if (int64_buffer(args[1], &iv, "i_idx") < 0)
        return NULL;
    if (int64_buffer(args[2], &jv, "j_idx") < 0) {
        PyBuffer_Release(&iv);
        return NULL;
    }
    if (PyObject_GetBuffer(args[3], &ov, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&iv);
        PyBuffer_Release(&jv);
        return NULL;
    }
    PyObject *result = NULL;
    CharSlot *table = NULL;
    int32_t *used = NULL;
    uint64_t *rows = NULL, *state = NULL;
    Py_ssize_t pairs = iv.len / 8;
    if (jv.len != iv.len || ov.itemsize != 4 || ov.len != pairs * 4) {
        PyErr_SetString(PyExc_ValueError,
                        "lcs_pairs: i_idx, j_idx (int64) and out (int32) must be of one length");
        goto done;
    }
    const int64_t *I = iv.buf, *J = jv.buf;
    int32_t *out = ov.buf;
    Py_ssize_t n = PyList_GET_SIZE(strings);
    for (Py_ssize_t k = 0; k < pairs; k++) { /* (checked first: no pair half done) */
        if (I[k] < 0 || I[k] >= n || J[k] < 0 || J[k] >= n) {
            PyErr_Format(PyExc_IndexError, "lcs_pairs: pair %zd names no string", k);
            goto done;
        }
        PyObject *x = PyList_GET_ITEM(strings, I[k]), *y = PyList_GET_ITEM(strings, J[k]);
        if (!PyUnicode_Check(x) || !PyUnicode_Check(y)) {
            PyErr_Format(PyExc_TypeError, "lcs_pairs: the strings of pair %zd must be str", k);
            goto done;
        }
        if (PyUnicode_GET_LENGTH(x) > PAIRS_MAX_WORDS || PyUnicode_GET_LENGTH(y) > PAIRS_MAX_WORDS) {
            result = Py_NewRef(Py_False);
            goto done;
        }
    }
    size_t cap = 2 * PAIRS_MAX_WORDS; /* (a power of two, twice the longest string) */
    Py_ssize_t max_blocks = (PAIRS_MAX_WORDS + 63) / 64;
    table = PyMem_Malloc(sizeof(CharSlot) * cap);
    used = PyMem_Malloc(sizeof(int32_t) * PAIRS_MAX_WORDS);
    rows = PyMem_Malloc(sizeof(uint64_t) * (size_t)PAIRS_MAX_WORDS * (size_t)max_blocks);
    state = PyMem_Malloc(sizeof(uint64_t) * (size_t)max_blocks);
    if (table == NULL || used == NULL || rows == NULL || state == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t s = 0; s < cap; s++)
        table[s].row = -1;
    int32_t n_used = 0;    /* (the table's slots in use, to free them for the next string) */
    Py_ssize_t last = -1;  /* (the string the rows are of) */
    Py_ssize_t blocks = 0, a = 0;
    size_t mask = 0;
    for (Py_ssize_t k = 0; k < pairs; k++) {
        Py_ssize_t i = (Py_ssize_t)I[k];
        if (i != last) { /* the rows of strings[i]: where each of its characters stands */
            for (int32_t u = 0; u < n_used; u++)
                table[used[u]].row = -1;
            n_used = 0;
            PyObject *x = PyList_GET_ITEM(strings, i);
            a = PyUnicode_GET_LENGTH(x);
            blocks = (a + 63) / 64;
            mask = 16;
            while (mask < (size_t)a * 2)
                mask <<= 1;
            mask -= 1;
            int kind = PyUnicode_KIND(x);
            const void *data = PyUnicode_DATA(x);
            int32_t n_rows = 0;
            for (Py_ssize_t p = 0; p < a; p++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, p);
                size_t s = char_slot(table, mask, ch);
                if (table[s].row < 0) {
                    table[s].ch = ch;
                    table[s].row = n_rows++;
                    used[n_used++] = (int32_t)s;
                    memset(rows + (size_t)table[s].row * (size_t)blocks, 0,
                           sizeof(uint64_t) * (size_t)blocks);
                }
                rows[(size_t)table[s].row * (size_t)blocks + (size_t)(p / 64)] |=
                    (uint64_t)1 << (p % 64);
            }
            last = i;
        }
        PyObject *y = PyList_GET_ITEM(strings, J[k]);
        Py_ssize_t b = PyUnicode_GET_LENGTH(y);
        int kind = PyUnicode_KIND(y);
        const void *data = PyUnicode_DATA(y);
        Py_ssize_t c = 0;
        if (blocks == 1) {
            uint64_t S = ~(uint64_t)0;
            for (Py_ssize_t q = 0; q < b; q++) {
                int32_t r = table[char_slot(table, mask, PyUnicode_READ(kind, data, q))].row;
                if (r >= 0)
                    S = lcs_step(S, rows[r]);
            }
            c = lcs_of_blocks(&S, 1);
        }
        else if (blocks > 1) {
            for (Py_ssize_t w = 0; w < blocks; w++)
                state[w] = ~(uint64_t)0;
            for (Py_ssize_t q = 0; q < b; q++) {
                int32_t r = table[char_slot(table, mask, PyUnicode_READ(kind, data, q))].row;
                if (r >= 0)
                    lcs_step_blocks(state, rows + (size_t)r * (size_t)blocks, blocks);
            }
            c = lcs_of_blocks(state, blocks);
        }
        out[k] = (int32_t)c;
    }
    result = Py_NewRef(Py_True);
done:
    PyMem_Free(table);
    PyMem_Free(used);
    PyMem_Free(rows);
    PyMem_Free(state);
    PyBuffer_Release(&iv);
    PyBuffer_Release(&jv);
    PyBuffer_Release(&ov);
    return result;
}

PyMethodDef cleaner_pairs_methods[] = {
    {"all_pairs", (PyCFunction)(void (*)(void))all_pairs, METH_FASTCALL, all_pairs_doc},
    {"lcs_pairs", (PyCFunction)(void (*)(void))lcs_pairs, METH_FASTCALL, lcs_pairs_doc},
    {NULL, NULL, 0, NULL},
};
