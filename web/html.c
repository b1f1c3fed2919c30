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

gboolean
html_is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
         || c == 0x200e || c == 0x200f || c == 0x061c;
}

void
html_append_text_shown (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autoptr (GString) shown = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (html_is_bidi_control (c))
        g_string_append_printf (shown, "[U+%04X]", c);
      else
        g_string_append_unichar (shown, c);
    }
  html_append_text (out, shown->str);
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
  /* The <title> holds reporters' strings (a policy domain) where no
   * element can isolate them, and the tab and history show it. */
  html_append_text_shown (out, title);
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
