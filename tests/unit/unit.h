/*
 * unit.h — a minimal TAP-style harness for the C unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what (details)"; the
 * program's exit status is the number of failures (capped), which
 * tests/run.sh adds up.
 */
#ifndef DYADSEQ_UNIT_H
#define DYADSEQ_UNIT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_n, unit_failed;

#define UNIT_REPORT(cond, ...)                                               \
    do {                                                                     \
        unit_n++;                                                            \
        if (cond) {                                                          \
            printf("ok %d - ", unit_n);                                      \
        } else {                                                             \
            unit_failed++;                                                   \
            printf("not ok %d - ", unit_n);                                  \
        }                                                                    \
        printf(__VA_ARGS__);                                                 \
        putchar('\n');                                                       \
    } while (0)

/* A boolean check. */
#define CHECK(cond, what) UNIT_REPORT((cond), "%s", (what))

/* Integer equality. */
#define CHECK_INT(got, want, what)                                           \
    do {                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);             \
        UNIT_REPORT(g_ == w_, "%s (got %lld, want %lld)", (what), g_, w_);   \
    } while (0)

/* |got - want| <= tol, or both NaN. */
#define CHECK_NEAR(got, want, tol, what)                                     \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        int ok_ = (isnan(g_) && isnan(w_)) || fabs(g_ - w_) <= (tol);        \
        UNIT_REPORT(ok_, "%s (got %.10g, want %.10g, tol %g)", (what), g_,   \
                    w_, (double)(tol));                                      \
    } while (0)

#define CHECK_STR(got, want, what)                                           \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        int ok_ = g_ && w_ && strcmp(g_, w_) == 0;                           \
        UNIT_REPORT(ok_, "%s (got '%s', want '%s')", (what),                 \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                 \
    } while (0)

/* A check that cannot run here (no R, ...): "ok N - what # SKIP reason",
 * which tests/run.sh counts as skipped, not passed. */
#define SKIP(what, reason)                                                   \
    do {                                                                     \
        unit_n++;                                                            \
        printf("ok %d - %s # SKIP %s\n", unit_n, (what), (reason));          \
    } while (0)

/* Rscript is on PATH (the cross-checks against base R need it). */
static inline int unit_have_r(void)
{
    return system("command -v Rscript >/dev/null 2>&1") == 0;
}

/* Call at the end of main. */
#define UNIT_DONE() (unit_failed > 100 ? 100 : unit_failed)

#endif
