/*
 * page_failures.c -- ingest failures: /failures, /failures.csv, /api/failures.
 *
 * SYNOPSIS
 *   GET /failures?since=DATE&until=DATE&sort=COL&dir=desc&page=N
 *
 * DESCRIPTION
 *   What was rejected, when (last_seen, the latest attempt), at which stage,
 *   why, and the mail file that holds it, newest first, FAILURES_PER_PAGE
 *   at a time; since/until (UTC dates, until exclusive) select by last_seen.
 *   The path is shown as text, never as a link: it names a file on the
 *   server, and like the reason it may carry a reporter's bytes.
 *
 *   The CSV and the JSON hold the same rows as the page.
 *
 * DIAGNOSTICS
 *   400 for a malformed date, page or sort column; 500/503 when the
 *   database fails (logged, not shown).
 */
#include "web/pages.h"
#include "web/pager.h"
#include "web/filter.h"
#include "web/html.h"
#include "web/table.h"
#include "store/query_reports.h"
#include "core/error.h"
#include "core/log.h"

#include <string.h>

#define FAILURES_PER_PAGE 100

/* Query arguments that the pager and the CSV link carry over. */
static const char *const kept_args[] = { "since", "until", "sort", "dir" };

static const Pager failures_pager = {
  "/failures", kept_args, G_N_ELEMENTS (kept_args), FAILURES_PER_PAGE, "failures", "No input was rejected.",
};

static const WebColumn failure_columns[] = {
  { "last_seen", "When (UTC)", WEB_COLUMN_TEXT, NULL },
  { "stage", "Stage", WEB_COLUMN_TEXT, NULL },
  { "reason", "Reason", WEB_COLUMN_TEXT, NULL },
  { "path", "Mail file", WEB_COLUMN_TEXT, NULL },
  { "part", "Part", WEB_COLUMN_TEXT, NULL },
  { "attempts", "Attempts", WEB_COLUMN_NUMBER, NULL },
  { "first_seen", "First seen (UTC)", WEB_COLUMN_TEXT, NULL },
};

static gboolean
failures_parse (const WebRequest *req, WebFilter *wf, QueryFailuresFilter *qf,
                guint64 *page_out, GError **error)
{

  if (!web_filter_parse (req, wf, error))
    return FALSE;
  *page_out = wf->page;
  memset (qf, 0, sizeof *qf);
  qf->since = wf->since;
  qf->until = wf->until;
  qf->sort = wf->sort;
  qf->descending = wf->descending;
  qf->offset = (*page_out - 1) * FAILURES_PER_PAGE;
  qf->limit = FAILURES_PER_PAGE;
  return TRUE;
}

static void
failures_form (GString *out, const WebRequest *req)
{
  static const char *const dates[][2] = { { "Since", "since" }, { "Until", "until" } };

  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"/failures\">\n");
  for (gsize i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_string_append_printf (out, "<label>%s <input type=\"date\" name=\"%s\" value=\"",
                              dates[i][0], dates[i][1]);
      html_append_text (out, web_query (req, dates[i][1]));
      g_string_append (out, "\"></label>\n");
    }
  g_string_append (out, "<button type=\"submit\">Show</button>\n"
                        "<a href=\"/failures\">Clear</a>\n</form>\n");
}

static void
failures_html (WebRequest *req, WebResponse *resp, const StoreTable *table, guint64 page,
               guint64 total)
{
  g_autofree char *csv_href = web_href_with_args (req, "/failures.csv", kept_args, G_N_ELEMENTS (kept_args), page);
  GString *out = resp->body;

  html_page_begin (out, "Ingest failures", "failures");
  g_string_append (out, "<h1>Ingest failures</h1>\n<p>Inputs that held no valid report. "
                        "The input stays in the file named.</p>\n");
  failures_form (out, req);
  pager_html (out, &failures_pager, req, page, total);
  web_table_html (out, table, failure_columns, G_N_ELEMENTS (failure_columns),
                  "Ingest failures", csv_href);
  html_page_end (out);
}

void
page_failures (WebRequest *req, WebResponse *resp)
{
  g_auto (WebFilter) wf = { 0 };
  g_autoptr (GError) error = NULL;
  QueryFailuresFilter qf;
  guint64 page = 1, total = 0;

  if (!failures_parse (req, &wf, &qf, &page, &error))
    {
      web_response_error (req, resp, 400, error->message);
      return;
    }
  g_autoptr (StoreTable) table = query_failures_list (req->store, &qf, &total, &error);
  if (table == NULL)
    {
      web_response_query_error (req, resp, error);
      return;
    }
  if (req->format == WEB_FORMAT_CSV)
    web_table_csv (resp, table, "ingest-failures.csv");
  else if (req->format == WEB_FORMAT_JSON)
    web_table_json (resp, table);
  else
    failures_html (req, resp, table, page, total);
}
