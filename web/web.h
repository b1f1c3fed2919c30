/*
 * web.h -- what the HTTP server hands a page handler, and what a handler
 * hands back.
 *
 * server.c (libmicrohttpd) parses the request into a WebRequest, borrows a
 * database connection from the pool for it, and calls web_dispatch()
 * (routes.c), which picks the handler by path.  The handler fills a
 * WebResponse: either a whole body (HTML, JSON, small CSV) or a stream (a
 * large CSV export, written chunk by chunk with constant memory).  server.c
 * then adds the security headers (response.c) and sends it.
 *
 * Formats: a path ending in ".csv" asks for the CSV of the page's main
 * table; a path under "/api/" asks for JSON of the same data; anything else
 * is HTML.  routes.c strips both before matching, and sets WebRequest.format.
 *
 * Ownership: every string in WebRequest is owned by the server and valid
 * for the call; the handler owns nothing of it.  Whatever the handler puts
 * in WebResponse is owned by the response (freed by web_response_clear).
 */
#ifndef DMARCSTAT_WEB_H
#define DMARCSTAT_WEB_H

#include <glib.h>
#include "core/config.h"
#include "store/db.h"

typedef enum
{
  WEB_FORMAT_HTML,
  WEB_FORMAT_CSV,
  WEB_FORMAT_JSON,
} WebFormat;

typedef struct
{
  const char *method;        /* "GET" or "HEAD": the server refuses others */
  const char *path;          /* percent-decoded, without the query string */
  const char *route_path;    /* path with "/api" and ".csv" stripped */
  WebFormat format;
  GHashTable *query;         /* char* -> char*: decoded query arguments */
  const char *query_string;  /* raw, for building CSV/JSON links ("" if none) */
  Store *store;              /* borrowed from the pool for this request */
  const Config *config;      /* borrowed */
} WebRequest;

/* A stream writes the next chunk into BUF (at most MAX bytes) and returns
 * its length, 0 at the end, or -1 on error (the connection is then cut:
 * HTTP has no way to report an error in the middle of a body). */
typedef gssize (*WebStreamFunc) (gpointer data, char *buf, gsize max);

typedef struct
{
  guint status;              /* 200 unless set */
  const char *content_type;  /* static string; default text/html; charset=utf-8 */
  GString *body;             /* always allocated by the server; append to it */
  char *download_name;       /* Content-Disposition attachment file name, or NULL */
  WebStreamFunc stream;      /* when set, body is ignored */
  gpointer stream_data;
  GDestroyNotify stream_free;  /* called when the response is done; also
                                * when the client went away */
} WebResponse;

/* Picks the route for REQ and runs it.  Unknown paths get a 404 page. */
void web_dispatch (WebRequest *req, WebResponse *resp);

/* Sets an error page (or JSON/CSV-less plain text) with STATUS and a short
 * MESSAGE (escaped here). */
void web_response_error (WebRequest *req, WebResponse *resp, guint status,
                         const char *message);

/* Answers a failed query: the user's mistake (DMARCSTAT_ERROR_USAGE, e.g. a
 * bad filter) is a 400 with its message; the database's is logged with
 * the path and answered 503 (transient) or 500 without details. */
void web_response_query_error (WebRequest *req, WebResponse *resp, const GError *error);

/* PATH plus those of the query arguments ARGS (N_ARGS of them) that are set,
 * and page=PAGE when PAGE > 1, percent-encoded.  Plain text: escape it
 * where it goes into HTML.  (transfer full) */
char *web_href_with_args (const WebRequest *req, const char *path,
                          const char *const *args, gsize n_args, guint64 page);

/* A query argument, or NULL when absent or empty. (transfer none) */
const char *web_query (const WebRequest *req, const char *name);

#endif
