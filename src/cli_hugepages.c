/*
 * cli_hugepages.c — malloc in transparent huge pages (issue 16).
 *
 * A study's events and per-session tables are tens of megabytes written
 * once, and on Linux each 4 KiB page costs a page fault the first time it
 * is touched: on the 1-million-event benchmark about 21,000 faults, a
 * quarter of a one-thread run on the development machine (a virtual
 * machine, where a fault costs about 9 µs). glibc's malloc can ask the
 * kernel for 2 MiB transparent huge pages for its heaps (the tunable
 * glibc.malloc.hugetlb=1, glibc >= 2.35), which cuts the faults to about
 * 3,000 and the run's CPU time by a fifth. Tunables are read when the
 * program starts, so the only way to set one from inside is to start
 * again: whenever a command has input to read, the command re-executes
 * itself once with the tunable added to GLIBC_TUNABLES, and two more
 * that pay once memory comes in huge pages (the mmap threshold and the
 * heaps' top pad, below). Results do not change: only where malloc gets
 * memory. Starting again costs about 4 ms and pays for the smallest
 * study: the first 2 MiB of HDF5's, the threads' and the analysis's
 * memory alone are some 2,000 faults in 4 KiB pages (the demo's analyze
 * 69 -> 40 ms, 2,274 -> 293 faults; the 393-event O'Connor sequence
 * 25 -> 21 ms; agree on the two demo coders 38 ms either way). Until
 * December 2026 it waited for 16 MiB of input, from when a start cost
 * 22 ms.
 *
 * It starts again with main()'s argv as typed (ds_invocation_t, cli.h).
 * main() does it for analyze, validate and compare, before HDF5 sets
 * itself up and, in the MPI program, before MPI starts, looking at every
 * argument that names a file or directory (each rank alike); other
 * commands when they load their inputs.
 *
 * The restarted process also moves the heap past its first huge-page
 * boundaries (align_heap below): glibc grows the heap in whole huge
 * pages, but from wherever the heap began, so the 2 MiB stretches at its
 * start and around its first end are only partly inside it when first
 * touched, and the kernel fills them in 4 KiB pages: about 800 of the
 * 1,000-1,360 page faults of a one-thread run of the 1-million-event
 * benchmark (9.5 µs each here; 380 faults after the change).
 *
 * Not done: without glibc or Linux, when the kernel's transparent huge
 * pages are off, under valgrind or a sanitizer (they replace malloc),
 * when GLIBC_TUNABLES already names glibc.malloc.hugetlb, with
 * DYADSEQ_HUGEPAGES=0 in the environment, or when no argument names a
 * non-empty file or a directory of *.csv files (help, standard input);
 * DYADSEQ_HUGEPAGES=1 starts again even then (for tests).
 */
#include "cli.h"

#include <dirent.h>
#if defined(__GLIBC__)
#include <malloc.h> /* mallinfo2 */
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

/* bytes of input from which starting again pays: any (see above) */
#define INPUT_THAT_PAYS ((off_t)1)

#if defined(__has_feature) /* clang: its own way of saying so */
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define DS_HAS_ASAN 1
#endif
#endif
#ifndef DS_HAS_ASAN
#define DS_HAS_ASAN 0
#endif

/* A tool that replaces malloc: a sanitizer built in, or valgrind's
 * preloaded allocator. */
int ds_cli_memory_checked(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||     \
    DS_HAS_ASAN
    return 1;
#else
    const char *pre = getenv("LD_PRELOAD");
    return pre && strstr(pre, "vgpreload") != NULL;
#endif
}

#if defined(__GLIBC__) && defined(__linux__)
#define TUNABLE "glibc.malloc.hugetlb=1"
/* and arrays of up to 32 MiB from the heap, in those huge pages, rather
 * than each mmap()ed on its own in 4 KiB pages: malloc's threshold starts
 * at 128 KiB, and only rises when such a block is freed; without it the
 * one-thread run of the 1-million-event benchmark took 10,000 faults,
 * with it 1,400 (docs/performance.md) */
#define TUNABLE_MMAP "glibc.malloc.mmap_threshold=33554432"
/* and each heap grown 16 MiB at a time beyond the request, not 128 KiB:
 * a thread's arena grows by mprotect(), which takes the process's memory
 * map lock that the other threads' page faults need; at two threads the
 * 1-million-event benchmark ran 7% faster (medians), one thread alike, the
 * peak memory the same (untouched padding is not resident) */
#define TUNABLE_TOP_PAD "glibc.malloc.top_pad=16777216"

/* What the restart adds to GLIBC_TUNABLES: each setting unless the user's
 * GLIBC_TUNABLES names it already. */
static const char *const tunables[][2] = {
    {"glibc.malloc.hugetlb", TUNABLE},
    {"glibc.malloc.mmap_threshold", TUNABLE_MMAP},
    {"glibc.malloc.top_pad", TUNABLE_TOP_PAD}};

/* Bytes of a file, or of the *.csv files of a directory, stopping once
 * `enough` is reached. */
static off_t input_bytes(const char *path, off_t enough)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    off_t sum = 0;
    struct dirent *e;
    while (sum < enough && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode))
            sum += st.st_size;
    }
    closedir(d);
    return sum;
}

/* Whether the kernel gives transparent huge pages to a region that asks. */
static int thp_available(void)
{
    FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!fp)
        return 0;
    char line[128] = "";
    int ok = fgets(line, sizeof line, fp) &&
             (strstr(line, "[always]") || strstr(line, "[madvise]"));
    fclose(fp);
    return ok;
}

#if __GLIBC_PREREQ(2, 33) /* mallinfo2 */
/*
 * In the process started again (huge pages on), once, before it
 * allocates much: the rest of malloc's first heap taken by one block
 * that is never used, so that the next allocation grows the heap, and
 * glibc ends the grown heap on a huge-page boundary. From then on every
 * block comes from that growth, whose 2 MiB stretches are all whole in
 * the heap when first touched; the unused block costs address space
 * only (none of its pages is touched but its header's). The block must
 * be the whole top of the heap: a smaller one leaves a remainder whose
 * header, written at once, would fault the stretch around the old end in
 * 4 KiB pages before the heap grows.
 */
static void align_heap(void)
{
    static void *spare;
    if (spare)
        return;
    struct mallinfo2 mi = mallinfo2();
    if (mi.keepcost > ((size_t)1 << 20)) /* the top of the main heap */
        spare = malloc(mi.keepcost - sizeof(size_t));
}
#else
static void align_heap(void) {}
#endif
#endif

void ds_cli_huge_pages(char *const *argv, char *const *inputs,
                       size_t n_inputs)
{
#if defined(__GLIBC__) && defined(__linux__)
    const char *off = getenv("DYADSEQ_HUGEPAGES");
    const char *tun = getenv("GLIBC_TUNABLES");
    if (tun && strstr(tun, TUNABLE) && !ds_cli_memory_checked())
        align_heap();
    if (!argv || (off && strcmp(off, "0") == 0) ||
        (tun && strstr(tun, "glibc.malloc.hugetlb")) || ds_cli_memory_checked())
        return;
    off_t sum = off && strcmp(off, "1") == 0 ? INPUT_THAT_PAYS : 0;
    for (size_t i = 0; i < n_inputs && sum < INPUT_THAT_PAYS; i++)
        sum += input_bytes(inputs[i], INPUT_THAT_PAYS - sum);
    if (sum < INPUT_THAT_PAYS || !thp_available())
        return;
    size_t n_tun = sizeof tunables / sizeof *tunables;
    size_t lt = tun ? strlen(tun) : 0, cap = lt + 1;
    for (size_t i = 0; i < n_tun; i++)
        cap += strlen(tunables[i][1]) + 1;
    char *old = tun ? ds_strdup(tun) : NULL;
    char *val = malloc(cap);
    if (!val || (tun && !old)) {
        free(old);
        free(val);
        return;
    }
    memcpy(val, tun ? tun : "", lt + 1);
    for (size_t i = 0; i < n_tun; i++) {
        if (tun && strstr(tun, tunables[i][0]))
            continue;
        if (lt)
            val[lt++] = ':';
        size_t k = strlen(tunables[i][1]);
        memcpy(val + lt, tunables[i][1], k + 1);
        lt += k;
    }
    if (setenv("GLIBC_TUNABLES", val, 1) == 0) {
        fflush(NULL);
        /* by its own path, so that ps and top still say dyadseq */
        char self[4096];
        ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
        if (k > 0 && (size_t)k < sizeof self - 1) { /* else: truncated */
            self[k] = '\0';
            execv(self, argv);
        }
        execv("/proc/self/exe", argv);
        /* could not: go on as we are, without the tunable */
        if (old)
            setenv("GLIBC_TUNABLES", old, 1);
        else
            unsetenv("GLIBC_TUNABLES");
    }
    free(old);
    free(val);
#else
    (void)argv;
    (void)inputs;
    (void)n_inputs;
#endif
}
