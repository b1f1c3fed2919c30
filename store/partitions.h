/*
 * partitions.h -- the monthly partitions of the records table
 * (schema/004_partitions.sql): their upkeep and how they stand.
 */
#ifndef DMARCSTAT_PARTITIONS_H
#define DMARCSTAT_PARTITIONS_H

#include <glib.h>
#include "store/db.h"

/* Months ahead created, rows that went to the default partition moved into
 * their month.  Every writer runs it when it opens the database
 * (migrate_apply), import when it ends, the ingest daemon whenever its
 * queue drains after storing reports.  A failure (a lock not had within
 * five seconds on a busy database) is a warning: it costs partition
 * pruning until the next run, never a report. */
void partitions_maintain (Store *store);

/* One line for `db status`: how many months, the first and last, who keeps
 * them (pg_partman or dmarcstat) and what waits in the default partition;
 * NULL with ERROR unset before migration 004.  (transfer full) */
char *partitions_status (Store *store, GError **error);

#endif
