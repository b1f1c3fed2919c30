/*
 * static.c -- placeholder until the static assets are served.
 */
#include "web/static.h"

void
static_serve (WebRequest *req, WebResponse *resp, const char *name G_GNUC_UNUSED)
{
  web_response_error (req, resp, 404, "no such file");
}
