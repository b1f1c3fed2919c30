/*
 * cmd_ingest.c -- `dmarcstat ingest --maildir DIR [--once]`, the daemon,
 * and `dmarcstat ingest-one --maildir DIR FILE`, its worker (hidden).
 *
 * The daemon also keeps `dmarcstat resolve` running beside it (source
 * names and DNS checks in the background; --no-resolve or [dns] offline
 * turn it off).
 *
 * The worker limits its own resources before it parses anything, ingests
 * one mail, files it, and reports its counts on stdout for the supervisor.
 */
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/summary.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/log.h"
#include "ingest/ingest.h"
#include "ingest/maildir.h"
#include "ingest/watch.h"

#include <stdio.h>
#include <sys/resource.h>

int
cmd_ingest (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_autofree char *maildir = NULL;
  gboolean once = FALSE, no_resolve = FALSE;
  g_auto (GStrv) dns_servers = NULL;
  const GOptionEntry entries[] = {
    { "maildir", 0, 0, G_OPTION_ARG_FILENAME, &maildir, "Maildir that receives the report mails", "DIR" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "Ingest what is there, then exit", NULL },
    { "no-resolve", 0, 0, G_OPTION_ARG_NONE, &no_resolve,
      "Do not run the background resolver (source names, DNS checks)", NULL },
    { "dns-server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &dns_servers,
      "DNS server for the background resolver (repeatable)", "ADDR[:PORT]" },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("ingest", NULL, "Store every report mail delivered to a maildir.",
                      entries, &common, &argc, &argv))
    return EXIT_USAGE;
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  if (maildir == NULL)
    maildir = g_key_file_get_string (config->key_file, "ingest", "maildir", NULL);
  if (maildir == NULL)
    {
      fprintf (stderr, "dmarcstat ingest: --maildir DIR is required\n");
      return EXIT_USAGE;
    }

  /* The worker is this very binary, with the same database and config. */
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, self ? self : argv[0], "ingest-one", "--maildir", maildir, NULL);
  if (common.db != NULL)
    g_strv_builder_add_many (builder, "--db", common.db, NULL);
  if (common.config_path != NULL)
    g_strv_builder_add_many (builder, "--config", common.config_path, NULL);
  if (common.verbose)
    g_strv_builder_add (builder, "-v");
  g_auto (GStrv) worker_argv = g_strv_builder_end (builder);

  /* The background resolver: the same binary again, unless lookups are
   * off (--no-resolve, or [dns] offline). */
  g_auto (GStrv) resolver_argv = NULL;
  if (!no_resolve && !g_key_file_get_boolean (config->key_file, "dns", "offline", NULL))
    {
      g_autoptr (GStrvBuilder) rb = g_strv_builder_new ();
      g_strv_builder_add_many (rb, self ? self : argv[0], "resolve", NULL);
      if (common.db != NULL)
        g_strv_builder_add_many (rb, "--db", common.db, NULL);
      if (common.config_path != NULL)
        g_strv_builder_add_many (rb, "--config", common.config_path, NULL);
      for (gsize i = 0; dns_servers != NULL && dns_servers[i] != NULL; i++)
        g_strv_builder_add_many (rb, "--dns-server", dns_servers[i], NULL);
      if (common.verbose)
        g_strv_builder_add (rb, "-v");
      resolver_argv = g_strv_builder_end (rb);
    }

  WatchOptions options = {
    .maildir = maildir,
    .conninfo = options_conninfo (&common, config),
    .worker_argv = (const char *const *) worker_argv,
    .resolver_argv = (const char *const *) resolver_argv,
    .once = once,
    .rescan_seconds = config->rescan_seconds,
  };
  IngestStats stats = { 0 };
  if (!once)
    g_message ("watching %s", maildir);
  int status = watch_run (&options, &stats);
  summary_print ("ingest", &stats);
  return status;
}

static void
print_reject (const char *input, const GError *error, gpointer data G_GNUC_UNUSED)
{
  log_reject_line (input, error);
}

/* Caps the worker's own CPU time and, outside sanitizer builds (which map
 * terabytes of shadow memory), its address space: a parser bug that loops
 * or balloons ends this process, not the daemon. */
static void
worker_limit_resources (const Limits *limits)
{
  struct rlimit cpu = { 300, 330 };
  setrlimit (RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__)
  rlim_t bytes = (rlim_t) (limits->mail_max_bytes * 4 + G_GUINT64_CONSTANT (1) * 1024 * 1024 * 1024);
  struct rlimit as = { bytes, bytes };
  setrlimit (RLIMIT_AS, &as);
#else
  (void) limits;
#endif
}

int
cmd_ingest_one (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_autofree char *maildir = NULL;
  const GOptionEntry entries[] = {
    { "maildir", 0, 0, G_OPTION_ARG_FILENAME, &maildir, "The maildir FILE is in", "DIR" },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("ingest-one", "FILE", "Worker of the ingest daemon: one mail.",
                      entries, &common, &argc, &argv) || maildir == NULL || argc != 2)
    return EXIT_USAGE;
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  worker_limit_resources (&config->limits);

  /* No line of its own when the database is down: the supervisor logs the
   * outage once, not once per mail and retry. */
  g_autoptr (GError) error = NULL;
  g_autoptr (Store) store = store_open (options_conninfo (&common, config), &error);
  if (store == NULL)
    {
      g_debug ("%s", error->message);
      return EXIT_DB;
    }
  g_clear_error (&error);
  const char *path = argv[1];
  g_autofree char *failed_path = maildir_target_path (maildir, path, MAILDIR_FAILED);
  IngestContext ctx = { store, &config->limits, print_reject, NULL };
  IngestStats stats = { 0 };
  IngestOutcome outcome = ingest_input (&ctx, path, NULL, INGEST_KIND_MAIL, failed_path,
                                        &stats, &error);
  if (outcome == INGEST_RETRY)
    {
      g_debug ("%s: %s", path, error->message);
      return EXIT_DB;
    }
  if (error != NULL)
    log_reject_line (path, error);
  g_clear_error (&error);

  MaildirFolder folder = outcome == INGEST_STORED ? MAILDIR_PROCESSED : MAILDIR_FAILED;
  g_autofree char *moved = maildir_move (maildir, path, folder, &error);
  if (moved == NULL)
    {
      g_warning ("%s: %s", path, error->message);
      return EXIT_DB;   /* stays; the next pass finds its reports stored */
    }
  fault_point ("after_rename");
  watch_print_worker_stats (&stats);
  return stats.n_rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}
