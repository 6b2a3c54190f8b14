/*
 * layout_paths.c — the results paths that have a parameter (see
 * layout_paths.h). Every path is measured, then allocated: labels are user
 * text of any length, and a path cut at a fixed size would name another
 * object or none.
 */
#include "layout_paths.h"

#include <stdio.h>
#include <stdlib.h>

#include "results.h"
#include "text.h"

char *ds_layout_path_join(const char *group, const char *name)
{
    if (!name)
        return ds_aprintf("%s", group);
    /* the root is "/", its members "/name" */
    int root = group[0] == '/' && group[1] == '\0';
    return ds_aprintf("%s/%s", root ? "" : group, name);
}

char *ds_layout_path_lag(size_t lag, const char *part, const char *name)
{
    if (!part)
        return ds_aprintf(DS_PATH_LAG "/%zu", lag);
    if (!name)
        return ds_aprintf(DS_PATH_LAG "/%zu/%s", lag, part);
    return ds_aprintf(DS_PATH_LAG "/%zu/%s/%s", lag, part, name);
}

char *ds_layout_path_lag_label(size_t lag, const char *part,
                               const char *label, const char *name)
{
    char *esc = ds_results_escape_name(label);
    if (!esc)
        return NULL;
    char *p = name ? ds_aprintf(DS_PATH_LAG "/%zu/%s/%s/%s", lag, part, esc,
                                name)
                   : ds_aprintf(DS_PATH_LAG "/%zu/%s/%s", lag, part, esc);
    free(esc);
    return p;
}

char *ds_layout_path_window_label(const char *label)
{
    char *esc = ds_results_escape_name(label);
    if (!esc)
        return NULL;
    char *p = ds_aprintf(DS_PATH_WINDOW "/%s/%s",
                         DS_WINDOW_COUPLE_SUMMARY_BY_LABEL, esc);
    free(esc);
    return p;
}

char *ds_layout_path_summary(const char *group, const char *stat,
                             const char *part)
{
    return ds_aprintf("%s/%s_%s", group, stat, part);
}

char *ds_layout_path_ap(const char *model, const char *part,
                        const char *name)
{
    char *esc = ds_results_escape_name(model);
    if (!esc)
        return NULL;
    char *p = !part ? ds_aprintf(DS_PATH_ACTOR_PARTNER "/%s", esc)
              : !name
                  ? ds_aprintf(DS_PATH_ACTOR_PARTNER "/%s/%s", esc, part)
                  : ds_aprintf(DS_PATH_ACTOR_PARTNER "/%s/%s/%s", esc, part,
                               name);
    free(esc);
    return p;
}
