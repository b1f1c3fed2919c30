/*
 * page_overview.c -- every domain at a glance: /.
 *
 * Cards with the totals, then one row per policy domain (messages, DMARC
 * pass, published policy, the change of the pass rate between the first
 * and the second half of the period, sources failing DMARC, the newest
 * report received), each domain's messages per day as a sparkline, and
 * ingest health: reports received per day and the newest failures.
 *
 * Each domain's period is its own: with days=N, the last N days of that
 * domain's data (query_dashboard.h), so a quiet domain does not look empty.
 *
 * Data (dashboard.h): /.csv is the domains table; ?table=daily|ingest|
 * failures the others; /api/ a JSON object of all four.
 */
#include "web/pages.h"
#include "web/chart_svg.h"
#include "web/dashboard.h"
#include "web/html.h"
#include "web/table.h"

enum { T_DOMAINS, T_DAILY, T_INGEST, T_FAILURES, N_TABLES };

#define MAX_SPARKLINES 100

static const DashboardTableSpec overview_tables[N_TABLES] = {
  [T_DOMAINS] = { "domains", DASH_TABLE_DOMAINS, 0 },
  [T_DAILY] = { "daily", DASH_TABLE_DOMAINS_DAILY, 0 },
  [T_INGEST] = { "ingest", DASH_TABLE_INGEST_DAILY, 0 },
  [T_FAILURES] = { "failures", DASH_TABLE_INGEST_FAILURES, 10 },
};

static const WebColumn domain_columns[] = {
  { "domain", "Domain", WEB_COLUMN_TEXT, "/domains/{domain}" },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "dmarc_pass_pct", "DMARC pass", WEB_COLUMN_PERCENT, NULL },
  { "policy", "Published policy", WEB_COLUMN_TEXT, NULL },
  { "trend_pts", "Trend (pass, points)", WEB_COLUMN_NUMBER, NULL },
  { "failing_sources", "Failing sources", WEB_COLUMN_NUMBER, NULL },
  { "first_day", "From", WEB_COLUMN_TEXT, NULL },
  { "last_day", "To", WEB_COLUMN_TEXT, NULL },
  { "last_report", "Last report received (UTC)", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn ingest_columns[] = {
  { "day", "Day received (UTC)", WEB_COLUMN_TEXT, NULL },
  { "reports", "Reports", WEB_COLUMN_NUMBER, NULL },
  { "records", "Records", WEB_COLUMN_NUMBER, NULL },
  { "messages", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "failures", "Failed inputs", WEB_COLUMN_NUMBER, NULL },
};

static const WebColumn failure_columns[] = {
  { "last_seen", "When (UTC)", WEB_COLUMN_TEXT, NULL },
  { "stage", "Stage", WEB_COLUMN_TEXT, NULL },
  { "reason", "Reason", WEB_COLUMN_TEXT, NULL },
  { "path", "File", WEB_COLUMN_TEXT, NULL },
  { "attempts", "Attempts", WEB_COLUMN_NUMBER, NULL },
};

static guint64
cell_u64 (const StoreTable *table, guint row, const char *column)
{
  const char *value = store_table_get (table, row, column);
  return value != NULL ? g_ascii_strtoull (value, NULL, 10) : 0;
}

static guint64
column_sum (const StoreTable *table, const char *column)
{
  guint64 sum = 0;

  for (guint r = 0; r < store_table_n_rows (table); r++)
    sum += cell_u64 (table, r, column);
  return sum;
}

static void
card_count (GString *out, guint64 n, const char *label, const char *badge, const char *badge_text)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  g_autoptr (GString) value = g_string_new (NULL);

  dashboard_append_number (value, digits);
  dashboard_card (out, value->str, label, badge, badge_text);
}

static void
overview_cards (GString *out, const StoreTable *const *t)
{
  guint64 messages = column_sum (t[T_DAILY], "messages");
  guint64 passed = column_sum (t[T_DAILY], "dmarc_pass");
  guint64 failures = column_sum (t[T_INGEST], "failures");
  g_autofree char *pct = messages > 0 ? g_strdup_printf ("%.1f", 100.0 * (double) passed
                                                                   / (double) messages) : NULL;

  g_string_append (out, "<div class=\"cards\">\n");
  card_count (out, store_table_n_rows (t[T_DOMAINS]), "domains", NULL, NULL);
  card_count (out, messages, "messages", NULL, NULL);
  dashboard_pass_card (out, pct, "DMARC pass (aligned SPF or DKIM)");
  card_count (out, column_sum (t[T_DOMAINS], "failing_sources"), "sources failing DMARC", NULL, NULL);
  card_count (out, column_sum (t[T_INGEST], "reports"), "reports received", NULL, NULL);
  card_count (out, failures, "inputs rejected", failures > 0 ? "bad" : "good",
              failures > 0 ? "see failures" : "none");
  g_string_append (out, "</div>\n");
}

/* Domain → its sparkline's days, from the daily table. */
static GHashTable *
overview_charts (const StoreTable *const *t)
{
  GHashTable *charts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) chart_daily_free);

  for (guint r = 0; r < store_table_n_rows (t[T_DOMAINS]) && r < MAX_SPARKLINES; r++)
    {
      const char *domain = store_table_get (t[T_DOMAINS], r, "domain");
      ChartDaily *chart = chart_daily_new (store_table_get (t[T_DOMAINS], r, "first_day"),
                                           store_table_get (t[T_DOMAINS], r, "last_day"));
      if (domain != NULL && chart != NULL)
        g_hash_table_replace (charts, (gpointer) domain, chart);
      else
        chart_daily_free (chart);
    }
  for (guint r = 0; r < store_table_n_rows (t[T_DAILY]); r++)
    {
      ChartDaily *chart = g_hash_table_lookup (charts, store_table_get (t[T_DAILY], r, "domain"));
      const char *day = store_table_get (t[T_DAILY], r, "day");
      guint64 n = cell_u64 (t[T_DAILY], r, "messages");
      guint64 passed = cell_u64 (t[T_DAILY], r, "dmarc_pass");
      if (chart == NULL)
        continue;
      chart_daily_add (chart, day, CHART_PASS, passed);
      chart_daily_add (chart, day, CHART_FAIL, n - MIN (n, passed));
    }
  return charts;
}

static void
overview_sparklines (GString *out, const StoreTable *const *t)
{
  g_autoptr (GHashTable) charts = overview_charts (t);

  g_string_append (out, "<section>\n<h2>Messages per day</h2>\n<table class=\"data\">\n"
                        "<caption>Each domain's period: DMARC pass below, fail above</caption>\n"
                        "<thead><tr><th scope=\"col\">Domain</th><th scope=\"col\">Messages per day"
                        "</th></tr></thead>\n<tbody>\n");
  for (guint r = 0; r < store_table_n_rows (t[T_DOMAINS]) && r < MAX_SPARKLINES; r++)
    {
      const char *domain = store_table_get (t[T_DOMAINS], r, "domain");
      const ChartDaily *chart = domain != NULL ? g_hash_table_lookup (charts, domain) : NULL;
      g_autofree char *label = g_strdup_printf ("messages per day for %s", domain);
      if (chart == NULL)
        continue;
      g_string_append (out, "<tr><td><a href=\"/domains/");
      html_append_url_component (out, domain);
      g_string_append (out, "\"><bdi>");
      dashboard_append_text (out, domain);
      g_string_append (out, "</bdi></a></td><td>");
      chart_svg_sparkline (out, chart, label);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n</section>\n");
}

static void
overview_table (Dashboard *dash, GString *out, gsize i, const StoreTable *table,
                const WebColumn *columns, gsize n_columns, const char *caption)
{
  g_autofree char *href = dashboard_csv_href (dash, i);
  web_table_html (out, table, columns, n_columns, caption, href);
}

static void
overview_html (Dashboard *dash, WebResponse *resp, const StoreTable *const *t)
{
  GString *out = resp->body;

  html_page_begin (out, "Domains", "overview");
  g_string_append (out, "<h1>Domains</h1>\n<p class=\"period\">");
  if (dash->filter.since != NULL)
    g_string_append_printf (out, "Reports from %s", dash->filter.since);
  else
    g_string_append_printf (out, "For each domain, the last %u days of its data", dash->filter.days);
  if (dash->filter.until != NULL)
    g_string_append_printf (out, " until %s (exclusive)", dash->filter.until);
  g_string_append (out, ", UTC.</p>\n");
  dashboard_filter_form (dash, out);
  overview_cards (out, t);
  if (store_table_n_rows (t[T_DOMAINS]) == 0)
    g_string_append (out, "<p class=\"empty\">No reports yet: store some with "
                          "<code>dmarcstat ingest</code> or <code>dmarcstat import</code>.</p>\n");
  overview_table (dash, out, T_DOMAINS, t[T_DOMAINS], domain_columns,
                  G_N_ELEMENTS (domain_columns), "Domains");
  overview_sparklines (out, t);
  g_string_append (out, "<section>\n<h2>Ingest health</h2>\n");
  overview_table (dash, out, T_INGEST, t[T_INGEST], ingest_columns,
                  G_N_ELEMENTS (ingest_columns), "Reports received per day");
  overview_table (dash, out, T_FAILURES, t[T_FAILURES], failure_columns,
                  G_N_ELEMENTS (failure_columns), "Newest ingest failures");
  g_string_append (out, "<p><a href=\"/failures\">All ingest failures</a></p>\n</section>\n");
  html_page_end (out);
}

void
page_overview (WebRequest *req, WebResponse *resp)
{
  g_auto (Dashboard) dash = { 0 };
  const StoreTable *tables[N_TABLES];

  if (!dashboard_init (&dash, req, resp, overview_tables, N_TABLES, NULL, NULL, "/"))
    return;
  if (dashboard_answer_data (&dash, resp, "dmarcstat"))
    return;
  for (gsize i = 0; i < N_TABLES; i++)
    if ((tables[i] = dashboard_table (&dash, resp, i)) == NULL)
      return;
  overview_html (&dash, resp, tables);
}
