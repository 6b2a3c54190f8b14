/*
 * strmap.h — a string → index hash map (open addressing, FNV-1a), used to
 * find sessions by key while streaming and couples when pairing sessions.
 * Keys are copied.
 */
#ifndef DYADSEQ_STRMAP_H
#define DYADSEQ_STRMAP_H

#include <stddef.h>

typedef struct ds_strmap ds_strmap_t;

ds_strmap_t *ds_strmap_alloc(void);
void ds_strmap_free(ds_strmap_t *m);

/* Value stored for key (len bytes), or (size_t)-1 when absent. */
size_t ds_strmap_get(const ds_strmap_t *m, const char *key, size_t len);

/* Insert or overwrite; 0 on success, -1 on allocation failure. */
int ds_strmap_put(ds_strmap_t *m, const char *key, size_t len, size_t value);

size_t ds_strmap_size(const ds_strmap_t *m);

#endif
