/*
 * commands.h — the entry point of each command (src/cmd_<name>.c), for the
 * dispatch table in main.c. argv[0] is the command name.
 */
#ifndef DYADSEQ_COMMANDS_H
#define DYADSEQ_COMMANDS_H

int main_validate(int argc, char **argv);
int main_analyze(int argc, char **argv);
int main_export(int argc, char **argv);
int main_info(int argc, char **argv);
int main_simulate(int argc, char **argv);
int main_compare(int argc, char **argv);
int main_agree(int argc, char **argv);
int main_power(int argc, char **argv);
int main_convert(int argc, char **argv);

#endif
