/*
 * panel_advice.c -- placeholder until the advice module is written.
 */
#include "web/panel_advice.h"

void
panel_advice_render (GString *out, Store *store G_GNUC_UNUSED, const Config *config G_GNUC_UNUSED,
                     const char *domain G_GNUC_UNUSED)
{
  g_string_append (out, "<section class=\"advice\"><p>Advice is not available yet.</p></section>\n");
}
