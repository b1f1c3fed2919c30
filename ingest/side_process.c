/*
 * side_process.c -- see side_process.h.
 */
#include "ingest/side_process.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>

#define RESTART_MIN_SECONDS 5
#define RESTART_MAX_SECONDS 600

struct _SideProcess
{
  char *name;
  char **argv;
  GSubprocess *child;
  GCancellable *cancel;
  guint restart_source;
  guint delay;
  gboolean is_logged;      /* the current outage was logged */
};

static void side_spawn (SideProcess *side);

static gboolean
side_on_restart (gpointer data)
{
  SideProcess *side = data;
  side->restart_source = 0;
  side_spawn (side);
  return G_SOURCE_REMOVE;
}

static void
side_schedule (SideProcess *side, const char *why)
{
  side->delay = side->delay == 0 ? RESTART_MIN_SECONDS : MIN (side->delay * 2, RESTART_MAX_SECONDS);
  if (!side->is_logged)
    g_warning ("%s: %s; restarting it (retrying every %u s up to %u s)", side->name, why,
               side->delay, RESTART_MAX_SECONDS);
  side->is_logged = TRUE;
  side->restart_source = g_timeout_add_seconds (side->delay, side_on_restart, side);
}

static void
side_on_exit (GObject *source, GAsyncResult *result, gpointer data)
{
  GSubprocess *child = G_SUBPROCESS (source);
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_wait_finish (child, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* being stopped: SIDE may be gone */
  SideProcess *side = data;
  g_autofree char *why = g_subprocess_get_if_signaled (child)
    ? g_strdup_printf ("killed by signal %d", g_subprocess_get_term_sig (child))
    : g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (child));
  g_clear_object (&side->child);
  side_schedule (side, why);
}

/* In the child: die with the daemon, even when it is killed with -9, so
 * that no resolver outlives the daemon that started it. */
static void
side_child_setup (gpointer data G_GNUC_UNUSED)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
side_spawn (SideProcess *side)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  g_subprocess_launcher_set_child_setup (launcher, side_child_setup, NULL, NULL);
  side->child = g_subprocess_launcher_spawnv (launcher, (const char *const *) side->argv, &error);
  if (side->child == NULL)
    {
      side_schedule (side, error->message);
      return;
    }
  if (side->is_logged)
    g_message ("%s: running again", side->name);
  side->is_logged = FALSE;
  side->delay = 0;
  g_subprocess_wait_async (side->child, side->cancel, side_on_exit, side);
}

SideProcess *
side_process_start (const char *name, const char *const *argv)
{
  SideProcess *side = g_new0 (SideProcess, 1);
  side->name = g_strdup (name);
  side->argv = g_strdupv ((char **) argv);
  side->cancel = g_cancellable_new ();
  side_spawn (side);
  return side;
}

void
side_process_stop (SideProcess *side)
{
  if (side == NULL)
    return;
  if (side->restart_source != 0)
    g_source_remove (side->restart_source);
  g_cancellable_cancel (side->cancel);
  if (side->child != NULL)
    {
      g_subprocess_send_signal (side->child, SIGTERM);
      /* Wait up to 10 s: the child watch reaps it from the main context,
       * after which it has no identifier. */
      for (int i = 0; i < 100 && g_subprocess_get_identifier (side->child) != NULL; i++)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          if (g_subprocess_get_identifier (side->child) != NULL)
            g_usleep (100 * 1000);
        }
      if (g_subprocess_get_identifier (side->child) != NULL)
        g_subprocess_force_exit (side->child);
      g_subprocess_wait (side->child, NULL, NULL);
      g_clear_object (&side->child);
    }
  g_object_unref (side->cancel);
  g_strfreev (side->argv);
  g_free (side->name);
  g_free (side);
}
