/*
 * cmd_db.c -- `dmarcstat db migrate|status|prune --before DATE|rebuild-rollups`.
 *
 * prune deletes the reports whose date range begins before DATE, with
 * their records, original XML and rollup rows, and the ingest failures
 * last seen before it, in one transaction (see store/prune.h for what is
 * kept).  rebuild-rollups recomputes the dashboard's rollups from the
 * records, for records changed by hand.
 */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "store/migrate.h"
#include "store/prune.h"
#include "store/partitions.h"

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
  g_autofree char *partitions = partitions_status (store, &error);
  if (partitions != NULL)
    printf ("%s\n", partitions);
  else if (error != NULL)
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return EXIT_DB;
    }
  return EXIT_OK;
}

static int
db_prune (Store *store, const char *before)
{
  g_autoptr (GError) error = NULL;
  PruneCounts n;

  if (!prune_before (store, before, &n, &error))
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return EXIT_DB;
    }
  printf ("db prune: %" G_GINT64_FORMAT " reports, %" G_GINT64_FORMAT " records, %"
          G_GINT64_FORMAT " rollup rows, %" G_GINT64_FORMAT " ingest failures deleted\n",
          n.reports, n.records, n.rollup_rows, n.failures);
  return EXIT_OK;
}

static int
db_rebuild (Store *store)
{
  g_autoptr (GError) error = NULL;

  if (!prune_rebuild_rollups (store, &error))
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      return EXIT_DB;
    }
  printf ("db rebuild-rollups: done\n");
  return EXIT_OK;
}

/* YYYY-MM-DD only: retention is by whole UTC days, the grain of the
 * advice rollups. */
static gboolean
db_date_is_valid (const char *text)
{
  if (strlen (text) != 10)
    return FALSE;
  g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (full, NULL);
  return dt != NULL;
}

int
cmd_db (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_autofree char *before = NULL;
  const GOptionEntry entries[] = {
    { "before", 0, 0, G_OPTION_ARG_STRING, &before,
      "prune: delete reports whose date range begins before DATE (UTC)", "DATE" },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("db", "migrate|status|prune|rebuild-rollups",
                      "Apply or show the schema migrations; prune old data; rebuild the rollups.",
                      entries, &common, &argc, &argv))
    return EXIT_USAGE;
  const char *what = argc == 2 ? argv[1] : "";
  gboolean is_prune = strcmp (what, "prune") == 0;
  if (strcmp (what, "migrate") != 0 && strcmp (what, "status") != 0 && !is_prune
      && strcmp (what, "rebuild-rollups") != 0)
    {
      fprintf (stderr, "dmarcstat db: say 'migrate', 'status', 'prune --before DATE' or "
                       "'rebuild-rollups'\n");
      return EXIT_USAGE;
    }
  if (is_prune != (before != NULL) || (before != NULL && !db_date_is_valid (before)))
    {
      fprintf (stderr, "dmarcstat db: prune needs --before DATE (YYYY-MM-DD), and only prune "
                       "takes it\n");
      return EXIT_USAGE;
    }
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  gboolean needs_schema = is_prune || strcmp (what, "rebuild-rollups") == 0;
  g_autoptr (Store) store = options_open_store (&common, config, needs_schema);
  if (store == NULL)
    return EXIT_DB;
  if (strcmp (what, "migrate") == 0)
    return db_migrate (store);
  if (strcmp (what, "status") == 0)
    return db_status (store);
  return is_prune ? db_prune (store, before) : db_rebuild (store);
}
