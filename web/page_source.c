/*
 * page_source.c -- placeholder until the page is written.
 */
#include "web/pages.h"

void
page_source (WebRequest *req, WebResponse *resp, const char *domain G_GNUC_UNUSED, const char *source G_GNUC_UNUSED)
{
  web_response_error (req, resp, 501, "this page is not built yet");
}
