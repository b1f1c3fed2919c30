/*
 * resolve_sources.h -- one pass of the source-identity resolver: every
 * source IP without a fresh identity gets its PTR names, forward
 * confirmation, generic-name verdict, base domain, known sender and country,
 * and the result is stored in source_identity.
 *
 * Lookups run concurrently (the resolver's cap); a batch is resolved, then
 * stored, then the next batch is read, so memory stays bounded however many
 * sources there are.  Answers that are not authoritative (timeout,
 * SERVFAIL) are stored with a short TTL so the source is retried later
 * rather than left unnamed for days.
 */
#ifndef DMARCSTAT_RESOLVE_SOURCES_H
#define DMARCSTAT_RESOLVE_SOURCES_H

#include <glib.h>
#include "dns/geoip.h"
#include "dns/resolver.h"
#include "store/db.h"

/* Resolves up to LIMIT sources (0: all pending) in batches of BATCH.
 * GEOIP may be NULL.  WATERMARK (may be NULL: every record is looked at)
 * is the id of the newest report whose sources are all resolved: only
 * newer reports' records are read, and it moves up when a pass has done
 * everything it found.  A report committed out of id order can be passed
 * over, so the caller sets it back to 0 from time to time.  Returns the
 * number resolved, -1 with ERROR when the database failed. */
gint64 resolve_sources (DnsResolver *resolver, Store *store, GeoipDb *geoip, guint batch,
                        guint64 limit, gint64 *watermark, GError **error);

#endif
