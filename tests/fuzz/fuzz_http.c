/*
 * fuzz_http.c -- what the dashboard does with a request before any page
 * touches the database: the request target, the filters, the links built
 * from them, the error page, static files, and the Bearer check.
 *
 * Input: the raw request target ("/reports?days=7&org=x"), then
 * optionally a newline and an Authorization header value.  server.c's
 * server_answer() runs, in order, request_parse_target(), auth_allows()
 * and web_dispatch(); the MHD callbacks themselves need a live connection,
 * so this target calls the pure functions they call, the same way:
 *
 *   - request_parse_target(): 0 or 400/414; on 0, a path and arguments
 *     that are valid UTF-8 without control characters, at most 2 KiB
 *     each, at most 64 arguments, and a query string made only of URI
 *     characters (request.h);
 *   - web_filter_parse() over those arguments: values within the ranges of
 *     filter.h, or a usage error;
 *   - web_href_with_args() keeping every filter argument: a link with
 *     nothing but URI characters;
 *   - web_dispatch() for /static/ paths and /healthz, the only ones
 *     server_dispatch() serves without a database connection;
 *   - web_response_error() with the decoded path in each format, and
 *     html_escape(): nothing of the input survives as markup;
 *   - auth_check_bearer() against a configured token: TRUE exactly when
 *     the header is "Bearer" (any case), spaces, and the token.
 */
#include "tests/fuzz/fuzz.h"
#include "core/config.h"
#include "core/error.h"
#include "web/auth.h"
#include "web/filter.h"
#include "web/html.h"
#include "web/request.h"
#include "web/web.h"

#include <string.h>

#define FUZZ_HTTP_TOKEN "fuzz-token-0123456789abcdef"

static const char *const filter_keys[] = {
  "days", "since", "until", "from", "result", "org", "sort", "dir", "page", "table",
};

/* The Auth every request is checked against: a token, no password (a
 * crypt(3) check per input would be all the fuzzer ever ran). */
static const Auth *
fuzz_http_auth (void)
{
  static Auth *auth = NULL;

  if (auth == NULL)
    {
      g_autoptr (Config) config = config_load (NULL, NULL);
      g_key_file_set_string (config->key_file, "web", "token", FUZZ_HTTP_TOKEN);
      auth = auth_new (config, NULL);
      fuzz_check (auth != NULL, "auth_new() failed on a plain token");
    }
  return auth;
}

static gboolean
is_uri_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-._~!$&'()*+,;=:@/?%", c) != NULL);
}

static void
check_decoded (const char *text)
{
  fuzz_check (strlen (text) <= 2048, "a decoded value over 2 KiB");
  fuzz_check (g_utf8_validate (text, -1, NULL), "a decoded value that is not UTF-8");
  for (const char *p = text; *p != '\0'; p++)
    fuzz_check ((unsigned char) *p >= 0x20 && *p != 0x7f, "a control character in a decoded value");
}

static gboolean
is_date (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static void
fuzz_http_filter (const WebRequest *req)
{
  g_auto (WebFilter) filter = { 0 };
  g_autoptr (GError) error = NULL;

  if (!web_filter_parse (req, &filter, &error))
    {
      fuzz_check (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE),
                  "a bad filter that is not a usage error (400)");
      fuzz_check (fuzz_text_is_printable (error->message), "a filter error that is not printable");
      return;
    }
  fuzz_check (filter.days >= 1 && filter.days <= 3660, "days outside 1..3660");
  fuzz_check (filter.page >= 1 && filter.page <= WEB_FILTER_MAX_PAGE, "page outside its range");
  fuzz_check (is_date (filter.since) && is_date (filter.until), "a date not like 2026-10-01");
  fuzz_check (filter.result == NULL || strcmp (filter.result, "pass") == 0
              || strcmp (filter.result, "fail") == 0 || strcmp (filter.result, "quarantine") == 0
              || strcmp (filter.result, "reject") == 0, "a result outside its set");
  if (filter.sort != NULL)
    for (const char *p = filter.sort; *p != '\0'; p++)
      fuzz_check (g_ascii_isalnum (*p) || *p == '_', "a sort that is not an identifier");
  fuzz_check (filter.header_from == NULL || strlen (filter.header_from) <= 255, "from over 255 bytes");
  g_autofree char *days = web_filter_days (&filter);
  fuzz_check (days != NULL && g_ascii_isdigit (days[0]), "days as text is not a number");

  g_autofree char *href = web_href_with_args (req, "/reports", filter_keys,
                                              G_N_ELEMENTS (filter_keys), filter.page);
  for (const char *p = href; *p != '\0'; p++)
    fuzz_check (g_ascii_isalnum (*p) || strchr ("-._~%/?=&", *p) != NULL,
                "a link with a character that needs escaping");
}

/* Nothing the client sent may come out as markup or break out of JSON. */
static void
fuzz_http_error_pages (WebRequest *req, const char *path)
{
  const WebFormat formats[] = { WEB_FORMAT_HTML, WEB_FORMAT_JSON, WEB_FORMAT_CSV };
  g_autofree char *escaped = html_escape (path);

  fuzz_check (strpbrk (escaped, "<>\"'") == NULL, "html_escape() left markup");
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      WebResponse resp = { .status = 200, .body = g_string_new (NULL) };
      req->format = formats[i];
      web_response_error (req, &resp, 404, path);
      fuzz_check (resp.status == 404 && resp.content_type != NULL, "an error page without status or type");
      if (formats[i] == WEB_FORMAT_JSON)
        fuzz_check (g_utf8_validate (resp.body->str, (gssize) resp.body->len, NULL)
                    && strpbrk (resp.body->str, "<>\n\r") == resp.body->str + resp.body->len - 1,
                    "JSON error body with markup or a raw line break inside");
      g_string_free (resp.body, TRUE);
    }
  req->format = WEB_FORMAT_HTML;
}

/* What server_dispatch() serves without a Store. */
static void
fuzz_http_dispatch (WebRequest *req, const char *path)
{
  if (!g_str_has_prefix (path, "/static/") && strcmp (path, "/healthz") != 0)
    return;
  WebResponse resp = { .status = 200, .body = g_string_new (NULL) };
  web_dispatch (req, &resp);
  fuzz_check (resp.stream == NULL, "a stream without a Store");
  fuzz_check (resp.status == 200 || resp.status == 404 || resp.status == 503,
              "an unexpected status for a static file or the health check");
  if (resp.stream_free != NULL)
    resp.stream_free (resp.stream_data);
  g_free (resp.download_name);
  g_string_free (resp.body, TRUE);
}

static void
fuzz_http_bearer (const char *header)
{
  gboolean got = auth_check_bearer (fuzz_http_auth (), header);
  gboolean want = FALSE;

  if (g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    {
      const char *token = header + 7;
      while (*token == ' ')
        token++;
      want = strcmp (token, FUZZ_HTTP_TOKEN) == 0;
    }
  fuzz_check (got == want, "auth_check_bearer() disagrees with the header");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *input = fuzz_strndup (data, size);
  char *newline = strchr (input, '\n');
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autoptr (GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (newline != NULL)
    {
      *newline = '\0';
      fuzz_http_bearer (newline + 1);
    }
  guint status = request_parse_target (input, &path, args, &query);
  if (status != 0)
    {
      fuzz_check (status == 400 || status == 414, "a status other than 400 or 414");
      fuzz_check (path == NULL && query == NULL, "outputs set on a refused target");
      return 0;
    }
  check_decoded (path);
  fuzz_check (path[0] == '/', "a path not starting with /");
  fuzz_check (g_hash_table_size (args) <= 64, "more than 64 query arguments");
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, args);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      check_decoded (key);
      check_decoded (value);
    }
  for (const char *p = query; *p != '\0'; p++)
    fuzz_check (is_uri_char (*p), "a query string with a character outside RFC 3986");

  WebRequest req = { .method = "GET", .path = path, .query = args, .query_string = query };
  fuzz_http_filter (&req);
  fuzz_http_error_pages (&req, path);
  fuzz_http_dispatch (&req, path);
  return 0;
}
