/*
 * cmd_resolve.c -- dmarcstat resolve [--once]: the background resolver.
 *
 * Names every source IP that has no fresh identity (PTR, forward
 * confirmation, generic-looking name, base domain, known sender, country)
 * and re-runs the DNS check of every domain whose newest check is older
 * than [dns] check_interval_hours (default 24).  With --once it makes one
 * pass and prints what it did; without, it repeats every --interval
 * ([dns] resolve_interval_seconds, default 60)
 * seconds until SIGTERM/SIGINT: the ingest daemon keeps it running beside
 * itself, so that ingest never waits on DNS.
 *
 * Exit: 0; 2 usage; 3 the database could not be reached (--once only; the
 * loop waits for the database to come back).
 */
#include "cli/check_run.h"
#include "cli/commands.h"
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "cli/resolve_sources.h"
#include "core/error.h"
#include "dns/geoip.h"
#include "store/dns_store.h"
#include "store/migrate.h"

#include <signal.h>
#include <stdio.h>

static volatile sig_atomic_t stop_requested;

static void
on_stop_signal (int signo G_GNUC_UNUSED)
{
  stop_requested = 1;
}

typedef struct
{
  guint interval;
  guint64 limit;
  gboolean no_checks;
  guint check_interval_seconds;
} ResolvePlan;

/* One pass; FALSE when the database failed (ERROR set). */
static gboolean
resolve_pass (DnsResolver *resolver, Store *store, GeoipDb *geoip, const ResolvePlan *plan,
              gint64 *watermark, gint64 *sources_out, gint64 *checks_out, GError **error)
{
  *sources_out = resolve_sources (resolver, store, geoip, 500, plan->limit, watermark, error);
  if (*sources_out < 0)
    return FALSE;
  *checks_out = 0;
  if (!plan->no_checks)
    {
      *checks_out = check_run_due (resolver, store, plan->check_interval_seconds, 50, error);
      if (*checks_out < 0)
        return FALSE;
    }
  store_dns_cache_expire (store, NULL);
  return TRUE;
}

static GeoipDb *
open_geoip (const Config *config)
{
  g_autofree char *path = g_key_file_get_string (config->key_file, "dns", "geoip_database", NULL);
  g_autoptr (GError) error = NULL;

  if (path == NULL || *path == '\0')
    return NULL;
  GeoipDb *db = geoip_open (path, &error);
  if (db == NULL)
    g_warning ("countries are off: %s", error->message);
  return db;
}

static void
sleep_interruptibly (guint seconds)
{
  for (guint i = 0; i < seconds * 10 && !stop_requested; i++)
    g_usleep (100 * 1000);
}

static int
resolve_main (CommonOptions *common, DnsCliOptions *dns, int argc, char **argv)
{
  gboolean once = FALSE, no_checks = FALSE;
  int interval = 0;
  gint64 limit = 0;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "One pass, then exit", NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "Seconds between passes (default [dns] resolve_interval_seconds, 60)",
      "SECONDS" },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, "At most this many sources per pass", "N" },
    { "no-checks", 0, 0, G_OPTION_ARG_NONE, &no_checks, "Name sources only; no domain checks",
      NULL },
    G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL
  };
  dns_cli_entries (dns, &entries[4]);

  if (!options_parse ("resolve", NULL,
                      "Name new source IPs and re-check domains' DNS (the background resolver).",
                      entries, common, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1 || interval < 0 || limit < 0)
    {
      fprintf (stderr, "dmarcstat resolve: bad arguments (try: dmarcstat resolve --help)\n");
      return EXIT_USAGE;
    }
  g_autoptr (Config) config = options_load_config (common);
  if (config == NULL)
    return EXIT_USAGE;
  guint64 check_hours, interval_default;
  g_autoptr (GError) error = NULL;
  if (!config_get_uint (config, "dns", "check_interval_hours", 24, 1, 24 * 365, &check_hours,
                        &error)
      || !config_get_uint (config, "dns", "resolve_interval_seconds", 60, 1, 86400,
                           &interval_default, &error))
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (!dns_setup_senders (config))
    return EXIT_USAGE;
  if (dns_setup_offline (config, dns))
    {
      g_message ("DNS lookups are off: nothing to resolve");
      return EXIT_OK;
    }
  if (interval == 0)
    interval = (int) interval_default;
  ResolvePlan plan = { .interval = (guint) interval, .limit = (guint64) limit,
                       .no_checks = no_checks,
                       .check_interval_seconds = (guint) (check_hours * 3600) };
  g_autoptr (GeoipDb) geoip = open_geoip (config);

  struct sigaction sa = { .sa_handler = on_stop_signal };
  sigemptyset (&sa.sa_mask);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);

  gboolean outage_logged = FALSE;
  /* Between full passes, a pass reads only the records of reports newer
   * than the watermark (resolve_sources.h): at ten million records a full
   * pass costs seconds of database time, and it ran every minute.  A full
   * pass an hour catches a report committed out of id order. */
  gint64 watermark = 0, last_full_us = 0;
  do
    {
      g_clear_error (&error);
      if (g_get_monotonic_time () - last_full_us >= (gint64) G_USEC_PER_SEC * 3600 || last_full_us == 0)
        {
          watermark = 0;
          last_full_us = g_get_monotonic_time ();
        }
      g_autoptr (Store) store = store_open (options_conninfo (common, config), &error);
      if (store != NULL && !migrate_apply (store, NULL, &error))
        g_clear_pointer (&store, store_close);
      gint64 n_sources = 0, n_checks = 0;
      gboolean ok = store != NULL;
      if (ok)
        {
          g_autoptr (DnsResolver) resolver = dns_setup_resolver (config, dns, store);
          if (resolver == NULL)
            return EXIT_USAGE;
          ok = resolve_pass (resolver, store, geoip, &plan, once ? NULL : &watermark, &n_sources,
                             &n_checks, &error);
        }
      if (once)
        {
          if (!ok)
            {
              fprintf (stderr, "dmarcstat: resolve: %s\n", error->message);
              return EXIT_DB;
            }
          printf ("resolved %" G_GINT64_FORMAT " sources, checked %" G_GINT64_FORMAT " domains\n",
                  n_sources, n_checks);
          return EXIT_OK;
        }
      if (!ok && !outage_logged)
        g_warning ("resolve: %s; retrying every %u s", error->message, plan.interval);
      else if (ok && outage_logged)
        g_message ("resolve: the database is back");
      outage_logged = !ok;
      if (ok && (n_sources > 0 || n_checks > 0))
        g_message ("resolved %" G_GINT64_FORMAT " sources, checked %" G_GINT64_FORMAT " domains",
                   n_sources, n_checks);
      sleep_interruptibly (plan.interval);
    }
  while (!stop_requested);
  return EXIT_OK;
}

int
cmd_resolve (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_auto (DnsCliOptions) dns = { 0 };

  return resolve_main (&common, &dns, argc, argv);
}
