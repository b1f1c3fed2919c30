/*
 * pool.c -- see pool.h.
 *
 * One mutex guards the idle list and the count of open connections; a
 * condition variable wakes a waiting borrower when a connection comes back
 * or a slot frees.  Connecting, rolling back and closing happen outside the
 * lock: each costs a round trip (or a connect timeout), and the other
 * threads must not queue behind it.
 */
#include "store/pool.h"
#include "store/db_private.h"
#include "core/error.h"

#include <poll.h>

#define G_LOG_DOMAIN_STORE "dmarcstat-store"

/* What the dashboard's connections may do.  The statement timeout is a
 * backstop for a query plan gone wrong; a page that needs longer is a bug. */
static const char *const pool_session_sql[] = {
  "SET default_transaction_read_only = on",
  "SET statement_timeout = '30s'",
  /* The dashboard's aggregates hash millions of rows; at the default 4 MB
   * they spill to disk. */
  "SET work_mem = '64MB'",
};

struct _StorePool
{
  char *conninfo;       /* owned */
  guint size;           /* most connections open at once */
  guint wait_seconds;   /* longest wait for a free connection */
  GMutex lock;
  GCond freed;          /* signalled when a Store returns or a slot frees */
  GPtrArray *idle;      /* Store*, owned; connected and not lent */
  guint n_open;         /* idle + lent + being opened */
};

StorePool *
store_pool_new (const char *conninfo, guint size, guint wait_seconds)
{
  g_return_val_if_fail (size > 0, NULL);

  StorePool *pool = g_new0 (StorePool, 1);
  pool->conninfo = g_strdup (conninfo);
  pool->size = size;
  pool->wait_seconds = wait_seconds;
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->freed);
  pool->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) store_close);
  return pool;
}

void
store_pool_free (StorePool *pool)
{
  if (pool == NULL)
    return;
  if (pool->n_open != pool->idle->len)
    g_critical ("store pool freed with %u connections still lent",
                pool->n_open - pool->idle->len);
  g_ptr_array_unref (pool->idle);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->freed);
  g_free (pool->conninfo);
  g_free (pool);
}

static Store *
pool_connect (StorePool *pool, GError **error)
{
  g_autoptr (Store) store = store_open (pool->conninfo, error);

  if (store == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (pool_session_sql); i++)
    if (!store_exec (store, pool_session_sql[i], error))
      return NULL;
  return g_steal_pointer (&store);
}

/* An idle connection has nothing to say: anything readable on its socket
 * is the server's goodbye (a FATAL message after a restart, a terminated
 * backend or an idle timeout, then EOF), which libpq notices only at the
 * next query.  Checked without blocking, so that a dead connection is
 * replaced now rather than failing the request. */
static gboolean
pool_is_alive (Store *store)
{
  PGconn *conn = store_pg (store);
  struct pollfd pfd = { .fd = PQsocket (conn), .events = POLLIN };

  if (!store_is_ok (store) || PQtransactionStatus (conn) != PQTRANS_IDLE || pfd.fd < 0)
    return FALSE;
  return poll (&pfd, 1, 0) == 0;
}

/* Forgets one open connection (closed by the caller) and wakes a waiter,
 * who may now open a new one. */
static void
pool_drop_slot (StorePool *pool)
{
  g_mutex_lock (&pool->lock);
  pool->n_open--;
  g_cond_signal (&pool->freed);
  g_mutex_unlock (&pool->lock);
}

/* Under the lock: an idle Store, or NULL with *RESERVED_OUT set when a
 * slot was reserved for a new connection, or NULL alone at DEADLINE. */
static Store *
pool_take_locked (StorePool *pool, gint64 deadline, gboolean *reserved_out)
{
  *reserved_out = FALSE;
  while (pool->idle->len == 0 && pool->n_open >= pool->size)
    if (!g_cond_wait_until (&pool->freed, &pool->lock, deadline))
      break;
  if (pool->idle->len > 0)
    return g_ptr_array_steal_index_fast (pool->idle, pool->idle->len - 1);
  if (pool->n_open < pool->size)
    {
      pool->n_open++;
      *reserved_out = TRUE;
    }
  return NULL;
}

Store *
store_pool_acquire (StorePool *pool, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) pool->wait_seconds * G_TIME_SPAN_SECOND;

  for (;;)
    {
      gboolean reserved;
      g_mutex_lock (&pool->lock);
      Store *store = pool_take_locked (pool, deadline, &reserved);
      g_mutex_unlock (&pool->lock);

      if (store != NULL && pool_is_alive (store))
        return store;
      if (store != NULL)
        {
          g_log (G_LOG_DOMAIN_STORE, G_LOG_LEVEL_DEBUG, "pool: replacing a broken connection");
          store_close (store);
          pool_drop_slot (pool);
          continue;
        }
      if (!reserved)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_STORE_UNAVAILABLE,
                       "no database connection came free within %u s (all %u busy)",
                       pool->wait_seconds, pool->size);
          return NULL;
        }
      store = pool_connect (pool, error);
      if (store == NULL)
        pool_drop_slot (pool);
      return store;
    }
}

void
store_pool_release (StorePool *pool, Store *store)
{
  if (store == NULL)
    return;
  /* A cursor left open by an export the client abandoned: one ROLLBACK
   * makes the connection clean for the next borrower. */
  PGTransactionStatusType status = PQtransactionStatus (store_pg (store));
  if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR)
    store_rollback (store);
  if (!store_is_ok (store) || PQtransactionStatus (store_pg (store)) != PQTRANS_IDLE)
    {
      store_close (store);
      pool_drop_slot (pool);
      return;
    }
  g_mutex_lock (&pool->lock);
  g_ptr_array_add (pool->idle, store);
  g_cond_signal (&pool->freed);
  g_mutex_unlock (&pool->lock);
}
