/*
 * save_report.c -- see save_report.h.
 *
 * Measured on this design's reference machine: COPY stores 100,000 rows in
 * well under a second where one INSERT per row takes several seconds, and
 * a multi-row INSERT would hit the 65,535-parameter limit.  COPY cannot do
 * ON CONFLICT, and does not need to: the report row is new in this
 * transaction, so its records are too.
 */
#include "store/save_report.h"
#include "store/copy_text.h"
#include "store/rollup.h"
#include "store/db_private.h"
#include "core/error.h"

#include <string.h>

#define COPY_CHUNK_BYTES (64 * 1024)

struct _ReportWriter
{
  Store *store;       /* borrowed: outlives the writer */
  char *id;           /* reports.id as text */
  char *report_time;  /* records.report_time, as the server printed it */
  GString *buffer;    /* COPY rows not yet sent */
  guint64 ordinal;    /* records sent so far */
};

static const char copy_sql[] =
  "COPY records (report_id, report_time, ordinal, source_ip, count, disposition, dkim_eval,"
  " spf_eval, reason_types, reason_comments, envelope_to, envelope_from,"
  " header_from, dkim_domains, dkim_selectors, dkim_results, dkim_human_results,"
  " spf_domains, spf_scopes, spf_results, spf_human_results) FROM STDIN";

static const char insert_report_sql[] =
  "INSERT INTO reports (org_name, org_name_norm, report_id, email,"
  " extra_contact_info, generator, begin_time, end_time, errors, xml_schema,"
  " xml_version, xml_namespace, domain, adkim, aspf, p, sp, np, pct, fo,"
  " testing, discovery_method, mail_id, source_file, attachment_name,"
  " entry_name, container)"
  " VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7::bigint), to_timestamp($8::bigint),"
  " $9::text[], $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::integer, $20,"
  " $21, $22, $23::bigint, $24, $25, $26, $27)"
  " ON CONFLICT (org_name, report_id, domain) DO NOTHING"
  /* The records' partition key (schema/004_partitions.sql), printed by the
   * server in the session's DateStyle, which its COPY reads back. */
  " RETURNING id, coalesce(begin_time, '-infinity')";

gboolean
save_input (Store *store, const InputInfo *info, gint64 *id_out, GError **error)
{
  g_autofree char *date = info->date > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, info->date) : NULL;
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, info->size_bytes);
  const char *params[] = { info->sha256, info->path, info->message_id, info->subject,
                           info->from, date, size };
  g_autoptr (PGresult) res = store_query (
      store, "saving mail", PGRES_TUPLES_OK,
      "INSERT INTO mails (sha256, path, message_id, subject, mail_from, mail_date, size_bytes)"
      " VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint), $7::bigint)"
      " ON CONFLICT (sha256) DO UPDATE SET path = excluded.path, last_seen = now()"
      " RETURNING id", 7, params, error);
  if (res == NULL)
    return FALSE;
  *id_out = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return TRUE;
}

static gboolean
save_report_count_duplicate (Store *store, const Report *report, GError **error)
{
  const char *params[] = { report->org_name, report->report_id, report->domain };
  g_autoptr (PGresult) res = store_query (
      store, "counting duplicate", PGRES_COMMAND_OK,
      "UPDATE reports SET duplicates_seen = duplicates_seen + 1"
      " WHERE org_name = $1 AND report_id = $2 AND domain = $3", 3, params, error);
  return res != NULL;
}

ReportWriter *
save_report_begin (Store *store, const Report *report, const ReportOrigin *origin,
                   gboolean *is_duplicate_out, GError **error)
{
  g_autofree char *norm = report_normalize_org (report->org_name);
  g_autofree char *begin = report->has_date_range ? g_strdup_printf ("%" G_GINT64_FORMAT, report->begin) : NULL;
  g_autofree char *end = report->has_date_range ? g_strdup_printf ("%" G_GINT64_FORMAT, report->end) : NULL;
  g_autofree char *errors = copy_text_array_literal (report->errors);
  g_autofree char *pct = report->has_pct ? g_strdup_printf ("%d", report->pct) : NULL;
  g_autofree char *mail_id = origin->input_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, origin->input_id) : NULL;
  const char *params[] = {
    report->org_name, norm, report->report_id, report->email,
    report->extra_contact_info, report->generator, begin, end, errors,
    report_xml_schema (report), report->version, report->xml_namespace,
    report->domain, report->adkim, report->aspf, report->p, report->sp,
    report->np, pct, report->fo, report->testing, report->discovery_method,
    mail_id, origin->source_file, origin->attachment_name, origin->entry_name,
    origin->container,
  };

  *is_duplicate_out = FALSE;
  g_autoptr (PGresult) res = store_query (store, "saving report", PGRES_TUPLES_OK,
                                          insert_report_sql, G_N_ELEMENTS (params),
                                          params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      *is_duplicate_out = TRUE;
      save_report_count_duplicate (store, report, error);
      return NULL;
    }

  g_autoptr (PGresult) copy = store_query (store, "starting COPY of records", PGRES_COPY_IN,
                                           copy_sql, 0, NULL, error);
  if (copy == NULL)
    return NULL;
  ReportWriter *writer = g_new0 (ReportWriter, 1);
  writer->store = store;
  writer->id = g_strdup (PQgetvalue (res, 0, 0));
  writer->report_time = g_strdup (PQgetvalue (res, 0, 1));
  writer->buffer = g_string_sized_new (COPY_CHUNK_BYTES + 4096);
  return writer;
}

static const char *get_reason_type (GPtrArray *a, guint i) { return ((RecordReason *) a->pdata[i])->type; }
static const char *get_reason_comment (GPtrArray *a, guint i) { return ((RecordReason *) a->pdata[i])->comment; }
static const char *get_dkim_domain (GPtrArray *a, guint i) { return ((DkimResult *) a->pdata[i])->domain; }
static const char *get_dkim_selector (GPtrArray *a, guint i) { return ((DkimResult *) a->pdata[i])->selector; }
static const char *get_dkim_result (GPtrArray *a, guint i) { return ((DkimResult *) a->pdata[i])->result; }
static const char *get_dkim_human (GPtrArray *a, guint i) { return ((DkimResult *) a->pdata[i])->human_result; }
static const char *get_spf_domain (GPtrArray *a, guint i) { return ((SpfResult *) a->pdata[i])->domain; }
static const char *get_spf_scope (GPtrArray *a, guint i) { return ((SpfResult *) a->pdata[i])->scope; }
static const char *get_spf_result (GPtrArray *a, guint i) { return ((SpfResult *) a->pdata[i])->result; }
static const char *get_spf_human (GPtrArray *a, guint i) { return ((SpfResult *) a->pdata[i])->human_result; }

static void
save_report_append_row (ReportWriter *writer, const Record *r)
{
  GString *row = writer->buffer;

  g_string_append (row, writer->id);
  g_string_append_c (row, '\t');
  copy_text_append (row, writer->report_time);
  g_string_append_c (row, '\t');
  copy_text_append_int (row, (gint64) ++writer->ordinal);
  const char *texts[] = { r->source_ip, NULL, r->disposition, r->dkim_eval, r->spf_eval };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_string_append_c (row, '\t');
      if (i == 1)
        copy_text_append_int (row, r->count);
      else
        copy_text_append (row, texts[i]);
    }
  struct { GPtrArray *array; CopyTextGetFunc get; const char *text; } cols[] = {
    { r->reasons, get_reason_type, NULL }, { r->reasons, get_reason_comment, NULL },
    { NULL, NULL, r->envelope_to }, { NULL, NULL, r->envelope_from },
    { NULL, NULL, r->header_from },
    { r->dkim, get_dkim_domain, NULL }, { r->dkim, get_dkim_selector, NULL },
    { r->dkim, get_dkim_result, NULL }, { r->dkim, get_dkim_human, NULL },
    { r->spf, get_spf_domain, NULL }, { r->spf, get_spf_scope, NULL },
    { r->spf, get_spf_result, NULL }, { r->spf, get_spf_human, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cols); i++)
    {
      g_string_append_c (row, '\t');
      if (cols[i].get != NULL)
        copy_text_append_array (row, cols[i].array, cols[i].get);
      else
        copy_text_append (row, cols[i].text);
    }
  g_string_append_c (row, '\n');
}

static gboolean
save_report_flush (ReportWriter *writer, GError **error)
{
  if (writer->buffer->len == 0)
    return TRUE;
  if (PQputCopyData (store_pg (writer->store), writer->buffer->str,
                     (int) writer->buffer->len) != 1)
    {
      store_set_error (writer->store, NULL, "sending records", error);
      return FALSE;
    }
  g_string_truncate (writer->buffer, 0);
  return TRUE;
}

gboolean
save_report_records (ReportWriter *writer, GPtrArray *batch, GError **error)
{
  for (guint i = 0; i < batch->len; i++)
    {
      save_report_append_row (writer, g_ptr_array_index (batch, i));
      if (writer->buffer->len >= COPY_CHUNK_BYTES && !save_report_flush (writer, error))
        return FALSE;
    }
  return TRUE;
}

static void
report_writer_free (ReportWriter *writer)
{
  g_free (writer->id);
  g_free (writer->report_time);
  g_string_free (writer->buffer, TRUE);
  g_free (writer);
}

/* Ends COPY (ABORT_REASON NULL: commit the rows) and collects its result. */
static gboolean
save_report_end_copy (ReportWriter *writer, const char *abort_reason, GError **error)
{
  PGconn *conn = store_pg (writer->store);
  gboolean ok = TRUE;

  if (PQputCopyEnd (conn, abort_reason) != 1)
    {
      store_set_error (writer->store, NULL, "ending COPY", error);
      return FALSE;
    }
  PGresult *res;
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (ok && abort_reason == NULL && PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          store_set_error (writer->store, res, "storing records", error);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok;
}

/* The report's totals, its original XML and its rollup rows, in one
 * statement: a small report's mail is a handful of round trips, and this
 * saves two of them. */
static gboolean
save_report_close (ReportWriter *writer, const Report *report, const guint8 *xml,
                   gsize xml_len, guint64 xml_total_bytes, GError **error)
{
  g_autofree char *warnings = copy_text_array_literal (report->warnings);
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, report->n_records);
  g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, report->total_count);
  g_autofree char *xml_bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, xml_total_bytes);
  const char *complete = xml_len == xml_total_bytes ? "t" : "f";
  /* An empty keep (xml_keep_max_bytes = 0) has no buffer: libpq would send
   * a NULL pointer as SQL NULL, so point at an empty value instead. */
  const char *params[] = { writer->id, n, total, warnings,
                           xml != NULL ? (const char *) xml : "", xml_bytes, complete,
                           writer->report_time };
  const int lengths[] = { 0, 0, 0, 0, (int) xml_len, 0, 0, 0 };
  const int formats[] = { 0, 0, 0, 0, 1, 0, 0, 0 };
  /* Prepared once per connection: the statement is long, and planning it
   * for every report cost more than running it for a small one. */
  g_autofree char *sql = g_strconcat (
      "WITH u AS (UPDATE reports SET n_records = $2::bigint, total_count = $3::bigint,"
      " warnings = $4::text[] WHERE id = $1::bigint),"
      " x AS (INSERT INTO report_xml (report_id, xml, xml_bytes, is_complete)"
      " VALUES ($1::bigint, $5::bytea, $6::bigint, $7::boolean)), ",
      rollup_add_ctes, " SELECT 1", NULL);
  if (!store_prepare_once (writer->store, "dmarcstat_report_close", sql, 8, error))
    return FALSE;
  g_autoptr (PGresult) res = PQexecPrepared (store_pg (writer->store), "dmarcstat_report_close",
                                             8, params, lengths, formats, 0);
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      store_set_error (writer->store, res, "storing report totals, XML and rollups", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
save_report_finish (ReportWriter *writer, const Report *report,
                    const guint8 *xml, gsize xml_len, guint64 xml_total_bytes,
                    GError **error)
{
  gboolean ok = save_report_flush (writer, error)
                && save_report_end_copy (writer, NULL, error);
  if (ok)
    {
      ok = save_report_close (writer, report, xml, xml_len, xml_total_bytes, error);
    }
  report_writer_free (writer);
  return ok;
}

void
save_report_abort (ReportWriter *writer)
{
  if (writer == NULL)
    return;
  save_report_end_copy (writer, "report rejected", NULL);
  report_writer_free (writer);
}

gboolean
save_failure (Store *store, const char *sha256, const char *part, const char *path,
              const char *stage, const char *reason, GError **error)
{
  const char *params[] = { sha256, part ? part : "", path, stage, reason };
  g_autoptr (PGresult) res = store_query (
      store, "saving ingest failure", PGRES_COMMAND_OK,
      "INSERT INTO ingest_failures (sha256, part, path, stage, reason)"
      " VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (sha256, part) DO UPDATE SET path = excluded.path,"
      " stage = excluded.stage, reason = excluded.reason,"
      " attempts = ingest_failures.attempts + 1, last_seen = now()",
      5, params, error);
  return res != NULL;
}
