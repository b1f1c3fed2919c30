/*
 * query_dashboard_sql.h -- private to store/query_dashboard.c and
 * store/query_rollup.c: the SQL pieces both spell the same way (the
 * window, percentages, days, the policy text, the sender label), so that
 * the raw and the rollup queries cannot drift apart.
 */
#ifndef DMARCSTAT_QUERY_DASHBOARD_SQL_H
#define DMARCSTAT_QUERY_DASHBOARD_SQL_H

#include "store/query_dashboard.h"

#define DAY_OF(ts) "to_char((" ts ") AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
#define PCT(part, whole) "round(100.0 * (" part ") / nullif(" whole ", 0), 1)"
#define SUM_IF(cond) "coalesce(sum(count) FILTER (WHERE " cond "), 0)"
/* Enumerated values (disposition, policy_evaluated, results, reason types)
 * are stored lower-case by the parser (xml_fields.c, V_ENUM): compared as
 * they are.  Domains are stored as sent: compared through lower(). */
#define DMARC_PASS "coalesce(c.dkim_eval = 'pass' OR c.spf_eval = 'pass', false)"
/* unnest()s of parallel arrays into "d/s" or "d=result" text, space-separated. */
#define DKIM_TEXT(with_result) \
  "(SELECT string_agg(lower(coalesce(d, 'none')) || coalesce('/' || lower(s), '')" \
  with_result ", ' ') FROM unnest(dkim_domains, dkim_selectors, dkim_results) AS u (d, s, x))"
#define SPF_TEXT \
  "(SELECT string_agg(lower(coalesce(d, 'none')) || '=' || lower(coalesce(x, 'none')), ' ')" \
  " FROM unnest(spf_domains, spf_results) AS u (d, x))"
/* $1 domain, $2 days, $3 since, $4 until. */
#define WIN_CTE \
  "win AS (SELECT lower(r.domain) AS domain," \
  " CASE WHEN $3::timestamptz IS NOT NULL THEN $3::timestamptz" \
  "  WHEN $2::integer IS NULL OR max(r.begin_time) IS NULL THEN NULL" \
  "  ELSE date_trunc('day', max(r.begin_time), 'UTC') + (1 - $2::integer) * interval '1 day'" \
  " END AS lo, $4::timestamptz AS hi," \
  " date_trunc('day', max(r.begin_time), 'UTC') + interval '1 day' AS data_end," \
  " max(r.ingested_at) AS last_ingested" \
  " FROM reports r WHERE ($1::text IS NULL OR lower(r.domain) = lower($1::text))" \
  " AND ($4::timestamptz IS NULL OR r.begin_time < $4::timestamptz)" \
  " GROUP BY lower(r.domain))"

/* $5 header_from, $6 result, $7 source. */
#define SCOPE_CTE \
  "scope AS (SELECT w.domain, w.lo, coalesce(w.hi, w.data_end) AS hi_end, r.id AS report," \
  " r.report_id AS report_ref, r.org_name, r.org_name_norm, r.begin_time, c.ordinal," \
  " c.source_ip, c.count, c.disposition, c.dkim_eval, c.spf_eval, c.reason_types," \
  " c.reason_comments, c.envelope_to, c.envelope_from, c.header_from, c.dkim_domains, c.dkim_selectors, c.dkim_results," \
  " c.spf_domains, c.spf_results, " DMARC_PASS " AS pass," \
  " CASE c.disposition WHEN 'reject' THEN 'rejected' WHEN 'quarantine' THEN 'quarantined'" \
  "  ELSE CASE WHEN " DMARC_PASS " THEN 'pass' ELSE 'fail' END END AS outcome" \
  " FROM win w JOIN reports r ON lower(r.domain) = w.domain" \
  "  AND (w.lo IS NULL OR r.begin_time >= w.lo) AND (w.hi IS NULL OR r.begin_time < w.hi)" \
  " JOIN records c ON c.report_id = r.id" \
  " WHERE ($1::text IS NULL OR lower(r.domain) = lower($1::text))" \
  " AND ($5::text IS NULL OR lower(c.header_from) = $5::text)" \
  " AND ($7::inet IS NULL OR c.source_ip = $7::inet)" \
  " AND CASE $6::text WHEN 'pass' THEN " DMARC_PASS " WHEN 'fail' THEN NOT " DMARC_PASS \
  "  WHEN 'quarantine' THEN c.disposition = 'quarantine'" \
  "  WHEN 'reject' THEN c.disposition = 'reject' ELSE true END)"

#define WITH_SCOPE "WITH " WIN_CTE ", " SCOPE_CTE
#define SCOPE_PARAMS "DNSUFRX"

/* The published policy as DMARC tags, from reports r. */
#define POLICY_TEXT \
  "concat_ws('; ', 'p=' || r.p, 'sp=' || r.sp, 'np=' || r.np," \
  " CASE WHEN r.pct <> 100 THEN 'pct=' || r.pct END, CASE WHEN r.testing = 'y' THEN 't=y' END)"


/* The name a source is shown and grouped under (si: source_identity,
 * p.src: the source as text, NULL or '' for reporters' empty rows).  A
 * sender named from what passed on its mail, not from its PTR name, says
 * so (006_sender_by.sql). */
#define SENDER_LABEL \
  "CASE WHEN p.src IS NULL OR p.src = '' THEN '(no source IP)'" \
  " WHEN si.ip IS NULL THEN '(not resolved yet)'" \
  " ELSE coalesce(si.sender_name || CASE WHEN si.sender_by = 'dkim' THEN ' (by DKIM and SPF)'" \
  "  ELSE '' END, si.base_domain, si.ptr_name," \
  "  CASE WHEN si.ptr_status IN ('nxdomain', 'nodata') THEN '(no reverse DNS)'" \
  "  ELSE '(reverse DNS failed)' END) END"

/* The tails that turn per-source and per-time sums into each table's
 * columns, shared by the raw queries (query_dashboard.c) and the rollup
 * ones (query_rollup.c), which differ only in how they get the sums. */
#define DOMAINS_TAIL \
  " per_domain AS (SELECT domain, sum(messages) AS messages, sum(passed) AS passed," \
  "  sum(early) AS early, sum(early_passed) AS early_passed," \
  "  count(*) FILTER (WHERE passed < messages) AS failing_sources" \
  "  FROM per_source GROUP BY domain)," \
  " pol AS (SELECT DISTINCT ON (lower(r.domain)) lower(r.domain) AS domain, " POLICY_TEXT " AS policy" \
  "  FROM reports r WHERE ($1::text IS NULL OR lower(r.domain) = lower($1::text))" \
  "  AND ($4::timestamptz IS NULL OR r.begin_time < $4::timestamptz)" \
  "  ORDER BY lower(r.domain), r.begin_time DESC NULLS LAST, r.id DESC)" \
  " SELECT w.domain, coalesce(d.messages, 0) AS messages," \
  " " PCT ("d.passed", "d.messages") " AS dmarc_pass_pct, pol.policy," \
  " " PCT ("d.passed - d.early_passed", "d.messages - d.early") \
  " - " PCT ("d.early_passed", "d.early") " AS trend_pts," \
  " coalesce(d.failing_sources, 0) AS failing_sources," \
  " " DAY_OF ("w.lo") " AS first_day," \
  " " DAY_OF ("coalesce(w.hi, w.data_end) - interval '1 day'") " AS last_day," \
  " to_char(w.last_ingested AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS last_report" \
  " FROM win w LEFT JOIN per_domain d USING (domain) LEFT JOIN pol USING (domain)"

#define DOMAINS_DAILY_TAIL \
  " SELECT domain, " DAY_OF ("begin_time") " AS day, sum(messages) AS messages," \
  " sum(passed) AS dmarc_pass FROM per_time GROUP BY 1, 2"

#define SUMMARY_TAIL \
  " SELECT coalesce(sum(messages), 0) AS messages, coalesce(sum(passed), 0) AS dmarc_pass," \
  " coalesce(sum(messages) - sum(passed), 0) AS dmarc_fail," \
  " " PCT ("sum(passed)", "sum(messages)") " AS dmarc_pass_pct," \
  " " PCT ("sum(spf)", "sum(messages)") " AS spf_aligned_pct," \
  " " PCT ("sum(dkim)", "sum(messages)") " AS dkim_aligned_pct," \
  " coalesce(sum(quarantined), 0) AS quarantined, coalesce(sum(rejected), 0) AS rejected," \
  " count(*) AS sources, count(*) FILTER (WHERE passed < messages) AS failing_sources" \
  " FROM per_source"

#define DAILY_TAIL \
  " SELECT " DAY_OF ("begin_time") " AS day, sum(messages) AS messages, sum(pass) AS pass," \
  " sum(fail) AS fail, sum(quarantined) AS quarantined, sum(rejected) AS rejected" \
  " FROM per_time GROUP BY 1"

/* p: domain, src ('' for no source), messages, passed, spf, dkim,
 * quarantined, rejected; WORDS: the three word lists as dkim_signers,
 * spf_domains, header_froms; JOINS: what WORDS needs after FROM p. */
#define SOURCES_TAIL_WITH(words, joins) \
  " SELECT p.domain, nullif(p.src, '') AS source, " SENDER_LABEL " AS source_org," \
  " si.ptr_name AS source_name, si.sender_kind AS source_type, si.country AS source_country," \
  " p.messages," \
  " " PCT ("p.passed", "p.messages") " AS dmarc_pass_pct," \
  " " PCT ("p.spf", "p.messages") " AS spf_aligned_pct," \
  " " PCT ("p.dkim", "p.messages") " AS dkim_aligned_pct," \
  " p.messages - p.passed AS dmarc_fail, p.messages - p.quarantined - p.rejected AS delivered," \
  " p.quarantined, p.rejected, " words " FROM p" joins \
  " LEFT JOIN source_identity si ON si.ip = nullif(p.src, '')::inet"

/* dk, sp, hf: domain, src, words. */
#define JOIN_WORDS(cte) " LEFT JOIN " cte " ON " cte ".domain = p.domain AND " cte ".src = p.src"
#define SOURCES_TAIL \
  SOURCES_TAIL_WITH ("dk.words AS dkim_signers, sp.words AS spf_domains, hf.words AS header_froms", \
                     JOIN_WORDS ("dk") JOIN_WORDS ("sp") JOIN_WORDS ("hf"))

/* p: source_ip, src (NULL for no source), messages, passed, spf, dkim. */
#define SENDERS_TAIL \
  " SELECT " SENDER_LABEL " AS sender, min(si.sender_kind) AS kind, count(*) AS sources," \
  " sum(p.messages) AS messages, " PCT ("sum(p.passed)", "sum(p.messages)") " AS dmarc_pass_pct," \
  " " PCT ("sum(p.spf)", "sum(p.messages)") " AS spf_aligned_pct," \
  " " PCT ("sum(p.dkim)", "sum(p.messages)") " AS dkim_aligned_pct," \
  " sum(p.messages) - sum(p.passed) AS dmarc_fail," \
  " count(*) FILTER (WHERE si.generic) AS generic_ptr," \
  " count(*) FILTER (WHERE si.ip IS NOT NULL AND si.ptr_name IS NULL) AS no_ptr" \
  " FROM p LEFT JOIN source_identity si ON si.ip = p.source_ip GROUP BY 1"

/* per_report: org_name_norm, org_name, reports, begin_time, messages, passed. */
#define REPORTERS_TAIL \
  " SELECT min(org_name) AS reporter, sum(reports) AS reports, sum(messages) AS messages," \
  " " PCT ("sum(passed)", "sum(messages)") " AS dmarc_pass_pct," \
  " " DAY_OF ("max(begin_time)") " AS last_report FROM per_report GROUP BY org_name_norm"

/* The SQL of TABLE over the rollups (003_rollups.sql), with the same
 * parameters and columns as the raw query; NULL when the rollups cannot
 * answer QUERY exactly (a header_from or result filter, which the rollups
 * do not keep, or a table they do not cover).  (transfer none) */
const char *query_rollup_sql (DashTable table, const DashQuery *query);

#endif
