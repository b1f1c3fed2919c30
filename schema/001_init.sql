-- 001_init.sql -- reports, records, mails and ingest failures.
--
-- Exactly-once comes from the unique key on reports: a report re-sent or
-- re-imported hits ON CONFLICT DO NOTHING and is counted as a duplicate.
-- Records go in with COPY; a record's DKIM and SPF results and its override
-- reasons are parallel arrays in the record row, so one COPY stream stores
-- a whole report and no query needs a join to see a record's results.

-- One row per mail file that held at least one report or was rejected.
CREATE TABLE mails (
    id          bigserial PRIMARY KEY,
    sha256      text NOT NULL UNIQUE,     -- of the file's bytes
    path        text NOT NULL,            -- where it was when ingested
    message_id  text,
    subject     text,
    mail_from   text,
    mail_date   timestamptz,
    size_bytes  bigint NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reports (
    id                  bigserial PRIMARY KEY,
    org_name            text NOT NULL,    -- exactly as sent, trimmed
    org_name_norm       text NOT NULL,    -- lower case, whitespace collapsed
    report_id           text NOT NULL,    -- exactly as sent, trimmed
    email               text,
    extra_contact_info  text,
    generator           text,             -- DMARCbis
    begin_time          timestamptz,      -- NULL when the report had no date_range
    end_time            timestamptz,
    errors              text[] NOT NULL DEFAULT '{}',
    xml_schema          text NOT NULL,    -- draft, 1.0, dmarcbis (as parsedmarc)
    xml_version         text,
    xml_namespace       text,
    -- policy_published
    domain              text NOT NULL,
    adkim               text,
    aspf                text,
    p                   text,
    sp                  text,
    np                  text,
    pct                 integer,
    fo                  text,
    testing             text,
    discovery_method    text,
    -- what the parser noticed
    warnings            text[] NOT NULL DEFAULT '{}',
    n_records           bigint NOT NULL DEFAULT 0,
    total_count         bigint NOT NULL DEFAULT 0,
    -- where it came from
    mail_id             bigint REFERENCES mails(id),
    source_file         text NOT NULL,    -- mail or report file as given
    attachment_name     text,             -- file name of the MIME part
    entry_name          text,             -- member of the zip, or gzip/xml name
    container           text,             -- xml, gzip, zip
    duplicates_seen     integer NOT NULL DEFAULT 0,
    ingested_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reports_dates_ordered CHECK (begin_time IS NULL OR end_time IS NULL
                                            OR begin_time <= end_time),
    CONSTRAINT reports_unique UNIQUE (org_name, report_id, domain)
);
CREATE INDEX reports_domain_begin ON reports (domain, begin_time);
CREATE INDEX reports_mail ON reports (mail_id);

-- The original XML, for audits and re-parsing: kept whole up to
-- xml_keep_max_bytes, otherwise cut and flagged (the mail itself is kept).
CREATE TABLE report_xml (
    report_id   bigint PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    xml         bytea NOT NULL,
    xml_bytes   bigint NOT NULL,          -- size of the whole original
    is_complete boolean NOT NULL
);

CREATE TABLE records (
    id                  bigserial PRIMARY KEY,
    report_id           bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ordinal             integer NOT NULL, -- position in the report, from 1
    source_ip           inet,             -- NULL for reporters' empty "null" rows
    count               bigint NOT NULL CHECK (count >= 0),
    disposition         text,
    dkim_eval           text,             -- policy_evaluated/dkim
    spf_eval            text,             -- policy_evaluated/spf
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
);
CREATE INDEX records_report ON records (report_id);
CREATE INDEX records_source_ip ON records (source_ip);

-- Inputs that held no valid report, keyed by the input's SHA-256 so that a
-- retry after a crash updates the row instead of adding one.
CREATE TABLE ingest_failures (
    id          bigserial PRIMARY KEY,
    sha256      text NOT NULL,
    part        text NOT NULL DEFAULT '', -- attachment/entry that failed, '' for the whole input
    path        text NOT NULL,            -- where the input is now (.Failed/cur/… for mails)
    stage       text NOT NULL,            -- mail, unpack, xml, store, worker
    reason      text NOT NULL,
    attempts    integer NOT NULL DEFAULT 1,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ingest_failures_unique UNIQUE (sha256, part)
);
CREATE INDEX ingest_failures_last_seen ON ingest_failures (last_seen);
