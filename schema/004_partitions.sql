-- 004: records partitioned by month (docs/scaling.md, section 4).
--
-- Records are only ever read by time window and removed by age, so the
-- table becomes PARTITION BY RANGE on the report's time, one partition per
-- UTC month, named records_pYYYY_MM (pg_partman's own naming, so either
-- side can create them).  `db prune` drops whole months instead of
-- deleting rows.
--
-- report_time is the report's begin_time, copied at ingest.  pg_partman
-- wants a NOT NULL control column, so an undated report (no date_range,
-- begin_time NULL) is filed under '-infinity': it stays in the default
-- partition and no prune by date ever drops it, as no prune deletes its
-- report.
--
-- The primary key on id goes: a partitioned table's unique keys must
-- contain the partition key, nothing looks records up by id, and a row is
-- named by (report_id, ordinal).
--
-- pg_partman (Debian: postgresql-15-partman) creates the months ahead when
-- it is installed and this role may create the extension; the setting
-- dmarcstat.partman = 'off' (ALTER DATABASE ... SET) declines it.  Without
-- it, dmarcstat_maintain_partitions() below creates them.  Either way rows
-- for a month without a partition go to records_default and nothing is
-- ever refused; maintenance moves them into their month.

ALTER TABLE records RENAME TO records_unpartitioned;
ALTER INDEX records_report RENAME TO records_unpartitioned_report;
ALTER INDEX records_source_ip RENAME TO records_unpartitioned_source_ip;
ALTER INDEX records_pkey RENAME TO records_unpartitioned_pkey;

CREATE TABLE records (
    id                  bigint NOT NULL DEFAULT nextval('records_id_seq'),
    report_id           bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    report_time         timestamptz NOT NULL, -- reports.begin_time, '-infinity' when undated
    ordinal             integer NOT NULL,
    source_ip           inet,
    count               bigint NOT NULL CHECK (count >= 0),
    disposition         text,
    dkim_eval           text,
    spf_eval            text,
    reason_types        text[] NOT NULL DEFAULT '{}',
    reason_comments     text[] NOT NULL DEFAULT '{}',
    envelope_to         text,
    envelope_from       text,
    header_from         text,
    dkim_domains        text[] NOT NULL DEFAULT '{}',
    dkim_selectors      text[] NOT NULL DEFAULT '{}',
    dkim_results        text[] NOT NULL DEFAULT '{}',
    dkim_human_results  text[] NOT NULL DEFAULT '{}',
    spf_domains         text[] NOT NULL DEFAULT '{}',
    spf_scopes          text[] NOT NULL DEFAULT '{}',
    spf_results         text[] NOT NULL DEFAULT '{}',
    spf_human_results   text[] NOT NULL DEFAULT '{}'
) PARTITION BY RANGE (report_time);
CREATE INDEX records_report ON records (report_id);
CREATE INDEX records_source_ip ON records (source_ip);
ALTER SEQUENCE records_id_seq OWNED BY records.id;

-- The partition bounds of a child, from its catalogue expression.
CREATE FUNCTION dmarcstat_partition_upper(child regclass) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz
    FROM pg_class c WHERE c.oid = child
$$;

-- Creates month M's partition (UTC) unless it exists, moving its rows out
-- of the default partition first: a partition cannot be attached while the
-- default one holds rows of its range.  Returns the rows moved.
CREATE FUNCTION dmarcstat_make_month(m timestamptz) RETURNS bigint
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    lo timestamptz := date_trunc('month', m);
    hi timestamptz := date_trunc('month', m) + interval '1 month';
    child text := 'records_p' || to_char(date_trunc('month', m), 'YYYY_MM');
    moved bigint := 0;
BEGIN
    IF to_regclass(child) IS NOT NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE records INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child);
    IF to_regclass('records_default') IS NOT NULL THEN
        EXECUTE format('WITH d AS (DELETE FROM records_default WHERE report_time >= $1'
                       ' AND report_time < $2 RETURNING *) INSERT INTO %I SELECT * FROM d', child)
            USING lo, hi;
        GET DIAGNOSTICS moved = ROW_COUNT;
    END IF;
    EXECUTE format('ALTER TABLE records ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   child, lo, hi);
    RETURN moved;
END
$$;

-- Keeps the partitions in shape: every month that has rows in the default
-- partition gets its own (rows moved), then the current month and the
-- next four exist (by pg_partman's run_maintenance when it manages the
-- table).  Cheap when there is nothing to do, so every writer runs it when
-- it opens the database.  SECURITY DEFINER: the ingest role has only data
-- grants (SECURITY.md), and DDL runs as the schema owner.
--
-- Attaching a partition takes locks that a storing transaction also wants
-- (SHARE ROW EXCLUSIVE on reports, for the foreign key the partition
-- inherits; ACCESS EXCLUSIVE on the default partition, which the rollup
-- statement reads): taken in the other order, that is a deadlock.  So the
-- upkeep first takes SHARE ROW EXCLUSIVE on reports, which waits for the
-- transactions storing reports to end and holds new ones at their INSERT
-- INTO reports, before they touch records; and it does so only when there
-- is work, and for at most lock_timeout: a busy database is kept next time.
CREATE FUNCTION dmarcstat_maintain_partitions() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' SET search_path = public, pg_temp
SET lock_timeout = '5s' AS $$
DECLARE
    m timestamptz;
    moved bigint := 0;
    partman boolean;
BEGIN
    -- One maintainer at a time; the others go on (the next one catches up).
    IF NOT pg_try_advisory_xact_lock(7718094) THEN
        RETURN 0;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM generate_series(date_trunc('month', now()),
                                                 date_trunc('month', now()) + interval '4 months',
                                                 interval '1 month') AS g (month)
                   WHERE to_regclass('records_p' || to_char(g.month, 'YYYY_MM')) IS NULL)
       AND (to_regclass('records_default') IS NULL
            OR NOT EXISTS (SELECT 1 FROM records_default
                           WHERE report_time > '-infinity' AND report_time < 'infinity')) THEN
        RETURN 0;
    END IF;
    LOCK TABLE reports IN SHARE ROW EXCLUSIVE MODE;
    IF to_regclass('records_default') IS NOT NULL THEN
        FOR m IN SELECT DISTINCT date_trunc('month', report_time) FROM records_default
                 WHERE report_time > '-infinity' AND report_time < 'infinity' ORDER BY 1 LOOP
            moved := moved + dmarcstat_make_month(m);
        END LOOP;
    END IF;
    partman := to_regclass('partman.part_config') IS NOT NULL;
    IF partman THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM partman.part_config WHERE parent_table = ''public.records'')'
            INTO partman;
    END IF;
    IF partman THEN
        EXECUTE 'SELECT partman.run_maintenance(''public.records'', p_analyze := false)';
    ELSE
        FOR m IN SELECT generate_series(date_trunc('month', now()),
                                        date_trunc('month', now()) + interval '4 months',
                                        interval '1 month') LOOP
            PERFORM dmarcstat_make_month(m);
        END LOOP;
    END IF;
    RETURN moved;
END
$$;

-- Drops the partitions that end on or before CUTOFF (whole months), for
-- `db prune`; returns the records they held.  The caller deletes the
-- reports, whose remaining records go by cascade.
CREATE FUNCTION dmarcstat_drop_partitions_before(cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' SET search_path = public, pg_temp AS $$
DECLARE
    child regclass;
    n bigint;
    dropped bigint := 0;
BEGIN
    -- The upkeep's lock order (above): reports first.
    LOCK TABLE reports IN SHARE ROW EXCLUSIVE MODE;
    FOR child IN SELECT i.inhrelid::regclass FROM pg_inherits i
                 WHERE i.inhparent = 'records'::regclass
                   AND dmarcstat_partition_upper(i.inhrelid) <= cutoff LOOP
        EXECUTE format('SELECT count(*) FROM %s', child) INTO n;
        dropped := dropped + n;
        EXECUTE format('ALTER TABLE records DETACH PARTITION %s', child);
        EXECUTE format('DROP TABLE %s', child);
    END LOOP;
    RETURN dropped;
END
$$;

-- SECURITY DEFINER runs as the owner: only the owner (the ingest role,
-- SECURITY.md) may call these, never the dashboard's read-only role.
REVOKE EXECUTE ON FUNCTION dmarcstat_maintain_partitions() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION dmarcstat_drop_partitions_before(timestamptz) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION dmarcstat_make_month(timestamptz) FROM PUBLIC;

DO $partition$
DECLARE
    first_month timestamptz;
    back timestamptz;
    use_partman boolean;
BEGIN
    SET LOCAL timezone = 'UTC';
    SELECT date_trunc('month', min(begin_time)) INTO first_month FROM reports;
    -- A new installation is often given its maildir's backlog first: the
    -- months of the year before are made now, empty, so that the backlog
    -- does not wait in the default partition for the upkeep to move it.
    back := date_trunc('month', now()) - interval '12 months';
    use_partman := coalesce(current_setting('dmarcstat.partman', true), '') <> 'off'
        AND (EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_partman')
             OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman')
                 AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)));
    IF use_partman THEN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_partman') THEN
            CREATE SCHEMA IF NOT EXISTS partman;
            CREATE EXTENSION pg_partman SCHEMA partman;
        END IF;
        -- Creates records_default and the months from the oldest report's
        -- (or a year back) to four ahead.
        EXECUTE format('SELECT partman.create_parent(%L, %L, %L, %L, p_premake := 4,'
                       ' p_start_partition := %L)', 'public.records', 'report_time', 'native',
                       'monthly', least(first_month, back)::text);
    ELSE
        CREATE TABLE records_default PARTITION OF records DEFAULT;
        PERFORM dmarcstat_make_month(m)
        FROM generate_series(least(first_month, back), date_trunc('month', now()), interval '1 month') AS m;
    END IF;
    -- Existing rows land in their months' partitions, or in the default
    -- one for maintenance to move.
    INSERT INTO records (id, report_id, report_time, ordinal, source_ip, count, disposition,
                         dkim_eval, spf_eval, reason_types, reason_comments, envelope_to,
                         envelope_from, header_from, dkim_domains, dkim_selectors, dkim_results,
                         dkim_human_results, spf_domains, spf_scopes, spf_results,
                         spf_human_results)
    SELECT o.id, o.report_id, coalesce(r.begin_time, '-infinity'), o.ordinal, o.source_ip,
           o.count, o.disposition, o.dkim_eval, o.spf_eval, o.reason_types, o.reason_comments,
           o.envelope_to, o.envelope_from, o.header_from, o.dkim_domains, o.dkim_selectors,
           o.dkim_results, o.dkim_human_results, o.spf_domains, o.spf_scopes, o.spf_results,
           o.spf_human_results
    FROM records_unpartitioned o JOIN reports r ON r.id = o.report_id;
    DROP TABLE records_unpartitioned;
    PERFORM dmarcstat_maintain_partitions();
END
$partition$;
