/*
 * commands.h — the entry point of each command (src/cmd_<name>.c), for the
 * dispatch table in main.c. argv[0] is the command name; command_line is
 * the whole command line as typed, less -t (for provenance).
 */
#ifndef DYADSEQ_COMMANDS_H
#define DYADSEQ_COMMANDS_H

int main_validate(int argc, char **argv, const char *command_line);
int main_analyze(int argc, char **argv, const char *command_line);
int main_export(int argc, char **argv, const char *command_line);
int main_info(int argc, char **argv, const char *command_line);
int main_simulate(int argc, char **argv, const char *command_line);
int main_compare(int argc, char **argv, const char *command_line);
int main_agree(int argc, char **argv, const char *command_line);
int main_power(int argc, char **argv, const char *command_line);
int main_convert(int argc, char **argv, const char *command_line);

#endif
