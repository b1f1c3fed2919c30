/*
 * config.c -- loading the key file and checking it for typos.
 */
#include "core/config.h"
#include "core/error.h"

#include <string.h>

/* Every group and key any part reads.  A key absent here draws a warning. */
static const char *const known_keys[] = {
  "database.conninfo",
  "ingest.rescan_seconds", "ingest.maildir", "ingest.workers",
  "web.listen", "web.user", "web.password_hash", "web.token", "web.conninfo",
  "advise.*", "dns.*", "senders.*",
  NULL,
};

static gboolean
config_key_is_known (const char *group, const char *key)
{
  if (strcmp (group, "limits") == 0)
    return TRUE;   /* limits_load() checks these itself */
  g_autofree char *full = g_strdup_printf ("%s.%s", group, key);
  g_autofree char *any = g_strdup_printf ("%s.*", group);
  for (gsize i = 0; known_keys[i] != NULL; i++)
    if (strcmp (known_keys[i], full) == 0 || strcmp (known_keys[i], any) == 0)
      return TRUE;
  return FALSE;
}

static void
config_warn_unknown (Config *config)
{
  g_auto (GStrv) groups = g_key_file_get_groups (config->key_file, NULL);
  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (config->key_file, groups[g], NULL, NULL);
      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        if (!config_key_is_known (groups[g], keys[k]))
          g_message ("%s: [%s] %s: unknown key, ignored", config->path, groups[g], keys[k]);
    }
}

/* GKeyFile values may hold \s \n \t \r and \\, nothing else after a
 * backslash.  GLib 2.74 sets its error twice on a value with two invalid
 * escapes, warns "GError set over the top of a previous GError", and the
 * reading code then sees the key as absent: a typo silently ignored.
 * Every value is checked once here, so that a bad one is a usage error
 * naming it, and no later read meets one. */
static gboolean
config_check_escapes (Config *config, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (config->key_file, NULL);
  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (config->key_file, groups[g], NULL, NULL);
      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *raw = g_key_file_get_value (config->key_file, groups[g], keys[k], NULL);
          for (const char *p = raw; p != NULL && *p != '\0'; p++)
            {
              if (*p != '\\')
                continue;
              if (p[1] == '\0' || strchr ("sntr\\", p[1]) == NULL)
                {
                  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                               "%s: [%s] %s: a backslash must be followed by s, n, t, r or "
                               "another backslash", config->path, groups[g], keys[k]);
                  return FALSE;
                }
              p++;
            }
        }
    }
  return TRUE;
}

gboolean
config_get_uint (const Config *config, const char *group, const char *key,
                 guint64 def, guint64 min, guint64 max,
                 guint64 *value_out, GError **error)
{
  GError *local = NULL;

  *value_out = def;
  if (!g_key_file_has_key (config->key_file, group, key, NULL))
    return TRUE;
  guint64 value = g_key_file_get_uint64 (config->key_file, group, key, &local);
  if (local != NULL || value < min || value > max)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "%s: [%s] %s: %s", config->path ? config->path : "config",
                   group, key, local ? local->message : "value out of range");
      g_clear_error (&local);
      return FALSE;
    }
  *value_out = value;
  return TRUE;
}

Config *
config_load (const char *path, GError **error)
{
  g_autoptr (Config) config = g_new0 (Config, 1);
  GError *local = NULL;

  config->key_file = g_key_file_new ();
  config->rescan_seconds = 60;
  if (path != NULL)
    {
      config->path = g_strdup (path);
      if (!g_key_file_load_from_file (config->key_file, path, G_KEY_FILE_NONE, &local))
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "%s: %s", path, local->message);
          g_error_free (local);
          return NULL;
        }
      config_warn_unknown (config);
      if (!config_check_escapes (config, error))
        return NULL;
    }

  config->db_conninfo = g_key_file_get_string (config->key_file, "database", "conninfo", NULL);
  guint64 rescan;
  if (!config_get_uint (config, "ingest", "rescan_seconds", 60, 1, 86400, &rescan, error))
    return NULL;
  config->rescan_seconds = (guint) rescan;
  if (!limits_load (config->key_file, &config->limits, &local))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "%s: %s",
                   path ? path : "config", local->message);
      g_error_free (local);
      return NULL;
    }
  return g_steal_pointer (&config);
}

void
config_free (Config *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  g_free (config->db_conninfo);
  g_clear_pointer (&config->key_file, g_key_file_unref);
  g_free (config);
}
