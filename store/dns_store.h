/*
 * dns_store.h -- the DNS tables of 002_dns.sql: the answer cache, source
 * identities and the history of domain checks.
 *
 * store/ knows nothing of dns/ or check/: values cross as plain strings and
 * StoreTables, and cli/ converts them to and from DnsAnswer and Finding.
 * Text from DNS may be invalid UTF-8; callers make it valid before it
 * reaches these functions (PostgreSQL rejects invalid UTF-8).
 */
#ifndef DMARCSTAT_DNS_STORE_H
#define DMARCSTAT_DNS_STORE_H

#include <glib.h>
#include "store/db.h"
#include "store/table.h"

/* ---- answer cache ---- */

/* The unexpired answer for QNAME/QTYPE: no rows when none is cached; else
 * one row per record (columns status, ttl_left, ttl, text, pref), or one
 * row with text NULL for a negative answer.  (transfer full) */
StoreTable *store_dns_cache_get (Store *store, const char *qname, int qtype, GError **error);

/* Replaces the cached answer.  N records with parallel TTLS/TEXTS/PREFS;
 * TTL is how long the whole answer stays (seconds, capped by the caller). */
gboolean store_dns_cache_put (Store *store, const char *qname, int qtype, const char *status,
                              guint n, const guint32 *ttls, const char *const *texts,
                              const guint16 *prefs, guint32 ttl, GError **error);

/* Deletes answers that expired more than a day ago; returns the count. */
gint64 store_dns_cache_expire (Store *store, GError **error);

/* ---- source identity ---- */

typedef struct
{
  const char *ip;
  const char *ptr_status;          /* dns_status_name() */
  const char *const *ptr_names;    /* NULL-terminated, may be NULL */
  const char *ptr_name;            /* may be NULL */
  int fcrdns;                      /* -1 unknown, 0, 1 */
  int generic;                     /* -1 unknown, 0, 1 */
  const char *base_domain;
  const char *sender_name;
  const char *sender_kind;
  const char *sender_by;           /* "ptr", "dkim"; NULL without a sender */
  const char *country;
  guint32 ttl;                     /* seconds until it is resolved again */
} StoreIdentity;

/* For each of the N addresses IPS with anything that passed: the domains
 * whose DKIM signature passed on its mail (column dkim) and those whose SPF
 * check passed (column spf), lower case, sorted, space-separated, NULL when
 * none; from at most 50 of its records.  Column ip.  (transfer full) */
StoreTable *store_identity_auth_passes (Store *store, const char *const *ips, guint n,
                                        GError **error);

/* Source IPs that have no identity or an expired one, newest reports
 * first, at most LIMIT (column ip).  AFTER_REPORT 0 looks at every record;
 * otherwise only at the records of reports with a greater id, and at the
 * expired identities of sources still in the records: the resolver's
 * passes between its full ones read what is new, not the whole table.
 * *UPTO_OUT is the greatest report id when the search began.
 * (transfer full) */
StoreTable *store_identity_pending (Store *store, gint64 after_report, guint limit,
                                    gint64 *upto_out, GError **error);

/* Insert or replace. */
gboolean store_identity_save (Store *store, const StoreIdentity *identity, GError **error);

/* ---- domain checks ---- */

/* Policy domains seen in reports (lower case) whose newest check is older
 * than INTERVAL_SECONDS or that were never checked, at most LIMIT (column
 * domain).  (transfer full) */
StoreTable *store_check_due (Store *store, guint interval_seconds, guint limit, GError **error);

/* The DKIM selectors seen signing for DOMAIN (d= equal to it) in the last
 * DAYS days of its reports (column selector).  (transfer full) */
StoreTable *store_check_selectors (Store *store, const char *domain, guint days, GError **error);

/* Sources that look legitimate for DOMAIN in the last DAYS days: DKIM
 * aligned pass for most of their mail, by volume, at most LIMIT (columns
 * ip, label).  label is the known sender's name, else NULL.
 * (transfer full) */
StoreTable *store_check_senders (Store *store, const char *domain, guint days, guint limit,
                                 GError **error);

typedef struct
{
  const char *code;
  const char *severity;
  const char *subject;
  const char *message;
  const char *fix;      /* may be NULL */
  const char *record;   /* may be NULL */
} StoreFinding;

/* Records one check of DOMAIN with its findings in one transaction;
 * returns the check's id, or 0 with ERROR. */
gint64 store_check_save (Store *store, const char *domain, const char *worst,
                         guint n, const StoreFinding *findings, GError **error);

/* The findings of DOMAIN's newest check (columns checked_at, code,
 * severity, subject, message, fix, record), in their order; no rows when
 * never checked.  (transfer full) */
StoreTable *store_check_latest (Store *store, const char *domain, GError **error);

/* What changed between consecutive checks of DOMAIN, newest first, at most
 * LIMIT rows (columns day, checked_at, change ('appeared' or
 * 'disappeared'), severity, code, subject, message).  (transfer full) */
StoreTable *store_check_changes (Store *store, const char *domain, guint limit, GError **error);

#endif
