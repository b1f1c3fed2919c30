/*
 * server.c -- see server.h.
 *
 * libmicrohttpd calls, per request: server_uri_log() with the raw request
 * target (we keep it: MHD's own decoding hides a %00), then
 * server_access() once the headers are in, then server_completed() when
 * the response is done or the client is gone.  A request with a body is
 * refused before the body is read.
 *
 * Database connections never run out under a page: each worker holds at
 * most one while a page runs, and at most SERVER_MAX_STREAMS exports hold
 * one each while they stream (a further export is 503), so the pool's
 * SERVER_POOL_SIZE = SERVER_THREADS + SERVER_MAX_STREAMS always has one
 * for a worker.  A worker that waited would stall every connection it
 * serves.
 */
#include "web/server.h"
#include "web/page_cache.h"
#include "web/request.h"
#include "web/response.h"
#include "web/web.h"
#include "core/error.h"
#include "store/table.h"

#include <string.h>
#include <sys/socket.h>

/* Four workers: two cores here, and a page waits mostly on PostgreSQL. */
#define SERVER_THREADS 4
#define SERVER_MAX_STREAMS (SERVER_POOL_SIZE - SERVER_THREADS)
G_STATIC_ASSERT (SERVER_MAX_STREAMS >= 1);
/* All connections, and per client address when not on loopback (on
 * loopback every client is 127.0.0.1 and a per-address cap means
 * nothing): a slowloris client holds at most this many. */
#define SERVER_MAX_CONNECTIONS 64
#define SERVER_MAX_CONNECTIONS_PER_IP 16
/* Seconds a connection may go without progress before it is closed. */
#define SERVER_TIMEOUT_SECONDS 30
/* Memory per connection: bounds the request line and headers MHD buffers
 * (over it, MHD answers 414 or 431 itself).  Above the stream block. */
#define SERVER_CONNECTION_MEMORY (64 * 1024)
#define SERVER_STREAM_BLOCK (32 * 1024)
/* Our own cap, below MHD's, so that the answer carries our headers (the
 * URI's caps are in request.c). */
#define SERVER_MAX_HEADER_BYTES (16 * 1024)
/* Pages kept until the data changes (page_cache.h). */
#define SERVER_CACHE_BYTES (64 * 1024 * 1024)

struct _Server
{
  struct MHD_Daemon *daemon;   /* owned */
  StorePool *pool;             /* borrowed */
  const Config *config;        /* borrowed */
  const Auth *auth;            /* borrowed */
  gint n_streams;              /* atomic: exports streaming now */
  GMutex log_lock;
  gboolean is_starting;        /* MHD messages are kept, not logged */
  char *start_error;           /* owned: MHD's first message while starting */
  PageCache *cache;            /* owned */
};

/* One request, from server_uri_log() to server_completed(). */
typedef struct
{
  char *raw_uri;          /* owned: the request target as sent */
  gboolean is_seen;       /* server_access() saw the headers */
  gboolean is_answered;   /* and queued a response */
} ServerRequest;

/* A streaming response's state; MHD frees it when the response ends. */
typedef struct
{
  WebStreamFunc stream;
  gpointer data;           /* owned through free_data */
  GDestroyNotify free_data;
  Server *server;          /* borrowed */
  Store *store;            /* lent by the pool until the stream ends */
} ServerStream;

static void G_GNUC_PRINTF (2, 0)
server_log (void *cls, const char *format, va_list ap)
{
  Server *server = cls;
  g_autofree char *text = g_strchomp (g_strdup_vprintf (format, ap));

  g_mutex_lock (&server->log_lock);
  gboolean is_starting = server->is_starting;
  if (is_starting && server->start_error == NULL)
    {
      server->start_error = g_strdup (text);   /* "Failed to bind …": our style is lower-case */
      server->start_error[0] = g_ascii_tolower (server->start_error[0]);
    }
  g_mutex_unlock (&server->log_lock);
  /* Afterwards they are about clients (a reset, a timeout): debug only. */
  if (!is_starting)
    g_debug ("http: %s", text);
}

static void *
server_uri_log (void *cls G_GNUC_UNUSED, const char *uri,
                struct MHD_Connection *connection G_GNUC_UNUSED)
{
  ServerRequest *request = g_new0 (ServerRequest, 1);
  request->raw_uri = g_strdup (uri);
  return request;
}

static void
server_completed (void *cls G_GNUC_UNUSED, struct MHD_Connection *connection G_GNUC_UNUSED,
                  void **con_cls, enum MHD_RequestTerminationCode toe G_GNUC_UNUSED)
{
  ServerRequest *request = *con_cls;
  if (request == NULL)
    return;
  g_free (request->raw_uri);
  g_free (request);
  *con_cls = NULL;
}

/* ---- the request: path, query, headers ---- */

static enum MHD_Result
server_count_header (void *cls, enum MHD_ValueKind kind G_GNUC_UNUSED,
                     const char *key, const char *value)
{
  gsize *total = cls;
  *total += strlen (key) + (value ? strlen (value) : 0) + 4;   /* ": " CRLF */
  return MHD_YES;
}

/* A body announced by Content-Length (other than 0) or chunked. */
static gboolean
server_has_body (struct MHD_Connection *connection)
{
  const char *length = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_CONTENT_LENGTH);
  return (length != NULL && strcmp (length, "0") != 0)
      || MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                      MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* ---- sending ---- */

static ssize_t
server_stream_read (void *cls, uint64_t pos G_GNUC_UNUSED, char *buf, size_t max)
{
  ServerStream *s = cls;
  gssize n = s->stream (s->data, buf, max);

  /* Never 0: MHD would call again at once, spinning the worker. */
  if (n > 0)
    return (ssize_t) n;
  return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* When the stream ends, fails, or the client went away: the page's state
 * first (it may still use the Store), then the Store back to the pool. */
static void
server_stream_free (void *cls)
{
  ServerStream *s = cls;

  if (s->free_data != NULL)
    s->free_data (s->data);
  store_pool_release (s->server->pool, s->store);
  g_atomic_int_dec_and_test (&s->server->n_streams);
  g_free (s);
}

/* Queues RESPONSE (destroyed here) with STATUS; NULL means out of memory. */
static enum MHD_Result
server_queue (struct MHD_Connection *connection, guint status, struct MHD_Response *response)
{
  if (response == NULL)
    return MHD_NO;
  enum MHD_Result ret = MHD_queue_response (connection, status, response);
  MHD_destroy_response (response);
  return ret;
}

/* An error page (HTML, MESSAGE escaped) for errors found before a page
 * ran.  (transfer full) NULL when out of memory */
static struct MHD_Response *
server_error_response (guint status, const char *message)
{
  WebRequest req = { .method = "GET", .path = "/", .format = WEB_FORMAT_HTML };
  WebResponse resp = { .body = g_string_new (NULL) };

  web_response_error (&req, &resp, status, message);
  struct MHD_Response *response = response_new_buffer (resp.body->str, resp.body->len,
                                                       resp.content_type, RESPONSE_CACHE_NONE);
  g_string_free (resp.body, TRUE);
  return response;
}

/* The error page with STATUS, and one extra header when NAME is set. */
static enum MHD_Result
server_queue_error (struct MHD_Connection *connection, guint status, const char *message,
                    const char *name, const char *value)
{
  struct MHD_Response *response = server_error_response (status, message);

  if (response != NULL && name != NULL
      && MHD_add_response_header (response, name, value) != MHD_YES)
    g_clear_pointer (&response, MHD_destroy_response);
  return server_queue (connection, status, response);
}

static enum MHD_Result
server_queue_unauthorized (Server *server, struct MHD_Connection *connection)
{
  struct MHD_Response *response = server_error_response (MHD_HTTP_UNAUTHORIZED,
                                                          "authentication required");
  if (response == NULL)
    return MHD_NO;
  enum MHD_Result ret = auth_queue_challenge (server->auth, connection, response);
  MHD_destroy_response (response);
  return ret;
}

/* A response that streams RESP; STORE stays lent until it ends.  NULL
 * when out of memory (RESP's stream state and STORE are then freed). */
static struct MHD_Response *
server_stream_response (Server *server, WebResponse *resp, Store *store, ResponseCache cache)
{
  ServerStream *s = g_new0 (ServerStream, 1);
  *s = (ServerStream) { resp->stream, resp->stream_data, resp->stream_free, server, store };
  struct MHD_Response *response
    = MHD_create_response_from_callback (MHD_SIZE_UNKNOWN, SERVER_STREAM_BLOCK,
                                         server_stream_read, s, server_stream_free);
  if (response == NULL)
    server_stream_free (s);
  else if (!response_add_headers (response, resp->content_type, cache))
    g_clear_pointer (&response, MHD_destroy_response);   /* frees S */
  return response;
}

/* A stream the server has no room for (SERVER_MAX_STREAMS busy), or the
 * stream of a HEAD request, which sends no body: the page's state goes
 * now.  The first becomes a 503 page. */
static void
server_drop_stream (WebRequest *req, WebResponse *resp, gboolean is_head)
{
  if (resp->stream_free != NULL)
    resp->stream_free (resp->stream_data);
  resp->stream = NULL;
  if (!is_head)
    {
      g_clear_pointer (&resp->download_name, g_free);
      web_response_error (req, resp, MHD_HTTP_SERVICE_UNAVAILABLE,
                          "too many downloads at once; try again shortly");
    }
}

/* Sends what the page answered.  STORE goes back to the pool now, or when
 * a stream ends. */
static enum MHD_Result
server_send (Server *server, struct MHD_Connection *connection, WebRequest *req,
             WebResponse *resp, Store *store)
{
  ResponseCache cache = g_str_has_prefix (req->path, "/static/") && resp->status == 200
                          ? RESPONSE_CACHE_STATIC : RESPONSE_CACHE_NONE;
  gboolean is_head = strcmp (req->method, MHD_HTTP_METHOD_HEAD) == 0;
  struct MHD_Response *response;

  if (resp->stream != NULL && !is_head
      && g_atomic_int_add (&server->n_streams, 1) < SERVER_MAX_STREAMS)
    response = server_stream_response (server, resp, store, cache);
  else
    {
      if (resp->stream != NULL)
        {
          if (!is_head)
            g_atomic_int_dec_and_test (&server->n_streams);
          server_drop_stream (req, resp, is_head);
        }
      store_pool_release (server->pool, store);
      response = response_new_buffer (resp->body->str, resp->body->len,
                                      resp->content_type, cache);
    }
  if (response != NULL && resp->download_name != NULL
      && !response_add_download_name (response, resp->download_name))
    g_clear_pointer (&response, MHD_destroy_response);
  return server_queue (connection, resp->status, response);
}

/* ---- answering ---- */

/* The cache key of REQ and the data's current version (*VERSION_OUT), or
 * NULL when the page is not to be cached (static files, health checks, no
 * version). */
static char *
server_cache_key (WebRequest *req, Store *store, char **version_out)
{
  g_autoptr (GError) error = NULL;

  if (store == NULL || g_str_has_prefix (req->path, "/static/")
      || strcmp (req->path, "/healthz") == 0)
    return NULL;
  g_autoptr (StoreTable) v = store_table_query (
      store, "data version",
      "SELECT (SELECT coalesce(max(id), 0) FROM reports) || '/'"
      " || (SELECT coalesce(max(last_seen)::text, '') FROM ingest_failures) AS version",
      0, NULL, &error);
  if (v == NULL || store_table_n_rows (v) != 1)
    return NULL;
  *version_out = g_strdup (store_table_get (v, 0, "version"));
  return g_strdup_printf ("%s %s?%s", req->method, req->path,
                          req->query_string ? req->query_string : "");
}

static enum MHD_Result
server_send_cached (Server *server, struct MHD_Connection *connection, Store *store,
                    PageCacheEntry *hit)
{
  gsize len;
  const char *data = g_bytes_get_data (hit->body, &len);

  store_pool_release (server->pool, store);
  struct MHD_Response *response = response_new_buffer (data, len, hit->content_type,
                                                       RESPONSE_CACHE_NONE);
  if (response != NULL && hit->download_name != NULL
      && !response_add_download_name (response, hit->download_name))
    g_clear_pointer (&response, MHD_destroy_response);
  page_cache_entry_clear (hit);
  return server_queue (connection, MHD_HTTP_OK, response);
}

static enum MHD_Result
server_dispatch (Server *server, struct MHD_Connection *connection, WebRequest *req)
{
  g_autoptr (GError) error = NULL;
  gboolean is_static = g_str_has_prefix (req->path, "/static/");
  Store *store = is_static ? NULL : store_pool_acquire (server->pool, &error);

  if (store == NULL && !is_static && strcmp (req->path, "/healthz") != 0)
    {
      g_warning ("http: %s: answering 503: %s", req->path, error->message);
      return server_queue_error (connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "the database is unavailable; try again shortly",
                                 MHD_HTTP_HEADER_RETRY_AFTER, "5");
    }
  /* /healthz without a Store answers "database unavailable" itself. */
  req->store = store;
  g_autofree char *version = NULL;
  g_autofree char *key = server_cache_key (req, store, &version);
  PageCacheEntry hit = { 0 };
  if (key != NULL && page_cache_lookup (server->cache, key, version, &hit) != PAGE_CACHE_MISS)
    return server_send_cached (server, connection, store, &hit);
  WebResponse resp = { .status = 200, .body = g_string_new (NULL) };
  web_dispatch (req, &resp);
  if (resp.status == 0)
    resp.status = 200;
  if (key != NULL && resp.status == 200 && resp.stream == NULL)
    page_cache_store (server->cache, key, version, resp.body->str, resp.body->len,
                      resp.content_type ? resp.content_type : "text/html; charset=utf-8",
                      resp.download_name);
  else if (key != NULL)
    page_cache_abandon (server->cache, key);
  enum MHD_Result ret = server_send (server, connection, req, &resp, store);
  g_string_free (resp.body, TRUE);
  g_free (resp.download_name);
  return ret;
}

static enum MHD_Result
server_answer (Server *server, struct MHD_Connection *connection, const ServerRequest *request,
               const char *method)
{
  gsize header_bytes = 0;
  g_autofree char *path = NULL;
  g_autofree char *query_string = NULL;
  g_autoptr (GHashTable) args = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  MHD_get_connection_values (connection, MHD_HEADER_KIND, server_count_header, &header_bytes);
  if (header_bytes > SERVER_MAX_HEADER_BYTES)
    return server_queue_error (connection, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                               "request headers are too large", NULL, NULL);
  guint status = request_parse_target (request->raw_uri, &path, args, &query_string);
  if (status != 0)
    return server_queue_error (connection, status,
                               status == MHD_HTTP_URI_TOO_LONG ? "the address is too long"
                                                               : "the address is malformed",
                               NULL, NULL);
  if (strcmp (path, "/healthz") != 0 && !auth_allows (server->auth, connection))
    return server_queue_unauthorized (server, connection);
  WebRequest req = { .method = method, .path = path, .query = args,
                     .query_string = query_string, .config = server->config };
  return server_dispatch (server, connection, &req);
}

static enum MHD_Result
server_access (void *cls, struct MHD_Connection *connection, const char *url G_GNUC_UNUSED,
               const char *method, const char *version G_GNUC_UNUSED,
               const char *upload_data G_GNUC_UNUSED, size_t *upload_data_size, void **con_cls)
{
  ServerRequest *request = *con_cls;

  if (request == NULL)
    return MHD_NO;   /* server_uri_log always runs first */
  if (request->is_answered)
    {
      *upload_data_size = 0;   /* a body we never asked for: dropped */
      return MHD_YES;
    }
  /* A request that will not be served is refused as soon as its headers
   * are in, so its body is never read; MHD then closes the connection. */
  if (strcmp (method, MHD_HTTP_METHOD_GET) != 0 && strcmp (method, MHD_HTTP_METHOD_HEAD) != 0)
    {
      request->is_answered = TRUE;
      return server_queue_error (connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                                 "only GET and HEAD are allowed", MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    }
  if (server_has_body (connection))
    {
      request->is_answered = TRUE;
      return server_queue_error (connection, MHD_HTTP_CONTENT_TOO_LARGE,
                                 "requests with a body are not accepted", NULL, NULL);
    }
  /* Others are answered on the second call, once MHD has seen the whole
   * request: a response queued earlier makes it close the connection. */
  if (!request->is_seen)
    {
      request->is_seen = TRUE;
      return MHD_YES;
    }
  request->is_answered = TRUE;
  return server_answer (cls, connection, request, method);
}

/* ---- the daemon ---- */

Server *
server_start (const ServerOptions *options, GError **error)
{
  struct sockaddr_storage native;
  GSocketAddress *address = G_SOCKET_ADDRESS (options->address);
  guint16 port = g_inet_socket_address_get_port (options->address);
  guint per_ip = server_address_is_loopback (options->address) ? SERVER_MAX_CONNECTIONS
                                                                : SERVER_MAX_CONNECTIONS_PER_IP;

  if (!g_socket_address_to_native (address, &native, sizeof native, error))
    return NULL;
  Server *server = g_new0 (Server, 1);
  server->pool = options->pool;
  server->config = options->config;
  server->auth = options->auth;
  g_mutex_init (&server->log_lock);
  server->is_starting = TRUE;
  server->cache = page_cache_new (SERVER_CACHE_BYTES);
  server->daemon = MHD_start_daemon (
    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG
      | (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? MHD_USE_IPv6 : 0),
    port, NULL, NULL, server_access, server,
    MHD_OPTION_EXTERNAL_LOGGER, server_log, server,   /* first, or MHD logs before it */
    MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &native,
    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) SERVER_THREADS,
    MHD_OPTION_CONNECTION_LIMIT, (unsigned int) SERVER_MAX_CONNECTIONS,
    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) SERVER_TIMEOUT_SECONDS,
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) SERVER_CONNECTION_MEMORY,
    MHD_OPTION_URI_LOG_CALLBACK, server_uri_log, server,
    MHD_OPTION_NOTIFY_COMPLETED, server_completed, server,
    MHD_OPTION_END);
  g_mutex_lock (&server->log_lock);
  server->is_starting = FALSE;
  g_mutex_unlock (&server->log_lock);
  if (server->daemon == NULL)
    {
      g_autofree char *where = server_format_address (options->address, port);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "cannot listen on %s: %s", where,
                   server->start_error ? server->start_error : "libmicrohttpd failed to start");
      server_stop (server);
      return NULL;
    }
  return server;
}

void
server_stop (Server *server)
{
  if (server == NULL)
    return;
  if (server->daemon != NULL)
    MHD_stop_daemon (server->daemon);
  g_mutex_clear (&server->log_lock);
  page_cache_free (server->cache);
  g_free (server->start_error);
  g_free (server);
}

guint16
server_port (const Server *server)
{
  const union MHD_DaemonInfo *info = MHD_get_daemon_info (server->daemon,
                                                          MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

/* ---- addresses ---- */

GInetSocketAddress *
server_parse_address (const char *text, GError **error)
{
  g_autofree char *host = NULL;
  const char *colon = strrchr (text, ':');
  guint64 port = 0;

  if (text[0] == '[' && colon != NULL && colon > text && colon[-1] == ']')
    host = g_strndup (text + 1, (gsize) (colon - text - 2));
  else if (colon != NULL && strchr (text, ':') == colon)
    host = g_strndup (text, (gsize) (colon - text));
  g_autoptr (GInetAddress) address = host ? g_inet_address_new_from_string (host) : NULL;
  if (address == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL)
      || (text[0] == '[') != (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "expected a numeric ADDRESS:PORT such as 127.0.0.1:8080 or [::1]:8080");
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));
}

char *
server_format_address (GInetSocketAddress *address, guint16 port)
{
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  g_autofree char *host = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

gboolean
server_address_is_loopback (GInetSocketAddress *address)
{
  return g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address));
}
