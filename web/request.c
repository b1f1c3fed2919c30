/*
 * request.c -- see request.h.
 */
#include "web/request.h"

#include <microhttpd.h>
#include <string.h>

#define REQUEST_MAX_URI_BYTES (8 * 1024)
#define REQUEST_MAX_VALUE_BYTES 2048   /* the path, and each query key or value */
#define REQUEST_MAX_ARGS 64

/* Decoded text a page may see: within REQUEST_MAX_VALUE_BYTES (else 414),
 * valid UTF-8 without control characters (else 400).  0 when fine. */
static guint
request_check_text (const char *text)
{
  if (strlen (text) > REQUEST_MAX_VALUE_BYTES)
    return MHD_HTTP_URI_TOO_LONG;
  if (!g_utf8_validate (text, -1, NULL))
    return MHD_HTTP_BAD_REQUEST;
  for (const char *p = text; *p != '\0'; p++)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      return MHD_HTTP_BAD_REQUEST;
  return 0;
}

/* Percent-decodes one query key or value ('+' is a space).  NULL for a
 * broken escape or an encoded NUL. (transfer full) */
static char *
request_decode_arg (const char *text, gsize len)
{
  g_autofree char *plus = g_strndup (text, len);
  g_strdelimit (plus, "+", ' ');
  return g_uri_unescape_string (plus, NULL);
}

/* QUERY ("a=1&b=2") into ARGS, the last of repeated keys winning.
 * 0, or the status to answer. */
static guint
request_parse_query (const char *query, GHashTable *args)
{
  g_auto (GStrv) pairs = g_strsplit (query, "&", -1);

  if (g_strv_length (pairs) > REQUEST_MAX_ARGS)
    return MHD_HTTP_BAD_REQUEST;
  for (gsize i = 0; pairs[i] != NULL; i++)
    {
      if (*pairs[i] == '\0')
        continue;   /* "a=1&&b=2", a trailing '&' */
      const char *eq = strchr (pairs[i], '=');
      gsize key_len = eq ? (gsize) (eq - pairs[i]) : strlen (pairs[i]);
      g_autofree char *key = request_decode_arg (pairs[i], key_len);
      g_autofree char *value = request_decode_arg (eq ? eq + 1 : "", eq ? strlen (eq + 1) : 0);
      if (key == NULL || value == NULL)
        return MHD_HTTP_BAD_REQUEST;
      guint status = request_check_text (key);
      if (status == 0)
        status = request_check_text (value);
      if (status != 0)
        return status;
      g_hash_table_replace (args, g_steal_pointer (&key), g_steal_pointer (&value));
    }
  return 0;
}

/* The raw query as a page may put it in a link: bytes outside RFC 3986's
 * unreserved, sub-delims, ':', '@', '/', '?' and '%' (already checked to
 * start valid escapes) are percent-encoded, so no quote or angle bracket
 * survives.  (transfer full) */
static char *
request_clean_query (const char *query)
{
  GString *out = g_string_new (NULL);

  for (const unsigned char *p = (const unsigned char *) query; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || strchr ("-._~!$&'()*+,;=:@/?%", *p) != NULL)
      g_string_append_c (out, (char) *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  return g_string_free (out, FALSE);
}

guint
request_parse_target (const char *raw, char **path_out, GHashTable *args, char **query_out)
{
  if (strlen (raw) > REQUEST_MAX_URI_BYTES)
    return MHD_HTTP_URI_TOO_LONG;
  if (raw[0] != '/')
    return MHD_HTTP_BAD_REQUEST;   /* absolute-form or "*": not for us */
  const char *mark = strchr (raw, '?');
  g_autofree char *raw_path = g_strndup (raw, mark ? (gsize) (mark - raw) : strlen (raw));
  g_autofree char *path = g_uri_unescape_string (raw_path, NULL);
  if (path == NULL)
    return MHD_HTTP_BAD_REQUEST;
  guint status = request_check_text (path);
  if (status == 0 && mark != NULL)
    status = request_parse_query (mark + 1, args);
  if (status != 0)
    return status;
  *path_out = g_steal_pointer (&path);
  *query_out = request_clean_query (mark ? mark + 1 : "");
  return 0;
}

