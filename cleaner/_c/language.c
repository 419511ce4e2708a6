/* The language ranking's stopword and own-letter counts (cleaner.rules.language). */
#include "common.h"

/* ------------------------------------------------------------------ stopword_table */

/* A stopword table (a bytes object, made once by stopword_table): a header, ``cap`` slots
 * (open addressing by the word's hash), and the words' code points. */
typedef struct {
    uint32_t cap, n_chars;
} StopHeader;

typedef struct {
    uint64_t hash;
    uint32_t at;   /* the word's first code point in the pool */
    uint16_t len;  /* 0: an empty slot */
    int16_t lang;  /* its language's position in ``langs`` */
} StopSlot;

PyDoc_STRVAR(stopword_table_doc,
"stopword_table(owner, index, /) -> bytes\n"
"\n"
"The words of ``owner`` (word -> language) whose language ``index`` (language -> position)\n"
"holds, as the table stopword_scores looks words up in without making a str per word.\n"
"Words of 1 to 64 code points; a word is looked up as it stands (the keys are lowered).");

static PyObject *
stopword_table(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "stopword_table(owner: dict, index: dict)");
        return NULL;
    }
    PyObject *owner = args[0], *index = args[1];
    Py_ssize_t n_words = PyDict_GET_SIZE(owner), n_chars = 0, pos = 0;
    PyObject *word, *lang;
    while (PyDict_Next(owner, &pos, &word, &lang)) {
        if (!PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) < 1 ||
            PyUnicode_GET_LENGTH(word) > 64) {
            PyErr_SetString(PyExc_ValueError, "stopword_table: words are str of 1 to 64 code points");
            return NULL;
        }
        n_chars += PyUnicode_GET_LENGTH(word);
    }
    uint32_t cap = 16;
    while (cap < (uint64_t)n_words * 2 + 1)
        cap <<= 1;
    Py_ssize_t size = (Py_ssize_t)(sizeof(StopHeader) + sizeof(StopSlot) * cap +
                                   sizeof(Py_UCS4) * (size_t)n_chars);
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL)
        return NULL;
    char *base = PyBytes_AS_STRING(out);
    memset(base, 0, (size_t)size);
    StopHeader *head = (StopHeader *)base;
    StopSlot *slots = (StopSlot *)(base + sizeof(StopHeader));
    Py_UCS4 *pool = (Py_UCS4 *)(base + sizeof(StopHeader) + sizeof(StopSlot) * cap);
    head->cap = cap;
    head->n_chars = (uint32_t)n_chars;
    uint32_t used = 0;
    pos = 0;
    while (PyDict_Next(owner, &pos, &word, &lang)) {
        PyObject *at = PyDict_GetItemWithError(index, lang);
        if (at == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(out);
                return NULL;
            }
            continue; /* (a language this ranking leaves out) */
        }
        Py_ssize_t i = PyLong_AsSsize_t(at);
        if (i < 0 || i >= 64) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "stopword_table: positions are 0 .. 63");
            Py_DECREF(out);
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        if (PyUnicode_AsUCS4(word, pool + used, len, 0) == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        uint64_t h = hash_word(pool + used, len);
        uint32_t s = (uint32_t)h & (cap - 1);
        while (slots[s].len != 0)
            s = (s + 1) & (cap - 1);
        slots[s].hash = h;
        slots[s].at = used;
        slots[s].len = (uint16_t)len;
        slots[s].lang = (int16_t)i;
        used += (uint32_t)len;
    }
    return out;
}

/* The slot of the word ``chars`` in the table, or -1. */
static inline Py_ssize_t
stop_find(const StopSlot *slots, uint32_t cap, const Py_UCS4 *pool, uint32_t n_chars,
          const Py_UCS4 *chars, Py_ssize_t len)
{
    uint64_t h = hash_word(chars, len);
    uint32_t s = (uint32_t)h & (cap - 1);
    for (uint32_t probes = 0; slots[s].len != 0 && probes < cap; probes++) {
        if (slots[s].hash == h && slots[s].len == len &&
            (uint64_t)slots[s].at + (uint64_t)len <= n_chars &&
            memcmp(pool + slots[s].at, chars, sizeof(Py_UCS4) * (size_t)len) == 0)
            return s;
        s = (s + 1) & (cap - 1);
    }
    return -1;
}

/* ------------------------------------------------------------------ stopword_scores */

/* PyUnicode_Compare(a, b) of two str (-1, 0 or 1; -1 with an error set on failure), ASCII
 * ones compared here: a call of PyUnicode_Compare costs more than a short name's bytes, and
 * the ranking below compares names at every tie (most languages score 0). */
static int
name_compare(PyObject *a, PyObject *b)
{
    if (PyUnicode_IS_ASCII(a) && PyUnicode_IS_ASCII(b)) {
        Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = PyUnicode_GET_LENGTH(b);
        const Py_UCS1 *x = PyUnicode_1BYTE_DATA(a), *y = PyUnicode_1BYTE_DATA(b);
        for (Py_ssize_t k = 0; k < la && k < lb; k++) {
            if (x[k] != y[k])
                return x[k] < y[k] ? -1 : 1;
        }
        return la < lb ? -1 : la > lb;
    }
    return PyUnicode_Compare(a, b);
}

PyDoc_STRVAR(stopword_scores_doc,
"stopword_scores(sample, table, langs, letters, lower, longest, /) -> list[tuple[int, str]]\n"
"\n"
"For each language ``langs[i]``: how many distinct words of ``sample.lower().split()``\n"
"the stopword ``table`` (stopword_table(owner, index)) gives to it, plus how many of the\n"
"distinct characters ``letters[i]`` (its own letters, all past ASCII) the lowered sample\n"
"holds. ``lower`` is cleaner.normalize.lower_table(); ``longest`` the length of the longest\n"
"stopword (a longer word is not looked up). As ``(score, language)`` pairs ranked as\n"
"``sorted(pairs, reverse=True)`` ranks them: best first, a tie to the later language name.");

static PyObject *
stopword_scores(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        !PyTuple_Check(args[2]) || !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError,
                        "stopword_scores(sample: str, table: bytes, langs: tuple, letters: tuple, "
                        "lower, longest: int)");
        return NULL;
    }
    Py_ssize_t longest = PyLong_AsSsize_t(args[5]);
    if (longest == -1 && PyErr_Occurred())
        return NULL;
    PyObject *sample = args[0], *table = args[1];
    PyObject *langs = args[2], *letters = args[3];
    Py_ssize_t n_langs = PyTuple_GET_SIZE(langs);
    if (PyTuple_GET_SIZE(letters) != n_langs || n_langs > 64) {
        PyErr_SetString(PyExc_ValueError, "stopword_scores: one letters string per language (64 at most)");
        return NULL;
    }
    /* the stopword table, checked */
    Py_ssize_t table_size = PyBytes_GET_SIZE(table);
    const char *base = PyBytes_AS_STRING(table);
    if (table_size < (Py_ssize_t)sizeof(StopHeader)) {
        PyErr_SetString(PyExc_ValueError, "stopword_scores: table must come from stopword_table");
        return NULL;
    }
    StopHeader head;
    memcpy(&head, base, sizeof(head));
    if (head.cap == 0 || (head.cap & (head.cap - 1)) != 0 ||
        table_size != (Py_ssize_t)(sizeof(StopHeader) + sizeof(StopSlot) * head.cap +
                                   sizeof(Py_UCS4) * head.n_chars)) {
        PyErr_SetString(PyExc_ValueError, "stopword_scores: table must come from stopword_table");
        return NULL;
    }
    const StopSlot *slots = (const StopSlot *)(base + sizeof(StopHeader));
    const Py_UCS4 *pool = (const Py_UCS4 *)(base + sizeof(StopHeader) + sizeof(StopSlot) * head.cap);
    /* (a slot's word and language are checked where it is met: not every slot each call) */
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
    if (table_buffer(args[4], &view, sizeof(uint32_t), "stopword_scores: lower",
                     "unsigned 32-bit codes") < 0)
        return NULL;
    const uint32_t *lower_table = view.buf;
    PyObject *out = NULL;
    Py_UCS4 *low = NULL;
    uint8_t *seen = NULL;
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
        low = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(len ? len : 1));
        if (low == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < len; k++)
            low[k] = lower_table[PyUnicode_READ(skind, sdata, k)];
    }
    else {
        PyObject *lowered = PyObject_CallMethodNoArgs(sample, str_lower);
        if (lowered == NULL)
            goto done;
        len = PyUnicode_GET_LENGTH(lowered);
        low = PyUnicode_AsUCS4Copy(lowered);
        Py_DECREF(lowered);
        if (low == NULL)
            goto done;
    }
    seen = PyMem_Calloc(head.cap, 1);
    if (seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t pos = 0;
    while (pos < len) {
        while (pos < len && Py_UNICODE_ISSPACE(low[pos]))
            pos++;
        if (pos == len)
            break;
        Py_ssize_t start = pos;
        while (pos < len && !Py_UNICODE_ISSPACE(low[pos]))
            pos++;
        if (pos - start > longest || pos - start > 64)
            continue; /* (no stopword is that long) */
        Py_ssize_t s = stop_find(slots, head.cap, pool, head.n_chars, low + start, pos - start);
        if (s >= 0 && !seen[s]) { /* (each distinct word once) */
            if (slots[s].lang < 0 || slots[s].lang >= n_langs) {
                PyErr_SetString(PyExc_ValueError,
                                "stopword_scores: table must come from stopword_table");
                goto done;
            }
            seen[s] = 1;
            counts[slots[s].lang]++;
        }
    }
    /* own letters: the characters past ASCII, looked up in each language's few */
    for (Py_ssize_t k = 0; k < len; k++) {
        Py_UCS4 c = low[k];
        if (c < 0x80)
            continue;
        for (int j = 0; j < n_own; j++) {
            if (own_char[j] == c) /* (a letter may be own to several languages) */
                found_letters[own_lang[j]] |= (uint64_t)1 << own_bit[j];
        }
    }
    /* the scores, then the languages in rank order (an insertion sort of at most 64: the
     * name decides a tie, later first, as a reversed sort of the pairs has it) */
    Py_ssize_t scores[64], order[64];
    for (Py_ssize_t i = 0; i < n_langs; i++) {
        Py_ssize_t distinct = 0; /* (the letters of a language are distinct) */
        for (uint64_t bits = found_letters[i]; bits; bits &= bits - 1)
            distinct++;
        scores[i] = counts[i] + distinct;
        if (!PyUnicode_Check(PyTuple_GET_ITEM(langs, i))) {
            PyErr_SetString(PyExc_TypeError, "stopword_scores: langs are str");
            goto done;
        }
        Py_ssize_t at = i;
        while (at > 0) {
            Py_ssize_t before = order[at - 1];
            int ahead = scores[i] > scores[before];
            if (scores[i] == scores[before]) {
                int cmp = name_compare(PyTuple_GET_ITEM(langs, i), PyTuple_GET_ITEM(langs, before));
                if (cmp == -1 && PyErr_Occurred())
                    goto done;
                ahead = cmp > 0;
            }
            if (!ahead)
                break;
            order[at] = before;
            at--;
        }
        order[at] = i;
    }
    out = PyList_New(n_langs);
    if (out == NULL)
        goto done;
    for (Py_ssize_t r = 0; r < n_langs; r++) {
        Py_ssize_t i = order[r];
        PyObject *score = PyLong_FromSsize_t(scores[i]);
        PyObject *pair = score == NULL ? NULL : PyTuple_Pack(2, score, PyTuple_GET_ITEM(langs, i));
        Py_XDECREF(score);
        if (pair == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, r, pair);
    }
done:
    PyMem_Free(low);
    PyMem_Free(seen);
    PyBuffer_Release(&view);
    return out;
}

PyDoc_STRVAR(flag_counts_doc,
"flag_counts(text, flags, n, /) -> list[int]\n"
"\n"
"For each of the ``n`` bits of ``flags`` (a byte per code point below U+10000), how many\n"
"characters of ``text`` have it set (characters past U+FFFF have none): the count of each\n"
"script of language._SCRIPT_CHARS in one pass.");

static PyObject *
flag_counts(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "flag_counts(text: str, flags: bytes, n: int)");
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(args[2]);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n < 0 || n > 8) {
        PyErr_SetString(PyExc_ValueError, "flag_counts: n is 0 .. 8");
        return NULL;
    }
    Py_buffer view;
    if (table_buffer(args[1], &view, 1, "flag_counts: flags", "bytes") < 0)
        return NULL;
    const uint8_t *flags = view.buf;
    PyObject *text = args[0];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), per_value[256] = {0};
    /* (how often each flag byte stands, then its bits) */
    if (kind == PyUnicode_1BYTE_KIND) {
        for (Py_ssize_t k = 0; k < len; k++)
            per_value[flags[((const Py_UCS1 *)data)[k]]]++;
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        for (Py_ssize_t k = 0; k < len; k++)
            per_value[flags[((const Py_UCS2 *)data)[k]]]++;
    }
    else {
        for (Py_ssize_t k = 0; k < len; k++) {
            Py_UCS4 ch = ((const Py_UCS4 *)data)[k];
            per_value[ch < FOLD_TABLE_SIZE ? flags[ch] : 0]++;
        }
    }
    PyBuffer_Release(&view);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t b = 0; b < n; b++) {
        Py_ssize_t count = 0;
        for (int v = 1; v < 256; v++)
            if (v >> b & 1)
                count += per_value[v];
        PyObject *c = PyLong_FromSsize_t(count);
        if (c == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, b, c);
    }
    return out;
}

PyDoc_STRVAR(utf8_extra_doc,
"utf8_extra(text, /) -> int\n"
"\n"
"``len(text.encode(\"utf-8\", \"surrogatepass\")) - len(text)``, without encoding: one\n"
"byte more for each code point from U+0080 on, two from U+0800, three from U+10000.");

static PyObject *
utf8_extra(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "utf8_extra: text must be str, not %.100s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), extra = 0;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: {
        if (PyUnicode_IS_ASCII(text))
            break;
        const Py_UCS1 *c = PyUnicode_1BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len; k++)
            extra += c[k] >> 7;
        break;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *c = PyUnicode_2BYTE_DATA(text);
        /* four units at a time: the top bit of each 16-bit lane set where the lane is not
         * below 0x80 (and 0x800; no carry crosses a lane), moved to the lane's lowest bit,
         * the two added (at most 2 a lane), and the four lanes summed into the top lane by
         * one multiplication (at most 8: no lane overflows; a portable popcount costs more) */
        const uint64_t low = 0x7FFF7FFF7FFF7FFFULL, top = 0x8000800080008000ULL;
        Py_ssize_t k = 0;
        for (; k + 4 <= len; k += 4) {
            uint64_t x;
            memcpy(&x, c + k, sizeof(x));
            uint64_t past7 = x & 0xFF80FF80FF80FF80ULL, past11 = x & 0xF800F800F800F800ULL;
            uint64_t lanes = (((past7 | ((past7 & low) + low)) & top) >> 15) +
                             (((past11 | ((past11 & low) + low)) & top) >> 15);
            extra += (Py_ssize_t)((lanes * 0x0001000100010001ULL) >> 48);
        }
        for (; k < len; k++)
            extra += (c[k] >= 0x80) + (c[k] >= 0x800);
        break;
    }
    default: {
        const Py_UCS4 *c = PyUnicode_4BYTE_DATA(text);
        for (Py_ssize_t k = 0; k < len; k++)
            extra += (c[k] >= 0x80) + (c[k] >= 0x800) + (c[k] >= 0x10000);
    }
    }
    return PyLong_FromSsize_t(extra);
}

PyMethodDef cleaner_language_methods[] = {
    {"utf8_extra", (PyCFunction)utf8_extra, METH_O, utf8_extra_doc},
    {"flag_counts", (PyCFunction)(void (*)(void))flag_counts, METH_FASTCALL, flag_counts_doc},
    {"stopword_table", (PyCFunction)(void (*)(void))stopword_table, METH_FASTCALL, stopword_table_doc},
    {"stopword_scores", (PyCFunction)(void (*)(void))stopword_scores, METH_FASTCALL, stopword_scores_doc},
    {NULL, NULL, 0, NULL},
};
