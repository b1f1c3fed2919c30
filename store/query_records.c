/*
 * query_records.c -- see query_records.h.
 *
 * One list, RECORD_COLUMNS, gives each column its name, its kind and the
 * SQL that computes it, so names and values cannot drift apart.  The SELECT
 * list is assembled from those constant expressions; the filter's values go
 * in as parameters only.
 *
 * A server-side cursor rather than libpq's single-row mode: a client that
 * stops reading halfway leaves a cursor that one ROLLBACK ends, where
 * single-row mode would leave the connection in the middle of a query.
 */
#include "store/query_records.h"
#include "store/cursor.h"
#include "store/db_private.h"


#define UTC_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define TRUE_FALSE(cond) "CASE WHEN " cond " THEN 'True' ELSE 'False' END"
#define JOIN(col, sep) "array_to_string(" col ", '" sep "', 'none')"
#define JOIN_LOWER(col) "lower(" JOIN (col, ",") ")"
#define IS_PASS(col) "lower(" col ") = 'pass'"

/* X (name, kind, sql): r is reports, c is records. */
#define RECORD_COLUMNS(X) \
  X ("xml_schema", TEXT, "r.xml_schema") \
  X ("org_name", TEXT, "r.org_name") \
  X ("org_email", TEXT, "r.email") \
  X ("org_extra_contact_info", TEXT, "r.extra_contact_info") \
  X ("report_id", TEXT, "r.report_id") \
  X ("begin_date", TEXT, UTC_ISO ("r.begin_time")) \
  X ("end_date", TEXT, UTC_ISO ("r.end_time")) \
  X ("normalized_timespan", BOOL, \
     TRUE_FALSE ("r.end_time - r.begin_time > interval '86400 seconds'")) \
  X ("errors", TEXT, JOIN ("r.errors", "|")) \
  X ("domain", TEXT, "r.domain") \
  X ("adkim", TEXT, "r.adkim") \
  X ("aspf", TEXT, "r.aspf") \
  X ("p", TEXT, "r.p") \
  X ("sp", TEXT, "r.sp") \
  X ("np", TEXT, "r.np") \
  X ("pct", NUMBER, "r.pct") \
  X ("fo", TEXT, "r.fo") \
  X ("testing", TEXT, "r.testing") \
  X ("discovery_method", TEXT, "r.discovery_method") \
  X ("source_ip_address", TEXT, "host(c.source_ip)") \
  X ("source_country", TEXT, "si.country") \
  X ("source_reverse_dns", TEXT, "si.ptr_name") \
  X ("source_base_domain", TEXT, "si.base_domain") \
  X ("source_name", TEXT, "si.sender_name") \
  X ("source_type", TEXT, "si.sender_kind") \
  X ("source_asn", NUMBER, "NULL::bigint") \
  X ("source_as_name", TEXT, "NULL::text") \
  X ("source_as_domain", TEXT, "NULL::text") \
  X ("count", NUMBER, "c.count") \
  X ("spf_aligned", BOOL, TRUE_FALSE (IS_PASS ("c.spf_eval"))) \
  X ("dkim_aligned", BOOL, TRUE_FALSE (IS_PASS ("c.dkim_eval"))) \
  X ("dmarc_aligned", BOOL, \
     TRUE_FALSE (IS_PASS ("c.spf_eval") " OR " IS_PASS ("c.dkim_eval"))) \
  X ("disposition", TEXT, "c.disposition") \
  X ("policy_override_reasons", TEXT, JOIN ("c.reason_types", ",")) \
  X ("policy_override_comments", TEXT, JOIN ("c.reason_comments", "|")) \
  X ("envelope_from", TEXT, "c.envelope_from") \
  X ("header_from", TEXT, "c.header_from") \
  X ("envelope_to", TEXT, "c.envelope_to") \
  X ("dkim_domains", TEXT, JOIN_LOWER ("c.dkim_domains")) \
  X ("dkim_selectors", TEXT, JOIN_LOWER ("c.dkim_selectors")) \
  X ("dkim_results", TEXT, JOIN_LOWER ("c.dkim_results")) \
  X ("spf_domains", TEXT, JOIN_LOWER ("c.spf_domains")) \
  X ("spf_scopes", TEXT, JOIN_LOWER ("c.spf_scopes")) \
  X ("spf_results", TEXT, JOIN_LOWER ("c.spf_results")) \
  X ("org_name_normalized", TEXT, "r.org_name_norm") \
  X ("report_db_id", NUMBER, "r.id") \
  X ("record_ordinal", NUMBER, "c.ordinal") \
  X ("dkim_human_results", TEXT, JOIN ("c.dkim_human_results", "|")) \
  X ("spf_human_results", TEXT, JOIN ("c.spf_human_results", "|")) \
  X ("source_file", TEXT, "r.source_file") \
  X ("report_warnings", TEXT, JOIN ("r.warnings", "|"))

#define COLUMN_NAME(name, kind, sql) name,
#define COLUMN_KIND(name, kind, sql) QUERY_COLUMN_##kind,
#define COLUMN_SQL(name, kind, sql) sql,

const char *const query_records_columns[QUERY_RECORDS_N_COLUMNS] = {
  RECORD_COLUMNS (COLUMN_NAME)
};
const QueryColumnKind query_records_column_kinds[QUERY_RECORDS_N_COLUMNS] = {
  RECORD_COLUMNS (COLUMN_KIND)
};
static const char *const column_sql[] = { RECORD_COLUMNS (COLUMN_SQL) };
G_STATIC_ASSERT (G_N_ELEMENTS (column_sql) == QUERY_RECORDS_N_COLUMNS);

/* $1 domain, $2 since, $3 until: NULL when the filter leaves them out. */
static const char from_sql[] =
  " FROM reports r JOIN records c ON c.report_id = r.id"
  " LEFT JOIN source_identity si ON si.ip = c.source_ip"
  " WHERE ($1::text IS NULL OR lower(r.domain) = lower($1::text))"
  " AND ($2::bigint IS NULL OR r.begin_time >= to_timestamp($2::bigint))"
  " AND ($3::bigint IS NULL OR r.begin_time < to_timestamp($3::bigint))"
  /* The same window on the records' partition key, so that only the
   * months asked for are read (schema/004_partitions.sql). */
  " AND c.report_time = coalesce(r.begin_time, '-infinity')"
  " AND ($2::bigint IS NULL OR c.report_time >= to_timestamp($2::bigint))"
  " AND ($3::bigint IS NULL OR c.report_time < to_timestamp($3::bigint))"
  " ORDER BY r.begin_time, r.id, c.ordinal";

struct _RecordCursor
{
  StoreCursor *cursor;   /* owned */
};

static char *
query_records_select_sql (void)
{
  GString *sql = g_string_new ("SELECT ");

  for (gsize i = 0; i < QUERY_RECORDS_N_COLUMNS; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", column_sql[i]);
  g_string_append (sql, from_sql);
  return g_string_free (sql, FALSE);
}

RecordCursor *
query_records_open (Store *store, const QueryFilter *filter, GError **error)
{
  g_autofree char *sql = query_records_select_sql ();
  g_autofree char *since = filter->has_since ? g_strdup_printf ("%" G_GINT64_FORMAT, filter->since) : NULL;
  g_autofree char *until = filter->has_until ? g_strdup_printf ("%" G_GINT64_FORMAT, filter->until) : NULL;
  const char *params[] = { filter->domain, since, until };
  StoreCursor *cursor = store_cursor_open (store, "reading records", sql, G_N_ELEMENTS (params),
                                           params, QUERY_RECORDS_N_COLUMNS, error);
  if (cursor == NULL)
    return NULL;
  RecordCursor *records = g_new0 (RecordCursor, 1);
  records->cursor = cursor;
  return records;
}

gboolean
query_records_next (RecordCursor *records, const char *const **values_out,
                    gsize *n_out, GError **error)
{
  *n_out = QUERY_RECORDS_N_COLUMNS;
  return store_cursor_next (records->cursor, values_out, error);
}

void
query_records_close (RecordCursor *records)
{
  if (records == NULL)
    return;
  store_cursor_close (records->cursor);
  g_free (records);
}
