/*
 * Unit tests of outfile.c, the one atomic save: a file appears complete
 * under its name or not at all; a failure before the rename (a discard,
 * the injected fault DYADSEQ_FAULT=outfile_publish) leaves no file and no
 * temporary and an existing file as it was; without force nothing is
 * replaced, not even a file that appears while writing; the temporary is
 * ".NAME.tmp.XXXXXX" beside the output, also for names too long to take
 * the suffix; the directory sync runs (and fails for a directory that is
 * not there); what is written while a thread of the outfile's syncs it
 * (ds_outfile_writeback, from 4 MiB on) is saved whole, and a sync that
 * fails there (DYADSEQ_FAULT=outfile_sync) fails the commit, leaving
 * nothing.
 * tests/results/test_atomic.sh checks with strace that the
 * directory is fsynced after the rename.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "unit.h"

static char dir[256];

static const char *tpath(const char *name)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Entries of dir whose name contains part. */
static int count_files(const char *part)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return n;
}

/* Whether path holds exactly text. */
static int holds(const char *path, const char *text)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    return n == strlen(text) && memcmp(buf, text, n) == 0;
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* Write text through a stream outfile and commit it. */
static int save(const char *path, int force, const char *text,
                ds_error_t *err)
{
    ds_outfile_t f;
    int rc = ds_outfile_open(&f, path, force, err);
    if (rc)
        return rc;
    fputs(text, f.fp);
    return ds_outfile_commit(&f, err);
}

static void test_save(void)
{
    ds_error_t err = {0};
    const char *p = tpath("a.csv");
    ds_outfile_t f;
    CHECK_INT(ds_outfile_open(&f, p, 0, &err), 0, "open");
    const char *slash = strrchr(f.tmp, '/');
    CHECK(slash && (size_t)(slash - f.tmp) == strlen(dir) &&
              strncmp(slash + 1, ".a.csv.tmp.", 11) == 0,
          "the temporary is .NAME.tmp.XXXXXX in the output's directory");
    CHECK(access(p, F_OK) != 0, "nothing under the name while writing");
    fputs("x,y\n1,2\n", f.fp);
    CHECK_INT(ds_outfile_commit(&f, &err), 0, "commit");
    CHECK(holds(p, "x,y\n1,2\n"), "the file is complete under its name");
    CHECK_INT(count_files(".tmp."), 0, "no temporary left");
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask),
          "with the permissions of a new file, not mkstemp's 0600");
    CHECK(f.path == NULL && f.tmp == NULL && f.fp == NULL,
          "commit frees the names");
    ds_outfile_discard(&f); /* harmless after commit */

    CHECK(save(p, 0, "new", &err) == DS_EIO && strstr(err.msg, "exists") &&
              holds(p, "x,y\n1,2\n"),
          "without force an existing file is refused and kept");
    CHECK(save(p, 1, "new", &err) == 0 && holds(p, "new"),
          "with force it is replaced");
}

static void test_failures(void)
{
    ds_error_t err = {0};
    const char *p = tpath("b.csv");
    ds_outfile_t f;
    ds_outfile_open(&f, p, 1, &err);
    fputs("half", f.fp);
    ds_outfile_discard(&f);
    CHECK(access(p, F_OK) != 0 && count_files(".tmp.") == 0,
          "discard before the rename: no file, no temporary");

    setenv("DYADSEQ_FAULT", "outfile_publish", 1);
    int rc = save(p, 1, "half", &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "injected fault") &&
              strstr(err.msg, "b.csv"),
          "a failure just before the rename fails the save");
    CHECK(access(p, F_OK) != 0 && count_files(".tmp.") == 0,
          "... and leaves no file and no temporary");
    put(p, "precious");
    rc = save(p, 1, "replacement", &err);
    unsetenv("DYADSEQ_FAULT");
    CHECK(rc == DS_EIO && holds(p, "precious") && count_files(".tmp.") == 0,
          "... and an existing file as it was");

    /* a file that appears while writing is not replaced without force */
    const char *q = tpath("c.csv");
    ds_outfile_open(&f, q, 0, &err);
    fputs("mine", f.fp);
    put(q, "theirs");
    CHECK(ds_outfile_commit(&f, &err) == DS_EIO &&
              strstr(err.msg, "exists") && holds(q, "theirs") &&
              count_files(".tmp.") == 0,
          "no-clobber holds at the rename (link(2)), temporary removed");

    CHECK(ds_outfile_open(&f, "", 1, &err) == DS_EUSAGE,
          "an empty name is refused");
    CHECK(ds_outfile_open(&f, tpath("d/"), 1, &err) == DS_EUSAGE &&
              strstr(err.msg, "names a directory"),
          "a name ending in '/' is refused");
    CHECK(ds_outfile_open(&f, dir, 1, &err) == DS_EIO &&
              strstr(err.msg, "is a directory"),
          "a directory is refused");
    const char *m = tpath("missing/e.csv");
    CHECK(ds_outfile_open(&f, m, 1, &err) == DS_EIO &&
              strstr(err.msg, "missing/'") && strstr(err.msg, "No such"),
          "a missing directory is named");
}

static void test_fd_and_names(void)
{
    ds_error_t err = {0};
    ds_outfile_t f;
    const char *p = tpath("g.h5");
    CHECK_INT(ds_outfile_open_fd(&f, p, 1, &err), 0, "open_fd");
    CHECK(f.fp == NULL && f.fd >= 0 && f.tmp && access(f.tmp, F_OK) == 0,
          "a descriptor on an existing temporary, no stream");
    int fd = open(f.tmp, O_WRONLY); /* as HDF5 opens it, by name */
    CHECK(fd >= 0 && write(fd, "hdf5", 4) == 4, "written by name");
    if (fd >= 0)
        close(fd);
    CHECK(ds_outfile_commit(&f, &err) == 0 && holds(p, "hdf5"),
          "committed through the descriptor");

    /* "-" is standard output for a stream, a file name for a descriptor */
    CHECK(ds_outfile_open(&f, "-", 0, &err) == 0 && f.fp == stdout &&
              f.tmp == NULL,
          "'-' is standard output");
    CHECK_INT(ds_outfile_commit(&f, &err), 0, "committing it flushes");
    char cwd[512];
    if (getcwd(cwd, sizeof cwd) && chdir(dir) == 0) {
        CHECK(ds_outfile_open_fd(&f, "-", 1, &err) == 0 &&
                  ds_outfile_commit(&f, &err) == 0 && access("-", F_OK) == 0,
              "open_fd makes a file named '-'");
        if (chdir(cwd) != 0)
            CHECK(0, "back to the working directory");
    }

    /* a name too long to take ".tmp.XXXXXX" still gets a temporary */
    char name[251];
    memset(name, 'n', 250);
    name[250] = '\0';
    const char *lp = tpath(name);
    CHECK(save(lp, 1, "long", &err) == 0 && holds(lp, "long"),
          "a 250-byte name is saved (its temporary's name is cut)");
}

/* Write n blocks of 1 MiB by name (as HDF5 does) into f's temporary,
 * block i all 'a' + i % 26, asking for a writeback after each (the thread
 * syncs every 4 MiB); 0 when every write went through. */
#define BLOCK ((size_t)1 << 20)
static int write_synced(ds_outfile_t *f, int n)
{
    static char block[BLOCK];
    int fd = open(f->tmp, O_WRONLY);
    int bad = fd < 0;
    for (int i = 0; i < n && !bad; i++) {
        memset(block, 'a' + i % 26, BLOCK);
        bad = write(fd, block, BLOCK) != (ssize_t)BLOCK;
        ds_outfile_writeback(f);
    }
    if (fd >= 0)
        close(fd);
    return bad;
}

/* Whether path holds what write_synced(n) wrote. */
static int holds_blocks(const char *path, int n)
{
    static char got[BLOCK];
    struct stat st;
    FILE *fp = fopen(path, "rb");
    int same = fp && stat(path, &st) == 0 &&
               st.st_size == (off_t)((size_t)n * BLOCK);
    for (int i = 0; same && i < n; i++) {
        same = fread(got, 1, BLOCK, fp) == BLOCK;
        for (size_t k = 0; same && k < BLOCK; k++)
            same = got[k] == 'a' + i % 26;
    }
    if (fp)
        fclose(fp);
    return same;
}

static void test_background_sync(void)
{
    ds_error_t err = {0};
    ds_outfile_t f;
    const char *p = tpath("synced.h5");
    CHECK_INT(ds_outfile_open_fd(&f, p, 1, &err), 0, "open_fd");
    CHECK(write_synced(&f, 3) == 0 && f.syncer == NULL,
          "3 MiB start no thread");
    CHECK(write_synced(&f, 30) == 0 && f.syncer != NULL,
          "growing it to 30 MiB does: the file is synced meanwhile");
    CHECK(ds_outfile_commit(&f, &err) == 0 && f.syncer == NULL,
          "the commit ends it");
    CHECK(holds_blocks(p, 30), "everything written while it synced is saved");

    /* a sync that fails in the background fails the commit */
    put(p, "old");
    setenv("DYADSEQ_FAULT", "outfile_sync", 1);
    CHECK_INT(ds_outfile_open_fd(&f, p, 1, &err), 0, "open_fd again");
    CHECK(write_synced(&f, 9) == 0, "written");
    int rc = ds_outfile_commit(&f, &err);
    unsetenv("DYADSEQ_FAULT");
    CHECK(rc == DS_EIO && strstr(err.msg, "cannot write '") &&
              strstr(err.msg, "synced.h5': Input/output error"),
          "a failed background sync is reported by the commit");
    CHECK(holds(p, "old") && count_files(".tmp.") == 0,
          "... which leaves the old file and no temporary");

    /* discarding while the thread runs stops it and removes the file */
    CHECK_INT(ds_outfile_open_fd(&f, tpath("dropped.h5"), 1, &err), 0,
              "open_fd a third time");
    CHECK(write_synced(&f, 8) == 0 && f.syncer != NULL, "syncing");
    ds_outfile_discard(&f);
    CHECK(f.syncer == NULL && count_files("dropped.h5") == 0,
          "a discard stops the thread and leaves nothing");
}

static void test_publish_all(void)
{
    ds_error_t err = {0};
    ds_outfile_t f[3];
    const char *names[3] = {tpath("p1.csv"), tpath("p2.csv"),
                            tpath("p3.csv")};
    int ok = 1;
    for (int i = 0; i < 3; i++) {
        ok &= ds_outfile_open(&f[i], names[i], 0, &err) == 0;
        if (ok) {
            fputs("row\n", f[i].fp);
            ok &= ds_outfile_close(&f[i], &err) == 0;
        }
    }
    int absent = 0;
    for (int i = 0; i < 3; i++)
        absent += access(names[i], F_OK) != 0;
    CHECK(ok && count_files(".tmp.") == 3 && absent == 3,
          "three files closed, none published");
    setenv("DYADSEQ_FAULT", "outfile_publish", 1);
    CHECK_INT(ds_outfile_publish_all(f, 3, &err), DS_EIO,
              "a failure before the first rename");
    unsetenv("DYADSEQ_FAULT");
    absent = 0;
    for (int i = 0; i < 3; i++)
        absent += access(names[i], F_OK) != 0;
    CHECK(absent == 3 && count_files(".tmp.") == 0,
          "... publishes none and removes every temporary");
    ok = 1;
    for (int i = 0; i < 3; i++) {
        ok &= ds_outfile_open(&f[i], names[i], 0, &err) == 0;
        if (ok) {
            fputs("row\n", f[i].fp);
            ok &= ds_outfile_close(&f[i], &err) == 0;
        }
    }
    CHECK(ok && ds_outfile_publish_all(f, 3, &err) == 0 &&
              holds(names[0], "row\n") && holds(names[2], "row\n") &&
              count_files(".tmp.") == 0,
          "publish_all gives all three their names");
}

static void test_sync_dir(void)
{
    ds_error_t err = {0};
    CHECK_INT(ds_outfile_sync_dir(tpath("any.csv"), &err), 0,
              "sync the directory of a path");
    CHECK_INT(ds_outfile_sync_dir("bare-name.csv", &err), 0,
              "a bare name: the working directory");
    CHECK_INT(ds_outfile_sync_dir("/top-level-name", &err), 0,
              "a name in '/': the root");
    int rc = ds_outfile_sync_dir(tpath("gone/x.csv"), &err);
    CHECK(rc == DS_EIO && strstr(err.msg, "gone'") &&
              strstr(err.msg, "No such"),
          "a missing directory cannot be synced, and is named");
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/dyadseq-outfile.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("not ok 1 - cannot make a temporary directory\n");
        return 1;
    }
    unsetenv("DYADSEQ_FAULT");
    test_save();
    test_failures();
    test_fd_and_names();
    test_background_sync();
    test_publish_all();
    test_sync_dir();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return UNIT_DONE();
}
