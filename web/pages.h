/*
 * pages.h -- one handler per page, each in its own page_*.c.
 *
 * routes.c matches the path and passes the decoded path segments.  Each
 * handler answers in REQ->format: HTML, the CSV of its main table, or JSON.
 * A handler that finds nothing answers 404 through web_response_error().
 */
#ifndef DMARCSTAT_PAGES_H
#define DMARCSTAT_PAGES_H

#include "web/web.h"

void page_overview (WebRequest *req, WebResponse *resp);
void page_domain (WebRequest *req, WebResponse *resp, const char *domain);
void page_dns (WebRequest *req, WebResponse *resp, const char *domain);
void page_source (WebRequest *req, WebResponse *resp, const char *domain, const char *source);
void page_reports (WebRequest *req, WebResponse *resp);
void page_report (WebRequest *req, WebResponse *resp, const char *id);
void page_failures (WebRequest *req, WebResponse *resp);

#endif
