-- 005: the sources table's words (DKIM domain/selector, SPF domains, From
-- domains) kept in the rollup_sources row they belong to, as sorted arrays,
-- instead of a row each in rollup_words.
--
-- Measured on 20-record reports: rollup_words took 69 upserted rows of the
-- 157 each report added to the rollups (about 12 us each), and on a year
-- of a large domain (137,000 sources) its 1.5 million rows were what the
-- sources CSV spent most of its time on.  In the row, a source's words for
-- a window are the union of the arrays of its rows in that window
-- (dmarcstat_words), exact for every time filter as before.

ALTER TABLE rollup_sources
    ADD COLUMN dkim_words text[] NOT NULL DEFAULT '{}',  -- lower(domain)/lower(selector), 'none' for no domain
    ADD COLUMN spf_words  text[] NOT NULL DEFAULT '{}',  -- lower(domain)
    ADD COLUMN from_words text[] NOT NULL DEFAULT '{}';  -- lower(header_from)
DROP TABLE rollup_words;

-- The sorted, distinct union of two word lists: a rollup row met again.
CREATE FUNCTION dmarcstat_words_union(a text[], b text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT w ORDER BY w), '{}') FROM unnest(a || b) AS u (w)
$$;

-- A source's words over many rollup rows, as the sources table shows them:
-- distinct, sorted, space-separated; NULL when there are none.
CREATE FUNCTION dmarcstat_words_text(words text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(DISTINCT w, ' ' ORDER BY w) FROM unnest(words) AS u (w)
$$;
CREATE AGGREGATE dmarcstat_words(text[]) (
    SFUNC = array_cat, STYPE = text[], INITCOND = '{}', FINALFUNC = dmarcstat_words_text);

CREATE OR REPLACE FUNCTION dmarcstat_rebuild_rollups() RETURNS void LANGUAGE sql AS $rebuild$
TRUNCATE rollup_sources, rollup_reporters, rollup_advice, rollup_advice_auth;
WITH rec AS (
    SELECT lower(r.domain) AS domain_l, r.begin_time, r.org_name_norm, r.org_name, r.id AS report,
           c.source_ip, c.count, coalesce(c.dkim_eval = 'pass' OR c.spf_eval = 'pass', false) AS pass,
           c.spf_eval, c.dkim_eval, c.disposition, c.dkim_domains, c.dkim_selectors,
           c.spf_domains, lower(c.header_from) AS header_from,
           ('pass' = ANY (c.dkim_results) OR 'pass' = ANY (c.spf_results)) AS auth_any
    FROM reports r JOIN records c ON c.report_id = r.id),
sums AS (
    SELECT domain_l, begin_time, source_ip, sum(count) AS messages,
           coalesce(sum(count) FILTER (WHERE pass), 0) AS passed,
           coalesce(sum(count) FILTER (WHERE spf_eval = 'pass'), 0) AS spf_aligned,
           coalesce(sum(count) FILTER (WHERE dkim_eval = 'pass'), 0) AS dkim_aligned,
           coalesce(sum(count) FILTER (WHERE pass AND disposition IS DISTINCT FROM 'reject'
                                       AND disposition IS DISTINCT FROM 'quarantine'), 0) AS o_pass,
           coalesce(sum(count) FILTER (WHERE NOT pass AND disposition IS DISTINCT FROM 'reject'
                                       AND disposition IS DISTINCT FROM 'quarantine'), 0) AS o_fail,
           coalesce(sum(count) FILTER (WHERE disposition = 'quarantine'), 0) AS o_quarantined,
           coalesce(sum(count) FILTER (WHERE disposition = 'reject'), 0) AS o_rejected,
           count(*) FILTER (WHERE pass OR coalesce(auth_any, false)) AS cand_records
    FROM rec GROUP BY domain_l, begin_time, source_ip),
-- Joined on keys without NULLs, so that the join can hash.
words AS (
    SELECT rec.domain_l, coalesce(rec.begin_time, '-infinity') AS bt,
           coalesce(host(rec.source_ip), '') AS src,
           array_agg(DISTINCT w.word ORDER BY w.word) FILTER (WHERE w.kind = 'd') AS d,
           array_agg(DISTINCT w.word ORDER BY w.word) FILTER (WHERE w.kind = 's') AS s,
           array_agg(DISTINCT w.word ORDER BY w.word) FILTER (WHERE w.kind = 'h') AS h
    FROM rec, LATERAL (SELECT 'd' AS kind, lower(coalesce(d, 'none')) || coalesce('/' || lower(s), '') AS word
                       FROM unnest(rec.dkim_domains, rec.dkim_selectors) AS u (d, s)
                       UNION ALL SELECT 's', lower(d) FROM unnest(rec.spf_domains) AS u (d) WHERE d IS NOT NULL
                       UNION ALL SELECT 'h', rec.header_from WHERE rec.header_from <> '') AS w
    GROUP BY 1, 2, 3)
INSERT INTO rollup_sources (domain_l, begin_time, source_ip, messages, passed, spf_aligned,
                            dkim_aligned, o_pass, o_fail, o_quarantined, o_rejected, cand_records,
                            dkim_words, spf_words, from_words)
SELECT g.*, coalesce(w.d, '{}'), coalesce(w.s, '{}'), coalesce(w.h, '{}')
FROM sums g LEFT JOIN words w ON w.domain_l = g.domain_l
     AND w.bt = coalesce(g.begin_time, '-infinity') AND w.src = coalesce(host(g.source_ip), '');

INSERT INTO rollup_reporters
SELECT domain_l, begin_time, org_name_norm, min(org_name), count(DISTINCT report), sum(messages),
       sum(passed)
FROM (SELECT lower(r.domain) AS domain_l, r.begin_time, r.org_name_norm, r.org_name, r.id AS report,
             sum(c.count) AS messages,
             coalesce(sum(c.count) FILTER (WHERE c.dkim_eval = 'pass' OR c.spf_eval = 'pass'), 0) AS passed
      FROM reports r JOIN records c ON c.report_id = r.id
      GROUP BY 1, 2, 3, 4, 5) AS per_report
GROUP BY domain_l, begin_time, org_name_norm;

INSERT INTO rollup_advice
SELECT domain_l, day, source_ip, sum(count),
       coalesce(sum(count) FILTER (WHERE pass), 0),
       coalesce(sum(count) FILTER (WHERE dkim_ok), 0),
       coalesce(sum(count) FILTER (WHERE spf_ok), 0),
       coalesce(sum(count) FILTER (WHERE NOT pass AND overridden), 0),
       coalesce(sum(count) FILTER (WHERE intermediary), 0),
       coalesce(sum(count) FILTER (WHERE NOT pass AND listed), 0),
       coalesce(sum(count) FILTER (WHERE plain AND sub), 0),
       coalesce(sum(count) FILTER (WHERE plain AND disposition = 'quarantine'), 0),
       coalesce(sum(count) FILTER (WHERE plain AND disposition = 'reject'), 0),
       min(header_from) FILTER (WHERE plain AND sub)
FROM (SELECT *, NOT pass AND NOT overridden AS plain,
             coalesce(right(header_from, length(domain_l) + 1) = '.' || domain_l, false) AS sub
      FROM (SELECT lower(r.domain) AS domain_l, c.source_ip, c.count,
                   ((r.begin_time AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS day,
                   coalesce(lower(c.dkim_eval) = 'pass' OR lower(c.spf_eval) = 'pass', false) AS pass,
                   coalesce(lower(c.dkim_eval) = 'pass', false) AS dkim_ok,
                   coalesce(lower(c.spf_eval) = 'pass', false) AS spf_ok,
                   coalesce(c.reason_types && ARRAY['forwarded','mailing_list','trusted_forwarder','local_policy'], false) AS overridden,
                   coalesce(c.reason_types && ARRAY['forwarded','mailing_list','trusted_forwarder'], false) AS intermediary,
                   coalesce('mailing_list' = ANY (c.reason_types), false) AS listed,
                   lower(c.header_from) AS header_from, lower(c.disposition) AS disposition
            FROM reports r JOIN records c ON c.report_id = r.id
            WHERE c.source_ip IS NOT NULL AND r.begin_time IS NOT NULL) AS x) AS y
GROUP BY domain_l, day, source_ip;

INSERT INTO rollup_advice_auth
SELECT x.domain_l, x.day, x.source_ip, a.kind, lower(a.domain), a.selector, lower(a.result),
       x.pass, sum(x.count)
FROM (SELECT lower(r.domain) AS domain_l, c.source_ip, c.count, c.dkim_domains, c.dkim_selectors,
             c.dkim_results, c.spf_domains, c.spf_results,
             ((r.begin_time AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS day,
             coalesce(lower(c.dkim_eval) = 'pass' OR lower(c.spf_eval) = 'pass', false) AS pass
      FROM reports r JOIN records c ON c.report_id = r.id
      WHERE c.source_ip IS NOT NULL AND r.begin_time IS NOT NULL) AS x
CROSS JOIN LATERAL (
  SELECT 'dkim' AS kind, u.d AS domain, u.sel AS selector, u.res AS result
  FROM unnest(x.dkim_domains, x.dkim_selectors, x.dkim_results) AS u (d, sel, res)
  UNION ALL
  SELECT 'spf', u.d, NULL, u.res FROM unnest(x.spf_domains, x.spf_results) AS u (d, res)) AS a
WHERE lower(a.result) = 'pass' OR lower(a.domain) = x.domain_l
   OR right(lower(a.domain), length(x.domain_l) + 1) = '.' || x.domain_l
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
$rebuild$;

DO $$ BEGIN PERFORM dmarcstat_rebuild_rollups(); END $$;
