/*
 * rollup.h -- keeping the dashboard's rollup tables (003_rollups.sql) in
 * step with the records, in the transaction that stores them.
 */
#ifndef DMARCSTAT_ROLLUP_H
#define DMARCSTAT_ROLLUP_H

#include <glib.h>
#include "store/db.h"

/* Adds the records of the report REPORT_ID (reports.id as text) to the
 * rollups: one statement, one round trip. */
gboolean rollup_add_report (Store *store, const char *report_id, GError **error);

/* Removes what reports beginning before BEFORE (a timestamptz literal)
 * added, for `db prune`; the count of rollup rows deleted, -1 on error. */
gint64 rollup_prune (Store *store, const char *before, GError **error);

#endif
