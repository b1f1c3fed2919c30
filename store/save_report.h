/*
 * save_report.h -- writing reports, their records and their origin.
 *
 * All calls run inside the caller's transaction (one per mail) and, per
 * report, inside a savepoint (db.h).  Exactly-once comes from the unique
 * key (org_name, report_id, domain) on reports: save_report_begin() inserts
 * with ON CONFLICT DO NOTHING, and a conflict means the report is already
 * stored: the caller skips its records and counts a duplicate.
 *
 * Records are streamed with COPY in the batches the parser hands out, so a
 * report of any size goes in with bounded memory and few round trips.
 * Between save_report_begin() and save_report_finish()/_abort() the
 * connection is in COPY mode and must not be used for anything else.
 */
#ifndef DMARCSTAT_SAVE_REPORT_H
#define DMARCSTAT_SAVE_REPORT_H

#include <glib.h>
#include "core/report.h"
#include "store/db.h"

/* Where an input came from (a mail, or a report file given to import). */
typedef struct
{
  const char *sha256;       /* hex, of the input's bytes */
  const char *path;         /* as given or as found in the maildir */
  const char *message_id;   /* may be NULL */
  const char *subject;      /* may be NULL */
  const char *from;         /* may be NULL */
  gint64 date;              /* 0 when unknown */
  guint64 size_bytes;
} InputInfo;

/* Upserts the input's row (keyed by sha256) and returns its id. */
gboolean save_input (Store *store, const InputInfo *info, gint64 *id_out, GError **error);

typedef struct
{
  gint64 input_id;
  const char *source_file;
  const char *attachment_name;  /* may be NULL */
  const char *entry_name;       /* may be NULL */
  const char *container;        /* "xml", "gzip", "zip" */
} ReportOrigin;

typedef struct _ReportWriter ReportWriter;

/* Inserts the report's row and starts COPY for its records.  Returns NULL
 * without error when the report is a duplicate (*IS_DUPLICATE_OUT TRUE),
 * NULL with ERROR on failure.  (transfer full) */
ReportWriter *save_report_begin (Store *store, const Report *report,
                                 const ReportOrigin *origin,
                                 gboolean *is_duplicate_out, GError **error);

/* Sends one batch of records into the COPY stream. */
gboolean save_report_records (ReportWriter *writer, GPtrArray *batch, GError **error);

/* Ends COPY, stores the totals and warnings, and the original XML (XML_LEN
 * bytes kept of XML_TOTAL_BYTES read).  Frees WRITER in every case. */
gboolean save_report_finish (ReportWriter *writer, const Report *report,
                             const guint8 *xml, gsize xml_len,
                             guint64 xml_total_bytes, GError **error);

/* Ends COPY with an error (nothing of it is kept) and frees WRITER. */
void save_report_abort (ReportWriter *writer);

/* Records why an input (PART "" for all of it) held no valid report.
 * Keyed by (sha256, part): a retry updates the row and counts attempts. */
gboolean save_failure (Store *store, const char *sha256, const char *part,
                       const char *path, const char *stage, const char *reason,
                       GError **error);

#endif
