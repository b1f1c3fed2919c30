/*
 * page_cache.c -- see page_cache.h.
 */
#include "web/page_cache.h"

typedef struct
{
  char *key;
  GBytes *body;
  char *content_type;
  char *download_name;
  gint64 stored_at;   /* g_get_monotonic_time () */
} Entry;

struct _PageCache
{
  GMutex lock;
  GHashTable *entries;   /* key -> Entry*, owned */
  GQueue order;          /* keys (borrowed from the entries), oldest first */
  gsize n_bytes;
  gsize max_bytes;
};

static void
entry_free (Entry *e)
{
  g_free (e->key);
  g_bytes_unref (e->body);
  g_free (e->content_type);
  g_free (e->download_name);
  g_free (e);
}

PageCache *
page_cache_new (gsize max_bytes)
{
  PageCache *cache = g_new0 (PageCache, 1);
  g_mutex_init (&cache->lock);
  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  g_queue_init (&cache->order);
  cache->max_bytes = max_bytes;
  return cache;
}

void
page_cache_free (PageCache *cache)
{
  if (cache == NULL)
    return;
  g_queue_clear (&cache->order);
  g_hash_table_unref (cache->entries);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

/* Under the lock. */
static void
page_cache_remove (PageCache *cache, const char *key)
{
  Entry *e = g_hash_table_lookup (cache->entries, key);
  if (e == NULL)
    return;
  g_queue_remove (&cache->order, e->key);
  cache->n_bytes -= g_bytes_get_size (e->body);
  g_hash_table_remove (cache->entries, key);
}

gboolean
page_cache_lookup (PageCache *cache, const char *key, PageCacheEntry *out)
{
  gboolean found = FALSE;

  g_mutex_lock (&cache->lock);
  Entry *e = g_hash_table_lookup (cache->entries, key);
  if (e != NULL && g_get_monotonic_time () - e->stored_at > PAGE_CACHE_TTL_SECONDS * G_USEC_PER_SEC)
    page_cache_remove (cache, key);
  else if (e != NULL)
    {
      out->body = g_bytes_ref (e->body);
      out->content_type = g_strdup (e->content_type);
      out->download_name = g_strdup (e->download_name);
      found = TRUE;
    }
  g_mutex_unlock (&cache->lock);
  return found;
}

void
page_cache_store (PageCache *cache, const char *key, const char *body, gsize len,
                  const char *content_type, const char *download_name)
{
  if (len > PAGE_CACHE_ENTRY_MAX || len > cache->max_bytes)
    return;
  Entry *e = g_new0 (Entry, 1);
  e->key = g_strdup (key);
  e->body = g_bytes_new (body, len);
  e->content_type = g_strdup (content_type);
  e->download_name = g_strdup (download_name);
  e->stored_at = g_get_monotonic_time ();

  g_mutex_lock (&cache->lock);
  page_cache_remove (cache, key);
  while (cache->n_bytes + len > cache->max_bytes && !g_queue_is_empty (&cache->order))
    page_cache_remove (cache, g_queue_peek_head (&cache->order));
  g_hash_table_insert (cache->entries, e->key, e);
  g_queue_push_tail (&cache->order, e->key);
  cache->n_bytes += len;
  g_mutex_unlock (&cache->lock);
}

void
page_cache_entry_clear (PageCacheEntry *entry)
{
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_clear_pointer (&entry->content_type, g_free);
  g_clear_pointer (&entry->download_name, g_free);
}
