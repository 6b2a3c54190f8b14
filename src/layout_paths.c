/*
 * layout_paths.c — the results paths that have a parameter (see
 * layout_paths.h). Every path is measured, then allocated: labels are user
 * text of any length, and a path cut at a fixed size would name another
 * object or none.
 */
#include "layout_paths.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "results.h"

/* A new string printed from fmt; NULL when out of memory. */
static char *path_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *path_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *ds_layout_path_join(const char *group, const char *name)
{
    if (!name)
        return path_printf("%s", group);
    /* the root is "/", its members "/name" */
    int root = group[0] == '/' && group[1] == '\0';
    return path_printf("%s/%s", root ? "" : group, name);
}

char *ds_layout_path_lag(size_t lag, const char *part, const char *name)
{
    if (!part)
        return path_printf(DS_PATH_LAG "/%zu", lag);
    if (!name)
        return path_printf(DS_PATH_LAG "/%zu/%s", lag, part);
    return path_printf(DS_PATH_LAG "/%zu/%s/%s", lag, part, name);
}

char *ds_layout_path_lag_label(size_t lag, const char *part,
                               const char *label, const char *name)
{
    char *esc = ds_results_escape_name(label);
    if (!esc)
        return NULL;
    char *p = name ? path_printf(DS_PATH_LAG "/%zu/%s/%s/%s", lag, part, esc,
                                 name)
                   : path_printf(DS_PATH_LAG "/%zu/%s/%s", lag, part, esc);
    free(esc);
    return p;
}

char *ds_layout_path_window_label(const char *label)
{
    char *esc = ds_results_escape_name(label);
    if (!esc)
        return NULL;
    char *p = path_printf(DS_PATH_WINDOW "/%s/%s",
                          DS_WINDOW_COUPLE_SUMMARY_BY_LABEL, esc);
    free(esc);
    return p;
}

char *ds_layout_path_summary(const char *group, const char *stat,
                             const char *part)
{
    return path_printf("%s/%s_%s", group, stat, part);
}

char *ds_layout_path_ap(const char *model, const char *part,
                        const char *name)
{
    char *esc = ds_results_escape_name(model);
    if (!esc)
        return NULL;
    char *p = !part ? path_printf(DS_PATH_ACTOR_PARTNER "/%s", esc)
              : !name
                  ? path_printf(DS_PATH_ACTOR_PARTNER "/%s/%s", esc, part)
                  : path_printf(DS_PATH_ACTOR_PARTNER "/%s/%s/%s", esc, part,
                                name);
    free(esc);
    return p;
}
