/*
 * page_report.c -- placeholder until the page is written.
 */
#include "web/pages.h"

void
page_report (WebRequest *req, WebResponse *resp, const char *id G_GNUC_UNUSED)
{
  web_response_error (req, resp, 501, "this page is not built yet");
}
