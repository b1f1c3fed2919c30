/*
 * html.c -- see html.h.
 */
#include "web/html.h"

#include <string.h>

void
html_append_text (GString *out, const char *text)
{
  if (text == NULL)
    return;
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

char *
html_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  html_append_text (out, text);
  return g_string_free (out, FALSE);
}

void
html_append_url_component (GString *out, const char *text)
{
  if (text != NULL)
    g_string_append_uri_escaped (out, text, NULL, FALSE);
}

static const struct
{
  const char *key, *href, *label;
} nav[] = {
  { "overview", "/", "Domains" },
  { "reports", "/reports", "Reports" },
  { "failures", "/failures", "Ingest failures" },
};

void
html_page_begin (GString *out, const char *title, const char *active)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>");
  html_append_text (out, title);
  g_string_append (out, " · dmarcstat</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                        "</head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"/\">dmarcstat</a>\n<nav>");
  for (gsize i = 0; i < G_N_ELEMENTS (nav); i++)
    g_string_append_printf (out, "<a href=\"%s\"%s>%s</a>", nav[i].href,
                            g_strcmp0 (active, nav[i].key) == 0 ? " class=\"active\"" : "",
                            nav[i].label);
  g_string_append (out, "</nav></header>\n<main>\n");
}

void
html_page_end (GString *out)
{
  g_string_append (out, "</main>\n<footer>dmarcstat — DMARC aggregate reports</footer>\n</body>\n</html>\n");
}
