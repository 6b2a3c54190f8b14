/*
 * import.h — the files of coding tools as rows of the dyadseq transcript.
 *
 * Each format is a module of its own, src/import_<format>.c, behind one
 * interface (ds_importer_t): a function that reads one input and hands its
 * events, one ds_import_row_t at a time, to a callback. The importer checks
 * what only the format can know (a START without its STOP, an unknown ELAN
 * tier, a behaviour missing from the BORIS ethogram, a subject that maps to
 * no actor) and reports each problem where it is in the source; the rows
 * then go through the checks every transcript gets (ds_import_study_t below:
 * code in the codebook, actor in --actors, times, the observation period,
 * states of one actor that overlap, a session in two inputs). A study that
 * passes is written out (export.h) or loaded as a corpus (import_corpus.c),
 * so `convert`, and `validate`/`analyze --format`, share one path. The next
 * format is a new file and one line in the table of import.c.
 *
 * The row callback contract (ds_import_row_fn), for anyone writing an
 * importer or consuming rows:
 *  - strings are UTF-8 and valid only during the call (copy what you keep);
 *  - couple, session and code are non-NULL (they may be empty, which the
 *    study reports); actor is NULL when the source names nobody (an event
 *    without a subject), subject is the source's own name for who acted
 *    (BORIS subject, ELAN tier, SDIS code prefix) or NULL;
 *  - onset, duration, start, end are seconds, NAN when the source has no
 *    such value; a point event has duration 0; start/end (the observation
 *    period of the session, issue 13) are set on every row of a session
 *    whose period the source knows; when time between them was not coded
 *    (an interval sheet's empty or NA cells), stretch[2 n_stretches]
 *    lists the observed stretches (start, end of each, in order; the first
 *    starts at start, the last ends at end), else it is NULL;
 *  - rows may come in any order (BORIS groups its aggregated export by
 *    behaviour); the study orders each session stably by onset;
 *  - may_overlap marks events that may coincide with others of their actor
 *    (SDIS interval data); others of one actor must not overlap in time;
 *  - the callback returns 0 to go on or a negative DS_E* code to abort,
 *    which the importer returns at once.
 * Location of a row: file and 1-based line, or (JSON, which has no lines
 * after parsing) a JSON Pointer (RFC 6901) such as
 * "/observations/c01 pre/events/3"; messages then read
 * "FILE:LINE: ..." or "FILE:/observations/c01 pre/events/3: ...".
 */
#ifndef DYADSEQ_IMPORT_H
#define DYADSEQ_IMPORT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "dyadseq/codebook.h"
#include "dyadseq/error.h"
#include "strmap.h"

/* Where a row (or a problem) is in its source. */
typedef struct ds_import_loc {
    const char *file;    /* input name as given */
    size_t line;         /* 1-based line, 0 when unknown */
    const char *pointer; /* JSON Pointer for JSON inputs, else NULL */
} ds_import_loc_t;

typedef struct ds_import_row {
    const char *couple, *session;
    const char *actor;    /* NULL: no actor */
    const char *subject;  /* the source's name for who acted, or NULL */
    const char *code;
    const char *code_field; /* name of the source field holding the code,
                               for messages ("Behavior"), or NULL */
    double onset, duration; /* seconds, NAN = none */
    double start, end;      /* observation period, NAN = unknown */
    const double *stretch;  /* [2 n_stretches] observed stretches, or NULL:
                               all of start..end */
    size_t n_stretches;
    int may_overlap;
    ds_import_loc_t loc;
} ds_import_row_t;

typedef int (*ds_import_row_fn)(const ds_import_row_t *row, void *ctx);

/* One input, read whole (coding files are small). */
typedef struct ds_import_src {
    const char *name;  /* as given on the command line, "-" = stdin */
    const char *stem;  /* file name without directories and extension */
    const char *data;  /* the bytes, NUL-terminated after len */
    size_t len;
} ds_import_src_t;

/* NAME=VALUE of --subject-actor, --tier-actor and --columns. */
typedef struct ds_import_pair {
    char *name, *value;
} ds_import_pair_t;

/* Keys of --columns (import_columns.c). */
enum {
    DS_COLKEY_COUPLE, DS_COLKEY_SESSION, DS_COLKEY_ACTOR, DS_COLKEY_CODE,
    DS_COLKEY_TIME, DS_COLKEY_DURATION, DS_COLKEY_OFFSET, DS_COLKEY_STATUS,
    DS_COLKEY_START, DS_COLKEY_END, DS_COLKEY_INTERVAL, DS_N_COLKEYS
};

typedef struct ds_import_opts {
    const char *const *actors;       /* --actors */
    size_t n_actors;
    ds_import_pair_t *subject_actor; /* --subject-actor NAME=A */
    size_t n_subject_actor;
    ds_import_pair_t *tier_actor;    /* --tier-actor TIER=A ("-": skip) */
    size_t n_tier_actor;
    int has_id_pattern;              /* --id-pattern REGEX */
    regex_t id_pattern;
    char *id_pattern_text;
    int modifiers_append;            /* --modifiers append */
    char *column[DS_N_COLKEYS];      /* --columns KEY=COL, NULL = unset */
    int columns_given;
    int columns_ms;                  /* --columns ...,unit=ms */
    double interval;                 /* --interval S: SDIS interval data and
                                        interval sheets */
    int interval_given;
    ds_import_pair_t *code_map;      /* --code ACTOR:CODE=COLUMN, and
                                        ACTOR=COLUMN (a list column) */
    size_t n_code_map;
    size_t n_intervals;              /* --n-intervals N, 0 = not given */
} ds_import_opts_t;

void ds_import_opts_init(ds_import_opts_t *o);
void ds_import_opts_clear(ds_import_opts_t *o);

/*
 * Parse one option value into o. Each returns 0, or -1 with a one-line
 * reason in msg[n] (a usage error), or -2 when out of memory.
 *   ds_import_opt_map: NAME=VALUE appended to *list (split at the last '=')
 *   ds_import_opt_id_pattern: POSIX extended regex with two groups
 *   ds_import_opt_columns: KEY=COL,... with KEY among couple, session, actor,
 *     code, time, duration, offset, status, start, end, and unit=s|ms
 *   ds_import_opt_modifiers: ignore | append
 */
int ds_import_opt_map(ds_import_pair_t **list, size_t *n, const char *arg,
                      const char *opt, char *msg, size_t n_msg);
int ds_import_opt_id_pattern(ds_import_opts_t *o, const char *arg, char *msg,
                             size_t n_msg);
int ds_import_opt_columns(ds_import_opts_t *o, const char *arg, char *msg,
                          size_t n_msg);
int ds_import_opt_modifiers(ds_import_opts_t *o, const char *arg, char *msg,
                            size_t n_msg);
/* --code ACTOR:CODE=COLUMN or ACTOR=COLUMN (interval sheets, appended to
 * o->code_map; a column or prefix is mapped once) */
int ds_import_opt_code(ds_import_opts_t *o, const char *arg, char *msg,
                       size_t n_msg);

/* Every actor named by --subject-actor/--tier-actor is one of --actors;
 * -1 with msg otherwise. */
int ds_import_opts_check(const ds_import_opts_t *o, char *msg, size_t n_msg);

/* Names of the --columns keys, for messages and help. */
extern const char *const ds_import_colkey_name[DS_N_COLKEYS];

/*
 * The actor of a source name: the VALUE of a matching NAME=VALUE in list,
 * else the name itself when it is one of --actors, else NULL (not mapped).
 * *skip is set when the mapped value is "-" (leave these events out).
 */
const char *ds_import_map_actor(const ds_import_opts_t *o,
                                 const ds_import_pair_t *list, size_t n,
                                 const char *name, int *skip);

/*
 * Couple and session of an observation id: with --id-pattern, groups 1 and
 * 2 of the match; without, the couple is the file stem and the session the
 * id. Returns 0 with malloc'd *couple and *session, 1 when the id does not
 * match the pattern (or a group is empty), DS_ENOMEM.
 */
int ds_import_split_id(const ds_import_opts_t *o, const char *id,
                       const char *stem, char **couple, char **session);

/* Record a problem at loc: "FILE:LINE: column 'C': message" or
 * "FILE:/json/pointer: message". */
void ds_import_error(ds_diag_t *d, const ds_import_loc_t *loc,
                     const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* User text for a message: at most 60 bytes, control characters shown as
 * '?'; buf must hold 80 bytes. Returns buf. */
const char *ds_import_ex(char *buf, const char *s);

/* Append the RFC 6901 escape of s ('~' → "~0", '/' → "~1") after "/" to
 * a malloc'd pointer string; returns the new string or NULL (OOM). */
char *ds_json_pointer_append(const char *base, const char *s);

/* Seconds as the shortest decimal that reads back as the same double. */
void ds_format_seconds(char *buf, size_t n, double v);

/*
 * A time computed from two others (stop - start, onset + duration),
 * rounded to the nanosecond: 3.3 - 2.1 is 1.2 again, not
 * 1.1999999999999997. Tools record milliseconds at most, so this changes
 * no time they wrote.
 */
double ds_round_ns(double v);

/* ---------------------------------------------------------------- */
/* Formats                                                           */

typedef int (*ds_import_read_fn)(const ds_import_src_t *src,
                                 const ds_import_opts_t *opts,
                                 ds_import_row_fn emit, void *ctx,
                                 ds_diag_t *diag, ds_error_t *err);

/*
 * A format. read returns DS_OK after emitting every row it could (the
 * problems of single rows are in diag, and rows with problems are not
 * emitted), DS_EDATA when the input as a whole cannot be read as this
 * format (reported in diag), DS_ENOMEM/DS_EIO with err set, or the
 * callback's code.
 */
typedef struct ds_importer {
    const char *name;        /* --from NAME */
    const char *extensions;  /* ".boris" ...: chosen without --from; "" */
    const char *dir_files;   /* extensions of the files read from a
                                directory given as input */
    const char *summary;     /* for --help: lines of at most 55 bytes */
    ds_import_read_fn read;  /* NULL: a slot for a format to come */
} ds_importer_t;

extern const ds_importer_t ds_importers[];
extern const size_t ds_n_importers;

const ds_importer_t *ds_importer_find(const char *name);
/* The importer whose extensions include path's extension, or NULL. */
const ds_importer_t *ds_importer_for_path(const char *path);

/* Whether path's extension is one of the comma-separated list exts. */
int ds_import_has_extension(const char *path, const char *exts);

/* The formats (import_<format>.c). */
int ds_import_boris(const ds_import_src_t *, const ds_import_opts_t *,
                    ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);
int ds_import_elan(const ds_import_src_t *, const ds_import_opts_t *,
                   ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);
int ds_import_sdis(const ds_import_src_t *, const ds_import_opts_t *,
                   ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);
int ds_import_columns(const ds_import_src_t *, const ds_import_opts_t *,
                      ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);
int ds_import_intervals(const ds_import_src_t *, const ds_import_opts_t *,
                        ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);
/* BORIS's tabular exports (import_boris_tab.c), chosen by
 * ds_import_boris for CSV/TSV input. */
int ds_import_boris_tab(const ds_import_src_t *, const ds_import_opts_t *,
                        ds_import_row_fn, void *, ds_diag_t *, ds_error_t *);

/*
 * Read a CSV or TSV source through csvread (libcsv, line numbers). delim
 * 0: a tab when the first line has more tabs than commas, else a comma.
 * header: the first row names the columns (0 when it need not: a
 * preamble, or no header at all), for csvread's own messages.
 */
struct ds_csv_row;
int ds_import_csv(const ds_import_src_t *src, unsigned char delim, int header,
                  int (*fn)(const struct ds_csv_row *row, void *ctx),
                  void *ctx, ds_diag_t *diag, ds_error_t *err);

/* ---------------------------------------------------------------- */
/* The study: rows checked as a transcript is, kept in memory         */

#define DS_IMPORT_NO_ACTOR UINT32_MAX

typedef struct ds_import_event {
    double onset, duration;  /* NAN when the study has none */
    uint32_t actor;          /* index into study->actors, or NO_ACTOR */
    uint32_t code;           /* codebook index */
    uint32_t loc;            /* index into study->locs */
    uint32_t order;          /* arrival: ties of onset keep it */
    uint32_t input;          /* index of the input it came from */
    uint32_t line;           /* its line there, 0 when none (JSON) */
    uint8_t may_overlap;
} ds_import_event_t;

typedef struct ds_import_session {
    char *couple, *session;
    double start, end;       /* NAN when unknown */
    double *stretch;         /* [2 n_stretches] when time was not coded */
    size_t n_stretches;
    uint32_t period_loc;     /* the row that gave start and end */
    uint32_t input;          /* the first input it came from */
    ds_import_event_t *ev;
    size_t n, cap;
} ds_import_session_t;

typedef struct ds_import_study {
    const ds_codebook_t *codebook; /* borrowed */
    const char *const *actors;     /* borrowed: --actors */
    size_t n_actors;
    int merge;                     /* --merge */
    int check_overlap;             /* states of one actor must not overlap
                                      (1; transcripts are read as validate
                                      reads them, which does not check) */
    int decided;                   /* the first row fixed the columns: */
    int has_actor, has_time, has_duration;
    uint32_t first_loc;            /* ... at this row */
    int has_period;                /* some session has start and end */
    ds_import_session_t *s;        /* sorted by (couple, session) after
                                      ds_import_study_finish */
    size_t n_s, cap_s;
    ds_strmap_t *index;            /* "couple\x1fsession" → session */
    char **locs;                   /* "FILE:LINE" or "FILE:/pointer" */
    size_t n_locs, cap_locs;
    ds_strmap_t *subjects;         /* distinct subject names */
    size_t n_events;
    uint32_t input;                /* the input now being read */
    char **inputs;                 /* names of the inputs, by index */
    char (*sha256)[65];            /* digest of each input's bytes */
    size_t n_inputs;
} ds_import_study_t;

ds_import_study_t *ds_import_study_alloc(const ds_codebook_t *cb,
                                         const char *const *actors,
                                         size_t n_actors, int merge);
void ds_import_study_free(ds_import_study_t *st);

/* Rows that follow come from this input (its bytes, for provenance). */
int ds_import_study_begin_input(ds_import_study_t *st, const char *name,
                                const void *data, size_t len,
                                ds_error_t *err);

/*
 * Check one row and keep it when it is valid; problems go to diag. Returns
 * DS_OK or DS_ENOMEM. Usable directly as a ds_import_row_fn through
 * ds_import_study_emit (ctx = a ds_import_sink_t).
 */
int ds_import_study_add(ds_import_study_t *st, const ds_import_row_t *row,
                        ds_diag_t *diag, ds_error_t *err);

typedef struct ds_import_sink {
    ds_import_study_t *study;
    ds_diag_t *diag;
    ds_error_t *err;
} ds_import_sink_t;
int ds_import_study_emit(const ds_import_row_t *row, void *sink);

/*
 * After the last input: order sessions by (couple, session) and each
 * session's events stably by onset; check the events against the
 * observation period and the states of each actor for overlaps. Returns
 * DS_EDATA when diag holds errors (from any stage), DS_OK, DS_ENOMEM.
 */
int ds_import_study_finish(ds_import_study_t *st, ds_diag_t *diag,
                           ds_error_t *err);

/* What was read, for the summary line. */
typedef struct ds_import_counts {
    size_t sessions, subjects, codes, events;
} ds_import_counts_t;
void ds_import_study_counts(const ds_import_study_t *st,
                            ds_import_counts_t *out);

#endif
