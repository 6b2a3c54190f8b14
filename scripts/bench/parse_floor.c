/*
 * parse_floor.c — the parse-only floor of `make bench` (issue #7, figure 1).
 *
 * Reads the given CSV files with libcsv exactly as dyadseq's reader sets
 * the parser up (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL, 1 MiB
 * fread chunks) but with callbacks that only count fields and rows: no
 * copying, no validation, no events. No CSV-reading analyzer built on
 * libcsv can be faster than this, so analyze's throughput is judged as a
 * fraction of it.
 *
 *   parse_floor INPUT...      (a CSV file, or a directory: its *.csv)
 *   -> files F rows R fields N bytes B seconds S
 *
 * rows counts every row, headers included (events = rows - files for
 * transcripts with one header row each). seconds is the wall time of
 * opening, reading and parsing all files, without process start-up.
 */
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CHUNK (1u << 20)

typedef struct counts {
    size_t fields, rows;
} counts_t;

static void on_field(void *data, size_t len, void *vc)
{
    (void)data;
    (void)len;
    ((counts_t *)vc)->fields++;
}

static void on_row(int term, void *vc)
{
    (void)term;
    ((counts_t *)vc)->rows++;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Parse one file into c with a parser of its own, as ds_csv_read() does;
 * returns the bytes read, or -1 after printing why. */
static long long parse_file(const char *name, unsigned char *buf, counts_t *c)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        fprintf(stderr, "parse_floor: out of memory\n");
        return -1;
    }
    FILE *fp = fopen(name, "rb");
    if (!fp) {
        fprintf(stderr, "parse_floor: %s: %s\n", name, strerror(errno));
        csv_free(&p);
        return -1;
    }
    long long bytes = 0;
    size_t len;
    while ((len = fread(buf, 1, CHUNK, fp)) > 0) {
        bytes += (long long)len;
        if (csv_parse(&p, buf, len, on_field, on_row, c) != len)
            goto bad_csv;
    }
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        fprintf(stderr, "parse_floor: %s: read error\n", name);
        csv_free(&p);
        return -1;
    }
    fp = NULL;
    if (csv_fini(&p, on_field, on_row, c) != 0)
        goto bad_csv;
    csv_free(&p);
    return bytes;
bad_csv:
    fprintf(stderr, "parse_floor: %s: %s\n", name,
            csv_strerror(csv_error(&p)));
    if (fp)
        fclose(fp);
    csv_free(&p);
    return -1;
}

/* Parse one input as dyadseq takes it: a file, or every *.csv in a
 * directory (order does not matter for counting). Returns the bytes read,
 * or -1; *n_files grows by the files parsed. */
static long long parse_input(const char *name, unsigned char *buf,
                             counts_t *c, int *n_files)
{
    struct stat st;
    if (stat(name, &st) != 0 || !S_ISDIR(st.st_mode)) {
        ++*n_files;
        return parse_file(name, buf, c);
    }
    DIR *d = opendir(name);
    if (!d) {
        fprintf(stderr, "parse_floor: %s: %s\n", name, strerror(errno));
        return -1;
    }
    long long bytes = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", name, e->d_name) >=
            (int)sizeof path) {
            fprintf(stderr, "parse_floor: %s/%s: path too long\n", name,
                    e->d_name);
            bytes = -1;
            break;
        }
        ++*n_files;
        long long b = parse_file(path, buf, c);
        if (b < 0) {
            bytes = -1;
            break;
        }
        bytes += b;
    }
    closedir(d);
    return bytes;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: parse_floor INPUT...\n");
        return 2;
    }
    unsigned char *buf = malloc(CHUNK);
    if (!buf) {
        fprintf(stderr, "parse_floor: out of memory\n");
        return 1;
    }
    counts_t c = {0, 0};
    long long bytes = 0;
    int n_files = 0;
    double t0 = now();
    for (int i = 1; i < argc; i++) {
        long long b = parse_input(argv[i], buf, &c, &n_files);
        if (b < 0) {
            free(buf);
            return 1;
        }
        bytes += b;
    }
    double secs = now() - t0;
    free(buf);
    printf("files %d rows %zu fields %zu bytes %lld seconds %.6f\n", n_files,
           c.rows, c.fields, bytes, secs);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
