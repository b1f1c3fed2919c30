-- 002_dns.sql -- what DNS says about sources and domains.
--
-- Three things, each filled in the background so that ingest never waits
-- on the network:
--   dns_cache        raw answers with their TTL, shared by every process
--                    that resolves (the daemon's resolver, `resolve`, `check`)
--   source_identity  who each source IP is: PTR, forward confirmation,
--                    generic-looking name, base domain, known sender, country
--   dns_checks       every `check` of a domain with its findings, kept as
--                    history so that a change is visible by its date

CREATE TABLE dns_cache (
    qname       text NOT NULL,            -- lower case, no final dot
    qtype       integer NOT NULL,         -- RR type number
    status      text NOT NULL,            -- ok, nodata, nxdomain
    ttls        integer[] NOT NULL DEFAULT '{}',
    texts       text[] NOT NULL DEFAULT '{}',
    prefs       integer[] NOT NULL DEFAULT '{}',
    fetched_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (qname, qtype)
);

CREATE TABLE source_identity (
    ip           inet PRIMARY KEY,
    ptr_status   text NOT NULL,           -- ok, nxdomain, nodata, servfail, timeout, …
    ptr_names    text[] NOT NULL DEFAULT '{}',
    ptr_name     text,                    -- the forward-confirmed name, else the first
    fcrdns       boolean,                 -- the name's A/AAAA holds the IP
    generic      boolean,                 -- the name looks like an end-user address
    base_domain  text,                    -- registrable domain of ptr_name (public suffix list)
    sender_name  text,                    -- known sender (senders map), NULL when unknown
    sender_kind  text,
    country      text,                    -- ISO 3166 alpha-2, when a database is configured
    resolved_at  timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX source_identity_expires ON source_identity (expires_at);

CREATE TABLE dns_checks (
    id          bigserial PRIMARY KEY,
    domain      text NOT NULL,            -- lower case
    checked_at  timestamptz NOT NULL DEFAULT now(),
    worst       text NOT NULL,            -- highest severity among the findings
    findings    integer NOT NULL
);
CREATE INDEX dns_checks_domain_time ON dns_checks (domain, checked_at DESC);

CREATE TABLE dns_check_findings (
    check_id    bigint NOT NULL REFERENCES dns_checks (id) ON DELETE CASCADE,
    ordinal     integer NOT NULL,
    code        text NOT NULL,
    severity    text NOT NULL,
    subject     text NOT NULL,
    message     text NOT NULL,
    fix         text,
    record      text,
    PRIMARY KEY (check_id, ordinal)
);
