/*
 * page_reports.c -- the report list: /reports, /reports.csv, /api/reports.
 *
 * SYNOPSIS
 *   GET /reports?domain=D&org=TEXT&since=DATE&until=DATE&sort=COL&dir=desc&page=N
 *
 * DESCRIPTION
 *   One page of REPORTS_PER_PAGE reports, newest first unless sorted,
 *   filtered by policy domain (exact, any case), reporter (substring, any
 *   case), and the report's begin date (since inclusive, until exclusive,
 *   UTC; days=N counts back from the newest matching report, as filter.h
 *   describes, and only when given).  Each row links to the report
 *   (/reports/ID, the database id) and to its domain.
 *
 *   The CSV and the JSON hold the same rows as the HTML page: the same
 *   filters and the same page, so "CSV" under a table is what the table
 *   shows.  Every query argument is kept in the links (pager, CSV) as the
 *   user gave it, percent-encoded.
 *
 * DIAGNOSTICS
 *   400 for a malformed filter, page or sort column; 500/503 when the
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

#define REPORTS_PER_PAGE 100
#define MAX_DOMAIN_BYTES 255

/* Query arguments that the pager and the CSV link carry over. */
static const char *const kept_args[] = {
  "domain", "org", "since", "until", "days", "sort", "dir",
};

static const Pager reports_pager = {
  "/reports", kept_args, G_N_ELEMENTS (kept_args), REPORTS_PER_PAGE, "reports", "No report matches.",
};

/* The HTML shows the essentials; CSV and JSON carry every column. */
static const WebColumn report_columns[] = {
  { "begin_date", "Begin (UTC)", WEB_COLUMN_TEXT, NULL },
  { "org_name", "Reporter", WEB_COLUMN_TEXT, NULL },
  { "report_id", "Report ID", WEB_COLUMN_TEXT, "/reports/{id}" },
  { "domain", "Domain", WEB_COLUMN_TEXT, "/domains/{domain}" },
  { "p", "Policy", WEB_COLUMN_TEXT, NULL },
  { "records", "Records", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
};

/* The query string as a QueryReportsFilter; *PAGE_OUT from ?page=. */
static gboolean
reports_parse (const WebRequest *req, WebFilter *wf, QueryReportsFilter *qf,
               guint64 *page_out, GError **error)
{
  const char *domain = web_query (req, "domain");

  if (!web_filter_parse (req, wf, error))
    return FALSE;
  *page_out = wf->page;
  if (domain != NULL && strlen (domain) > MAX_DOMAIN_BYTES)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "domain is too long");
      return FALSE;
    }
  memset (qf, 0, sizeof *qf);
  qf->domain = domain;
  qf->org = wf->org;
  qf->since = wf->since;
  qf->until = wf->until;
  qf->days = web_query (req, "days") != NULL ? wf->days : 0;
  qf->sort = wf->sort;
  qf->descending = wf->descending;
  qf->offset = (*page_out - 1) * REPORTS_PER_PAGE;
  qf->limit = REPORTS_PER_PAGE;
  return TRUE;
}

static void
reports_input (GString *out, const char *label, const char *type, const char *name,
               const char *value)
{
  g_string_append_printf (out, "<label>%s <input type=\"%s\" name=\"%s\" value=\"",
                          label, type, name);
  html_append_text (out, value);
  g_string_append (out, "\"></label>\n");
}

static void
reports_hidden (GString *out, const WebRequest *req, const char *name)
{
  const char *value = web_query (req, name);

  if (value == NULL)
    return;
  g_string_append_printf (out, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  html_append_text (out, value);
  g_string_append (out, "\">\n");
}

static void
reports_form (GString *out, const WebRequest *req)
{
  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"/reports\">\n");
  reports_input (out, "Domain", "text", "domain", web_query (req, "domain"));
  reports_input (out, "Reporter", "text", "org", web_query (req, "org"));
  reports_input (out, "Since", "date", "since", web_query (req, "since"));
  reports_input (out, "Until", "date", "until", web_query (req, "until"));
  reports_hidden (out, req, "sort");
  reports_hidden (out, req, "dir");
  g_string_append (out, "<button type=\"submit\">Show</button>\n"
                        "<a href=\"/reports\">Clear</a>\n</form>\n");
}

static void
reports_html (WebRequest *req, WebResponse *resp, const StoreTable *table, guint64 page,
              guint64 total)
{
  g_autofree char *csv_href = web_href_with_args (req, "/reports.csv", kept_args, G_N_ELEMENTS (kept_args), page);
  GString *out = resp->body;

  html_page_begin (out, "Reports", "reports");
  g_string_append (out, "<h1>Reports</h1>\n");
  reports_form (out, req);
  pager_html (out, &reports_pager, req, page, total);
  web_table_html (out, table, report_columns, G_N_ELEMENTS (report_columns), "Reports",
                  csv_href);
  html_page_end (out);
}

void
page_reports (WebRequest *req, WebResponse *resp)
{
  g_auto (WebFilter) wf = { 0 };
  g_autoptr (GError) error = NULL;
  QueryReportsFilter qf;
  guint64 page = 1, total = 0;

  if (!reports_parse (req, &wf, &qf, &page, &error))
    {
      web_response_error (req, resp, 400, error->message);
      return;
    }
  g_autoptr (StoreTable) table = query_reports_list (req->store, &qf, &total, &error);
  if (table == NULL)
    {
      web_response_query_error (req, resp, error);
      return;
    }
  if (req->format == WEB_FORMAT_CSV)
    web_table_csv (resp, table, "reports.csv");
  else if (req->format == WEB_FORMAT_JSON)
    web_table_json (resp, table);
  else
    reports_html (req, resp, table, page, total);
}
