/*
 * commands.h -- one function per subcommand, each in its own cmd_*.c.
 * Each returns the process exit status (EXIT_* in core/error.h).
 */
#ifndef DMARCSTAT_COMMANDS_H
#define DMARCSTAT_COMMANDS_H

int cmd_ingest (int argc, char **argv);
int cmd_ingest_one (int argc, char **argv);
int cmd_import (int argc, char **argv);
int cmd_export (int argc, char **argv);
int cmd_db (int argc, char **argv);
int cmd_advise (int argc, char **argv);
int cmd_serve (int argc, char **argv);
int cmd_check (int argc, char **argv);
int cmd_check_smtp (int argc, char **argv);
int cmd_resolve (int argc, char **argv);

#endif
