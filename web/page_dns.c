/*
 * page_dns.c -- what the DNS says about one domain: /domains/DOMAIN/dns.
 *
 * SYNOPSIS
 *   GET /domains/DOMAIN/dns[?table=changes]
 *
 * DESCRIPTION
 *   The findings of the domain's newest DNS check (DMARC, SPF, DKIM, MX;
 *   made by the background resolver or `dmarcstat check`), worst first as
 *   the check ordered them, each with its fix and the record to publish;
 *   then what changed between consecutive checks, newest first, so that
 *   "the DKIM key for selector s1 disappeared" shows with its date.
 *
 *   /domains/DOMAIN/dns.csv is the findings; ?table=changes the changes.
 *   /api/domains/DOMAIN/dns is {"findings": [...], "changes": [...]}.
 *
 *   Every value comes from DNS (a third party's bytes) and is escaped.
 *
 * DIAGNOSTICS
 *   404 when the domain was never checked; 500/503 when the database fails.
 */
#include "web/pages.h"
#include "web/dashboard.h"
#include "web/html.h"
#include "web/table.h"
#include "store/dns_store.h"

#include <string.h>

#define CHANGES_SHOWN 200

static const WebColumn finding_columns[] = {
  { "severity", "Severity", WEB_COLUMN_TEXT, NULL },
  { "code", "Check", WEB_COLUMN_TEXT, NULL },
  { "subject", "About", WEB_COLUMN_TEXT, NULL },
  { "message", "Finding", WEB_COLUMN_TEXT, NULL },
  { "fix", "Fix", WEB_COLUMN_TEXT, NULL },
  { "record", "Record to publish", WEB_COLUMN_TEXT, NULL },
};

static const WebColumn change_columns[] = {
  { "checked_at", "When (UTC)", WEB_COLUMN_TEXT, NULL },
  { "change", "Change", WEB_COLUMN_TEXT, NULL },
  { "severity", "Severity", WEB_COLUMN_TEXT, NULL },
  { "code", "Check", WEB_COLUMN_TEXT, NULL },
  { "subject", "About", WEB_COLUMN_TEXT, NULL },
  { "message", "Finding", WEB_COLUMN_TEXT, NULL },
};

/* Counts per severity, as one line above the table. */
static void
dns_summary (GString *out, const StoreTable *findings)
{
  static const char *const order[] = { "critical", "error", "warning", "info", "ok" };
  guint counts[G_N_ELEMENTS (order)] = { 0 };

  for (guint i = 0; i < store_table_n_rows (findings); i++)
    for (gsize k = 0; k < G_N_ELEMENTS (order); k++)
      if (g_strcmp0 (store_table_get (findings, i, "severity"), order[k]) == 0)
        counts[k]++;
  g_string_append (out, "<p class=\"dns-summary\">Checked ");
  html_append_text (out, store_table_get (findings, 0, "checked_at"));
  g_string_append (out, " UTC:");
  for (gsize k = 0; k < G_N_ELEMENTS (order); k++)
    if (counts[k] > 0)
      g_string_append_printf (out, " <span class=\"sev sev-%s\">%u %s</span>", order[k],
                              counts[k], order[k]);
  g_string_append (out, "</p>\n");
}

static void
dns_html (WebResponse *resp, const char *domain, const StoreTable *findings,
          const StoreTable *changes)
{
  GString *out = resp->body;
  g_autoptr (GString) base = g_string_new ("/domains/");

  html_append_url_component (base, domain);
  g_autofree char *title = g_strdup_printf ("DNS of %s", domain);
  html_page_begin (out, title, "overview");
  g_string_append (out, "<p class=\"crumbs\"><a href=\"/\">Domains</a> › <a href=\"");
  html_append_text (out, base->str);
  g_string_append (out, "\"><bdi>");
  dashboard_append_text (out, domain);
  g_string_append (out, "</bdi></a> ›</p>\n<h1>DNS of <bdi>");
  dashboard_append_text (out, domain);
  g_string_append (out, "</bdi></h1>\n");
  dns_summary (out, findings);
  g_autofree char *csv = g_strdup_printf ("%s/dns.csv", base->str);
  web_table_html (out, findings, finding_columns, G_N_ELEMENTS (finding_columns),
                  "DMARC, SPF, DKIM and MX records: what is right and what to fix", csv);
  g_string_append (out, "<section>\n<h2>Changes</h2>\n");
  if (store_table_n_rows (changes) == 0)
    g_string_append (out, "<p class=\"note\">No change between checks yet.</p>\n");
  else
    {
      g_autofree char *changes_csv = g_strdup_printf ("%s/dns.csv?table=changes", base->str);
      web_table_html (out, changes, change_columns, G_N_ELEMENTS (change_columns),
                      "What changed between consecutive checks", changes_csv);
    }
  g_string_append (out, "</section>\n");
  html_page_end (out);
}

static void
dns_json (WebResponse *resp, const StoreTable *findings, const StoreTable *changes)
{
  /* web_table_json appends its array to the body. */
  g_string_append (resp->body, "{\"findings\": ");
  web_table_json (resp, findings);
  g_string_append (resp->body, ",\n\"changes\": ");
  web_table_json (resp, changes);
  g_string_append (resp->body, "}\n");
}

void
page_dns (WebRequest *req, WebResponse *resp, const char *domain)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_ascii_strdown (domain, -1);
  const char *which = web_query (req, "table");

  if (which != NULL && strcmp (which, "changes") != 0 && strcmp (which, "findings") != 0)
    {
      web_response_error (req, resp, 400, "table must be findings or changes");
      return;
    }
  g_autoptr (StoreTable) findings = store_check_latest (req->store, name, &error);
  if (findings == NULL)
    {
      web_response_query_error (req, resp, error);
      return;
    }
  if (store_table_n_rows (findings) == 0)
    {
      web_response_error (req, resp, 404, "this domain has not been checked yet");
      return;
    }
  g_autoptr (StoreTable) changes = store_check_changes (req->store, name, CHANGES_SHOWN, &error);
  if (changes == NULL)
    {
      web_response_query_error (req, resp, error);
      return;
    }
  if (req->format == WEB_FORMAT_CSV)
    {
      gboolean is_changes = g_strcmp0 (which, "changes") == 0;
      g_autofree char *file = g_strdup_printf ("%s-dns-%s.csv", name,
                                               is_changes ? "changes" : "findings");
      g_autofree char *safe = dashboard_download_name (file);
      web_table_csv (resp, is_changes ? changes : findings, safe);
    }
  else if (req->format == WEB_FORMAT_JSON)
    dns_json (resp, findings, changes);
  else
    dns_html (resp, name, findings, changes);
}
