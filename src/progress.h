/*
 * progress.h — a progress bar on standard error for long runs (SPEC 2:
 * --progress, on by default when stderr is a terminal). It stays silent
 * for the first second, so short runs print nothing, and redraws at most
 * ten times a second. ds_progress_add() may be called from any thread.
 * Part of the user interface: computation modules report progress through
 * a callback and never include this.
 */
#ifndef DYADSEQ_PROGRESS_H
#define DYADSEQ_PROGRESS_H

#include <stddef.h>

typedef struct ds_progress {
    int enabled;
    const char *label;    /* "analyze" */
    const char *unit;     /* "events" */
    size_t total;         /* units of work in all */
    size_t done;          /* updated atomically */
    double start, last;   /* monotonic seconds */
    int drawn;            /* a bar is on screen */
} ds_progress_t;

void ds_progress_start(ds_progress_t *p, const char *label, const char *unit,
                       size_t total, int enabled);

/* Add done units (thread-safe); redraws when due. */
void ds_progress_add(ds_progress_t *p, size_t units);

/* Callback form of ds_progress_add for computation modules. */
void ds_progress_callback(void *p, size_t units);

/* Erase the bar (if drawn). */
void ds_progress_finish(ds_progress_t *p);

#endif
