/*
 * query_reports.c -- see query_reports.h.
 *
 * Each list query is one constant SELECT, one constant FROM … WHERE whose
 * filters are all "$n IS NULL OR …" (an absent filter is a NULL parameter),
 * and an ORDER BY taken from a constant table of sortable columns.  The
 * count for the pager reuses the same FROM … WHERE, so it cannot disagree
 * with the list about what matches.
 *
 * The original XML is fetched as base64 of its first bytes: report_xml
 * keeps the bytes exactly as the reporter sent them (windows-1252, UTF-16,
 * a byte order mark), which neither text results nor convert_from() can be
 * trusted with; the decoding happens here, where it can fail softly.
 */
#include "store/query_reports.h"
#include "core/error.h"

#include <string.h>

#define UTC_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define JOIN(col, sep) "array_to_string(" col ", '" sep "', 'none')"
#define UTC_DAY(param) "(" param "::date::timestamp AT TIME ZONE 'UTC')"

/* The longest declared encoding name we look at, and the XML prolog's. */
#define MAX_ENCODING_NAME 40
#define MAX_PROLOG_BYTES 256

typedef struct
{
  const char *name;   /* column name as the page shows it */
  const char *sql;    /* constant expression to order by */
} SortColumn;

/* ---- the report list ------------------------------------------------------ */

static const char list_select[] =
  "SELECT r.id, " UTC_ISO ("r.begin_time") " AS begin_date, "
  UTC_ISO ("r.end_time") " AS end_date, r.org_name, r.report_id, r.domain, r.p,"
  " r.n_records AS records, r.total_count AS messages, r.container, "
  UTC_ISO ("r.ingested_at") " AS ingested_at";

/* $1 domain, $2 org, $3 since, $4 until, $5 days. */
#define REPORT_MATCH(t) \
  " (($1::text IS NULL OR lower(" t ".domain) = lower($1::text))" \
  " AND ($2::text IS NULL OR strpos(lower(" t ".org_name), lower($2::text)) > 0)" \
  " AND ($4::text IS NULL OR " t ".begin_time < " UTC_DAY ("$4") "))"

static const char list_from[] =
  " FROM reports r WHERE" REPORT_MATCH ("r")
  " AND ($3::text IS NULL OR r.begin_time >= " UTC_DAY ("$3") ")"
  " AND ($5::integer IS NULL OR r.begin_time >= (SELECT max(n.begin_time)"
  " FROM reports n WHERE" REPORT_MATCH ("n") ") - make_interval(days => $5::integer))";

static const SortColumn list_sort[] = {
  { "id", "r.id" },
  { "begin_date", "r.begin_time" },
  { "end_date", "r.end_time" },
  { "org_name", "lower(r.org_name)" },
  { "report_id", "r.report_id" },
  { "domain", "lower(r.domain)" },
  { "p", "r.p" },
  { "records", "r.n_records" },
  { "messages", "r.total_count" },
  { "container", "r.container" },
  { "ingested_at", "r.ingested_at" },
};

/* ---- one report ---------------------------------------------------------- */

static const char one_sql[] =
  "SELECT r.id, r.org_name, r.email, r.extra_contact_info, r.report_id, "
  UTC_ISO ("r.begin_time") " AS begin_date, " UTC_ISO ("r.end_time") " AS end_date,"
  " r.domain, r.adkim, r.aspf, r.p, r.sp, r.np, r.pct, r.fo, r.testing,"
  " r.discovery_method, r.xml_schema, r.xml_version, r.xml_namespace, r.generator,"
  " r.n_records AS records, r.total_count AS messages, r.source_file,"
  " r.attachment_name, r.entry_name, r.container, m.path AS mail_path,"
  " m.message_id, m.subject, m.mail_from, " UTC_ISO ("m.mail_date") " AS mail_date,"
  " r.duplicates_seen, " UTC_ISO ("r.ingested_at") " AS ingested_at,"
  " x.xml_bytes, x.is_complete AS xml_is_complete,"
  " cardinality(r.errors) AS n_errors, cardinality(r.warnings) AS n_warnings"
  " FROM reports r LEFT JOIN mails m ON m.id = r.mail_id"
  " LEFT JOIN report_xml x ON x.report_id = r.id WHERE r.id = $1::bigint";

static const char notes_sql[] =
  "SELECT 'error' AS kind, e.n, e.text FROM reports r,"
  " unnest(r.errors) WITH ORDINALITY AS e(text, n) WHERE r.id = $1::bigint"
  " UNION ALL SELECT 'warning', w.n, w.text FROM reports r,"
  " unnest(r.warnings) WITH ORDINALITY AS w(text, n) WHERE r.id = $1::bigint"
  " ORDER BY 1, 2";

/* ---- its records ----------------------------------------------------------- */

static const char records_select[] =
  "SELECT c.ordinal, host(c.source_ip) AS source_ip, c.count, c.disposition,"
  " c.dkim_eval AS dkim, c.spf_eval AS spf, " JOIN ("c.reason_types", ",") " AS reasons, "
  JOIN ("c.reason_comments", "|") " AS reason_comments, c.header_from,"
  " c.envelope_from, c.envelope_to, " JOIN ("c.dkim_domains", ",") " AS dkim_domains, "
  JOIN ("c.dkim_selectors", ",") " AS dkim_selectors, "
  JOIN ("c.dkim_results", ",") " AS dkim_results, "
  JOIN ("c.spf_domains", ",") " AS spf_domains, "
  JOIN ("c.spf_scopes", ",") " AS spf_scopes, "
  JOIN ("c.spf_results", ",") " AS spf_results, lower(r.domain) AS domain";

static const char records_from[] =
  " FROM records c JOIN reports r ON r.id = c.report_id WHERE c.report_id = $1::bigint";

static const SortColumn records_sort[] = {
  { "ordinal", "c.ordinal" },
  { "source_ip", "c.source_ip" },
  { "count", "c.count" },
  { "disposition", "c.disposition" },
  { "dkim", "c.dkim_eval" },
  { "spf", "c.spf_eval" },
  { "reasons", JOIN ("c.reason_types", ",") },
  { "reason_comments", JOIN ("c.reason_comments", "|") },
  { "header_from", "lower(c.header_from)" },
  { "envelope_from", "lower(c.envelope_from)" },
  { "envelope_to", "lower(c.envelope_to)" },
  { "dkim_domains", JOIN ("c.dkim_domains", ",") },
  { "dkim_selectors", JOIN ("c.dkim_selectors", ",") },
  { "dkim_results", JOIN ("c.dkim_results", ",") },
  { "spf_domains", JOIN ("c.spf_domains", ",") },
  { "spf_scopes", JOIN ("c.spf_scopes", ",") },
  { "spf_results", JOIN ("c.spf_results", ",") },
};

/* ---- ingest failures ----------------------------------------------------- */

static const char failures_select[] =
  "SELECT " UTC_ISO ("f.last_seen") " AS last_seen, f.stage, f.reason, f.path,"
  " f.part, f.attempts, " UTC_ISO ("f.first_seen") " AS first_seen, f.sha256";

/* $1 since, $2 until. */
static const char failures_from[] =
  " FROM ingest_failures f"
  " WHERE ($1::text IS NULL OR f.last_seen >= " UTC_DAY ("$1") ")"
  " AND ($2::text IS NULL OR f.last_seen < " UTC_DAY ("$2") ")";

static const SortColumn failures_sort[] = {
  { "last_seen", "f.last_seen" },
  { "first_seen", "f.first_seen" },
  { "stage", "f.stage" },
  { "reason", "f.reason" },
  { "path", "f.path" },
  { "part", "f.part" },
  { "attempts", "f.attempts" },
};

/* ---- shared ---------------------------------------------------------------- */

/* Appends ORDER BY: SORT's constant SQL from COLS, or FALLBACK when SORT is
 * NULL; TIEBREAK last, so that paging is stable. */
static gboolean
append_order (GString *sql, const SortColumn *cols, gsize n_cols, const char *sort,
              gboolean descending, const char *fallback, const char *tiebreak,
              GError **error)
{
  if (sort == NULL)
    {
      g_string_append_printf (sql, " ORDER BY %s, %s", fallback, tiebreak);
      return TRUE;
    }
  for (gsize i = 0; i < n_cols; i++)
    if (strcmp (sort, cols[i].name) == 0)
      {
        g_string_append_printf (sql, " ORDER BY %s %s NULLS LAST, %s", cols[i].sql,
                                descending ? "DESC" : "ASC", tiebreak);
        return TRUE;
      }
  g_autoptr (GString) names = g_string_new (NULL);
  for (gsize i = 0; i < n_cols; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", cols[i].name);
  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
               "sort must be one of: %s", names->str);
  return FALSE;
}

/* SELECT … FROM … ORDER BY … LIMIT $n OFFSET $n+1, where N_PARAMS filter
 * parameters come first.  (transfer full) */
static StoreTable *
run_page (Store *store, const char *what, const char *select, const char *from,
          const char *order, const char **params, int n_params, guint64 offset,
          guint limit, GError **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autofree char *offset_text = g_strdup_printf ("%" G_GUINT64_FORMAT, offset);
  g_autoptr (GString) sql = g_string_new (select);

  g_string_append (sql, from);
  g_string_append (sql, order);
  g_string_append_printf (sql, " LIMIT $%d::bigint OFFSET $%d::bigint", n_params + 1,
                          n_params + 2);
  params[n_params] = limit_text;
  params[n_params + 1] = offset_text;
  return store_table_query (store, what, sql->str, n_params + 2, params, error);
}

/* SELECT count(*) with the list's own FROM … WHERE. */
static gboolean
run_count (Store *store, const char *what, const char *from, const char *const *params,
           int n_params, guint64 *total_out, GError **error)
{
  g_autofree char *sql = g_strconcat ("SELECT count(*) AS n", from, NULL);
  g_autoptr (StoreTable) count = store_table_query (store, what, sql, n_params, params, error);

  if (count == NULL)
    return FALSE;
  const char *n = store_table_n_rows (count) == 1 ? store_table_get (count, 0, "n") : NULL;
  *total_out = n != NULL ? g_ascii_strtoull (n, NULL, 10) : 0;
  return TRUE;
}

StoreTable *
query_reports_list (Store *store, const QueryReportsFilter *filter, guint64 *total_out,
                    GError **error)
{
  g_autofree char *days = filter->since == NULL && filter->days > 0
                          ? g_strdup_printf ("%u", filter->days) : NULL;
  const char *params[7] = { filter->domain, filter->org, filter->since, filter->until, days };
  g_autoptr (GString) order = g_string_new (NULL);

  if (!append_order (order, list_sort, G_N_ELEMENTS (list_sort), filter->sort,
                     filter->descending, "r.begin_time DESC NULLS LAST", "r.id DESC", error)
      || !run_count (store, "counting reports", list_from, params, 5, total_out, error))
    return NULL;
  return run_page (store, "listing reports", list_select, list_from, order->str, params, 5,
                   filter->offset, filter->limit, error);
}

StoreTable *
query_reports_one (Store *store, gint64 id, GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *params[] = { id_text };

  return store_table_query (store, "reading report", one_sql, 1, params, error);
}

StoreTable *
query_reports_notes (Store *store, gint64 id, GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *params[] = { id_text };

  return store_table_query (store, "reading report errors and warnings", notes_sql, 1,
                            params, error);
}

StoreTable *
query_reports_records (Store *store, gint64 id, const char *sort, gboolean descending,
                       guint64 offset, guint limit, GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *params[3] = { id_text };
  g_autoptr (GString) order = g_string_new (NULL);

  if (!append_order (order, records_sort, G_N_ELEMENTS (records_sort), sort, descending,
                     "c.ordinal", "c.ordinal, c.id", error))
    return NULL;
  return run_page (store, "reading report records", records_select, records_from,
                   order->str, params, 1, offset, limit, error);
}

StoreTable *
query_failures_list (Store *store, const QueryFailuresFilter *filter, guint64 *total_out,
                     GError **error)
{
  const char *params[4] = { filter->since, filter->until };
  g_autoptr (GString) order = g_string_new (NULL);

  if (!append_order (order, failures_sort, G_N_ELEMENTS (failures_sort), filter->sort,
                     filter->descending, "f.last_seen DESC", "f.id DESC", error)
      || !run_count (store, "counting ingest failures", failures_from, params, 2, total_out,
                     error))
    return NULL;
  return run_page (store, "listing ingest failures", failures_select, failures_from,
                   order->str, params, 2, filter->offset, filter->limit, error);
}

/* ---- the original XML -------------------------------------------------------- */

/* Encodings we decode when an XML declaration names them (compared without
 * case).  A short list on purpose: the name is the reporter's, and it goes
 * to iconv; anything else is shown as UTF-8 with U+FFFD for what does not
 * decode. */
static const char *const known_encodings[] = {
  "US-ASCII", "ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-5", "ISO-8859-7",
  "ISO-8859-9", "ISO-8859-15", "LATIN1", "WINDOWS-1250", "WINDOWS-1251",
  "WINDOWS-1252", "WINDOWS-1253", "WINDOWS-1254", "CP1252", "KOI8-R", "KOI8-U",
  "SHIFT_JIS", "EUC-JP", "EUC-KR", "GB2312", "GBK", "GB18030", "BIG5",
};

/* The encoding named by the XML declaration at the start of BYTES, if it is
 * one we decode.  (transfer none) */
static const char *
xml_declared_encoding (const guint8 *bytes, gsize len)
{
  g_autofree char *prolog = g_strndup ((const char *) bytes, MIN (len, MAX_PROLOG_BYTES));
  char *end = strstr (prolog, "?>");
  char *p = end != NULL && g_str_has_prefix (prolog, "<?xml") ? strstr (prolog, "encoding") : NULL;

  if (p == NULL || p > end)
    return NULL;
  p += strlen ("encoding");
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '=')
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  char quote = *p++;
  gsize n = strcspn (p, "'\"?");
  if ((quote != '"' && quote != '\'') || p[n] != quote || n == 0 || n > MAX_ENCODING_NAME)
    return NULL;
  p[n] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (known_encodings); i++)
    if (g_ascii_strcasecmp (p, known_encodings[i]) == 0)
      return known_encodings[i];
  return NULL;
}

/* BYTES as valid UTF-8 without NUL: NUL and invalid sequences become U+FFFD.
 * (transfer full) */
static char *
xml_clean_utf8 (const char *bytes, gsize len)
{
  g_autoptr (GString) no_nul = g_string_sized_new (len + 1);

  for (gsize i = 0; i < len; i++)
    if (bytes[i] == '\0')
      g_string_append (no_nul, "\xEF\xBF\xBD");
    else
      g_string_append_c (no_nul, bytes[i]);
  return g_utf8_make_valid (no_nul->str, (gssize) no_nul->len);
}

/* BYTES converted from FROM to clean UTF-8, or NULL.  A character cut by the
 * size limit at the end is dropped.  (transfer full) */
static char *
xml_convert (const guint8 *bytes, gsize len, const char *from)
{
  gsize n_read = 0, n_written = 0;
  g_autoptr (GError) error = NULL;
  g_autofree char *utf8 = g_convert ((const char *) bytes, (gssize) len, "UTF-8", from,
                                     &n_read, &n_written, &error);

  if (utf8 == NULL && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_PARTIAL_INPUT)
      && n_read > 0)
    utf8 = g_convert ((const char *) bytes, (gssize) n_read, "UTF-8", from, NULL,
                      &n_written, NULL);
  return utf8 != NULL ? xml_clean_utf8 (utf8, n_written) : NULL;
}

/* (transfer full) text; *ENCODING_OUT (transfer none) names what was used. */
static char *
xml_decode (const guint8 *bytes, gsize len, const char **encoding_out)
{
  char *text = NULL;

  if (len >= 2 && (bytes[0] == 0xFF || bytes[0] == 0xFE) && (bytes[1] ^ bytes[0]) == 0x01)
    {
      *encoding_out = bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      if ((text = xml_convert (bytes + 2, (len - 2) & ~(gsize) 1, *encoding_out)) != NULL)
        return text;
    }
  if (len >= 3 && memcmp (bytes, "\xEF\xBB\xBF", 3) == 0)
    {
      bytes += 3;
      len -= 3;
    }
  *encoding_out = xml_declared_encoding (bytes, len);
  if (*encoding_out != NULL && (text = xml_convert (bytes, len, *encoding_out)) != NULL)
    return text;
  *encoding_out = "UTF-8";
  return xml_clean_utf8 ((const char *) bytes, len);
}

static const char xml_sql[] =
  "SELECT translate(encode(substring(xml FROM 1 FOR $2::integer), 'base64'), E'\\n', '')"
  " AS head, length(xml) AS stored_bytes, xml_bytes, is_complete"
  " FROM report_xml WHERE report_id = $1::bigint";

gboolean
query_reports_xml (Store *store, gint64 id, gsize max_bytes, ReportXml **xml_out,
                   GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *max_text = g_strdup_printf ("%" G_GSIZE_FORMAT, MIN (max_bytes, G_MAXINT32));
  const char *params[] = { id_text, max_text };
  g_autoptr (StoreTable) row = store_table_query (store, "reading report XML", xml_sql, 2,
                                                  params, error);

  *xml_out = NULL;
  if (row == NULL)
    return FALSE;
  if (store_table_n_rows (row) == 0)
    return TRUE;

  gsize len = 0;
  g_autofree guint8 *bytes = g_base64_decode (store_table_get (row, 0, "head"), &len);
  const char *encoding = NULL;
  ReportXml *xml = g_new0 (ReportXml, 1);
  xml->text = xml_decode (bytes, len, &encoding);
  xml->encoding = g_strdup (encoding);
  xml->stored_bytes = g_ascii_strtoull (store_table_get (row, 0, "stored_bytes"), NULL, 10);
  xml->original_bytes = g_ascii_strtoull (store_table_get (row, 0, "xml_bytes"), NULL, 10);
  xml->is_complete = g_strcmp0 (store_table_get (row, 0, "is_complete"), "t") == 0;
  xml->is_cut = xml->stored_bytes > len;
  *xml_out = xml;
  return TRUE;
}

void
query_reports_xml_free (ReportXml *xml)
{
  if (xml == NULL)
    return;
  g_clear_pointer (&xml->text, g_free);
  g_clear_pointer (&xml->encoding, g_free);
  g_free (xml);
}
