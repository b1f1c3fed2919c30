/*
 * watch.h -- the ingest daemon's supervisor.
 *
 * The supervisor never parses a mail itself: for each mail it starts a
 * worker process (`dmarcstat ingest-one`, fork+exec through GSubprocess),
 * which ingests the mail in one transaction and files it.  The supervisor
 * reads the worker's exit status:
 *   0 or 1   done (stored, or rejected and filed in .Failed)
 *   3        database unavailable: the mail stays; back off 1 s, doubling
 *            to 60 s, logging once per outage
 *   a signal a strike against that mail; after three strikes the
 *            supervisor files it in .Failed as "parser crashed"
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
  gboolean once;                 /* one pass, then exit */
  guint rescan_seconds;
} WatchOptions;

/* Runs until SIGTERM/SIGINT (or, with once, until the maildir is empty).
 * Returns the exit status: 0, 1 when some mail was rejected (once only),
 * 3 when the database could not be reached (once only). */
int watch_run (const WatchOptions *options, IngestStats *stats_out);

/* What a worker prints on stdout for the supervisor to add up. */
void watch_print_worker_stats (const IngestStats *stats);

#endif
