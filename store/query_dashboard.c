/*
 * query_dashboard.c -- see query_dashboard.h.
 *
 * One spec per table: its SQL, the parameters it takes (in order), its
 * columns (a "#" marks a number) and its default order.  The SQL runs
 * wrapped as SELECT * FROM (sql) t ORDER BY … LIMIT $n, so sorting names
 * an output column, and the limit is one more parameter.
 *
 * Two CTEs carry the scope (query_dashboard.h) and are spelled once:
 *   win    one row per policy domain: its window [lo, hi), data_end (the
 *          day after its newest report) and last_ingested;
 *   scope  the records of the reports in that window, narrowed by
 *          header_from, result and source, with pass (DMARC) and outcome.
 * Every table scans the records once: records are joined to reports
 * chosen by domain and time and grouped once; later steps (per day, per
 * source, the lists of the sources table) read that grouping's output,
 * never the records again.
 */
#include "store/query_dashboard.h"
#include "store/query_dashboard_sql.h"
#include "store/cursor.h"
#include "store/db_private.h"
#include "core/error.h"

#include <string.h>

static const char domains_sql[] = WITH_SCOPE ","
  " per_source AS (SELECT domain, source_ip, sum(count) AS messages, " SUM_IF ("pass") " AS passed,"
  "  " SUM_IF ("begin_time < lo + (hi_end - lo) / 2") " AS early,"
  "  " SUM_IF ("pass AND begin_time < lo + (hi_end - lo) / 2") " AS early_passed"
  "  FROM scope GROUP BY domain, source_ip)," DOMAINS_TAIL;

static const char domains_daily_sql[] = WITH_SCOPE ","
  " per_time AS (SELECT domain, begin_time, sum(count) AS messages, " SUM_IF ("pass") " AS passed"
  "  FROM scope GROUP BY domain, begin_time)" DOMAINS_DAILY_TAIL;

/* $1 days, $2 since, $3 until: by the time reports and failures arrived. */
#define INGEST_WINDOW(col) \
  "(w.lo IS NULL OR " col " >= w.lo) AND ($3::timestamptz IS NULL OR " col " < $3::timestamptz)"
static const char ingest_daily_sql[] =
  "WITH w AS (SELECT CASE WHEN $2::timestamptz IS NOT NULL THEN $2::timestamptz"
  "  WHEN $1::integer IS NULL OR max(ingested_at) IS NULL THEN NULL"
  "  ELSE date_trunc('day', max(ingested_at), 'UTC') + (1 - $1::integer) * interval '1 day' END AS lo"
  "  FROM reports WHERE $3::timestamptz IS NULL OR ingested_at < $3::timestamptz),"
  " rep AS (SELECT " DAY_OF ("r.ingested_at") " AS day, count(*) AS reports,"
  "  sum(r.n_records) AS records, sum(r.total_count) AS messages"
  "  FROM reports r, w WHERE " INGEST_WINDOW ("r.ingested_at") " GROUP BY 1),"
  " fail AS (SELECT " DAY_OF ("f.last_seen") " AS day, count(*) AS failures"
  "  FROM ingest_failures f, w WHERE " INGEST_WINDOW ("f.last_seen") " GROUP BY 1)"
  " SELECT day, coalesce(reports, 0) AS reports, coalesce(records, 0) AS records,"
  " coalesce(messages, 0) AS messages, coalesce(failures, 0) AS failures"
  " FROM rep FULL JOIN fail USING (day)";

static const char ingest_failures_sql[] =
  "SELECT to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS last_seen,"
  " stage, reason, path, attempts FROM ingest_failures";

/* $5 source: whether it ever sent for the domain (NULL without one). */
static const char period_sql[] = "WITH " WIN_CTE
  " SELECT lower($1::text) AS domain, " DAY_OF ("w.lo") " AS first_day,"
  " " DAY_OF ("coalesce(w.hi, w.data_end) - interval '1 day'") " AS last_day,"
  " (SELECT count(*) FROM reports r WHERE lower(r.domain) = lower($1::text)) AS reports,"
  " CASE WHEN $5::inet IS NOT NULL THEN EXISTS (SELECT 1 FROM records c"
  "  JOIN reports r ON r.id = c.report_id WHERE c.source_ip = $5::inet"
  "  AND lower(r.domain) = lower($1::text)) END AS source_known"
  " FROM (SELECT 1) AS one LEFT JOIN win w ON true";

static const char summary_sql[] = WITH_SCOPE ","
  " per_source AS (SELECT source_ip, sum(count) AS messages, " SUM_IF ("pass") " AS passed,"
  "  " SUM_IF ("spf_eval = 'pass'") " AS spf, " SUM_IF ("dkim_eval = 'pass'") " AS dkim,"
  "  " SUM_IF ("outcome = 'quarantined'") " AS quarantined,"
  "  " SUM_IF ("outcome = 'rejected'") " AS rejected FROM scope GROUP BY source_ip)"
  SUMMARY_TAIL;

/* $1 domain, $2 until. */
static const char policy_sql[] =
  "SELECT r.org_name AS reporter, " DAY_OF ("r.begin_time") " AS reported, " POLICY_TEXT " AS policy,"
  " r.p, r.sp, r.np, r.pct, r.adkim, r.aspf, r.fo, r.testing FROM reports r"
  " WHERE lower(r.domain) = lower($1::text)"
  " AND ($2::timestamptz IS NULL OR r.begin_time < $2::timestamptz)"
  " ORDER BY r.begin_time DESC NULLS LAST, r.id DESC LIMIT 1";

/* Records are grouped by their report's begin_time first: formatting a
 * day for every record costs more than the rest of the query. */
static const char daily_sql[] = WITH_SCOPE ","
  " per_time AS (SELECT begin_time, sum(count) AS messages,"
  "  " SUM_IF ("outcome = 'pass'") " AS pass, " SUM_IF ("outcome = 'fail'") " AS fail,"
  "  " SUM_IF ("outcome = 'quarantined'") " AS quarantined,"
  "  " SUM_IF ("outcome = 'rejected'") " AS rejected FROM scope GROUP BY begin_time)"
  DAILY_TAIL;

/* One pass over the records groups them by source and by what they were
 * signed and sent as (combos, a few rows per source); the numbers and the
 * three lists are then built from combos, set-based.  src is the source as
 * text ('' for reporters' empty rows), a key that hash joins can use. */
#define WORDS_OF(cte, word_sql, from) \
  " " cte " AS (SELECT k.domain, k.src, string_agg(DISTINCT " word_sql ", ' ' ORDER BY " word_sql ")" \
  "  AS words FROM combos k" from " GROUP BY 1, 2)"
static const char sources_sql[] = WITH_SCOPE ","
  " combos AS (SELECT domain, coalesce(host(source_ip), '') AS src, dkim_domains, dkim_selectors,"
  "  spf_domains, lower(header_from) AS header_from, sum(count) AS messages,"
  "  " SUM_IF ("pass") " AS passed, " SUM_IF ("spf_eval = 'pass'") " AS spf,"
  "  " SUM_IF ("dkim_eval = 'pass'") " AS dkim, " SUM_IF ("outcome = 'quarantined'") " AS quarantined,"
  "  " SUM_IF ("outcome = 'rejected'") " AS rejected FROM scope"
  "  GROUP BY domain, source_ip, dkim_domains, dkim_selectors, spf_domains, lower(header_from)),"
  " p AS (SELECT domain, src, sum(messages) AS messages, sum(passed) AS passed, sum(spf) AS spf,"
  "  sum(dkim) AS dkim, sum(quarantined) AS quarantined, sum(rejected) AS rejected"
  "  FROM combos GROUP BY domain, src),"
  WORDS_OF ("dk", "u.w", ", LATERAL (SELECT lower(coalesce(d, 'none')) || coalesce('/' || lower(s), '')"
            " AS w FROM unnest(k.dkim_domains, k.dkim_selectors) AS x (d, s)) AS u") ","
  WORDS_OF ("sp", "lower(u.d)", ", unnest(k.spf_domains) AS u (d)") ","
  WORDS_OF ("hf", "k.header_from", " WHERE k.header_from <> ''")
  SOURCES_TAIL;

/* Sources grouped by who sends: the known sender, else the base domain of
 * the PTR name, else why there is no name. */
static const char senders_sql[] = WITH_SCOPE ","
  " p AS (SELECT source_ip, nullif(coalesce(host(source_ip), ''), '') AS src,"
  "  sum(count) AS messages, " SUM_IF ("pass") " AS passed,"
  "  " SUM_IF ("spf_eval = 'pass'") " AS spf, " SUM_IF ("dkim_eval = 'pass'") " AS dkim"
  "  FROM scope GROUP BY source_ip)" SENDERS_TAIL;

/* Grouped by report first: count(DISTINCT) over every record would sort them. */
static const char reporters_sql[] = WITH_SCOPE ","
  " per_report AS (SELECT org_name_norm, org_name, 1 AS reports, begin_time, sum(count) AS messages,"
  "  " SUM_IF ("pass") " AS passed FROM scope GROUP BY org_name_norm, org_name, report, begin_time)"
  REPORTERS_TAIL;

static const char records_sql[] = WITH_SCOPE
  " SELECT " DAY_OF ("begin_time") " AS day, org_name AS reporter, report_ref AS report_id,"
  " report, ordinal, count AS messages, disposition, dkim_eval AS dkim, spf_eval AS spf,"
  " header_from, envelope_from, envelope_to,"
  " " DKIM_TEXT (" || '=' || lower(coalesce(x, 'none'))") " AS dkim_results,"
  " " SPF_TEXT " AS spf_results, array_to_string(reason_types, ' ', 'none') AS overrides,"
  " array_to_string(reason_comments, ' | ') AS override_comments FROM scope";

static const char auth_sql[] = WITH_SCOPE ","
  " combos AS (SELECT dkim_eval, spf_eval, dkim_domains, dkim_selectors, dkim_results,"
  "  spf_domains, spf_results, sum(count) AS messages, count(*) AS records FROM scope"
  "  GROUP BY 1, 2, 3, 4, 5, 6, 7)"
  " SELECT dkim_eval AS dkim, spf_eval AS spf,"
  " " DKIM_TEXT (" || '=' || lower(coalesce(x, 'none'))") " AS dkim_results,"
  " " SPF_TEXT " AS spf_results, messages, records FROM combos";

static const char overrides_sql[] = WITH_SCOPE
  " SELECT coalesce(t.type, 'none') AS override, count(*) AS records,"
  " sum(s.count) AS messages, string_agg(DISTINCT t.comment, ' | ') AS comments"
  " FROM scope s CROSS JOIN LATERAL unnest(s.reason_types, s.reason_comments) AS t (type, comment)"
  " GROUP BY 1";

typedef struct
{
  const char *name;
  const char *sql;
  const char *params;    /* D domain, N days, S since, U until, F header_from,
                          * R result, X source; the limit comes after them */
  const char *columns;   /* space-separated; "#" after a number column */
  const char *order;     /* default ORDER BY over the output columns */
} DashSpec;

static const DashSpec specs[DASH_TABLE_N] = {
  [DASH_TABLE_DOMAINS] = { "domains", domains_sql, SCOPE_PARAMS,
    "domain messages# dmarc_pass_pct# policy trend_pts# failing_sources# first_day last_day last_report",
    "messages DESC, domain" },
  [DASH_TABLE_DOMAINS_DAILY] = { "domains_daily", domains_daily_sql, SCOPE_PARAMS,
    "domain day messages# dmarc_pass#", "domain, day" },
  [DASH_TABLE_INGEST_DAILY] = { "ingest", ingest_daily_sql, "NSU",
    "day reports# records# messages# failures#", "day DESC" },
  [DASH_TABLE_INGEST_FAILURES] = { "failures", ingest_failures_sql, "",
    "last_seen stage reason path attempts#", "last_seen DESC, path" },
  [DASH_TABLE_PERIOD] = { "period", period_sql, "DNSUX",
    "domain first_day last_day reports# source_known", "domain" },
  [DASH_TABLE_SUMMARY] = { "summary", summary_sql, SCOPE_PARAMS,
    "messages# dmarc_pass# dmarc_fail# dmarc_pass_pct# spf_aligned_pct# dkim_aligned_pct# "
    "quarantined# rejected# sources# failing_sources#", "messages" },
  [DASH_TABLE_POLICY] = { "policy", policy_sql, "DU",
    "reporter reported policy p sp np pct# adkim aspf fo testing", "reported" },
  [DASH_TABLE_DAILY] = { "daily", daily_sql, SCOPE_PARAMS,
    "day messages# pass# fail# quarantined# rejected#", "day" },
  [DASH_TABLE_SOURCES] = { "sources", sources_sql, SCOPE_PARAMS,
    "domain source source_org source_name source_type source_country messages# dmarc_pass_pct# "
    "spf_aligned_pct# dkim_aligned_pct# "
    "dmarc_fail# delivered# quarantined# rejected# dkim_signers spf_domains header_froms",
    "domain, messages DESC, source" },
  [DASH_TABLE_SENDERS] = { "senders", senders_sql, SCOPE_PARAMS,
    "sender kind sources# messages# dmarc_pass_pct# spf_aligned_pct# dkim_aligned_pct# "
    "dmarc_fail# generic_ptr# no_ptr#", "messages DESC, sender" },
  [DASH_TABLE_REPORTERS] = { "reporters", reporters_sql, SCOPE_PARAMS,
    "reporter reports# messages# dmarc_pass_pct# last_report", "messages DESC, reporter" },
  [DASH_TABLE_RECORDS] = { "records", records_sql, SCOPE_PARAMS,
    "day reporter report_id report# ordinal# messages# disposition dkim spf header_from "
    "envelope_from envelope_to dkim_results spf_results overrides override_comments",
    "day DESC, report DESC, ordinal" },
  [DASH_TABLE_AUTH] = { "auth", auth_sql, SCOPE_PARAMS,
    "dkim spf dkim_results spf_results messages# records#", "messages DESC, dkim_results, spf_results" },
  [DASH_TABLE_OVERRIDES] = { "overrides", overrides_sql, SCOPE_PARAMS,
    "override records# messages# comments", "messages DESC, override" },
};

const char *
query_dashboard_name (DashTable table)
{
  return specs[table].name;
}

/* SPEC's column names (without "#") into NAMES, and whether each is a
 * number into KINDS (may be NULL). */
static void
spec_columns (const DashSpec *spec, GPtrArray *names, GArray *kinds)
{
  g_auto (GStrv) columns = g_strsplit (spec->columns, " ", -1);

  for (char **c = columns; *c != NULL; c++)
    {
      gsize len = strlen (*c);
      QueryColumnKind kind = (*c)[len - 1] == '#' ? QUERY_COLUMN_NUMBER : QUERY_COLUMN_TEXT;
      g_ptr_array_add (names, g_strndup (*c, kind == QUERY_COLUMN_NUMBER ? len - 1 : len));
      if (kinds != NULL)
        g_array_append_val (kinds, kind);
    }
}

/* SPEC's column NAME, spelled as in SPEC, or NULL.  (transfer full) */
static char *
spec_find_column (const DashSpec *spec, const char *name)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  spec_columns (spec, names, NULL);
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return g_strdup (g_ptr_array_index (names, i));
  return NULL;
}

gboolean
query_dashboard_has_column (DashTable table, const char *name)
{
  g_autofree char *column = spec_find_column (&specs[table], name);
  return column != NULL;
}

/* SPEC's SQL wrapped with its order and limit.  Only names from SPEC's own
 * column list reach the text.  (transfer full) */
static char *
dash_sql (const DashSpec *spec, const DashQuery *query, GError **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT * FROM (");
  const char *body = query_rollup_sql ((DashTable) (spec - specs), query);
  g_string_append_printf (sql, "%s) AS t ORDER BY ", body != NULL ? body : spec->sql);
  if (query->sort != NULL)
    {
      g_autofree char *column = spec_find_column (spec, query->sort);
      if (column == NULL)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "sort: the %s table has no such column", spec->name);
          return NULL;
        }
      g_string_append_printf (sql, "%s %s NULLS LAST, ", column,
                              query->descending ? "DESC" : "ASC");
    }
  g_string_append_printf (sql, "%s LIMIT $%zu", spec->order, strlen (spec->params) + 1);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

typedef struct
{
  char *owned[4];          /* days, since, until, limit as text */
  const char *values[8];   /* borrowed from the query and owned[] */
  int n;
} DashParams;

/* A date alone is midnight UTC; a date-time keeps its own offset. */
static char *
dash_timestamp (const char *text)
{
  if (text == NULL)
    return NULL;
  return strlen (text) == 10 ? g_strconcat (text, "T00:00:00Z", NULL) : g_strdup (text);
}

static void
dash_params_init (DashParams *p, const DashSpec *spec, const DashQuery *q)
{
  memset (p, 0, sizeof *p);
  p->owned[0] = q->days > 0 ? g_strdup_printf ("%u", q->days) : NULL;
  p->owned[1] = dash_timestamp (q->since);
  p->owned[2] = dash_timestamp (q->until);
  p->owned[3] = q->limit > 0 ? g_strdup_printf ("%u", q->limit) : NULL;
  for (const char *c = spec->params; *c != '\0'; c++)
    switch (*c)
      {
      case 'D': p->values[p->n++] = q->domain; break;
      case 'N': p->values[p->n++] = p->owned[0]; break;
      case 'S': p->values[p->n++] = p->owned[1]; break;
      case 'U': p->values[p->n++] = p->owned[2]; break;
      case 'F': p->values[p->n++] = q->header_from; break;
      case 'R': p->values[p->n++] = q->result; break;
      case 'X': p->values[p->n++] = q->source; break;
      default: g_assert_not_reached ();
      }
  p->values[p->n++] = p->owned[3];
}

static void
dash_params_clear (DashParams *p)
{
  for (gsize i = 0; i < G_N_ELEMENTS (p->owned); i++)
    g_clear_pointer (&p->owned[i], g_free);
}

/* The columns PostgreSQL returned must be the spec's, in its order: the
 * sort whitelist and the export's kinds rely on it. */
static gboolean
dash_check_columns (const DashSpec *spec, GPtrArray *columns, GError **error)
{
  g_autoptr (GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
  gboolean is_same;

  spec_columns (spec, want, NULL);
  is_same = want->len == columns->len;
  for (guint i = 0; is_same && i < want->len; i++)
    is_same = strcmp (g_ptr_array_index (want, i), g_ptr_array_index (columns, i)) == 0;
  if (!is_same)
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_STORE_FAILED,
                 "reading the %s table: its columns differ from its spec", spec->name);
  return is_same;
}

StoreTable *
query_dashboard_table (Store *store, DashTable which, const DashQuery *query, GError **error)
{
  const DashSpec *spec = &specs[which];
  g_autofree char *sql = dash_sql (spec, query, error);
  DashParams params;

  if (sql == NULL)
    return NULL;
  dash_params_init (&params, spec, query);
  g_autofree char *what = g_strdup_printf ("reading the %s table", spec->name);
  g_autoptr (StoreTable) table = store_table_query (store, what, sql, params.n,
                                                    params.values, error);
  dash_params_clear (&params);
  if (table == NULL)
    return NULL;
  if (!dash_check_columns (spec, table->columns, error))
    return NULL;
  return g_steal_pointer (&table);
}

struct _DashCursor
{
  StoreCursor *cursor;   /* owned */
  GPtrArray *names;      /* char*, owned */
  GArray *kinds;         /* QueryColumnKind, owned */
};

DashCursor *
query_dashboard_open (Store *store, DashTable which, const DashQuery *query, GError **error)
{
  const DashSpec *spec = &specs[which];
  g_autofree char *select = dash_sql (spec, query, error);
  DashParams params;

  if (select == NULL)
    return NULL;
  DashCursor *dash = g_new0 (DashCursor, 1);
  dash->names = g_ptr_array_new_with_free_func (g_free);
  dash->kinds = g_array_new (FALSE, FALSE, sizeof (QueryColumnKind));
  spec_columns (spec, dash->names, dash->kinds);
  dash_params_init (&params, spec, query);
  g_autofree char *what = g_strdup_printf ("reading the %s table", spec->name);
  dash->cursor = store_cursor_open (store, what, select, params.n, params.values,
                                    dash->kinds->len, error);
  dash_params_clear (&params);
  if (dash->cursor == NULL)
    g_clear_pointer (&dash, query_dashboard_close);
  return dash;
}

const char *const *
query_dashboard_columns (DashCursor *cursor, const QueryColumnKind **kinds_out, gsize *n_out)
{
  *kinds_out = (const QueryColumnKind *) (gpointer) cursor->kinds->data;
  *n_out = cursor->kinds->len;
  return (const char *const *) cursor->names->pdata;
}

gboolean
query_dashboard_next (DashCursor *cursor, const char *const **values_out, gsize *n_out,
                      GError **error)
{
  *n_out = cursor->kinds->len;
  return store_cursor_next (cursor->cursor, values_out, error);
}

void
query_dashboard_close (DashCursor *cursor)
{
  if (cursor == NULL)
    return;
  store_cursor_close (cursor->cursor);
  g_ptr_array_unref (cursor->names);
  g_array_unref (cursor->kinds);
  g_free (cursor);
}
