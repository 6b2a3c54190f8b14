/*
 * faultinject.c — an LD_PRELOAD shim for the allocation-failure loop
 * (issue 18 #9, #5; SQLite's malloc tests are the model). Loaded only by
 * tests/fault/; nothing in build/dyadseq knows of it.
 *
 * Environment:
 *   DYADSEQ_FAIL_ALLOC=N   the N-th allocation after main() starts fails
 *                          (malloc, calloc, realloc, memalign and friends
 *                          return NULL with errno ENOMEM), in any thread
 *                          and any library (HDF5, GSL, libgomp, libc)
 *   DYADSEQ_FAIL_MIN=BYTES only allocations of at least BYTES are counted
 *                          (for N and for DYADSEQ_FAULT_COUNT): a test can
 *                          aim at the few large buffers of one code path
 *                          while other threads make small allocations in
 *                          an order that varies from run to run
 *   DYADSEQ_FAIL_THREAD=N  the N-th pthread_create fails with EAGAIN
 *   DYADSEQ_FAULT_COUNT=FILE
 *                          at exit, write "ALLOCATIONS THREADS" counted
 *                          after main() started, to find the range of N
 *
 * Counting starts when main() is entered (the shim wraps
 * __libc_start_main), so the dynamic loader's and libraries' start-up
 * allocations are not counted; a single allocation fails, the next ones
 * succeed again (a "transient" failure, as SQLite's benign mode).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong n_alloc, n_thread;
static unsigned long fail_alloc, fail_thread, fail_min;
static atomic_int active;

static unsigned long env_count(const char *name)
{
    const char *v = getenv(name);
    return v ? strtoul(v, NULL, 10) : 0;
}

static int fail_now(size_t size)
{
    if (!atomic_load_explicit(&active, memory_order_relaxed) ||
        size < fail_min)
        return 0;
    unsigned long n = atomic_fetch_add(&n_alloc, 1) + 1;
    if (n == fail_alloc) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    return fail_now(n) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fail_now(size && n > (size_t)-1 / size ? (size_t)-1 : n * size)
               ? NULL
               : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (p && n == 0)
        return __libc_realloc(p, n); /* a free */
    return fail_now(n) ? NULL : __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n * size);
}

void *memalign(size_t align, size_t n)
{
    return fail_now(n) ? NULL : __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (fail_now(n))
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

void *pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return memalign(page, (n + page - 1) / page * page);
}

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *,
                         void *(*)(void *), void *);

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
                   void *(*start)(void *), void *arg)
{
    static create_fn real;
    if (!real)
        real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
    if (atomic_load(&active) &&
        atomic_fetch_add(&n_thread, 1) + 1 == fail_thread)
        return EAGAIN;
    return real(t, attr, start, arg);
}

/* ---- counting from main() on ---- */

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void),
                        void (*)(void), void (*)(void), void *);
static main_fn real_main;

static int counted_main(int argc, char **argv, char **envp)
{
    fail_alloc = env_count("DYADSEQ_FAIL_ALLOC");
    fail_thread = env_count("DYADSEQ_FAIL_THREAD");
    fail_min = env_count("DYADSEQ_FAIL_MIN");
    atomic_store(&active, 1);
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return real(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("DYADSEQ_FAULT_COUNT");
    atomic_store(&active, 0);
    if (!path)
        return;
    FILE *fp = fopen(path, "w");
    if (fp) {
        fprintf(fp, "%lu %lu\n", atomic_load(&n_alloc),
                atomic_load(&n_thread));
        fclose(fp);
    }
}
