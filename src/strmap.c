/*
 * strmap.c — open-addressing hash map with linear probing (klib's khash
 * is the model); capacity a power of two, load factor at most 1/2.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key; /* NULL = empty */
    size_t len;
    size_t value;
    uint64_t hash;
} slot_t;

struct ds_strmap {
    slot_t *slots;
    size_t cap, n;
};

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

ds_strmap_t *ds_strmap_alloc(void)
{
    ds_strmap_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void ds_strmap_free(ds_strmap_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static slot_t *find(const ds_strmap_t *m, const char *key, size_t len,
                    uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot_t *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len &&
                        memcmp(s->key, key, len) == 0))
            return s;
    }
}

size_t ds_strmap_get(const ds_strmap_t *m, const char *key, size_t len)
{
    slot_t *s = find(m, key, len, fnv1a(key, len));
    return s->key ? s->value : (size_t)-1;
}

static int grow(ds_strmap_t *m)
{
    size_t cap = m->cap * 2;
    slot_t *old = m->slots, *nu = calloc(cap, sizeof *nu);
    if (!nu)
        return -1;
    size_t old_cap = m->cap;
    m->slots = nu;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 0;
}

int ds_strmap_put(ds_strmap_t *m, const char *key, size_t len, size_t value)
{
    if (2 * (m->n + 1) > m->cap && grow(m))
        return -1;
    uint64_t h = fnv1a(key, len);
    slot_t *s = find(m, key, len, h);
    if (!s->key) {
        char *k = malloc(len + 1);
        if (!k)
            return -1;
        memcpy(k, key, len);
        k[len] = '\0';
        s->key = k;
        s->len = len;
        s->hash = h;
        m->n++;
    }
    s->value = value;
    return 0;
}

size_t ds_strmap_size(const ds_strmap_t *m)
{
    return m->n;
}
