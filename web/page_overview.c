/*
 * page_overview.c -- placeholder until the page is written.
 */
#include "web/pages.h"

void
page_overview (WebRequest *req, WebResponse *resp)
{
  web_response_error (req, resp, 501, "this page is not built yet");
}
