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
  char *version;          /* the data version it was computed at */
  gint64 stored_at;       /* g_get_monotonic_time () */
  gint64 refresh_started; /* 0, or when a request began recomputing it */
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
  g_free (e->version);
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

static void
entry_copy_out (const Entry *e, PageCacheEntry *out)
{
  out->body = g_bytes_ref (e->body);
  out->content_type = g_strdup (e->content_type);
  out->download_name = g_strdup (e->download_name);
}

PageCacheResult
page_cache_lookup (PageCache *cache, const char *key, const char *version, PageCacheEntry *out)
{
  PageCacheResult result = PAGE_CACHE_MISS;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&cache->lock);
  Entry *e = g_hash_table_lookup (cache->entries, key);
  if (e != NULL)
    {
      gboolean is_fresh = g_strcmp0 (e->version, version) == 0
                          && now - e->stored_at <= PAGE_CACHE_TTL_SECONDS * G_USEC_PER_SEC;
      gboolean is_refreshing = e->refresh_started != 0
                               && now - e->refresh_started
                                    <= PAGE_CACHE_REFRESH_SECONDS * G_USEC_PER_SEC;
      if (is_fresh)
        result = PAGE_CACHE_HIT;
      else if (is_refreshing)
        result = PAGE_CACHE_STALE;
      else
        e->refresh_started = now;   /* this request recomputes it */
      if (result != PAGE_CACHE_MISS)
        entry_copy_out (e, out);
    }
  g_mutex_unlock (&cache->lock);
  return result;
}

void
page_cache_abandon (PageCache *cache, const char *key)
{
  g_mutex_lock (&cache->lock);
  Entry *e = g_hash_table_lookup (cache->entries, key);
  if (e != NULL)
    e->refresh_started = 0;
  g_mutex_unlock (&cache->lock);
}

void
page_cache_store (PageCache *cache, const char *key, const char *version, const char *body,
                  gsize len, const char *content_type, const char *download_name)
{
  if (len > PAGE_CACHE_ENTRY_MAX || len > cache->max_bytes)
    {
      /* Too big to keep: drop the old one too, or it would be served stale. */
      g_mutex_lock (&cache->lock);
      page_cache_remove (cache, key);
      g_mutex_unlock (&cache->lock);
      return;
    }
  Entry *e = g_new0 (Entry, 1);
  e->version = g_strdup (version);
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
