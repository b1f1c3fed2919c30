/*
 * config.h -- the configuration file (GKeyFile syntax).
 *
 *   [database]  conninfo = postgresql:///dmarcstat?host=/run/postgresql
 *   [ingest]    rescan_seconds = 60
 *   [limits]    see limits.h; each key is a limit name
 *
 * Command-line options win over the file; the file wins over defaults.
 * Unknown groups and keys are warned about (a typo must not pass silently);
 * a value of the wrong type is a usage error that names the file and key.
 */
#ifndef DMARCSTAT_CONFIG_H
#define DMARCSTAT_CONFIG_H

#include <glib.h>
#include "core/limits.h"

typedef struct
{
  char *path;             /* the file read, NULL when none */
  char *db_conninfo;      /* [database] conninfo, NULL when unset */
  guint rescan_seconds;   /* [ingest] periodic rescan of the maildir */
  Limits limits;
  GKeyFile *key_file;     /* owned; other parts read their own groups */
} Config;

/* PATH may be NULL: defaults only.  (transfer full) */
Config *config_load (const char *path, GError **error);
void config_free (Config *config);

/* Reads an unsigned integer key with a default when absent; FALSE with a
 * usage error when present but invalid or outside [min, max]. */
gboolean config_get_uint (const Config *config, const char *group, const char *key,
                          guint64 def, guint64 min, guint64 max,
                          guint64 *value_out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Config, config_free)

#endif
