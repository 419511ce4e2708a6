/* The units of the candidate lines of a document (cleaner.dedup._collect's loop). */
#include "common.h"

static const char *const parts_names[10] = {"spans", "sentence_keys", "sentence_sizes", "size",
                                            "sentence_ok", "key", "frame", "questions", "prose",
                                            "fits"};
enum { P_SPANS, P_KEYS, P_SIZES, P_SIZE, P_OK, P_KEY, P_FRAME, P_QUESTIONS, P_PROSE, P_FITS };
static const char *const unit_names[12] = {"line", "number", "start", "end", "key", "n_words",
                                           "eligible", "near", "kept_words", "removed",
                                           "sentences", "short"};
enum { U_LINE, U_NUMBER, U_START, U_END, U_KEY, U_N_WORDS, U_ELIGIBLE, U_NEAR, U_KEPT_WORDS,
       U_REMOVED, U_SENTENCES, U_SHORT };
static Slots line_slots, parts_slots, unit_slots;

/* A new unit with ``values`` (twelve, stolen, none NULL). */
static PyObject *
new_unit(PyObject *values[12])
{
    PyObject *obj = slots_new(&unit_slots, values);
    for (int f = 0; f < 12; f++)
        Py_DECREF(values[f]);
    return obj;
}

static int
flag(PyObject *obj, const Slots *slots, int f)
{
    PyObject *value = slot_field(obj, slots, f);
    if (value == NULL)
        return -1;
    int truth = PyObject_IsTrue(value);
    Py_DECREF(value);
    return truth;
}

/* The arguments of the in-C parts of a line (collect_units' ``parts_args``). */
enum {
    A_SENTENCE_TABLE, A_IS_ABBREVIATION, A_ABBREVIATIONS, A_FOLD_TABLE, A_FRAME_KINDS,
    A_MIN_WORDS, A_MIN_CHARS, A_MAX_NUMERIC, A_LONG_WORDS, A_STOPS, A_CLOSERS, A_QUESTIONS,
    A_PARTS_TYPE, A_KEEP_WORDS, A_UNSPACED_TABLE, A_UNSPACED_FLAGS, A_COUNT
};

/* dedup._line_parts of a line, in C, stored in ``parts_of`` as the memo keeps it: a new
 * reference to the stored tuple; a new reference to None where the C core leaves the line
 * to Python (its sentence split or its fold); NULL with an exception. */
static PyObject *
parts_in_c(PyObject *module, PyObject *text, PyObject *kind, PyObject *pa, PyObject *parts_of)
{
    PyObject *end = PyLong_FromSsize_t(PyUnicode_GET_LENGTH(text));
    if (end == NULL)
        return NULL;
    PyObject *zero = PyLong_FromLong(0);
    PyObject *split_args[6] = {text, zero, end, PyTuple_GET_ITEM(pa, A_SENTENCE_TABLE),
                               PyTuple_GET_ITEM(pa, A_IS_ABBREVIATION),
                               PyTuple_GET_ITEM(pa, A_ABBREVIATIONS)};
    PyObject *spans = zero != NULL ? split_sentences_native(module, split_args, 6) : NULL;
    Py_XDECREF(zero);
    Py_DECREF(end);
    if (spans == NULL || spans == Py_None)
        return spans;
    int frame = PySet_Contains(PyTuple_GET_ITEM(pa, A_FRAME_KINDS), kind);
    if (frame < 0) {
        Py_DECREF(spans);
        return NULL;
    }
    int keep = PyObject_IsTrue(PyTuple_GET_ITEM(pa, A_KEEP_WORDS));
    if (keep < 0) {
        Py_DECREF(spans);
        return NULL;
    }
    PyObject *parts_args[12] = {text,
                                spans,
                                PyTuple_GET_ITEM(pa, A_FOLD_TABLE),
                                frame ? Py_True : Py_False,
                                PyTuple_GET_ITEM(pa, A_MIN_WORDS),
                                PyTuple_GET_ITEM(pa, A_MIN_CHARS),
                                PyTuple_GET_ITEM(pa, A_MAX_NUMERIC),
                                PyTuple_GET_ITEM(pa, A_LONG_WORDS),
                                PyTuple_GET_ITEM(pa, A_STOPS),
                                PyTuple_GET_ITEM(pa, A_CLOSERS),
                                PyTuple_GET_ITEM(pa, A_QUESTIONS),
                                keep ? Py_True : Py_False};
    PyObject *got = line_parts_native(module, parts_args, 12);
    if (got == Py_None) {
        /* a line of a script written without spaces: split as normalize.words has it,
         * with its own table (made on first use by the function in ``parts_args``) */
        PyObject *flag_args[2] = {text, PyTuple_GET_ITEM(pa, A_UNSPACED_FLAGS)};
        PyObject *unspaced = has_unspaced_native(module, flag_args, 2);
        if (unspaced == Py_True) {
            PyObject *table = PyObject_CallNoArgs(PyTuple_GET_ITEM(pa, A_UNSPACED_TABLE));
            Py_SETREF(got, NULL);
            if (table != NULL) {
                PyObject *unspaced_args[13];
                memcpy(unspaced_args, parts_args, sizeof(parts_args));
                unspaced_args[2] = table;
                unspaced_args[12] = Py_True;
                got = line_parts_native(module, unspaced_args, 13);
                Py_DECREF(table);
            }
        }
        else if (unspaced == NULL)
            Py_CLEAR(got);
        Py_XDECREF(unspaced);
    }
    Py_DECREF(spans);
    if (got == NULL || got == Py_None)
        return got;
    PyObject *known = NULL;
    find_slots(&parts_slots, (PyTypeObject *)PyTuple_GET_ITEM(pa, A_PARTS_TYPE), parts_names, 10);
    PyObject *parts = slots_new(&parts_slots, &PyTuple_GET_ITEM(got, 0));
    if (parts != NULL) {
        /* (the word lists, or None: keys only, and units split their keys when asked) */
        known = PyTuple_Pack(3, parts, PyTuple_GET_ITEM(got, 10), PyTuple_GET_ITEM(got, 11));
        if (known != NULL && PyDict_SetItem(parts_of, text, known) < 0)
            Py_CLEAR(known);
    }
    Py_XDECREF(parts);
    Py_DECREF(got);
    return known;
}

PyDoc_STRVAR(collect_units_doc,
"collect_units(lines, positions, copies, parts_of, fill, unit_type, min_near, frame_copies,\n"
"              structured_min_words, short_copy_min_words, attribution_marks, parts_args, /)\n"
"    -> tuple[list, list]\n"
"\n"
"cleaner.dedup._collect's loop over the candidate ``positions`` (ascending) of the open\n"
"``lines``: ``(line_units, sentences)``, each a list of ``unit_type``. A line's parts come\n"
"from the memo ``parts_of`` (its text -> (parts, words, sentence words)), or from\n"
"``fill(line)`` where it has none yet; ``copies[p]``: how many open lines have the rough key\n"
"of line p. The guards are the Python loop's (see _collect). ``parts_args`` (or None):\n"
"``(sentence_table, is_abbreviation, abbreviations, fold_table, frame_kinds, min_words,\n"
"min_chars, max_numeric, long_words, stops, closers, questions, parts_type, keep_words,\n"
"unspaced_fold_table, unspaced_flags)``, for a line's parts made here (split_sentences,\n"
"then line_parts; for a line holding an unspaced script, by ``unspaced_flags``, line_parts\n"
"with ``unspaced`` and the table the function ``unspaced_fold_table`` returns) where the\n"
"core can make them, and stored in the memo as ``fill`` would store them.");

static PyObject *
collect_units(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "collect_units() takes 12 arguments");
        return NULL;
    }
    PyObject *pa = args[11];
    if (pa != Py_None && (!PyTuple_Check(pa) || PyTuple_GET_SIZE(pa) != A_COUNT ||
                          !PyType_Check(PyTuple_GET_ITEM(pa, A_PARTS_TYPE)) ||
                          !PyAnySet_Check(PyTuple_GET_ITEM(pa, A_FRAME_KINDS)))) {
        PyErr_SetString(PyExc_TypeError, "collect_units: parts_args must be None or a tuple of 16 "
                                         "(a set of frame kinds, a parts class...)");
        return NULL;
    }
    PyObject *lines = args[0], *positions = args[1], *copies = args[2], *parts_of = args[3];
    PyObject *fill = args[4], *marks = args[10];
    if (!PyList_Check(lines) || !PyList_Check(positions) || !PyList_Check(copies) ||
        !PyDict_Check(parts_of) || !PyType_Check(args[5]) || !PyUnicode_Check(marks)) {
        PyErr_SetString(PyExc_TypeError,
                        "collect_units: lines, positions and copies must be lists, parts_of a "
                        "dict, unit_type a class and attribution_marks a str");
        return NULL;
    }
    PyTypeObject *unit_type = (PyTypeObject *)args[5];
    Py_ssize_t min_near = PyLong_AsSsize_t(args[6]);
    Py_ssize_t frame_copies = PyLong_AsSsize_t(args[7]);
    Py_ssize_t structured_min = PyLong_AsSsize_t(args[8]);
    Py_ssize_t short_min = PyLong_AsSsize_t(args[9]);
    if (PyErr_Occurred())
        return NULL;
    find_slots(&unit_slots, unit_type, unit_names, 12);
    Py_ssize_t n_lines = PyList_GET_SIZE(lines), n_copies = PyList_GET_SIZE(copies);
    PyObject *line_units = PyList_New(0), *sentences = PyList_New(0);
    PyObject *line = NULL, *text = NULL, *kind = NULL, *known = NULL, *number = NULL;
    PyObject *index = NULL, *start = NULL, *end = NULL, *spans = NULL, *keys = NULL;
    PyObject *sizes = NULL, *oks = NULL, *size_obj = NULL, *key = NULL;
    if (line_units == NULL || sentences == NULL)
        goto error;

#define COPIES_AT(p) PyLong_AsSsize_t(PyList_GET_ITEM(copies, (p)))
    for (Py_ssize_t c = 0; c < PyList_GET_SIZE(positions); c++) {
        Py_ssize_t pos = PyLong_AsSsize_t(PyList_GET_ITEM(positions, c));
        if (pos == -1 && PyErr_Occurred())
            goto error;
        if (pos < 0 || pos >= n_lines || pos >= n_copies) {
            PyErr_SetString(PyExc_IndexError, "collect_units: a position past the lines");
            goto error;
        }
        line = Py_NewRef(PyList_GET_ITEM(lines, pos));
        find_slots(&line_slots, Py_TYPE(line), line_field_names, LINE_FIELDS);
        if ((text = slot_field(line, &line_slots, LINE_TEXT)) == NULL ||
            (kind = slot_field(line, &line_slots, LINE_KIND)) == NULL ||
            (index = slot_field(line, &line_slots, LINE_INDEX)) == NULL ||
            (number = slot_field(line, &line_slots, LINE_NUMBER)) == NULL ||
            (start = slot_field(line, &line_slots, LINE_START)) == NULL ||
            (end = slot_field(line, &line_slots, LINE_END)) == NULL)
            goto error;
        if (!PyUnicode_Check(text) || !PyUnicode_Check(kind) || PyUnicode_GET_LENGTH(text) == 0) {
            PyErr_SetString(PyExc_TypeError, "collect_units: a line's text and kind must be str, its text not empty");
            goto error;
        }
        known = PyDict_GetItemWithError(parts_of, text);
        if (known != NULL)
            Py_INCREF(known);
        else if (PyErr_Occurred())
            goto error;
        else {
            if (pa != Py_None) {
                if ((known = parts_in_c(module, text, kind, pa, parts_of)) == NULL)
                    goto error;
                if (known == Py_None)
                    Py_CLEAR(known);
            }
            if (known == NULL && (known = PyObject_CallOneArg(fill, line)) == NULL)
                goto error;
        }
        if (!PyTuple_Check(known) || PyTuple_GET_SIZE(known) != 3) {
            PyErr_SetString(PyExc_TypeError, "collect_units: a line's parts must be a 3-tuple");
            goto error;
        }
        PyObject *parts = PyTuple_GET_ITEM(known, 0), *lws = PyTuple_GET_ITEM(known, 1);
        PyObject *sentence_words = PyTuple_GET_ITEM(known, 2);
        find_slots(&parts_slots, Py_TYPE(parts), parts_names, 10);
        if ((spans = slot_field(parts, &parts_slots, P_SPANS)) == NULL ||
            (keys = slot_field(parts, &parts_slots, P_KEYS)) == NULL ||
            (sizes = slot_field(parts, &parts_slots, P_SIZES)) == NULL ||
            (oks = slot_field(parts, &parts_slots, P_OK)) == NULL ||
            (size_obj = slot_field(parts, &parts_slots, P_SIZE)) == NULL ||
            (key = slot_field(parts, &parts_slots, P_KEY)) == NULL)
            goto error;
        Py_ssize_t n_spans = PyList_Check(spans) ? PyList_GET_SIZE(spans) : -1;
        if (n_spans < 0 || !PyList_Check(keys) || !PyList_Check(sizes) || !PyList_Check(oks) ||
            PyList_GET_SIZE(keys) != n_spans || PyList_GET_SIZE(sizes) != n_spans ||
            PyList_GET_SIZE(oks) != n_spans ||
            (sentence_words != Py_None &&
             (!PyList_Check(sentence_words) || PyList_GET_SIZE(sentence_words) != n_spans))) {
            PyErr_SetString(PyExc_TypeError, "collect_units: a line's parts must be lists of one length");
            goto error;
        }
        int frame = flag(parts, &parts_slots, P_FRAME);
        int questions = flag(parts, &parts_slots, P_QUESTIONS);
        int prose = flag(parts, &parts_slots, P_PROSE);
        int fits = flag(parts, &parts_slots, P_FITS);
        Py_ssize_t n = PyLong_AsSsize_t(size_obj);
        Py_ssize_t seen_times = COPIES_AT(pos);
        if (frame < 0 || questions < 0 || prose < 0 || fits < 0 || PyErr_Occurred())
            goto error;
        Py_ssize_t base = PyLong_AsSsize_t(start);
        if (base == -1 && PyErr_Occurred())
            goto error;

        /* a recurring line, or a short line of questions only: a frame */
        int silenced = (seen_times >= frame_copies && n < structured_min) || questions;
        frame = frame || silenced;
        int unit_short = 0;
        if (!prose && !frame && PyUnicode_CompareWithASCIIString(kind, "text") == 0 &&
            n >= short_min &&
            PyUnicode_FindChar(marks, PyUnicode_READ_CHAR(text, 0), 0,
                               PyUnicode_GET_LENGTH(marks), 1) < 0 &&
            PyUnicode_FindChar(text, '@', 0, PyUnicode_GET_LENGTH(text), 1) < 0) {
            /* a stray copy of a heading: seen at most twice, no repeated line beside it */
            prose = seen_times <= 2;
            for (Py_ssize_t p = pos - 1; prose && p <= pos + 1; p += 2) {
                if (p >= 0 && p < n_copies) {
                    Py_ssize_t times = COPIES_AT(p);
                    if (times == -1 && PyErr_Occurred())
                        goto error;
                    prose = times == 1;
                }
            }
            unit_short = prose;
        }
        int line_ok = !frame && prose && fits;

        Py_ssize_t first = PyList_GET_SIZE(sentences);
        for (Py_ssize_t k = 0; k < n_spans; k++) {
            PyObject *span = PyList_GET_ITEM(spans, k), *sz = PyList_GET_ITEM(sizes, k);
            if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
                PyErr_SetString(PyExc_TypeError, "collect_units: a span must be a 2-tuple");
                goto error;
            }
            Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            Py_ssize_t size = PyLong_AsSsize_t(sz);
            int sentence_ok = PyObject_IsTrue(PyList_GET_ITEM(oks, k));
            if (sentence_ok < 0 || PyErr_Occurred())
                goto error;
            /* (none of a silenced line; on a line that cannot go whole, none as long as it) */
            int ok = sentence_ok && !silenced && (line_ok || size != n);
            PyObject *values[12] = {
                Py_NewRef(index),
                Py_NewRef(number),
                PyLong_FromSsize_t(base + s),
                PyLong_FromSsize_t(base + e),
                Py_NewRef(PyList_GET_ITEM(keys, k)),
                Py_NewRef(sz),
                Py_NewRef(ok ? Py_True : Py_False),
                Py_NewRef(ok && size >= min_near ? Py_True : Py_False),
                Py_NewRef(sentence_words == Py_None ? Py_None : PyList_GET_ITEM(sentence_words, k)),
                Py_NewRef(Py_False),
                PyTuple_New(0), /* (the empty tuple: no list made per sentence) */
                Py_NewRef(Py_False),
            };
            if (values[2] == NULL || values[3] == NULL || values[10] == NULL) {
                for (int f = 0; f < 12; f++)
                    Py_XDECREF(values[f]);
                goto error;
            }
            PyObject *unit = new_unit(values);
            if (unit == NULL)
                goto error;
            int appended = PyList_Append(sentences, unit);
            Py_DECREF(unit);
            if (appended < 0)
                goto error;
        }
        PyObject *ids = PyList_New(PyList_GET_SIZE(sentences) - first);
        if (ids == NULL)
            goto error;
        for (Py_ssize_t i = first; i < PyList_GET_SIZE(sentences); i++) {
            PyObject *id = PyLong_FromSsize_t(i);
            if (id == NULL) {
                Py_DECREF(ids);
                goto error;
            }
            PyList_SET_ITEM(ids, i - first, id);
        }
        PyObject *values[12] = {
            Py_NewRef(index),
            Py_NewRef(number),
            Py_NewRef(start),
            Py_NewRef(end),
            Py_NewRef(key),
            Py_NewRef(size_obj),
            Py_NewRef(line_ok ? Py_True : Py_False),
            Py_NewRef(line_ok ? Py_True : Py_False),
            Py_NewRef(lws),
            Py_NewRef(Py_False),
            ids,
            Py_NewRef(unit_short && line_ok ? Py_True : Py_False),
        };
        PyObject *unit = new_unit(values);
        if (unit == NULL)
            goto error;
        int appended = PyList_Append(line_units, unit);
        Py_DECREF(unit);
        if (appended < 0)
            goto error;
        Py_CLEAR(line);
        Py_CLEAR(text);
        Py_CLEAR(kind);
        Py_CLEAR(index);
        Py_CLEAR(number);
        Py_CLEAR(start);
        Py_CLEAR(end);
        Py_CLEAR(known);
        Py_CLEAR(spans);
        Py_CLEAR(keys);
        Py_CLEAR(sizes);
        Py_CLEAR(oks);
        Py_CLEAR(size_obj);
        Py_CLEAR(key);
    }
#undef COPIES_AT
    PyObject *out = PyTuple_Pack(2, line_units, sentences);
    Py_DECREF(line_units);
    Py_DECREF(sentences);
    return out;

error:
    Py_XDECREF(line_units);
    Py_XDECREF(sentences);
    Py_XDECREF(line);
    Py_XDECREF(text);
    Py_XDECREF(kind);
    Py_XDECREF(index);
    Py_XDECREF(number);
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(known);
    Py_XDECREF(spans);
    Py_XDECREF(keys);
    Py_XDECREF(sizes);
    Py_XDECREF(oks);
    Py_XDECREF(size_obj);
    Py_XDECREF(key);
    return NULL;
}

/* ------------------------------------------------------------------ word tables */

/* A dict's str keys by the hash of their code points (hash_units), so that a word standing
 * inside a longer str (a key's first or last word) is looked up without a str made for it.
 * The keys and values are borrowed: the dict outlives the table. */
typedef struct {
    uint64_t hash;
    PyObject *word, *value;
} DictWordSlot;

typedef struct {
    DictWordSlot *slots;
    size_t cap;
} DictWords;

static void
dict_words_free(DictWords *t)
{
    PyMem_Free(t->slots);
    t->slots = NULL;
    t->cap = 0;
}

/* The table of ``dict`` (str keys only): 0, or -1 with an exception. */
static int
dict_words_init(DictWords *t, PyObject *dict)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)PyDict_GET_SIZE(dict))
        cap <<= 1;
    t->cap = cap;
    t->slots = PyMem_Calloc(cap, sizeof(DictWordSlot));
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t at = 0;
    PyObject *word, *value;
    while (PyDict_Next(dict, &at, &word, &value)) {
        if (!PyUnicode_Check(word)) {
            dict_words_free(t);
            PyErr_SetString(PyExc_TypeError, "a word table's keys must be str");
            return -1;
        }
        uint64_t h = hash_units(PyUnicode_KIND(word), PyUnicode_DATA(word), 0,
                                PyUnicode_GET_LENGTH(word));
        size_t i = (size_t)h & (cap - 1);
        while (t->slots[i].word != NULL)
            i = (i + 1) & (cap - 1);
        t->slots[i] = (DictWordSlot){h, word, value};
    }
    return 0;
}

/* The value of the key that is ``text[from:to]``, borrowed, or NULL (no exception). */
static PyObject *
dict_words_get(const DictWords *t, PyObject *text, Py_ssize_t from, Py_ssize_t to)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = to - from;
    uint64_t h = hash_units(kind, data, from, len);
    for (size_t i = (size_t)h & (t->cap - 1); t->slots[i].word != NULL; i = (i + 1) & (t->cap - 1)) {
        const DictWordSlot *slot = &t->slots[i];
        if (slot->hash != h || PyUnicode_GET_LENGTH(slot->word) != len)
            continue;
        if (same_code_points(PyUnicode_KIND(slot->word), PyUnicode_DATA(slot->word), 0, kind,
                             data, from, len))
            return slot->value;
    }
    return NULL;
}

/* ------------------------------------------------------------------ glued_candidates */

/* ``key``'s last word (after its last space): a new reference. */
static PyObject *
last_word(PyObject *key)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(key);
    Py_ssize_t space = PyUnicode_FindChar(key, ' ', 0, len, -1);
    if (space == -2)
        return NULL;
    return space < 0 ? Py_NewRef(key) : PyUnicode_Substring(key, space + 1, len);
}

/* dedup._last_words(text, k): where the last ``k`` words of ``text`` begin (words parted by
 * spaces or tabs, whitespace stripped before each step). */
static Py_ssize_t
last_words(int kind, const void *data, Py_ssize_t len, Py_ssize_t k)
{
    Py_ssize_t pos = len;
    for (Py_ssize_t step = 0; step < k; step++) {
        while (pos > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos - 1)))
            pos--;
        Py_ssize_t cut = pos - 1;
        while (cut >= 0) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, cut);
            if (ch == ' ' || ch == '\t')
                break;
            cut--;
        }
        pos = cut + 1;
    }
    return pos;
}

static Py_ssize_t
int_at(PyObject *list, Py_ssize_t i)
{
    return PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
}

PyDoc_STRVAR(glued_candidates_doc,
"glued_candidates(lines, word_counts, keys, copies, gone, max_words, attribution_marks,\n"
"                 stops, closers, after_stop, /) -> list[tuple[int, int, int]]\n"
"\n"
"cleaner.dedup._glued_headings's search: ``(p, tail, h)`` for each open line p that ends,\n"
"from offset ``tail`` of its text on, with the words of the heading on line h, glued on after\n"
"one of ``after_stop`` and starting with an upper-case letter or a digit. A heading has 2 to\n"
"``max_words`` rough words, a key no other line has, the kind \"text\" or \"heading\", no\n"
"``@``, no final stop (``stops`` once whitespace and ``closers`` are stripped), does not\n"
"start with one of ``attribution_marks`` and is not in ``gone`` (Line.index values); a line\n"
"is tried against the headings with its last word, longest first, earlier lines only.");

static PyObject *
glued_candidates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "glued_candidates() takes 10 arguments");
        return NULL;
    }
    PyObject *lines = args[0], *counts = args[1], *keys = args[2], *copies = args[3];
    PyObject *gone = args[4], *marks = args[6], *stops = args[7], *closers = args[8];
    PyObject *after = args[9];
    if (!PyList_Check(lines) || !PyList_Check(counts) || !PyList_Check(keys) ||
        !PyList_Check(copies) || !PyAnySet_Check(gone) || !PyUnicode_Check(marks) ||
        !PyUnicode_Check(stops) || !PyUnicode_Check(closers) || !PyUnicode_Check(after)) {
        PyErr_SetString(PyExc_TypeError, "glued_candidates: lists of lines, word counts, keys "
                                         "and copies, a set, an int and four str");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(lines);
    if (PyList_GET_SIZE(counts) != n || PyList_GET_SIZE(keys) != n ||
        PyList_GET_SIZE(copies) != n) {
        PyErr_SetString(PyExc_ValueError, "glued_candidates: the four lists must be as long");
        return NULL;
    }
    Py_ssize_t max_words = PyLong_AsSsize_t(args[5]);
    if (max_words == -1 && PyErr_Occurred())
        return NULL;
    PyObject *groups = PyDict_New(), *out = PyList_New(0);
    PyObject *text = NULL, *kind = NULL, *index = NULL, *word = NULL, *value = NULL;
    DictWords by_word = {NULL, 0}; /* (the groups by their last words' code points: many) */
    if (groups == NULL || out == NULL)
        goto error;

    /* the headings, in order, grouped by their last word */
    for (Py_ssize_t p = 0; p < n; p++) {
        Py_ssize_t words = int_at(counts, p), times = int_at(copies, p);
        if ((words == -1 || times == -1) && PyErr_Occurred())
            goto error;
        if (words < 2 || words > max_words || times != 1)
            continue;
        PyObject *line = PyList_GET_ITEM(lines, p);
        find_slots(&line_slots, Py_TYPE(line), line_field_names, LINE_FIELDS);
        if ((kind = slot_field(line, &line_slots, LINE_KIND)) == NULL ||
            (text = slot_field(line, &line_slots, LINE_TEXT)) == NULL)
            goto error;
        if (!PyUnicode_Check(text) || !PyUnicode_Check(kind) || PyUnicode_GET_LENGTH(text) == 0) {
            PyErr_SetString(PyExc_TypeError, "glued_candidates: a line's text and kind must be str, its text not empty");
            goto error;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        int heading = (PyUnicode_CompareWithASCIIString(kind, "text") == 0 ||
                       PyUnicode_CompareWithASCIIString(kind, "heading") == 0) &&
                      PyUnicode_FindChar(marks, PyUnicode_READ_CHAR(text, 0), 0,
                                         PyUnicode_GET_LENGTH(marks), 1) < 0 &&
                      PyUnicode_FindChar(text, '@', 0, len, 1) < 0 &&
                      !ends_with_stop(PyUnicode_KIND(text), PyUnicode_DATA(text), 0, len, stops,
                                      closers);
        Py_CLEAR(kind);
        Py_CLEAR(text);
        if (!heading)
            continue;
        if ((index = slot_field(line, &line_slots, LINE_INDEX)) == NULL)
            goto error;
        int is_gone = PySet_Contains(gone, index);
        Py_CLEAR(index);
        if (is_gone < 0)
            goto error;
        if (is_gone)
            continue;
        PyObject *heading_key = PyList_GET_ITEM(keys, p);
        if (!PyUnicode_Check(heading_key)) {
            PyErr_SetString(PyExc_TypeError, "glued_candidates: keys must be str");
            goto error;
        }
        if ((word = last_word(heading_key)) == NULL)
            goto error;
        PyObject *group = PyDict_GetItemWithError(groups, word); /* borrowed */
        if (group == NULL) {
            if (PyErr_Occurred() || (group = PyList_New(0)) == NULL)
                goto error;
            int set = PyDict_SetItem(groups, word, group);
            Py_DECREF(group); /* (the dict holds it) */
            if (set < 0)
                goto error;
        }
        Py_CLEAR(word);
        if ((value = PyLong_FromSsize_t(p)) == NULL || PyList_Append(group, value) < 0)
            goto error;
        Py_CLEAR(value);
    }
    if (PyDict_GET_SIZE(groups) == 0)
        goto done;
    /* each group longest first, in order among equals (an insertion sort: groups are small) */
    {
        Py_ssize_t at = 0;
        PyObject *k_, *group;
        while (PyDict_Next(groups, &at, &k_, &group)) {
            Py_ssize_t size = PyList_GET_SIZE(group);
            for (Py_ssize_t i = 1; i < size; i++) {
                PyObject *item = PyList_GET_ITEM(group, i);
                Py_ssize_t words = int_at(counts, PyLong_AsSsize_t(item));
                Py_ssize_t j = i;
                while (j > 0 &&
                       int_at(counts, PyLong_AsSsize_t(PyList_GET_ITEM(group, j - 1))) < words) {
                    PyList_SET_ITEM(group, j, PyList_GET_ITEM(group, j - 1));
                    j--;
                }
                PyList_SET_ITEM(group, j, item);
            }
        }
        if (PyErr_Occurred())
            goto error;
    }

    /* the lines that end with a heading's last word, against those headings (the last
     * word looked up where it stands: no str made per line) */
    if (dict_words_init(&by_word, groups) < 0)
        goto error;
    for (Py_ssize_t p = 0; p < n; p++) {
        PyObject *key = PyList_GET_ITEM(keys, p);
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "glued_candidates: keys must be str");
            goto error;
        }
        Py_ssize_t key_len = PyUnicode_GET_LENGTH(key);
        if (key_len == 0)
            continue;
        Py_ssize_t space = PyUnicode_FindChar(key, ' ', 0, key_len, -1);
        if (space == -2)
            goto error;
        /* (-1 + 1: the whole key is one word) */
        PyObject *group = dict_words_get(&by_word, key, space + 1, key_len);
        if (group == NULL)
            continue;
        PyObject *line = PyList_GET_ITEM(lines, p);
        find_slots(&line_slots, Py_TYPE(line), line_field_names, LINE_FIELDS);
        if ((index = slot_field(line, &line_slots, LINE_INDEX)) == NULL)
            goto error;
        int is_gone = PySet_Contains(gone, index);
        Py_CLEAR(index);
        if (is_gone < 0 || (kind = slot_field(line, &line_slots, LINE_KIND)) == NULL)
            goto error;
        int text_kind = PyUnicode_Check(kind) && PyUnicode_CompareWithASCIIString(kind, "text") == 0;
        Py_CLEAR(kind);
        if (is_gone || !text_kind)
            continue;
        Py_ssize_t words = int_at(counts, p);
        Py_ssize_t start = slot_ssize(line, &line_slots, LINE_START);
        if (PyErr_Occurred())
            goto error;
        for (Py_ssize_t g = 0; g < PyList_GET_SIZE(group); g++) {
            Py_ssize_t h = PyLong_AsSsize_t(PyList_GET_ITEM(group, g));
            Py_ssize_t k = int_at(counts, h);
            PyObject *heading_key = PyList_GET_ITEM(keys, h);
            Py_ssize_t h_len = PyUnicode_GET_LENGTH(heading_key);
            if (k >= words || key_len < h_len + 1 ||
                PyUnicode_READ_CHAR(key, key_len - h_len - 1) != ' ')
                continue;
            Py_ssize_t tail_match = PyUnicode_Tailmatch(key, heading_key, key_len - h_len, key_len, 1);
            if (tail_match < 0)
                goto error;
            if (!tail_match)
                continue;
            PyObject *heading = PyList_GET_ITEM(lines, h);
            find_slots(&line_slots, Py_TYPE(heading), line_field_names, LINE_FIELDS);
            Py_ssize_t heading_end = slot_ssize(heading, &line_slots, LINE_END);
            if (heading_end == -1 && PyErr_Occurred())
                goto error;
            if (heading_end > start)
                continue;
            /* the first heading that fits decides: glued on after a stop, or not at all */
            if ((text = slot_field(line, &line_slots, LINE_TEXT)) == NULL)
                goto error;
            int tk = PyUnicode_KIND(text);
            const void *td = PyUnicode_DATA(text);
            Py_ssize_t len = PyUnicode_GET_LENGTH(text);
            Py_ssize_t tail = last_words(tk, td, len, k), before = tail;
            while (before > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(tk, td, before - 1)))
                before--;
            if (tail < len && before > 0 &&
                PyUnicode_FindChar(after, PyUnicode_READ(tk, td, before - 1), 0,
                                   PyUnicode_GET_LENGTH(after), 1) >= 0 &&
                (Py_UNICODE_ISUPPER(PyUnicode_READ(tk, td, tail)) ||
                 Py_UNICODE_ISDIGIT(PyUnicode_READ(tk, td, tail)))) {
                value = Py_BuildValue("(nnn)", p, tail, h);
                if (value == NULL || PyList_Append(out, value) < 0)
                    goto error;
                Py_CLEAR(value);
            }
            Py_CLEAR(text);
            break;
        }
    }
done:
    dict_words_free(&by_word);
    Py_DECREF(groups);
    return out;

error:
    dict_words_free(&by_word);
    Py_XDECREF(groups);
    Py_XDECREF(out);
    Py_XDECREF(text);
    Py_XDECREF(kind);
    Py_XDECREF(index);
    Py_XDECREF(word);
    Py_XDECREF(value);
    return NULL;
}

/* ------------------------------------------------------------------ glued_starts */

/* Where the last ``k`` (> 0) words of a key (words parted by single spaces) start: 0 when it
 * has exactly k words, -1 when it has fewer. */
static Py_ssize_t
suffix_start(int kind, const void *data, Py_ssize_t len, Py_ssize_t k)
{
    for (Py_ssize_t pos = len - 1; pos >= 0; pos--)
        if (PyUnicode_READ(kind, data, pos) == ' ' && --k == 0)
            return pos + 1;
    return k == 1 ? 0 : -1;
}

/* Where the first ``k`` words of ``key`` end (see suffix_start). */
static Py_ssize_t
prefix_end(int kind, const void *data, Py_ssize_t len, Py_ssize_t k)
{
    for (Py_ssize_t pos = 0; pos < len; pos++)
        if (PyUnicode_READ(kind, data, pos) == ' ' && --k == 0)
            return pos;
    return k == 1 ? len : -1;
}

/* 1 when ``k`` is in the set ``sizes`` and in one of the sets ``one`` and ``other`` (either
 * may be NULL); 0; -1 with an exception. */
static int
size_in(Py_ssize_t k, PyObject *sizes, PyObject *one, PyObject *other)
{
    PyObject *n = PyLong_FromSsize_t(k);
    if (n == NULL)
        return -1;
    int in = PySet_Contains(sizes, n);
    if (in == 1) {
        in = one != NULL ? PySet_Contains(one, n) : 0;
        if (in == 0 && other != NULL)
            in = PySet_Contains(other, n);
    }
    Py_DECREF(n);
    return in;
}

PyDoc_STRVAR(glued_starts_doc,
"glued_starts(units, shorts, ends_with, starts_with, sizes, top_words, min_words, /)\n"
"    -> list[tuple[int, object]]\n"
"\n"
"cleaner.dedup._glued_starts: for each line unit, neither removed nor short, whose key's last\n"
"word is a key of ``ends_with`` or its first word one of ``starts_with``, the first short unit\n"
"(in ``shorts``, by key) made of its last (else first) k words for k from the most, no more\n"
"than min(words - 1, ``top_words``) and no fewer than ``min_words``, in ``sizes`` and in the\n"
"word's sets, that ends before the unit starts: ``(position, short unit)``.");

static PyObject *
glued_starts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "glued_starts() takes 7 arguments");
        return NULL;
    }
    PyObject *units = args[0], *shorts = args[1], *ends = args[2], *starts = args[3];
    PyObject *sizes = args[4];
    if (!PyList_Check(units) || !PyDict_Check(shorts) || !PyDict_Check(ends) ||
        !PyDict_Check(starts) || !PyAnySet_Check(sizes)) {
        PyErr_SetString(PyExc_TypeError, "glued_starts: a list of units, three dicts and a set");
        return NULL;
    }
    Py_ssize_t top_words = PyLong_AsSsize_t(args[5]);
    Py_ssize_t min_words = top_words == -1 && PyErr_Occurred() ? -1 : PyLong_AsSsize_t(args[6]);
    if (min_words == -1 && PyErr_Occurred())
        return NULL;
    PyObject *out = PyList_New(0);
    PyObject *key = NULL;
    /* (the dicts by their keys' code points: a line's first and last words, and its first
     * and last k words, are looked up where they stand in its key) */
    DictWords by_end = {NULL, 0}, by_start = {NULL, 0}, by_key = {NULL, 0};
    if (out == NULL || dict_words_init(&by_end, ends) < 0 ||
        dict_words_init(&by_start, starts) < 0 || dict_words_init(&by_key, shorts) < 0)
        goto error;
    Py_ssize_t n = PyList_GET_SIZE(units);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *u = PyList_GET_ITEM(units, k);
        find_slots(&unit_slots, Py_TYPE(u), unit_names, 12);
        int removed = flag(u, &unit_slots, U_REMOVED);
        int is_short = removed == 0 ? flag(u, &unit_slots, U_SHORT) : removed;
        if (is_short < 0)
            goto error;
        if (removed || is_short)
            continue;
        if ((key = slot_field(u, &unit_slots, U_KEY)) == NULL)
            goto error;
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "glued_starts: a unit's key must be a str");
            goto error;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (len == 0) {
            Py_CLEAR(key);
            continue;
        }
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        /* the sets of the key's last and first words (borrowed; NULL: none) */
        PyObject *end_sizes = dict_words_get(&by_end, key, suffix_start(kind, data, len, 1), len);
        PyObject *start_sizes = dict_words_get(&by_start, key, 0, prefix_end(kind, data, len, 1));
        if (end_sizes == NULL && start_sizes == NULL) {
            Py_CLEAR(key);
            continue;
        }
        if ((end_sizes != NULL && !PyAnySet_Check(end_sizes)) ||
            (start_sizes != NULL && !PyAnySet_Check(start_sizes))) {
            PyErr_SetString(PyExc_TypeError, "glued_starts: the words' sizes must be sets");
            goto error;
        }
        Py_ssize_t words = 1; /* (counted as far as ``top`` needs: min(words - 1, top_words)) */
        for (Py_ssize_t pos = 0; pos < len && words <= top_words; pos++)
            words += PyUnicode_READ(kind, data, pos) == ' ';
        Py_ssize_t top = words - 1 < top_words ? words - 1 : top_words;
        Py_ssize_t start = slot_ssize(u, &unit_slots, U_START);
        if (start == -1 && PyErr_Occurred())
            goto error;
        for (Py_ssize_t size = top; size >= min_words; size--) {
            int in = size_in(size, sizes, end_sizes, start_sizes);
            if (in < 0)
                goto error;
            if (!in)
                continue;
            PyObject *kept = NULL;
            if (end_sizes != NULL)
                kept = dict_words_get(&by_key, key, suffix_start(kind, data, len, size), len);
            if (kept == NULL && start_sizes != NULL)
                kept = dict_words_get(&by_key, key, 0, prefix_end(kind, data, len, size));
            if (kept == NULL)
                continue;
            Py_ssize_t kept_end = slot_ssize(kept, &unit_slots, U_END);
            if (kept_end == -1 && PyErr_Occurred())
                goto error;
            if (kept_end > start)
                continue;
            PyObject *hit = Py_BuildValue("(nO)", k, kept);
            if (hit == NULL || PyList_Append(out, hit) < 0) {
                Py_XDECREF(hit);
                goto error;
            }
            Py_DECREF(hit);
            break;
        }
        Py_CLEAR(key);
    }
    dict_words_free(&by_end);
    dict_words_free(&by_start);
    dict_words_free(&by_key);
    return out;
error:
    dict_words_free(&by_end);
    dict_words_free(&by_start);
    dict_words_free(&by_key);
    Py_XDECREF(key);
    Py_XDECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ earlier_places */

PyDoc_STRVAR(earlier_places_doc,
"earlier_places(old_keys, keys, /) -> tuple[dict[int, int], list[int]] | None\n"
"\n"
"cleaner.dedup._earlier_places: where the units with ``keys`` stood among an earlier\n"
"search's (``old_keys``), one pass over both lists: ``(old position -> new position, new\n"
"positions of keys old_keys lacks)``, or None when they are out of order or repeat a key\n"
"more often than before.");

static PyObject *
earlier_places(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "earlier_places() takes 2 arguments");
        return NULL;
    }
    PyObject *old_keys = args[0], *keys = args[1];
    if (!PyList_CheckExact(old_keys) || !PyList_CheckExact(keys)) {
        PyErr_SetString(PyExc_TypeError, "earlier_places: two lists of keys");
        return NULL;
    }
    for (int a = 0; a < 2; a++)
        for (Py_ssize_t p = 0; p < PyList_GET_SIZE(args[a]); p++)
            if (!PyUnicode_CheckExact(PyList_GET_ITEM(args[a], p))) {
                PyErr_SetString(PyExc_TypeError, "earlier_places: keys must be str");
                return NULL;
            }
    PyObject *known = PySet_New(old_keys);
    PyObject *now = PyDict_New(), *fresh = PyList_New(0);
    if (known == NULL || now == NULL || fresh == NULL)
        goto error;
    /* (keys are str: comparing them runs no code that could change the lists) */
    Py_ssize_t q = 0, n_old = PyList_GET_SIZE(old_keys);
    for (Py_ssize_t p = 0; p < PyList_GET_SIZE(keys); p++) {
        PyObject *k = PyList_GET_ITEM(keys, p);
        int in = PySet_Contains(known, k);
        if (in < 0)
            goto error;
        PyObject *pos = PyLong_FromSsize_t(p);
        if (pos == NULL)
            goto error;
        if (!in) {
            int failed = PyList_Append(fresh, pos);
            Py_DECREF(pos);
            if (failed < 0)
                goto error;
            continue;
        }
        for (; q < n_old; q++) {
            int same = PyObject_RichCompareBool(PyList_GET_ITEM(old_keys, q), k, Py_EQ);
            if (same < 0) {
                Py_DECREF(pos);
                goto error;
            }
            if (same)
                break;
        }
        if (q >= n_old) {
            Py_DECREF(pos);
            Py_DECREF(known);
            Py_DECREF(now);
            Py_DECREF(fresh);
            Py_RETURN_NONE;
        }
        PyObject *old = PyLong_FromSsize_t(q);
        int failed = old == NULL || PyDict_SetItem(now, old, pos) < 0;
        Py_XDECREF(old);
        Py_DECREF(pos);
        if (failed)
            goto error;
        q++;
    }
    Py_DECREF(known);
    return Py_BuildValue("(NN)", now, fresh);
error:
    Py_XDECREF(known);
    Py_XDECREF(now);
    Py_XDECREF(fresh);
    return NULL;
}

PyDoc_STRVAR(repeated_keys_doc,
"repeated_keys(units, /) -> list[tuple[int, int]]\n"
"\n"
"cleaner.dedup._repeated_keys: ``(k, first)`` for each unit whose key an earlier unit has,\n"
"``first`` the place of the first unit with that key, in order of ``k`` (what a dict of the\n"
"first place of each key tells, without a dict or an int per unit).");

/* A slot of repeated_keys' table: a key's hash and the place of its first unit (-1: free). */
typedef struct {
    Py_hash_t hash;
    Py_ssize_t first;
} KeySlot;

static PyObject *
repeated_keys(PyObject *module, PyObject *units)
{
    if (!PyList_Check(units)) {
        PyErr_SetString(PyExc_TypeError, "repeated_keys: units must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(units);
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap <<= 1;
    KeySlot *table = PyMem_Malloc(sizeof(KeySlot) * cap);
    PyObject **keys = PyMem_Calloc(n ? (size_t)n : 1, sizeof(PyObject *));
    PyObject *out = PyList_New(0);
    Py_ssize_t k = 0;
    if (table == NULL || keys == NULL || out == NULL) {
        if (table == NULL || keys == NULL)
            PyErr_NoMemory();
        goto error;
    }
    for (size_t i = 0; i < cap; i++)
        table[i].first = -1;
    for (; k < n; k++) {
        PyObject *u = PyList_GET_ITEM(units, k);
        find_slots(&unit_slots, Py_TYPE(u), unit_names, 12);
        PyObject *key = keys[k] = slot_field(u, &unit_slots, U_KEY);
        if (key == NULL)
            goto error;
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "repeated_keys: a unit's key must be a str");
            goto error;
        }
        Py_hash_t hash = PyObject_Hash(key);
        if (hash == -1)
            goto error;
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        size_t at = (size_t)hash & (cap - 1);
        while (table[at].first >= 0) {
            PyObject *other = keys[table[at].first];
            if (table[at].hash == hash &&
                (other == key ||
                 (PyUnicode_GET_LENGTH(other) == len &&
                  same_code_points(PyUnicode_KIND(key), PyUnicode_DATA(key), 0,
                                   PyUnicode_KIND(other), PyUnicode_DATA(other), 0, len))))
                break;
            at = (at + 1) & (cap - 1);
        }
        if (table[at].first < 0) {
            table[at].hash = hash;
            table[at].first = k;
            continue;
        }
        PyObject *pair = Py_BuildValue("(nn)", k, table[at].first);
        if (pair == NULL || PyList_Append(out, pair) < 0) {
            Py_XDECREF(pair);
            goto error;
        }
        Py_DECREF(pair);
    }
    for (Py_ssize_t i = 0; i < n; i++)
        Py_DECREF(keys[i]);
    PyMem_Free(keys);
    PyMem_Free(table);
    return out;
error:
    if (keys != NULL)
        for (Py_ssize_t i = 0; i <= k && i < n; i++)
            Py_XDECREF(keys[i]);
    PyMem_Free(keys);
    PyMem_Free(table);
    Py_XDECREF(out);
    return NULL;
}

PyMethodDef cleaner_units_methods[] = {
    {"collect_units", (PyCFunction)(void (*)(void))collect_units, METH_FASTCALL, collect_units_doc},
    {"glued_candidates", (PyCFunction)(void (*)(void))glued_candidates, METH_FASTCALL, glued_candidates_doc},
    {"earlier_places", (PyCFunction)(void (*)(void))earlier_places, METH_FASTCALL, earlier_places_doc},
    {"glued_starts", (PyCFunction)(void (*)(void))glued_starts, METH_FASTCALL, glued_starts_doc},
    {"repeated_keys", (PyCFunction)repeated_keys, METH_O, repeated_keys_doc},
    {NULL, NULL, 0, NULL},
};
