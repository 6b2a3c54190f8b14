/*
 * Unit tests of statlist.h against the documentation: every statistic of
 * every list is a row of its table in schemas/results.md, with the type
 * the list gives it (double: float64, int64_t: int64; the actor-partner
 * coefficients in the per-session table of /actor_partner), and the per-cell
 * table of /lag/<k> documents nothing the list lacks (but the counts and
 * the permutation p-values, which are not computed from the counts).
 *
 *   test_statlist [SCHEMA]   default schemas/results.md (run from the
 *                            top of the source tree, as make check does)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dyadseq/statlist.h"
#include "unit.h"

typedef struct entry {
    const char *name, *type, *list;
} entry_t;

#define TYPE_NAME(type) _Generic((type)0, double: "float64", int64_t: "int64")

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    for (size_t r; s && (r = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (n + 1 == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
            }
            s = t;
        }
    }
    fclose(f);
    if (s)
        s[n] = '\0';
    return s;
}

/*
 * The text of the section whose heading line contains `heading`, up to
 * the next heading of the same or a higher level; a new string, or NULL.
 */
static char *section(const char *doc, const char *heading)
{
    const char *h = strstr(doc, heading);
    if (!h)
        return NULL;
    const char *line = h;
    while (line > doc && line[-1] != '\n')
        line--;
    size_t level = strspn(line, "#");
    if (level == 0)
        return NULL;
    const char *end = strchr(h, '\n');
    while (end && *end) {
        const char *next = end + 1;
        size_t l = strspn(next, "#");
        if (l > 0 && l <= level && next[l] == ' ')
            break;
        end = strchr(next, '\n');
    }
    size_t n = end ? (size_t)(end - line) : strlen(line);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, line, n);
        s[n] = '\0';
    }
    return s;
}

/* Whether text has the table row "| `name` | type |". */
static int has_row(const char *text, const char *name, const char *type)
{
    size_t n = strlen(name) + strlen(type) + 16;
    char *row = malloc(n);
    if (!row)
        return 0;
    snprintf(row, n, "\n| `%s` | %s |", name, type);
    int found = strstr(text, row) != NULL;
    free(row);
    return found;
}

/* Every entry documented in the section under heading. */
static void check_documented(const char *doc, const char *heading,
                             const entry_t *e, size_t n)
{
    char *sec = section(doc, heading);
    CHECK(sec != NULL, heading);
    for (size_t i = 0; sec && i < n; i++)
        UNIT_REPORT(has_row(sec, e[i].name, e[i].type),
                    "%s: `%s` (%s) is a row of '%s'", e[i].list, e[i].name,
                    e[i].type, heading);
    free(sec);
}

static int in_list(const entry_t *e, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(e[i].name) == len && strncmp(e[i].name, name, len) == 0)
            return 1;
    return 0;
}

#define X_(name, type, description) {#name, TYPE_NAME(type), "lag cell"},
static const entry_t lag_cell[] = {DS_LAG_CELL_STATS(X_)};
#undef X_
#define X_(name, type, description) {#name, TYPE_NAME(type), "lag table"},
static const entry_t lag_table[] = {DS_LAG_TABLE_STATS(X_)};
#undef X_
#define X_(name, type, description) {#name, TYPE_NAME(type), "summarized"},
static const entry_t lag_summary[] = {DS_LAG_SUMMARY_STATS(X_)};
#undef X_
#define X_(name, type, description) {#name, TYPE_NAME(type), "summary part"},
static const entry_t parts[] = {DS_SUMMARY_PARTS(X_)};
static const entry_t window_summary[] = {DS_WINDOW_SUMMARY_STATS(X_)};
#undef X_
#define X_(name, type, description) {#name, TYPE_NAME(type), "window"},
static const entry_t window[] = {DS_WINDOW_CELL_COUNTS(X_)
                                     DS_WINDOW_CELL_STATS(X_)};
#undef X_
#define X_(name, type, description) {#name, TYPE_NAME(type), "ap coefficient"},
static const entry_t ap_coef[] = {DS_AP_COEFS(X_)};
#undef X_
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The rows of the per-cell table of /lag/<k> are the list, the counts
 * and permutation_p: a statistic documented but not written fails. */
static void check_no_extra(const char *lag)
{
    const char *t = strstr(lag, "| stat | type | formula | NaN when |");
    CHECK(t != NULL, "the per-cell table of /lag/<k> is found");
    if (!t)
        return;
    const char *end = strstr(t, "\n\n");
    size_t rows = 0;
    for (const char *p = strstr(t, "\n| `"); p && (!end || p < end);
         p = strstr(p + 1, "\n| `")) {
        const char *name = p + 4, *q = strchr(name, '`');
        if (!q)
            break;
        size_t len = (size_t)(q - name);
        int known = in_list(lag_cell, N(lag_cell), name, len) ||
                    (len == 6 && strncmp(name, "counts", 6) == 0) ||
                    (len == 13 && strncmp(name, "permutation_p", 13) == 0);
        UNIT_REPORT(known, "documented per-cell statistic `%.*s` is in "
                    "DS_LAG_CELL_STATS", (int)len, name);
        rows++;
    }
    CHECK_INT(rows, N(lag_cell) + 2, "per-cell rows: the list, counts and "
              "permutation_p");
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "schemas/results.md";
    char *doc = slurp(path);
    CHECK(doc != NULL, "schemas/results.md is readable");
    if (!doc)
        return UNIT_DONE();
    const char *lag_heading = "### `/lag/<k>`";
    char *lag = section(doc, lag_heading);
    check_documented(doc, lag_heading, lag_cell, N(lag_cell));
    check_documented(doc, lag_heading, lag_table, N(lag_table));
    check_documented(doc, lag_heading, parts, N(parts));
    /* summarized statistics: named in the sentence that introduces the
     * parts ("for stat `yules_q` and `adjusted_residual`") */
    const char *intro = lag ? strstr(lag, "Between-session summaries") : NULL;
    const char *stop = intro ? strstr(intro, "| part |") : NULL;
    CHECK(intro && stop, "the summaries' introduction is found");
    for (size_t i = 0; intro && stop && i < N(lag_summary); i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "`%s`", lag_summary[i].name);
        const char *at = strstr(intro, quoted);
        UNIT_REPORT(at && at < stop, "summarized statistic `%s` is named",
                    lag_summary[i].name);
    }
    check_documented(doc, "#### `/window`", window, N(window));
    /* the window's summarized statistics: named where its summaries are
     * introduced, and each one of its statistics */
    char *win = section(doc, "#### `/window`");
    const char *wi = win ? strstr(win, "Between-couple summaries") : NULL;
    CHECK(wi != NULL, "the window summaries' introduction is found");
    for (size_t i = 0; wi && i < N(window_summary); i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "`%s`", window_summary[i].name);
        UNIT_REPORT(strstr(wi, quoted) != NULL,
                    "summarized window statistic `%s` is named",
                    window_summary[i].name);
        int listed = 0;
        for (size_t j = 0; j < N(window); j++)
            listed |= strcmp(window[j].name, window_summary[i].name) == 0;
        UNIT_REPORT(listed, "summarized window statistic `%s` is one of "
                    "DS_WINDOW_CELL_STATS", window_summary[i].name);
    }
    free(win);
    check_documented(doc, "### `/actor_partner`", ap_coef, N(ap_coef));
    if (lag)
        check_no_extra(lag);
    /* the test can fail: an undocumented name is not found */
    CHECK(lag && !has_row(lag, "no_such_statistic", "float64"),
          "an undocumented name is reported missing");
    free(lag);
    free(doc);
    return UNIT_DONE();
}
