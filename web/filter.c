/*
 * filter.c -- see filter.h.
 */
#include "web/filter.h"
#include "core/error.h"

#include <string.h>

static gboolean
filter_date (const char *name, const char *value, char **out, GError **error)
{
  if (value == NULL)
    return TRUE;
  g_autoptr (GDateTime) dt = NULL;
  if (strlen (value) == 10)
    {
      g_autofree char *iso = g_strconcat (value, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (iso, NULL);
    }
  if (dt == NULL)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "%s must be a date like 2026-10-01", name);
      return FALSE;
    }
  /* Not g_date_time_format's %Y: it does not pad, so since=0407-10-01
   * came back as "407-10-01", which neither PostgreSQL's date input nor
   * an HTML date field reads as YYYY-MM-DD (found by fuzz_http). */
  *out = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (dt),
                          g_date_time_get_month (dt), g_date_time_get_day_of_month (dt));
  return TRUE;
}

static gboolean
filter_is_identifier (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return *text != '\0' && strlen (text) <= 64;
}

gboolean
web_filter_parse (const WebRequest *req, WebFilter *f, GError **error)
{
  const char *days = web_query (req, "days");
  const char *result = web_query (req, "result");
  const char *sort = web_query (req, "sort");
  const char *dir = web_query (req, "dir");
  const char *from = web_query (req, "from");
  const char *org = web_query (req, "org");
  const char *page = web_query (req, "page");

  memset (f, 0, sizeof *f);
  f->days = 30;
  f->page = 1;
  if (page != NULL
      && !g_ascii_string_to_unsigned (page, 10, 1, WEB_FILTER_MAX_PAGE, &f->page, NULL))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "page must be a number from 1 to %u", WEB_FILTER_MAX_PAGE);
      return FALSE;
    }
  if (days != NULL)
    {
      guint64 n = 0;
      if (!g_ascii_string_to_unsigned (days, 10, 1, 3660, &n, NULL))
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "days must be a number from 1 to 3660");
          return FALSE;
        }
      f->days = (guint) n;
    }
  if (!filter_date ("since", web_query (req, "since"), &f->since, error)
      || !filter_date ("until", web_query (req, "until"), &f->until, error))
    return FALSE;
  if (result != NULL && strcmp (result, "pass") != 0 && strcmp (result, "fail") != 0
      && strcmp (result, "quarantine") != 0 && strcmp (result, "reject") != 0)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "result must be pass, fail, quarantine or reject");
      return FALSE;
    }
  if (sort != NULL && !filter_is_identifier (sort))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "sort must name a column");
      return FALSE;
    }
  if (from != NULL && strlen (from) > 255)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "from is too long");
      return FALSE;
    }
  f->result = g_strdup (result);
  f->sort = g_strdup (sort);
  f->descending = g_strcmp0 (dir, "desc") == 0;
  f->header_from = from ? g_ascii_strdown (from, -1) : NULL;
  f->org = org ? g_strndup (org, 255) : NULL;
  return TRUE;
}

void
web_filter_clear (WebFilter *f)
{
  g_clear_pointer (&f->since, g_free);
  g_clear_pointer (&f->until, g_free);
  g_clear_pointer (&f->header_from, g_free);
  g_clear_pointer (&f->result, g_free);
  g_clear_pointer (&f->org, g_free);
  g_clear_pointer (&f->sort, g_free);
}

char *
web_filter_days (const WebFilter *f)
{
  return g_strdup_printf ("%u", f->days);
}
