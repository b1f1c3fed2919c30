/*
 * ingest.h -- one input (a report mail, or a bare report file) end to end:
 * read, MIME, unpack, parse, store, in one database transaction.
 *
 * This is the only file that knows every stage.  Each report gets its own
 * savepoint: a broken report rolls back alone, and the input's other
 * reports still commit.  A report already stored (same org_name, report_id
 * and policy domain) is counted as a duplicate and its records skipped.
 * When nothing in the input was a valid report, a row in ingest_failures
 * says why (keyed by the input's SHA-256, so a retry updates it).
 *
 * Outcomes: INGEST_STORED (at least one report stored or already present),
 * INGEST_REJECTED (no valid report: the caller files the mail in .Failed),
 * INGEST_RETRY (the database is unavailable: nothing changed, try later).
 * Filing the mail is the caller's job, after this returns: the commit comes
 * first, so a crash in between at worst re-reads a mail whose reports are
 * then all duplicates.
 */
#ifndef DMARCSTAT_INGEST_H
#define DMARCSTAT_INGEST_H

#include <glib.h>
#include "core/limits.h"
#include "store/db.h"

typedef enum
{
  INGEST_STORED,
  INGEST_REJECTED,
  INGEST_RETRY,
} IngestOutcome;

typedef enum
{
  INGEST_KIND_AUTO,    /* decide by name and magic bytes */
  INGEST_KIND_MAIL,    /* a whole RFC 5322 message (maildir) */
} IngestKind;

typedef struct
{
  guint n_inputs;
  guint n_reports;       /* newly stored */
  guint n_duplicates;    /* already stored */
  guint n_rejected;      /* reports or parts rejected */
  guint64 n_records;
  guint64 total_count;   /* sum of <count> over stored records */
} IngestStats;

/* Called once per rejected part of an input; INPUT names the input as the
 * user gave it, ERROR's message already names the part. */
typedef void (*IngestRejectFunc) (const char *input, const GError *error, gpointer data);

typedef struct
{
  Store *store;             /* borrowed */
  const Limits *limits;     /* borrowed */
  IngestRejectFunc on_reject;
  gpointer reject_data;
} IngestContext;

/* Ingests the file at PATH (or BYTES when not NULL, PATH then only names
 * it).  FAILED_PATH is where the input will live if it is rejected (stored
 * in ingest_failures); NULL means PATH.  On INGEST_RETRY, and on
 * INGEST_REJECTED when the input failed as a whole, ERROR is set. */
IngestOutcome ingest_input (IngestContext *ctx, const char *path, GBytes *bytes,
                            IngestKind kind, const char *failed_path,
                            IngestStats *stats, GError **error);

#endif
