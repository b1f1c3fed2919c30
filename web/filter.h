/*
 * filter.h -- the filters every page and its CSV/JSON share, read from the
 * query string:
 *
 *   days=N          the last N days of data (default 30), counted back from
 *                   the newest report of what is shown, not from today:
 *                   reports arrive a day or more late, and a quiet domain
 *                   must not look empty
 *   since=DATE      from DATE (YYYY-MM-DD, UTC, inclusive) — overrides days
 *   until=DATE      up to DATE (exclusive)
 *   from=DOMAIN     only records whose header_from is DOMAIN
 *   result=R        pass, fail, quarantine, reject (DMARC result or disposition)
 *   org=TEXT        reporter organisation (reports list)
 *   sort=COL, dir=asc|desc   table order, COL one of the table's columns
 *   page=N          page of a paged list (1..1000000, default 1)
 *
 * Values are checked here (dates parse, days in 1..3660, result in its set,
 * sort a plain identifier); a bad value is a 400 with a clear message.
 * SQL receives them only as parameters, never as text spliced into a query
 * (sort is matched against the table's own column list by the page).
 */
#ifndef DMARCSTAT_FILTER_H
#define DMARCSTAT_FILTER_H

#include <glib.h>
#include "web/web.h"

#define WEB_FILTER_MAX_PAGE 1000000

typedef struct
{
  guint days;            /* used when since is NULL */
  char *since;           /* "YYYY-MM-DD" or NULL */
  char *until;           /* "YYYY-MM-DD" or NULL */
  char *header_from;     /* lower-cased, or NULL */
  char *result;          /* pass|fail|quarantine|reject, or NULL */
  char *org;             /* or NULL */
  char *sort;            /* or NULL */
  gboolean descending;
  guint64 page;          /* 1 unless ?page= */
} WebFilter;

/* FALSE with a message for a 400 when a value is malformed. */
gboolean web_filter_parse (const WebRequest *req, WebFilter *filter, GError **error);
void web_filter_clear (WebFilter *filter);
/* days as text, for a query parameter. (transfer full) */
char *web_filter_days (const WebFilter *filter);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WebFilter, web_filter_clear)

#endif
