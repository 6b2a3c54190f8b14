/* Unit tests of the reader: sessions, states and ordering from CSV
 * (ingest.c, ingest_csv.c), the expansion of inputs (ingest_dir.c), and
 * the parallel reader against the one-thread reader with the thread count
 * given in the options (ingest_parallel.c). The row interface of
 * importers is test_ingest_rows.c. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_internal.h"
#include "unit.h"

static const char *actors[] = {"A", "B"};

/* Ingest the given in-memory files into a corpus (NULL on any problem). */
static ds_corpus_t *load(const char *const *texts, size_t n, int sort,
                         int merge, ds_diag_t *diag)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_ingest_opts_t o = {.codebook = cb, .actors = actors, .n_actors = 2,
                          .sort = sort, .merge = merge};
    ds_ingest_t *b = ds_ingest_alloc(&o);
    ds_error_t err;
    ds_corpus_t *c = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        FILE *fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");
        char name[32];
        snprintf(name, sizeof name, "f%zu.csv", i);
        rc = ds_ingest_file(b, fp, name, diag, &err);
        fclose(fp);
    }
    if (!rc)
        rc = ds_ingest_finish(b, &c, diag, &err);
    ds_ingest_free(b);
    ds_codebook_free(cb);
    return rc ? NULL : c;
}

static void test_states_and_order(void)
{
    const char *t = "code,actor,session,couple,time\n"
                    "withdraw,B,pre,z9,1\n"
                    "pursue,A,pre,z9,2\n"
                    "response,B,post,a1,0\n"
                    "bid,A,post,a1,0.5\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c != NULL, "columns found by name in any order");
    if (!c)
        return;
    CHECK_INT(c->n_states, 10, "K = 2 actors x 5 codes");
    CHECK_STR(c->state_label[0], "A:pursue", "state 0");
    CHECK_STR(c->state_label[6], "B:withdraw", "state 6 (actor-major)");
    CHECK_INT(c->n_sessions, 2, "two sessions");
    CHECK_STR(c->sessions[0].couple, "a1", "sessions sorted by couple");
    CHECK_INT(c->sessions[0].state[0], 9, "B:response = 5 + 4");
    CHECK_INT(c->sessions[1].state[1], 0, "A:pursue = 0");
    CHECK_INT(c->sessions[1].line[1], 3, "line of each event kept");
    CHECK_NEAR(ds_session_duration(&c->sessions[1]), 1.0, 0, "duration");
    CHECK_INT(c->n_labels, 2, "labels");
    CHECK_STR(c->labels[0], "post", "labels in byte order");
    CHECK_INT(c->sessions[0].label_index, 0, "label index");
    ds_corpus_free(c);
    ds_diag_clear(&d);
}

static void test_sort_is_stable(void)
{
    const char *t = "couple,session,actor,code,time\n"
                    "c,s,A,pursue,5\n"
                    "c,s,B,withdraw,1\n"
                    "c,s,A,bid,5\n"
                    "c,s,B,response,1\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c == NULL && d.n_errors == 2, "time going back: two errors");
    ds_diag_clear(&d);
    ds_diag_init(&d, 10);
    c = load(&t, 1, 1, 0, &d);
    CHECK(c != NULL, "--sort accepts it");
    if (!c)
        return;
    const ds_session_t *s = &c->sessions[0];
    CHECK(s->state[0] == 6 && s->state[1] == 9 && s->state[2] == 0 &&
              s->state[3] == 3,
          "sorted by onset, ties in input order");
    CHECK(s->line[0] == 3 && s->line[3] == 4, "lines follow their events");
    ds_corpus_free(c);
    ds_diag_clear(&d);
}

/* Splitting a study into files (with --merge where a session spans two)
 * or switching LF to CRLF gives the same corpus. */
static void test_split_and_crlf(void)
{
    const char *whole = "couple,session,actor,code,time\n"
                        "c1,pre,A,pursue,0\nc1,pre,B,withdraw,1\n"
                        "c2,pre,A,bid,0\nc2,pre,B,response,2\n";
    const char *parts[] = {"couple,session,actor,code,time\r\n"
                           "c2,pre,A,bid,0\r\nc1,pre,A,pursue,0\r\n",
                           "couple,session,actor,code,time\n"
                           "c1,pre,B,withdraw,1\nc2,pre,B,response,2\n"};
    ds_diag_t d1, d2;
    ds_diag_init(&d1, 10);
    ds_diag_init(&d2, 10);
    ds_corpus_t *a = load(&whole, 1, 0, 0, &d1);
    ds_corpus_t *b = load(parts, 2, 0, 1, &d2);
    CHECK(a && b, "both load");
    if (a && b) {
        int same = a->n_sessions == b->n_sessions;
        for (size_t i = 0; same && i < a->n_sessions; i++) {
            const ds_session_t *x = &a->sessions[i], *y = &b->sessions[i];
            same = x->n == y->n && strcmp(x->couple, y->couple) == 0 &&
                   memcmp(x->state, y->state, x->n * sizeof *x->state) == 0 &&
                   memcmp(x->onset, y->onset, x->n * sizeof *x->onset) == 0;
        }
        CHECK(same, "split + CRLF corpus equals the whole");
    }
    ds_corpus_free(a);
    ds_corpus_free(b);
    ds_diag_clear(&d1);
    ds_diag_clear(&d2);
}

static void test_no_actor(void)
{
    const char *t = "couple,session,code\nc,s,bid\nc,s,response\n";
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_corpus_t *c = load(&t, 1, 0, 0, &d);
    CHECK(c && c->n_states == 5 && !c->has_actor && !c->has_time,
          "no actor column: states are the codes");
    if (c) {
        CHECK_STR(c->state_label[3], "bid", "label without actor");
        CHECK(isnan(ds_session_duration(&c->sessions[0])),
              "no time: duration NaN");
    }
    ds_corpus_free(c);
    ds_diag_clear(&d);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static void test_paths(const char *tmp)
{
    char dir[512], p[600];
    snprintf(dir, sizeof dir, "%s/in", tmp);
    mkdir(dir, 0700);
    const char *names[] = {"b.csv", "a.CSV", ".hidden.csv", "notes.txt",
                           "x.csv.bak"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        write_file(p, "couple,session,code\n");
    }
    snprintf(p, sizeof p, "%s/sub.csv", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/in/b.csv", tmp);
    char slash[600];
    snprintf(slash, sizeof slash, "%s/", dir);
    const char *args[] = {slash, p, "-"};
    char **paths = NULL;
    size_t n = 0;
    ds_error_t err;
    int rc = ingest_paths_alloc(args, 3, &paths, &n, &err);
    CHECK(rc == 0 && n == 4, "a directory, a file and '-'");
    if (rc == 0 && n == 4) {
        char want[600];
        snprintf(want, sizeof want, "%s/a.CSV", dir);
        CHECK_STR(paths[0], want, "  *.csv of any case, in byte order");
        snprintf(want, sizeof want, "%s/b.csv", dir);
        CHECK_STR(paths[1], want, "  no hidden file, directory or other");
        CHECK_STR(paths[2], p, "  then the file");
        CHECK_STR(paths[3], "-", "  then standard input");
    }
    ingest_paths_free(paths, n);
    snprintf(p, sizeof p, "%s/sub.csv", dir);
    const char *empty[] = {p};
    CHECK_INT(ingest_paths_alloc(empty, 1, &paths, &n, &err), DS_EUSAGE,
              "a directory without CSV files");
    char want[700];
    snprintf(want, sizeof want, "no *.csv files in directory '%s'", p);
    CHECK_STR(err.msg, want, "  says so");
    const char *none[] = {"no/such/file.csv"};
    CHECK_INT(ingest_paths_alloc(none, 1, &paths, &n, &err), DS_EUSAGE,
              "a missing file");
    CHECK_STR(err.msg, "cannot read input 'no/such/file.csv': No such file "
              "or directory", "  says so");
}

/* Threads of this process (libgomp keeps its pool once started). */
static size_t n_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* ds_ingest_load of `path` on `threads` threads. */
static ds_corpus_t *load_opts(const char *path, int threads, int merge,
                              int drop_lines, char *msg, size_t msg_len)
{
    ds_codebook_t *cb = ds_codebook_alloc_default();
    ds_ingest_opts_t o = {.codebook = cb, .actors = actors, .n_actors = 2,
                          .merge = merge, .threads = threads,
                          .drop_lines = drop_lines};
    ds_diag_t d;
    ds_diag_init(&d, 10);
    ds_error_t err;
    ds_corpus_t *c = NULL;
    ds_ingest_load(&path, 1, &o, &c, &d, &err);
    snprintf(msg, msg_len, "%s", d.n_errors_kept ? d.errors[0] : "");
    ds_diag_clear(&d);
    ds_codebook_free(cb);
    return c;
}

static ds_corpus_t *load_path(const char *path, int threads, int merge,
                              char *msg, size_t msg_len)
{
    return load_opts(path, threads, merge, 0, msg, msg_len);
}

static int same_corpus(const ds_corpus_t *a, const ds_corpus_t *b)
{
    if (!a || !b || a->n_sessions != b->n_sessions ||
        a->n_events != b->n_events || strcmp(a->sha256[0], b->sha256[0]))
        return 0;
    for (size_t i = 0; i < a->n_sessions; i++) {
        const ds_session_t *x = &a->sessions[i], *y = &b->sessions[i];
        if (x->n != y->n || strcmp(x->couple, y->couple) ||
            strcmp(x->label, y->label) ||
            memcmp(x->state, y->state, x->n * sizeof *x->state) ||
            memcmp(x->onset, y->onset, x->n * sizeof *x->onset) ||
            memcmp(x->line, y->line, x->n * sizeof *x->line))
            return 0;
    }
    return 1;
}

/* The parallel reader, in pieces of 64 bytes so that sessions cross many
 * seams, gives the corpus of the one-thread reader; -t reaches it in the
 * options: one thread starts no thread, two do. */
static void test_parallel(const char *tmp)
{
    char path[600], bad[600];
    snprintf(path, sizeof path, "%s/big.csv", tmp);
    FILE *fp = fopen(path, "w");
    fputs("couple,session,actor,code,time\n", fp);
    const char *code[] = {"pursue", "withdraw", "soften", "bid", "response"};
    for (int i = 0; i < 3000; i++)
        fprintf(fp, "c%02d,s%d,%s,%s,%d.%d\n", i / 100, i / 40 % 3,
                i % 3 ? "A" : "B", code[i * 7 % 5], i, i % 10);
    fclose(fp);
    setenv("DYADSEQ_PIECE_BYTES", "64", 1);
    char m1[1200], m2[1200];
    size_t before = n_threads();
    ds_corpus_t *a = load_path(path, 1, 0, m1, sizeof m1);
    CHECK(a && a->n_events == 3000, "one thread reads every row");
    CHECK_INT(n_threads(), before, "  and starts no thread");
    ds_corpus_t *b = load_path(path, 2, 0, m2, sizeof m2);
    CHECK(n_threads() > before, "two threads in the options: threads run");
    CHECK(same_corpus(a, b), "  and give the one-thread corpus");
    ds_corpus_free(a);
    ds_corpus_free(b);
    /* a problem in the middle: both readers report it alike */
    snprintf(bad, sizeof bad, "%s/bad.csv", tmp);
    fp = fopen(bad, "w");
    fputs("couple,session,actor,code,time\n", fp);
    for (int i = 0; i < 400; i++)
        fprintf(fp, "c1,s,A,%s,%d\n", i == 250 ? "pursew" : "bid", i);
    fclose(fp);
    a = load_path(bad, 1, 0, m1, sizeof m1);
    b = load_path(bad, 2, 0, m2, sizeof m2);
    CHECK(!a && !b && strcmp(m1, m2) == 0 && strstr(m2, "bad.csv:252:"),
          "a bad row deep in the file: the same message at any thread count");
    unsetenv("DYADSEQ_PIECE_BYTES");
}

/* Without lines (drop_lines) the reader gives the same sessions, at one
 * and two threads with sessions across many pieces, and each session's
 * first line and file; sessions with an observation period, and all
 * under --merge, keep their lines. */
static void test_drop_lines(const char *tmp)
{
    char path[600], per[600], m[1200];
    snprintf(path, sizeof path, "%s/big.csv", tmp); /* of test_parallel */
    setenv("DYADSEQ_PIECE_BYTES", "64", 1);
    ds_corpus_t *a = load_opts(path, 1, 0, 0, m, sizeof m);
    for (int t = 1; t <= 2; t++) {
        ds_corpus_t *b = load_opts(path, t, 0, 1, m, sizeof m);
        int same = a && b && a->n_sessions == b->n_sessions &&
                   a->n_events == b->n_events;
        for (size_t i = 0; same && i < a->n_sessions; i++) {
            const ds_session_t *x = &a->sessions[i], *y = &b->sessions[i];
            same = x->n == y->n && !strcmp(x->couple, y->couple) &&
                   !strcmp(x->label, y->label) && !y->line && !y->file &&
                   !memcmp(x->state, y->state, x->n * sizeof *x->state) &&
                   !memcmp(x->onset, y->onset, x->n * sizeof *x->onset) &&
                   y->first_line == x->line[0] && y->first_file == x->file[0] &&
                   x->first_line == x->line[0];
        }
        CHECK(same, t == 1 ? "no lines kept: the same sessions, and each "
                             "one's first line (one thread)"
                           : "... and at two threads, in 64-byte pieces");
        ds_corpus_free(b);
        b = load_opts(path, t, 1, 1, m, sizeof m);
        CHECK(b && b->sessions[0].line && b->sessions[0].file,
              "  --merge keeps them");
        ds_corpus_free(b);
    }
    ds_corpus_free(a);
    unsetenv("DYADSEQ_PIECE_BYTES");
    snprintf(per, sizeof per, "%s/period.csv", tmp);
    FILE *fp = fopen(per, "w");
    fputs("couple,session,actor,code,time,start,end\n"
          "c1,s1,A,bid,1,0,10\nc1,s1,B,response,2,0,10\n", fp);
    fclose(fp);
    a = load_opts(per, 1, 0, 1, m, sizeof m);
    CHECK(a && a->sessions[0].line && a->sessions[0].line[1] == 3,
          "  a session with an observation period keeps them");
    ds_corpus_free(a);
}

int main(void)
{
    test_states_and_order();
    test_sort_is_stable();
    test_split_and_crlf();
    test_no_actor();
    char tmp[] = "/tmp/dyadseq-unit-XXXXXX";
    if (!mkdtemp(tmp)) {
        CHECK(0, "mkdtemp");
        return UNIT_DONE();
    }
    test_paths(tmp);
    test_parallel(tmp);
    test_drop_lines(tmp);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        CHECK(0, "remove the scratch directory");
    return UNIT_DONE();
}
