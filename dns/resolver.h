/*
 * resolver.h -- asynchronous DNS over c-ares, with a cache hook.
 *
 * One DnsResolver per process (or per thread): a c-ares channel pointed at
 * the configured servers (each "ADDR[:PORT]", IPv6 as "[ADDR]:PORT"), a
 * timeout per try, a number of tries, and a cap on queries in flight.
 * Queries beyond the cap wait in a queue, so a batch of 100,000 PTR lookups
 * never opens more than max_inflight sockets' worth of work.
 *
 * Answers are parsed from the raw DNS message by dns_answer_parse() (see
 * message.h), so every record keeps its TTL.  An offline resolver answers
 * every query at once with DNS_OFFLINE and sends nothing.
 *
 * A cache can be plugged in (the PostgreSQL cache lives in store/; dns/
 * knows nothing of it): get is asked before a query is sent, put is told
 * every fresh answer whose status is ok, nodata or nxdomain.  Within one
 * resolver, such answers are also memoised in memory for their TTL
 * (monotonic clock), and identical queries in flight at the same time are
 * sent once.
 *
 * Statuses: the first server that answers has the last word, so its
 * SERVFAIL/REFUSED is DNS_SERVFAIL/DNS_REFUSED (the next server is tried
 * only when one does not answer); no answer from any server within the
 * tries (the timeout doubles each round) is DNS_TIMEOUT; anything else that
 * fails (unreachable server, malformed answer, name too long) is DNS_ERROR.
 */
#ifndef DMARCSTAT_DNS_RESOLVER_H
#define DMARCSTAT_DNS_RESOLVER_H

#include <glib.h>
#include "dns/message.h"

typedef struct _DnsResolver DnsResolver;

typedef struct
{
  char **servers;        /* NULL-terminated "ADDR[:PORT]"; NULL or empty: /etc/resolv.conf */
  guint timeout_ms;      /* per try; 0 means 2000 */
  guint tries;           /* 0 means 2 */
  guint max_inflight;    /* 0 means 64 */
  gboolean offline;      /* every lookup answers DNS_OFFLINE */
} DnsOptions;

/* Splits "ADDR[:PORT]" / "[V6ADDR]:PORT" / "V6ADDR"; port defaults to 53.
 * FALSE with a USAGE error naming SPEC when it is not an IP address with an
 * optional port in 1..65535. */
gboolean dns_parse_server (const char *spec, char **addr_out, guint16 *port_out,
                           GError **error);

/* (transfer full); NULL with a USAGE error for a bad server. */
DnsResolver *dns_resolver_new (const DnsOptions *options, GError **error);
void dns_resolver_free (DnsResolver *resolver);

/* get: the cached answer for NAME (normalised) and TYPE, (transfer full),
 * or NULL; put: ANSWER is borrowed for the call.  DATA must outlive the
 * resolver.  Both are called from the event loop, never from c-ares. */
typedef DnsAnswer *(*DnsCacheGetFunc) (gpointer data, const char *name, DnsType type);
typedef void (*DnsCachePutFunc) (gpointer data, const DnsAnswer *answer);
void dns_resolver_set_cache (DnsResolver *resolver, DnsCacheGetFunc get,
                             DnsCachePutFunc put, gpointer data);

/* Blocking: sends one query (unless cached) and runs the event loop until it
 * is answered or timed out.  Never NULL.  (transfer full) */
DnsAnswer *dns_lookup (DnsResolver *resolver, const char *name, DnsType type);

/* Batch use: queue a query; FUNC receives the answer (transfer full) from
 * inside dns_resolver_run() (or a dns_lookup() that runs the loop
 * meanwhile).  FUNC may submit further queries, or call dns_lookup().
 * Queries still unanswered when the resolver is freed are dropped without
 * calling FUNC. */
typedef void (*DnsAnswerFunc) (DnsAnswer *answer, gpointer user_data);
void dns_submit (DnsResolver *resolver, const char *name, DnsType type,
                 DnsAnswerFunc func, gpointer user_data);
/* Runs until no query is queued or in flight. */
void dns_resolver_run (DnsResolver *resolver);

/* Number of queries actually sent to a server (tests and statistics). */
guint64 dns_resolver_queries_sent (const DnsResolver *resolver);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DnsResolver, dns_resolver_free)

#endif
