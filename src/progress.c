/*
 * progress.c — progress bar on standard error (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void ds_progress_start(ds_progress_t *p, const char *label, const char *unit,
                       size_t total, int enabled)
{
    p->enabled = enabled;
    p->label = label;
    p->unit = unit;
    p->total = total;
    p->done = 0;
    p->start = p->last = now();
    p->drawn = 0;
}

/* Human-readable rate: 1.2M, 850k, 12. */
static void fmt_rate(char *buf, size_t n, double v)
{
    if (v >= 1e6)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, n, "%.0fk", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
}

static void draw(ds_progress_t *p, size_t done, double t)
{
    double frac = p->total ? (double)done / (double)p->total : 1;
    if (frac > 1)
        frac = 1;
    int width = 30, fill = (int)(frac * width);
    char bar[31], rate[16];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[width] = '\0';
    double el = t - p->start, r = el > 0 ? (double)done / el : 0;
    fmt_rate(rate, sizeof rate, r);
    double eta = r > 0 ? (double)(p->total - done) / r : 0;
    fprintf(stderr, "\r%s [%s] %3.0f%%  %s %s/s  ETA %.0f s ", p->label, bar,
            100 * frac, rate, p->unit, eta);
    fflush(stderr);
    p->drawn = 1;
}

void ds_progress_add(ds_progress_t *p, size_t units)
{
    if (!p || !p->enabled)
        return;
    size_t done;
#pragma omp atomic capture
    done = p->done += units;
    double t = now(), last;
#pragma omp atomic read
    last = p->last;
    if (t - p->start < 1.0 || t - last < 0.1)
        return;
#pragma omp critical(ds_progress)
    {
        if (t - p->last >= 0.1) {
#pragma omp atomic write
            p->last = t;
            draw(p, done, t);
        }
    }
}

void ds_progress_callback(void *p, size_t units)
{
    ds_progress_add(p, units);
}

void ds_progress_finish(ds_progress_t *p)
{
    if (p->enabled && p->drawn) {
        fprintf(stderr, "\r%*s\r", 78, "");
        fflush(stderr);
    }
    p->drawn = 0;
}
