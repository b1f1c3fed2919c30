/*
 * rollup.h -- keeping the dashboard's rollup tables (003_rollups.sql) in
 * step with the records, in the transaction that stores them.
 */
#ifndef DMARCSTAT_ROLLUP_H
#define DMARCSTAT_ROLLUP_H

#include <glib.h>
#include "store/db.h"

/* The CTEs that add the records of report $1 (a bigint parameter), whose
 * records.report_time is $8 (schema/004_partitions.sql), to the
 * rollups, "rec AS (…), …, rp AS (…)", for a statement that does more in
 * the same round trip (save_report.c); they modify, so a statement made
 * of them runs them all whatever it selects. */
extern const char rollup_add_ctes[];

/* Removes what reports beginning before BEFORE (a timestamptz literal)
 * added, for `db prune`; the count of rollup rows deleted, -1 on error. */
gint64 rollup_prune (Store *store, const char *before, GError **error);

#endif
