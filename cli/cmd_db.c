/*
 * cmd_db.c -- `dmarcstat db migrate` and `dmarcstat db status`.
 */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "store/migrate.h"

#include <stdio.h>
#include <string.h>

static int
db_migrate (Store *store)
{
  g_autoptr (GError) error = NULL;
  guint n_applied = 0;

  if (!migrate_apply (store, &n_applied, &error))
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return error_exit_status (error) == EXIT_REJECTED ? EXIT_DB : error_exit_status (error);
    }
  printf ("db migrate: %u migration%s applied\n", n_applied, n_applied == 1 ? "" : "s");
  return EXIT_OK;
}

static int
db_status (Store *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = migrate_status (store, &error);
  guint n_pending = 0;

  if (list == NULL)
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return EXIT_DB;
    }
  for (guint i = 0; i < list->len; i++)
    {
      MigrationStatus *m = g_ptr_array_index (list, i);
      printf ("%03u  %-32s %s\n", m->version, m->name,
              m->applied_at ? m->applied_at : "pending");
      if (m->applied_at == NULL)
        n_pending++;
    }
  printf ("%u pending\n", n_pending);
  return EXIT_OK;
}

int
cmd_db (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };

  if (!options_parse ("db", "migrate|status", "Apply or show the schema migrations.",
                      NULL, &common, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || (strcmp (argv[1], "migrate") != 0 && strcmp (argv[1], "status") != 0))
    {
      fprintf (stderr, "dmarcstat db: say 'migrate' or 'status'\n");
      return EXIT_USAGE;
    }
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  g_autoptr (Store) store = options_open_store (&common, config, FALSE);
  if (store == NULL)
    return EXIT_DB;
  int status = strcmp (argv[1], "migrate") == 0 ? db_migrate (store) : db_status (store);
  return status;
}
