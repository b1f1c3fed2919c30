/*
 * page_cache.h -- answers kept between requests until the data changes.
 *
 * The data behind every page changes only when a report is stored or an
 * input rejected, so a page computed once can be served again until then:
 * this is what keeps the dashboard fast over millions of records.  The key
 * is the request (format, path, query string); each entry keeps the data
 * version it was computed at (the newest report id and the newest failure
 * time, read by the server before each page).  An entry is fresh while the
 * version is the same and it is younger than PAGE_CACHE_TTL_SECONDS (which
 * bounds staleness in the cases the version misses: a prune, or reports
 * committed out of id order).
 *
 * When an entry is no longer fresh, one request recomputes it (a MISS)
 * while the others, meanwhile, are given the previous page (STALE), so a
 * page that takes seconds to compute never ties up every server thread at
 * once.  A client alone always sees fresh data: it is the one that
 * recomputes.  A refresh that fails (page_cache_abandon), or takes longer
 * than PAGE_CACHE_REFRESH_SECONDS, lets the next request try.
 *
 * Only whole bodies are kept (never streams), only 200 answers, at most
 * PAGE_CACHE_ENTRY_MAX bytes each and max_bytes in all (oldest dropped
 * first).  Thread-safe.
 */
#ifndef DMARCSTAT_PAGE_CACHE_H
#define DMARCSTAT_PAGE_CACHE_H

#include <glib.h>

#define PAGE_CACHE_TTL_SECONDS 60
#define PAGE_CACHE_REFRESH_SECONDS 300
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

typedef enum
{
  PAGE_CACHE_MISS,    /* compute the page, then store it (or abandon) */
  PAGE_CACHE_HIT,     /* *OUT is the page at VERSION */
  PAGE_CACHE_STALE,   /* *OUT is an older page; another request recomputes it */
} PageCacheResult;

/* *OUT is filled on HIT and STALE (the caller clears it with
 * page_cache_entry_clear). */
PageCacheResult page_cache_lookup (PageCache *cache, const char *key, const char *version,
                                   PageCacheEntry *out);
void page_cache_store (PageCache *cache, const char *key, const char *version, const char *body,
                       gsize len, const char *content_type, const char *download_name);
/* After a MISS that will not be stored (an error page): let another request
 * recompute. */
void page_cache_abandon (PageCache *cache, const char *key);
void page_cache_entry_clear (PageCacheEntry *entry);

#endif
