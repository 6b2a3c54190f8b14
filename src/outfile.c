/*
 * outfile.c — write to a temporary file, then rename (see outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

int ds_outfile_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int ds_outfile_open(ds_outfile_t *f, const char *path, int force,
                    ds_error_t *err)
{
    memset(f, 0, sizeof *f);
    f->force = force;
    if (!(f->path = ds_strdup(path)))
        return ds_error_set(err, DS_ENOMEM, "out of memory");
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        return DS_OK;
    }
    struct stat st;
    int rc;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = ds_error_set(err, DS_EIO, "'%s' is a directory", path);
        goto fail;
    }
    if (!force && ds_outfile_exists(path)) {
        rc = ds_error_set(err, DS_EIO, "'%s' exists; use --force to "
                          "overwrite it", path);
        goto fail;
    }
    size_t len = strlen(path) + sizeof ".tmp.XXXXXX";
    if (!(f->tmp = malloc(len))) {
        rc = ds_error_set(err, DS_ENOMEM, "out of memory");
        goto fail;
    }
    snprintf(f->tmp, len, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        rc = ds_error_set(err, DS_EIO, "cannot create a file next to '%s': "
                          "%s", path, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        goto fail;
    }
    /* mkstemp makes 0600; give the file the usual 0666 & ~umask */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(f->fp = fdopen(fd, "wb"))) {
        rc = ds_error_set(err, DS_EIO, "cannot write '%s': %s", f->tmp,
                          strerror(errno));
        close(fd);
        goto fail;
    }
    return DS_OK;
fail:
    ds_outfile_discard(f);
    return rc;
}

int ds_outfile_close(ds_outfile_t *f, ds_error_t *err)
{
    if (!f->fp)
        return DS_OK;
    FILE *fp = f->fp;
    f->fp = NULL;
    if (!f->tmp) {
        if (fflush(fp) != 0 || ferror(fp))
            return ds_error_set(err, DS_EIO, "cannot write to standard "
                                "output: %s", strerror(errno));
        return DS_OK;
    }
    int bad = fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0;
    int saved = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        ds_error_set(err, DS_EIO, "cannot write '%s': %s", f->path,
                     strerror(saved));
        ds_outfile_discard(f);
        return DS_EIO;
    }
    return DS_OK;
}

int ds_outfile_publish(ds_outfile_t *f, ds_error_t *err)
{
    int rc = DS_OK;
    if (f->tmp) {
        if (f->force) {
            if (rename(f->tmp, f->path) != 0)
                rc = ds_error_set(err, DS_EIO, "cannot rename '%s' to "
                                  "'%s': %s", f->tmp, f->path,
                                  strerror(errno));
        } else if (link(f->tmp, f->path) != 0) {
            if (errno == EEXIST || ds_outfile_exists(f->path))
                rc = ds_error_set(err, DS_EIO, "'%s' exists; use --force "
                                  "to overwrite it", f->path);
            else if (rename(f->tmp, f->path) != 0) /* no hard links here */
                rc = ds_error_set(err, DS_EIO, "cannot create '%s': %s",
                                  f->path, strerror(errno));
        }
        if (rc == DS_OK)
            unlink(f->tmp); /* the link's old name; gone after a rename */
    }
    ds_outfile_discard(f);
    return rc;
}

int ds_outfile_commit(ds_outfile_t *f, ds_error_t *err)
{
    int rc = ds_outfile_close(f, err);
    return rc ? rc : ds_outfile_publish(f, err);
}

void ds_outfile_discard(ds_outfile_t *f)
{
    if (f->fp && f->fp != stdout)
        fclose(f->fp);
    f->fp = NULL;
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    f->tmp = NULL;
    f->path = NULL;
}
