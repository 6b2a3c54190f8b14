/*
 * corpus.h — the in-memory study: sessions of events over states.
 *
 * A session is all events with the same (couple, session label). Events are
 * kept as compact parallel arrays (structure of arrays): per event an onset
 * (8 bytes, when the input has a time column), a duration (8 bytes, when it
 * has one), a state index (2 bytes) and the input line and file it came
 * from (4 + 4 bytes, so later checks can still point at the row): at most
 * 26 bytes per event.
 *
 * States are actor:code pairs, actor-major in --actors order and codes in
 * codebook order (K = actors × codes), or the codes alone when the input
 * has no actor column (SPEC 4). Sessions are sorted by (couple, label) in
 * byte order, which is the session order of every results table.
 */
#ifndef DYADSEQ_CORPUS_H
#define DYADSEQ_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "dyadseq/codebook.h"

typedef struct ds_session {
    char *couple;
    char *label;       /* session label within the couple: "pre", "s03" */
    size_t n;          /* number of events */
    double *onset;     /* [n] onset in seconds, or NULL (no time column) */
    double *duration;  /* [n] seconds, or NULL (no duration column) */
    uint16_t *state;   /* [n] state index in [0, K) */
    uint32_t *line;    /* [n] input line of each event; NULL after
                          ds_corpus_drop_sources */
    uint32_t *file;    /* [n] index into ds_corpus_t.files; likewise
                          (both NULL when the reader kept none:
                          ds_ingest_opts_t.drop_lines) */
    size_t first_line, first_file; /* where its first event was read */
    size_t label_index; /* index into ds_corpus_t.labels */
    /* The observation period (transcript columns start and end, SPEC 3),
     * or n_periods = 0 when the input gives none: period[2k] and
     * period[2k + 1] are the start and end of the k-th observed stretch,
     * in time order, not overlapping. More than one stretch means the
     * time between them was not coded (an interval sheet's empty or NA
     * cells): it is no part of the session's duration, no time-window
     * unit lies in it and no lag pair spans it (docs/convert.md). */
    size_t n_periods;
    double *period;     /* [2 * n_periods], owned */
} ds_session_t;

typedef struct ds_corpus {
    ds_codebook_t *codebook;  /* owned */
    size_t n_actors;
    char **actors;            /* actor names as given by --actors */
    int has_actor, has_time, has_duration;

    size_t n_states;          /* K */
    char **state_label;       /* [K] "A:pursue", or "pursue" */
    int *state_actor;         /* [K] actor index, or -1 without actors */
    size_t *state_code;       /* [K] codebook index */
    ds_role_t *state_role;    /* [K] role of the state's code */

    size_t n_sessions;
    ds_session_t *sessions;   /* [S], sorted by (couple, label) */
    size_t n_events;

    size_t n_labels;
    char **labels;            /* distinct session labels, byte order */

    size_t n_files;
    char **files;             /* input names as given ("-" for stdin) */
    char (*sha256)[65];       /* [n_files] hex digest of each input */
} ds_corpus_t;

/*
 * A corpus without sessions over copies of cb and actors (has_actor: the
 * input has an actor column), with its state tables built. The caller
 * sets has_time and has_duration, gives the sessions with
 * ds_corpus_set_sessions and the input files directly (files, sha256,
 * n_files). NULL on OOM.
 */
ds_corpus_t *ds_corpus_alloc(const ds_codebook_t *cb,
                             const char *const *actors, size_t n_actors,
                             int has_actor);
void ds_corpus_free(ds_corpus_t *c);

/*
 * Free every event's input line and file (8 bytes an event), which only
 * messages about the data cite, once no message can: after validation,
 * before a long analysis (issue #7: at 10 million events, 80 MB of the
 * peak memory). Their pointers become NULL.
 */
void ds_corpus_drop_sources(ds_corpus_t *c);

/*
 * Give c its n sessions (distinct (couple, label) pairs): c takes the
 * array and everything its sessions point to, also when this fails. They
 * are sorted by (couple, label) in byte order, their labels collected
 * into c->labels (byte order) and indexed, their events counted. Returns
 * 0 or DS_ENOMEM.
 */
int ds_corpus_set_sessions(ds_corpus_t *c, ds_session_t *sessions,
                           size_t n);

/* Sort a session's events stably by onset (ties keep their order; no-op
 * without onsets). Returns 0 or DS_ENOMEM. */
int ds_session_sort(ds_session_t *s);

/*
 * The extent of a session in seconds. With an observation period: its
 * start, its end, and the time observed (the sum of its stretches, which
 * is end - start unless some time was not coded). Without: the first
 * onset, the last onset (or, with durations, the latest offset), and end
 * - start. NaN without times or (without a period) without events.
 */
double ds_session_start(const ds_session_t *s);
double ds_session_end(const ds_session_t *s);
double ds_session_duration(const ds_session_t *s);
/* ds_session_duration for the session's own ds_session_start and
 * ds_session_end, already computed (the end scans every event). */
double ds_session_duration_of(const ds_session_t *s, double start,
                              double end);

/*
 * Where an open spell is censored at the end of the session (a bid never
 * answered, a cycle that the session ends, SPEC 4.6 and 4.7): the end of
 * the observation period when there is one, else the last onset. NaN
 * without times or events.
 */
double ds_session_close(const ds_session_t *s);

/*
 * The observed stretch that time t lies in: k with period[2k] <= t <=
 * period[2k + 1] (the first such; 1e-9 s tolerance), or (size_t)-1 when
 * t lies in none. 0 for any t when the session has no period.
 */
size_t ds_session_stretch(const ds_session_t *s, double t);

/* Number of distinct couples (sessions are sorted, so a linear pass). */
size_t ds_corpus_n_couples(const ds_corpus_t *c);

/*
 * Build the state tables of c from its codebook and actors (K = actors ×
 * codes, or codes alone when !c->has_actor); ds_corpus_alloc does it, and
 * tests that fill a corpus by hand call it. Returns 0 or DS_ENOMEM.
 */
int ds_corpus_make_states(ds_corpus_t *c);

#endif
