/*
 * cmd_validate.c — `dyadseq validate`: check inputs against the schema and
 * codebook, report every problem (SPEC 3), or print a summary of the study.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cli.h"
#include "dyadseq/corpus.h"
#include "text.h"

static const ds_cmd_spec_t spec = {
    .name = "validate",
    .about = "Check transcripts against the schema and the codebook and "
             "report every\n"
             "         problem as FILE:LINE: column 'NAME': message (exit 1), "
             "or print a\n"
             "         summary of the study (exit 0).",
    .usage = "[options] INPUT...",
    .common = DS_COMMON_INPUT | DS_COMMON_IMPORT,
    .min_args = 1,
};

/* Print n with thousands separators. */
static void print_count(size_t n)
{
    char buf[32];
    ds_format_count(buf, sizeof buf, n);
    fputs(buf, stdout);
}

/* A duration in the unit a reader takes in at a glance. */
static void format_duration(char *buf, size_t n, double s)
{
    if (s < 120)
        snprintf(buf, n, "%.1f s", s);
    else if (s < 7200)
        snprintf(buf, n, "%.1f min", s / 60);
    else
        snprintf(buf, n, "%.1f h", s / 3600);
}

/* The summary; -1 when out of memory (nothing printed then: a summary
 * with a line left out would pass for a whole one). */
static int summarize(const ds_corpus_t *c)
{
    size_t *per_code = calloc(c->codebook->n ? c->codebook->n : 1,
                              sizeof *per_code);
    if (!per_code)
        return -1;
    printf("valid: %zu file%s\n", c->n_files, c->n_files == 1 ? "" : "s");
    printf("  couples    %zu\n", ds_corpus_n_couples(c));
    printf("  sessions   %zu (", c->n_sessions);
    for (size_t l = 0; l < c->n_labels; l++) {
        size_t n = 0;
        for (size_t i = 0; i < c->n_sessions; i++)
            n += c->sessions[i].label_index == l;
        printf("%s%s %zu", l ? ", " : "", c->labels[l], n);
    }
    printf(")\n  events     ");
    print_count(c->n_events);
    printf("\n");

    {
        for (size_t i = 0; i < c->n_sessions; i++)
            for (size_t e = 0; e < c->sessions[i].n; e++)
                per_code[c->state_code[c->sessions[i].state[e]]]++;
        size_t used = 0;
        for (size_t j = 0; j < c->codebook->n; j++)
            used += per_code[j] > 0;
        printf("  codes      %zu of %zu used:", used, c->codebook->n);
        for (size_t j = 0; j < c->codebook->n; j++) {
            printf(" %s (", c->codebook->code[j]);
            print_count(per_code[j]);
            putchar(')');
            if (j + 1 < c->codebook->n)
                putchar(',');
        }
        putchar('\n');
        free(per_code);
    }
    if (c->has_actor) {
        printf("  actors    ");
        for (size_t a = 0; a < c->n_actors; a++)
            printf(" %s%s", c->actors[a], a + 1 < c->n_actors ? "," : "");
        printf(" (%zu states)\n", c->n_states);
    } else {
        printf("  actors     none (no actor column: states are codes; "
               "responsiveness and cycles need it)\n");
    }
    if (c->has_time) {
        double total = 0, lo = INFINITY, hi = 0;
        for (size_t i = 0; i < c->n_sessions; i++) {
            double d = ds_session_duration(&c->sessions[i]);
            total += d;
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        char t[32], m[32], l[32], h[32];
        format_duration(t, sizeof t, total);
        format_duration(m, sizeof m, total / (double)c->n_sessions);
        format_duration(l, sizeof l, lo);
        format_duration(h, sizeof h, hi);
        printf("  duration   %s in all; per session mean %s, range %s to "
               "%s%s\n",
               t, m, l, h, c->has_duration ? " (to the last offset)" : "");
    } else {
        printf("  duration   no time column: events ordered by row; "
               "time-based metrics absent\n");
    }
    return 0;
}

int main_validate(int argc, char **argv, const ds_invocation_t *inv)
{
    ds_common_opts_t o;
    char **inputs;
    size_t n_inputs;
    int status = ds_cmd_parse(&spec, argc, argv, &o, NULL, &inputs,
                              &n_inputs);
    if (status >= 0)
        return status;
    o.inv = inv; /* large inputs start again (ds_cli_huge_pages) */
    ds_corpus_t *c;
    status = ds_cli_load_corpus(&o, inputs, n_inputs, &c);
    ds_common_clear(&o);
    if (status)
        return status;
    if (!o.quiet && summarize(c)) {
        ds_corpus_free(c);
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    ds_corpus_free(c);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        ds_msg_error("cannot write to standard output");
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}
