/*
 * static.h -- dmarcstat's own static assets (the stylesheet), embedded in
 * the binary and served under /static/.  No page loads anything from
 * another host.
 */
#ifndef DMARCSTAT_STATIC_H
#define DMARCSTAT_STATIC_H

#include "web/web.h"

/* Answers /static/NAME, or 404. */
void static_serve (WebRequest *req, WebResponse *resp, const char *name);

#endif
