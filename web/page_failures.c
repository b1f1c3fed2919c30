/*
 * page_failures.c -- placeholder until the page is written.
 */
#include "web/pages.h"

void
page_failures (WebRequest *req, WebResponse *resp)
{
  web_response_error (req, resp, 501, "this page is not built yet");
}
