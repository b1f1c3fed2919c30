/*
 * options.c -- see options.h.
 */
#include "cli/options.h"
#include "core/error.h"
#include "core/log.h"
#include "store/migrate.h"

#include <stdio.h>

gboolean
options_parse (const char *command, const char *parameter, const char *summary,
               const GOptionEntry *entries, CommonOptions *common,
               int *argc, char ***argv)
{
  const GOptionEntry common_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &common->db,
      "PostgreSQL connection (URI or key=value; default $DMARCSTAT_DB, then PG* variables)", "CONNINFO" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &common->config_path,
      "Configuration file", "FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &common->verbose, "Log debug messages", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *param = g_strdup_printf ("%s%s%s", command, parameter ? " " : "",
                                            parameter ? parameter : "");
  g_autoptr (GOptionContext) context = g_option_context_new (param);
  GOptionGroup *group = g_option_group_new ("common", "Options of every command:",
                                            "Show common options", NULL, NULL);
  GError *error = NULL;

  g_option_group_add_entries (group, common_entries);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, group);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "dmarcstat %s: %s (try: dmarcstat %s --help)\n",
               command, error->message, command);
      g_error_free (error);
      return FALSE;
    }
  return TRUE;
}

Config *
options_load_config (CommonOptions *common)
{
  GError *error = NULL;

  log_init (common->verbose);
  Config *config = config_load (common->config_path, &error);
  if (config == NULL)
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      g_error_free (error);
    }
  return config;
}

const char *
options_conninfo (const CommonOptions *common, const Config *config)
{
  if (common->db != NULL)
    return common->db;
  return config ? config->db_conninfo : NULL;
}

Store *
options_open_store (const CommonOptions *common, const Config *config, gboolean migrate)
{
  GError *error = NULL;
  Store *store = store_open (options_conninfo (common, config), &error);

  if (store != NULL && migrate
      && (!migrate_apply (store, NULL, &error) || !store_tune_for_writing (store, &error)))
    g_clear_pointer (&store, store_close);
  if (store == NULL)
    {
      fprintf (stderr, "dmarcstat: store: %s\n", error->message);
      g_error_free (error);
    }
  return store;
}

void
options_clear (CommonOptions *common)
{
  g_clear_pointer (&common->db, g_free);
  g_clear_pointer (&common->config_path, g_free);
}
