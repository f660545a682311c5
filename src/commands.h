/* Entry points of the subcommands, one src/cmd-<name>.c each. */
#ifndef MS_COMMANDS_H
#define MS_COMMANDS_H

#include <stdio.h>

/*
 * Each subcommand provides:
 *   int ms_cmd_NAME(int argc, char **argv);   argv[0] is the subcommand name
 *   void ms_cmd_NAME_help(FILE *out);         full usage, matching doc/mapsleuth.1
 * and gets a row in ms_cli_commands[] in main.c.
 */

int ms_cmd_scan(int argc, char **argv);
void ms_cmd_scan_help(FILE *out);
int ms_cmd_show(int argc, char **argv);
void ms_cmd_show_help(FILE *out);
int ms_cmd_tui(int argc, char **argv);
void ms_cmd_tui_help(FILE *out);

#endif /* MS_COMMANDS_H */
