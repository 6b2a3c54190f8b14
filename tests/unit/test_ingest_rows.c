/* Unit tests of the row interface of importers (ds_ingest_begin, _row,
 * _end; ingest_rows.c): every row problem gives exactly the message the
 * same row gives in a CSV transcript, rows build the same corpus as the
 * CSV, and misuse of the interface is refused. Each case is written once,
 * as CSV text; feed_rows() splits it into fields by column as an importer
 * would and feeds the rows. */
#include <stdlib.h>

#include "dyadseq/ingest.h"
#include "sha256.h"
#include "unit.h"

static const char *actors[] = {"A", "B"};

/* An unquoted CSV line's fields (empty ones kept), in place. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max && (p == line || p[-1] == '\0'))
            f[n++] = p;
        if (*p == ',')
            *p = '\0';
        else if (*p == '\0')
            break;
    }
    return n;
}

/* Feed CSV text (no quotes, no blank lines) to g as an importer would:
 * the header gives the columns, each line a row on its line number. */
static int feed_rows(ds_ingest_t *g, const char *name, const char *text,
                     ds_diag_t *d, ds_error_t *err)
{
    char *buf = strdup(text), *line[64], *f[16];
    size_t n_lines = 0;
    for (char *p = strtok(buf, "\n"); p && n_lines < 64; p = strtok(NULL, "\n"))
        line[n_lines++] = p;
    long col[DS_INGEST_N_COLS];
    unsigned columns = 0;
    size_t nf = split(line[0], f, 16);
    for (int k = 0; k < DS_INGEST_N_COLS; k++) {
        col[k] = -1;
        for (size_t i = 0; i < nf; i++)
            if (strcmp(f[i], ds_ingest_col_name(k)) == 0) {
                col[k] = (long)i;
                columns |= DS_INGEST_BIT(k);
            }
    }
    int rc = ds_ingest_begin(g, name, columns, 1, d, err);
    for (size_t l = 1; l < n_lines && rc == DS_OK; l++) {
        split(line[l], f, 16);
        ds_ingest_row_t row = {.line = l + 1};
        for (int k = 0; k < DS_INGEST_N_COLS; k++)
            row.field[k] = col[k] >= 0 ? f[col[k]] : NULL;
        rc = ds_ingest_row(g, &row, err);
    }
    ds_sha256_t h;
    char hex[65];
    ds_sha256_init(&h);
    ds_sha256_update(&h, text, strlen(text));
    ds_sha256_final_hex(&h, hex);
    if (rc == DS_OK)
        rc = ds_ingest_end(g, hex, err);
    free(buf);
    return rc;
}

/* Every message of d, one a line (errors, then warnings). */
static char *messages(const ds_diag_t *d)
{
    size_t len = 1;
    for (size_t i = 0; i < d->n_errors_kept; i++)
        len += strlen(d->errors[i]) + 1;
    for (size_t i = 0; i < d->n_warnings_kept; i++)
        len += strlen(d->warnings[i]) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < d->n_errors_kept; i++)
        strcat(strcat(s, d->errors[i]), "\n");
    for (size_t i = 0; i < d->n_warnings_kept; i++)
        strcat(strcat(s, d->warnings[i]), "\n");
    return s;
}

/* Ingest the texts, as CSV files (rows = 0) or as importer rows (rows =
 * 1), and finish. The messages in *msg (malloc'd); the corpus or NULL. */
static ds_corpus_t *load(const char *const *texts, size_t n, int rows,
                         int sort, int merge, char **msg)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_ingest_opts_t o = {.codebook = cb, .actors = actors, .n_actors = 2,
                          .sort = sort, .merge = merge};
    ds_ingest_t *g = ds_ingest_alloc(&o);
    ds_diag_t d;
    ds_diag_init(&d, 20);
    ds_error_t err;
    ds_corpus_t *c = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%zu.csv", i);
        if (rows) {
            rc = feed_rows(g, name, texts[i], &d, &err);
        } else {
            FILE *fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");
            rc = ds_ingest_file(g, fp, name, &d, &err);
            fclose(fp);
        }
        if (rc == DS_EDATA)
            rc = 0;
    }
    if (!rc)
        ds_ingest_finish(g, &c, &d, &err);
    *msg = messages(&d);
    ds_diag_clear(&d);
    ds_ingest_free(g);
    ds_codebook_free(cb);
    return c;
}

/* The texts give the same messages and the same corpus or none, both
 * ways; the messages include `expect`, or there are none when it is NULL;
 * a corpus is built exactly when want_corpus. */
static void same_both_ways(const char *const *texts, size_t n, int sort,
                           int merge, const char *expect, int want_corpus,
                           const char *what)
{
    char *m_csv, *m_rows;
    ds_corpus_t *a = load(texts, n, 0, sort, merge, &m_csv);
    ds_corpus_t *b = load(texts, n, 1, sort, merge, &m_rows);
    if (strcmp(m_csv, m_rows) == 0 && !a == !b)
        UNIT_REPORT(1, "%s: the same messages from rows as from a CSV",
                    what);
    else
        UNIT_REPORT(0, "%s: rows differ from a CSV (CSV:\n%s  rows:\n%s)",
                    what, m_csv, m_rows);
    if (expect)
        UNIT_REPORT(strstr(m_rows, expect) != NULL, "%s: '%s' said", what,
                    expect);
    else
        UNIT_REPORT(*m_rows == '\0', "%s: no messages (got '%s')", what,
                    m_rows);
    CHECK_INT(b != NULL, want_corpus, "  and a corpus exactly when valid");
    free(m_csv);
    free(m_rows);
    ds_corpus_free(a);
    ds_corpus_free(b);
}

#define HEAD "couple,session,actor,code,time,duration\n"

static void test_same_messages(void)
{
    const char *t1 = HEAD "c1,pre,A,pursew,1,2\nc1,pre,B,bid,2,1\n";
    same_both_ways(&t1, 1, 0, 0,
                   "f0.csv:2: column 'code': unknown code 'pursew'; did you "
                   "mean 'pursue'? (codebook: pursue, withdraw, soften, bid, "
                   "response)",
                   0, "a bad code");
    const char *t2 = HEAD "c1,pre,a,bid,1,2\nc1,pre,C,bid,2,1\n";
    same_both_ways(&t2, 1, 0, 0,
                   "f0.csv:3: column 'actor': unknown actor 'C' (actors are "
                   "A,B; set them with --actors)",
                   0, "unknown actors");
    const char *t3 = HEAD "c1,pre,A,bid,1:99,-2\nc1,,B,bid,inf,\n"
                          "c1,pre,A,bid,x,nan\n";
    same_both_ways(&t3, 1, 0, 0,
                   "f0.csv:3: column 'session': empty value",
                   0, "times, durations, empty values");
    const char *t4 = HEAD "c1,pre,A,bid,5,1\nc1,pre,B,bid,4,1\n";
    same_both_ways(&t4, 1, 0, 0, "time 4 goes backwards within session "
                   "'c1'/'pre' (previous event at 5 s, line 2)",
                   0, "time going backwards");
    same_both_ways(&t4, 1, 1, 0, NULL, 1, "--sort accepts it");
    const char *t5[] = {HEAD "c1,pre,A,bid,1,1\nc1,pre,B,bid,2,1\n",
                        HEAD "c2,pre,A,bid,1,1\nc1,pre,A,bid,3,1\n"};
    same_both_ways(t5, 2, 0, 0, "f1.csv:3: session 'c1'/'pre' also appears "
                   "in f0.csv (line 2)",
                   0, "a session in two sources");
    same_both_ways(t5, 2, 0, 1, "f1.csv:2: session 'c2'/'pre' has only 1 "
                   "event", 1, "--merge combines them");
    const char *t6[] = {HEAD "c1,pre,A,bid,1,1\n",
                        "couple,session,actor,code,time\nc2,pre,A,bid,1\n"};
    same_both_ways(t6, 2, 0, 0, "f1.csv:1: column 'duration': column "
                   "missing here but present in f0.csv",
                   0, "optional columns differ");
    const char *t7 = HEAD "c1,pre,A,bid,1,1\n";
    same_both_ways(&t7, 1, 0, 0, "f0.csv:2: session 'c1'/'pre' has only 1 "
                   "event", 1, "a one-event session warns");
    const char *t8 = HEAD "c1,pre,A,bid,1,1\nc1,pre,B,bid\xff,2,1\n";
    same_both_ways(&t8, 1, 0, 0, "f0.csv:3: column 'code': invalid UTF-8 at "
                   "byte 4 of the field", 0, "invalid UTF-8");
}

/* Rows without problems build exactly the corpus of the CSV. */
static void test_same_corpus(void)
{
    const char *t[] = {HEAD "c2,pre,B,withdraw,0:03.5,1\nc1,post,A,bid,0,0.5\n"
                            "c2,pre,A,pursue,7,2\n",
                       HEAD "c1,post,B,response,1.25,0\n"};
    char *m1, *m2;
    ds_corpus_t *a = load(t, 2, 0, 0, 1, &m1);
    ds_corpus_t *b = load(t, 2, 1, 0, 1, &m2);
    CHECK(a && b, "both build a corpus");
    if (a && b) {
        int same = a->n_sessions == b->n_sessions &&
                   a->n_events == b->n_events && a->n_files == b->n_files &&
                   a->n_states == b->n_states && b->has_duration;
        for (size_t i = 0; same && i < a->n_sessions; i++) {
            const ds_session_t *x = &a->sessions[i], *y = &b->sessions[i];
            size_t n = x->n;
            same = n == y->n && strcmp(x->couple, y->couple) == 0 &&
                   strcmp(x->label, y->label) == 0 &&
                   x->label_index == y->label_index &&
                   memcmp(x->state, y->state, n * sizeof *x->state) == 0 &&
                   memcmp(x->onset, y->onset, n * sizeof *x->onset) == 0 &&
                   memcmp(x->duration, y->duration,
                          n * sizeof *x->duration) == 0 &&
                   memcmp(x->line, y->line, n * sizeof *x->line) == 0 &&
                   memcmp(x->file, y->file, n * sizeof *x->file) == 0;
        }
        for (size_t i = 0; same && i < a->n_files; i++)
            same = strcmp(a->files[i], b->files[i]) == 0 &&
                   strcmp(a->sha256[i], b->sha256[i]) == 0;
        CHECK(same, "sessions, events, lines, files and digests equal");
        CHECK_STR(b->sessions[1].couple, "c2", "sessions in byte order");
        CHECK_NEAR(b->sessions[1].onset[0], 3.5, 0, "clock time read");
        CHECK_INT(b->sessions[0].file[1], 1, "the event's source");
    }
    free(m1);
    free(m2);
    ds_corpus_free(a);
    ds_corpus_free(b);
}

/* Calls out of order and rows that do not match their source. */
static void test_misuse(void)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_ingest_opts_t o = {.codebook = cb, .actors = actors, .n_actors = 2};
    ds_ingest_t *g = ds_ingest_alloc(&o);
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_error_t err;
    unsigned req = DS_INGEST_BIT(DS_INGEST_COUPLE) |
                   DS_INGEST_BIT(DS_INGEST_SESSION) |
                   DS_INGEST_BIT(DS_INGEST_CODE);
    ds_ingest_row_t row = {.field = {"c", "s", "bid"}, .line = 2};
    CHECK_INT(ds_ingest_row(g, &row, &err), DS_EUSAGE, "a row before begin");
    CHECK_INT(ds_ingest_begin(g, "x", req & ~DS_INGEST_BIT(DS_INGEST_CODE),
                              1, &d, &err),
              DS_EUSAGE, "no code column");
    CHECK_STR(err.msg, "x: the rows have no code column", "  says which");
    CHECK_INT(ds_ingest_begin(g, "x", req, 0, &d, &err), DS_OK, "begin");
    CHECK_INT(ds_ingest_begin(g, "y", req, 0, &d, &err), DS_EUSAGE,
              "a second begin before end");
    FILE *fp = fmemopen("couple,session,code\nc,s,bid\n", 26, "r");
    CHECK_INT(ds_ingest_file(g, fp, "z.csv", &d, &err), DS_EUSAGE,
              "a CSV file while a source is open");
    fclose(fp);
    CHECK_INT(ds_ingest_row(g, &row, &err), DS_OK, "a good row");
    row.field[DS_INGEST_TIME] = "1";
    CHECK_INT(ds_ingest_row(g, &row, &err), DS_EUSAGE,
              "a time field the source does not have");
    row.field[DS_INGEST_TIME] = NULL;
    row.field[DS_INGEST_COUPLE] = NULL;
    CHECK_INT(ds_ingest_row(g, &row, &err), DS_EUSAGE, "a missing couple");
    CHECK_INT(ds_ingest_end(g, "abc", &err), DS_EUSAGE, "a short digest");
    CHECK_INT(ds_ingest_end(g, "0123456789abcdef0123456789abcdef"
                               "0123456789abcdef0123456789abcdef",
                            &err),
              DS_OK, "end");
    CHECK_INT(ds_ingest_end(g, NULL, &err), DS_EUSAGE, "end without begin");
    CHECK_INT(d.n_errors, 0, "no data problems recorded");
    ds_corpus_t *c = NULL;
    CHECK_INT(ds_ingest_finish(g, &c, &d, &err), DS_OK, "finish");
    CHECK(c && c->n_events == 1 && !c->has_actor, "the one good row");
    ds_corpus_free(c);
    ds_diag_clear(&d);
    ds_ingest_free(g);
    ds_codebook_free(cb);
}

/* A codebook of long codes: the list in "unknown code" is cut, not
 * overrun (it used to write past its buffer). */
static void test_long_codebook(void)
{
    char *codes[13], *desc[13];
    ds_role_t role[13];
    for (int i = 0; i < 13; i++) {
        codes[i] = malloc(48);
        snprintf(codes[i], 48, "a-rather-long-code-name-number-%02d", i);
        desc[i] = "";
        role[i] = DS_ROLE_OTHER;
    }
    ds_codebook_t cb = {.n = 13, .code = codes, .role = role,
                        .description = desc};
    ds_ingest_opts_t o = {.codebook = &cb, .actors = actors, .n_actors = 2};
    ds_ingest_t *g = ds_ingest_alloc(&o);
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_error_t err;
    const char *t = "couple,session,code\nc,s,zzz\n";
    FILE *fp = fmemopen((void *)t, strlen(t), "r");
    ds_ingest_file(g, fp, "x.csv", &d, &err);
    fclose(fp);
    const char *want = "x.csv:2: column 'code': unknown code 'zzz' "
                       "(codebook: a-rather-long-code-name-number-00, ";
    const char *m = d.n_errors_kept ? d.errors[0] : "";
    size_t len = strlen(m);
    CHECK(d.n_errors == 1 && strncmp(m, want, strlen(want)) == 0 &&
              len > 256 && len < 400 && m[len - 1] == ')',
          "unknown code with a long codebook: the list is cut");
    ds_diag_clear(&d);
    ds_ingest_free(g);
    for (int i = 0; i < 13; i++)
        free(codes[i]);
}

int main(void)
{
    test_same_messages();
    test_same_corpus();
    test_misuse();
    test_long_codebook();
    return UNIT_DONE();
}
