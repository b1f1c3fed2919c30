/*
 * query_rollup.c -- the dashboard's tables read from the rollups
 * (003_rollups.sql) instead of the raw records: same parameters, same
 * columns, same numbers (tests/integration/pages.t compares the pages with
 * SQL over the records), a fraction of the rows.
 *
 * rscope is scope's twin: the rollup rows of the reports in the window,
 * which the rollups' grain (domain, begin_time, source) selects exactly.
 * $5 (header_from) and $6 (result) must be NULL: the rollups do not keep
 * them, and query_rollup_sql() answers NULL then; they are still named in
 * the SQL so that the parameter list stays that of the raw query.
 */
#include "store/query_dashboard_sql.h"

#include <stddef.h>

/* $1 domain, $7 source; the window (win) as the raw query's. */
#define RSCOPE_CTE(table, alias) \
  " FROM win w JOIN " table " " alias " ON " alias ".domain_l = w.domain" \
  "  AND (w.lo IS NULL OR " alias ".begin_time >= w.lo)" \
  "  AND (w.hi IS NULL OR " alias ".begin_time < w.hi)" \
  " WHERE ($1::text IS NULL OR " alias ".domain_l = lower($1::text))" \
  "  AND $5::text IS NULL AND $6::text IS NULL"
#define WITH_RSCOPE \
  "WITH " WIN_CTE ", rscope AS (SELECT w.domain, w.lo, w.hi, coalesce(w.hi, w.data_end) AS hi_end, s.*" \
  RSCOPE_CTE ("rollup_sources", "s") " AND ($7::inet IS NULL OR s.source_ip = $7::inet))"

static const char domains_sql[] = WITH_RSCOPE ","
  " per_source AS (SELECT domain, source_ip, sum(messages) AS messages, sum(passed) AS passed,"
  "  coalesce(sum(messages) FILTER (WHERE begin_time < lo + (hi_end - lo) / 2), 0) AS early,"
  "  coalesce(sum(passed) FILTER (WHERE begin_time < lo + (hi_end - lo) / 2), 0) AS early_passed"
  "  FROM rscope GROUP BY domain, source_ip)," DOMAINS_TAIL;

static const char domains_daily_sql[] = WITH_RSCOPE ","
  " per_time AS (SELECT domain, begin_time, sum(messages) AS messages, sum(passed) AS passed"
  "  FROM rscope GROUP BY domain, begin_time)" DOMAINS_DAILY_TAIL;

static const char summary_sql[] = WITH_RSCOPE ","
  " per_source AS (SELECT source_ip, sum(messages) AS messages, sum(passed) AS passed,"
  "  sum(spf_aligned) AS spf, sum(dkim_aligned) AS dkim, sum(o_quarantined) AS quarantined,"
  "  sum(o_rejected) AS rejected FROM rscope GROUP BY source_ip)" SUMMARY_TAIL;

static const char daily_sql[] = WITH_RSCOPE ","
  " per_time AS (SELECT begin_time, sum(messages) AS messages, sum(o_pass) AS pass,"
  "  sum(o_fail) AS fail, sum(o_quarantined) AS quarantined, sum(o_rejected) AS rejected"
  "  FROM rscope GROUP BY begin_time)" DAILY_TAIL;

/* A source's words in the window, from its rollup rows (found by the
 * index on (domain_l, source_ip, begin_time)).  As correlated subqueries
 * they are evaluated after the sort and limit, so the page's 200 rows
 * cost 600 index lookups, not the words of every source.  The second
 * branch is the reporters' rows without a source IP. */
#define RWORDS(column, name) \
  "(SELECT dmarcstat_words(u.words) FROM (" \
  "  SELECT x." column " AS words FROM rollup_sources x WHERE x.domain_l = p.domain" \
  "  AND x.source_ip = p.source_ip" \
  "  AND (p.lo IS NULL OR x.begin_time >= p.lo) AND (p.hi IS NULL OR x.begin_time < p.hi)" \
  "  UNION ALL SELECT x." column " FROM rollup_sources x WHERE p.source_ip IS NULL" \
  "  AND x.domain_l = p.domain AND x.source_ip IS NULL" \
  "  AND (p.lo IS NULL OR x.begin_time >= p.lo) AND (p.hi IS NULL OR x.begin_time < p.hi)" \
  " ) AS u) AS " name
static const char sources_sql[] = WITH_RSCOPE ","
  " p AS (SELECT domain, lo, hi, source_ip, coalesce(host(source_ip), '') AS src,"
  "  sum(messages) AS messages, sum(passed) AS passed, sum(spf_aligned) AS spf,"
  "  sum(dkim_aligned) AS dkim, sum(o_quarantined) AS quarantined, sum(o_rejected) AS rejected"
  "  FROM rscope GROUP BY domain, lo, hi, source_ip)"
  SOURCES_TAIL_WITH (RWORDS ("dkim_words", "dkim_signers") ", "
                     RWORDS ("spf_words", "spf_domains") ", "
                     RWORDS ("from_words", "header_froms"), "");

/* Every source (a CSV, the JSON): the words summed with the numbers, in
 * the same pass over the rollup rows.  Measured on 137,000 sources of a
 * year: 1.2 s for the aggregate, where looking up each source's words
 * took 5 s. */
static const char sources_all_sql[] = WITH_RSCOPE ","
  " p AS (SELECT domain, lo, hi, source_ip, coalesce(host(source_ip), '') AS src,"
  "  sum(messages) AS messages, sum(passed) AS passed, sum(spf_aligned) AS spf,"
  "  sum(dkim_aligned) AS dkim, sum(o_quarantined) AS quarantined, sum(o_rejected) AS rejected,"
  "  dmarcstat_words(dkim_words) AS dkim_signers, dmarcstat_words(spf_words) AS spf_domains,"
  "  dmarcstat_words(from_words) AS header_froms"
  "  FROM rscope GROUP BY domain, lo, hi, source_ip)"
  SOURCES_TAIL_WITH ("p.dkim_signers, p.spf_domains, p.header_froms", "");

static const char senders_sql[] = WITH_RSCOPE ","
  " p AS (SELECT source_ip, nullif(coalesce(host(source_ip), ''), '') AS src,"
  "  sum(messages) AS messages, sum(passed) AS passed, sum(spf_aligned) AS spf,"
  "  sum(dkim_aligned) AS dkim FROM rscope GROUP BY source_ip)" SENDERS_TAIL;

/* Only without a source filter: the reporters rollup has no source. */
static const char reporters_sql[] = "WITH " WIN_CTE ","
  " per_report AS (SELECT x.org_norm AS org_name_norm, x.org_name, x.reports, x.begin_time,"
  "  x.messages, x.passed" RSCOPE_CTE ("rollup_reporters", "x") " AND $7::inet IS NULL)"
  REPORTERS_TAIL;

const char *
query_rollup_sql (DashTable table, const DashQuery *query)
{
  if (query->header_from != NULL || query->result != NULL)
    return NULL;
  switch (table)
    {
    case DASH_TABLE_DOMAINS: return domains_sql;
    case DASH_TABLE_DOMAINS_DAILY: return domains_daily_sql;
    case DASH_TABLE_SUMMARY: return summary_sql;
    case DASH_TABLE_DAILY: return daily_sql;
    case DASH_TABLE_SOURCES: return query->limit > 0 ? sources_sql : sources_all_sql;
    case DASH_TABLE_SENDERS: return senders_sql;
    case DASH_TABLE_REPORTERS: return query->source == NULL ? reporters_sql : NULL;
    default: return NULL;
    }
}
