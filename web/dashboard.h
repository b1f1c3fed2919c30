/*
 * dashboard.h -- what the dashboard's pages (overview, domain, source) and
 * web/table.c share: showing values, and answering a page whose data is a
 * set of named tables.
 *
 * Values.  dashboard_append_text() escapes like html_append_text() and
 * also shows Unicode bidirectional controls (U+202A..U+202E, U+2066..U+2069,
 * U+200E, U+200F, U+061C) as a visible "[U+202E]", so a reporter's string
 * cannot reorder what is displayed around it.  Numbers get thousands
 * separators; percentages one decimal and " %".
 *
 * Pages.  A page has named tables; the first is its main table.  Each
 * format answers from them (CSV streams from a cursor, FETCHed 1000 rows
 * at a time, so its memory does not grow with the rows; JSON is built
 * whole):
 *
 *   PATH.csv[?…&table=NAME]        the CSV of one table (default: the main one)
 *   /api/PATH[?…]                  a JSON object {"NAME": [rows…], …} of every table
 *   /api/PATH?…&table=NAME         the JSON array of that table alone
 *
 * with the page's filters (filter.h).  sort=COL&dir=asc|desc sort the table
 * named by table= (default: the main one), and a CSV/JSON link of a table
 * carries its own order.  An unknown table or a sort column the table does
 * not have is a 400.
 */
#ifndef DMARCSTAT_DASHBOARD_H
#define DMARCSTAT_DASHBOARD_H

#include <glib.h>
#include "store/query_dashboard.h"
#include "web/filter.h"
#include "web/web.h"

void dashboard_append_text (GString *out, const char *text);
/* "8974" → "8,974"; text that is not a decimal number is appended as text. */
void dashboard_append_number (GString *out, const char *value);
/* "95.3" → "95.3 %"; NULL → "–". */
void dashboard_append_percent (GString *out, const char *value);
/* NAME with every byte but [A-Za-z0-9._-] replaced by "_", safe in a
 * Content-Disposition header.  (transfer full) */
char *dashboard_download_name (const char *name);

typedef struct
{
  const char *name;      /* table=NAME */
  DashTable table;
  guint html_limit;      /* rows shown in HTML (0: all); CSV and JSON have all */
} DashboardTableSpec;

typedef struct
{
  WebRequest *req;                   /* borrowed for the request */
  WebFilter filter;                  /* owned */
  DashQuery query;                   /* borrows filter, domain, source */
  const DashboardTableSpec *specs;   /* borrowed: static */
  gsize n_specs;
  gsize target;                      /* the table named by table= */
  char *base_path;                   /* owned: the page's path, percent-encoded */
  StoreTable **tables;               /* owned: one per spec, NULL until loaded */
} Dashboard;

/* Parses the filters, table= and sort=; on a bad value answers 400 and
 * returns FALSE.  DOMAIN and SOURCE are borrowed (NULL when the page has
 * none); BASE_PATH is the page's path, percent-encoded ("/domains/x"). */
gboolean dashboard_init (Dashboard *dash, WebRequest *req, WebResponse *resp,
                         const DashboardTableSpec *specs, gsize n_specs,
                         const char *domain, const char *source, const char *base_path);
void dashboard_clear (Dashboard *dash);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dashboard, dashboard_clear)

/* Table I (of specs), loading it on first use with the filters, its sort
 * when it is the target, and its HTML limit in HTML.  On a database error
 * answers 400 or 500 and returns NULL.  (transfer none) */
const StoreTable *dashboard_table (Dashboard *dash, WebResponse *resp, gsize i);

/* For CSV (a stream: STORE stays lent to it) and JSON: answers and returns
 * TRUE.  For HTML returns FALSE and does nothing.  DOWNLOAD_PREFIX names
 * CSV files ("bakery-example.com" → "bakery-example.com-sources.csv"). */
gboolean dashboard_answer_data (Dashboard *dash, WebResponse *resp, const char *download_prefix);

/* The CSV link of table I: base_path.csv with the request's filters, the
 * table's name and, when it is the target, its order.  (transfer full) */
char *dashboard_csv_href (const Dashboard *dash, gsize i);

/* The filter form (GET): days, since, until, header_from, result. */
void dashboard_filter_form (const Dashboard *dash, GString *out);

/* "2026-10-01 – 2026-10-21 (last 30 days of data)" from the PERIOD table. */
void dashboard_append_period (const Dashboard *dash, GString *out, const StoreTable *period);

/* A card: <div class="card"><span class="value">…</span><span class="label">…</span>[badge]</div>.
 * VALUE_HTML is already HTML; BADGE_CLASS is good, warn, bad or NULL. */
void dashboard_card (GString *out, const char *value_html, const char *label,
                     const char *badge_class, const char *badge_text);

/* A card for the percentage PCT (0..100 text, or NULL) with a badge:
 * good from 98 %, warn from 90 %, else bad. */
void dashboard_pass_card (GString *out, const char *pct, const char *label);

/* The stacked chart of DAILY (day, pass, fail, quarantined, rejected) over
 * PERIOD's days (else over DAILY's), or a line saying there is no data. */
void dashboard_daily_chart (GString *out, const StoreTable *daily, const StoreTable *period,
                            const char *label);

#endif
