/*
 * watch.c -- see watch.h.
 */
#include "ingest/watch.h"
#include "ingest/maildir.h"
#include "ingest/side_process.h"
#include "store/migrate.h"
#include "store/partitions.h"
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

typedef struct _Watch Watch;

/* One persistent worker process and the mail it is working on. */
typedef struct
{
  Watch *w;
  GSubprocess *proc;             /* NULL when not running */
  GDataInputStream *replies;     /* its stdout, one reply line per mail */
  GCancellable *cancel;
  char *path;                    /* the mail it holds, NULL when idle */
} WorkerSlot;

struct _Watch
{
  const WatchOptions *options;   /* borrowed */
  GMainLoop *loop;
  GQueue queue;                  /* char* paths waiting, owned */
  GHashTable *queued;            /* path -> itself: what is in the queue */
  GHashTable *strikes;           /* path -> count of worker crashes */
  WorkerSlot *slots;             /* n_slots persistent workers */
  guint n_slots;
  guint n_busy;                  /* slots holding a mail */
  Store *store;                  /* for migrations and crash records; lazy */
  gboolean is_migrated;
  gboolean is_stopping;
  guint backoff_seconds;         /* 0 when the database is fine */
  gboolean is_filing_outage;     /* the outage is the maildir, not the database */
  guint backoff_source;
  int inotify_fd;
  IngestStats stats;
  guint64 records_at_upkeep;     /* stats.n_records when partitions were last kept */
  int exit_status;
};

static void watch_kick (Watch *w);

void
watch_print_worker_reply (int status, const IngestStats *s)
{
  printf ("done %d %u %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", status,
          s->n_reports, s->n_duplicates, s->n_rejected, s->n_records, s->total_count);
  fflush (stdout);
}

/* Adds a reply's counts; returns its status, or -1 when the line is not a
 * reply. */
static int
watch_add_worker_stats (Watch *w, const char *line)
{
  int status;
  guint reports, dups, rejected;
  guint64 records, total;
  if (line == NULL
      || sscanf (line, "done %d %u %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &status,
                 &reports, &dups, &rejected, &records, &total) != 6)
    return -1;
  if (status == EXIT_DB || status == WORKER_SKIPPED || status == WORKER_NOT_FILED)
    return status;   /* nothing is done yet, or it was done elsewhere */
  w->stats.n_inputs++;
  w->stats.n_reports += reports;
  w->stats.n_duplicates += dups;
  w->stats.n_rejected += rejected;
  w->stats.n_records += records;
  w->stats.total_count += total;
  return status;
}

static gboolean
watch_is_in_flight (const Watch *w, const char *path)
{
  for (guint i = 0; i < w->n_slots; i++)
    if (g_strcmp0 (w->slots[i].path, path) == 0)
      return TRUE;
  return FALSE;
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
      if (g_hash_table_contains (w->queued, path) || watch_is_in_flight (w, path))
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
  w->is_filing_outage = FALSE;
  w->backoff_seconds = w->backoff_seconds ? MIN (w->backoff_seconds * 2, WATCH_BACKOFF_MAX) : 1;
  if (w->options->once)
    {
      w->exit_status = EXIT_DB;
      w->is_stopping = TRUE;
      return;
    }
  w->backoff_source = g_timeout_add_seconds (w->backoff_seconds, watch_backoff_done, w);
}

/* A worker stored a mail's reports but could not move the mail (disk full,
 * read-only maildir: its own line names the file and the reason).  The
 * mail stays; the next attempt finds its reports stored.  Said once per
 * outage, like a database one, and not blamed on the database. */
static void
watch_backoff_filing (Watch *w)
{
  if (w->backoff_seconds == 0)
    g_warning ("cannot file mails in the maildir (see above); they stay where they are, "
               "retrying with backoff");
  w->is_filing_outage = TRUE;
  w->backoff_seconds = w->backoff_seconds ? MIN (w->backoff_seconds * 2, WATCH_BACKOFF_MAX) : 1;
  if (w->options->once)
    {
      w->exit_status = EXIT_REJECTED;
      w->is_stopping = TRUE;
      return;
    }
  w->backoff_source = g_timeout_add_seconds (w->backoff_seconds, watch_backoff_done, w);
}

static void
watch_database_ok (Watch *w)
{
  if (w->backoff_seconds != 0)
    g_message (w->is_filing_outage ? "filing mails works again" : "database available again");
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

static void watch_slot_read (WorkerSlot *slot);

static void
watch_requeue_first (Watch *w, const char *path)
{
  char *copy = g_strdup (path);   /* first in line once the database is back */
  g_hash_table_add (w->queued, copy);
  g_queue_push_head (&w->queue, copy);
}

/* The slot's mail is done (or given back): the slot is idle again. */
static void
watch_slot_release (WorkerSlot *slot)
{
  if (slot->path != NULL)
    slot->w->n_busy--;
  g_clear_pointer (&slot->path, g_free);
}

static void
watch_slot_clear (WorkerSlot *slot)
{
  if (slot->cancel != NULL)
    g_cancellable_cancel (slot->cancel);
  g_clear_object (&slot->cancel);
  g_clear_object (&slot->replies);
  g_clear_object (&slot->proc);
}

/* The worker process ended.  A mail it held when it died by a signal is a
 * strike against that mail; one it held when it exited with status 3 goes
 * back in line (database unavailable). */
static void
watch_slot_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  GSubprocess *proc = G_SUBPROCESS (source);
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_wait_finish (proc, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (proc);
      return;
    }
  WorkerSlot *slot = data;
  Watch *w = slot->w;
  g_autofree char *path = g_strdup (slot->path);
  watch_slot_release (slot);
  if (path != NULL)
    {
      if (g_subprocess_get_if_signaled (proc))
        watch_worker_crashed (w, path, g_subprocess_get_term_sig (proc));
      else
        {
          watch_requeue_first (w, path);
          if (g_subprocess_get_exit_status (proc) == EXIT_DB)
            watch_backoff (w, NULL);
        }
    }
  g_object_unref (proc);
  watch_slot_clear (slot);
  watch_kick (w);
}

static void
watch_slot_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
                                                                result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  WorkerSlot *slot = data;
  Watch *w = slot->w;

  if (line == NULL)
    {
      /* End of its output: the worker is gone or going; its exit status
       * says what became of the mail it held. */
      g_cancellable_cancel (slot->cancel);
      g_clear_object (&slot->cancel);
      g_subprocess_wait_async (g_object_ref (slot->proc), NULL, watch_slot_exited, slot);
      return;
    }
  int status = watch_add_worker_stats (w, line);
  if (status < 0 || slot->path == NULL)
    {
      g_warning ("worker said something unexpected: %.80s", line);
      watch_slot_read (slot);
      return;
    }
  if (status == EXIT_DB)
    {
      watch_requeue_first (w, slot->path);
      watch_backoff (w, NULL);
    }
  else if (status == WORKER_NOT_FILED)
    {
      watch_requeue_first (w, slot->path);
      watch_backoff_filing (w);
    }
  else if (status == WORKER_SKIPPED)
    g_debug ("%s: claimed or filed by another process", slot->path);
  else
    {
      watch_database_ok (w);
      g_hash_table_remove (w->strikes, slot->path);
      if (status != EXIT_OK && w->exit_status == EXIT_OK)
        w->exit_status = EXIT_REJECTED;
    }
  watch_slot_release (slot);
  watch_slot_read (slot);
  watch_kick (w);
}

static void
watch_slot_read (WorkerSlot *slot)
{
  g_data_input_stream_read_line_async (slot->replies, G_PRIORITY_DEFAULT, slot->cancel,
                                       watch_slot_replied, slot);
}

static void
watch_child_setup (gpointer data G_GNUC_UNUSED)
{
  /* Its own process group: a Ctrl-C meant for the daemon must not kill the
   * worker mid-mail; the daemon lets it finish. */
  setpgid (0, 0);
}

static gboolean
watch_slot_start (Watch *w, WorkerSlot *slot, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, watch_child_setup, NULL, NULL);
  slot->proc = g_subprocess_launcher_spawnv (launcher, w->options->worker_argv, error);
  if (slot->proc == NULL)
    return FALSE;
  slot->replies = g_data_input_stream_new (g_subprocess_get_stdout_pipe (slot->proc));
  slot->cancel = g_cancellable_new ();
  watch_slot_read (slot);
  return TRUE;
}

/* Hands PATH to SLOT's worker: one line on its stdin. */
static gboolean
watch_slot_send (Watch *w, WorkerSlot *slot, const char *path, GError **error)
{
  if (slot->proc == NULL && !watch_slot_start (w, slot, error))
    return FALSE;
  g_autofree char *line = g_strdup_printf ("%s\n", path);
  GOutputStream *in = g_subprocess_get_stdin_pipe (slot->proc);
  slot->path = g_strdup (path);
  w->n_busy++;
  if (!g_output_stream_write_all (in, line, strlen (line), NULL, NULL, NULL))
    {
      /* The worker died while idle: its exit is handled when its output
       * ends, and the mail goes back in line then. */
      g_debug ("worker gone before %s", path);
    }
  return TRUE;
}

static WorkerSlot *
watch_idle_slot (Watch *w)
{
  for (guint i = 0; i < w->n_slots; i++)
    if (w->slots[i].path == NULL && (w->slots[i].proc == NULL || w->slots[i].cancel != NULL))
      return &w->slots[i];
  return NULL;
}

/* Gives waiting mails to idle workers; quits when done. */
/* When the queue has drained after reports were stored: a backlog of old
 * reports went to the default record partition, and moving it into its
 * months now keeps the dashboard's scans to the months asked for. */
static void
watch_upkeep (Watch *w)
{
  g_autoptr (GError) error = NULL;
  if (w->stats.n_records == w->records_at_upkeep || !watch_ensure_store (w, &error))
    return;
  w->records_at_upkeep = w->stats.n_records;
  partitions_maintain (w->store);
}

static void
watch_kick (Watch *w)
{
  WorkerSlot *slot;

  while (!w->is_stopping && w->backoff_source == 0 && (slot = watch_idle_slot (w)) != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (g_queue_is_empty (&w->queue))
        {
          if (w->n_busy == 0)
            watch_upkeep (w);
          if (w->options->once && w->n_busy == 0)
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
      if (!watch_slot_send (w, slot, path, &error))
        {
          g_warning ("cannot start a worker: %s", error->message);
          w->exit_status = EXIT_USAGE;
          w->is_stopping = TRUE;
        }
    }
  if (w->is_stopping && w->n_busy == 0)
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
    g_message ("stopping%s", w->n_busy > 0 ? " after the current mails" : "");
  w->is_stopping = TRUE;
  if (w->n_busy == 0)
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

/* Idle workers exit when their stdin closes; wait for each. */
static void
watch_stop_workers (Watch *w)
{
  for (guint i = 0; i < w->n_slots; i++)
    {
      WorkerSlot *slot = &w->slots[i];
      if (slot->proc == NULL)
        continue;
      GSubprocess *proc = g_object_ref (slot->proc);
      if (slot->cancel != NULL)
        g_cancellable_cancel (slot->cancel);
      g_output_stream_close (g_subprocess_get_stdin_pipe (proc), NULL, NULL);
      g_subprocess_wait (proc, NULL, NULL);
      g_object_unref (proc);
      g_clear_pointer (&slot->path, g_free);
      g_clear_object (&slot->cancel);
      g_clear_object (&slot->replies);
      g_clear_object (&slot->proc);
    }
  /* Let cancelled callbacks run before the slots go away. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (w->slots);
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

  w.n_slots = MAX (options->n_workers, 1);
  w.slots = g_new0 (WorkerSlot, w.n_slots);
  for (guint i = 0; i < w.n_slots; i++)
    w.slots[i].w = &w;

  watch_scan (&w);
  watch_kick (&w);
  if (!w.is_stopping || w.n_busy > 0)
    g_main_loop_run (w.loop);
  side_process_stop (resolver);
  watch_stop_workers (&w);

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
