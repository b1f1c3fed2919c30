/*
 * options.h -- what every subcommand shares: --db, --config, -v, and the
 * step from options to a loaded Config and an open database.
 */
#ifndef DMARCSTAT_OPTIONS_H
#define DMARCSTAT_OPTIONS_H

#include <glib.h>
#include "core/config.h"
#include "store/db.h"

typedef struct
{
  char *db;            /* --db CONNINFO */
  char *config_path;   /* --config FILE */
  gboolean verbose;    /* -v */
} CommonOptions;

/* Parses ARGV with ENTRIES plus the common options.  On a usage error,
 * prints it with the command's help hint and returns FALSE (exit 2).
 * PARAMETER is the operand summary ("FILE…"), SUMMARY the help text. */
gboolean options_parse (const char *command, const char *parameter, const char *summary,
                        const GOptionEntry *entries, CommonOptions *common,
                        int *argc, char ***argv);

/* Loads the config file and sets up logging.  Prints and returns NULL on
 * error (exit 2).  (transfer full) */
Config *options_load_config (CommonOptions *common);

/* The connection string: --db, else [database] conninfo, else NULL
 * ($DMARCSTAT_DB, then libpq's PG* variables).  (transfer none) */
const char *options_conninfo (const CommonOptions *common, const Config *config);

/* Opens the database and applies pending migrations when MIGRATE.  Prints
 * and returns NULL on error (the caller exits 3). */
Store *options_open_store (const CommonOptions *common, const Config *config,
                           gboolean migrate);

void options_clear (CommonOptions *common);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, options_clear)

#endif
