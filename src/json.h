/*
 * json.h — a small JSON object writer for the `parameters` provenance
 * attribute (every option of a run, defaults included). Only what that
 * needs: one flat object of strings, numbers, booleans, and lists of
 * numbers or strings.
 */
#ifndef DYADSEQ_JSON_H
#define DYADSEQ_JSON_H

#include <stddef.h>

typedef struct ds_json {
    char *buf;
    size_t len, cap;
    int oom;
} ds_json_t;

void ds_json_begin(ds_json_t *j);             /* "{" */
void ds_json_string(ds_json_t *j, const char *key, const char *value);
void ds_json_number(ds_json_t *j, const char *key, double value);
void ds_json_bool(ds_json_t *j, const char *key, int value);
void ds_json_numbers(ds_json_t *j, const char *key, const double *v,
                     size_t n);
void ds_json_strings(ds_json_t *j, const char *key, const char *const *v,
                     size_t n);
/* "}"; returns the malloc'd text (caller frees) or NULL on OOM. */
char *ds_json_end(ds_json_t *j);

#endif
