/*
 * page_report.c -- one report: /reports/ID, /reports/ID.csv, /api/reports/ID.
 *
 * SYNOPSIS
 *   GET /reports/ID?sort=COL&dir=desc&page=N
 *
 * DESCRIPTION
 *   ID is the database id (reports.id), a positive decimal number; anything
 *   else, or an id without a report, is a 404.
 *
 *   HTML: the report's metadata (reporter, period, the policy it saw
 *   published, format, where it came from), its errors and warnings, one
 *   page of RECORDS_PER_PAGE records, and the original XML as escaped text
 *   in a <pre>, never as markup: at most XML_SHOW_BYTES of it, with a note
 *   when it is cut here, and when the database kept only part of the
 *   original (the whole is then in the mail file named).
 *
 *   CSV: the records table, the same page.  JSON: one object with the
 *   metadata ("report"), "errors", "warnings", "records" (the same page),
 *   and "xml" (the same text as the page, or null), "xml_encoding",
 *   "xml_is_cut".  Counts are JSON numbers.
 *
 *   Every string here is the reporter's: it reaches HTML only through
 *   dashboard_append_text() (escaped, and bidirectional controls such as
 *   U+202E shown as "[U+202E]" so they cannot reorder the page), inside
 *   <bdi> where it sits in running text, and JSON only through
 *   json_append_string(), exact.
 *
 * DIAGNOSTICS
 *   404 for an unknown id; 400 for a malformed page or sort column; 500/503
 *   when the database fails (logged, not shown).
 */
#include "core/json.h"
#include "web/pages.h"
#include "web/dashboard.h"
#include "web/filter.h"
#include "web/html.h"
#include "web/table.h"
#include "store/query_reports.h"
#include "core/error.h"
#include "core/log.h"

#include <string.h>

#define RECORDS_PER_PAGE 1000
#define XML_SHOW_BYTES (1024 * 1024)

typedef enum
{
  FIELD_TEXT,
  FIELD_DOMAIN,    /* links to /domains/VALUE */
  FIELD_POLICY,    /* none/quarantine/reject as a badge */
} FieldKind;

typedef struct
{
  const char *column;   /* of query_reports_one(); NULL starts a new table */
  const char *label;
  FieldKind kind;
} Field;

/* The metadata tables: a row without a column starts a table captioned LABEL. */
static const Field fields[] = {
  { NULL, "Reporter", FIELD_TEXT },
  { "org_name", "Organisation", FIELD_TEXT }, { "email", "Email", FIELD_TEXT },
  { "extra_contact_info", "Contact", FIELD_TEXT }, { "report_id", "Report ID", FIELD_TEXT },
  { "begin_date", "Begin (UTC)", FIELD_TEXT }, { "end_date", "End (UTC)", FIELD_TEXT },
  { "generator", "Generator", FIELD_TEXT },
  { NULL, "Policy published", FIELD_TEXT },
  { "domain", "Domain", FIELD_DOMAIN }, { "p", "p", FIELD_POLICY },
  { "sp", "sp", FIELD_POLICY }, { "np", "np", FIELD_POLICY },
  { "pct", "pct", FIELD_TEXT }, { "adkim", "adkim", FIELD_TEXT },
  { "aspf", "aspf", FIELD_TEXT }, { "fo", "fo", FIELD_TEXT },
  { "testing", "testing", FIELD_TEXT }, { "discovery_method", "discovery_method", FIELD_TEXT },
  { NULL, "Format", FIELD_TEXT },
  { "xml_schema", "Schema", FIELD_TEXT }, { "xml_version", "Version", FIELD_TEXT },
  { "xml_namespace", "Namespace", FIELD_TEXT }, { "records", "Records", FIELD_TEXT },
  { "messages", "Messages", FIELD_TEXT }, { "n_errors", "Errors", FIELD_TEXT },
  { "n_warnings", "Warnings", FIELD_TEXT },
  { NULL, "Where it came from", FIELD_TEXT },
  { "source_file", "Source file", FIELD_TEXT }, { "attachment_name", "Attachment", FIELD_TEXT },
  { "entry_name", "Entry", FIELD_TEXT }, { "container", "Container", FIELD_TEXT },
  { "mail_path", "Mail file", FIELD_TEXT }, { "message_id", "Message-ID", FIELD_TEXT },
  { "subject", "Subject", FIELD_TEXT }, { "mail_from", "From", FIELD_TEXT },
  { "mail_date", "Mail date (UTC)", FIELD_TEXT },
  { "duplicates_seen", "Duplicates seen", FIELD_TEXT },
  { "ingested_at", "Ingested (UTC)", FIELD_TEXT },
};

static const WebColumn record_columns[] = {
  { "source_ip", "Source IP", WEB_COLUMN_TEXT, "/domains/{domain}/sources/{source_ip}" },
  { "count", "Messages", WEB_COLUMN_NUMBER, NULL },
  { "disposition", "Disposition", WEB_COLUMN_TEXT, NULL },
  { "dkim", "DKIM", WEB_COLUMN_TEXT, NULL },
  { "spf", "SPF", WEB_COLUMN_TEXT, NULL },
  { "reasons", "Override", WEB_COLUMN_TEXT, NULL },
  { "reason_comments", "Comment", WEB_COLUMN_TEXT, NULL },
  { "header_from", "Header from", WEB_COLUMN_TEXT, NULL },
  { "envelope_from", "Envelope from", WEB_COLUMN_TEXT, NULL },
  { "dkim_domains", "DKIM domains", WEB_COLUMN_TEXT, NULL },
  { "dkim_selectors", "DKIM selectors", WEB_COLUMN_TEXT, NULL },
  { "dkim_results", "DKIM results", WEB_COLUMN_TEXT, NULL },
  { "spf_domains", "SPF domains", WEB_COLUMN_TEXT, NULL },
  { "spf_scopes", "SPF scopes", WEB_COLUMN_TEXT, NULL },
  { "spf_results", "SPF results", WEB_COLUMN_TEXT, NULL },
};

/* Columns that JSON writes as numbers, and as booleans ("t"/"f"). */
static const char *const json_numbers[] = {
  "id", "pct", "records", "messages", "duplicates_seen", "xml_bytes", "n_errors",
  "n_warnings", "ordinal", "count", NULL,
};
static const char *const json_booleans[] = { "xml_is_complete", NULL };

/* What one request needs, read before any output is written. */
typedef struct
{
  gint64 id;
  guint64 page;
  StoreTable *meta;      /* owned: one row */
  StoreTable *notes;     /* owned */
  StoreTable *records;   /* owned: this page */
  ReportXml *xml;        /* owned, or NULL when none was kept */
} ReportView;

static void
report_view_clear (ReportView *view)
{
  g_clear_pointer (&view->meta, store_table_free);
  g_clear_pointer (&view->notes, store_table_free);
  g_clear_pointer (&view->records, store_table_free);
  g_clear_pointer (&view->xml, query_reports_xml_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportView, report_view_clear)

static const char *
meta (const ReportView *view, const char *column)
{
  return store_table_get (view->meta, 0, column);
}

/* ---- JSON ------------------------------------------------------------------ */

static void
json_append_value (GString *out, const char *column, const char *value)
{
  if (value != NULL && g_strv_contains (json_numbers, column) && *value != '\0'
      && value[strspn (value, "0123456789")] == '\0')
    g_string_append (out, value);
  else if (value != NULL && g_strv_contains (json_booleans, column))
    g_string_append (out, strcmp (value, "t") == 0 ? "true" : "false");
  else
    json_append_string (out, value);
}

/* Row ROW of TABLE as an object keyed by column name. */
static void
json_append_row (GString *out, const StoreTable *table, guint row)
{
  g_string_append_c (out, '{');
  for (guint c = 0; c < table->columns->len; c++)
    {
      const char *name = g_ptr_array_index (table->columns, c);
      g_string_append (out, c > 0 ? ", " : "");
      json_append_string (out, name);
      g_string_append (out, ": ");
      json_append_value (out, name, store_table_get (table, row, name));
    }
  g_string_append_c (out, '}');
}

/* The notes of KIND ("error", "warning") as an array of strings. */
static void
json_append_notes (GString *out, const StoreTable *notes, const char *kind)
{
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint r = 0; r < store_table_n_rows (notes); r++)
    if (g_strcmp0 (store_table_get (notes, r, "kind"), kind) == 0)
      {
        g_string_append (out, first ? "" : ", ");
        json_append_string (out, store_table_get (notes, r, "text"));
        first = FALSE;
      }
  g_string_append_c (out, ']');
}

static void
report_json (WebResponse *resp, const ReportView *view)
{
  GString *out = resp->body;

  resp->content_type = "application/json";
  g_string_append (out, "{\"report\": ");
  json_append_row (out, view->meta, 0);
  g_string_append (out, ",\n\"errors\": ");
  json_append_notes (out, view->notes, "error");
  g_string_append (out, ",\n\"warnings\": ");
  json_append_notes (out, view->notes, "warning");
  g_string_append_printf (out, ",\n\"page\": %" G_GUINT64_FORMAT ",\n\"records\": [", view->page);
  for (guint r = 0; r < store_table_n_rows (view->records); r++)
    {
      g_string_append (out, r > 0 ? ",\n" : "\n");
      json_append_row (out, view->records, r);
    }
  g_string_append (out, "],\n\"xml\": ");
  json_append_string (out, view->xml ? view->xml->text : NULL);
  g_string_append (out, ",\n\"xml_encoding\": ");
  json_append_string (out, view->xml ? view->xml->encoding : NULL);
  g_string_append_printf (out, ",\n\"xml_is_cut\": %s}\n",
                          view->xml && view->xml->is_cut ? "true" : "false");
}

/* ---- HTML ------------------------------------------------------------------ */

static void
report_field (GString *out, const Field *field, const char *value)
{
  static const char *const badges[][2] = {
    { "reject", "good" }, { "quarantine", "warn" }, { "none", "bad" },
  };

  g_string_append_printf (out, "<tr><th scope=\"row\">%s</th><td>", field->label);
  if (value == NULL)
    g_string_append (out, "—");
  else if (field->kind == FIELD_DOMAIN)
    {
      g_string_append (out, "<a href=\"/domains/");
      html_append_url_component (out, value);   /* percent-encoded: nothing to escape */
      g_string_append (out, "\">");
      dashboard_append_text (out, value);
      g_string_append (out, "</a>");
    }
  else
    {
      const char *badge = NULL;
      for (gsize i = 0; field->kind == FIELD_POLICY && i < G_N_ELEMENTS (badges); i++)
        if (g_ascii_strcasecmp (value, badges[i][0]) == 0)
          badge = badges[i][1];
      if (badge != NULL)
        g_string_append_printf (out, "<span class=\"badge %s\">", badge);
      dashboard_append_text (out, value);
      g_string_append (out, badge != NULL ? "</span>" : "");
    }
  g_string_append (out, "</td></tr>\n");
}

static void
report_metadata (GString *out, const ReportView *view)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].column == NULL)
      g_string_append_printf (out, "%s<table class=\"data\">\n<caption>%s</caption>\n<tbody>\n",
                              i > 0 ? "</tbody>\n</table>\n" : "", fields[i].label);
    else
      report_field (out, &fields[i], meta (view, fields[i].column));
  g_string_append (out, "</tbody>\n</table>\n");
}

static void
report_notes (GString *out, const StoreTable *notes)
{
  if (store_table_n_rows (notes) == 0)
    return;
  g_string_append (out, "<h2>Errors and warnings</h2>\n<ul>\n");
  for (guint r = 0; r < store_table_n_rows (notes); r++)
    {
      gboolean is_error = g_strcmp0 (store_table_get (notes, r, "kind"), "error") == 0;
      g_string_append_printf (out, "<li><span class=\"badge %s\">%s</span> ",
                              is_error ? "bad" : "warn", is_error ? "error" : "warning");
      dashboard_append_text (out, store_table_get (notes, r, "text"));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

/* Appends this report's path plus SUFFIX ("" or ".csv") with sort, dir and
 * PAGE (when > 1) as a query, percent-encoded. */
static void
report_page_href (GString *out, const WebRequest *req, gint64 id, const char *suffix,
                  guint64 page)
{
  static const char *const kept[] = { "sort", "dir" };
  char sep = '?';

  g_string_append_printf (out, "/reports/%" G_GINT64_FORMAT "%s", id, suffix);
  for (gsize i = 0; i < G_N_ELEMENTS (kept); i++)
    if (web_query (req, kept[i]) != NULL)
      {
        g_string_append_printf (out, "%c%s=", sep, kept[i]);
        html_append_url_component (out, web_query (req, kept[i]));
        sep = '&';
      }
  if (page > 1)
    g_string_append_printf (out, "%cpage=%" G_GUINT64_FORMAT, sep, page);
}

static void
report_page_link (GString *out, const WebRequest *req, gint64 id, guint64 page,
                  const char *text)
{
  g_autoptr (GString) href = g_string_new (NULL);

  report_page_href (href, req, id, "", page);
  g_string_append (out, " <a href=\"");
  html_append_text (out, href->str);
  g_string_append_printf (out, "\">%s</a>", text);
}

static void
report_records (GString *out, const WebRequest *req, const ReportView *view)
{
  const char *records = meta (view, "records");
  guint64 total = records != NULL ? g_ascii_strtoull (records, NULL, 10) : 0;
  guint64 n_pages = (total + RECORDS_PER_PAGE - 1) / RECORDS_PER_PAGE;
  g_autoptr (GString) csv_href = g_string_new (NULL);

  report_page_href (csv_href, req, view->id, ".csv", view->page);
  if (n_pages > 1 || view->page > 1)
    {
      g_string_append_printf (out, "<p>Page %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                              ", %u records a page.", view->page, n_pages, RECORDS_PER_PAGE);
      if (view->page > 1)
        report_page_link (out, req, view->id, MIN (view->page - 1, MAX (n_pages, 1)),
                          "Previous page");
      if (view->page < n_pages)
        report_page_link (out, req, view->id, view->page + 1, "Next page");
      g_string_append (out, "</p>\n");
    }
  web_table_html (out, view->records, record_columns, G_N_ELEMENTS (record_columns),
                  "Records", csv_href->str);
}

static void
report_xml (GString *out, const ReportView *view)
{
  const ReportXml *xml = view->xml;
  const char *mail = meta (view, "mail_path") ? meta (view, "mail_path") : meta (view, "source_file");

  g_string_append (out, "<h2>Original XML</h2>\n");
  if (xml == NULL)
    {
      g_string_append (out, "<p>The original XML was not kept.</p>\n");
      return;
    }
  if (!xml->is_complete)
    {
      g_string_append_printf (out, "<p><span class=\"badge warn\">cut</span> The database keeps"
                              " the first %" G_GUINT64_FORMAT " of the original's %"
                              G_GUINT64_FORMAT " bytes; the whole original is in the mail"
                              " file <code>", xml->stored_bytes, xml->original_bytes);
      dashboard_append_text (out, mail);
      g_string_append (out, "</code>.</p>\n");
    }
  if (xml->is_cut)
    g_string_append_printf (out, "<p>Shown here: the first %u bytes of %" G_GUINT64_FORMAT
                            ".</p>\n", XML_SHOW_BYTES, xml->stored_bytes);
  if (g_strcmp0 (xml->encoding, "UTF-8") != 0)
    {
      g_string_append (out, "<p>Decoded from ");
      html_append_text (out, xml->encoding);
      g_string_append (out, ".</p>\n");
    }
  g_string_append (out, "<pre>");
  dashboard_append_text (out, xml->text);
  g_string_append (out, "</pre>\n");
}

static void
report_html (WebRequest *req, WebResponse *resp, const ReportView *view)
{
  GString *out = resp->body;
  /* The title is plain text that no escaping keeps from a U+202E: no
   * reporter string goes there. */
  g_autofree char *title = g_strdup_printf ("Report %" G_GINT64_FORMAT, view->id);

  html_page_begin (out, title, "reports");
  g_string_append (out, "<h1>Report <bdi>");
  dashboard_append_text (out, meta (view, "report_id"));
  g_string_append (out, "</bdi> from <bdi>");
  dashboard_append_text (out, meta (view, "org_name"));
  g_string_append_printf (out, "</bdi></h1>\n<p><a href=\"/reports\">All reports</a> · "
                          "<a href=\"/api/reports/%" G_GINT64_FORMAT "\">JSON</a></p>\n",
                          view->id);
  report_metadata (out, view);
  report_notes (out, view->notes);
  report_records (out, req, view);
  report_xml (out, view);
  html_page_end (out);
}

/* ---- the request ------------------------------------------------------------- */

/* Reads everything the format needs.  FALSE with ERROR on failure; TRUE
 * with view->meta empty when there is no such report. */
static gboolean
report_load (WebRequest *req, ReportView *view, GError **error)
{
  g_auto (WebFilter) wf = { 0 };

  if (!web_filter_parse (req, &wf, error))
    return FALSE;
  view->page = wf.page;
  view->meta = query_reports_one (req->store, view->id, error);
  if (view->meta == NULL || store_table_n_rows (view->meta) == 0)
    return view->meta != NULL;
  view->records = query_reports_records (req->store, view->id, wf.sort, wf.descending,
                                         (view->page - 1) * RECORDS_PER_PAGE,
                                         RECORDS_PER_PAGE, error);
  if (view->records == NULL || req->format == WEB_FORMAT_CSV)
    return view->records != NULL;
  view->notes = query_reports_notes (req->store, view->id, error);
  return view->notes != NULL
         && query_reports_xml (req->store, view->id, XML_SHOW_BYTES, &view->xml, error);
}

void
page_report (WebRequest *req, WebResponse *resp, const char *id)
{
  g_auto (ReportView) view = { 0 };
  g_autoptr (GError) error = NULL;
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (id, 10, 1, G_MAXINT64, &n, NULL))
    {
      web_response_error (req, resp, 404, "no such report");
      return;
    }
  view.id = (gint64) n;
  view.page = 1;
  if (!report_load (req, &view, &error))
    {
      web_response_query_error (req, resp, error);
      return;
    }
  if (store_table_n_rows (view.meta) == 0)
    web_response_error (req, resp, 404, "no such report");
  else if (req->format == WEB_FORMAT_CSV)
    {
      g_autofree char *name = g_strdup_printf ("report-%" G_GINT64_FORMAT "-records.csv", view.id);
      web_table_csv (resp, view.records, name);
    }
  else if (req->format == WEB_FORMAT_JSON)
    report_json (resp, &view);
  else
    report_html (req, resp, &view);
}
