/*
 * response.h -- the headers every HTTP response carries, set in one place.
 *
 * Every response dmarcstat sends -- pages, errors, 401, 405, the
 * stylesheet, CSV and JSON -- goes through response_add_headers():
 *
 *   Content-Security-Policy   default-src 'none'; style-src 'self';
 *                             img-src 'self' data:; frame-ancestors 'none';
 *                             base-uri 'none'; form-action 'self'
 *   X-Content-Type-Options    nosniff
 *   X-Frame-Options           DENY
 *   Referrer-Policy           no-referrer
 *   Cross-Origin-Resource-Policy  same-origin
 *   Cache-Control             no-store (the stylesheet: public, max-age=3600)
 *   Content-Type              what the page set (HTML by default)
 *
 * The policy allows no script at all and no inline style: a string a
 * reporter smuggled past escaping still cannot run or restyle the page,
 * and the pages work with scripts off because they have none.
 *
 * No header carries text from the request.  The one header built from
 * data, the download file name, is reduced to [A-Za-z0-9._-] first, so no
 * value can split a response or break out of its quotes.
 *
 * The responses libmicrohttpd builds itself (a request line or headers
 * over its memory limit, a timeout) carry only its fixed text and none of
 * these headers; it offers no hook for them.
 */
#ifndef DMARCSTAT_RESPONSE_H
#define DMARCSTAT_RESPONSE_H

#include <glib.h>
#include <microhttpd.h>

typedef enum
{
  RESPONSE_CACHE_NONE,     /* pages and data: never stored */
  RESPONSE_CACHE_STATIC,   /* our own assets: an hour */
} ResponseCache;

#define RESPONSE_CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
                     "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

/* CONTENT_TYPE NULL means HTML.  FALSE when libmicrohttpd refused a header
 * (out of memory, or a content type with a control character). */
gboolean response_add_headers (struct MHD_Response *response, const char *content_type,
                               ResponseCache cache);

/* Adds Content-Disposition: attachment with NAME made safe. */
gboolean response_add_download_name (struct MHD_Response *response, const char *name);

/* NAME with every byte outside [A-Za-z0-9._-] replaced by '_', leading dots
 * dropped, cut at 100 bytes; "download" when nothing is left.
 * (transfer full) */
char *response_download_name (const char *name);

/* A response holding a copy of DATA, with every header above.
 * (transfer full: MHD_destroy_response after queueing) */
struct MHD_Response *response_new_buffer (const char *data, gsize len,
                                          const char *content_type, ResponseCache cache);

#endif
