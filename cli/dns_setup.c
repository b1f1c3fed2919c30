/*
 * dns_setup.c -- see dns_setup.h.
 */
#include "cli/dns_setup.h"
#include "core/error.h"
#include "core/senders.h"
#include "store/dns_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
dns_cli_entries (DnsCliOptions *options, GOptionEntry entries[2])
{
  const GOptionEntry list[] = {
    { "dns-server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->servers,
      "DNS server to ask (repeatable; default [dns] servers, then /etc/resolv.conf)",
      "ADDR[:PORT]" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &options->offline, "Make no DNS lookups at all", NULL },
  };
  memcpy (entries, list, sizeof list);
}

void
dns_cli_options_clear (DnsCliOptions *options)
{
  g_clear_pointer (&options->servers, g_strfreev);
}

gboolean
dns_setup_offline (const Config *config, const DnsCliOptions *options)
{
  if (options != NULL && options->offline)
    return TRUE;
  return config->key_file != NULL
         && g_key_file_get_boolean (config->key_file, "dns", "offline", NULL);
}

gboolean
dns_setup_senders (const Config *config)
{
  g_autofree char *path = g_key_file_get_string (config->key_file, "senders", "map", NULL);
  g_autoptr (GError) error = NULL;

  if (path == NULL || *path == '\0')
    return TRUE;
  if (senders_load_file (path, &error))
    return TRUE;
  fprintf (stderr, "dmarcstat: %s\n", error->message);
  return FALSE;
}

/* ---- the PostgreSQL cache behind the resolver ---- */

typedef struct
{
  Store *store;
  guint32 max_ttl;
} CacheHook;

static DnsAnswer *
cache_get (gpointer data, const char *name, DnsType type)
{
  CacheHook *hook = data;
  g_autoptr (GError) error = NULL;

  if (!store_is_ok (hook->store))
    return NULL;
  g_autoptr (StoreTable) rows = store_dns_cache_get (hook->store, name, (int) type, &error);
  if (rows == NULL)
    {
      g_debug ("dns cache: %s", error->message);
      return NULL;
    }
  if (store_table_n_rows (rows) == 0)
    return NULL;

  const char *status = store_table_get (rows, 0, "status");
  DnsStatus st = strcmp (status, "ok") == 0 ? DNS_OK
                 : strcmp (status, "nxdomain") == 0 ? DNS_NXDOMAIN : DNS_NODATA;
  DnsAnswer *answer = dns_answer_new (name, type, st);
  answer->ttl = (guint32) g_ascii_strtoull (store_table_get (rows, 0, "ttl_left"), NULL, 10);
  for (guint i = 0; i < store_table_n_rows (rows); i++)
    {
      const char *text = store_table_get (rows, i, "text");
      if (text == NULL)
        continue;
      const char *ttl = store_table_get (rows, i, "ttl");
      const char *pref = store_table_get (rows, i, "pref");
      dns_answer_add (answer, type, MIN (answer->ttl, ttl ? (guint32) atol (ttl) : 0), text,
                      pref ? (guint16) atoi (pref) : 0);
    }
  if (st == DNS_OK && answer->records->len == 0)
    answer->status = DNS_NODATA;
  return answer;
}

static void
cache_put (gpointer data, const DnsAnswer *answer)
{
  CacheHook *hook = data;
  g_autoptr (GError) error = NULL;

  if (!store_is_ok (hook->store))
    return;
  guint n = answer->records->len;
  g_autofree guint32 *ttls = g_new0 (guint32, n + 1);
  g_autofree guint16 *prefs = g_new0 (guint16, n + 1);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const DnsRecord *r = g_ptr_array_index (answer->records, i);
      ttls[i] = r->ttl;
      prefs[i] = r->preference;
      /* DNS text may be any bytes; PostgreSQL text must be UTF-8. */
      g_ptr_array_add (texts, g_utf8_make_valid (r->text, -1));
    }
  if (!store_dns_cache_put (hook->store, answer->name, (int) answer->type,
                            dns_status_name (answer->status), n, ttls,
                            (const char *const *) texts->pdata, prefs,
                            MIN (answer->ttl, hook->max_ttl), &error))
    g_debug ("dns cache: %s", error->message);
}

DnsResolver *
dns_setup_resolver (const Config *config, const DnsCliOptions *options, Store *store)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) config_servers = NULL;
  guint64 timeout_ms, tries, concurrency, max_ttl;

  if (!config_get_uint (config, "dns", "timeout_ms", 2000, 50, 60000, &timeout_ms, &error)
      || !config_get_uint (config, "dns", "tries", 2, 1, 10, &tries, &error)
      || !config_get_uint (config, "dns", "concurrency", 64, 1, 4096, &concurrency, &error)
      || !config_get_uint (config, "dns", "max_cache_ttl", 86400, 0, 30 * 86400, &max_ttl,
                           &error))
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      return NULL;
    }
  if (config->key_file != NULL)
    config_servers = g_key_file_get_string_list (config->key_file, "dns", "servers", NULL, NULL);

  DnsOptions dns = {
    .servers = options != NULL && options->servers != NULL ? options->servers : config_servers,
    .timeout_ms = (guint) timeout_ms,
    .tries = (guint) tries,
    .max_inflight = (guint) concurrency,
    .offline = dns_setup_offline (config, options),
  };
  DnsResolver *resolver = dns_resolver_new (&dns, &error);
  if (resolver == NULL)
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      return NULL;
    }
  if (store != NULL && max_ttl > 0)
    {
      /* One resolver per process: the hook is static, so it outlives the
       * resolver without an owner to free it. */
      static CacheHook hook;
      hook.store = store;
      hook.max_ttl = (guint32) max_ttl;
      dns_resolver_set_cache (resolver, cache_get, cache_put, &hook);
    }
  return resolver;
}
