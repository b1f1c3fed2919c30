/*
 * migrate.h -- the numbered SQL migrations in schema/, embedded in the
 * binary, applied in order and recorded in schema_migrations.
 *
 * migrate_apply() takes a transaction-scoped advisory lock, so several
 * daemons or workers starting at once apply each migration exactly once.
 */
#ifndef DMARCSTAT_MIGRATE_H
#define DMARCSTAT_MIGRATE_H

#include <glib.h>
#include "store/db.h"

typedef struct
{
  guint version;
  char *name;         /* file name, "001_init.sql" */
  char *applied_at;   /* NULL when not applied */
} MigrationStatus;

/* Applies every pending migration; *N_APPLIED_OUT (may be NULL) counts them.
 * Then, committed, the record partitions get their upkeep (partitions.h). */
gboolean migrate_apply (Store *store, guint *n_applied_out, GError **error);

/* One MigrationStatus per embedded migration. (transfer full) */
GPtrArray *migrate_status (Store *store, GError **error);

#endif
