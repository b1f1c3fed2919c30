/*
 * resolver.c -- see resolver.h.
 *
 * A query goes through three queues:
 *
 *   waiting   submitted, not yet looked at (FIFO; dns_lookup() jumps it)
 *   in flight handed to c-ares, at most max_inflight of them, keyed by
 *             "TYPE NAME" so that a second identical query waits on the
 *             first instead of being sent again
 *   done      answered; its DnsAnswerFunc is called from the loop
 *
 * Answers are never handed to the caller from inside a c-ares callback:
 * c-ares only moves the query to "done", and the loop calls the caller's
 * function afterwards.  So a DnsAnswerFunc may submit queries or even call
 * dns_lookup() without re-entering ares_process_fd().
 *
 * Before a query is sent it is answered, in order, by: offline mode, the
 * in-memory memo, an identical query in flight, the cache hook.  Only
 * then does it go out (ares_send with a query we build, so the raw answer
 * comes back even for NXDOMAIN and every record keeps its TTL).
 *
 * The event loop is poll() over the sockets c-ares reports through its
 * socket-state callback (no fd_set: no FD_SETSIZE limit on descriptors),
 * with ares_timeout() as the poll timeout.
 */
#include "dns/resolver.h"

#include "core/error.h"
#include "core/log.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>

#define DNS_DEFAULT_TIMEOUT_MS 2000
#define DNS_DEFAULT_TRIES 2
#define DNS_DEFAULT_MAX_INFLIGHT 64
/* A batch of 100,000 distinct PTR lookups would otherwise keep every
 * answer for its TTL; past this the memo only takes new answers once
 * expired ones have been dropped. */
#define DNS_MEMO_MAX_ENTRIES 100000
/* The EDNS buffer size of DNS Flag Day 2020: large TXT sets fit in one
 * datagram without IP fragmentation; larger answers come back over TCP. */
#define DNS_EDNS_UDP_BYTES 1232
/* Upper bound of one poll() when c-ares has no timer (should not happen
 * with queries in flight, but never sleep forever). */
#define DNS_POLL_MAX_MS 1000

#define SOCK_READ 1u
#define SOCK_WRITE 2u

typedef struct _DnsQuery DnsQuery;
struct _DnsQuery
{
  DnsResolver *resolver;   /* borrowed: outlives its queries */
  char *name;              /* owned; normalised */
  DnsType type;
  char *key;               /* owned; "TYPE NAME" */
  DnsAnswerFunc func;
  gpointer user_data;      /* borrowed, the caller's */
  DnsAnswer *answer;       /* owned once answered */
  gboolean is_fresh;       /* answer came from the network: memo and cache it */
  GSList *followers;       /* owned DnsQuery*: identical queries waiting on this one */
};

typedef struct
{
  DnsAnswer *answer;       /* owned */
  gint64 expires_us;       /* g_get_monotonic_time() */
} MemoEntry;

struct _DnsResolver
{
  ares_channel channel;    /* owned; NULL when offline */
  gboolean offline;
  guint max_inflight;
  GQueue waiting;          /* owned DnsQuery* */
  GQueue done;             /* owned DnsQuery* */
  GHashTable *inflight;    /* key → DnsQuery*, borrowed: c-ares holds each as its arg */
  GHashTable *sockets;     /* fd → SOCK_* bits, as c-ares last reported them */
  GHashTable *memo;        /* owned key → owned MemoEntry* */
  DnsCacheGetFunc cache_get;
  DnsCachePutFunc cache_put;
  gpointer cache_data;     /* borrowed: set with the hook, outlives the resolver */
  guint64 n_sent;
};

/* ---- servers ---- */

static gboolean
server_fail (const char *spec, GError **error)
{
  g_autofree char *safe = log_safe_str (spec != NULL ? spec : "");

  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
               "dns server \"%s\": not an IP address with an optional port 1-65535", safe);
  return FALSE;
}

gboolean
dns_parse_server (const char *spec, char **addr_out, guint16 *port_out, GError **error)
{
  g_autofree char *addr = NULL;
  const char *port_text = NULL;
  guint64 port = 53;
  guint8 bin[16];
  char text[INET6_ADDRSTRLEN];
  int family;

  if (spec == NULL)
    return server_fail (spec, error);
  if (spec[0] == '[')
    {
      /* "[V6ADDR]" or "[V6ADDR]:PORT" */
      const char *close = strchr (spec, ']');
      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        return server_fail (spec, error);
      addr = g_strndup (spec + 1, (gsize) (close - spec - 1));
      port_text = close[1] == ':' ? close + 2 : NULL;
      family = AF_INET6;
    }
  else
    {
      /* One colon: "V4ADDR:PORT"; more: a bare IPv6 address. */
      const char *colon = strchr (spec, ':');
      if (colon != NULL && strchr (colon + 1, ':') == NULL)
        {
          addr = g_strndup (spec, (gsize) (colon - spec));
          port_text = colon + 1;
          family = AF_INET;
        }
      else
        {
          addr = g_strdup (spec);
          family = colon != NULL ? AF_INET6 : AF_INET;
        }
    }
  if (inet_pton (family, addr, bin) != 1
      || inet_ntop (family, bin, text, sizeof text) == NULL)
    return server_fail (spec, error);
  /* g_ascii_string_to_unsigned() takes digits only: no sign, no spaces. */
  if (port_text != NULL
      && !g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, NULL))
    return server_fail (spec, error);

  if (addr_out != NULL)
    *addr_out = g_strdup (text);
  if (port_out != NULL)
    *port_out = (guint16) port;
  return TRUE;
}

/* Points CHANNEL at SERVERS (NULL-terminated specs, at least one). */
static gboolean
resolver_set_servers (ares_channel channel, char **servers, GError **error)
{
  guint n = g_strv_length (servers);
  g_autofree struct ares_addr_port_node *nodes = g_new0 (struct ares_addr_port_node, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *addr = NULL;
      guint16 port;

      if (!dns_parse_server (servers[i], &addr, &port, error))
        return FALSE;
      nodes[i].next = i + 1 < n ? &nodes[i + 1] : NULL;
      nodes[i].family = strchr (addr, ':') != NULL ? AF_INET6 : AF_INET;
      if (nodes[i].family == AF_INET6)
        inet_pton (AF_INET6, addr, &nodes[i].addr.addr6);
      else
        inet_pton (AF_INET, addr, &nodes[i].addr.addr4);
      nodes[i].udp_port = port;
      nodes[i].tcp_port = port;
    }
  int status = ares_set_servers_ports (channel, nodes);
  if (status != ARES_SUCCESS)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "dns servers: %s",
                   ares_strerror (status));
      return FALSE;
    }
  return TRUE;
}

/* ---- queries ---- */

static DnsQuery *
query_new (DnsResolver *resolver, const char *name, DnsType type, DnsAnswerFunc func,
           gpointer user_data)
{
  DnsQuery *q = g_new0 (DnsQuery, 1);
  g_autoptr (DnsAnswer) shape = dns_answer_new (name, type, DNS_ERROR);

  q->resolver = resolver;
  q->name = g_strdup (shape->name);   /* the one normalisation, message.c's */
  q->type = type;
  q->key = g_strdup_printf ("%u %s", (guint) type, q->name);
  q->func = func;
  q->user_data = user_data;
  return q;
}

static void
query_free (gpointer data)
{
  DnsQuery *q = data;

  if (q == NULL)
    return;
  g_slist_free_full (q->followers, query_free);
  g_clear_pointer (&q->answer, dns_answer_free);
  g_free (q->name);
  g_free (q->key);
  g_free (q);
}

/* Q is answered with ANSWER (transfer full), and so is every query that
 * was waiting on it (with a copy each). */
static void
query_finish (DnsQuery *q, DnsAnswer *answer, gboolean is_fresh)
{
  DnsResolver *resolver = q->resolver;

  for (GSList *l = q->followers; l != NULL; l = l->next)
    {
      DnsQuery *follower = l->data;
      follower->answer = dns_answer_copy (answer);
      g_queue_push_tail (&resolver->done, follower);
    }
  g_clear_pointer (&q->followers, g_slist_free);
  q->answer = answer;
  q->is_fresh = is_fresh;
  g_queue_push_tail (&resolver->done, q);
}

/* ---- memo ---- */

static gboolean
memo_entry_expired (gpointer key G_GNUC_UNUSED, gpointer value, gpointer now_us)
{
  const MemoEntry *entry = value;

  return entry->expires_us <= *(const gint64 *) now_us;
}

static void
memo_entry_free (gpointer data)
{
  MemoEntry *entry = data;

  dns_answer_free (entry->answer);
  g_free (entry);
}

/* A copy of the memoised answer for KEY, its TTL lowered to what is left;
 * NULL when there is none or it expired.  (transfer full) */
static DnsAnswer *
memo_get (DnsResolver *resolver, const char *key)
{
  MemoEntry *entry = g_hash_table_lookup (resolver->memo, key);
  gint64 now_us = g_get_monotonic_time ();

  if (entry == NULL)
    return NULL;
  if (entry->expires_us <= now_us)
    {
      g_hash_table_remove (resolver->memo, key);
      return NULL;
    }
  DnsAnswer *answer = dns_answer_copy (entry->answer);
  answer->ttl = (guint32) ((entry->expires_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  return answer;
}

static gboolean
status_is_cacheable (DnsStatus status)
{
  return status == DNS_OK || status == DNS_NODATA || status == DNS_NXDOMAIN;
}

static void
memo_put (DnsResolver *resolver, const char *key, const DnsAnswer *answer)
{
  gint64 now_us = g_get_monotonic_time ();

  if (!status_is_cacheable (answer->status) || answer->ttl == 0)
    return;
  if (g_hash_table_size (resolver->memo) >= DNS_MEMO_MAX_ENTRIES)
    g_hash_table_foreach_remove (resolver->memo, memo_entry_expired, &now_us);
  if (g_hash_table_size (resolver->memo) >= DNS_MEMO_MAX_ENTRIES)
    return;

  MemoEntry *entry = g_new0 (MemoEntry, 1);
  entry->answer = dns_answer_copy (answer);
  entry->expires_us = now_us + (gint64) answer->ttl * G_USEC_PER_SEC;
  g_hash_table_replace (resolver->memo, g_strdup (key), entry);
}

/* ---- c-ares ---- */

static void
resolver_sock_state (void *data, ares_socket_t fd, int readable, int writable)
{
  DnsResolver *resolver = data;
  guint bits = (readable ? SOCK_READ : 0) | (writable ? SOCK_WRITE : 0);

  if (bits == 0)
    g_hash_table_remove (resolver->sockets, GINT_TO_POINTER (fd));
  else
    g_hash_table_insert (resolver->sockets, GINT_TO_POINTER (fd), GUINT_TO_POINTER (bits));
}

static DnsAnswer *
answer_from_ares (const DnsQuery *q, int status, const unsigned char *abuf, int alen)
{
  /* ares_send() reports any answer (NXDOMAIN, SERVFAIL and REFUSED
   * included, see ARES_FLAG_NOCHECKRESP below) as ARES_SUCCESS with the
   * raw message; a status without a message is c-ares' own failure. */
  if (abuf != NULL && alen > 0
      && (status == ARES_SUCCESS || status == ARES_ENOTFOUND || status == ARES_ENODATA))
    return dns_answer_parse (abuf, (gsize) alen, q->name, q->type);

  g_debug ("%s %s: %s", dns_type_name (q->type), q->name, ares_strerror (status));
  switch (status)
    {
    case ARES_ETIMEOUT:
      return dns_answer_new (q->name, q->type, DNS_TIMEOUT);
    case ARES_ESERVFAIL:
      return dns_answer_new (q->name, q->type, DNS_SERVFAIL);
    case ARES_EREFUSED:
      return dns_answer_new (q->name, q->type, DNS_REFUSED);
    default:
      return dns_answer_new (q->name, q->type, DNS_ERROR);
    }
}

static void
resolver_ares_done (void *arg, int status, int timeouts G_GNUC_UNUSED,
                    unsigned char *abuf, int alen)
{
  DnsQuery *q = arg;
  DnsResolver *resolver = q->resolver;

  if (g_hash_table_lookup (resolver->inflight, q->key) == q)
    g_hash_table_remove (resolver->inflight, q->key);
  if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED)
    {
      /* The resolver is being freed: nobody is left to tell. */
      query_free (q);
      return;
    }
  query_finish (q, answer_from_ares (q, status, abuf, alen), TRUE);
}

/* Hands Q to c-ares, or answers it at once when the query cannot be built. */
static void
resolver_send (DnsResolver *resolver, DnsQuery *q)
{
  unsigned char *qbuf = NULL;
  int qlen = 0;

  /* RD set: we ask a recursive resolver.  ID 0: ares_send() picks its own. */
  int status = ares_create_query (q->name, 1 /* IN */, (int) q->type, 0, 1, &qbuf, &qlen,
                                  DNS_EDNS_UDP_BYTES);
  if (status != ARES_SUCCESS)
    {
      g_debug ("%s %s: %s", dns_type_name (q->type), q->name, ares_strerror (status));
      query_finish (q, dns_answer_new (q->name, q->type, DNS_ERROR), FALSE);
      return;
    }
  /* In the table first: ares_send() may call back before it returns. */
  g_hash_table_insert (resolver->inflight, q->key, q);
  resolver->n_sent++;
  ares_send (resolver->channel, qbuf, qlen, resolver_ares_done, q);
  ares_free_string (qbuf);
}

/* Answers Q from offline mode, the memo, a query in flight or the cache;
 * sends it only when none of them can. */
static void
resolver_start (DnsResolver *resolver, DnsQuery *q)
{
  DnsAnswer *answer;

  if (resolver->offline)
    {
      query_finish (q, dns_answer_new (q->name, q->type, DNS_OFFLINE), FALSE);
      return;
    }
  if ((answer = memo_get (resolver, q->key)) != NULL)
    {
      query_finish (q, answer, FALSE);
      return;
    }
  DnsQuery *leader = g_hash_table_lookup (resolver->inflight, q->key);
  if (leader != NULL)
    {
      leader->followers = g_slist_prepend (leader->followers, q);
      return;
    }
  if (resolver->cache_get != NULL
      && (answer = resolver->cache_get (resolver->cache_data, q->name, q->type)) != NULL)
    {
      memo_put (resolver, q->key, answer);
      query_finish (q, answer, FALSE);
      return;
    }
  resolver_send (resolver, q);
}

/* Moves waiting queries on while there is room in flight. */
static void
resolver_fill (DnsResolver *resolver)
{
  while (!g_queue_is_empty (&resolver->waiting)
         && g_hash_table_size (resolver->inflight) < resolver->max_inflight)
    resolver_start (resolver, g_queue_pop_head (&resolver->waiting));
}

/* Calls the caller's function for every answered query.  One at a time
 * from the head, so a function that runs the loop itself finds the queue
 * consistent. */
static void
resolver_deliver (DnsResolver *resolver)
{
  DnsQuery *q;

  while ((q = g_queue_pop_head (&resolver->done)) != NULL)
    {
      if (q->is_fresh)
        {
          memo_put (resolver, q->key, q->answer);
          if (resolver->cache_put != NULL && status_is_cacheable (q->answer->status))
            resolver->cache_put (resolver->cache_data, q->answer);
        }
      if (q->func != NULL)
        q->func (g_steal_pointer (&q->answer), q->user_data);
      query_free (q);
    }
}

/* One poll() over c-ares' sockets, then c-ares reads, writes and expires
 * what is due. */
static void
resolver_wait (DnsResolver *resolver)
{
  guint n = g_hash_table_size (resolver->sockets);
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, MAX (n, 1));
  GHashTableIter iter;
  gpointer fd, bits;
  guint i = 0;

  g_hash_table_iter_init (&iter, resolver->sockets);
  while (g_hash_table_iter_next (&iter, &fd, &bits))
    {
      fds[i].fd = GPOINTER_TO_INT (fd);
      fds[i].events = (GPOINTER_TO_UINT (bits) & SOCK_READ ? POLLIN : 0)
                      | (GPOINTER_TO_UINT (bits) & SOCK_WRITE ? POLLOUT : 0);
      i++;
    }

  struct timeval max_tv = { DNS_POLL_MAX_MS / 1000, (DNS_POLL_MAX_MS % 1000) * 1000 };
  struct timeval tv;
  struct timeval *next = ares_timeout (resolver->channel, &max_tv, &tv);
  int timeout_ms = (int) (next->tv_sec * 1000 + (next->tv_usec + 999) / 1000);

  int ready = poll (fds, n, timeout_ms);
  if (ready < 0 && errno == EINTR)
    return;
  if (ready <= 0)
    {
      /* Timeout (or a poll failure, which c-ares' timers will still end). */
      ares_process_fd (resolver->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      return;
    }
  for (i = 0; i < n; i++)
    {
      short ev = fds[i].revents;
      if (ev == 0)
        continue;
      ares_process_fd (resolver->channel,
                       ev & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD,
                       ev & (POLLOUT | POLLERR) && fds[i].events & POLLOUT
                         ? fds[i].fd : ARES_SOCKET_BAD);
    }
}

typedef gboolean (*LoopStopFunc) (gpointer data);

/* Runs until STOP (may be NULL) says so, or nothing is left to do. */
static void
resolver_loop (DnsResolver *resolver, LoopStopFunc stop, gpointer data)
{
  while (stop == NULL || !stop (data))
    {
      resolver_fill (resolver);
      if (!g_queue_is_empty (&resolver->done))
        {
          resolver_deliver (resolver);
          continue;
        }
      /* resolver_fill() leaves nothing waiting when nothing is in flight. */
      if (g_hash_table_size (resolver->inflight) == 0)
        break;
      resolver_wait (resolver);
    }
}

/* ---- public ---- */

static gpointer
library_init (gpointer data G_GNUC_UNUSED)
{
  return GINT_TO_POINTER (ares_library_init (ARES_LIB_INIT_ALL));
}

DnsResolver *
dns_resolver_new (const DnsOptions *options, GError **error)
{
  static GOnce once = G_ONCE_INIT;
  struct ares_options ares_opts = { 0 };

  g_return_val_if_fail (options != NULL, NULL);

  g_autoptr (DnsResolver) resolver = g_new0 (DnsResolver, 1);
  g_queue_init (&resolver->waiting);
  g_queue_init (&resolver->done);
  resolver->inflight = g_hash_table_new (g_str_hash, g_str_equal);
  resolver->sockets = g_hash_table_new (NULL, NULL);
  resolver->memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, memo_entry_free);
  resolver->offline = options->offline;
  resolver->max_inflight = options->max_inflight != 0 ? options->max_inflight
                                                      : DNS_DEFAULT_MAX_INFLIGHT;

  /* Bad server names are a configuration error even when offline. */
  for (char **s = options->servers; s != NULL && *s != NULL; s++)
    if (!dns_parse_server (*s, NULL, NULL, error))
      return NULL;
  if (resolver->offline)
    return g_steal_pointer (&resolver);

  int status = GPOINTER_TO_INT (g_once (&once, library_init, NULL));
  if (status != ARES_SUCCESS)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO, "c-ares: %s",
                   ares_strerror (status));
      return NULL;
    }

  /* NOCHECKRESP: c-ares 1.18 drops a SERVFAIL or REFUSED answer, tries the
   * next server, and in the end reports "could not contact DNS servers",
   * which is also what an unreachable server gives.  We want the server's
   * word (a SERVFAIL usually means the domain's own DNS is broken), so
   * c-ares passes every answer through and dns_answer_parse() reads the
   * RCODE and checks the question, which c-ares then leaves to us. */
  ares_opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_EDNS
                    | ARES_FLAG_NOCHECKRESP;
  ares_opts.timeout = (int) MIN (options->timeout_ms != 0 ? options->timeout_ms
                                                          : DNS_DEFAULT_TIMEOUT_MS,
                                 G_MAXINT);
  ares_opts.tries = (int) MIN (options->tries != 0 ? options->tries : DNS_DEFAULT_TRIES,
                               G_MAXINT);
  ares_opts.ednspsz = DNS_EDNS_UDP_BYTES;
  ares_opts.sock_state_cb = resolver_sock_state;
  ares_opts.sock_state_cb_data = resolver;
  status = ares_init_options (&resolver->channel, &ares_opts,
                              ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES
                              | ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_STATE_CB);
  if (status != ARES_SUCCESS)
    {
      resolver->channel = NULL;
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO,
                   "c-ares: cannot set up a resolver: %s", ares_strerror (status));
      return NULL;
    }
  if (options->servers != NULL && options->servers[0] != NULL
      && !resolver_set_servers (resolver->channel, options->servers, error))
    return NULL;
  return g_steal_pointer (&resolver);
}

void
dns_resolver_free (DnsResolver *resolver)
{
  if (resolver == NULL)
    return;
  /* ares_destroy() calls back every query in flight with
   * ARES_EDESTRUCTION, and resolver_ares_done() frees them: the tables
   * they touch must still exist. */
  if (resolver->channel != NULL)
    ares_destroy (resolver->channel);
  g_queue_clear_full (&resolver->waiting, query_free);
  g_queue_clear_full (&resolver->done, query_free);
  g_clear_pointer (&resolver->inflight, g_hash_table_unref);
  g_clear_pointer (&resolver->sockets, g_hash_table_unref);
  g_clear_pointer (&resolver->memo, g_hash_table_unref);
  g_free (resolver);
}

void
dns_resolver_set_cache (DnsResolver *resolver, DnsCacheGetFunc get, DnsCachePutFunc put,
                        gpointer data)
{
  resolver->cache_get = get;
  resolver->cache_put = put;
  resolver->cache_data = data;
}

void
dns_submit (DnsResolver *resolver, const char *name, DnsType type, DnsAnswerFunc func,
            gpointer user_data)
{
  g_queue_push_tail (&resolver->waiting, query_new (resolver, name, type, func, user_data));
}

void
dns_resolver_run (DnsResolver *resolver)
{
  resolver_loop (resolver, NULL, NULL);
}

static void
lookup_answered (DnsAnswer *answer, gpointer user_data)
{
  DnsAnswer **slot = user_data;

  *slot = answer;
}

static gboolean
lookup_is_answered (gpointer data)
{
  DnsAnswer **slot = data;

  return *slot != NULL;
}

DnsAnswer *
dns_lookup (DnsResolver *resolver, const char *name, DnsType type)
{
  DnsAnswer *answer = NULL;

  /* Ahead of any batch, which only shares the loop until this is answered. */
  g_queue_push_head (&resolver->waiting,
                     query_new (resolver, name, type, lookup_answered, &answer));
  resolver_loop (resolver, lookup_is_answered, &answer);
  return answer;
}

guint64
dns_resolver_queries_sent (const DnsResolver *resolver)
{
  return resolver->n_sent;
}
