/*
 * query_advice.h -- what the policy advice reads about one domain.
 *
 * Each function runs one SELECT with parameters only (the domain never
 * enters the SQL text) and returns a StoreTable whose columns are named
 * below.  Days are integers: days since 1970-01-01, of a report's
 * begin_time in UTC.  The window is the window_days days ending on
 * end_day, the day of the domain's newest report.  The domain is compared
 * case-insensitively; pass it in lower case.
 *
 * Every result is bounded: policy days to the last 400 days (5000 rows),
 * reporters to 1000, sources to the 2000 largest that authenticate as
 * anything, their authentication results to 20000 rows.  Sources that pass
 * nothing for any domain (spoofers) come back only as totals.
 *
 * Errors are the store's (STORE_UNAVAILABLE, STORE_FAILED, ...).
 */
#ifndef DMARCSTAT_QUERY_ADVICE_H
#define DMARCSTAT_QUERY_ADVICE_H

#include <glib.h>
#include "store/table.h"

typedef struct
{
  const char *domain;     /* lower case, borrowed */
  gint end_day;
  guint window_days;
  guint recent_days;      /* a source's own last days, for its recent figures */
} QueryAdviceWindow;

/* One row: n_reports (all of the domain's reports), end_day (NULL when
 * none has a date range). */
StoreTable *query_advice_summary (Store *store, const char *domain, GError **error);

/* day, p, sp, np, pct, adkim, aspf, fo, testing, n_reports, newest: one
 * row per day and distinct policy, up to end_day. */
StoreTable *query_advice_policy_days (Store *store, const QueryAdviceWindow *w,
                                      GError **error);

/* org_name: one per reporting organisation in the window. */
StoreTable *query_advice_reporters (Store *store, const QueryAdviceWindow *w,
                                    GError **error);

/* One row: total, spoof_messages, spoof_sources, top_spoof,
 * top_spoof_messages (messages with a source address in the window). */
StoreTable *query_advice_totals (Store *store, const QueryAdviceWindow *w, GError **error);

/* Per source: source, first_day, n_days, total, pass, fail_override,
 * marked_intermediary, fail_list, r_total, r_pass, r_dkim_aligned,
 * r_spf_aligned, r_fail_override, r_fail_sub, r_quarantined, r_rejected,
 * sub_domain.  See AdviseSource in advise/advise.h. */
StoreTable *query_advice_sources (Store *store, const QueryAdviceWindow *w, GError **error);

/* Per source and result: source, kind (dkim|spf), domain, selector,
 * result, on_pass (t|f), is_recent (t|f), messages.  Only passes, and
 * results for the domain or its subdomains. */
StoreTable *query_advice_auth (Store *store, const QueryAdviceWindow *w, GError **error);

#endif
