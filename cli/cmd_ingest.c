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
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "cli/summary.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/log.h"
#include "ingest/ingest.h"
#include "ingest/maildir.h"
#include "ingest/watch.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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
  /* Parsing is CPU-bound: one worker per processor by default. */
  guint64 n_workers;
  g_autoptr (GError) error = NULL;
  if (!config_get_uint (config, "ingest", "workers", MIN (g_get_num_processors (), 8), 1, 64,
                        &n_workers, &error))
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      return EXIT_USAGE;
    }
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
  g_strv_builder_add_many (builder, self ? self : argv[0], "ingest-one", "--stdin", "--maildir",
                           maildir, NULL);
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
  if (!no_resolve && !dns_setup_offline (config, NULL))
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
    .n_workers = (guint) n_workers,
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

static int
worker_ingest_mail (Store **store, const Config *config, const char *conninfo,
                    const char *maildir, const char *path, IngestStats *stats)
{
  g_autoptr (GError) error = NULL;

  if (*store != NULL && !store_is_ok (*store))
    g_clear_pointer (store, store_close);
  if (*store == NULL)
    {
      *store = store_open (conninfo, &error);
      if (*store != NULL && !store_tune_for_writing (*store, &error))
        g_clear_pointer (store, store_close);
    }
  if (*store == NULL)
    {
      /* No line of its own: the supervisor logs the outage once, not once
       * per mail and retry. */
      g_debug ("%s", error->message);
      return EXIT_DB;
    }
  g_autofree char *failed_path = maildir_target_path (maildir, path, MAILDIR_FAILED);
  IngestContext ctx = { *store, &config->limits, print_reject, NULL };
  IngestOutcome outcome = ingest_input (&ctx, path, NULL, INGEST_KIND_MAIL, failed_path,
                                        stats, &error);
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
      return WORKER_NOT_FILED;   /* stays; the next pass finds its reports stored */
    }
  fault_point ("after_rename");
  return stats->n_rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}

/* Claims PATH for this process: an exclusive flock on the open file, and
 * the path must still name that file once locked.  Daemons sharing a
 * maildir (on one host, or on several over a filesystem with working
 * locks) list the same mails; the claim makes each mail parsed by one of
 * them, and the one that comes second finds the mail locked or already
 * moved and leaves it.  The lock goes with the process: a worker killed
 * mid-mail releases it.  Returns the locked descriptor, or -1 (skip). */
static int
worker_claim (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  struct stat opened, named;

  if (fd < 0)
    return errno == ENOENT ? -1 : -2;   /* -2: let ingest report why */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0 || fstat (fd, &opened) != 0
      || stat (path, &named) != 0 || opened.st_ino != named.st_ino
      || opened.st_dev != named.st_dev)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* One mail, start to finish: claim it, ingest in one transaction, file it,
 * report.  STORE is (re)opened as needed and kept for the next mail.
 * Returns the status the supervisor reads: 0, 1 (something rejected), 3
 * (database unavailable: the mail stays) or WORKER_SKIPPED (another
 * process has it, or has filed it already). */
static int
worker_one_mail (Store **store, const Config *config, const char *conninfo,
                 const char *maildir, const char *path, IngestStats *stats)
{
  int claim = worker_claim (path);

  if (claim == -1)
    return WORKER_SKIPPED;
  int status = worker_ingest_mail (store, config, conninfo, maildir, path, stats);
  if (claim >= 0)
    close (claim);   /* after the move: a second daemon now finds it gone */
  return status;
}


/* A worker is replaced after this many mails, so that whatever a parser
 * bug might have left behind in one process does not live for long. */
#define WORKER_MAX_MAILS 1000
/* Wall-clock cap on one mail: a parser stuck in a loop ends its worker
 * (SIGALRM), which is a strike against that mail. */
#define WORKER_MAIL_SECONDS 300

int
cmd_ingest_one (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_autofree char *maildir = NULL;
  gboolean from_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "maildir", 0, 0, G_OPTION_ARG_FILENAME, &maildir, "The maildir FILE is in", "DIR" },
    { "stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
      "Read mail paths from stdin, one per line, and answer each on stdout", NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("ingest-one", "FILE", "Worker of the ingest daemon.",
                      entries, &common, &argc, &argv) || maildir == NULL
      || argc != (from_stdin ? 1 : 2))
    return EXIT_USAGE;
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  worker_limit_resources (&config->limits);
  const char *conninfo = options_conninfo (&common, config);
  g_autoptr (Store) store = NULL;

  if (!from_stdin)
    {
      IngestStats stats = { 0 };
      int status = worker_one_mail (&store, config, conninfo, maildir, argv[1], &stats);
      if (status == WORKER_SKIPPED)
        return EXIT_OK;
      if (status == WORKER_NOT_FILED)
        return EXIT_REJECTED;
      if (status != EXIT_DB)
        watch_print_worker_reply (status, &stats);
      return status;
    }
  char line[8192];
  for (guint n = 0; n < WORKER_MAX_MAILS && fgets (line, sizeof line, stdin) != NULL; n++)
    {
      line[strcspn (line, "\n")] = '\0';
      IngestStats stats = { 0 };
      alarm (WORKER_MAIL_SECONDS);
      int status = worker_one_mail (&store, config, conninfo, maildir, line, &stats);
      alarm (0);
      watch_print_worker_reply (status, &stats);
    }
  return EXIT_OK;
}
