/*
 * check_run.h -- one DNS check of a domain, fed from and recorded in the
 * database: the DKIM selectors the reports show signing for it, the
 * sources that send for it legitimately (whose SPF coverage is checked),
 * and, after the check, its findings as a new entry in the domain's
 * history.  The `check` command and the daemon's periodic checks share it.
 */
#ifndef DMARCSTAT_CHECK_RUN_H
#define DMARCSTAT_CHECK_RUN_H

#include <glib.h>
#include "check/finding.h"
#include "dns/resolver.h"
#include "store/db.h"

typedef struct
{
  const char *const *selectors;   /* added to those of the reports; may be NULL */
  const char *const *sources;     /* IPs added to the reports' senders; may be NULL */
  gboolean save;                  /* record the result in the history */
} CheckRunOptions;

/* STORE may be NULL (no report data, nothing saved).  A database error
 * while reading inputs or saving is logged as a warning, and the check
 * still runs: DNS findings do not depend on the database.
 * (transfer full) */
FindingList *check_run_domain (DnsResolver *resolver, Store *store, const char *domain,
                               const CheckRunOptions *options);

/* The checks the daemon owes: every domain seen in reports whose newest
 * check is older than INTERVAL_SECONDS, at most LIMIT.  Returns how many
 * were checked, -1 with ERROR when the database failed. */
gint64 check_run_due (DnsResolver *resolver, Store *store, guint interval_seconds, guint limit,
                      GError **error);

#endif
