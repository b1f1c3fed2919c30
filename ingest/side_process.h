/*
 * side_process.h -- a helper process that lives beside the ingest daemon
 * (the background DNS resolver, `dmarcstat resolve`), kept running by the
 * supervisor.
 *
 * It is a separate process so that DNS never slows ingest and a resolver
 * bug never takes ingest down: when it exits or dies it is started again
 * after a delay that doubles from 5 s to 10 min (logged once per outage),
 * and it is stopped with SIGTERM when the daemon stops.
 */
#ifndef DMARCSTAT_SIDE_PROCESS_H
#define DMARCSTAT_SIDE_PROCESS_H

#include <glib.h>

typedef struct _SideProcess SideProcess;

/* Starts ARGV (copied) now, from the default main context.  NAME is used
 * in log lines.  (transfer full) */
SideProcess *side_process_start (const char *name, const char *const *argv);

/* SIGTERM, waits up to 10 s (then SIGKILL), frees.  NULL is ignored. */
void side_process_stop (SideProcess *side);

#endif
