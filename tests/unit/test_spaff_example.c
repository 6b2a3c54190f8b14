/*
 * The SPAFF example of datasets/spaff/ read through the real ingest path
 * (codebook CSV + transcript CSV): every number that
 * datasets/spaff/README.md works out by hand must come out.
 */
#include <stdlib.h>

#include "dyadseq/cycles.h"
#include "dyadseq/softening.h"
#include "dyadseq/ingest.h"
#include "dyadseq/responsive.h"
#include "fixture.h"
#include "unit.h"

static ds_corpus_t *load(void)
{
    const char *dir = getenv("DS_TEST_DATA_DIR");
    char cb_path[512], tr_path[512];
    snprintf(cb_path, sizeof cb_path, "%s/spaff/codebook.csv",
             dir ? dir : "datasets");
    snprintf(tr_path, sizeof tr_path, "%s/spaff/transcript.csv",
             dir ? dir : "datasets");
    ds_diag_t diag;
    ds_diag_init(&diag, 10);
    ds_error_t err = {0};
    ds_codebook_t *cb = NULL;
    ds_corpus_t *c = NULL;
    if (ds_codebook_load(cb_path, &cb, &diag, &err) == 0) {
        const char *actors[] = {"A", "B"};
        ds_ingest_opts_t o = {.codebook = cb, .actors = actors,
                              .n_actors = 2};
        const char *args[] = {tr_path};
        if (ds_ingest_load(args, 1, &o, &c, &diag, &err) != 0)
            c = NULL;
    }
    for (size_t i = 0; i < diag.n_errors_kept; i++)
        printf("# %s\n", diag.errors[i]);
    if (err.code)
        printf("# %s\n", err.msg);
    ds_diag_clear(&diag);
    ds_codebook_free(cb);
    return c;
}

int main(void)
{
    ds_corpus_t *c = load();
    CHECK(c != NULL, "datasets/spaff loads with its codebook");
    if (!c)
        return UNIT_DONE();
    CHECK_INT(c->n_sessions, 2, "two sessions");
    CHECK_INT(c->n_events, 42, "42 events");
    ds_error_t err = {0};
    ds_responsive_opts_t ro;
    ds_responsive_opts_init(&ro);
    ds_cycles_opts_t co;
    ds_cycles_opts_init(&co);

    /* README, couple c01 */
    const ds_session_t *s = &c->sessions[0];
    ds_responsive_t r[2];
    ds_responsive_init(&r[0]);
    ds_responsive_init(&r[1]);
    CHECK_INT(ds_responsive_session(c, s, &ro, r, &err), 0, "c01 bids");
    CHECK(r[0].n_bids == 2 && r[0].n_answered == 1 &&
              r[0].n_answered_late == 1 && r[0].n_turned_away == 0 &&
              r[0].n_turned_against == 0,
          "c01 A→B: 2 bids, 1 answered, 1 late, none turned");
    CHECK_NEAR(r[0].latency_median_s, 2, 0, "c01 A→B: latency 2");
    CHECK_NEAR(r[0].p_response_by_window, 0.5, 0, "c01 A→B: 1-S(5) 0.5");
    CHECK(r[0].km.n == 2 && r[0].km.survival[1] == 0,
          "c01 A→B: KM 0.5 at 2 s, 0 at 8 s");
    CHECK(r[1].n_bids == 2 && r[1].n_answered == 1 &&
              r[1].n_answered_late == 1 && r[1].n_turned_away == 1,
          "c01 B→A: 2 bids, 1 answered, 1 late, 1 turned away");
    CHECK_NEAR(r[1].latency_mean_s, 3, 0, "c01 B→A: latency 3");
    ds_cycles_t y;
    CHECK_INT(ds_cycles_compute(c, s, &co, &y, NULL, 0, NULL, &err), 0,
              "c01 cycles");
    CHECK(y.n_cycles == 2 && y.events_in_cycles == 9 &&
              y.longest_cycle == 6 && y.n_pursuer_a == 2 &&
              y.ended_by_soften == 1 && y.ended_by_bid == 1,
          "c01: 2 cycles (6 and 3 events), A pursues, ended by soften "
          "and by bid");
    CHECK_NEAR(y.time_in_cycles_s, 37, 0, "c01: 26 + 11 s in cycles");
    CHECK_NEAR(y.share_time_in_cycles, 37.0 / 89, 1e-15, "c01: 37/89");
    ds_softening_t so[2];
    CHECK_INT(ds_softening_compute(c, s, &co, so, &err), 0, "c01 soften");
    CHECK(so[0].n_soften == 2 && so[0].share_reciprocated == 0.5 &&
              so[0].first_onset_s == 36,
          "c01 A: 2 softens, first at 36, half reciprocated");
    CHECK_NEAR(so[0].rate_per_min, 120.0 / 89, 1e-12, "c01 A: 120/89 /min");
    CHECK(so[1].n_soften == 1 && so[1].share_reciprocated == 1 &&
              so[1].first_onset_s == 80,
          "c01 B: 1 soften at 80, reciprocated");

    /* README, couple c02 */
    s = &c->sessions[1];
    CHECK_INT(ds_responsive_session(c, s, &ro, r, &err), 0, "c02 bids");
    CHECK(r[0].n_bids == 2 && r[0].n_answered == 1 &&
              r[0].n_turned_away == 1 && r[0].km.n == 1 &&
              r[0].km.n_at_risk[0] == 2,
          "c02 A→B: 2 bids, 1 answered (3 s), 1 turned away, 1 censored");
    CHECK_NEAR(r[0].p_response_by_window, 0.5, 0, "c02 A→B: 1-S(5) 0.5");
    CHECK(r[1].n_bids == 2 && r[1].n_answered == 1 &&
              r[1].n_turned_against == 1 && r[1].latency_mean_s == 1,
          "c02 B→A: 2 bids, 1 answered (1 s), 1 turned against");
    CHECK_INT(ds_cycles_compute(c, s, &co, &y, NULL, 0, NULL, &err), 0,
              "c02 cycles");
    CHECK(y.n_cycles == 2 && y.events_in_cycles == 8 &&
              y.longest_cycle == 5 && y.n_pursuer_b == 2 &&
              y.ended_other == 1 && y.ended_by_session_end == 1,
          "c02: 2 cycles (5 and 3 events), B pursues, ended by neutral "
          "and by the session end");
    CHECK_NEAR(y.time_in_cycles_s, 26, 0, "c02: 18 + 8 s in cycles");
    CHECK_NEAR(y.share_time_in_cycles, 26.0 / 63, 1e-15, "c02: 26/63");
    CHECK_INT(ds_softening_compute(c, s, &co, so, &err), 0, "c02 soften");
    CHECK(so[0].n_soften == 0 && so[1].n_soften == 0 &&
              so[0].rate_per_min == 0 && isnan(so[0].share_reciprocated),
          "c02: no softening: rate 0, share NaN");
    ds_responsive_clear(&r[0]);
    ds_responsive_clear(&r[1]);
    ds_corpus_free(c);
    return UNIT_DONE();
}
