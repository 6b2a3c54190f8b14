/*
 * cli_sim.c — simulate's model on the command line, for `simulate` and
 * `power` (see cli_sim.h; the model itself is simulate.c and
 * docs/simulate.md).
 */
#include "cli_sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void ds_cli_sim_init(ds_cli_sim_t *m)
{
    memset(m, 0, sizeof *m);
    ds_sim_params_init(&m->par);
    m->groups = DS_CLI_SIM_GROUPS;
    m->sessions = DS_CLI_SIM_SESSIONS;
}

/* "0.5:0.3" or "0.5" (both) into v[2]; 0 or -1. */
static int parse_prepost(const char *s, double v[2])
{
    char buf[64];
    const char *colon = strchr(s, ':');
    if (!colon)
        return ds_parse_double(s, &v[0]) ? -1 : (v[1] = v[0], 0);
    size_t len = (size_t)(colon - s);
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return ds_parse_double(buf, &v[0]) || ds_parse_double(colon + 1, &v[1])
               ? -1
               : 0;
}

int ds_cli_sim_option(ds_cli_sim_t *m, const char *cmd, int opt,
                      const char *arg)
{
    ds_sim_params_t *p = &m->par;
    double *pp = NULL, *pos = NULL;
    const char *name = NULL;
    switch (opt) {
    case DS_OPT_SIM_SESSIONS: m->sessions = arg; return 1;
    case DS_OPT_SIM_MODEL: m->model = arg; return 1;
    case DS_OPT_SIM_GROUPS: m->groups = arg, name = "--groups"; break;
    case DS_OPT_SIM_WITHDRAW: pp = p->withdraw, name = "--withdraw"; break;
    case DS_OPT_SIM_CONTINUE: pp = p->continuation, name = "--continue"; break;
    case DS_OPT_SIM_SOFTEN: pp = p->soften, name = "--soften"; break;
    case DS_OPT_SIM_RECIPROCATE:
        pp = p->reciprocate, name = "--reciprocate";
        break;
    case DS_OPT_SIM_ANSWER_SD: pos = &p->answer_sd, name = "--answer-sd"; break;
    case DS_OPT_SIM_ANSWER_GAIN:
        pos = &p->answer_gain, name = "--answer-gain";
        break;
    case DS_OPT_SIM_THERAPY: {
        double v[2];
        if (parse_prepost(arg, v) || !strchr(arg, ':'))
            return ds_usage_error(cmd, "--therapy takes MEAN:SD, not '%s'",
                                  arg), -1;
        p->therapy_mean = v[0];
        p->therapy_sd = v[1];
        name = "--therapy";
        break;
    }
    case DS_OPT_SIM_GAP_MEAN: pos = &p->gap_mean, name = "--gap-mean"; break;
    case DS_OPT_SIM_GAP_SHAPE: pos = &p->gap_shape, name = "--gap-shape"; break;
    case DS_OPT_SIM_LATENCY_MEAN:
        if (parse_prepost(arg, p->latency_mean))
            return ds_usage_error(cmd, "--latency-mean takes PRE:POST or one "
                                  "number of seconds, not '%s'", arg), -1;
        return 1;
    case DS_OPT_SIM_LATENCY_SHAPE:
        pos = &p->latency_shape, name = "--latency-shape";
        break;
    case DS_OPT_SIM_DURATION_MEAN:
        pos = &p->duration_mean, name = "--duration-mean";
        break;
    case DS_OPT_SIM_DURATION_SHAPE:
        pos = &p->duration_shape, name = "--duration-shape";
        break;
    default:
        return 0;
    }
    if (pp && parse_prepost(arg, pp))
        return ds_usage_error(cmd, "%s takes PRE:POST or one probability, "
                              "not '%s'", name, arg), -1;
    if (pos && ds_parse_double(arg, pos))
        return ds_usage_error(cmd, "%s takes a number, not '%s'", name, arg),
               -1;
    /* the options only the built-in model has (not its timing) */
    int builtin = pp || opt == DS_OPT_SIM_ANSWER_SD ||
                  opt == DS_OPT_SIM_ANSWER_GAIN ||
                  opt == DS_OPT_SIM_THERAPY || opt == DS_OPT_SIM_GROUPS;
    if (builtin && !m->builtin_opt)
        m->builtin_opt = name;
    return 1;
}

int ds_cli_sim_check_model(const ds_cli_sim_t *m, const char *cmd)
{
    if (m->model && m->builtin_opt)
        return ds_usage_error(cmd, "%s sets the built-in model; with "
                              "--model the matrix decides", m->builtin_opt);
    return DS_EXIT_OK;
}

void ds_cli_sim_help(FILE *fp)
{
    fputs(
"  Built-in model (P is PRE:POST, or one value for both)\n"
"      --withdraw P        partner withdraws after a pursue [0.45:0.25]\n"
"      --continue P        partner pursues again after a withdraw: the cycle\n"
"                          goes on [0.55:0.25]\n"
"      --soften P          partner softens after a withdraw [0.05:0.25]\n"
"      --reciprocate P     partner softens after a soften [0.10:0.30]\n"
"      --answer-sd S       SD of the couples' answer rates around their\n"
"                          group's (Beta); 0 = all equal [0.05]\n"
"      --answer-gain G     change of a couple's answer rate from the first\n"
"                          to the last session, times its --therapy share,\n"
"                          clamped to [0, 1] [0]\n"
"      --therapy M:S       share of the pre-to-post change each couple\n"
"                          reaches: Beta with mean M and SD S; 1:0 = every\n"
"                          couple reaches the post values [1:0]\n"
"      Fixed: a bid is answered by the partner's response, or else turned\n"
"      away (the partner withdraws, 60%) or against (pursues, 40%). The rest\n"
"      of each row goes to a background: the partner acts next 60%; roles\n"
"      pursue/withdraw/soften/bid weighted .30/.25/.05/.40 pre and post; the\n"
"      couple's pursuer (A or B, drawn per couple) with pursue x1.3 and\n"
"      withdraw x0.7, the other partner the reverse; no state follows\n"
"      itself. --print-model shows the resulting matrices.\n"
"  Timing (gamma distributions: mean in seconds, shape)\n"
"      --gap-mean S        gap before an event [2.5]\n"
"      --gap-shape K       [2]\n"
"      --latency-mean S    gap from a bid to the partner's response; PRE:POST\n"
"                          or one value for both, interpolated as P [1.5]\n"
"      --latency-shape K   [4]\n"
"      --duration-mean S   duration, cut at the next onset [2.0]\n"
"      --duration-shape K  [2]\n",
          fp);
}

void ds_cli_sim_help_brief(FILE *fp)
{
    fputs(
"  The planted effect: simulate's built-in model (docs/simulate.md;\n"
"  P is PRE:POST, or one value for both)\n"
"      --groups LIST       NAME:RATE,... groups and their mean answer\n"
"                          probability [" DS_CLI_SIM_GROUPS "]\n"
"      --withdraw P        partner withdraws after a pursue [0.45:0.25]\n"
"      --continue P        partner pursues again after a withdraw\n"
"                          [0.55:0.25]\n"
"      --soften P          partner softens after a withdraw [0.05:0.25]\n"
"      --reciprocate P     partner softens after a soften [0.10:0.30]\n"
"      --answer-sd S       SD of the couples' answer rates (Beta) [0.05]\n"
"      --answer-gain G     change of a couple's answer rate from pre to\n"
"                          post, times its --therapy share [0]\n"
"      --therapy M:S       share of the pre-to-post change each couple\n"
"                          reaches: Beta with mean M and SD S [1:0]\n"
"      --gap-mean S, --gap-shape K            gamma gaps [2.5, 2]\n"
"      --latency-mean S, --latency-shape K    gamma answer latencies; the\n"
"                          mean PRE:POST or one value [1.5, 4]\n"
"      --duration-mean S, --duration-shape K  gamma durations [2.0, 2]\n"
"      --model FILE[:FILE] transition matrix CSV (from,to,p) for every\n"
"                          session, or one for the pre and one for the post\n"
"                          sessions, instead of the built-in model [off]\n"
"      --codebook FILE     codes [built-in codebook]\n"
"      --actors LIST       the partners [A,B]\n",
          fp);
}

/* A group name is used in couple ids and file names: [A-Za-z0-9_.-],
 * starting with a letter or digit. */
static int valid_group_name(const char *s, size_t len)
{
    if (len == 0 || len > DS_CLI_SIM_MAX_GROUP_NAME)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '-' && c != '.')))
            return 0;
    }
    return 1;
}

/* Group i of --groups (items[i]) into g[i]: DS_EXIT_OK or DS_EXIT_USAGE
 * after the message. */
static int parse_group(const char *cmd, char *const *items, size_t i,
                       double answer_sd, ds_cli_sim_group_t *g)
{
    char *colon = strrchr(items[i], ':');
    size_t len = colon ? (size_t)(colon - items[i]) : 0;
    if (!colon || !valid_group_name(items[i], len) ||
        ds_parse_double(colon + 1, &g[i].rate) || g[i].rate < 0 ||
        g[i].rate > 1)
        return ds_usage_error(cmd, "--groups: '%s' is not NAME:RATE (NAME "
                              "of at most %d letters, digits, '_', '-' or "
                              "'.'; RATE a probability)",
                              items[i], DS_CLI_SIM_MAX_GROUP_NAME);
    memcpy(g[i].name, items[i], len);
    g[i].name[len] = '\0';
    for (size_t j = 0; j < i; j++)
        if (strcmp(g[i].name, g[j].name) == 0)
            return ds_usage_error(cmd, "--groups: '%s' is given twice",
                                  g[i].name);
    double r = g[i].rate;
    if (r > 0 && r < 1 && answer_sd > 0 &&
        answer_sd * answer_sd >= r * (1 - r))
        return ds_usage_error(cmd, "--answer-sd %g is too large for group "
                              "'%s' with rate %g (it must be below "
                              "sqrt(rate (1 - rate)) = %.3g)",
                              answer_sd, g[i].name, r, sqrt(r * (1 - r)));
    return DS_EXIT_OK;
}

int ds_cli_sim_groups(const char *cmd, const char *list, double answer_sd,
                      ds_cli_sim_group_t **out, size_t *n_out)
{
    char **items = NULL;
    size_t n = 0;
    ds_cli_sim_group_t *g = NULL;
    int status = DS_EXIT_OK;
    if (ds_split_list(list, &items, &n) || !(g = calloc(n, sizeof *g))) {
        ds_msg_error("out of memory");
        status = DS_EXIT_DATA;
    }
    for (size_t i = 0; i < n && status == DS_EXIT_OK; i++)
        status = parse_group(cmd, items, i, answer_sd, g);
    ds_free_list(items, n);
    if (status) {
        free(g);
        return status;
    }
    *out = g;
    *n_out = n;
    return DS_EXIT_OK;
}

int ds_cli_sim_sessions(const char *cmd, const char *list, char ***labels,
                        size_t *n)
{
    if (ds_split_list(list, labels, n)) {
        ds_msg_error("out of memory");
        return DS_EXIT_DATA;
    }
    for (size_t i = 0; i < *n; i++) {
        const char *l = (*labels)[i];
        if (!*l || ds_utf8_invalid_at(l, strlen(l)) < strlen(l))
            return ds_usage_error(cmd, "--sessions: labels must be "
                                  "non-empty UTF-8 text");
        for (size_t j = 0; j < i; j++)
            if (strcmp(l, (*labels)[j]) == 0)
                return ds_usage_error(cmd, "--sessions: '%s' is given "
                                      "twice", l);
    }
    return DS_EXIT_OK;
}

int ds_cli_sim_space(const ds_common_opts_t *o, ds_corpus_t **out)
{
    ds_diag_t diag;
    ds_error_t err = {0};
    ds_codebook_t *cb = NULL;
    char **actors = NULL;
    size_t n_actors = 0;
    int status = DS_EXIT_DATA, rc;
    ds_diag_init(&diag, 50);
    if (ds_split_list(o->actors, &actors, &n_actors))
        goto oom;
    if (ds_check_actors(actors, n_actors)) {
        status = DS_EXIT_USAGE;
        goto done;
    }
    if (o->codebook) {
        rc = ds_codebook_load(o->codebook, &cb, &diag, &err);
        if (rc == DS_EDATA)
            ds_print_diag(&diag, o->quiet);
        else if (rc)
            ds_msg_error("%s", err.msg);
        if (rc)
            goto done;
    } else if (!(cb = ds_codebook_alloc_default())) {
        goto oom;
    }
    if (n_actors * cb->n > DS_SIM_MAX_STATES) {
        ds_msg_error("%zu actors x %zu codes are too many states to "
                     "simulate (at most %d)", n_actors, cb->n,
                     DS_SIM_MAX_STATES);
        goto done;
    }
    if (!(*out = ds_corpus_alloc(cb, (const char *const *)actors, n_actors,
                                 1)))
        goto oom;
    status = DS_EXIT_OK;
    goto done;
oom:
    ds_msg_error("out of memory");
done:
    ds_codebook_free(cb);
    ds_free_list(actors, n_actors);
    ds_diag_clear(&diag);
    return status;
}

int ds_cli_sim_load_model(const char *path, const ds_corpus_t *space,
                          int quiet, ds_sim_chain_t **out)
{
    ds_diag_t diag;
    ds_error_t err = {0};
    ds_diag_init(&diag, 50);
    int rc = ds_sim_model_load(path, space, out, &diag, &err);
    if (rc == DS_EDATA)
        ds_print_diag(&diag, quiet);
    else if (rc)
        ds_msg_error("%s", err.msg);
    ds_diag_clear(&diag);
    if (rc)
        return rc == DS_EUSAGE ? DS_EXIT_USAGE : DS_EXIT_DATA;
    if (ds_sim_chain_prepare(*out, &err)) {
        ds_msg_error("%s: %s", path, err.msg);
        return DS_EXIT_DATA;
    }
    return DS_EXIT_OK;
}
