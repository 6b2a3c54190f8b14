/*
 * commands.h — the entry point of each command (src/cmd_<name>.c), for the
 * dispatch table in main.c. argv[0] is the command name; inv how the
 * program was started (ds_invocation_t, cli.h: the command line for
 * provenance, argv as typed to start again).
 */
#ifndef DYADSEQ_COMMANDS_H
#define DYADSEQ_COMMANDS_H

#include "cli.h"

int main_validate(int argc, char **argv, const ds_invocation_t *inv);
int main_analyze(int argc, char **argv, const ds_invocation_t *inv);
int main_export(int argc, char **argv, const ds_invocation_t *inv);
int main_info(int argc, char **argv, const ds_invocation_t *inv);
int main_simulate(int argc, char **argv, const ds_invocation_t *inv);
int main_compare(int argc, char **argv, const ds_invocation_t *inv);
int main_agree(int argc, char **argv, const ds_invocation_t *inv);
int main_power(int argc, char **argv, const ds_invocation_t *inv);
int main_convert(int argc, char **argv, const ds_invocation_t *inv);

#endif
