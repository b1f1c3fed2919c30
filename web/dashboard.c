/*
 * dashboard.c -- see dashboard.h.
 */
#include "web/dashboard.h"
#include "web/html.h"
#include "web/table.h"
#include "web/chart_svg.h"
#include "core/csv.h"
#include "core/error.h"

#include <string.h>

void
dashboard_append_text (GString *out, const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (html_is_bidi_control (c))
        g_string_append_printf (out, "<span class=\"ctl\">[U+%04X]</span>", c);
      else if (c < 0x80)
        {
          char ascii[2] = { (char) c, '\0' };
          html_append_text (out, ascii);
        }
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

/* TRUE when TEXT is -?digits(.digits)?; *INT_LEN_OUT counts the digits
 * before the point. */
static gboolean
is_decimal (const char *text, gsize *int_len_out)
{
  const char *p = text + (*text == '-');
  const char *digits = p;

  while (g_ascii_isdigit (*p))
    p++;
  *int_len_out = (gsize) (p - digits);
  if (*int_len_out == 0)
    return FALSE;
  if (*p == '.')
    {
      if (!g_ascii_isdigit (*++p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

void
dashboard_append_number (GString *out, const char *value)
{
  gsize int_len = 0;

  if (value == NULL)
    {
      g_string_append (out, "–");
      return;
    }
  if (!is_decimal (value, &int_len))
    {
      dashboard_append_text (out, value);
      return;
    }
  const char *p = value;
  if (*p == '-')
    g_string_append_c (out, *p++);
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, p[i]);
    }
  g_string_append (out, p + int_len);
}

void
dashboard_append_percent (GString *out, const char *value)
{
  dashboard_append_number (out, value);
  if (value != NULL)
    g_string_append (out, " %");
}

char *
dashboard_download_name (const char *name)
{
  char *safe = g_strdup (name != NULL && *name != '\0' ? name : "table.csv");

  for (char *p = safe; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  return safe;
}

/* Answers an error from the store: 400 for a usage error (a sort column
 * the table does not have), else 500. */
static void
dashboard_fail (Dashboard *dash, WebResponse *resp, const GError *error)
{
  if (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE))
    {
      web_response_error (dash->req, resp, 400, error->message);
      return;
    }
  g_warning ("%s: %s", dash->req->path, error->message);
  web_response_error (dash->req, resp, 500, "the database could not answer; see the server log");
}

static gboolean
dashboard_bad (Dashboard *dash, WebResponse *resp, const char *message)
{
  web_response_error (dash->req, resp, 400, message);
  return FALSE;
}

gboolean
dashboard_init (Dashboard *dash, WebRequest *req, WebResponse *resp,
                const DashboardTableSpec *specs, gsize n_specs,
                const char *domain, const char *source, const char *base_path)
{
  g_autoptr (GError) error = NULL;
  const char *table = web_query (req, "table");

  memset (dash, 0, sizeof *dash);
  dash->req = req;
  dash->specs = specs;
  dash->n_specs = n_specs;
  dash->base_path = g_strdup (base_path);
  dash->tables = g_new0 (StoreTable *, n_specs);
  if (!web_filter_parse (req, &dash->filter, &error))
    return dashboard_bad (dash, resp, error->message);
  for (dash->target = 0; table != NULL && dash->target < n_specs; dash->target++)
    if (strcmp (specs[dash->target].name, table) == 0)
      break;
  if (dash->target == n_specs)
    return dashboard_bad (dash, resp, "table: this page has no such table");
  if (dash->filter.sort != NULL
      && !query_dashboard_has_column (specs[dash->target].table, dash->filter.sort))
    return dashboard_bad (dash, resp, "sort: the table has no such column");

  DashQuery *q = &dash->query;
  q->domain = domain;
  q->source = source;
  q->days = dash->filter.days;
  q->since = dash->filter.since;
  q->until = dash->filter.until;
  q->header_from = dash->filter.header_from;
  q->result = dash->filter.result;
  return TRUE;
}

void
dashboard_clear (Dashboard *dash)
{
  for (gsize i = 0; dash->tables != NULL && i < dash->n_specs; i++)
    store_table_free (dash->tables[i]);
  g_clear_pointer (&dash->tables, g_free);
  g_clear_pointer (&dash->base_path, g_free);
  web_filter_clear (&dash->filter);
}

const StoreTable *
dashboard_table (Dashboard *dash, WebResponse *resp, gsize i)
{
  g_autoptr (GError) error = NULL;
  DashQuery q = dash->query;

  if (dash->tables[i] != NULL)
    return dash->tables[i];
  if (i == dash->target)
    {
      q.sort = dash->filter.sort;
      q.descending = dash->filter.descending;
    }
  if (dash->req->format == WEB_FORMAT_HTML)
    q.limit = dash->specs[i].html_limit;
  dash->tables[i] = query_dashboard_table (dash->req->store, dash->specs[i].table, &q, &error);
  if (dash->tables[i] == NULL)
    dashboard_fail (dash, resp, error);
  return dash->tables[i];
}

static gboolean
dashboard_answer_json (Dashboard *dash, WebResponse *resp)
{
  if (web_query (dash->req, "table") != NULL)
    {
      const StoreTable *table = dashboard_table (dash, resp, dash->target);
      if (table != NULL)
        web_table_json (resp, table);
      return TRUE;
    }
  g_string_append_c (resp->body, '{');
  for (gsize i = 0; i < dash->n_specs; i++)
    {
      const StoreTable *table = dashboard_table (dash, resp, i);
      if (table == NULL)
        return TRUE;
      g_string_append_printf (resp->body, "%s\n\"%s\": ", i > 0 ? "," : "", dash->specs[i].name);
      web_table_json (resp, table);
    }
  g_string_append (resp->body, "\n}\n");
  return TRUE;
}

/* A CSV answer streamed from a cursor: one FETCH batch and about one
 * block of formatted rows in memory, whatever the number of rows. */
typedef struct
{
  DashCursor *cursor;   /* owned; its Store is lent to the stream by the server */
  CsvWriter *csv;       /* owned; formats into pending */
  GString *pending;     /* owned: bytes formatted, not yet sent */
  gboolean is_done;
} CsvStream;

static gboolean
csv_stream_append (const char *data, gsize len, gpointer pending, GError **error G_GNUC_UNUSED)
{
  g_string_append_len (pending, data, (gssize) len);
  return TRUE;
}

static void
csv_stream_free (gpointer data)
{
  CsvStream *s = data;

  query_dashboard_close (s->cursor);
  csv_writer_free (s->csv);
  g_string_free (s->pending, TRUE);
  g_free (s);
}

static gssize
csv_stream_read (gpointer data, char *buf, gsize max)
{
  CsvStream *s = data;
  const char *const *values;
  gsize n;

  while (s->pending->len < max && !s->is_done)
    {
      g_autoptr (GError) error = NULL;
      if (query_dashboard_next (s->cursor, &values, &n, &error))
        csv_write_row (s->csv, values, n, NULL);
      else if (error != NULL)
        {
          g_warning ("streaming a CSV: %s", error->message);
          return -1;
        }
      else
        s->is_done = TRUE;
    }
  gsize len = MIN (max, s->pending->len);
  memcpy (buf, s->pending->str, len);
  g_string_erase (s->pending, 0, (gssize) len);
  return (gssize) len;
}

/* The target table as a streamed CSV, in the order asked for. */
static void
dashboard_answer_csv (Dashboard *dash, WebResponse *resp, const char *download_prefix)
{
  g_autoptr (GError) error = NULL;
  DashQuery q = dash->query;
  const char *const *columns;
  const QueryColumnKind *kinds;
  gsize n;

  q.sort = dash->filter.sort;
  q.descending = dash->filter.descending;
  DashCursor *cursor = query_dashboard_open (dash->req->store, dash->specs[dash->target].table,
                                             &q, &error);
  if (cursor == NULL)
    {
      dashboard_fail (dash, resp, error);
      return;
    }
  CsvStream *s = g_new0 (CsvStream, 1);
  s->cursor = cursor;
  s->pending = g_string_sized_new (64 * 1024);
  s->csv = csv_writer_new (csv_stream_append, s->pending);
  columns = query_dashboard_columns (cursor, &kinds, &n);
  csv_write_row (s->csv, columns, n, NULL);
  g_autofree char *name = g_strdup_printf ("%s-%s.csv", download_prefix,
                                           dash->specs[dash->target].name);
  resp->content_type = "text/csv; charset=utf-8";
  g_free (resp->download_name);
  resp->download_name = dashboard_download_name (name);
  resp->stream = csv_stream_read;
  resp->stream_data = s;
  resp->stream_free = csv_stream_free;
}

gboolean
dashboard_answer_data (Dashboard *dash, WebResponse *resp, const char *download_prefix)
{
  if (dash->req->format == WEB_FORMAT_JSON)
    return dashboard_answer_json (dash, resp);
  if (dash->req->format != WEB_FORMAT_CSV)
    return FALSE;
  dashboard_answer_csv (dash, resp, download_prefix);
  return TRUE;
}

char *
dashboard_csv_href (const Dashboard *dash, gsize i)
{
  g_auto (GStrv) parts = g_strsplit (dash->req->query_string ? dash->req->query_string : "", "&", -1);
  GString *href = g_string_new (dash->base_path);

  g_string_append (href, ".csv?");
  for (char **p = parts; *p != NULL; p++)
    {
      g_autofree char *key = g_strndup (*p, strcspn (*p, "="));
      if (**p != '\0' && strcmp (key, "table") != 0 && strcmp (key, "sort") != 0
          && strcmp (key, "dir") != 0)
        g_string_append_printf (href, "%s&", *p);
    }
  if (i > 0)
    g_string_append_printf (href, "table=%s&", dash->specs[i].name);
  if (i == dash->target && dash->filter.sort != NULL)
    g_string_append_printf (href, "sort=%s&dir=%s&", dash->filter.sort,
                            dash->filter.descending ? "desc" : "asc");
  g_string_truncate (href, href->len - 1);   /* the last '&' or '?' */
  return g_string_free (href, FALSE);
}

static void
form_option (GString *out, const char *value, const char *label, gboolean is_selected)
{
  g_string_append (out, "<option value=\"");
  html_append_text (out, value);
  g_string_append_printf (out, "\"%s>", is_selected ? " selected" : "");
  html_append_text (out, label);
  g_string_append (out, "</option>");
}

static void
form_input (GString *out, const char *label, const char *type, const char *name,
            const char *value)
{
  g_string_append_printf (out, "<label>%s <input type=\"%s\" name=\"%s\" value=\"", label, type, name);
  html_append_text (out, value != NULL ? value : "");
  g_string_append (out, "\"></label>\n");
}

void
dashboard_filter_form (const Dashboard *dash, GString *out)
{
  static const guint day_choices[] = { 7, 14, 30, 90, 365 };
  static const char *const results[] = { "pass", "fail", "quarantine", "reject" };
  const WebFilter *f = &dash->filter;
  gboolean is_listed = FALSE;

  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"");
  html_append_text (out, dash->base_path);
  g_string_append (out, "\">\n<label>Period <select name=\"days\">");
  for (gsize i = 0; i < G_N_ELEMENTS (day_choices); i++)
    {
      g_autofree char *value = g_strdup_printf ("%u", day_choices[i]);
      g_autofree char *label = g_strdup_printf ("last %u days of data", day_choices[i]);
      is_listed |= f->days == day_choices[i];
      form_option (out, value, label, f->days == day_choices[i]);
    }
  if (!is_listed)
    {
      g_autofree char *value = web_filter_days (f);
      g_autofree char *label = g_strdup_printf ("last %s days of data", value);
      form_option (out, value, label, TRUE);
    }
  g_string_append (out, "</select></label>\n");
  form_input (out, "or since", "date", "since", f->since);
  form_input (out, "until (exclusive)", "date", "until", f->until);
  form_input (out, "Header from", "text", "from", f->header_from);
  g_string_append (out, "<label>Result <select name=\"result\">");
  form_option (out, "", "any", f->result == NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (results); i++)
    form_option (out, results[i], results[i], g_strcmp0 (f->result, results[i]) == 0);
  g_string_append (out, "</select></label>\n<button type=\"submit\">Apply</button>\n</form>\n");
}

void
dashboard_append_period (const Dashboard *dash, GString *out, const StoreTable *period)
{
  const char *first = store_table_get (period, 0, "first_day");
  const char *last = store_table_get (period, 0, "last_day");

  g_string_append (out, "<p class=\"period\">");
  if (first == NULL && last == NULL)
    g_string_append (out, "All dates");
  else
    {
      html_append_text (out, first != NULL ? first : "…");
      g_string_append (out, " – ");
      html_append_text (out, last != NULL ? last : "…");
    }
  if (dash->filter.since == NULL)
    g_string_append_printf (out, " (the last %u days of data)", dash->filter.days);
  g_string_append (out, ", UTC");
  if (dash->filter.header_from != NULL)
    {
      g_string_append (out, "; header from ");
      dashboard_append_text (out, dash->filter.header_from);
    }
  if (dash->filter.result != NULL)
    g_string_append_printf (out, "; result %s", dash->filter.result);
  g_string_append (out, "</p>\n");
}

void
dashboard_card (GString *out, const char *value_html, const char *label,
                const char *badge_class, const char *badge_text)
{
  g_string_append_printf (out, "<div class=\"card\"><span class=\"value\">%s</span>"
                          "<span class=\"label\">", value_html);
  html_append_text (out, label);
  g_string_append (out, "</span>");
  if (badge_class != NULL)
    {
      g_string_append_printf (out, "<span class=\"badge %s\">", badge_class);
      html_append_text (out, badge_text);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</div>\n");
}

void
dashboard_pass_card (GString *out, const char *pct, const char *label)
{
  g_autoptr (GString) value = g_string_new (NULL);
  double n = pct != NULL ? g_ascii_strtod (pct, NULL) : 0.0;

  dashboard_append_percent (value, pct);
  if (pct == NULL)
    dashboard_card (out, value->str, label, NULL, NULL);
  else
    dashboard_card (out, value->str, label, n >= 98.0 ? "good" : n >= 90.0 ? "warn" : "bad",
                    n >= 98.0 ? "healthy" : n >= 90.0 ? "some mail fails" : "much mail fails");
}

/* The first and last day of DAILY, which is in any order. */
static void
daily_span (const StoreTable *daily, const char **first_out, const char **last_out)
{
  for (guint r = 0; r < store_table_n_rows (daily); r++)
    {
      const char *day = store_table_get (daily, r, "day");
      if (day == NULL)
        continue;
      if (*first_out == NULL || strcmp (day, *first_out) < 0)
        *first_out = day;
      if (*last_out == NULL || strcmp (day, *last_out) > 0)
        *last_out = day;
    }
}

void
dashboard_daily_chart (GString *out, const StoreTable *daily, const StoreTable *period,
                       const char *label)
{
  static const char *const columns[CHART_N_SERIES] = { "pass", "fail", "quarantined", "rejected" };
  const char *first = store_table_get (period, 0, "first_day");
  const char *last = store_table_get (period, 0, "last_day");

  g_autoptr (ChartDaily) chart = chart_daily_new (first, last);

  if (chart == NULL)   /* no period, or one longer than a chart draws */
    {
      first = last = NULL;
      daily_span (daily, &first, &last);
      chart = chart_daily_new (first, last);
    }
  if (chart == NULL || store_table_n_rows (daily) == 0)
    {
      g_string_append (out, "<p class=\"empty\">No messages in this period.</p>\n");
      return;
    }
  for (guint r = 0; r < store_table_n_rows (daily); r++)
    for (int s = 0; s < CHART_N_SERIES; s++)
      {
        const char *n = store_table_get (daily, r, columns[s]);
        chart_daily_add (chart, store_table_get (daily, r, "day"), (ChartSeries) s,
                         n != NULL ? g_ascii_strtoull (n, NULL, 10) : 0);
      }
  chart_svg_daily (out, chart, label);
}
