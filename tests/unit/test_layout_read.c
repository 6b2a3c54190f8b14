/*
 * Unit tests of layout_read.c, the reader of analyze results files: a file
 * laid out as SPEC 5 by the results writer here (3 sessions, actors A and
 * B, codes pursue and withdraw) reads back value for value, the actors and
 * each state's actor and role recovered from the labels; sections the
 * file lacks are NULL with the documented defaults; and every malformed
 * file gives an error naming the file and the path (what is missing or of
 * the wrong size from the check of results_check.c). That compare gives the
 * same comparison from such a file as from the transcripts is tested in
 * tests/compare/.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dyadseq/cycles.h"
#include "dyadseq/responsive.h"
#include "layout_read.h"
#include "results.h"
#include "unit.h"

#define NS 3 /* sessions */
#define NK 4 /* states */
#define NC 2 /* codes */

/* What the fixture leaves out or gets wrong. */
enum {
    F_PLAIN = 1,        /* states are the codes (no actor column) */
    F_NO_LAG1 = 2,      /* no /lag/1/session */
    F_COMPARE = 4,      /* no /lag, a /comparison group (compare's file) */
    F_NO_TIME = 8,      /* no /responsiveness, /cycles, /softening */
    F_NO_N_EVENTS = 16, /* /sessions/n_events missing */
    F_SHORT = 32,       /* /sessions/duration_s one value short */
    F_BAD_ROLE = 64,    /* a role that does not exist */
    F_BAD_STATES = 128, /* state labels that are not actor:code */
    F_NO_ZERO = 256,    /* no structural zeros marked */
    F_NO_PROV = 512     /* no provenance attributes */
};

static const char *const couple[NS] = {"c1", "c1", "c2"};
static const char *const session[NS] = {"pre", "post", "pre"};
static const int64_t n_events[NS] = {7, 5, 1};
static const double duration[NS] = {60, 45.5, 0};
static const char *const code[NC] = {"pursue", "withdraw"};

#define TRY(call)                                                            \
    do {                                                                     \
        if ((rc = (call)))                                                   \
            goto done;                                                       \
    } while (0)

static int write_sessions(ds_results_t *r, unsigned flags, ds_error_t *err)
{
    int rc;
    size_t s1 = NS, sd = (flags & F_SHORT) ? NS - 1 : NS;
    double onset[NS] = {0, 2.5, 1};
    if (flags & F_NO_TIME)
        onset[0] = onset[1] = onset[2] = NAN;
    TRY(ds_results_write_strings(r, "/sessions/couple", NS, couple, "session",
                                 err));
    TRY(ds_results_write_strings(r, "/sessions/session", NS, session,
                                 "session", err));
    if (!(flags & F_NO_N_EVENTS))
        TRY(ds_results_write_int64(r, "/sessions/n_events", 1, &s1,
                                   n_events, "session", err));
    TRY(ds_results_write_double(r, "/sessions/duration_s", 1, &sd, duration,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/first_onset_s", 1, &s1, onset,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/start_s", 1, &s1, onset,
                                "session", err));
    TRY(ds_results_write_double(r, "/sessions/end_s", 1, &s1, onset,
                                "session", err));
done:
    return rc;
}

static int write_states(ds_results_t *r, unsigned flags, ds_error_t *err)
{
    int rc;
    const char *actor_states[NK] = {"A:pursue", "A:withdraw", "B:pursue",
                                   (flags & F_BAD_STATES) ? "B-withdraw"
                                                          : "B:withdraw"};
    const char *role[NC] = {(flags & F_BAD_ROLE) ? "persue" : "pursue",
                           "withdraw"};
    if (flags & F_PLAIN)
        TRY(ds_results_write_strings(r, "/states/label", NC, code, "state",
                                     err));
    else
        TRY(ds_results_write_strings(r, "/states/label", NK, actor_states,
                                     "state", err));
    TRY(ds_results_write_strings(r, "/codebook/code", NC, code, "code", err));
    TRY(ds_results_write_strings(r, "/codebook/role", NC, role, "code", err));
    const char *desc[NC] = {"", "says \"fine\""};
    TRY(ds_results_write_strings(r, "/codebook/description", NC, desc,
                                 "code", err));
done:
    return rc;
}

/* Values that identify their place: x[i] = base + i. */
static void fill(double *d, int64_t *v, size_t n, double base)
{
    for (size_t i = 0; i < n; i++) {
        if (d)
            d[i] = base + (double)i;
        if (v)
            v[i] = (int64_t)base + (int64_t)i;
    }
}

static int write_lag1(ds_results_t *r, unsigned flags, size_t k,
                      ds_error_t *err)
{
    int rc = 0;
    size_t skk[3] = {NS, k, k}, kk[2] = {k, k};
    int64_t counts[NS * NK * NK], zero[NK * NK] = {0};
    double q[NS * NK * NK], z[NS * NK * NK];
    fill(NULL, counts, NS * k * k, 100);
    fill(q, NULL, NS * k * k, 0.5);
    fill(z, NULL, NS * k * k, -3);
    zero[1] = 1; /* from state 0 to state 1 */
    if (flags & F_COMPARE)
        return ds_results_make_group(r, "/comparison", err);
    if (flags & F_NO_LAG1)
        return ds_results_make_group(r, "/lag/2", err);
    TRY(ds_results_write_int64(r, "/lag/1/session/counts", 3, skk, counts,
                               "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/yules_q", 3, skk, q,
                                "session,from,to", err));
    TRY(ds_results_write_double(r, "/lag/1/session/adjusted_residual", 3,
                                skk, z, "session,from,to", err));
    if (!(flags & F_NO_ZERO))
        TRY(ds_results_write_int64(r, "/lag/1/pooled/structural_zero", 2,
                                   kk, zero, "from,to", err));
done:
    return rc;
}

static int write_dyadic(ds_results_t *r, ds_error_t *err)
{
    int rc;
    size_t s1 = NS, s2[2] = {NS, 2};
    int64_t bids[2 * NS], answered[2 * NS], cycles[NS], soften[2 * NS];
    double rate[2 * NS], latency[2 * NS], share[NS], srate[2 * NS];
    fill(rate, bids, 2 * NS, 10);
    fill(latency, answered, 2 * NS, 20);
    fill(share, cycles, NS, 30);
    fill(srate, soften, 2 * NS, 40);
    TRY(ds_results_attr_double(r, "/responsiveness", "response_window_s",
                               7.5, err));
    TRY(ds_results_write_int64(r, "/responsiveness/n_bids", 2, s2, bids,
                               "session,bidder", err));
    TRY(ds_results_write_int64(r, "/responsiveness/n_answered", 2, s2,
                               answered, "session,bidder", err));
    TRY(ds_results_write_double(r, "/responsiveness/response_rate", 2, s2,
                                rate, "session,bidder", err));
    TRY(ds_results_write_double(r, "/responsiveness/latency_median_s", 2, s2,
                                latency, "session,bidder", err));
    TRY(ds_results_attr_int64(r, "/cycles", "cycle_min", 4, err));
    TRY(ds_results_write_int64(r, "/cycles/n_cycles", 1, &s1, cycles,
                               "session", err));
    TRY(ds_results_write_double(r, "/cycles/share_time_in_cycles", 1, &s1,
                                share, "session", err));
    TRY(ds_results_write_int64(r, "/softening/n_soften", 2, s2, soften,
                               "session,actor", err));
    TRY(ds_results_write_double(r, "/softening/rate_per_min", 2, s2, srate,
                                "session,actor", err));
done:
    return rc;
}

/* Root attributes as analyze writes them. */
static int write_provenance(ds_results_t *r, ds_error_t *err)
{
    int rc;
    const char *files[] = {"a.csv", "b.csv"};
    const char *sha[] = {"aa", "bb"};
    TRY(ds_results_attr_string(r, "/", "command_line", "dyadseq analyze x",
                               err));
    TRY(ds_results_attr_string(r, "/", "parameters", "{\"lags\":[1]}",
                               err));
    TRY(ds_results_attr_strings(r, "/", "input_files", 2, files, err));
    TRY(ds_results_attr_strings(r, "/", "input_sha256", 2, sha, err));
    TRY(ds_results_attr_int64(r, "/", "seed", 42, err));
done:
    return rc;
}

static int write_fixture(const char *path, unsigned flags)
{
    ds_error_t err = {0};
    ds_results_t *r;
    int rc = ds_results_create(path, &r, &err);
    if (rc)
        return rc;
    size_t k = (flags & F_PLAIN) ? NC : NK;
    if (!(flags & F_NO_PROV))
        TRY(write_provenance(r, &err));
    TRY(write_states(r, flags, &err));
    TRY(write_sessions(r, flags, &err));
    TRY(write_lag1(r, flags, k, &err));
    if (!(flags & F_NO_TIME))
        TRY(write_dyadic(r, &err));
    return ds_results_commit(r, &err);
done:
    fprintf(stderr, "fixture: %s\n", err.msg);
    ds_results_abort(r);
    return rc;
}

static char dir[256];

static const char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* sha256sum of path, independent of our digest; "" when unavailable. */
static void sha256sum(const char *path, char out[65])
{
    char cmd[600];
    out[0] = '\0';
    snprintf(cmd, sizeof cmd, "sha256sum '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fscanf(p, "%64s", out) != 1)
        out[0] = '\0';
    pclose(p);
}

static void test_full(void)
{
    const char *path = tpath("full.h5");
    ds_layout_read_t lr;
    ds_error_t err = {0};
    CHECK_INT(write_fixture(path, 0), 0, "write the full fixture");
    int rc = ds_layout_read(path, DS_LAYOUT_NEED_LAG1, &lr, &err);
    CHECK_INT(rc, 0, "read it");
    if (rc) {
        printf("# %s\n", err.msg);
        return;
    }
    char want[65];
    sha256sum(path, want);
    if (*want)
        CHECK_STR(lr.sha256, want, "its SHA-256 as sha256sum gives it");
    else
        printf("ok - SHA-256 # SKIP no sha256sum\n");
    CHECK_STR(lr.file, path, "the file name as given");
    CHECK(lr.S == NS && lr.K == NK && lr.C == NC, "S, K and C");
    CHECK(strcmp(lr.couple[2], "c2") == 0 &&
              strcmp(lr.session[1], "post") == 0 && lr.n_events[0] == 7 &&
              lr.duration_s[1] == 45.5 && lr.first_onset_s[1] == 2.5 &&
              lr.has_time,
          "the sessions");
    CHECK(lr.n_actors == 2 && strcmp(lr.actors[0], "A") == 0 &&
              strcmp(lr.actors[1], "B") == 0,
          "the actors, from the state labels");
    CHECK(lr.state_actor[0] == 0 && lr.state_actor[1] == 0 &&
              lr.state_actor[2] == 1 && lr.state_actor[3] == 1,
          "each state's actor");
    CHECK(lr.state_role[0] == lr.code_role[0] &&
              lr.state_role[3] == lr.code_role[1] &&
              lr.code_role[0] != lr.code_role[1],
          "each state's role, its code's");
    CHECK(lr.counts[0] == 100 && lr.counts[NS * NK * NK - 1] == 147 &&
              lr.yules_q[5] == 5.5 && lr.adjusted_residual[47] == 44,
          "the lag-1 tables, every value in place");
    CHECK(lr.structural_zero && lr.structural_zero[1] == 1 &&
              lr.structural_zero[0] == 0,
          "the structural zeros");
    CHECK(lr.response_window_s == 7.5 && lr.n_bids[5] == 15 &&
              lr.latency_median_s[0] == 20 && lr.n_answered[1] == 21 &&
              lr.response_rate[2] == 12,
          "responsiveness and its window");
    CHECK(lr.cycle_min == 4 && lr.n_cycles[2] == 32 &&
              lr.share_time_in_cycles[0] == 30 && lr.n_soften[5] == 45 &&
              lr.softening_rate_per_min[1] == 41,
          "cycles, softening and cycle_min");
    CHECK(lr.n_inputs == 2 && strcmp(lr.input_files[1], "b.csv") == 0 &&
              strcmp(lr.input_sha256[0], "aa") == 0 && lr.seed == 42 &&
              strcmp(lr.command_line, "dyadseq analyze x") == 0 &&
              strcmp(lr.parameters, "{\"lags\":[1]}") == 0,
          "the provenance");
    ds_layout_read_clear(&lr);
    CHECK(lr.f == NULL && lr.couple == NULL, "clear empties the struct");
    ds_layout_read_clear(&lr); /* twice is harmless */
}

static void test_sections(void)
{
    ds_layout_read_t lr;
    ds_error_t err = {0};
    const char *path = tpath("plain.h5");
    write_fixture(path, F_PLAIN | F_NO_TIME | F_NO_ZERO);
    int rc = ds_layout_read(path, DS_LAYOUT_NEED_LAG1, &lr, &err);
    CHECK_INT(rc, 0, "read a file without actors or time");
    if (rc)
        return;
    CHECK(lr.K == NC && lr.n_actors == 0 && lr.state_actor[0] == -1 &&
              lr.state_actor[1] == -1 && lr.state_role[1] == lr.code_role[1],
          "states that are the codes: no actors");
    CHECK(!lr.has_time && !lr.n_bids && !lr.response_rate && !lr.n_cycles &&
              !lr.n_soften && !lr.structural_zero,
          "absent sections are NULL");
    CHECK(lr.response_window_s == DS_RESPONSE_WINDOW_DEFAULT &&
              lr.cycle_min == DS_CYCLE_MIN_DEFAULT,
          "... with the default window and cycle length");
    ds_layout_read_clear(&lr);

    path = tpath("nolag1.h5");
    write_fixture(path, F_NO_LAG1);
    CHECK(ds_layout_read(path, 0, &lr, &err) == 0 && lr.counts == NULL &&
              lr.yules_q == NULL && lr.n_bids != NULL,
          "lag 1 not needed: the rest is read, the tables NULL");
    ds_layout_read_clear(&lr);
}

/* Reading the fixture must fail with `want` and a message naming the
 * file and holding each part. */
static void fails(const char *name, unsigned flags, unsigned need, int want,
                  const char *part1, const char *part2, const char *what)
{
    ds_layout_read_t lr;
    ds_error_t err = {0};
    const char *path = tpath(name);
    write_fixture(path, flags);
    int rc = ds_layout_read(path, need, &lr, &err);
    int ok = rc == want && strstr(err.msg, path) &&
             (!part1 || strstr(err.msg, part1)) &&
             (!part2 || strstr(err.msg, part2));
    UNIT_REPORT(ok, "%s (got %d: %s)", what, rc, err.msg);
    CHECK(lr.f == NULL && lr.store_ == NULL && lr.couple == NULL,
          "... and nothing is left to clear");
}

static void test_errors(void)
{
    /* the file is checked first (results_check.c): its messages */
    fails("noev.h5", F_NO_N_EVENTS, 0, DS_EDATA,
          "/sessions/n_events is missing", NULL,
          "a missing dataset is named");
    fails("short.h5", F_SHORT, 0, DS_EDATA, "/sessions/duration_s has 2 "
          "entries along axis 1, expected 3", NULL,
          "a dataset of the wrong size");
    fails("noprov.h5", F_NO_PROV, 0, DS_EDATA,
          "the root attribute command_line is missing", "and 4 more",
          "no provenance: the attributes are named");
    fails("role.h5", F_BAD_ROLE, 0, DS_EDATA, "/codebook/role",
          "unknown role 'persue'", "an unknown role");
    fails("states.h5", F_BAD_STATES, 0, DS_EDATA, "/states/label is not "
          "the actor:code states", NULL, "states that are not actor:code");
    fails("lag2.h5", F_NO_LAG1, DS_LAYOUT_NEED_LAG1, DS_EDATA,
          "has no lag-1 tables (/lag/1/session)", NULL,
          "lag 1 needed and missing");
    fails("cmp.h5", F_COMPARE, DS_LAYOUT_NEED_LAG1, DS_EDATA,
          "was written by 'dyadseq compare'", NULL,
          "a file of compare is not an analyze file");

    ds_layout_read_t lr;
    ds_error_t err = {0};
    FILE *fp = fopen(tpath("text.h5"), "w");
    if (fp) {
        fputs("couple,session\n", fp);
        fclose(fp);
    }
    CHECK(ds_layout_read(tpath("text.h5"), 0, &lr, &err) == DS_EDATA &&
              strstr(err.msg, "not an HDF5 file"),
          "not an HDF5 file");
    CHECK(ds_layout_read(tpath("none.h5"), 0, &lr, &err) == DS_EIO &&
              strstr(err.msg, "none.h5"),
          "a missing file");
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/dyadseq-layout-read.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("not ok 1 - cannot make a temporary directory\n");
        return 1;
    }
    test_full();
    test_sections();
    test_errors();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return UNIT_DONE();
}
