/*
 * table.c -- see table.h.
 *
 * HTML: <table class="data"> with a caption holding the CSV and JSON links
 * (class "csv"), header links that sort, and one row per StoreTable row.
 * Every value is escaped through dashboard_append_text(); a link is built
 * from percent-encoded values and then escaped as an attribute.
 *
 * Sort links are relative ("?…&sort=COL&dir=desc"): the browser keeps the
 * page's path.  Their other arguments, and the current order, come from the
 * query string of CSV_HREF, which the page builds from the request with
 * the same filters, so the table needs no access to the request.  The JSON
 * link is "/api" + the CSV path without ".csv", with the same query.
 *
 * Percent cells draw a bar: an inline <svg> whose geometry is in
 * attributes and whose colours come from the stylesheet's classes
 * (svg.pctbar, .pass, .fail); the page's Content-Security-Policy allows no
 * style attribute.
 *
 * JSON: an array of objects keyed by column name.  StoreTable carries no
 * types, so a column is written as numbers when every value in it is a
 * plain JSON number of at most 15 significant digits without leading zeros
 * (a digits-only report id such as Google's, longer than a double holds,
 * stays a string), unless its name is one of text_columns: reporters'
 * free-form values that may happen to be digits.  NULL is null; the rest
 * are strings, with < > & escaped too.
 */
#include "core/json.h"
#include "web/table.h"
#include "web/dashboard.h"
#include "web/html.h"
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

/* The value of ARG in the raw query string QUERY, or NULL.  (transfer full) */
static char *
query_arg (const char *query, const char *arg)
{
  g_auto (GStrv) parts = g_strsplit (query != NULL ? query : "", "&", -1);
  gsize len = strlen (arg);

  for (char **p = parts; *p != NULL; p++)
    if (strncmp (*p, arg, len) == 0 && (*p)[len] == '=')
      return g_uri_unescape_string (*p + len + 1, NULL);
  return NULL;
}

/* QUERY without the arguments sort and dir, followed by '&' when not empty. */
static void
append_query_without_sort (GString *out, const char *query)
{
  g_auto (GStrv) parts = g_strsplit (query != NULL ? query : "", "&", -1);

  for (char **p = parts; *p != NULL; p++)
    if (**p != '\0' && !g_str_has_prefix (*p, "sort=") && !g_str_has_prefix (*p, "dir=")
        && strcmp (*p, "sort") != 0 && strcmp (*p, "dir") != 0)
      g_string_append_printf (out, "%s&", *p);
}

static void
table_caption (GString *out, const char *caption, const char *csv_href)
{
  g_string_append (out, "<caption>");
  html_append_text (out, caption);
  if (csv_href != NULL)
    {
      const char *query = strchr (csv_href, '?');
      gsize path_len = query != NULL ? (gsize) (query - csv_href) : strlen (csv_href);
      g_autofree char *path = g_strndup (csv_href, path_len);

      g_string_append (out, " <a class=\"csv\" href=\"");
      html_append_text (out, csv_href);
      g_string_append (out, "\">CSV</a>");
      if (g_str_has_suffix (path, ".csv") && path[0] == '/')
        {
          g_autofree char *json = g_strdup_printf ("/api%.*s%s", (int) (path_len - 4), path,
                                                   query != NULL ? query : "");
          g_string_append (out, " <a class=\"csv\" href=\"");
          html_append_text (out, json);
          g_string_append (out, "\">JSON</a>");
        }
    }
  g_string_append (out, "</caption>\n");
}

static void
table_header (GString *out, const WebColumn *columns, gsize n_columns, const char *csv_href)
{
  const char *query = csv_href != NULL ? strchr (csv_href, '?') : NULL;
  g_autofree char *sort = query_arg (query != NULL ? query + 1 : NULL, "sort");
  g_autofree char *dir = query_arg (query != NULL ? query + 1 : NULL, "dir");

  g_string_append (out, "<thead><tr>");
  for (gsize i = 0; i < n_columns; i++)
    {
      const WebColumn *c = &columns[i];
      gboolean is_sorted = g_strcmp0 (sort, c->name) == 0;
      gboolean is_desc = is_sorted && g_strcmp0 (dir, "desc") == 0;
      /* Numbers sort largest first; a second click reverses. */
      gboolean next_desc = is_sorted ? !is_desc : c->kind != WEB_COLUMN_TEXT;
      g_autoptr (GString) href = g_string_new ("?");

      append_query_without_sort (href, query != NULL ? query + 1 : NULL);
      g_string_append (href, "sort=");
      html_append_url_component (href, c->name);
      g_string_append_printf (href, "&dir=%s", next_desc ? "desc" : "asc");
      g_string_append_printf (out, "<th scope=\"col\"%s%s><a href=\"",
                              c->kind != WEB_COLUMN_TEXT ? " class=\"num\"" : "",
                              !is_sorted ? "" : is_desc ? " aria-sort=\"descending\""
                                                        : " aria-sort=\"ascending\"");
      html_append_text (out, href->str);
      g_string_append (out, "\">");
      html_append_text (out, c->label);
      g_string_append_printf (out, "%s</a></th>", !is_sorted ? "" : is_desc ? " ▼" : " ▲");
    }
  g_string_append (out, "</tr></thead>\n");
}

/* LINK with each {col} replaced by ROW's value, percent-encoded; NULL when
 * a value is missing.  (transfer full) */
static char *
table_link (const StoreTable *table, guint row, const char *link)
{
  g_autoptr (GString) href = g_string_new (NULL);

  for (const char *p = link; *p != '\0'; p++)
    {
      const char *end = *p == '{' ? strchr (p, '}') : NULL;
      if (end == NULL)
        {
          g_string_append_c (href, *p);
          continue;
        }
      g_autofree char *name = g_strndup (p + 1, (gsize) (end - p - 1));
      const char *value = store_table_get (table, row, name);
      if (value == NULL || *value == '\0')
        return NULL;
      html_append_url_component (href, value);
      p = end;
    }
  return g_string_free (g_steal_pointer (&href), FALSE);
}

static void
append_percent_bar (GString *out, const char *value)
{
  double pct = g_ascii_strtod (value, NULL);

  pct = CLAMP (pct, 0.0, 100.0);
  g_string_append_printf (out, "<svg class=\"pctbar\" width=\"48\" height=\"8\" viewBox=\"0 0 100 8\""
                          " preserveAspectRatio=\"none\" aria-hidden=\"true\">"
                          "<rect class=\"fail\" x=\"0\" y=\"0\" width=\"100\" height=\"8\"/>"
                          "<rect class=\"pass\" x=\"0\" y=\"0\" width=\"%.1f\" height=\"8\"/></svg> ",
                          pct);
}

static void
table_cell (GString *out, const StoreTable *table, guint row, const WebColumn *c)
{
  const char *value = store_table_get (table, row, c->name);
  g_autofree char *href = c->link != NULL ? table_link (table, row, c->link) : NULL;

  g_string_append (out, c->kind != WEB_COLUMN_TEXT ? "<td class=\"num\">" : "<td>");
  if (c->kind == WEB_COLUMN_PERCENT && value != NULL)
    append_percent_bar (out, value);
  if (href != NULL)
    {
      g_string_append (out, "<a href=\"");
      html_append_text (out, href);
      g_string_append (out, "\">");
    }
  if (c->kind == WEB_COLUMN_NUMBER)
    dashboard_append_number (out, value);
  else if (c->kind == WEB_COLUMN_PERCENT)
    dashboard_append_percent (out, value);
  else if (value != NULL)
    {
      g_string_append (out, "<bdi>");
      dashboard_append_text (out, value);
      g_string_append (out, "</bdi>");
    }
  g_string_append (out, href != NULL ? "</a></td>" : "</td>");
}

void
web_table_html (GString *out, const StoreTable *table, const WebColumn *columns,
                gsize n_columns, const char *caption, const char *csv_href)
{
  g_string_append (out, "<table class=\"data\">\n");
  table_caption (out, caption, csv_href);
  table_header (out, columns, n_columns, csv_href);
  g_string_append (out, "<tbody>\n");
  for (guint r = 0; r < store_table_n_rows (table); r++)
    {
      g_string_append (out, "<tr>");
      for (gsize i = 0; i < n_columns; i++)
        table_cell (out, table, r, &columns[i]);
      g_string_append (out, "</tr>\n");
    }
  if (store_table_n_rows (table) == 0)
    g_string_append_printf (out, "<tr><td class=\"empty\" colspan=\"%zu\">No data for these "
                            "filters.</td></tr>\n", MAX (n_columns, (gsize) 1));
  g_string_append (out, "</tbody>\n</table>\n");
}

static gboolean
csv_append_body (const char *data, gsize len, gpointer user_data, GError **error G_GNUC_UNUSED)
{
  g_string_append_len (user_data, data, (gssize) len);
  return TRUE;
}

void
web_table_csv (WebResponse *resp, const StoreTable *table, const char *download_name)
{
  g_autoptr (CsvWriter) csv = csv_writer_new (csv_append_body, resp->body);

  g_string_truncate (resp->body, 0);
  resp->content_type = "text/csv; charset=utf-8";
  g_free (resp->download_name);
  resp->download_name = dashboard_download_name (download_name);
  csv_write_row (csv, (const char *const *) table->columns->pdata, table->columns->len, NULL);
  for (guint r = 0; r < store_table_n_rows (table); r++)
    csv_write_row (csv, g_ptr_array_index (table->rows, r), table->columns->len, NULL);
}

/* A plain JSON number: -?(0|[1-9]digits)(.digits)?, at most 15 digits. */
static gboolean
json_is_number (const char *text)
{
  const char *p = text + (*text == '-');
  gsize n_digits = 0;

  if (!g_ascii_isdigit (*p) || (p[0] == '0' && g_ascii_isdigit (p[1])))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    n_digits++;
  if (*p == '.')
    {
      if (!g_ascii_isdigit (p[1]))
        return FALSE;
      for (p++; g_ascii_isdigit (*p); p++)
        n_digits++;
    }
  return *p == '\0' && n_digits <= 15;
}

/* Text whatever it looks like. */
static const char *const text_columns[] = {
  "report_id", "org_name", "reporter", "fo", "source", "domain", "header_from",
  "envelope_from", "envelope_to", "reason", "comments", "override_comments", "path",
};

static gboolean
json_column_is_number (const StoreTable *table, guint col)
{
  gboolean has_value = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (text_columns); i++)
    if (strcmp (g_ptr_array_index (table->columns, col), text_columns[i]) == 0)
      return FALSE;

  for (guint r = 0; r < store_table_n_rows (table); r++)
    {
      const char *value = ((char **) g_ptr_array_index (table->rows, r))[col];
      if (value == NULL)
        continue;
      if (!json_is_number (value))
        return FALSE;
      has_value = TRUE;
    }
  return has_value;
}

void
web_table_json (WebResponse *resp, const StoreTable *table)
{
  const guint n_cols = table->columns->len;
  g_autofree gboolean *is_number = g_new0 (gboolean, MAX (n_cols, 1));
  GString *out = resp->body;

  resp->content_type = "application/json";
  for (guint c = 0; c < n_cols; c++)
    is_number[c] = json_column_is_number (table, c);
  g_string_append_c (out, '[');
  for (guint r = 0; r < store_table_n_rows (table); r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_string_append (out, r > 0 ? ",\n{" : "\n{");
      for (guint c = 0; c < n_cols; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          json_append_string (out, g_ptr_array_index (table->columns, c));
          g_string_append_c (out, ':');
          if (row[c] == NULL)
            g_string_append (out, "null");
          else if (is_number[c])
            g_string_append (out, row[c]);
          else
            json_append_string (out, row[c]);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, store_table_n_rows (table) > 0 ? "\n]" : "]");
}
