/*
 * prune.h -- retention: dropping what is older than a date, and rebuilding
 * the rollups from the records.
 */
#ifndef DMARCSTAT_PRUNE_H
#define DMARCSTAT_PRUNE_H

#include <glib.h>
#include "store/db.h"

typedef struct
{
  gint64 reports;     /* reports (with their records and original XML) */
  gint64 records;
  gint64 rollup_rows;
  gint64 failures;    /* ingest failures last seen before the date */
} PruneCounts;

/* In one transaction: every report whose date range begins before BEFORE
 * (a timestamptz: "2025-01-01" is midnight UTC), with its records and XML,
 * what the rollups hold for them, and the ingest failures last seen before
 * it.  The record partitions of the months that end by BEFORE are dropped
 * whole.  Reports without a date range and the mails table (the log of what
 * was ingested, when and from which file) are kept; a pruned report that
 * is delivered again is stored again. */
gboolean prune_before (Store *store, const char *before, PruneCounts *counts, GError **error);

/* Recomputes the rollups from the records (003_rollups.sql's function). */
gboolean prune_rebuild_rollups (Store *store, GError **error);

#endif
