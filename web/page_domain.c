/*
 * page_domain.c -- one policy domain: /domains/DOMAIN.
 *
 * The answer comes first: four cards (messages, DMARC pass, failing
 * sources, published policy), then messages per day stacked by outcome,
 * then the advice panel, then the tables: sending services (sources
 * grouped by sender), sources (one per IP, labelled with sender and PTR),
 * reporters, and the days.  A link leads to the domain's DNS page.
 *
 * Data (dashboard.h): /domains/DOMAIN.csv is the sources table, one row
 * per source for the period with every column the page shows, the same
 * rows as `dmarcstat export --level sources --domain DOMAIN`;
 * ?table=senders|reporters|daily|summary|policy|period gives the others.
 * /api/domains/DOMAIN is a JSON object of all seven tables.
 *
 * A domain without any report is a 404; a malformed filter a 400.
 */
#include "web/pages.h"
#include "web/dashboard.h"
#include "web/html.h"
#include "web/panel_advice.h"
#include "web/table.h"

enum { T_SOURCES, T_SENDERS, T_REPORTERS, T_DAILY, T_SUMMARY, T_POLICY, T_PERIOD, N_TABLES };

static const DashboardTableSpec domain_tables[N_TABLES] = {
  [T_SOURCES] = { "sources", DASH_TABLE_SOURCES, 200 },
  [T_SENDERS] = { "senders", DASH_TABLE_SENDERS, 100 },
  [T_REPORTERS] = { "reporters", DASH_TABLE_REPORTERS, 100 },
  [T_DAILY] = { "daily", DASH_TABLE_DAILY, 0 },
  [T_SUMMARY] = { "summary", DASH_TABLE_SUMMARY, 0 },
  [T_POLICY] = { "policy", DASH_TABLE_POLICY, 0 },
  [T_PERIOD] = { "period", DASH_TABLE_PERIOD, 0 },
};

static const WebColumn sender_columns[] = {
  { "sender", "Sender", WEB_COLUMN_TEXT, NULL },
  { "kind", "Kind", WEB_COLUMN_TEXT, NULL },
  { "sources", "Sources", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "dmarc_pass_pct", "DMARC pass", WEB_COLUMN_PERCENT, NULL },
  { "spf_aligned_pct", "SPF aligned", WEB_COLUMN_PERCENT, NULL },
  { "dkim_aligned_pct", "DKIM aligned", WEB_COLUMN_PERCENT, NULL },
  { "dmarc_fail", "Failed DMARC", WEB_COLUMN_NUMBER, NULL },
  { "no_ptr", "Without PTR", WEB_COLUMN_NUMBER, NULL },
  { "generic_ptr", "Generic PTR", WEB_COLUMN_NUMBER, NULL },
};

static const WebColumn source_columns[] = {
  { "source", "Source", WEB_COLUMN_TEXT, "/domains/{domain}/sources/{source}" },
  { "source_org", "Sender", WEB_COLUMN_TEXT, NULL },
  { "source_name", "Reverse DNS", WEB_COLUMN_TEXT, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "dmarc_pass_pct", "DMARC pass", WEB_COLUMN_PERCENT, NULL },
  { "spf_aligned_pct", "SPF aligned", WEB_COLUMN_PERCENT, NULL },
  { "dkim_aligned_pct", "DKIM aligned", WEB_COLUMN_PERCENT, NULL },
  { "delivered", "Delivered", WEB_COLUMN_NUMBER, NULL },
  { "quarantined", "Quarantined", WEB_COLUMN_NUMBER, NULL },
  { "rejected", "Rejected", WEB_COLUMN_NUMBER, NULL },
  { "dkim_signers", "DKIM domain/selector", WEB_COLUMN_TEXT, NULL },
  { "spf_domains", "SPF domains", WEB_COLUMN_TEXT, NULL },
  { "header_froms", "Header from", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn reporter_columns[] = {
  { "reporter", "Reporter", WEB_COLUMN_TEXT, "/reports?org={reporter}" },
  { "reports", "Reports", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "dmarc_pass_pct", "DMARC pass", WEB_COLUMN_PERCENT, NULL },
  { "last_report", "Newest report", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn daily_columns[] = {
  { "day", "Day (UTC)", WEB_COLUMN_TEXT, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "pass", "Pass", WEB_COLUMN_NUMBER, NULL },
  { "fail", "Fail", WEB_COLUMN_NUMBER, NULL },
  { "quarantined", "Quarantined", WEB_COLUMN_NUMBER, NULL },
  { "rejected", "Rejected", WEB_COLUMN_NUMBER, NULL },
};

static void
domain_cards (GString *out, const StoreTable *summary, const StoreTable *policy)
{
  const char *pct = store_table_get (summary, 0, "dmarc_pass_pct");
  const char *failing = store_table_get (summary, 0, "failing_sources");
  const char *p = store_table_get (policy, 0, "p");
  g_autoptr (GString) value = g_string_new (NULL);

  g_string_append (out, "<div class=\"cards\">\n");
  dashboard_append_number (value, store_table_get (summary, 0, "messages"));
  dashboard_card (out, value->str, "messages", NULL, NULL);
  dashboard_pass_card (out, pct, "DMARC pass (aligned SPF or DKIM)");
  g_string_truncate (value, 0);
  dashboard_append_number (value, failing);
  g_string_append (value, " of ");
  dashboard_append_number (value, store_table_get (summary, 0, "sources"));
  dashboard_card (out, value->str, "sources failing DMARC",
                  g_strcmp0 (failing, "0") == 0 ? "good" : "warn",
                  g_strcmp0 (failing, "0") == 0 ? "none" : "see the sources below");
  g_string_truncate (value, 0);
  dashboard_append_text (value, store_table_get (policy, 0, "policy"));
  dashboard_card (out, value->len > 0 ? value->str : "–", "published policy (newest report)",
                  p == NULL ? NULL : g_ascii_strcasecmp (p, "reject") == 0 ? "good" : "warn",
                  p == NULL ? NULL : g_ascii_strcasecmp (p, "reject") == 0 ? "enforced"
                  : g_ascii_strcasecmp (p, "quarantine") == 0 ? "partly enforced" : "monitoring only");
  g_string_append (out, "</div>\n");
}

/* How many of the sources the HTML table shows, when it is cut. */
static void
domain_sources_note (GString *out, const StoreTable *sources, const StoreTable *summary)
{
  const char *total = store_table_get (summary, 0, "sources");
  guint64 n_total = total != NULL ? g_ascii_strtoull (total, NULL, 10) : 0;

  if (n_total <= store_table_n_rows (sources))
    return;
  g_string_append_printf (out, "<p class=\"note\">The %u sources with the most messages of ",
                          store_table_n_rows (sources));
  dashboard_append_number (out, total);
  g_string_append (out, "; the CSV and JSON hold all of them.</p>\n");
}

static void
domain_table (Dashboard *dash, GString *out, gsize i, const StoreTable *table,
              const WebColumn *columns, gsize n_columns, const char *caption)
{
  g_autofree char *href = dashboard_csv_href (dash, i);
  web_table_html (out, table, columns, n_columns, caption, href);
}

static void
domain_html (Dashboard *dash, WebResponse *resp, const char *domain, const StoreTable *const *t)
{
  GString *out = resp->body;

  html_page_begin (out, domain, "overview");
  g_string_append (out, "<p class=\"crumbs\"><a href=\"/\">Domains</a> ›</p>\n<h1><bdi>");
  dashboard_append_text (out, domain);
  g_string_append (out, "</bdi></h1>\n<p class=\"subnav\"><a href=\"/domains/");
  html_append_url_component (out, domain);
  g_string_append (out, "/dns\">DNS records: DMARC, SPF, DKIM, MX</a></p>\n");
  dashboard_append_period (dash, out, t[T_PERIOD]);
  dashboard_filter_form (dash, out);
  domain_cards (out, t[T_SUMMARY], t[T_POLICY]);
  g_string_append (out, "<section class=\"chart\">\n<h2>Messages per day</h2>\n");
  dashboard_daily_chart (out, t[T_DAILY], t[T_PERIOD], "Messages per day by result");
  g_string_append (out, "</section>\n");
  panel_advice_render (out, dash->req->store, dash->req->config, domain);
  g_string_append (out, "<section>\n<h2>Sending services</h2>\n");
  domain_table (dash, out, T_SENDERS, t[T_SENDERS], sender_columns,
                G_N_ELEMENTS (sender_columns), "Sources grouped by sender (reverse DNS, known senders)");
  g_string_append (out, "</section>\n<section>\n<h2>Sources</h2>\n");
  domain_sources_note (out, t[T_SOURCES], t[T_SUMMARY]);
  domain_table (dash, out, T_SOURCES, t[T_SOURCES], source_columns,
                G_N_ELEMENTS (source_columns), "Sending sources (by IP address)");
  g_string_append (out, "</section>\n<section>\n<h2>Reporters</h2>\n");
  domain_table (dash, out, T_REPORTERS, t[T_REPORTERS], reporter_columns,
                G_N_ELEMENTS (reporter_columns), "Receivers that sent reports");
  g_string_append (out, "</section>\n<section>\n<h2>Days</h2>\n");
  domain_table (dash, out, T_DAILY, t[T_DAILY], daily_columns, G_N_ELEMENTS (daily_columns),
                "Messages per day (UTC)");
  g_string_append (out, "</section>\n");
  html_page_end (out);
}

void
page_domain (WebRequest *req, WebResponse *resp, const char *domain)
{
  g_auto (Dashboard) dash = { 0 };
  g_autoptr (GString) base = g_string_new ("/domains/");
  const StoreTable *tables[N_TABLES];

  html_append_url_component (base, domain);
  if (!dashboard_init (&dash, req, resp, domain_tables, N_TABLES, domain, NULL, base->str))
    return;
  const StoreTable *period = dashboard_table (&dash, resp, T_PERIOD);
  if (period == NULL)
    return;
  if (g_strcmp0 (store_table_get (period, 0, "reports"), "0") == 0)
    {
      web_response_error (req, resp, 404, "no reports for this domain");
      return;
    }
  const char *name = store_table_get (period, 0, "domain");
  if (dashboard_answer_data (&dash, resp, name))
    return;
  for (gsize i = 0; i < N_TABLES; i++)
    if ((tables[i] = dashboard_table (&dash, resp, i)) == NULL)
      return;
  domain_html (&dash, resp, name, tables);
}
