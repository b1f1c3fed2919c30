/*
 * query_advice.c -- see query_advice.h.
 *
 * Everything per source comes from the rollups (003_rollups.sql), which
 * store/rollup.c keeps with the tests this advice applies to each record
 * ("pass", "overridden", "plain failure", "subdomain in From"); a source's
 * "recent" days are counted back from its own last day here.  Parameters: $1 domain, $2 end_day, $3
 * window_days, $4 recent_days (only where used: PostgreSQL refuses a
 * parameter the statement does not use).
 */
#include "store/query_advice.h"

#define DAY(col) "((" col " AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
#define IN_WINDOW(col) DAY (col) " BETWEEN $2::int - $3::int + 1 AND $2::int"


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

/* Per candidate source, from the advice rollup: one row per day with
 * mail, so n_days is a count of rows. */
#define ADVICE_DAYS(t) \
  " JOIN rollup_advice " t " ON " t ".domain_l = $1 AND " t ".source_ip = s.source_ip" \
  "  AND " t ".day BETWEEN $2::int - $3::int + 1 AND $2::int"
#define A_RECENT "a.day > s.last_day - $4::int"
#define A_SUM(col, cond) "coalesce(sum(a." col ") FILTER (WHERE " cond "), 0)"

static const char sources_sql[] =
  CANDIDATES
  " SELECT host(s.source_ip) AS source,"
  "  (SELECT " DAY ("min(rs.begin_time)") " FROM rollup_sources rs"
  "    WHERE rs.domain_l = $1 AND rs.source_ip = s.source_ip) AS first_day,"
  "  count(*) AS n_days, sum(a.total) AS total, sum(a.pass) AS pass,"
  "  sum(a.fail_override) AS fail_override, sum(a.intermediary) AS marked_intermediary,"
  "  sum(a.fail_list) AS fail_list,"
  "  " A_SUM ("total", A_RECENT) " AS r_total,"
  "  " A_SUM ("pass", A_RECENT) " AS r_pass,"
  "  " A_SUM ("dkim_ok", A_RECENT) " AS r_dkim_aligned,"
  "  " A_SUM ("spf_ok", A_RECENT) " AS r_spf_aligned,"
  "  " A_SUM ("fail_override", A_RECENT) " AS r_fail_override,"
  "  " A_SUM ("fail_sub", A_RECENT) " AS r_fail_sub,"
  "  " A_SUM ("plain_quarantined", A_RECENT) " AS r_quarantined,"
  "  " A_SUM ("plain_rejected", A_RECENT) " AS r_rejected,"
  "  min(a.sub_domain) FILTER (WHERE " A_RECENT ") AS sub_domain,"
  "  si.sender_name, si.base_domain, si.ptr_name"
  " FROM src s" ADVICE_DAYS ("a")
  " LEFT JOIN source_identity si ON si.ip = s.source_ip"
  " GROUP BY s.source_ip, s.last_day, si.ip"
  " ORDER BY total DESC, source";

static const char auth_sql[] =
  CANDIDATES
  " SELECT host(s.source_ip) AS source, x.kind, x.auth_domain AS domain, x.selector,"
  "  x.result, x.on_pass, (x.day > s.last_day - $4::int) AS is_recent,"
  "  sum(x.messages) AS messages"
  " FROM src s JOIN rollup_advice_auth x ON x.domain_l = $1 AND x.source_ip = s.source_ip"
  "  AND x.day BETWEEN $2::int - $3::int + 1 AND $2::int"
  " GROUP BY 1, 2, 3, 4, 5, 6, 7"
  " ORDER BY sum(x.messages) DESC, 1, 2, 3 LIMIT 20000";

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
