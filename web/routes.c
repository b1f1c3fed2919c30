/*
 * routes.c -- the URL space.  Users bookmark these paths; they are stable:
 *
 *   /                                overview of all domains
 *   /domains/DOMAIN                  one domain
 *   /domains/DOMAIN/dns              the domain's DNS check and its history
 *   /domains/DOMAIN/sources/SOURCE   one source (an IP or a sending organisation)
 *   /reports, /reports/ID            report list, one report
 *   /failures                        ingest failures
 *   /healthz                         liveness and database check (text)
 *   /static/NAME                     our stylesheet
 *
 * Each page's main table is also at the same path plus ".csv" (same query
 * string), and as JSON under "/api" + the same path.
 */
#include "web/web.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/static.h"
#include "core/error.h"
#include "core/log.h"
#include "core/json.h"
#include "store/table.h"

#include <string.h>

const char *
web_query (const WebRequest *req, const char *name)
{
  const char *value = req->query ? g_hash_table_lookup (req->query, name) : NULL;
  return value != NULL && *value != '\0' ? value : NULL;
}

void
web_response_error (WebRequest *req, WebResponse *resp, guint status, const char *message)
{
  resp->status = status;
  g_string_truncate (resp->body, 0);
  if (req->format == WEB_FORMAT_JSON)
    {
      resp->content_type = "application/json";
      g_string_append (resp->body, "{\"error\": ");
      json_append_string (resp->body, message);
      g_string_append_printf (resp->body, ", \"status\": %u}\n", status);
      return;
    }
  if (req->format == WEB_FORMAT_CSV)
    {
      resp->content_type = "text/plain; charset=utf-8";
      g_string_append_printf (resp->body, "%u: %s\n", status, message);
      return;
    }
  resp->content_type = "text/html; charset=utf-8";
  g_autofree char *title = g_strdup_printf ("%u", status);
  html_page_begin (resp->body, title, NULL);
  g_string_append (resp->body, "<h1>");
  html_append_text (resp->body, message);
  g_string_append (resp->body, "</h1>\n<p><a href=\"/\">Back to the overview</a></p>\n");
  html_page_end (resp->body);
}

void
web_response_query_error (WebRequest *req, WebResponse *resp, const GError *error)
{
  if (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE))
    {
      web_response_error (req, resp, 400, error->message);
      return;
    }
  g_autofree char *safe_path = log_safe_str (req->path);
  g_autofree char *safe = log_safe_str (error->message);
  g_warning ("http: %s: %s", safe_path, safe);
  web_response_error (req, resp, error_is_transient (error) ? 503 : 500,
                      "the database could not answer");
}

char *
web_href_with_args (const WebRequest *req, const char *path,
                    const char *const *args, gsize n_args, guint64 page)
{
  GString *href = g_string_new (path);
  char sep = '?';

  for (gsize i = 0; i < n_args; i++)
    {
      const char *value = web_query (req, args[i]);
      if (value == NULL)
        continue;
      g_string_append_printf (href, "%c%s=", sep, args[i]);
      html_append_url_component (href, value);
      sep = '&';
    }
  if (page > 1)
    g_string_append_printf (href, "%cpage=%" G_GUINT64_FORMAT, sep, page);
  return g_string_free (href, FALSE);
}

static void
web_healthz (WebRequest *req, WebResponse *resp)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StoreTable) one = req->store ? store_table_query (req->store, "health check",
                                                              "SELECT 1", 0, NULL, &error)
                                          : NULL;
  resp->content_type = "text/plain; charset=utf-8";
  if (one == NULL)
    {
      resp->status = 503;
      g_string_append (resp->body, "database unavailable\n");
      return;
    }
  g_string_append (resp->body, "ok\n");
}

/* Strips "/api" (JSON) and ".csv" (CSV) and sets REQ->format.
 * (transfer full) the route path */
static char *
web_route_path (WebRequest *req)
{
  const char *path = req->path;
  req->format = WEB_FORMAT_HTML;
  if (g_str_has_prefix (path, "/api/") || strcmp (path, "/api") == 0)
    {
      req->format = WEB_FORMAT_JSON;
      path += 4;
      if (*path == '\0')
        path = "/";
    }
  char *route = g_strdup (path);
  gsize len = strlen (route);
  if (req->format == WEB_FORMAT_HTML && len > 4 && g_str_has_suffix (route, ".csv"))
    {
      req->format = WEB_FORMAT_CSV;
      route[len - 4] = '\0';
    }
  /* "/reports/" and "/reports" are the same page. */
  len = strlen (route);
  if (len > 1 && route[len - 1] == '/')
    route[len - 1] = '\0';
  return route;
}

void
web_dispatch (WebRequest *req, WebResponse *resp)
{
  g_autofree char *route = web_route_path (req);
  g_auto (GStrv) seg = g_strsplit (route + 1, "/", 6);
  guint n = g_strv_length (seg);
  req->route_path = route;

  if (n == 0 || (n == 1 && *seg[0] == '\0'))
    page_overview (req, resp);
  else if (n == 1 && strcmp (seg[0], "healthz") == 0)
    web_healthz (req, resp);
  else if (n == 2 && strcmp (seg[0], "static") == 0 && req->format == WEB_FORMAT_HTML)
    static_serve (req, resp, seg[1]);
  else if (n == 2 && strcmp (seg[0], "domains") == 0 && *seg[1] != '\0')
    page_domain (req, resp, seg[1]);
  else if (n == 3 && strcmp (seg[0], "domains") == 0 && strcmp (seg[2], "dns") == 0
           && *seg[1] != '\0')
    page_dns (req, resp, seg[1]);
  else if (n == 4 && strcmp (seg[0], "domains") == 0 && strcmp (seg[2], "sources") == 0
           && *seg[1] != '\0' && *seg[3] != '\0')
    page_source (req, resp, seg[1], seg[3]);
  else if (n == 1 && strcmp (seg[0], "reports") == 0)
    page_reports (req, resp);
  else if (n == 2 && strcmp (seg[0], "reports") == 0 && *seg[1] != '\0')
    page_report (req, resp, seg[1]);
  else if (n == 1 && strcmp (seg[0], "failures") == 0)
    page_failures (req, resp);
  else
    web_response_error (req, resp, 404, "no such page");
  req->route_path = NULL;
}
