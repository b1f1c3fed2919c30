/*
 * query_advice.c -- see query_advice.h.
 *
 * The candidate sources and the totals come from the rollups
 * (003_rollups.sql); the per-source details from one CTE over the
 * candidates' records (WINDOW_RECORDS) that every per-source query shares,
 * so "pass", "overridden" and "recent" mean the same thing everywhere.  Parameters: $1 domain, $2 end_day, $3
 * window_days, $4 recent_days (only where used: PostgreSQL refuses a
 * parameter the statement does not use).
 */
#include "store/query_advice.h"

#define DAY(col) "((" col " AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
#define IN_WINDOW(col) DAY (col) " BETWEEN $2::int - $3::int + 1 AND $2::int"

/* Overrides that mean "expected failure"; the first three also mean "this
 * source is an intermediary" (advise_sources.c). */
#define OVERRIDES "ARRAY['forwarded','mailing_list','trusted_forwarder','local_policy']"
#define INTERMEDIARY "ARRAY['forwarded','mailing_list','trusted_forwarder']"

/* The sources worth looking at one by one: those on which anything passed
 * (DMARC, or DKIM/SPF for any domain), the 2,000 largest, chosen from the
 * rollups so that only their records are read below. */
#define CANDIDATES \
  "WITH src AS (" \
  " SELECT source_ip, max(" DAY ("begin_time") ") AS last_day FROM rollup_sources" \
  " WHERE domain_l = $1 AND source_ip IS NOT NULL AND begin_time IS NOT NULL" \
  "  AND " IN_WINDOW ("begin_time") \
  " GROUP BY source_ip HAVING sum(cand_records) > 0" \
  " ORDER BY sum(messages) DESC, source_ip LIMIT 2000)"

/* The window's records of the candidate sources, read source by source
 * through the records' source_ip index: a few thousand sources' records,
 * however many the domain has. */
#define WINDOW_RECORDS \
  ", rec AS (" \
  " SELECT s.source_ip, rc.count," \
  "  coalesce(lower(rc.dkim_eval) = 'pass' OR lower(rc.spf_eval) = 'pass', false) AS pass," \
  "  coalesce(lower(rc.dkim_eval) = 'pass', false) AS dkim_ok," \
  "  coalesce(lower(rc.spf_eval) = 'pass', false) AS spf_ok," \
  "  rc.reason_types && " OVERRIDES " AS overridden," \
  "  rc.reason_types && " INTERMEDIARY " AS intermediary," \
  "  'mailing_list' = ANY (rc.reason_types) AS listed," \
  "  lower(rc.header_from) AS header_from, lower(rc.disposition) AS disposition," \
  "  ('pass' = ANY (rc.dkim_results) OR 'pass' = ANY (rc.spf_results)) AS auth_any," \
  "  rc.dkim_domains, rc.dkim_selectors, rc.dkim_results, rc.spf_domains, rc.spf_results," \
  "  " DAY ("rp.begin_time") " AS day" \
  " FROM src s CROSS JOIN LATERAL (SELECT c.*, r.begin_time FROM records c" \
  "  JOIN reports r ON r.id = c.report_id WHERE c.source_ip = s.source_ip" \
  "  AND lower(r.domain) = $1 AND r.begin_time IS NOT NULL" \
  "  AND " IN_WINDOW ("r.begin_time") ") AS rc, LATERAL (SELECT rc.begin_time) AS rp)"

#define RECENT "r.day > s.last_day - $4::int"
#define PLAIN_FAIL "NOT r.pass AND NOT r.overridden"
#define SUBDOMAIN_FROM "right(r.header_from, length($1) + 1) = '.' || $1"
#define SUM_IF(cond) "coalesce(sum(r.count) FILTER (WHERE " cond "), 0)"

static const char summary_sql[] =
  "SELECT count(*) AS n_reports, " DAY ("max(begin_time)") " AS end_day"
  " FROM reports WHERE lower(domain) = $1";

static const char policy_days_sql[] =
  "SELECT " DAY ("begin_time") " AS day, p, sp, np, pct, adkim, aspf, fo, testing,"
  " count(*) AS n_reports, max(id) AS newest"
  " FROM reports WHERE lower(domain) = $1 AND begin_time IS NOT NULL"
  " AND " DAY ("begin_time") " BETWEEN $2::int - 399 AND $2::int"
  " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1 DESC, 11 DESC LIMIT 5000";

static const char reporters_sql[] =
  "SELECT min(org_name) AS org_name FROM reports"
  " WHERE lower(domain) = $1 AND begin_time IS NOT NULL AND " IN_WINDOW ("begin_time")
  " GROUP BY org_name_norm ORDER BY 1 LIMIT 1000";

static const char totals_sql[] =
  "WITH per AS (SELECT source_ip, sum(messages) AS n, sum(cand_records) > 0 AS cand"
  "  FROM rollup_sources WHERE domain_l = $1 AND source_ip IS NOT NULL"
  "  AND begin_time IS NOT NULL AND " IN_WINDOW ("begin_time") " GROUP BY source_ip)"
  " SELECT coalesce(sum(n), 0) AS total,"
  "  coalesce(sum(n) FILTER (WHERE NOT cand), 0) AS spoof_messages,"
  "  count(*) FILTER (WHERE NOT cand) AS spoof_sources,"
  "  (SELECT host(source_ip) FROM per WHERE NOT cand ORDER BY n DESC, source_ip LIMIT 1)"
  "   AS top_spoof,"
  "  coalesce(max(n) FILTER (WHERE NOT cand), 0) AS top_spoof_messages"
  " FROM per";

static const char sources_sql[] =
  CANDIDATES WINDOW_RECORDS
  " SELECT host(s.source_ip) AS source,"
  "  (SELECT " DAY ("min(rs.begin_time)") " FROM rollup_sources rs"
  "    WHERE rs.domain_l = $1 AND rs.source_ip = s.source_ip) AS first_day,"
  "  count(DISTINCT r.day) AS n_days,"
  "  " SUM_IF ("true") " AS total,"
  "  " SUM_IF ("r.pass") " AS pass,"
  "  " SUM_IF ("NOT r.pass AND r.overridden") " AS fail_override,"
  "  " SUM_IF ("r.intermediary") " AS marked_intermediary,"
  "  " SUM_IF ("NOT r.pass AND r.listed") " AS fail_list,"
  "  " SUM_IF (RECENT) " AS r_total,"
  "  " SUM_IF (RECENT " AND r.pass") " AS r_pass,"
  "  " SUM_IF (RECENT " AND r.dkim_ok") " AS r_dkim_aligned,"
  "  " SUM_IF (RECENT " AND r.spf_ok") " AS r_spf_aligned,"
  "  " SUM_IF (RECENT " AND NOT r.pass AND r.overridden") " AS r_fail_override,"
  "  " SUM_IF (RECENT " AND " PLAIN_FAIL " AND " SUBDOMAIN_FROM) " AS r_fail_sub,"
  "  " SUM_IF (RECENT " AND " PLAIN_FAIL " AND r.disposition = 'quarantine'") " AS r_quarantined,"
  "  " SUM_IF (RECENT " AND " PLAIN_FAIL " AND r.disposition = 'reject'") " AS r_rejected,"
  "  min(r.header_from) FILTER (WHERE " RECENT " AND " PLAIN_FAIL " AND " SUBDOMAIN_FROM ")"
  "   AS sub_domain, si.sender_name, si.base_domain, si.ptr_name"
  " FROM rec r JOIN src s USING (source_ip)"
  " LEFT JOIN source_identity si ON si.ip = s.source_ip"
  " GROUP BY s.source_ip, s.last_day, si.ip"
  " ORDER BY total DESC, source";

static const char auth_sql[] =
  CANDIDATES WINDOW_RECORDS
  " SELECT host(s.source_ip) AS source, a.kind, lower(a.domain) AS domain, a.selector,"
  "  lower(a.result) AS result, r.pass AS on_pass, (" RECENT ") AS is_recent,"
  "  sum(r.count) AS messages"
  " FROM rec r JOIN src s USING (source_ip)"
  " CROSS JOIN LATERAL ("
  "  SELECT 'dkim' AS kind, u.d AS domain, u.sel AS selector, u.res AS result"
  "   FROM unnest(r.dkim_domains, r.dkim_selectors, r.dkim_results) AS u(d, sel, res)"
  "  UNION ALL"
  "  SELECT 'spf', u.d, NULL, u.res FROM unnest(r.spf_domains, r.spf_results) AS u(d, res)"
  " ) AS a"
  " WHERE lower(a.result) = 'pass' OR lower(a.domain) = $1"
  "  OR right(lower(a.domain), length($1) + 1) = '.' || $1"
  " GROUP BY 1, 2, 3, 4, 5, 6, 7"
  " ORDER BY sum(r.count) DESC, 1, 2, 3 LIMIT 20000";

StoreTable *
query_advice_summary (Store *store, const char *domain, GError **error)
{
  const char *params[] = { domain };
  return store_table_query (store, "advice summary", summary_sql, 1, params, error);
}

/* Runs SQL with the first N_PARAMS of (domain, end_day, window_days,
 * recent_days). */
static StoreTable *
window_query (Store *store, const char *what, const char *sql, int n_params,
              const QueryAdviceWindow *w, GError **error)
{
  g_autofree char *end_day = g_strdup_printf ("%d", w->end_day);
  g_autofree char *window = g_strdup_printf ("%u", w->window_days);
  g_autofree char *recent = g_strdup_printf ("%u", w->recent_days);
  const char *params[] = { w->domain, end_day, window, recent };

  return store_table_query (store, what, sql, n_params, params, error);
}

StoreTable *
query_advice_policy_days (Store *store, const QueryAdviceWindow *w, GError **error)
{
  return window_query (store, "advice policy history", policy_days_sql, 2, w, error);
}

StoreTable *
query_advice_reporters (Store *store, const QueryAdviceWindow *w, GError **error)
{
  return window_query (store, "advice reporters", reporters_sql, 3, w, error);
}

StoreTable *
query_advice_totals (Store *store, const QueryAdviceWindow *w, GError **error)
{
  return window_query (store, "advice totals", totals_sql, 3, w, error);
}

StoreTable *
query_advice_sources (Store *store, const QueryAdviceWindow *w, GError **error)
{
  return window_query (store, "advice sources", sources_sql, 4, w, error);
}

StoreTable *
query_advice_auth (Store *store, const QueryAdviceWindow *w, GError **error)
{
  return window_query (store, "advice authentication results", auth_sql, 4, w, error);
}
