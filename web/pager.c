/*
 * pager.c -- see pager.h.
 */
#include "web/pager.h"
#include "web/html.h"

static void
pager_link (GString *out, const Pager *pager, const WebRequest *req, guint64 page,
            const char *text)
{
  g_autofree char *href = web_href_with_args (req, pager->path, pager->kept_args,
                                              pager->n_kept_args, page);
  g_string_append (out, " <a href=\"");
  html_append_text (out, href);
  g_string_append_printf (out, "\">%s</a>", text);
}

void
pager_html (GString *out, const Pager *pager, const WebRequest *req, guint64 page,
            guint64 total)
{
  guint64 n_pages = MAX ((total + pager->per_page - 1) / pager->per_page, 1);
  guint64 first = (page - 1) * pager->per_page + 1;
  g_autofree char *noun = g_strdup (pager->noun);

  if (total == 0)
    {
      g_string_append (out, "<p>");
      html_append_text (out, pager->empty_text);
      g_string_append (out, "</p>\n");
      return;
    }
  if (first > total)
    g_string_append_printf (out, "<p>Page %" G_GUINT64_FORMAT " is past the last page; %"
                            G_GUINT64_FORMAT " %s match.", page, total, noun);
  else
    {
      noun[0] = g_ascii_toupper (noun[0]);
      g_string_append_printf (out, "<p>%s %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT
                              " of %" G_GUINT64_FORMAT ".", noun, first,
                              MIN (first + pager->per_page - 1, total), total);
    }
  if (page > 1)
    pager_link (out, pager, req, MIN (page - 1, n_pages), "Previous page");
  if (page < n_pages)
    pager_link (out, pager, req, page + 1, "Next page");
  g_string_append (out, "</p>\n");
}
