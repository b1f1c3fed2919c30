/*
 * page_reports.c -- placeholder until the page is written.
 */
#include "web/pages.h"

void
page_reports (WebRequest *req, WebResponse *resp)
{
  web_response_error (req, resp, 501, "this page is not built yet");
}
