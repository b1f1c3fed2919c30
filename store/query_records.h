/*
 * query_records.h -- record-level export rows, one record per row, streamed.
 *
 * A RecordCursor BEGINs a READ ONLY transaction, DECLAREs a NO SCROLL
 * cursor and FETCHes it 1000 rows at a time, so memory is one batch
 * whatever the number of records.  While it is open, the Store runs nothing
 * else.  A client that goes away costs one ROLLBACK (query_records_close).
 *
 * Columns: parsedmarc's aggregate CSV columns in parsedmarc's order, so
 * existing audit scripts keep working, then ours.  Values are computed in
 * SQL and follow parsedmarc's spelling:
 *
 *   begin_date, end_date   the report's date range, UTC, "YYYY-MM-DDTHH:MM:SSZ"
 *                          (ISO 8601; parsedmarc writes "YYYY-MM-DD HH:MM:SS")
 *   normalized_timespan    "True" when the range is longer than 86400 s
 *                          (parsedmarc's default 24 h threshold), else "False"
 *   spf_aligned            "True" when policy_evaluated/spf is pass, else "False";
 *   dkim_aligned           likewise for dkim; dmarc_aligned: either of them
 *   errors                 joined with "|"
 *   policy_override_reasons   types joined with ","
 *   policy_override_comments  comments joined with "|" (comments are free text)
 *   dkim_*, spf_*          joined with ",", lower-cased, as parsedmarc does
 *   source_country, source_reverse_dns, source_base_domain, source_name,
 *   source_type            from source_identity (the background resolver):
 *                          country code, PTR name (the forward-confirmed one
 *                          first), its registrable domain, and the known
 *                          sender's name and kind; NULL until resolved
 *   source_asn, source_as_name, source_as_domain   NULL (no AS data source)
 *   dkim_human_results, spf_human_results, report_warnings   joined with "|"
 * A NULL inside any list is written "none", as parsedmarc does.  An absent
 * value is NULL (an empty CSV field, a JSON null).
 *
 * Errors: STORE_* from db.h's classification.
 */
#ifndef DMARCSTAT_QUERY_RECORDS_H
#define DMARCSTAT_QUERY_RECORDS_H

#include <glib.h>
#include "store/db.h"

typedef struct
{
  const char *domain;   /* NULL: every domain; compared case-insensitively */
  gboolean has_since;
  gboolean has_until;
  gint64 since;         /* seconds since the epoch: begin_time >= since */
  gint64 until;         /* begin_time < until (exclusive) */
} QueryFilter;
/* A report without a date range matches only a filter without since/until. */

typedef enum
{
  QUERY_COLUMN_TEXT,
  QUERY_COLUMN_NUMBER,   /* decimal integer text */
  QUERY_COLUMN_BOOL,     /* "True" or "False" */
} QueryColumnKind;

#define QUERY_RECORDS_N_COLUMNS 51
extern const char *const query_records_columns[QUERY_RECORDS_N_COLUMNS];
extern const QueryColumnKind query_records_column_kinds[QUERY_RECORDS_N_COLUMNS];

typedef struct _RecordCursor RecordCursor;

/* STORE must stay open, and run nothing else, until query_records_close.
 * FILTER is read during the call only.  (transfer full) */
RecordCursor *query_records_open (Store *store, const QueryFilter *filter,
                                  GError **error);

/* The next row: *VALUES_OUT holds *N_OUT (QUERY_RECORDS_N_COLUMNS) values,
 * NULL for SQL NULL, (transfer none) valid until the next call.  Returns
 * FALSE at the end (ERROR unset) or on failure (ERROR set). */
gboolean query_records_next (RecordCursor *cursor, const char *const **values_out,
                             gsize *n_out, GError **error);

/* Ends the transaction (ROLLBACK: nothing was written).  Accepts NULL. */
void query_records_close (RecordCursor *cursor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RecordCursor, query_records_close)

#endif
