/*
 * response.c -- see response.h.
 */
#include "web/response.h"

#include <string.h>

#define RESPONSE_NAME_MAX 100

static const struct
{
  const char *name, *value;
} response_security_headers[] = {
  { "Content-Security-Policy", RESPONSE_CSP },
  { "X-Content-Type-Options", "nosniff" },
  { "X-Frame-Options", "DENY" },
  { "Referrer-Policy", "no-referrer" },
  { "Cross-Origin-Resource-Policy", "same-origin" },
};

/* A content type comes from the code, never from a request; still, one
 * with a control character would end the header early. */
static gboolean
response_is_header_safe (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

gboolean
response_add_headers (struct MHD_Response *response, const char *content_type,
                      ResponseCache cache)
{
  if (content_type == NULL)
    content_type = "text/html; charset=utf-8";
  if (!response_is_header_safe (content_type))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (response_security_headers); i++)
    if (MHD_add_response_header (response, response_security_headers[i].name,
                                 response_security_headers[i].value) != MHD_YES)
      return FALSE;
  return MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL,
                                  cache == RESPONSE_CACHE_STATIC ? "public, max-age=3600"
                                                                 : "no-store") == MHD_YES
      && MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES;
}

char *
response_download_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name ? name : ""; *p != '\0' && out->len < RESPONSE_NAME_MAX; p++)
    {
      if (out->len == 0 && *p == '.')
        continue;   /* no hidden files, no ".." */
      gboolean is_safe = g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-';
      g_string_append_c (out, is_safe ? *p : '_');
    }
  if (out->len == 0)
    g_string_assign (out, "download");
  return g_string_free (out, FALSE);
}

gboolean
response_add_download_name (struct MHD_Response *response, const char *name)
{
  g_autofree char *safe = response_download_name (name);
  g_autofree char *value = g_strdup_printf ("attachment; filename=\"%s\"", safe);

  return MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_DISPOSITION, value) == MHD_YES;
}

struct MHD_Response *
response_new_buffer (const char *data, gsize len, const char *content_type,
                     ResponseCache cache)
{
  struct MHD_Response *response
    = MHD_create_response_from_buffer (len, (void *) data, MHD_RESPMEM_MUST_COPY);

  if (response != NULL && !response_add_headers (response, content_type, cache))
    g_clear_pointer (&response, MHD_destroy_response);
  return response;
}
