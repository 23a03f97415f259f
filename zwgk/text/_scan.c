/* zwgk.text._scan: the per-character loops of screening, compiled (issue #4, performance).

Screening reads every character of every document: a pass in Python (regexes, str.translate, generators)
costs several times what the lexicon automaton itself costs, so the loops that look at every character
live here:

- plain(): may a lexicon match the raw text instead of its normalised copy? (zwgk/text/scanner.py)
- normalise(): that copy, with its offsets into the text.
- personal(): personal-information numbers, validated, with the exact semantics of the regexes in
  zwgk/screening/personal.py, which are their specification (tests/screening/test_scanner.py compares
  this with those regexes over the whole width-folded text, on thousands of generated texts).
- screen(): plain() and personal() in one pass, with hints: could the text hold a doubled character, a
  wrongly bracketed 文号 or an unbalanced bracket? Only then do the Python detectors of
  zwgk/screening/expressions.py run. classes() makes the table it reads.

Only what is ours is here: matching the lexicon stays with ahocorasick-rs.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

/* A text, read in place (a str's characters are 1, 2 or 4 bytes wide: its "kind"). */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static inline Py_UCS4 raw(const Text *t, Py_ssize_t i) { return PyUnicode_READ(t->kind, t->data, i); }

/* zwgk.text.normalize.fold_width: full-width forms → ASCII, ideographic space → space. Out of range → 0,
   which no pattern accepts: the lookarounds see it as they see the ends of the text. */
static inline Py_UCS4 F(const Text *t, Py_ssize_t i) {
    if ((size_t)i >= (size_t)t->n) return 0;
    Py_UCS4 c = raw(t, i);
    if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
    if (c == 0x3000) return ' ';
    return c;
}

static Text text_of(PyObject *text) {
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    return t;
}

static inline int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static inline int is_upper(Py_UCS4 c) { return c >= 'A' && c <= 'Z'; }
static inline int is_letter(Py_UCS4 c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }
static inline int is_alnum(Py_UCS4 c) { return is_digit(c) || is_letter(c); }
static inline int is_sep(Py_UCS4 c) { return c == ' ' || c == '-'; }
/* [A-Za-z0-9._%+-]: the local part of an e-mail address */
static inline int is_local(Py_UCS4 c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
/* [A-Za-z0-9-]: a label of an e-mail domain */
static inline int is_label(Py_UCS4 c) { return is_alnum(c) || c == '-'; }
/* personal._NUMBERISH (after folding: （） are () ) */
static inline int is_numberish(Py_UCS4 c) {
    return is_local(c) || c == ' ' || c == '@' || c == '(' || c == ')';
}

/* is_numberish of a raw (unfolded) character: a CJK character is rejected by two comparisons. */
static unsigned char NUMBERISH_ASCII[128];

static inline int is_numberish_raw(Py_UCS4 c) {
    if (c < 128) return NUMBERISH_ASCII[c];
    if (c >= 0xFF01 && c <= 0xFF5E) return NUMBERISH_ASCII[c - 0xFEE0];
    return c == 0x3000;
}

static int digits_at(const Text *t, Py_ssize_t i, int count) {
    for (int k = 0; k < count; k++)
        if (!is_digit(F(t, i + k))) return 0;
    return 1;
}

/* ---- validators (personal.py: is_id_number, has_id_structure, is_bank_card; core/codes.py) ---- */

static const int ID_WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char ID_CHECK[] = "10X98765432";
static const int CREDIT_WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const char CREDIT_CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int two(const char *d) { return (d[0] - '0') * 10 + (d[1] - '0'); }
static int four(const char *d) { return two(d) * 100 + two(d + 2); }

static int province(int code) {
    static const int codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                                44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (codes[i] == code) return 1;
    return 0;
}

/* A real date between 1900-01-01 and today (yyyymmdd). */
static int valid_birth(int year, int month, int day, long today) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > days[month - 1] + (month == 2 && leap)) return 0;
    long date = (long)year * 10000 + month * 100 + day;
    return date >= 19000101 && date <= today;
}

static int all_digits(const char *d, int n) {
    for (int i = 0; i < n; i++)
        if (!is_digit((Py_UCS4)d[i])) return 0;
    return 1;
}

static int has_id_structure(const char *d, int n, long today) {
    return n == 18 && all_digits(d, 17) && province(two(d)) &&
           valid_birth(four(d + 6), two(d + 10), two(d + 12), today);
}

static int is_id_number(const char *d, int n, long today) {
    if (n == 18 && has_id_structure(d, n, today)) {
        int total = 0;
        for (int i = 0; i < 17; i++) total += (d[i] - '0') * ID_WEIGHTS[i];
        char last = d[17] == 'x' ? 'X' : d[17];
        return ID_CHECK[total % 11] == last;
    }
    if (n == 15 && all_digits(d, 15))
        return province(two(d)) && valid_birth(1900 + two(d + 6), two(d + 8), two(d + 10), today);
    return 0;
}

/* GB 32100 统一社会信用代码; here the candidate is digits with at most a final X. */
static int is_credit_code(const char *d, int n) {
    if (n != 18 || !all_digits(d, 17)) return 0;
    int total = 0;
    for (int i = 0; i < 17; i++) total += (d[i] - '0') * CREDIT_WEIGHTS[i];
    char last = d[17] == 'x' ? 'X' : d[17];
    return CREDIT_CHARSET[(31 - total % 31) % 31] == last;
}

static int is_bank_card(const char *d, int n) {
    if (n < 16 || n > 19 || !all_digits(d, n) || d[0] < '3' || d[0] > '6') return 0;
    int total = 0;
    for (int i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';
        if (i % 2 == 1) v = v > 4 ? v * 2 - 9 : v * 2;
        total += v;
    }
    return total % 10 == 0;
}

/* ---- context: personal._context_is_official ---- */

static int matches_at(const Text *t, Py_ssize_t i, PyObject *word) {
    Py_ssize_t m = PyUnicode_GET_LENGTH(word);
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t j = 0; j < m; j++)
        if (F(t, i + j) != PyUnicode_READ(kind, data, j)) return 0;
    return 1;
}

/* OFFICIAL_LABELS: a label, then at most 6 characters other than a newline up to the number (the regex's
   `$` also matches before a final newline), within the 24 characters before it. AMOUNT_AFTER: spacing and
   a unit within the 4 characters after it; or "/" right after it (索引号 "…/2024-00001"). */
typedef struct {
    PyObject *labels, *units; /* tuples of str */
    Py_ssize_t count;         /* labels with their last character in lasts[] (the first 64) */
    Py_UCS4 lasts[64];
    uint64_t bloom; /* bit (c & 63) for the last character c of every label */
} Context;

static void context_init(Context *c, PyObject *labels, PyObject *units) {
    c->labels = labels;
    c->units = units;
    c->count = PyTuple_GET_SIZE(labels) < 64 ? PyTuple_GET_SIZE(labels) : 64;
    c->bloom = PyTuple_GET_SIZE(labels) > 64 ? ~(uint64_t)0 : 0;
    for (Py_ssize_t k = 0; k < c->count; k++) {
        PyObject *label = PyTuple_GET_ITEM(labels, k);
        c->lasts[k] = PyUnicode_GET_LENGTH(label) ? PyUnicode_READ_CHAR(label, PyUnicode_GET_LENGTH(label) - 1) : 0;
        c->bloom |= (uint64_t)1 << (c->lasts[k] & 63);
    }
}

static int context_is_official(const Text *t, Py_ssize_t a, Py_ssize_t b, const Context *ctx) {
    PyObject *labels = ctx->labels, *units = ctx->units;
    Py_ssize_t lo = a - 24 > 0 ? a - 24 : 0;
    /* A label ends at e, a - 7 <= e <= a: its last character first (most windows hold none). */
    for (Py_ssize_t e = a - 7 > lo + 1 ? a - 7 : lo + 1; e <= a; e++) {
        Py_UCS4 last = F(t, e - 1);
        if (!(ctx->bloom >> (last & 63) & 1)) continue;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(labels); k++) {
            if (k < ctx->count && ctx->lasts[k] != last) continue;
            PyObject *label = PyTuple_GET_ITEM(labels, k);
            Py_ssize_t m = PyUnicode_GET_LENGTH(label), s = e - m;
            if (m == 0 || s < lo || !matches_at(t, s, label)) continue;
            Py_ssize_t newline = -1;
            for (Py_ssize_t j = e; j < a; j++)
                if (F(t, j) == '\n') {
                    newline = j;
                    break;
                }
            if (newline < 0 && a - e <= 6) return 1;
            if (newline == a - 1 && a - 1 - e <= 6) return 1;
        }
    }
    Py_ssize_t stop = b + 4 < t->n ? b + 4 : t->n;
    if (b < t->n && F(t, b) == '/') return 1;
    Py_ssize_t j = b;
    while (j < stop && Py_UNICODE_ISSPACE(F(t, j))) j++;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(units); k++) {
        PyObject *unit = PyTuple_GET_ITEM(units, k);
        if (j + PyUnicode_GET_LENGTH(unit) <= stop && matches_at(t, j, unit)) return 1;
    }
    return 0;
}

/* ---- the patterns of personal.py, with their regex semantics ---- */

/* NUMBER_RUN at p (lookbehind already checked): \d(?:[ \-]?\d){13,21}[0-9Xx]?(?![0-9A-Za-z]), greedy with
   backtracking. Returns the end or -1; the digits (separators dropped) go to out[]. */
static Py_ssize_t number_run_at(const Text *t, Py_ssize_t p, char *out, int *count) {
    Py_ssize_t pos[22];
    int n = 0;
    pos[n++] = p;
    Py_ssize_t q = p + 1;
    while (n < 22) {
        Py_UCS4 c = F(t, q);
        if (is_digit(c)) {
            pos[n++] = q;
            q += 1;
        } else if (is_sep(c) && is_digit(F(t, q + 1))) {
            pos[n++] = q + 1;
            q += 2;
        } else {
            break;
        }
    }
    for (int k = n - 1 < 21 ? n - 1 : 21; k >= 13; k--) {
        Py_ssize_t e = pos[k] + 1;
        Py_UCS4 c = F(t, e);
        int take = -1;
        if ((is_digit(c) || c == 'X' || c == 'x') && !is_alnum(F(t, e + 1)))
            take = 1;
        else if (!is_alnum(c))
            take = 0;
        if (take < 0) continue;
        for (int i = 0; i <= k; i++) out[i] = (char)F(t, pos[i]);
        *count = k + 1;
        if (take) out[(*count)++] = (char)c;
        return e + take;
    }
    return -1;
}

/* 1[3-9]\d(?:[ \-]?\d){8}(?![0-9A-Za-z]) at q */
static Py_ssize_t mobile_core(const Text *t, Py_ssize_t q) {
    Py_UCS4 second = F(t, q + 1);
    if (F(t, q) != '1' || second < '3' || second > '9' || !is_digit(F(t, q + 2))) return -1;
    Py_ssize_t r = q + 3;
    for (int i = 0; i < 8; i++) {
        if (is_digit(F(t, r)))
            r += 1;
        else if (is_sep(F(t, r)) && is_digit(F(t, r + 1)))
            r += 2;
        else
            return -1;
    }
    return is_alnum(F(t, r)) ? -1 : r;
}

/* MOBILE: (?:\+?86[ \-]?)?(core) — the prefix is tried first, with its separator first. */
static Py_ssize_t mobile_at(const Text *t, Py_ssize_t p) {
    Py_ssize_t q = p + (F(t, p) == '+');
    if (F(t, q) == '8' && F(t, q + 1) == '6') {
        Py_ssize_t e;
        if (is_sep(F(t, q + 2)) && (e = mobile_core(t, q + 3)) >= 0) return e;
        if ((e = mobile_core(t, q + 2)) >= 0) return e;
    }
    return mobile_core(t, p);
}

/* LANDLINE: (?:[(（]0\d{2,3}[)）]|0\d{2,3}[ \-])[ ]?[2-9]\d{2,3}[ \-]?\d{4}(?![0-9A-Za-z]) */
static Py_ssize_t landline_at(const Text *t, Py_ssize_t p) {
    Py_ssize_t q = -1;
    Py_UCS4 c = F(t, p);
    if (c == '(' && F(t, p + 1) == '0' && digits_at(t, p + 2, 2)) {
        if (is_digit(F(t, p + 4)) && F(t, p + 5) == ')')
            q = p + 6;
        else if (F(t, p + 4) == ')')
            q = p + 5;
    } else if (c == '0' && digits_at(t, p + 1, 2)) {
        if (is_digit(F(t, p + 3)) && is_sep(F(t, p + 4)))
            q = p + 5;
        else if (is_sep(F(t, p + 3)))
            q = p + 4;
    }
    if (q < 0) return -1;
    if (F(t, q) == ' ') q++;
    if (F(t, q) < '2' || F(t, q) > '9') return -1;
    for (int k = 3; k >= 2; k--) {
        if (!digits_at(t, q + 1, k)) continue;
        Py_ssize_t r = q + 1 + k;
        if (is_sep(F(t, r)) && digits_at(t, r + 1, 4) && !is_alnum(F(t, r + 5))) return r + 5;
        if (digits_at(t, r, 4) && !is_alnum(F(t, r + 4))) return r + 4;
    }
    return -1;
}

/* The domain of EMAIL after "@": [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,} — greedy, so the last dot
   of the chain of labels that is followed by two letters or more ends it, after all its letters. */
static Py_ssize_t email_domain(const Text *t, Py_ssize_t d) {
    if (!is_label(F(t, d))) return -1;
    Py_ssize_t j = d, best = -1;
    while (is_label(F(t, j))) j++;
    while (F(t, j) == '.' && is_label(F(t, j + 1))) {
        Py_ssize_t letters = 0;
        while (is_letter(F(t, j + 1 + letters))) letters++;
        if (letters >= 2) best = j + 1 + letters;
        j++;
        while (is_label(F(t, j))) j++;
    }
    return best;
}

/* PASSPORT: E[A-HJ-NP-Z0-9]\d{7}|[EGDSP]\d{8}|[CWH]\d{8}|C[A-HJ-NP-Z]\d{7}, then (?![0-9A-Za-z]) */
static int passport_at(const Text *t, Py_ssize_t p) {
    Py_UCS4 c0 = F(t, p), c1 = F(t, p + 1);
    if (!digits_at(t, p + 2, 7) || is_alnum(F(t, p + 9))) return 0;
    int letter = is_upper(c1) && c1 != 'I' && c1 != 'O';
    if (is_digit(c1) && (c0 == 'E' || c0 == 'G' || c0 == 'D' || c0 == 'S' || c0 == 'P' || c0 == 'C' ||
                         c0 == 'W' || c0 == 'H'))
        return 1;
    return (c0 == 'E' || c0 == 'C') && letter;
}

/* ---- personal() ---- */

enum { ID_CARD, BANK_CARD, MOBILE, LANDLINE, EMAIL, PASSPORT };

typedef struct {
    Py_ssize_t a, b;
} Span;

typedef struct {
    Span *items;
    Py_ssize_t len, cap;
} Spans;

static int spans_add(Spans *s, Py_ssize_t a, Py_ssize_t b) {
    if (s->len == s->cap) {
        Py_ssize_t cap = s->cap ? s->cap * 2 : 16;
        Span *items = realloc(s->items, cap * sizeof(Span));
        if (!items) return -1;
        s->items = items;
        s->cap = cap;
    }
    s->items[s->len].a = a;
    s->items[s->len].b = b;
    s->len++;
    return 0;
}

typedef struct {
    const Text *t;
    PyObject *whitelisted; /* callable(start, end) -> bool, or None */
    PyObject *out;         /* list of (kind, start, end) */
    Spans taken[6];        /* per kind: reported in order and without overlaps, so sorted by start and end */
} Emitter;

/* Nothing reported yet overlaps [a, b): per kind, the first span ending after a must start at b or later.
   (A list of 50,000 ID numbers is one attachment: no scan over everything reported.) */
static int is_free(const Emitter *e, Py_ssize_t a, Py_ssize_t b) {
    for (int k = 0; k < 6; k++) {
        const Spans *s = &e->taken[k];
        Py_ssize_t lo = 0, hi = s->len;
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (s->items[mid].b <= a)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < s->len && s->items[lo].a < b) return 0;
    }
    return 1;
}

/* personal.find_personal's emit(): a whitelisted value is neither reported nor taken. -1 on error. */
static int emit(Emitter *e, int kind, Py_ssize_t a, Py_ssize_t b) {
    if (e->whitelisted != Py_None) {
        PyObject *r = PyObject_CallFunction(e->whitelisted, "nn", a, b);
        if (!r) return -1;
        int listed = PyObject_IsTrue(r);
        Py_DECREF(r);
        if (listed) return listed < 0 ? -1 : 0;
    }
    if (spans_add(&e->taken[kind], a, b) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *item = Py_BuildValue("(inn)", kind, a, b);
    if (!item) return -1;
    int rc = PyList_Append(e->out, item);
    Py_DECREF(item);
    return rc;
}

/* The run of number characters starting at i: its end; it is added to `runs` if it holds seven digits
   or an "@". Every match of every pattern lies in such a run (its characters are all number characters
   and it holds either), and the lookarounds see the characters around a run as the ends of the text. */
static Py_ssize_t number_run(const Text *t, Py_ssize_t i, Spans *runs) {
    Py_ssize_t start = i;
    int digits = 0, at = 0;
    for (; i < t->n && is_numberish_raw(raw(t, i)); i++) {
        Py_UCS4 c = F(t, i);
        digits += is_digit(c);
        at |= c == '@';
    }
    if ((digits >= 7 || at) && spans_add(runs, start, i) < 0) return -1;
    return i;
}

/* The findings in `runs` (all of them, if runs is NULL). Steals nothing; frees nothing of the caller's. */
static PyObject *find_personal(const Text *text, const Spans *given, PyObject *whitelisted, PyObject *labels,
                               PyObject *units, long today) {
    const Text t = *text;
    Spans own = {0};
    Emitter e = {&t, whitelisted, PyList_New(0), {{0}}};
    if (!e.out) return NULL;
    if (!given) {
        for (Py_ssize_t i = 0; i < t.n;) {
            if (!is_numberish_raw(raw(&t, i)))
                i++;
            else if ((i = number_run(&t, i, &own)) < 0)
                goto nomem;
        }
    }
    const Spans runs = given ? *given : own;
    Context ctx;
    context_init(&ctx, labels, units);

    /* The passes in personal.find_personal's order: an ID is reported even where it overlaps, every other
       kind only where nothing was reported yet. */
    for (Py_ssize_t r = 0; r < runs.len; r++) {
        Py_ssize_t p = runs.items[r].a, end = runs.items[r].b;
        while (p < end) {
            char d[24];
            int n = 0;
            Py_ssize_t b;
            if (!is_digit(F(&t, p)) || is_alnum(F(&t, p - 1)) || (b = number_run_at(&t, p, d, &n)) < 0) {
                p++;
                continue;
            }
            if (!context_is_official(&t, p, b, &ctx)) {
                int is_id = (n == 15 || n == 18) && is_id_number(d, n, today);
                if (is_id) {
                    if (emit(&e, ID_CARD, p, b) < 0) goto error;
                } else if (!is_credit_code(d, n) && is_bank_card(d, n) && !has_id_structure(d, n, today) &&
                           is_free(&e, p, b)) {
                    if (emit(&e, BANK_CARD, p, b) < 0) goto error;
                }
            }
            p = b;
        }
    }
    for (Py_ssize_t r = 0; r < runs.len; r++) {
        for (int kind = MOBILE; kind <= LANDLINE; kind++) {
            Py_ssize_t p = runs.items[r].a, end = runs.items[r].b, b;
            while (p < end) {
                if (is_alnum(F(&t, p - 1)) ||
                    (b = kind == MOBILE ? mobile_at(&t, p) : landline_at(&t, p)) < 0) {
                    p++;
                    continue;
                }
                if (is_free(&e, p, b) && !context_is_official(&t, p, b, &ctx) &&
                    emit(&e, kind, p, b) < 0)
                    goto error;
                p = b;
            }
        }
    }
    for (Py_ssize_t r = 0; r < runs.len; r++) {
        Py_ssize_t from = runs.items[r].a, end = runs.items[r].b;
        for (Py_ssize_t i = from; i < end; i++) {
            if (F(&t, i) != '@') continue;
            Py_ssize_t a = i, b;
            while (is_local(F(&t, a - 1))) a--;
            if (a == i || a < from || (b = email_domain(&t, i + 1)) < 0) continue;
            if (is_free(&e, a, b) && emit(&e, EMAIL, a, b) < 0) goto error;
            from = b;
            i = b - 1;
        }
    }
    for (Py_ssize_t r = 0; r < runs.len; r++) {
        Py_ssize_t p = runs.items[r].a, end = runs.items[r].b;
        while (p < end) {
            if (is_alnum(F(&t, p - 1)) || !passport_at(&t, p)) {
                p++;
                continue;
            }
            if (is_free(&e, p, p + 9) && !context_is_official(&t, p, p + 9, &ctx) &&
                emit(&e, PASSPORT, p, p + 9) < 0)
                goto error;
            p += 9;
        }
    }
    free(own.items);
    for (int k = 0; k < 6; k++) free(e.taken[k].items);
    return e.out;
nomem:
    PyErr_NoMemory();
error:
    free(own.items);
    for (int k = 0; k < 6; k++) free(e.taken[k].items);
    Py_DECREF(e.out);
    return NULL;
}

/* ---- plain(): may a lexicon match the raw text? ---- */

/* Classes of code points. FILLER, VARIANT, TERM: the lexicon's, built in Python (scanner.Lexicon).
   DOUBLED, NUMBER, BRACKET, LINE_OR_HAO (newline and 号): what screen()'s other detectors look at, added by
   classes() below. */
enum { FILLER = 1, VARIANT = 2, TERM = 4, DOUBLED = 8, NUMBER = 16, BRACKET = 32, LINE_OR_HAO = 64 };
#define TABLE_SIZE 0x30000

static int has_pair(const uint64_t *pairs, Py_ssize_t count, uint64_t key) {
    Py_ssize_t lo = 0, hi = count;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (pairs[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && pairs[lo] == key;
}

/* The tables of plain(), checked: (classes: bytes, norm: str of UCS-4, pairs: bytes). */
typedef struct {
    Py_buffer classes, pairs;
    const unsigned char *cls;
    const Py_UCS4 *norm;
    const uint64_t *pair;
    Py_ssize_t npairs;
} Tables;

/* The run of fillers starting at i: its last index; *joins set if it stands between two characters whose
   normalised forms are adjacent in some term (赌，博). */
static inline Py_ssize_t filler_run(const Text *t, Py_ssize_t i, const Tables *tb, int *joins) {
    const unsigned char *cls = tb->cls;
    Py_ssize_t start = i;
    Py_UCS4 next;
    while (i + 1 < t->n && (next = raw(t, i + 1)) < TABLE_SIZE && (cls[next] & FILLER)) i++;
    if (start > 0 && i + 1 < t->n) {
        Py_UCS4 before = raw(t, start - 1), after = raw(t, i + 1);
        if (before >= TABLE_SIZE || after >= TABLE_SIZE)
            *joins = 1;
        else if ((cls[before] & TERM) && (cls[after] & TERM) &&
                 has_pair(tb->pair, tb->npairs, (uint64_t)tb->norm[before] << 32 | tb->norm[after]))
            *joins = 1;
    }
    return i;
}

/* The first index from i on whose character has a class other than TERM (which only matters next to a
   filler), or is beyond the table (or n): the loop that skips most characters, one per kind of str so that
   it reads the characters directly. */
static inline Py_ssize_t next_classed(const Text *t, const unsigned char *cls, Py_ssize_t i) {
    Py_ssize_t n = t->n;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *s = t->data;
        while (i < n && !(cls[s[i]] & ~TERM)) i++;
        return i;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *s = t->data;
        while (i < n && !(cls[s[i]] & ~TERM)) i++;
        return i;
    }
    default: {
        const Py_UCS4 *s = t->data;
        while (i < n && s[i] < TABLE_SIZE && !(cls[s[i]] & ~TERM)) i++;
        return i;
    }
    }
}

/* The lexicon's matches in the normalised copy (width folded, simplified, lower case, fillers dropped) are
   its matches in the raw text unless (1) a character normalises to a term character without being one
   (繁体, full width, upper case), or (2) a run of fillers stands between two characters whose normalised
   forms are adjacent in some term (赌，博). `classes[cp]`: FILLER (normalises to a filler), VARIANT (case 1),
   TERM (normalises to a term character); `pairs`: the terms' bigrams as sorted (first << 32 | second).
   Characters beyond the tables (CJK extension G…) send the text to the normalised copy. */
static int is_plain(const Text *t, const Tables *tb) {
    for (Py_ssize_t i = next_classed(t, tb->cls, 0); i < t->n; i = next_classed(t, tb->cls, i + 1)) {
        Py_UCS4 c = raw(t, i);
        if (c >= TABLE_SIZE || (tb->cls[c] & VARIANT)) return 0;
        if (tb->cls[c] & FILLER) {
            int joins = 0;
            i = filler_run(t, i, tb, &joins);
            if (joins) return 0;
        }
    }
    return 1;
}

static int tables_open(Tables *tb, PyObject *classes, PyObject *norm, PyObject *pairs) {
    if (!PyUnicode_Check(norm) || PyUnicode_KIND(norm) != PyUnicode_4BYTE_KIND ||
        PyUnicode_GET_LENGTH(norm) != TABLE_SIZE) {
        PyErr_SetString(PyExc_ValueError, "norm must be a UCS-4 str of 0x30000 code points");
        return -1;
    }
    if (PyObject_GetBuffer(classes, &tb->classes, PyBUF_SIMPLE) < 0) return -1;
    if (PyObject_GetBuffer(pairs, &tb->pairs, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&tb->classes);
        return -1;
    }
    if (tb->classes.len != TABLE_SIZE) {
        PyBuffer_Release(&tb->classes);
        PyBuffer_Release(&tb->pairs);
        PyErr_SetString(PyExc_ValueError, "classes must cover 0x30000 code points");
        return -1;
    }
    tb->cls = tb->classes.buf;
    tb->norm = PyUnicode_DATA(norm);
    tb->pair = tb->pairs.buf;
    tb->npairs = tb->pairs.len / 8;
    return 0;
}

static void tables_release(Tables *tb) {
    PyBuffer_Release(&tb->classes);
    PyBuffer_Release(&tb->pairs);
}

/* ---- hints(): which expression detectors could find something ---- */

enum { REPEATED = 1, DOCNO = 2, BRACKETS = 4 };

static Py_ssize_t index_in(PyObject *chars, Py_UCS4 c) {
    int kind = PyUnicode_KIND(chars);
    const void *data = PyUnicode_DATA(chars);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(chars); i++)
        if (PyUnicode_READ(kind, data, i) == c) return i;
    return -1;
}

static int is_decimal(const Text *t, Py_ssize_t i) { return i >= 0 && Py_UNICODE_ISDECIMAL(raw(t, i)); }

/* A 文号 with the wrong brackets ends "…[2022]3号" or "…2022-3号" (expressions.DOCNO_YEAR): a 号 after
   digits, maybe 第, then a closing bracket or a dash after four digits (the opening bracket is left to the
   regex). */
static int docno_hint(const Text *t, Py_ssize_t i) {
    Py_ssize_t j = i - 1;
    while (is_decimal(t, j)) j--;
    if (j == i - 1 || j < 4) return 0;
    if (raw(t, j) == 0x7B2C) j--; /* 第 */
    if (j < 4) return 0;
    Py_UCS4 c = raw(t, j);
    int closer = c == ']' || c == 0x3011 || c == 0xFF09 || c == ')' || c == 0xFF3D; /* ]】）)］ */
    int dash = c == '-' || c == 0xFF0D;                                            /* -－ */
    return (closer || dash) && is_decimal(t, j - 1) && is_decimal(t, j - 2) && is_decimal(t, j - 3) &&
           is_decimal(t, j - 4);
}

/* expressions.unbalanced_brackets on one line: a closer without its opener on top, or an opener left. */
static int unbalanced(const Text *t, Py_ssize_t start, Py_ssize_t end, PyObject *openers, PyObject *closers) {
    Py_ssize_t stack[256];
    int depth = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = raw(t, i);
        Py_ssize_t k = index_in(openers, c);
        if (k >= 0) {
            if (depth == 256) return 1;
            stack[depth++] = k;
            continue;
        }
        k = index_in(closers, c);
        if (k < 0) continue;
        if (depth && stack[depth - 1] == k)
            depth--;
        else
            return 1;
    }
    return depth > 0;
}

/* What the expression detectors could find, fed in order with the characters of a text that have one of
   the classes DOUBLED, BRACKET, LINE_OR_HAO. */
typedef struct {
    PyObject *openers, *closers; /* paired: openers[k] is closed by closers[k] */
    Py_ssize_t line_limit, line; /* the current line starts at `line` */
    int bracket_in_line;
    long found;
    PyObject *doubled_at; /* where the doubled characters are (not overlapping), or NULL */
    Py_ssize_t doubled_end;
} Hints;

static void hints_line_end(Hints *h, const Text *t, Py_ssize_t i) {
    if (h->bracket_in_line && i - h->line <= h->line_limit && unbalanced(t, h->line, i, h->openers, h->closers))
        h->found |= BRACKETS;
    h->line = i + 1;
    h->bracket_in_line = 0;
}

static int hints_char(Hints *h, const Text *t, Py_ssize_t i, Py_UCS4 c, unsigned char k) {
    if ((k & DOUBLED) && i >= h->doubled_end && i + 1 < t->n && raw(t, i + 1) == c) {
        h->found |= REPEATED;
        h->doubled_end = i + 2;
        if (!h->doubled_at && !(h->doubled_at = PyList_New(0))) return -1;
        PyObject *at = PyLong_FromSsize_t(i);
        if (!at || PyList_Append(h->doubled_at, at) < 0) {
            Py_XDECREF(at);
            return -1;
        }
        Py_DECREF(at);
    }
    if (k & BRACKET) h->bracket_in_line = 1;
    if (k & LINE_OR_HAO) {
        if (c == '\n')
            hints_line_end(h, t, i);
        else if (!(h->found & DOCNO) && docno_hint(t, i))
            h->found |= DOCNO;
    }
    return 0;
}

/* ---- the module's functions ---- */

static PyObject *personal(PyObject *self, PyObject *args) {
    PyObject *text, *whitelisted, *labels, *units;
    long today;
    if (!PyArg_ParseTuple(args, "UOO!O!l", &text, &whitelisted, &PyTuple_Type, &labels, &PyTuple_Type,
                          &units, &today))
        return NULL;
    Text t = text_of(text);
    return find_personal(&t, NULL, whitelisted, labels, units, today);
}

static PyObject *plain(PyObject *self, PyObject *args) {
    PyObject *text, *classes, *norm, *pairs;
    if (!PyArg_ParseTuple(args, "UOOO", &text, &classes, &norm, &pairs)) return NULL;
    Tables tb;
    if (tables_open(&tb, classes, norm, pairs) < 0) return NULL;
    Text t = text_of(text);
    int result = is_plain(&t, &tb);
    tables_release(&tb);
    return PyBool_FromLong(result);
}

static int paired(PyObject *openers, PyObject *closers) {
    if (PyUnicode_GET_LENGTH(openers) != PyUnicode_GET_LENGTH(closers)) {
        PyErr_SetString(PyExc_ValueError, "openers and closers must pair up");
        return -1;
    }
    return 0;
}

/* classes(lexicon_classes, doubled, openers, closers) -> the table of screen(): the lexicon's classes with
   DOUBLED, BRACKET and LINE_OR_HAO on the characters the expression detectors start from and NUMBER on the
   number characters. */
static PyObject *classes(PyObject *self, PyObject *args) {
    Py_buffer lexicon;
    PyObject *doubled, *openers, *closers;
    if (!PyArg_ParseTuple(args, "y*UUU", &lexicon, &doubled, &openers, &closers)) return NULL;
    if (lexicon.len != TABLE_SIZE || paired(openers, closers) < 0) {
        if (lexicon.len != TABLE_SIZE) PyErr_SetString(PyExc_ValueError, "classes must cover 0x30000 code points");
        PyBuffer_Release(&lexicon);
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(lexicon.buf, TABLE_SIZE);
    PyBuffer_Release(&lexicon);
    if (!out) return NULL;
    unsigned char *cls = (unsigned char *)PyBytes_AS_STRING(out);
    for (Py_UCS4 c = 0; c < 0x10000; c++)
        if (is_numberish_raw(c)) cls[c] |= NUMBER;
    cls['\n'] |= LINE_OR_HAO;
    cls[0x53F7] |= LINE_OR_HAO; /* 号 */
    PyObject *sets[3] = {doubled, openers, closers};
    for (int k = 0; k < 3; k++)
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(sets[k]); j++) {
            Py_UCS4 c = PyUnicode_READ_CHAR(sets[k], j);
            if (c < TABLE_SIZE) cls[c] |= k ? BRACKET : DOUBLED;
        }
    return out;
}

/* screen(text, (classes, norm, pairs), (openers, closers, line_limit),
          (whitelisted, labels, units, today)) -> (plain, hints, doubled_at, personal)

   plain() and personal() in one pass over the text, with the hints of the expression detectors (bits:
   1 a doubled character of classes()'s `doubled`, 2 a 号 after digits after a closing bracket or a dash
   after four digits, 4 a line of at most line_limit characters whose brackets do not pair up): necessary
   conditions, the Python detectors decide; `doubled_at`: where the doubled characters are, without
   overlaps, or None. `classes` comes from classes(): most characters have no class and cost one table
   lookup. */
static PyObject *screen(PyObject *self, PyObject *args) {
    PyObject *text, *lexicon, *expression, *numbers;
    if (!PyArg_ParseTuple(args, "UO!O!O!", &text, &PyTuple_Type, &lexicon, &PyTuple_Type, &expression,
                          &PyTuple_Type, &numbers))
        return NULL;
    PyObject *classes_, *norm, *pairs, *whitelisted, *labels, *units;
    Hints h = {0};
    long today;
    if (!PyArg_ParseTuple(lexicon, "OOO", &classes_, &norm, &pairs) ||
        !PyArg_ParseTuple(expression, "UUn", &h.openers, &h.closers, &h.line_limit) ||
        !PyArg_ParseTuple(numbers, "OO!O!l", &whitelisted, &PyTuple_Type, &labels, &PyTuple_Type, &units,
                          &today) ||
        paired(h.openers, h.closers) < 0)
        return NULL;
    Tables tb;
    if (tables_open(&tb, classes_, norm, pairs) < 0) return NULL;
    if (!(tb.cls['\n'] & LINE_OR_HAO)) {
        tables_release(&tb);
        PyErr_SetString(PyExc_ValueError, "screen() needs the classes of classes()");
        return NULL;
    }
    Text t = text_of(text);
    const unsigned char *cls = tb.cls;
    Spans runs = {0};
    int is_plain_text = 1;
    Py_ssize_t fillers_to = -1, numbers_to = -1; /* runs already looked at end here */
    for (Py_ssize_t i = next_classed(&t, cls, 0); i < t.n; i = next_classed(&t, cls, i + 1)) {
        Py_UCS4 c = raw(&t, i);
        if (c >= TABLE_SIZE) {
            is_plain_text = 0;
            continue;
        }
        unsigned char k = cls[c];
        if (!k) continue;
        if (k & VARIANT) is_plain_text = 0;
        if ((k & FILLER) && is_plain_text && i > fillers_to) {
            int joins = 0;
            fillers_to = filler_run(&t, i, &tb, &joins);
            if (joins) is_plain_text = 0;
        }
        if ((k & NUMBER) && i > numbers_to && (numbers_to = number_run(&t, i, &runs) - 1) < -1) {
            PyErr_NoMemory();
            break;
        }
        if ((k & (DOUBLED | BRACKET | LINE_OR_HAO)) && hints_char(&h, &t, i, c, k) < 0) break;
    }
    hints_line_end(&h, &t, t.n);
    PyObject *found = PyErr_Occurred() ? NULL : find_personal(&t, &runs, whitelisted, labels, units, today);
    free(runs.items);
    tables_release(&tb);
    if (!found) {
        Py_XDECREF(h.doubled_at);
        return NULL;
    }
    if (!h.doubled_at) h.doubled_at = Py_NewRef(Py_None);
    return Py_BuildValue("(NlNN)", PyBool_FromLong(is_plain_text), h.found, h.doubled_at, found);
}

/* normalise(text, classes, norm) -> (normalised text, offsets as bytes of uint32): every character through
   `norm` (scanner._char_table), those of class FILLER dropped; offsets[j] is the index in `text` of the
   normalised text's character j (scanner.normalise_for_matching). */
static PyObject *normalise(PyObject *self, PyObject *args) {
    PyObject *text, *norm_;
    Py_buffer classes;
    if (!PyArg_ParseTuple(args, "Uy*U", &text, &classes, &norm_)) return NULL;
    if (classes.len != TABLE_SIZE || PyUnicode_KIND(norm_) != PyUnicode_4BYTE_KIND ||
        PyUnicode_GET_LENGTH(norm_) != TABLE_SIZE) {
        PyBuffer_Release(&classes);
        PyErr_SetString(PyExc_ValueError, "classes and norm must cover 0x30000 code points");
        return NULL;
    }
    const unsigned char *cls = classes.buf;
    const Py_UCS4 *norm = PyUnicode_DATA(norm_);
    Text t = text_of(text);
    Py_UCS4 *out = PyMem_Malloc((t.n + 1) * sizeof(Py_UCS4));
    PyObject *offsets = PyBytes_FromStringAndSize(NULL, (t.n + 1) * sizeof(uint32_t));
    PyObject *result = NULL;
    if (!out || !offsets) {
        if (!out) PyErr_NoMemory();
        goto done;
    }
    uint32_t *at = (uint32_t *)PyBytes_AS_STRING(offsets);
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < t.n; i++) {
        Py_UCS4 c = raw(&t, i);
        if (c < TABLE_SIZE) {
            if (cls[c] & FILLER) continue;
            c = norm[c];
        }
        out[j] = c;
        at[j++] = (uint32_t)i;
    }
    PyObject *normalised = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, j);
    if (normalised && _PyBytes_Resize(&offsets, j * sizeof(uint32_t)) == 0) {
        result = Py_BuildValue("(NN)", normalised, offsets);
        offsets = NULL;
    } else {
        Py_XDECREF(normalised);
    }
done:
    PyMem_Free(out);
    Py_XDECREF(offsets);
    PyBuffer_Release(&classes);
    return result;
}

static PyMethodDef methods[] = {
    {"normalise", normalise, METH_VARARGS,
     "normalise(text, classes, norm) -> (normalised text, offsets: bytes of uint32)."},
    {"personal", personal, METH_VARARGS,
     "personal(text, whitelisted, labels, units, today) -> [(kind, start, end)]; kinds: 0 id_card, "
     "1 bank_card, 2 mobile, 3 landline, 4 email, 5 passport."},
    {"plain", plain, METH_VARARGS, "plain(text, classes, norm, pairs) -> whether raw matches are exact."},
    {"classes", classes, METH_VARARGS,
     "classes(lexicon_classes, doubled, openers, closers) -> the classes table of screen()."},
    {"screen", screen, METH_VARARGS,
     "screen(text, (classes, norm, pairs), (openers, closers, line_limit), (whitelisted, labels, "
     "units, today)) -> (plain, hints, doubled_at, personal) in one pass."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__scan(void) {
    for (Py_UCS4 c = 0; c < 128; c++) NUMBERISH_ASCII[c] = (unsigned char)is_numberish(c);
    return PyModule_Create(&module);
}
