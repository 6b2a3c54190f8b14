/*
 * cmd_convert.c — `dyadseq convert`: the files of coding tools (BORIS,
 * ELAN, SDIS, any CSV export) to the transcript CSV, and transcripts to
 * SDIS for GSEQ (SPEC 2; docs/convert.md). Every input is read by its
 * importer and checked as strictly as `validate` checks a transcript
 * (cli_import.c); the output is written only when nothing is wrong, to a
 * temporary file that is renamed when complete (outfile.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "cli.h"
#include "export.h"
#include "outfile.h"
#include "text.h"

enum { OPT_TO = DS_OPT_COMMAND, OPT_FORCE };

typedef struct convert_args {
    int sdis;   /* --to sdis */
    int force;  /* --force */
} convert_args_t;

static const struct option own_opts[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"force", no_argument, NULL, OPT_FORCE},
    {NULL, 0, NULL, 0}};

static void own_help(FILE *fp)
{
    fprintf(fp,
            "      --to csv|sdis     write the dyadseq transcript CSV, or "
            "SDIS timed-event\n"
            "                        data with actors for GSEQ [csv]\n"
            "      --force           replace an existing output file "
            "[off]\n");
}

static int own_option(int opt, const char *arg, void *ctx)
{
    convert_args_t *a = ctx;
    switch (opt) {
    case OPT_TO:
        if (strcmp(arg, "csv") && strcmp(arg, "sdis"))
            return ds_usage_error("convert", "--to is csv or sdis, not "
                                  "'%s'", arg), -1;
        a->sdis = strcmp(arg, "sdis") == 0;
        return 1;
    case OPT_FORCE:
        a->force = 1;
        return 1;
    default:
        return 0;
    }
}

static void epilog(FILE *fp)
{
    fprintf(fp,
"Every input is checked as validate checks a transcript, and each problem\n"
"is reported as FILE:LINE (FILE:/JSON/POINTER for .boris projects): an\n"
"unpaired START/STOP, overlapping states of one actor, an unknown ELAN\n"
"tier, a behaviour not in the codebook, a subject not mapped to an actor.\n"
"On any problem: exit 1 and no output file. Each session's events are\n"
"ordered by onset. Observation periods (start, end) are written where the\n"
"format records them (BORIS: observation interval or media length).\n"
"\n"
"Examples:\n"
"  dyadseq convert --from boris study.boris --id-pattern '^(.*)_(pre|post)$'\n"
"      --subject-actor Anna=A --subject-actor Ben=B --codebook codes.csv\n"
"      -o transcript.csv\n"
"  dyadseq convert c01_pre.eaf --tier-actor Partner1=A --tier-actor\n"
"      Partner2=B -o c01_pre.csv\n"
"  dyadseq convert --from columns --columns session=Observation,actor=\n"
"      Subject,code=Behavior,time=Time,status=Event_Type export.csv -o t.csv\n"
"  dyadseq convert --to sdis transcript.csv -o study.sds\n");
}

static const ds_cmd_spec_t spec = {
    .name = "convert",
    .about = "Convert the files of coding tools (BORIS project and "
             "exports, ELAN, SDIS,\n"
             "         other tools' CSV) to the dyadseq transcript CSV, or "
             "transcripts to\n"
             "         SDIS for GSEQ. Writes standard output without -o.",
    .usage = "[options] [--from FORMAT] INPUT... [-o FILE]",
    .common = DS_COMMON_INPUT | DS_COMMON_OUTPUT | DS_COMMON_IMPORT,
    .own = own_opts,
    .own_help = own_help,
    .own_option = own_option,
    .min_args = 1,
    .epilog = epilog,
};

/* -o must not be one of the inputs (with --force it would be replaced). */
static int output_is_input(const char *out, char *const *inputs, size_t n)
{
    struct stat so, si;
    if (strcmp(out, "-") == 0 || stat(out, &so) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino) {
            ds_msg_error("-o '%s' is one of the inputs; refusing to "
                         "overwrite it", out);
            return 1;
        }
    return 0;
}

static void summary(FILE *fp, const char *out, const ds_cli_import_t *x,
                    int sdis)
{
    const ds_import_study_t *st = x->study;
    ds_import_counts_t n;
    ds_import_study_counts(st, &n);
    size_t couples = 0;
    for (size_t i = 0; i < st->n_s; i++)
        couples += i == 0 || strcmp(st->s[i].couple, st->s[i - 1].couple);
    char ev[32];
    ds_format_count(ev, sizeof ev, n.events);
    fprintf(fp, "wrote %s (%s): %zu observation%s (sessions) of %zu "
            "couple%s, %zu subject%s",
            strcmp(out, "-") ? out : "standard output",
            sdis ? "SDIS" : "transcript", n.sessions,
            n.sessions == 1 ? "" : "s", couples, couples == 1 ? "" : "s",
            n.subjects, n.subjects == 1 ? "" : "s");
    if (st->has_actor) {
        fprintf(fp, " (actors");
        for (size_t a = 0; a < st->n_actors; a++)
            fprintf(fp, "%s%s", a ? ", " : " ", st->actors[a]);
        fprintf(fp, ")");
    }
    fprintf(fp, ", %zu behaviour%s, %s event%s%s\n", n.codes,
            n.codes == 1 ? "" : "s", ev, n.events == 1 ? "" : "s",
            st->has_period ? "; observation periods from the source" : "");
}

int main_convert(int argc, char **argv, const ds_invocation_t *inv)
{
    (void)inv; /* nothing of it is recorded, never started again */
    convert_args_t a = {0};
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    int status = ds_cmd_parse(&spec, argc, argv, &o, &a, &inputs, &n_inputs);
    if (status >= 0)
        return status;
    const char *out = o.output ? o.output : "-";
    ds_cli_import_t x = {0};
    ds_outfile_t f = {0};
    ds_error_t err = {0};
    ds_diag_t diag;
    ds_diag_init(&diag, 50);
    status = DS_EXIT_DATA;
    if (output_is_input(out, inputs, n_inputs))
        goto done;
    if (!a.force && strcmp(out, "-") && ds_outfile_exists(out)) {
        ds_msg_error("'%s' exists; use --force to overwrite it", out);
        goto done;
    }
    /* --to sdis without --from: inputs not named as another format are
     * transcripts */
    if (a.sdis && !o.format && !o.import.columns_given) {
        int other = 0;
        for (size_t i = 0; i < n_inputs; i++)
            other |= ds_importer_for_path(inputs[i]) != NULL;
        if (!other)
            o.format = "transcript";
    }
    if ((status = ds_cli_import(&o, inputs, n_inputs, &x)))
        goto done;
    status = DS_EXIT_DATA;
    if (ds_outfile_open(&f, out, a.force, &err)) {
        ds_msg_error("%s", err.msg);
        goto done;
    }
    int rc;
    if (a.sdis) {
        rc = ds_export_sdis(f.fp, x.study, &diag, &err);
        if (rc == DS_EDATA)
            ds_print_diag(&diag, o.quiet);
    } else {
        rc = ds_export_transcript(f.fp, x.study)
                 ? ds_error_set(&err, DS_EIO, "cannot write '%s': %s", out,
                                strerror(errno))
                 : DS_OK;
    }
    if (rc == DS_OK)
        rc = ds_outfile_commit(&f, &err);
    if (rc) {
        if (rc != DS_EDATA)
            ds_msg_error("%s", err.msg);
        goto done;
    }
    if (!o.quiet)
        summary(strcmp(out, "-") ? stdout : stderr, out, &x, a.sdis);
    status = fflush(stdout) == 0 ? DS_EXIT_OK : DS_EXIT_DATA;
done:
    ds_outfile_discard(&f);
    ds_cli_import_clear(&x);
    ds_diag_clear(&diag);
    ds_common_clear(&o);
    return status;
}
