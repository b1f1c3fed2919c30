/*
 * page_source.c -- one sending source within a domain:
 * /domains/DOMAIN/sources/SOURCE.
 *
 * SOURCE is an IP address for now (sending organisations come with
 * reverse DNS).  Cards (messages, DMARC pass, SPF and DKIM aligned), its
 * messages per day, the distinct authentication results it got, the
 * override reasons receivers applied (forwarded, mailing_list,
 * local_policy…), its reporters, and its records, newest first.
 *
 * Data (dashboard.h): /domains/DOMAIN/sources/SOURCE.csv is the records
 * table; ?table=auth|overrides|reporters|daily|summary|period the others;
 * /api/… a JSON object of all seven tables.
 *
 * 404 when the domain has no report, SOURCE is not an IP address, or it
 * never appears in the domain's reports; 400 for a malformed filter.
 */
#include "web/pages.h"
#include "web/dashboard.h"
#include "web/html.h"
#include "web/table.h"

#include <gio/gio.h>

enum { T_RECORDS, T_AUTH, T_OVERRIDES, T_REPORTERS, T_DAILY, T_SUMMARY, T_PERIOD, N_TABLES };

static const DashboardTableSpec source_tables[N_TABLES] = {
  [T_RECORDS] = { "records", DASH_TABLE_RECORDS, 500 },
  [T_AUTH] = { "auth", DASH_TABLE_AUTH, 100 },
  [T_OVERRIDES] = { "overrides", DASH_TABLE_OVERRIDES, 0 },
  [T_REPORTERS] = { "reporters", DASH_TABLE_REPORTERS, 100 },
  [T_DAILY] = { "daily", DASH_TABLE_DAILY, 0 },
  [T_SUMMARY] = { "summary", DASH_TABLE_SUMMARY, 0 },
  [T_PERIOD] = { "period", DASH_TABLE_PERIOD, 0 },
};

static const WebColumn record_columns[] = {
  { "day", "Day (UTC)", WEB_COLUMN_TEXT, NULL },
  { "reporter", "Reporter", WEB_COLUMN_TEXT, NULL },
  { "report_id", "Report", WEB_COLUMN_TEXT, "/reports/{report}" },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "disposition", "Disposition", WEB_COLUMN_TEXT, NULL },
  { "dkim", "DKIM", WEB_COLUMN_TEXT, NULL },
  { "spf", "SPF", WEB_COLUMN_TEXT, NULL },
  { "header_from", "Header from", WEB_COLUMN_TEXT, NULL },
  { "envelope_from", "Envelope from", WEB_COLUMN_TEXT, NULL },
  { "dkim_results", "DKIM signatures", WEB_COLUMN_TEXT, NULL },
  { "spf_results", "SPF checks", WEB_COLUMN_TEXT, NULL },
  { "overrides", "Override", WEB_COLUMN_TEXT, NULL },
  { "override_comments", "Override comment", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn auth_columns[] = {
  { "dkim", "DKIM (aligned)", WEB_COLUMN_TEXT, NULL },
  { "spf", "SPF (aligned)", WEB_COLUMN_TEXT, NULL },
  { "dkim_results", "DKIM signatures", WEB_COLUMN_TEXT, NULL },
  { "spf_results", "SPF checks", WEB_COLUMN_TEXT, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "records", "Records", WEB_COLUMN_NUMBER, NULL },
};

static const WebColumn override_columns[] = {
  { "override", "Override reason", WEB_COLUMN_TEXT, NULL },
  { "records", "Records", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "comments", "Comments", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn reporter_columns[] = {
  { "reporter", "Reporter", WEB_COLUMN_TEXT, NULL },
  { "reports", "Reports", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "dmarc_pass_pct", "DMARC pass", WEB_COLUMN_PERCENT, NULL },
  { "last_report", "Newest report", WEB_COLUMN_TEXT, NULL },
};

static void
source_cards (GString *out, const StoreTable *summary)
{
  static const struct
  {
    const char *column, *label;
  } pcts[] = {
    { "dmarc_pass_pct", "DMARC pass" },
    { "spf_aligned_pct", "SPF aligned pass" },
    { "dkim_aligned_pct", "DKIM aligned pass" },
  };
  g_autoptr (GString) value = g_string_new (NULL);

  g_string_append (out, "<div class=\"cards\">\n");
  dashboard_append_number (value, store_table_get (summary, 0, "messages"));
  dashboard_card (out, value->str, "messages", NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (pcts); i++)
    dashboard_pass_card (out, store_table_get (summary, 0, pcts[i].column), pcts[i].label);
  g_string_append (out, "</div>\n");
}

static void
source_table (Dashboard *dash, GString *out, gsize i, const StoreTable *const *t,
              const WebColumn *columns, gsize n_columns, const char *title)
{
  g_autofree char *href = dashboard_csv_href (dash, i);

  g_string_append_printf (out, "<section>\n<h2>%s</h2>\n", title);
  web_table_html (out, t[i], columns, n_columns, title, href);
  g_string_append (out, "</section>\n");
}

static void
source_html (Dashboard *dash, WebResponse *resp, const char *domain, const char *source,
             const char *domain_href, const StoreTable *const *t)
{
  GString *out = resp->body;
  g_autofree char *title = g_strdup_printf ("%s in %s", source, domain);

  html_page_begin (out, title, "overview");
  g_string_append (out, "<p class=\"crumbs\"><a href=\"/\">Domains</a> › <a href=\"");
  html_append_text (out, domain_href);
  g_string_append (out, "\"><bdi>");
  dashboard_append_text (out, domain);
  g_string_append (out, "</bdi></a> ›</p>\n<h1>Source <bdi>");
  dashboard_append_text (out, source);
  g_string_append (out, "</bdi></h1>\n");
  dashboard_append_period (dash, out, t[T_PERIOD]);
  dashboard_filter_form (dash, out);
  source_cards (out, t[T_SUMMARY]);
  g_string_append (out, "<section class=\"chart\">\n<h2>Messages per day</h2>\n");
  dashboard_daily_chart (out, t[T_DAILY], t[T_PERIOD], "Messages per day by result");
  g_string_append (out, "</section>\n");
  source_table (dash, out, T_AUTH, t, auth_columns, G_N_ELEMENTS (auth_columns),
                "Authentication results");
  source_table (dash, out, T_OVERRIDES, t, override_columns, G_N_ELEMENTS (override_columns),
                "Policy overrides");
  source_table (dash, out, T_REPORTERS, t, reporter_columns, G_N_ELEMENTS (reporter_columns),
                "Reporters");
  source_table (dash, out, T_RECORDS, t, record_columns, G_N_ELEMENTS (record_columns),
                "Records (newest first)");
  html_page_end (out);
}

void
page_source (WebRequest *req, WebResponse *resp, const char *domain, const char *source)
{
  g_auto (Dashboard) dash = { 0 };
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (source);
  g_autoptr (GString) domain_href = g_string_new ("/domains/");
  const StoreTable *tables[N_TABLES];

  if (address == NULL)
    {
      web_response_error (req, resp, 404, "no such source: sources are IP addresses");
      return;
    }
  g_autofree char *ip = g_inet_address_to_string (address);
  html_append_url_component (domain_href, domain);
  g_autoptr (GString) base = g_string_new (domain_href->str);
  g_string_append (base, "/sources/");
  html_append_url_component (base, ip);
  if (!dashboard_init (&dash, req, resp, source_tables, N_TABLES, domain, ip, base->str))
    return;
  const StoreTable *period = dashboard_table (&dash, resp, T_PERIOD);
  if (period == NULL)
    return;
  if (g_strcmp0 (store_table_get (period, 0, "source_known"), "t") != 0)
    {
      web_response_error (req, resp, 404, "this source never sent mail for this domain");
      return;
    }
  const char *name = store_table_get (period, 0, "domain");
  g_autofree char *prefix = g_strdup_printf ("%s-%s", name, ip);
  if (dashboard_answer_data (&dash, resp, prefix))
    return;
  for (gsize i = 0; i < N_TABLES; i++)
    if ((tables[i] = dashboard_table (&dash, resp, i)) == NULL)
      return;
  source_html (&dash, resp, name, ip, domain_href->str, tables);
}
