/*
 * rollup.c -- see rollup.h.
 *
 * One statement with data-modifying CTEs: the report's records are read
 * once (rec) and summed into the four rollup tables.  Rows are inserted in key
 * order, so two workers storing reports of the same domain and day lock
 * the shared rows in the same order and cannot deadlock on them.
 */
#include "store/rollup.h"
#include "store/db_private.h"

/* As store/query_advice.c: overrides that mean "expected failure", and
 * the first three also "an intermediary". */
#define OVERRIDES "ARRAY['forwarded','mailing_list','trusted_forwarder','local_policy']"
#define INTERMEDIARY "ARRAY['forwarded','mailing_list','trusted_forwarder']"

#define OUTCOME_DELIVERED \
  "disposition IS DISTINCT FROM 'reject' AND disposition IS DISTINCT FROM 'quarantine'"

const char rollup_add_ctes[] =
  "rec AS (SELECT lower(r.domain) AS domain_l, r.begin_time, r.org_name_norm, r.org_name,"
  "  c.source_ip, c.count, coalesce(c.dkim_eval = 'pass' OR c.spf_eval = 'pass', false) AS pass,"
  "  c.spf_eval, c.dkim_eval, c.disposition, c.dkim_domains, c.dkim_selectors, c.spf_domains,"
  "  c.header_from, ('pass' = ANY (c.dkim_results) OR 'pass' = ANY (c.spf_results)) AS auth_any,"
  "  c.reason_types, c.dkim_results, c.spf_results,"
  "  ((r.begin_time AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS day"
  "  FROM reports r JOIN records c ON c.report_id = r.id"
  /* $8, the records' partition key, lets the executor read the report's
   * month only, even in the prepared statement's generic plan. */
  "   AND c.report_time = $8::timestamptz WHERE r.id = $1::bigint),"
  /* The advice's per-record tests (query_advice.c), for dated records with a source. */
  " adv AS (SELECT *, NOT pass AND NOT overridden AS plain,"
  "  coalesce(right(lower(header_from), length(domain_l) + 1) = '.' || domain_l, false) AS sub"
  "  FROM (SELECT domain_l, day, source_ip, count, pass, lower(header_from) AS header_from,"
  "   lower(disposition) AS disposition,"
  "   coalesce(lower(dkim_eval) = 'pass', false) AS dkim_ok,"
  "   coalesce(lower(spf_eval) = 'pass', false) AS spf_ok,"
  "   reason_types && " OVERRIDES " AS overridden,"
  "   reason_types && " INTERMEDIARY " AS intermediary,"
  "   'mailing_list' = ANY (reason_types) AS listed"
  "   FROM rec WHERE source_ip IS NOT NULL AND day IS NOT NULL) AS x),"
  " a AS (INSERT INTO rollup_advice AS t SELECT domain_l, day, source_ip, sum(count),"
  "  coalesce(sum(count) FILTER (WHERE pass), 0),"
  "  coalesce(sum(count) FILTER (WHERE dkim_ok), 0),"
  "  coalesce(sum(count) FILTER (WHERE spf_ok), 0),"
  "  coalesce(sum(count) FILTER (WHERE NOT pass AND overridden), 0),"
  "  coalesce(sum(count) FILTER (WHERE intermediary), 0),"
  "  coalesce(sum(count) FILTER (WHERE NOT pass AND listed), 0),"
  "  coalesce(sum(count) FILTER (WHERE plain AND sub), 0),"
  "  coalesce(sum(count) FILTER (WHERE plain AND disposition = 'quarantine'), 0),"
  "  coalesce(sum(count) FILTER (WHERE plain AND disposition = 'reject'), 0),"
  "  min(header_from) FILTER (WHERE plain AND sub)"
  "  FROM adv GROUP BY domain_l, day, source_ip ORDER BY domain_l, source_ip, day"
  "  ON CONFLICT ON CONSTRAINT rollup_advice_key DO UPDATE SET"
  "  total = t.total + excluded.total, pass = t.pass + excluded.pass,"
  "  dkim_ok = t.dkim_ok + excluded.dkim_ok, spf_ok = t.spf_ok + excluded.spf_ok,"
  "  fail_override = t.fail_override + excluded.fail_override,"
  "  intermediary = t.intermediary + excluded.intermediary,"
  "  fail_list = t.fail_list + excluded.fail_list, fail_sub = t.fail_sub + excluded.fail_sub,"
  "  plain_quarantined = t.plain_quarantined + excluded.plain_quarantined,"
  "  plain_rejected = t.plain_rejected + excluded.plain_rejected,"
  "  sub_domain = CASE WHEN t.sub_domain IS NULL THEN excluded.sub_domain"
  "   WHEN excluded.sub_domain IS NULL THEN t.sub_domain"
  "   ELSE least(t.sub_domain, excluded.sub_domain) END),"
  " aa AS (INSERT INTO rollup_advice_auth AS t SELECT rec.domain_l, rec.day, rec.source_ip,"
  "  x.kind, lower(x.domain), x.selector, lower(x.result), rec.pass, sum(rec.count)"
  "  FROM rec CROSS JOIN LATERAL ("
  "   SELECT 'dkim' AS kind, u.d AS domain, u.sel AS selector, u.res AS result"
  "   FROM unnest(rec.dkim_domains, rec.dkim_selectors, rec.dkim_results) AS u (d, sel, res)"
  "   UNION ALL SELECT 'spf', u.d, NULL, u.res"
  "   FROM unnest(rec.spf_domains, rec.spf_results) AS u (d, res)) AS x"
  "  WHERE rec.source_ip IS NOT NULL AND rec.day IS NOT NULL AND (lower(x.result) = 'pass'"
  "   OR lower(x.domain) = rec.domain_l"
  "   OR right(lower(x.domain), length(rec.domain_l) + 1) = '.' || rec.domain_l)"
  "  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
  /* Key order, in bytes ("C"): any order shared by every writer avoids
   * deadlocks, and this one sorts a large report's rows several times
   * faster than the database's collation does. */
  "  ORDER BY rec.domain_l COLLATE \"C\", rec.source_ip, rec.day, x.kind COLLATE \"C\","
  "  lower(x.domain) COLLATE \"C\", x.selector COLLATE \"C\", lower(x.result) COLLATE \"C\", rec.pass"
  "  ON CONFLICT ON CONSTRAINT rollup_advice_auth_key DO UPDATE SET"
  "  messages = t.messages + excluded.messages),"
  /* The report's words per source (domain and time are the report's);
   * MATERIALIZED, or the planner recomputes it for every source. */
  " rw AS MATERIALIZED (SELECT coalesce(host(rec.source_ip), '') AS src,"
  "  coalesce(array_agg(DISTINCT x.word ORDER BY x.word) FILTER (WHERE x.kind = 'd'), '{}') AS d,"
  "  coalesce(array_agg(DISTINCT x.word ORDER BY x.word) FILTER (WHERE x.kind = 's'), '{}') AS s,"
  "  coalesce(array_agg(DISTINCT x.word ORDER BY x.word) FILTER (WHERE x.kind = 'h'), '{}') AS h"
  "  FROM rec, LATERAL (SELECT 'd' AS kind,"
  "   lower(coalesce(d, 'none')) || coalesce('/' || lower(s), '') AS word"
  "   FROM unnest(rec.dkim_domains, rec.dkim_selectors) AS u (d, s)"
  "   UNION ALL SELECT 's', lower(d) FROM unnest(rec.spf_domains) AS u (d) WHERE d IS NOT NULL"
  "   UNION ALL SELECT 'h', lower(rec.header_from) WHERE rec.header_from <> '') AS x"
  "  GROUP BY 1),"
  " s AS (INSERT INTO rollup_sources AS t (domain_l, begin_time, source_ip, messages, passed,"
  "  spf_aligned, dkim_aligned, o_pass, o_fail, o_quarantined, o_rejected, cand_records,"
  "  dkim_words, spf_words, from_words)"
  "  SELECT g.*, coalesce(rw.d, '{}'), coalesce(rw.s, '{}'), coalesce(rw.h, '{}') FROM ("
  "  SELECT domain_l, begin_time, source_ip, sum(count),"
  "  coalesce(sum(count) FILTER (WHERE pass), 0),"
  "  coalesce(sum(count) FILTER (WHERE spf_eval = 'pass'), 0),"
  "  coalesce(sum(count) FILTER (WHERE dkim_eval = 'pass'), 0),"
  "  coalesce(sum(count) FILTER (WHERE pass AND " OUTCOME_DELIVERED "), 0),"
  "  coalesce(sum(count) FILTER (WHERE NOT pass AND " OUTCOME_DELIVERED "), 0),"
  "  coalesce(sum(count) FILTER (WHERE disposition = 'quarantine'), 0),"
  "  coalesce(sum(count) FILTER (WHERE disposition = 'reject'), 0),"
  "  count(*) FILTER (WHERE pass OR coalesce(auth_any, false))"
  "  FROM rec GROUP BY domain_l, begin_time, source_ip) AS g (domain_l, begin_time, source_ip)"
  "  LEFT JOIN rw ON rw.src = coalesce(host(g.source_ip), '')"
  "  ORDER BY g.domain_l, g.begin_time, g.source_ip"
  "  ON CONFLICT ON CONSTRAINT rollup_sources_key DO UPDATE SET"
  "  messages = t.messages + excluded.messages, passed = t.passed + excluded.passed,"
  "  spf_aligned = t.spf_aligned + excluded.spf_aligned,"
  "  dkim_aligned = t.dkim_aligned + excluded.dkim_aligned, o_pass = t.o_pass + excluded.o_pass,"
  "  o_fail = t.o_fail + excluded.o_fail,"
  "  o_quarantined = t.o_quarantined + excluded.o_quarantined,"
  "  o_rejected = t.o_rejected + excluded.o_rejected,"
  "  cand_records = t.cand_records + excluded.cand_records,"
  /* Another reporter's report of the same source and time mostly brings
   * the same words: the union is only computed when it does not. */
  "  dkim_words = CASE WHEN excluded.dkim_words <@ t.dkim_words THEN t.dkim_words"
  "   ELSE dmarcstat_words_union(t.dkim_words, excluded.dkim_words) END,"
  "  spf_words = CASE WHEN excluded.spf_words <@ t.spf_words THEN t.spf_words"
  "   ELSE dmarcstat_words_union(t.spf_words, excluded.spf_words) END,"
  "  from_words = CASE WHEN excluded.from_words <@ t.from_words THEN t.from_words"
  "   ELSE dmarcstat_words_union(t.from_words, excluded.from_words) END),"
  " rp AS (INSERT INTO rollup_reporters AS t SELECT domain_l, begin_time, org_name_norm, min(org_name), 1,"
  "  sum(count), coalesce(sum(count) FILTER (WHERE pass), 0)"
  "  FROM rec GROUP BY domain_l, begin_time, org_name_norm"
  "  ON CONFLICT ON CONSTRAINT rollup_reporters_key DO UPDATE SET"
  "  org_name = least(t.org_name, excluded.org_name), reports = t.reports + 1,"
  "  messages = t.messages + excluded.messages, passed = t.passed + excluded.passed)";

gint64
rollup_prune (Store *store, const char *before, GError **error)
{
  static const char *const sql[] = {
    "DELETE FROM rollup_sources WHERE begin_time < $1::timestamptz",
    "DELETE FROM rollup_reporters WHERE begin_time < $1::timestamptz",
    "DELETE FROM rollup_advice"
    " WHERE day < (($1::timestamptz AT TIME ZONE 'UTC')::date - DATE '1970-01-01')",
    "DELETE FROM rollup_advice_auth"
    " WHERE day < (($1::timestamptz AT TIME ZONE 'UTC')::date - DATE '1970-01-01')",
  };
  const char *params[] = { before };
  gint64 n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr (PGresult) res = store_query (store, "pruning rollups", PGRES_COMMAND_OK, sql[i],
                                              1, params, error);
      if (res == NULL)
        return -1;
      n += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
    }
  return n;
}
