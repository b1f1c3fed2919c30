/*
 * page_cache.h -- answers kept between requests until the data changes.
 *
 * The data behind every page changes only when a report is stored or an
 * input rejected, so a page computed once can be served again until then:
 * this is what keeps the dashboard fast over millions of records.  The key
 * is the request (format, path, query string) plus a data version that the
 * server reads before each page: the newest report id and the newest
 * failure time.  Entries also expire after PAGE_CACHE_TTL_SECONDS, which
 * bounds staleness in the cases the version misses (a prune, or reports
 * committed out of id order).
 *
 * Only whole bodies are kept (never streams), only 200 answers, at most
 * PAGE_CACHE_ENTRY_MAX bytes each and max_bytes in all (oldest dropped
 * first).  Thread-safe.
 */
#ifndef DMARCSTAT_PAGE_CACHE_H
#define DMARCSTAT_PAGE_CACHE_H

#include <glib.h>

#define PAGE_CACHE_TTL_SECONDS 60
#define PAGE_CACHE_ENTRY_MAX (4 * 1024 * 1024)

typedef struct _PageCache PageCache;

typedef struct
{
  GBytes *body;             /* owned by the caller after a lookup */
  char *content_type;
  char *download_name;      /* or NULL */
} PageCacheEntry;

PageCache *page_cache_new (gsize max_bytes);
void page_cache_free (PageCache *cache);

/* TRUE and *OUT filled (the caller clears it with page_cache_entry_clear). */
gboolean page_cache_lookup (PageCache *cache, const char *key, PageCacheEntry *out);
void page_cache_store (PageCache *cache, const char *key, const char *body, gsize len,
                       const char *content_type, const char *download_name);
void page_cache_entry_clear (PageCacheEntry *entry);

#endif
