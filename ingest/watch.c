/*
 * watch.c -- see watch.h.
 */
#include "ingest/watch.h"
#include "ingest/maildir.h"
#include "ingest/side_process.h"
#include "store/migrate.h"
#include "store/save_report.h"
#include "core/error.h"
#include "core/log.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <errno.h>
#include <unistd.h>

#define WATCH_MAX_STRIKES 3
#define WATCH_BACKOFF_MAX 60

typedef struct
{
  const WatchOptions *options;   /* borrowed */
  GMainLoop *loop;
  GQueue queue;                  /* char* paths waiting, owned */
  GHashTable *queued;            /* path -> itself: what is in the queue */
  GHashTable *strikes;           /* path -> count of worker crashes */
  GSubprocess *worker;           /* the running worker, or NULL */
  char *worker_path;             /* its mail */
  Store *store;                  /* for migrations and crash records; lazy */
  gboolean is_migrated;
  gboolean is_stopping;
  guint backoff_seconds;         /* 0 when the database is fine */
  guint backoff_source;
  int inotify_fd;
  IngestStats stats;
  int exit_status;
} Watch;

static void watch_kick (Watch *w);

void
watch_print_worker_stats (const IngestStats *s)
{
  printf ("stats %u %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
          s->n_reports, s->n_duplicates, s->n_rejected, s->n_records, s->total_count);
  fflush (stdout);
}

static void
watch_add_worker_stats (Watch *w, const char *out)
{
  guint reports, dups, rejected;
  guint64 records, total;
  if (out == NULL
      || sscanf (out, "stats %u %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                 &reports, &dups, &rejected, &records, &total) != 5)
    return;
  w->stats.n_inputs++;
  w->stats.n_reports += reports;
  w->stats.n_duplicates += dups;
  w->stats.n_rejected += rejected;
  w->stats.n_records += records;
  w->stats.total_count += total;
}

static void
watch_scan (Watch *w)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) paths = maildir_list (w->options->maildir, &error);

  if (paths == NULL)
    {
      g_warning ("%s: cannot list: %s", w->options->maildir, error->message);
      return;
    }
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      if (g_hash_table_contains (w->queued, path)
          || g_strcmp0 (path, w->worker_path) == 0)
        continue;
      char *copy = g_strdup (path);
      g_hash_table_add (w->queued, copy);
      g_queue_push_tail (&w->queue, copy);
    }
}

/* The database connection of the supervisor itself, (re)opened on demand;
 * migrations are applied once, before the first worker starts. */
static gboolean
watch_ensure_store (Watch *w, GError **error)
{
  if (w->store != NULL && !store_is_ok (w->store))
    g_clear_pointer (&w->store, store_close);
  if (w->store == NULL)
    w->store = store_open (w->options->conninfo, error);
  if (w->store == NULL)
    return FALSE;
  if (!w->is_migrated && !migrate_apply (w->store, NULL, error))
    return FALSE;
  w->is_migrated = TRUE;
  return TRUE;
}

static gboolean
watch_backoff_done (gpointer data)
{
  Watch *w = data;
  w->backoff_source = 0;
  watch_kick (w);
  return G_SOURCE_REMOVE;
}

/* The database is unavailable: wait, doubling the wait up to a minute, and
 * say so once per outage rather than once per mail. */
static void
watch_backoff (Watch *w, const char *reason)
{
  if (w->backoff_seconds == 0)
    g_warning ("database unavailable (%s); mails stay in the maildir, retrying with backoff",
               reason ? reason : "worker could not connect");
  w->backoff_seconds = w->backoff_seconds ? MIN (w->backoff_seconds * 2, WATCH_BACKOFF_MAX) : 1;
  if (w->options->once)
    {
      w->exit_status = EXIT_DB;
      w->is_stopping = TRUE;
      return;
    }
  w->backoff_source = g_timeout_add_seconds (w->backoff_seconds, watch_backoff_done, w);
}

static void
watch_database_ok (Watch *w)
{
  if (w->backoff_seconds != 0)
    g_message ("database available again");
  w->backoff_seconds = 0;
}

/* Three strikes: the mail goes to .Failed with "parser crashed" on record. */
static void
watch_give_up (Watch *w, const char *path, int signal_number)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) reason = g_error_new (DMARCSTAT_ERROR, DMARCSTAT_ERROR_WORKER_CRASHED,
                                           "parser crashed (signal %d) %d times; mail filed in .Failed",
                                           signal_number, WATCH_MAX_STRIKES);
  g_autofree char *target = maildir_target_path (w->options->maildir, path, MAILDIR_FAILED);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autofree char *sha256 = g_file_get_contents (path, &contents, &len, NULL)
      ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len)
      : g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  g_autofree char *safe_target = g_utf8_make_valid (target, -1);

  if (!watch_ensure_store (w, &error)
      || !save_failure (w->store, sha256, "", safe_target, "worker", reason->message, &error))
    {
      /* Keep the mail where it is: without its failure on record, filing it
       * would hide it.  The next pass tries again. */
      watch_backoff (w, error->message);
      return;
    }
  log_reject_line (path, reason);
  g_autofree char *moved = maildir_move (w->options->maildir, path, MAILDIR_FAILED, &error);
  if (moved == NULL)
    g_warning ("%s: %s", path, error->message);
  g_hash_table_remove (w->strikes, path);
  w->stats.n_inputs++;
  w->stats.n_rejected++;
  if (w->exit_status == EXIT_OK)
    w->exit_status = EXIT_REJECTED;
}

static void
watch_worker_crashed (Watch *w, const char *path, int signal_number)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (w->strikes, path)) + 1;
  g_warning ("%s: worker killed by signal %d (strike %u of %d)", path, signal_number,
             n, WATCH_MAX_STRIKES);
  if (n >= WATCH_MAX_STRIKES)
    {
      watch_give_up (w, path, signal_number);
      return;
    }
  g_hash_table_insert (w->strikes, g_strdup (path), GUINT_TO_POINTER (n));
  if (!g_hash_table_contains (w->queued, path))
    {
      char *copy = g_strdup (path);
      g_hash_table_add (w->queued, copy);
      g_queue_push_tail (&w->queue, copy);
    }
}

static void
watch_worker_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Watch *w = data;
  GSubprocess *worker = G_SUBPROCESS (source);
  g_autofree char *path = g_steal_pointer (&w->worker_path);
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (worker, result, &out, NULL, &error);
  if (g_subprocess_get_if_signaled (worker))
    watch_worker_crashed (w, path, g_subprocess_get_term_sig (worker));
  else
    {
      int status = g_subprocess_get_exit_status (worker);
      if (status == EXIT_DB)
        {
          char *copy = g_strdup (path);   /* first in line once the database is back */
          g_hash_table_add (w->queued, copy);
          g_queue_push_head (&w->queue, copy);
          watch_backoff (w, NULL);
        }
      else
        {
          watch_database_ok (w);
          watch_add_worker_stats (w, out);
          g_hash_table_remove (w->strikes, path);
          if (status != EXIT_OK && w->exit_status == EXIT_OK)
            w->exit_status = EXIT_REJECTED;
        }
    }
  g_clear_object (&w->worker);
  watch_kick (w);
}

static void
watch_child_setup (gpointer data G_GNUC_UNUSED)
{
  /* Its own process group: a Ctrl-C meant for the daemon must not kill the
   * worker mid-mail; the daemon lets it finish. */
  setpgid (0, 0);
}

static gboolean
watch_spawn (Watch *w, const char *path, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) w->options->worker_argv);
  g_strv_builder_add (builder, path);
  g_auto (GStrv) argv = g_strv_builder_end (builder);
  g_subprocess_launcher_set_child_setup (launcher, watch_child_setup, NULL, NULL);
  w->worker = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, error);
  if (w->worker == NULL)
    return FALSE;
  w->worker_path = g_strdup (path);
  g_subprocess_communicate_utf8_async (w->worker, NULL, NULL, watch_worker_done, w);
  return TRUE;
}

/* Starts the next worker when nothing else is running; quits when done. */
static void
watch_kick (Watch *w)
{
  while (w->worker == NULL && !w->is_stopping && w->backoff_source == 0)
    {
      g_autoptr (GError) error = NULL;
      if (g_queue_is_empty (&w->queue))
        {
          if (w->options->once)
            w->is_stopping = TRUE;
          break;
        }
      if (!w->is_migrated && !watch_ensure_store (w, &error))
        {
          watch_backoff (w, error->message);
          continue;
        }
      char *path = g_queue_pop_head (&w->queue);
      g_hash_table_steal (w->queued, path);
      g_autofree char *owned = path;
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;   /* filed meanwhile by another daemon */
      if (!watch_spawn (w, path, &error))
        {
          g_warning ("cannot start a worker: %s", error->message);
          w->exit_status = EXIT_USAGE;
          w->is_stopping = TRUE;
        }
    }
  if (w->is_stopping && w->worker == NULL)
    g_main_loop_quit (w->loop);
}

static gboolean
watch_on_inotify (gint fd, GIOCondition condition G_GNUC_UNUSED, gpointer data)
{
  Watch *w = data;
  char buf[16384] __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  /* Drain every event; what they name does not matter: the scan finds all
   * mails, including after an IN_Q_OVERFLOW. */
  while (read (fd, buf, sizeof buf) > 0)
    ;
  watch_scan (w);
  watch_kick (w);
  return G_SOURCE_CONTINUE;
}

static gboolean
watch_on_timer (gpointer data)
{
  Watch *w = data;
  watch_scan (w);
  watch_kick (w);
  return G_SOURCE_CONTINUE;
}

static gboolean
watch_on_signal (gpointer data)
{
  Watch *w = data;
  if (!w->is_stopping)
    g_message ("stopping%s", w->worker ? " after the current mail" : "");
  w->is_stopping = TRUE;
  if (w->worker == NULL)
    g_main_loop_quit (w->loop);
  return G_SOURCE_CONTINUE;
}

static int
watch_inotify_open (const char *maildir)
{
  int fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  const char *subdirs[] = { "new", "cur" };

  if (fd < 0)
    return -1;
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (maildir, subdirs[i], NULL);
      if (inotify_add_watch (fd, path, IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
        g_warning ("%s: cannot watch: %s; relying on the periodic rescan", path, g_strerror (errno));
    }
  return fd;
}

int
watch_run (const WatchOptions *options, IngestStats *stats_out)
{
  Watch w = { .options = options, .inotify_fd = -1, .exit_status = EXIT_OK };
  g_autoptr (GError) error = NULL;
  guint sources[4] = { 0 };

  if (!maildir_prepare (options->maildir, &error))
    {
      g_printerr ("dmarcstat: %s\n", error->message);
      return EXIT_USAGE;
    }
  w.loop = g_main_loop_new (NULL, FALSE);
  g_queue_init (&w.queue);
  w.queued = g_hash_table_new (g_str_hash, g_str_equal);
  w.strikes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!options->once)
    {
      w.inotify_fd = watch_inotify_open (options->maildir);
      if (w.inotify_fd >= 0)
        sources[0] = g_unix_fd_add (w.inotify_fd, G_IO_IN, watch_on_inotify, &w);
      sources[1] = g_timeout_add_seconds (options->rescan_seconds, watch_on_timer, &w);
    }
  sources[2] = g_unix_signal_add (SIGTERM, watch_on_signal, &w);
  sources[3] = g_unix_signal_add (SIGINT, watch_on_signal, &w);

  SideProcess *resolver = NULL;
  if (!options->once && options->resolver_argv != NULL)
    resolver = side_process_start ("background resolver", options->resolver_argv);

  watch_scan (&w);
  watch_kick (&w);
  if (!w.is_stopping || w.worker != NULL)
    g_main_loop_run (w.loop);
  side_process_stop (resolver);

  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != 0)
      g_source_remove (sources[i]);
  if (w.backoff_source != 0)
    g_source_remove (w.backoff_source);
  if (w.inotify_fd >= 0)
    close (w.inotify_fd);
  g_queue_clear_full (&w.queue, g_free);
  g_hash_table_unref (w.queued);
  g_hash_table_unref (w.strikes);
  g_clear_pointer (&w.store, store_close);
  g_main_loop_unref (w.loop);
  if (stats_out != NULL)
    *stats_out = w.stats;
  /* A daemon stopped by a signal has done its job; rejections were logged
   * as they happened. */
  return options->once || w.exit_status == EXIT_USAGE ? w.exit_status : EXIT_OK;
}
