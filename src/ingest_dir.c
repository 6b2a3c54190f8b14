/*
 * ingest_dir.c — command-line inputs → the list of files to read: a file
 * is itself, a directory every "*.csv" in it (not hidden, not a
 * directory) in byte order of the names, "-" standard input.
 */
#include "ingest_internal.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_heapsort.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

typedef struct path_list {
    char **p;
    size_t n, cap;
} path_list_t;

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push_path(path_list_t *l, const char *p)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 16;
        char **np = realloc(l->p, c * sizeof *np);
        if (!np)
            return -1;
        l->p = np;
        l->cap = c;
    }
    if (!(l->p[l->n] = ds_strdup(p)))
        return -1;
    l->n++;
    return 0;
}

/* Append the CSV files of directory `dir` to l, in byte order. */
static int push_dir(path_list_t *l, const char *dir, ds_error_t *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ds_error_set(err, DS_EUSAGE, "cannot open directory '%s': %s",
                            dir, strerror(errno));
    size_t first = l->n, dl = strlen(dir);
    int rc = DS_OK;
    struct dirent *e;
    while (rc == DS_OK && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || e->d_name[0] == '.' ||
            strcasecmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char *full = malloc(dl + len + 2);
        if (!full) {
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
            break;
        }
        snprintf(full, dl + len + 2, "%s%s%s", dir,
                 dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
        if (!is_dir(full) && push_path(l, full))
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        free(full);
    }
    closedir(d);
    if (rc == DS_OK && l->n == first)
        rc = ds_error_set(err, DS_EUSAGE, "no *.csv files in directory "
                          "'%s'", dir);
    if (rc == DS_OK)
        gsl_heapsort(l->p + first, l->n - first, sizeof *l->p, cmp_str);
    return rc;
}

int ingest_paths_alloc(const char *const *args, size_t n_args,
                       char ***paths, size_t *n_paths, ds_error_t *err)
{
    path_list_t l = {0};
    int rc = DS_OK;
    for (size_t a = 0; a < n_args && rc == DS_OK; a++) {
        const char *arg = args[a];
        if (strcmp(arg, "-") != 0 && is_dir(arg))
            rc = push_dir(&l, arg, err);
        else if (strcmp(arg, "-") != 0 && access(arg, R_OK) != 0)
            rc = ds_error_set(err, DS_EUSAGE, "cannot read input '%s': %s",
                              arg, strerror(errno));
        else if (push_path(&l, arg))
            rc = ds_error_set(err, DS_ENOMEM, "out of memory");
    }
    if (rc) {
        ingest_paths_free(l.p, l.n);
        return rc;
    }
    *paths = l.p;
    *n_paths = l.n;
    return DS_OK;
}

void ingest_paths_free(char **paths, size_t n_paths)
{
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
}
