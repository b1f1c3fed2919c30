-- 003_rollups.sql -- per-source sums kept at ingest, so that the dashboard
-- never scans raw records for its pages.
--
-- The grain is (policy domain, report begin_time, source): the reports of
-- one day from every reporter mostly share their begin_time, so a domain's
-- day of reports from many receivers folds into one row per source, and
-- every time filter the pages offer (days back, since/until to the second,
-- the trend's half-period) stays exact, as on the raw records.  A report's
-- rows are added in the transaction that stores it (store/rollup.c), in key
-- order so that concurrent ingest workers lock rows in the same order.
-- NULLS NOT DISTINCT: reports without a date range and reporters' rows
-- without a source IP have a key too.

CREATE TABLE rollup_sources (
    domain_l     text NOT NULL,          -- lower(reports.domain)
    begin_time   timestamptz,
    source_ip    inet,
    messages     bigint NOT NULL,
    passed       bigint NOT NULL,        -- DMARC pass (aligned DKIM or SPF)
    spf_aligned  bigint NOT NULL,
    dkim_aligned bigint NOT NULL,
    o_pass       bigint NOT NULL,        -- outcomes: each message in exactly one
    o_fail       bigint NOT NULL,
    o_quarantined bigint NOT NULL,
    o_rejected   bigint NOT NULL,
    -- records (not messages) on which anything passed, for any domain:
    -- the policy advice's "worth a look" test (store/query_advice.c)
    cand_records bigint NOT NULL,
    CONSTRAINT rollup_sources_key UNIQUE NULLS NOT DISTINCT (domain_l, begin_time, source_ip)
);

-- One source's rows (its first day, its page).
CREATE INDEX rollup_sources_source ON rollup_sources (domain_l, source_ip, begin_time);

-- The words of the sources table: DKIM domain/selector ('d'), SPF domains
-- ('s') and header_from domains ('h') seen per source.  Keyed source first:
-- the sources table looks up the words of the rows it shows.
CREATE TABLE rollup_words (
    domain_l     text NOT NULL,
    begin_time   timestamptz,
    source_ip    inet,
    kind         "char" NOT NULL,
    word         text NOT NULL,
    CONSTRAINT rollup_words_key UNIQUE NULLS NOT DISTINCT (domain_l, source_ip, kind, word, begin_time)
);

CREATE TABLE rollup_reporters (
    domain_l     text NOT NULL,
    begin_time   timestamptz,
    org_norm     text NOT NULL,
    org_name     text NOT NULL,          -- the smallest spelling seen
    reports      bigint NOT NULL,
    messages     bigint NOT NULL,
    passed       bigint NOT NULL,
    CONSTRAINT rollup_reporters_key UNIQUE NULLS NOT DISTINCT (domain_l, begin_time, org_norm)
);

-- What the policy advice reads per source and UTC day (store/query_advice.c):
-- the same tests as there, per record, summed.  pass: DMARC pass;
-- overridden/intermediary/listed: the receiver's override reasons; a
-- "plain" failure is one no override explains; fail_sub: plain failures
-- with a subdomain of the policy domain in From.
CREATE TABLE rollup_advice (
    domain_l          text NOT NULL,
    day               integer NOT NULL,      -- days since 1970-01-01, UTC
    source_ip         inet NOT NULL,
    total             bigint NOT NULL,
    pass              bigint NOT NULL,
    dkim_ok           bigint NOT NULL,
    spf_ok            bigint NOT NULL,
    fail_override     bigint NOT NULL,
    intermediary      bigint NOT NULL,
    fail_list         bigint NOT NULL,
    fail_sub          bigint NOT NULL,
    plain_quarantined bigint NOT NULL,
    plain_rejected    bigint NOT NULL,
    sub_domain        text,                  -- the smallest such From domain
    CONSTRAINT rollup_advice_key UNIQUE (domain_l, source_ip, day)
);

-- The DKIM and SPF results the advice looks at: those that passed, and
-- those for the policy domain or its subdomains.
CREATE TABLE rollup_advice_auth (
    domain_l     text NOT NULL,
    day          integer NOT NULL,
    source_ip    inet NOT NULL,
    kind         text NOT NULL,               -- dkim, spf
    auth_domain  text,                        -- lower case
    selector     text,
    result       text,                        -- lower case
    on_pass      boolean NOT NULL,            -- on mail that passed DMARC
    messages     bigint NOT NULL,
    CONSTRAINT rollup_advice_auth_key UNIQUE NULLS NOT DISTINCT
        (domain_l, source_ip, day, kind, auth_domain, selector, result, on_pass)
);

-- Rebuilds the rollups from the records: for the reports already stored
-- when this migration runs, and after records were changed by hand
-- (`dmarcstat db rebuild-rollups`).
CREATE FUNCTION dmarcstat_rebuild_rollups() RETURNS void LANGUAGE sql AS $rebuild$
TRUNCATE rollup_sources, rollup_words, rollup_reporters, rollup_advice, rollup_advice_auth;
WITH rec AS (
    SELECT lower(r.domain) AS domain_l, r.begin_time, r.org_name_norm, r.org_name, r.id AS report,
           c.source_ip, c.count, coalesce(c.dkim_eval = 'pass' OR c.spf_eval = 'pass', false) AS pass,
           c.spf_eval, c.dkim_eval, c.disposition, c.dkim_domains, c.dkim_selectors,
           c.spf_domains, lower(c.header_from) AS header_from,
           ('pass' = ANY (c.dkim_results) OR 'pass' = ANY (c.spf_results)) AS auth_any
    FROM reports r JOIN records c ON c.report_id = r.id)
INSERT INTO rollup_sources
SELECT domain_l, begin_time, source_ip, sum(count),
       coalesce(sum(count) FILTER (WHERE pass), 0),
       coalesce(sum(count) FILTER (WHERE spf_eval = 'pass'), 0),
       coalesce(sum(count) FILTER (WHERE dkim_eval = 'pass'), 0),
       coalesce(sum(count) FILTER (WHERE pass AND disposition IS DISTINCT FROM 'reject'
                                   AND disposition IS DISTINCT FROM 'quarantine'), 0),
       coalesce(sum(count) FILTER (WHERE NOT pass AND disposition IS DISTINCT FROM 'reject'
                                   AND disposition IS DISTINCT FROM 'quarantine'), 0),
       coalesce(sum(count) FILTER (WHERE disposition = 'quarantine'), 0),
       coalesce(sum(count) FILTER (WHERE disposition = 'reject'), 0),
       count(*) FILTER (WHERE pass OR coalesce(auth_any, false))
FROM rec GROUP BY domain_l, begin_time, source_ip;

INSERT INTO rollup_words (domain_l, source_ip, kind, word, begin_time)
SELECT DISTINCT lower(r.domain), c.source_ip, w.kind, w.word, r.begin_time
FROM reports r JOIN records c ON c.report_id = r.id,
LATERAL (SELECT 'd'::"char" AS kind, lower(coalesce(d, 'none')) || coalesce('/' || lower(s), '') AS word
         FROM unnest(c.dkim_domains, c.dkim_selectors) AS u (d, s)
         UNION ALL SELECT 's', lower(d) FROM unnest(c.spf_domains) AS u (d) WHERE d IS NOT NULL
         UNION ALL SELECT 'h', lower(c.header_from) WHERE c.header_from <> '') AS w;

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

-- (PERFORM: a migration's last statement returns no rows.)
DO $$ BEGIN PERFORM dmarcstat_rebuild_rollups(); END $$;
