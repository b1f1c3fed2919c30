/*
 * server.h -- the dashboard's HTTP server (libmicrohttpd).
 *
 * server_start() listens on one address with a pool of worker threads and
 * answers each request in the worker that read it:
 *
 *   1. only GET and HEAD (else 405 with Allow); no request body is ever
 *      read (413);
 *   2. the request line and headers within their limits (414, 431), the
 *      path and query percent-decoded, valid UTF-8 and free of control
 *      characters (400);
 *   3. credentials, when auth is configured, on every path but /healthz
 *      (401);
 *   4. a database connection borrowed from the pool (503 when none comes
 *      free), then web_dispatch();
 *   5. the page's answer sent with the headers of response.h: a whole body,
 *      or a stream that keeps its connection until the last chunk.
 *
 * Limits (server.c) stop slow and oversized clients: 64 connections (16 per
 * address unless listening on loopback), 30 s without progress, 64 KiB of
 * memory per connection, 16 KiB of request headers, 8 KiB of URI.
 *
 * Ownership: the server borrows POOL, CONFIG and AUTH, which must outlive
 * server_stop().  server_stop() waits for the workers, so every Store is
 * back in the pool when it returns.
 */
#ifndef DMARCSTAT_SERVER_H
#define DMARCSTAT_SERVER_H

#include <gio/gio.h>
#include "core/config.h"
#include "store/pool.h"
#include "web/auth.h"

typedef struct _Server Server;

/* Database connections the server needs: one per worker thread for
 * ordinary pages, as many again for CSV exports streaming at the same time
 * (an export keeps its connection until its last chunk).  A worker waits
 * at most SERVER_POOL_WAIT_SECONDS for one, then answers 503. */
#define SERVER_POOL_SIZE 8
#define SERVER_POOL_WAIT_SECONDS 5

typedef struct
{
  GInetSocketAddress *address;   /* borrowed */
  StorePool *pool;               /* borrowed */
  const Config *config;          /* borrowed */
  const Auth *auth;              /* borrowed */
} ServerOptions;

/* Fails with DMARCSTAT_ERROR_USAGE when the address cannot be bound.
 * (transfer full) */
Server *server_start (const ServerOptions *options, GError **error);
/* Stops listening, ends every connection, joins the workers. */
void server_stop (Server *server);

/* The port bound (the kernel's pick when asked for port 0). */
guint16 server_port (const Server *server);

/* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080": a numeric address (IPv6
 * in brackets) and a port (0 lets the kernel pick).  Fails with
 * DMARCSTAT_ERROR_USAGE.  (transfer full) */
GInetSocketAddress *server_parse_address (const char *text, GError **error);
/* ADDRESS with PORT as a URL authority ("[::1]:8080").  (transfer full) */
char *server_format_address (GInetSocketAddress *address, guint16 port);
/* TRUE for 127.0.0.0/8 and ::1: only this machine can connect. */
gboolean server_address_is_loopback (GInetSocketAddress *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

#endif
