/*
 * sim_sheet.c — a simulated session as a row of a wide interval sheet
 * (see sim_sheet.h).
 */
#include "sim_sheet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"

/* Digits of n. */
static int digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* The column prefix of state s: its label with ':' as '_' (buf[len]). */
static void prefix(const ds_corpus_t *space, size_t s, char *buf, size_t len)
{
    snprintf(buf, len, "%s", space->state_label[s]);
    for (char *p = buf; *p; p++)
        if (*p == ':')
            *p = '_';
}

int ds_sim_sheet_header(FILE *fp, const ds_corpus_t *space, size_t n)
{
    int w = digits(n), bad = fputs("couple,session", fp) < 0;
    for (size_t s = 0; s < space->n_states && !bad; s++) {
        char name[512], col[600];
        prefix(space, s, name, sizeof name);
        for (size_t k = 1; k <= n && !bad; k++) {
            snprintf(col, sizeof col, "%s%0*zu", name, w, k);
            bad = fputc(',', fp) == EOF || ds_csv_write_field(fp, col);
        }
    }
    return bad || fputc('\n', fp) == EOF ? -1 : 0;
}

int ds_sim_sheet_row(FILE *fp, const ds_corpus_t *space, const char *couple,
                     const char *label, const ds_sim_events_t *ev,
                     double interval, size_t n)
{
    size_t K = space->n_states;
    size_t cells = K * n;
    unsigned char *mark = calloc(cells ? cells : 1, 1);
    if (!mark)
        return DS_ENOMEM;
    for (size_t i = 0; i < ev->n; i++) {
        double k = floor(ev->onset[i] / interval);
        if (k >= 0 && k < (double)n)
            mark[(size_t)ev->state[i] * n + (size_t)k] = 1;
    }
    int bad = ds_csv_write_field(fp, couple) || fputc(',', fp) == EOF ||
              ds_csv_write_field(fp, label);
    for (size_t x = 0; x < K * n && !bad; x++)
        bad = fputs(mark[x] ? ",1" : ",0", fp) < 0;
    free(mark);
    return bad || fputc('\n', fp) == EOF ? -1 : 0;
}
