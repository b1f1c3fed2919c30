/*
 * pool.h -- a thread-safe pool of read-only database connections for the
 * dashboard.
 *
 * `dmarcstat serve` answers requests on several libmicrohttpd threads, and
 * a libpq connection must not be used by two threads at once.  Each request
 * borrows one Store with store_pool_acquire() and gives it back with
 * store_pool_release(); a streaming export keeps its Store until the last
 * chunk is sent (or the client is gone).
 *
 * Connections open lazily, up to SIZE, and each is made read-only
 * (default_transaction_read_only) with a statement timeout, so that no page
 * can write and no query can hold a connection forever.  A connection that
 * broke (server restart, network) is closed and replaced; one returned
 * inside a transaction (an export whose client went away) is rolled back
 * first.
 *
 * Errors: store_pool_acquire() fails with DMARCSTAT_ERROR_STORE_UNAVAILABLE
 * when it cannot connect, or when no connection came free within the wait.
 *
 * Ownership: the pool owns every Store it made, lent or not; a borrower
 * must return each Store before store_pool_free(), which closes them all.
 */
#ifndef DMARCSTAT_POOL_H
#define DMARCSTAT_POOL_H

#include <glib.h>
#include "store/db.h"

typedef struct _StorePool StorePool;

/* CONNINFO as for store_open() (copied).  At most SIZE connections are
 * open at once; acquire waits at most WAIT_SECONDS for one to come free.
 * Connects to nothing yet.  (transfer full) */
StorePool *store_pool_new (const char *conninfo, guint size, guint wait_seconds);
void store_pool_free (StorePool *pool);

/* A connection for this thread's exclusive use until released.
 * (transfer none: return it with store_pool_release) */
Store *store_pool_acquire (StorePool *pool, GError **error);
/* Gives STORE back (NULL is ignored).  A broken one is closed. */
void store_pool_release (StorePool *pool, Store *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StorePool, store_pool_free)

#endif
