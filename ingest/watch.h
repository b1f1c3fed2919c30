/*
 * watch.h -- the ingest daemon's supervisor.
 *
 * The supervisor never parses a mail itself.  It keeps n_workers worker
 * processes (`dmarcstat ingest-one --stdin`, Postfix-style: reused for many
 * mails, each mail in one transaction, then replaced after a number of
 * mails) and hands each idle one a mail path on its stdin.  The worker
 * answers one line per mail with a status:
 *   0 or 1   done (stored, or rejected and filed in .Failed)
 *   3        database unavailable: the mail stays; back off 1 s, doubling
 *            to 60 s, logging once per outage
 * and a worker that dies by a signal while holding a mail is a strike
 * against that mail; after three strikes the supervisor files it in
 * .Failed as "parser crashed"
 * It learns of new mails through inotify on new/ and cur/, and rescans the
 * maildir periodically in case an event was missed.  SIGTERM and SIGINT
 * let the current mail finish, then the supervisor exits.
 *
 * Beside the workers, the daemon keeps one long-lived helper running: the
 * background resolver (`dmarcstat resolve`, side_process.h), which names
 * new sources and re-checks domains' DNS without ever delaying a mail.
 */
#ifndef DMARCSTAT_WATCH_H
#define DMARCSTAT_WATCH_H

#include <glib.h>
#include "ingest/ingest.h"

typedef struct
{
  const char *maildir;
  const char *conninfo;          /* may be NULL */
  const char *const *worker_argv; /* the worker's command line without FILE,
                                   * e.g. { "/usr/bin/dmarcstat", "ingest-one",
                                   * "--maildir", DIR, …, NULL } */
  const char *const *resolver_argv; /* the background resolver kept running
                                   * beside the daemon (not with once), or NULL */
  guint n_workers;               /* worker processes at once (>= 1) */
  gboolean once;                 /* one pass, then exit */
  guint rescan_seconds;
} WatchOptions;

/* Runs until SIGTERM/SIGINT (or, with once, until the maildir is empty).
 * Returns the exit status: 0, 1 when some mail was rejected (once only),
 * 3 when the database could not be reached (once only). */
int watch_run (const WatchOptions *options, IngestStats *stats_out);

/* A worker's reply to one mail, on stdout: "done STATUS counts…", STATUS
 * as the worker's exit status would have been (0, 1, or 3 when the
 * database was unavailable and the mail stays). */
void watch_print_worker_reply (int status, const IngestStats *stats);

/* The reply status of a mail another process had claimed or filed already
 * (daemons sharing a maildir): nothing done, nothing to count. */
#define WORKER_SKIPPED 4
/* The mail's reports are stored but the mail could not be moved out of
 * new/ or cur/ (disk full, read-only maildir): it stays, and the next
 * attempt finds its reports as duplicates. */
#define WORKER_NOT_FILED 5

#endif
