/*
 * cmd_serve.c -- `dmarcstat serve [--listen ADDR:PORT]`: the dashboard.
 *
 *   --listen, else [web] listen, else 127.0.0.1:8080 (port 0: any free one)
 *   --db, else [web] conninfo, else [database] conninfo, else $DMARCSTAT_DB
 *
 * serve only reads: its connections are read-only (store/pool.c), and the
 * [web] conninfo can name a role with SELECT grants alone.  It applies no
 * migrations.
 *
 * Any address but loopback needs [web] password_hash or [web] token: the
 * dashboard shows which servers send mail as your domains, and that is no
 * one else's business.  serve refuses to start otherwise.
 *
 * Exit: 0 after SIGTERM or SIGINT (connections closed, workers joined,
 * every database connection closed); 2 usage error (option, address,
 * config, no auth off loopback, address in use); 3 the database could not
 * be reached at start (one connection is tried before listening).
 */
#include "cli/commands.h"
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/log.h"
#include "store/pool.h"
#include "web/auth.h"
#include "web/server.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"

static int
serve_usage (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
serve_usage (const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (stderr, "dmarcstat serve: %s\n", message);
  return EXIT_USAGE;
}

static gboolean
serve_on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* --db, else [web] conninfo (a read-only role), else the common rule.
 * (transfer full) */
static char *
serve_conninfo (const CommonOptions *common, const Config *config)
{
  char *web = g_key_file_get_string (config->key_file, "web", "conninfo", NULL);

  if (common->db == NULL && web != NULL && *web != '\0')
    return web;
  g_free (web);
  return g_strdup (options_conninfo (common, config));
}

/* One connection before listening: a wrong --db fails now, with exit 3,
 * not as a 503 on every page. */
static gboolean
serve_check_database (StorePool *pool)
{
  g_autoptr (GError) error = NULL;
  Store *store = store_pool_acquire (pool, &error);

  if (store == NULL)
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return FALSE;
    }
  store_pool_release (pool, store);
  return TRUE;
}

/* Serves until SIGTERM or SIGINT. */
static int
serve_run (const ServerOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint term = g_unix_signal_add (SIGTERM, serve_on_signal, loop);
  guint intr = g_unix_signal_add (SIGINT, serve_on_signal, loop);
  g_autoptr (Server) server = server_start (options, &error);

  if (server == NULL)
    {
      g_source_remove (term);
      g_source_remove (intr);
      return serve_usage ("%s", error->message);
    }
  g_autofree char *where = server_format_address (options->address, server_port (server));
  fprintf (stderr, "dmarcstat: serving http://%s/\n", where);
  fflush (stderr);
  g_main_loop_run (loop);
  g_message ("stopping");
  g_source_remove (term);
  g_source_remove (intr);
  return EXIT_OK;
}

int
cmd_serve (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_autofree char *listen = NULL;
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Address and port to listen on (default " SERVE_DEFAULT_LISTEN ")", "ADDR:PORT" },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("serve", NULL, "Serve the dashboard over HTTP.", entries, &common,
                      &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_autofree char *safe = log_safe_str (argv[1]);
      return serve_usage ("unexpected argument '%s' (try: dmarcstat serve --help)", safe);
    }
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL || !dns_setup_senders (config))
    return EXIT_USAGE;
  const char *source = "--listen";
  if (listen == NULL)
    {
      listen = g_key_file_get_string (config->key_file, "web", "listen", NULL);
      source = "[web] listen";
    }
  if (listen == NULL)
    listen = g_strdup (SERVE_DEFAULT_LISTEN);
  g_autoptr (GInetSocketAddress) address = server_parse_address (listen, &error);
  if (address == NULL)
    {
      g_autofree char *safe = log_safe_str (listen);
      return serve_usage ("%s \"%s\": %s", source, safe, error->message);
    }
  g_autoptr (Auth) auth = auth_new (config, &error);
  if (auth == NULL)
    return serve_usage ("%s", error->message);
  if (!server_address_is_loopback (address) && !auth_is_configured (auth))
    {
      g_autofree char *where = server_format_address (address, g_inet_socket_address_get_port (address));
      return serve_usage ("refusing to listen on %s without authentication: "
                          "set [web] password_hash or [web] token in the config file", where);
    }

  /* A database host that drops packets must not hang a page forever. */
  g_setenv ("PGCONNECT_TIMEOUT", "10", FALSE);
  g_autofree char *conninfo = serve_conninfo (&common, config);
  g_autoptr (StorePool) pool = store_pool_new (conninfo, SERVER_POOL_SIZE, SERVER_POOL_WAIT_SECONDS);
  if (!serve_check_database (pool))
    return EXIT_DB;
  /* A client that resets mid-response must not kill the process. */
  signal (SIGPIPE, SIG_IGN);
  ServerOptions options = { address, pool, config, auth };
  return serve_run (&options);
}
