/*
 * pager.h -- "Reports 101–200 of 432" with links to the previous and next
 * page, keeping the page's filters, for the paged lists (reports, failures).
 */
#ifndef DMARCSTAT_PAGER_H
#define DMARCSTAT_PAGER_H

#include <glib.h>
#include "web/web.h"

typedef struct
{
  const char *path;              /* "/reports" */
  const char *const *kept_args;  /* query arguments the links keep */
  gsize n_kept_args;
  guint64 per_page;
  const char *noun;              /* "reports" (capitalised in the text) */
  const char *empty_text;        /* shown when nothing matches */
} Pager;

void pager_html (GString *out, const Pager *pager, const WebRequest *req,
                 guint64 page, guint64 total);

#endif
