/*
 * query_reports.h -- the reads behind the report pages.
 *
 * SYNOPSIS
 *   query_reports_list()      the report list: filtered, sorted, one page,
 *                             and the number of matching reports for the pager
 *   query_reports_one()       one report's metadata, with its mail and XML size
 *   query_reports_notes()     its errors and warnings, one per row
 *   query_reports_records()   one page of its records
 *   query_reports_xml()       its original XML, decoded to UTF-8 text
 *   query_failures_list()     ingest failures, newest first, one page
 *
 * DESCRIPTION
 *   Tables are StoreTables (store/table.h): the column names are the CSV
 *   header and the JSON keys, so they are part of the contract:
 *
 *   list      id, begin_date, end_date, org_name, report_id, domain, p,
 *             records, messages, container, ingested_at
 *   one       id, org_name, email, extra_contact_info, report_id,
 *             begin_date, end_date, domain, adkim, aspf, p, sp, np, pct, fo,
 *             testing, discovery_method, xml_schema, xml_version,
 *             xml_namespace, generator, records, messages, source_file,
 *             attachment_name, entry_name, container, mail_path, message_id,
 *             subject, mail_from, mail_date, duplicates_seen, ingested_at,
 *             xml_bytes, xml_is_complete ("t"/"f"), n_errors, n_warnings
 *   notes     kind ("error" or "warning"), n (from 1), text
 *   records   ordinal, source_ip, count, disposition, dkim, spf, reasons,
 *             reason_comments, header_from, envelope_from, envelope_to,
 *             dkim_domains, dkim_selectors, dkim_results, spf_domains,
 *             spf_scopes, spf_results, domain (the policy domain, lower case,
 *             for links)
 *   failures  last_seen, stage, reason, path, part, attempts, first_seen, sha256
 *
 *   Times are UTC, "YYYY-MM-DDTHH:MM:SSZ".  Lists inside a record are joined
 *   with "," (reason comments, which are free text, with "|"); a NULL
 *   inside a list is "none", as in the record export.
 *
 *   Filter values reach SQL only as parameters.  A sort column is looked up
 *   in the query's own list of sortable columns, whose SQL is constant; an
 *   unknown name fails with DMARCSTAT_ERROR_USAGE, like a malformed date.
 *   Every order ends with the row's id, so pages neither skip nor repeat.
 *
 * DIAGNOSTICS
 *   DMARCSTAT_ERROR_USAGE for an unknown sort column; STORE_* otherwise.
 */
#ifndef DMARCSTAT_QUERY_REPORTS_H
#define DMARCSTAT_QUERY_REPORTS_H

#include <glib.h>
#include "store/db.h"
#include "store/table.h"

typedef struct
{
  const char *domain;    /* policy domain, exact, any case; NULL: every domain */
  const char *org;       /* substring of org_name, any case; NULL: every reporter */
  const char *since;     /* "YYYY-MM-DD" (UTC): begin_time >= since; NULL: open */
  const char *until;     /* begin_time < until (exclusive); NULL: open */
  guint days;            /* when since is NULL and days > 0: the last DAYS days
                          * before the newest matching report's begin */
  const char *sort;      /* a column name of the list; NULL: newest first */
  gboolean descending;
  guint64 offset;        /* rows skipped */
  guint limit;           /* rows returned at most */
} QueryReportsFilter;

/* Failures use since/until (on last_seen), sort, descending, offset, limit. */
typedef QueryReportsFilter QueryFailuresFilter;

/* *TOTAL_OUT is the number of reports that match, ignoring offset and limit.
 * (transfer full) */
StoreTable *query_reports_list (Store *store, const QueryReportsFilter *filter,
                                guint64 *total_out, GError **error);

/* Zero rows when there is no report ID.  (transfer full) */
StoreTable *query_reports_one (Store *store, gint64 id, GError **error);
/* (transfer full) */
StoreTable *query_reports_notes (Store *store, gint64 id, GError **error);

/* The records of report ID in ordinal order (or by SORT), OFFSET and LIMIT
 * as in the list.  (transfer full) */
StoreTable *query_reports_records (Store *store, gint64 id, const char *sort,
                                   gboolean descending, guint64 offset, guint limit,
                                   GError **error);

typedef struct
{
  char *text;               /* owned: UTF-8, NUL-free, from the first
                             * max_bytes stored bytes */
  guint64 stored_bytes;     /* bytes kept in the database */
  guint64 original_bytes;   /* size of the whole original */
  gboolean is_complete;     /* the database holds the whole original */
  gboolean is_cut;          /* text shows only the first max_bytes */
  char *encoding;           /* owned: what the bytes were decoded from */
} ReportXml;

/* Reads at most MAX_BYTES of report ID's original XML and decodes it: a
 * UTF-16 or UTF-8 byte order mark, else the encoding the XML declaration
 * names, else UTF-8; bytes that do not decode become U+FFFD.  *XML_OUT is
 * NULL (and the call succeeds) when no XML was kept.  (transfer full) */
gboolean query_reports_xml (Store *store, gint64 id, gsize max_bytes,
                            ReportXml **xml_out, GError **error);
void query_reports_xml_free (ReportXml *xml);

/* (transfer full) */
StoreTable *query_failures_list (Store *store, const QueryFailuresFilter *filter,
                                 guint64 *total_out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReportXml, query_reports_xml_free)

#endif
