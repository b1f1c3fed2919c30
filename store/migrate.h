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

/* Applies every pending migration; *N_APPLIED_OUT (may be NULL) counts them. */
gboolean migrate_apply (Store *store, guint *n_applied_out, GError **error);

/* The record partitions' upkeep (schema/004_partitions.sql): months ahead
 * created, rows in the default partition moved into their month.
 * migrate_apply() runs it; the ingest daemon runs it again whenever its
 * queue drains after storing reports.  A failure is logged as a warning:
 * it costs partition pruning, never a report. */
void migrate_maintain_partitions (Store *store);

/* One line on the record partitions, for `db status`: how many months,
 * the first and last, who keeps them (pg_partman or dmarcstat) and what
 * waits in the default partition; NULL with ERROR unset before migration
 * 004.  (transfer full) */
char *migrate_partition_status (Store *store, GError **error);

/* One MigrationStatus per embedded migration. (transfer full) */
GPtrArray *migrate_status (Store *store, GError **error);

#endif
