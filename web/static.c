/*
 * static.c -- see static.h.
 *
 * The assets are embedded (GResource /dmarcstat/static/, from web/static/
 * by the Makefile), so an installed binary needs no files beside it and a
 * request can never name a file on disk.  Names are still checked: only
 * [a-z0-9._-], no "..", so a crafted name cannot reach another resource.
 */
#include "web/static.h"
#include "core/resources.h"

#include <gio/gio.h>
#include <string.h>

#define STATIC_NAME_MAX 64

static const struct
{
  const char *suffix, *content_type;
} static_types[] = {
  { ".css", "text/css; charset=utf-8" },
  { ".svg", "image/svg+xml" },
  { ".png", "image/png" },
  { ".ico", "image/x-icon" },
};

static gboolean
static_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > STATIC_NAME_MAX || strstr (name, "..") != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("._-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* NULL for a type we do not serve. */
static const char *
static_content_type (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (static_types); i++)
    if (g_str_has_suffix (name, static_types[i].suffix))
      return static_types[i].content_type;
  return NULL;
}

void
static_serve (WebRequest *req, WebResponse *resp, const char *name)
{
  const char *content_type = static_content_type (name);

  if (!static_name_is_valid (name) || content_type == NULL)
    {
      web_response_error (req, resp, 404, "no such file");
      return;
    }
  resources_register ();
  g_autofree char *path = g_strconcat ("/dmarcstat/static/", name, NULL);
  g_autoptr (GBytes) data = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (data == NULL)
    {
      web_response_error (req, resp, 404, "no such file");
      return;
    }
  gsize len = 0;
  const char *bytes = g_bytes_get_data (data, &len);
  resp->status = 200;
  resp->content_type = content_type;
  g_string_truncate (resp->body, 0);
  g_string_append_len (resp->body, bytes, (gssize) len);
}
