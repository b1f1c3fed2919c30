/*
 * query_dashboard.h -- the SQL behind the dashboard's pages and the
 * source-level export: small aggregated tables (StoreTable), plus a cursor
 * over the sources table for `dmarcstat export --level sources`.
 *
 * Scope.  Every table but the ingest ones covers the records of reports
 * whose policy domain is DashQuery.domain (compared case-insensitively; NULL
 * means every domain) and whose date range begins inside the period:
 *
 *   since set        begin_time >= since      (days is then ignored)
 *   else days > 0    the last DAYS days of data: from midnight UTC, DAYS - 1
 *                    days before the day of the domain's newest report
 *                    (newest before until), to that day's end; each domain
 *                    of the overview has its own window
 *   until set        begin_time < until
 *   none of them     every report, including those without a date range
 *                    (as the record-level export)
 *
 * then narrowed per record: header_from (lower case), result (pass: DMARC
 * pass, that is policy_evaluated dkim or spf = pass; fail: not pass;
 * quarantine/reject: that disposition) and source (one IP).
 *
 * Each day's messages fall in exactly one outcome: rejected (disposition
 * reject), quarantined (disposition quarantine), else pass or fail by the
 * DMARC result.  A "failing source" has at least one message that failed
 * DMARC.  Percentages are 0..100 with one decimal, NULL without messages.
 * Days are UTC, "YYYY-MM-DD", by the beginning of the report's range.
 *
 * Sources: one row per IP address (column "source"), labelled from
 * source_identity (the background resolver): source_org is the known
 * sender's name, else the registrable domain of the PTR name, else the PTR
 * name, else why there is none ("(no reverse DNS)", "(not resolved yet)");
 * source_name the PTR name, source_type the sender's kind, source_country
 * its country.  The senders table groups the same sources by source_org.
 *
 * Sorting: DashQuery.sort must name one of the table's own columns
 * (query_dashboard_has_column); the SQL receives only our own copy of the
 * name, never the caller's text.  Every table has a default order, which
 * also breaks ties.  Every value travels as a parameter.
 *
 * Errors: STORE_* from db.h; DMARCSTAT_ERROR_USAGE for a sort column the
 * table does not have.
 */
#ifndef DMARCSTAT_QUERY_DASHBOARD_H
#define DMARCSTAT_QUERY_DASHBOARD_H

#include <glib.h>
#include "store/db.h"
#include "store/table.h"
#include "store/query_records.h"

typedef enum
{
  /* overview */
  DASH_TABLE_DOMAINS,          /* one row per policy domain */
  DASH_TABLE_DOMAINS_DAILY,    /* domain, day: messages, dmarc_pass (sparklines) */
  DASH_TABLE_INGEST_DAILY,     /* reports, records, messages, failures per day received */
  DASH_TABLE_INGEST_FAILURES,  /* the newest ingest failures */
  /* one domain (and, with DashQuery.source, one source) */
  DASH_TABLE_PERIOD,           /* the resolved period; whether domain/source exist */
  DASH_TABLE_SUMMARY,          /* one row: the cards */
  DASH_TABLE_POLICY,           /* one row: the newest report's published policy */
  DASH_TABLE_DAILY,            /* messages per day by outcome */
  DASH_TABLE_SOURCES,          /* one row per source per domain: the source-level export */
  DASH_TABLE_SENDERS,          /* sources grouped by sending organisation */
  DASH_TABLE_REPORTERS,        /* one row per reporting organisation */
  /* one source */
  DASH_TABLE_RECORDS,          /* one row per record */
  DASH_TABLE_AUTH,             /* distinct DKIM/SPF result sets */
  DASH_TABLE_OVERRIDES,        /* override reasons */
  DASH_TABLE_N
} DashTable;

typedef struct
{
  const char *domain;        /* policy domain, or NULL for every domain */
  guint days;                /* 0: no days window */
  const char *since;         /* ISO 8601 date or date-time (UTC unless it says), or NULL */
  const char *until;         /* exclusive, or NULL */
  const char *header_from;   /* lower case, or NULL */
  const char *result;        /* pass, fail, quarantine, reject, or NULL */
  const char *source;        /* one IP address (checked by the caller), or NULL */
  const char *sort;          /* a column of the table, or NULL for the default order */
  gboolean descending;
  guint limit;               /* 0: every row */
} DashQuery;

/* "sources", "daily", … (transfer none) */
const char *query_dashboard_name (DashTable table);

/* TRUE when TABLE has a column NAME. */
gboolean query_dashboard_has_column (DashTable table, const char *name);

/* Runs TABLE's query.  (transfer full) */
StoreTable *query_dashboard_table (Store *store, DashTable table, const DashQuery *query,
                                   GError **error);

/* The same query through a cursor, FETCHed 1000 rows at a time inside a
 * READ ONLY transaction, as query_records.h; STORE runs nothing else until
 * query_dashboard_close.  Column names and kinds (NUMBER for counts and
 * percentages, else TEXT) through query_dashboard_columns. */
typedef struct _DashCursor DashCursor;

DashCursor *query_dashboard_open (Store *store, DashTable table, const DashQuery *query,
                                  GError **error);
/* (transfer none) valid while CURSOR is open */
const char *const *query_dashboard_columns (DashCursor *cursor, const QueryColumnKind **kinds_out,
                                            gsize *n_out);
/* As query_records_next. */
gboolean query_dashboard_next (DashCursor *cursor, const char *const **values_out,
                               gsize *n_out, GError **error);
void query_dashboard_close (DashCursor *cursor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DashCursor, query_dashboard_close)

#endif
