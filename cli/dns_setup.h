/*
 * dns_setup.h -- what every resolving subcommand (check, check-smtp,
 * resolve, ingest's background resolver) shares: the --dns-server and
 * --offline options, the [dns] config group, and the PostgreSQL answer
 * cache plugged into the resolver.
 *
 *   [dns]
 *   servers = 192.0.2.53;[2001:db8::53]:5353   ADDR[:PORT] list; default /etc/resolv.conf
 *   timeout_ms = 2000      per try
 *   tries = 2
 *   concurrency = 64       queries in flight at once
 *   offline = false        no lookups at all
 *   max_cache_ttl = 86400  cap on how long an answer is cached (seconds)
 *   check_interval_hours = 24   how often the daemon re-checks each domain
 *   geoip_database = /var/lib/GeoIP/GeoLite2-Country.mmdb
 *
 * Command-line options win over the file.
 */
#ifndef DMARCSTAT_DNS_SETUP_H
#define DMARCSTAT_DNS_SETUP_H

#include <glib.h>
#include "core/config.h"
#include "dns/resolver.h"
#include "store/db.h"

typedef struct
{
  char **servers;     /* --dns-server, repeatable */
  gboolean offline;   /* --offline */
} DnsCliOptions;

/* The two options, to append to a command's GOptionEntry list:
 * copies them into ENTRIES[0..1]. */
void dns_cli_entries (DnsCliOptions *options, GOptionEntry entries[2]);

/* A resolver from config and options; STORE (may be NULL) backs it with
 * the dns_cache table.  Prints the reason and returns NULL on a usage error.
 * (transfer full) */
DnsResolver *dns_setup_resolver (const Config *config, const DnsCliOptions *options,
                                 Store *store);

/* TRUE when lookups are switched off by config or option. */
gboolean dns_setup_offline (const Config *config, const DnsCliOptions *options);

/* Loads [senders] map = FILE over the built-in known-senders map (every
 * command that labels sources calls it).  Prints the error and returns
 * FALSE when the file is unreadable or malformed (exit 2). */
gboolean dns_setup_senders (const Config *config);

void dns_cli_options_clear (DnsCliOptions *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DnsCliOptions, dns_cli_options_clear)

#endif
