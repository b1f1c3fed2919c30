/*
 * test_web.c -- the web layer's pure parts: HTML escaping, URL components,
 * the filters of the query string, the download-name sanitizer, the
 * authentication checks, listen addresses and the static assets.
 *
 * Table-driven, got/want.  The HTTP server itself is tested end to end by
 * tests/integration/serve.t.
 */
#include "web/auth.h"
#include "web/filter.h"
#include "web/html.h"
#include "web/page_cache.h"
#include "web/request.h"
#include "web/response.h"
#include "web/server.h"
#include "web/static.h"
#include "core/error.h"

#include <crypt.h>
#include <string.h>

typedef struct
{
  const char *in, *want;
} TextCase;

static void
check_text (const char *what, const char *in, const char *got, const char *want)
{
  if (g_strcmp0 (got, want) != 0)
    {
      g_autofree char *g = g_strescape (got ? got : "(null)", NULL);
      g_autofree char *w = g_strescape (want ? want : "(null)", NULL);
      g_autofree char *i = g_strescape (in ? in : "(null)", NULL);
      g_test_message ("%s(\"%s\"): got \"%s\", want \"%s\"", what, i, g, w);
      g_test_fail ();
    }
}

/* ---- html ---- */

static const TextCase escape_cases[] = {
  { "plain text", "plain text" },
  { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
  { "a & b", "a &amp; b" },
  { "\"double\" 'single'", "&quot;double&quot; &#39;single&#39;" },
  { "\" onmouseover=\"x", "&quot; onmouseover=&quot;x" },
  { "&amp;", "&amp;amp;" },
  /* An RTL override is text, not markup: it passes unchanged (the page's
   * dir and the surrounding tags are not affected by it). */
  { "\xe2\x80\xae" "gnp.exe", "\xe2\x80\xae" "gnp.exe" },
  { "Zürich 日本", "Zürich 日本" },
  { "", "" },
};

static void
test_html_escape (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (escape_cases); i++)
    {
      g_autoptr (GString) out = g_string_new ("[");
      html_append_text (out, escape_cases[i].in);
      g_string_append_c (out, ']');
      g_autofree char *want = g_strdup_printf ("[%s]", escape_cases[i].want);
      check_text ("html_append_text", escape_cases[i].in, out->str, want);
      g_autofree char *escaped = html_escape (escape_cases[i].in);
      check_text ("html_escape", escape_cases[i].in, escaped, escape_cases[i].want);
    }
  g_autoptr (GString) out = g_string_new ("x");
  html_append_text (out, NULL);
  check_text ("html_append_text", NULL, out->str, "x");
}

static const TextCase url_cases[] = {
  { "example.com", "example.com" },
  { "a b/c?d&e=f#g", "a%20b%2Fc%3Fd%26e%3Df%23g" },
  { "192.0.2.1", "192.0.2.1" },
  { "2001:db8::1", "2001%3Adb8%3A%3A1" },
  { "-._~", "-._~" },
  { "\"><script>", "%22%3E%3Cscript%3E" },
  { "ü", "%C3%BC" },
  { "100%", "100%25" },
};

static void
test_html_url_component (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      html_append_url_component (out, url_cases[i].in);
      check_text ("html_append_url_component", url_cases[i].in, out->str, url_cases[i].want);
    }
}

/* ---- the request target ---- */

typedef struct
{
  const char *raw;
  guint status;        /* 0: accepted */
  const char *path;
  const char *args;    /* sorted "k=v;k=v" */
  const char *query;
} TargetCase;

static const TargetCase target_cases[] = {
  { "/", 0, "/", "", "" },
  { "/reports?days=7", 0, "/reports", "days=7", "days=7" },
  { "/domains/ex%61mple.com", 0, "/domains/example.com", "", "" },
  { "/x?org=Google+LLC&since=2024-05-01", 0, "/x", "org=Google LLC;since=2024-05-01",
    "org=Google+LLC&since=2024-05-01" },
  { "/x?a=1&a=2", 0, "/x", "a=2", "a=1&a=2" },              /* the last wins */
  { "/x?a=1&&b=&c", 0, "/x", "a=1;b=;c=", "a=1&&b=&c" },
  { "/x?q=%3Cscript%3E", 0, "/x", "q=<script>", "q=%3Cscript%3E" },
  { "/x?q=\"><b>", 0, "/x", "q=\"><b>", "q=%22%3E%3Cb%3E" },  /* raw bytes re-encoded */
  { "/x?q=%C3%BC", 0, "/x", "q=ü", "q=%C3%BC" },
  { "/x?q=%E2%80%AE", 0, "/x", "q=\xe2\x80\xae", "q=%E2%80%AE" },   /* bidi: text, not control */
  { "/%00", 400, NULL, NULL, NULL },
  { "/x?a=%00", 400, NULL, NULL, NULL },
  { "/x?%00=a", 400, NULL, NULL, NULL },
  { "/x?a=%zz", 400, NULL, NULL, NULL },
  { "/x?a=%4", 400, NULL, NULL, NULL },
  { "/x?a=%0A", 400, NULL, NULL, NULL },
  { "/x%0D%0AX-Evil:%201", 400, NULL, NULL, NULL },
  { "/x?a=%7F", 400, NULL, NULL, NULL },
  { "/x?a=%C3%28", 400, NULL, NULL, NULL },
  { "/x?a=%FF", 400, NULL, NULL, NULL },
  { "http://example.com/", 400, NULL, NULL, NULL },
  { "*", 400, NULL, NULL, NULL },
  { "", 400, NULL, NULL, NULL },
};

static char *
describe_args (GHashTable *args)
{
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (args), (GCompareFunc) strcmp);
  GString *out = g_string_new (NULL);

  for (GList *k = keys; k != NULL; k = k->next)
    {
      g_string_append_printf (out, "%s%s=%s", out->len ? ";" : "", (char *) k->data,
                              (char *) g_hash_table_lookup (args, k->data));
    }
  return g_string_free (out, FALSE);
}

static void
test_request_target (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (target_cases); i++)
    {
      const TargetCase *c = &target_cases[i];
      g_autoptr (GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autofree char *path = NULL;
      g_autofree char *query = NULL;
      guint status = request_parse_target (c->raw, &path, args, &query);

      if (status != c->status)
        {
          g_test_message ("request_parse_target(\"%s\"): got %u, want %u", c->raw, status, c->status);
          g_test_fail ();
          continue;
        }
      if (status != 0)
        continue;
      g_autofree char *got_args = describe_args (args);
      check_text ("request_parse_target path", c->raw, path, c->path);
      check_text ("request_parse_target args", c->raw, got_args, c->args);
      check_text ("request_parse_target query", c->raw, query, c->query);
    }
}

static void
test_request_limits (void)
{
  g_autofree char *long_value = g_strnfill (2049, 'a');
  g_autofree char *ok_value = g_strnfill (2048, 'a');
  g_autofree char *long_path = g_strconcat ("/", long_value, NULL);
  g_autofree char *long_arg = g_strconcat ("/x?a=", long_value, NULL);
  g_autofree char *ok_arg = g_strconcat ("/x?a=", ok_value, NULL);
  g_autofree char *huge = g_strnfill (8 * 1024 + 1, 'a');
  g_autoptr (GString) many = g_string_new ("/x?");
  for (int i = 0; i < 65; i++)
    g_string_append_printf (many, "a%d=1&", i);
  const struct { const char *raw; guint want; } cases[] = {
    { long_path, 414 }, { long_arg, 414 }, { ok_arg, 0 }, { many->str, 400 },
  };
  huge[0] = '/';

  for (gsize i = 0; i < G_N_ELEMENTS (cases) + 1; i++)
    {
      g_autoptr (GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autofree char *path = NULL;
      g_autofree char *query = NULL;
      const char *raw = i < G_N_ELEMENTS (cases) ? cases[i].raw : huge;
      guint want = i < G_N_ELEMENTS (cases) ? cases[i].want : 414;
      g_assert_cmpuint (request_parse_target (raw, &path, args, &query), ==, want);
    }
}

/* ---- filters ---- */

typedef struct
{
  const char *query;      /* "k=v&k=v", already decoded */
  gboolean ok;
  const char *want;       /* the filter as "days|since|until|from|result|org|sort|desc|page" */
} FilterCase;

static const FilterCase filter_cases[] = {
  { "", TRUE, "30|||||||asc|1" },
  { "days=7", TRUE, "7|||||||asc|1" },
  { "days=3660", TRUE, "3660|||||||asc|1" },
  { "since=2024-05-01&until=2024-06-01", TRUE, "30|2024-05-01|2024-06-01|||||asc|1" },
  { "from=Example.COM", TRUE, "30|||example.com||||asc|1" },
  { "result=pass", TRUE, "30||||pass|||asc|1" },
  { "result=quarantine", TRUE, "30||||quarantine|||asc|1" },
  { "sort=messages&dir=desc", TRUE, "30||||||messages|desc|1" },
  { "org=Google LLC", TRUE, "30|||||Google LLC||asc|1" },
  { "days=", TRUE, "30|||||||asc|1" },   /* empty is absent */
  { "page=3", TRUE, "30|||||||asc|3" },
  { "page=1000000", TRUE, "30|||||||asc|1000000" },
  { "page=0", FALSE, NULL },
  { "page=1000001", FALSE, NULL },
  { "page=two", FALSE, NULL },
  { "days=0", FALSE, NULL },
  { "days=3661", FALSE, NULL },
  { "days=-1", FALSE, NULL },
  { "days=abc", FALSE, NULL },
  { "days=7 ", FALSE, NULL },
  { "since=2024-13-01", FALSE, NULL },
  { "since=2024-02-30", FALSE, NULL },
  { "since=yesterday", FALSE, NULL },
  { "until=2024-05-01T00:00", FALSE, NULL },
  { "result=maybe", FALSE, NULL },
  { "result=PASS", FALSE, NULL },
  { "sort=a;drop table", FALSE, NULL },
  { "sort=count(*)", FALSE, NULL },
};

static char *
filter_describe (const WebFilter *f)
{
  return g_strdup_printf ("%u|%s|%s|%s|%s|%s|%s|%s|%" G_GUINT64_FORMAT, f->days, f->since ? f->since : "",
                          f->until ? f->until : "", f->header_from ? f->header_from : "",
                          f->result ? f->result : "", f->org ? f->org : "",
                          f->sort ? f->sort : "", f->descending ? "desc" : "asc", f->page);
}

static void
test_filter_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (filter_cases); i++)
    {
      const FilterCase *c = &filter_cases[i];
      g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_auto (GStrv) pairs = g_strsplit (c->query, "&", -1);
      for (gsize p = 0; pairs[p] != NULL; p++)
        {
          g_auto (GStrv) kv = g_strsplit (pairs[p], "=", 2);
          if (kv[0] != NULL && kv[1] != NULL)
            g_hash_table_replace (query, g_strdup (kv[0]), g_strdup (kv[1]));
        }
      WebRequest req = { .method = "GET", .path = "/", .query = query, .query_string = "" };
      g_auto (WebFilter) filter = { 0 };
      g_autoptr (GError) error = NULL;
      gboolean ok = web_filter_parse (&req, &filter, &error);
      g_autofree char *got = ok ? filter_describe (&filter) : NULL;

      if (ok != c->ok)
        {
          g_test_message ("web_filter_parse(\"%s\"): got %s (%s), want %s", c->query,
                          ok ? "ok" : "error", error ? error->message : got,
                          c->ok ? "ok" : "error");
          g_test_fail ();
        }
      else if (ok)
        check_text ("web_filter_parse", c->query, got, c->want);
      else
        g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
    }
}

static void
test_filter_from_too_long (void)
{
  g_autoptr (GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *long_from = g_strnfill (256, 'a');
  g_hash_table_insert (query, "from", long_from);
  WebRequest req = { .method = "GET", .path = "/", .query = query, .query_string = "" };
  g_auto (WebFilter) filter = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (web_filter_parse (&req, &filter, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
}

/* ---- the download name ---- */

static const TextCase name_cases[] = {
  { "reports.csv", "reports.csv" },
  { "example.com-sources.csv", "example.com-sources.csv" },
  { "big \"file\"\r\nX-Evil: y.csv", "big__file___X-Evil__y.csv" },
  { "../../etc/passwd", "_.._etc_passwd" },
  { ".hidden.csv", "hidden.csv" },
  { "a;b=c\\d", "a_b_c_d" },
  { "ünï.csv", "__n__.csv" },
  { "", "download" },
  { "...", "download" },
  { NULL, "download" },
};

static void
test_download_name (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autofree char *got = response_download_name (name_cases[i].in);
      check_text ("response_download_name", name_cases[i].in, got, name_cases[i].want);
    }
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *got = response_download_name (long_name);
  g_assert_cmpuint (strlen (got), ==, 100);
}

/* ---- authentication ---- */

static char *
make_hash (const char *password, const char *setting)
{
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *hash = crypt_r (password, setting, data);
  g_assert_nonnull (hash);
  g_assert_true (hash[0] == '$');
  return g_strdup (hash);
}

static Config *
config_with (const char *key, const char *value, const char *key2, const char *value2)
{
  Config *config = config_load (NULL, NULL);
  g_assert_nonnull (config);
  if (key != NULL)
    g_key_file_set_string (config->key_file, "web", key, value);
  if (key2 != NULL)
    g_key_file_set_string (config->key_file, "web", key2, value2);
  return config;
}

static void
test_auth_equal (void)
{
  g_assert_true (auth_equal ((const guint8 *) "abcdef", (const guint8 *) "abcdef", 6));
  g_assert_false (auth_equal ((const guint8 *) "abcdef", (const guint8 *) "abcdeF", 6));
  g_assert_false (auth_equal ((const guint8 *) "Xbcdef", (const guint8 *) "abcdef", 6));
  g_assert_true (auth_equal ((const guint8 *) "a", (const guint8 *) "b", 0));
}

static void
test_auth_crypt (void)
{
  g_autofree char *sha512 = make_hash ("correct horse", "$6$saltsaltsalt$");

  g_assert_true (auth_crypt_matches (sha512, "correct horse"));
  g_assert_false (auth_crypt_matches (sha512, "correct horsE"));
  g_assert_false (auth_crypt_matches (sha512, "correct horse "));
  g_assert_false (auth_crypt_matches (sha512, ""));
  /* Not a hash: crypt_r reads it as a DES salt; the lengths differ. */
  g_assert_false (auth_crypt_matches ("garbage", "garbage"));
  g_assert_false (auth_crypt_matches ("", ""));
}

static void
test_auth_basic (void)
{
  g_autofree char *hash = make_hash ("s3cret", "$6$authbasic$");
  g_autoptr (Config) config = config_with ("password_hash", hash, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Auth) auth = auth_new (config, &error);

  g_assert_no_error (error);
  g_assert_true (auth_is_configured (auth));
  g_assert_true (auth_check_basic (auth, "admin", "s3cret"));   /* the default user */
  g_assert_false (auth_check_basic (auth, "admin", "s3cre"));
  g_assert_false (auth_check_basic (auth, "root", "s3cret"));
  g_assert_false (auth_check_basic (auth, NULL, "s3cret"));
  g_assert_false (auth_check_basic (auth, "admin", NULL));
  g_assert_false (auth_check_bearer (auth, "Bearer s3cret"));   /* no token configured */

  g_autoptr (Config) config2 = config_with ("password_hash", hash, "user", "ops");
  g_autoptr (Auth) auth2 = auth_new (config2, &error);
  g_assert_no_error (error);
  g_assert_true (auth_check_basic (auth2, "ops", "s3cret"));
  g_assert_false (auth_check_basic (auth2, "admin", "s3cret"));
}

static void
test_auth_bearer (void)
{
  const char *token = "0123456789abcdef0123";
  g_autoptr (Config) config = config_with ("token", token, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Auth) auth = auth_new (config, &error);

  g_assert_no_error (error);
  g_assert_true (auth_is_configured (auth));
  g_assert_true (auth_check_bearer (auth, "Bearer 0123456789abcdef0123"));
  g_assert_true (auth_check_bearer (auth, "bearer   0123456789abcdef0123"));
  g_assert_false (auth_check_bearer (auth, "Bearer 0123456789abcdef012"));
  g_assert_false (auth_check_bearer (auth, "Bearer 0123456789abcdef01234"));
  g_assert_false (auth_check_bearer (auth, "Basic 0123456789abcdef0123"));
  g_assert_false (auth_check_bearer (auth, "Bearer"));
  g_assert_false (auth_check_bearer (auth, NULL));
  g_assert_false (auth_check_basic (auth, "admin", token));   /* no password configured */
}

static void
test_auth_unconfigured (void)
{
  g_autoptr (Config) config = config_with ("password_hash", "  ", "token", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (Auth) auth = auth_new (config, &error);

  g_assert_no_error (error);
  g_assert_false (auth_is_configured (auth));
  g_assert_false (auth_check_bearer (auth, "Bearer "));
  g_assert_false (auth_check_basic (auth, "admin", ""));
}

static void
test_auth_bad_hash (void)
{
  const char *bad[] = { "not-a-hash", "$6$", "$6$salt", "abJnggxhB/yWI" /* DES */, "$zz$abc$def" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Config) config = config_with ("password_hash", bad[i], NULL, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (Auth) auth = auth_new (config, &error);
      if (auth != NULL)
        {
          g_test_message ("auth_new(password_hash = \"%s\"): accepted, want refused", bad[i]);
          g_test_fail ();
        }
      else
        g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
    }
}

static void
test_auth_short_token_warns (void)
{
  g_autoptr (Config) config = config_with ("token", "short", NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*token is shorter than 16*");
  g_autoptr (Auth) auth = auth_new (config, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_true (auth_check_bearer (auth, "Bearer short"));
}

/* ---- listen addresses ---- */

typedef struct
{
  const char *text;
  const char *want;       /* formatted back, NULL when refused */
  gboolean is_loopback;
} AddressCase;

static const AddressCase address_cases[] = {
  { "127.0.0.1:8080", "127.0.0.1:8080", TRUE },
  { "127.0.0.2:1", "127.0.0.2:1", TRUE },
  { "[::1]:8080", "[::1]:8080", TRUE },
  { "0.0.0.0:8080", "0.0.0.0:8080", FALSE },
  { "[::]:0", "[::]:0", FALSE },
  { "192.0.2.7:443", "192.0.2.7:443", FALSE },
  { "[2001:db8::1]:80", "[2001:db8::1]:80", FALSE },
  { "127.0.0.1", NULL, FALSE },
  { "127.0.0.1:", NULL, FALSE },
  { "127.0.0.1:65536", NULL, FALSE },
  { "127.0.0.1:-1", NULL, FALSE },
  { "127.0.0.1:80x", NULL, FALSE },
  { "localhost:8080", NULL, FALSE },
  { "::1:8080", NULL, FALSE },
  { "[127.0.0.1]:80", NULL, FALSE },
  { "[::1]8080", NULL, FALSE },
  { "[]:80", NULL, FALSE },
  { ":8080", NULL, FALSE },
  { "", NULL, FALSE },
};

static void
test_server_address (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      const AddressCase *c = &address_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (GInetSocketAddress) address = server_parse_address (c->text, &error);
      g_autofree char *got = address ? server_format_address (address, g_inet_socket_address_get_port (address))
                                     : NULL;
      check_text ("server_parse_address", c->text, got, c->want);
      if (address == NULL)
        g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
      else if (server_address_is_loopback (address) != c->is_loopback)
        {
          g_test_message ("%s: loopback %d, want %d", c->text, !c->is_loopback, c->is_loopback);
          g_test_fail ();
        }
    }
}

/* ---- static assets ---- */

static void
serve_static (const char *name, WebResponse *resp)
{
  WebRequest req = { .method = "GET", .path = "/static/", .format = WEB_FORMAT_HTML };
  resp->status = 200;
  resp->body = g_string_new (NULL);
  static_serve (&req, resp, name);
}

static void
test_static (void)
{
  WebResponse resp = { 0 };
  g_autofree char *want = NULL;
  gsize want_len = 0;

  serve_static ("style.css", &resp);
  g_assert_cmpuint (resp.status, ==, 200);
  g_assert_cmpstr (resp.content_type, ==, "text/css; charset=utf-8");
  /* tests/run.sh runs us from the top of the tree and says where it is. */
  const char *root = g_getenv ("DMARCSTAT_ROOT");
  g_autofree char *css = g_build_filename (root ? root : ".", "web", "static", "style.css", NULL);
  g_assert_true (g_file_get_contents (css, &want, &want_len, NULL));
  g_assert_cmpmem (resp.body->str, resp.body->len, want, want_len);
  g_string_free (resp.body, TRUE);

  const char *refused[] = { "../style.css", "Style.css", "style.css/", "nope.css", "style",
                            "..", "", "a/b.css", "style.css.bak" };
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      WebResponse r = { 0 };
      serve_static (refused[i], &r);
      if (r.status != 404)
        {
          g_test_message ("static_serve(\"%s\"): got %u, want 404", refused[i], r.status);
          g_test_fail ();
        }
      g_string_free (r.body, TRUE);
    }
}

/* The page cache: fresh while the data version holds; when it changes,
 * one request recomputes while the others get the previous page. */
static void
test_page_cache (void)
{
  PageCache *cache = page_cache_new (1024 * 1024);
  PageCacheEntry out = { 0 };

  g_assert_cmpint (page_cache_lookup (cache, "GET /", "1/", &out), ==, PAGE_CACHE_MISS);
  page_cache_store (cache, "GET /", "1/", "one", 3, "text/html", NULL);
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "1/", &out), ==, PAGE_CACHE_HIT);
  g_assert_cmpmem (g_bytes_get_data (out.body, NULL), g_bytes_get_size (out.body), "one", 3);
  page_cache_entry_clear (&out);

  /* The data changed: the first request recomputes, the next gets the old page. */
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "2/", &out), ==, PAGE_CACHE_MISS);
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "2/", &out), ==, PAGE_CACHE_STALE);
  g_assert_cmpmem (g_bytes_get_data (out.body, NULL), g_bytes_get_size (out.body), "one", 3);
  page_cache_entry_clear (&out);
  page_cache_store (cache, "GET /", "2/", "two", 3, "text/html", NULL);
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "2/", &out), ==, PAGE_CACHE_HIT);
  g_assert_cmpmem (g_bytes_get_data (out.body, NULL), g_bytes_get_size (out.body), "two", 3);
  page_cache_entry_clear (&out);

  /* A refresh that fails lets the next request try again. */
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "3/", &out), ==, PAGE_CACHE_MISS);
  page_cache_abandon (cache, "GET /");
  g_assert_cmpint (page_cache_lookup (cache, "GET /", "3/", &out), ==, PAGE_CACHE_MISS);

  /* Other keys are independent. */
  g_assert_cmpint (page_cache_lookup (cache, "GET /reports", "3/", &out), ==, PAGE_CACHE_MISS);
  page_cache_free (cache);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/web/html/escapes-markup-and-quotes", test_html_escape);
  g_test_add_func ("/web/html/url-component-is-percent-encoded", test_html_url_component);
  g_test_add_func ("/web/request/decodes-path-and-query", test_request_target);
  g_test_add_func ("/web/request/caps-lengths-and-counts", test_request_limits);
  g_test_add_func ("/web/filter/parses-good-and-refuses-bad-values", test_filter_parse);
  g_test_add_func ("/web/filter/refuses-a-long-from", test_filter_from_too_long);
  g_test_add_func ("/web/response/download-name-is-sanitized", test_download_name);
  g_test_add_func ("/web/auth/equal-compares-every-byte", test_auth_equal);
  g_test_add_func ("/web/auth/crypt-matches-only-the-password", test_auth_crypt);
  g_test_add_func ("/web/auth/basic-needs-user-and-password", test_auth_basic);
  g_test_add_func ("/web/auth/bearer-needs-the-exact-token", test_auth_bearer);
  g_test_add_func ("/web/auth/empty-values-configure-nothing", test_auth_unconfigured);
  g_test_add_func ("/web/auth/refuses-a-hash-libcrypt-cannot-use", test_auth_bad_hash);
  g_test_add_func ("/web/auth/short-token-warns", test_auth_short_token_warns);
  g_test_add_func ("/web/server/listen-addresses", test_server_address);
  g_test_add_func ("/web/static/serves-only-embedded-names", test_static);
  g_test_add_func ("/web/page-cache/one-refresh-others-stale", test_page_cache);
  return g_test_run ();
}
