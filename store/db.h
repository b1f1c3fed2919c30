/*
 * db.h -- a connection to PostgreSQL.
 *
 * Store wraps one libpq connection.  The rest of the program sees only this
 * opaque type; store/ files reach the PGconn through db_private.h.  libpq
 * notices go to g_log; SQL errors become GErrors whose code says whether
 * they are transient (connection lost, shutdown, serialization failure,
 * deadlock: retry later) or permanent.
 */
#ifndef DMARCSTAT_DB_H
#define DMARCSTAT_DB_H

#include <glib.h>

typedef struct _Store Store;

/* CONNINFO is a URI or key=value string (NULL or "" uses $DMARCSTAT_DB,
 * else libpq's PG* variables).  Fails with STORE_UNAVAILABLE.
 * (transfer full) */
Store *store_open (const char *conninfo, GError **error);
void store_close (Store *store);

/* For a session that stores reports (import, the ingest workers): the
 * rollup statement groups and orders a large report's records, and
 * PostgreSQL's default work_mem (4 MB) sends a 100,000-record report's
 * sorts to disk; measured, 64 MB keeps them in memory and takes about a
 * tenth off that statement.  The dashboard's sessions keep the default. */
gboolean store_tune_for_writing (Store *store, GError **error);

/* Runs SQL that returns no rows. */
gboolean store_exec (Store *store, const char *sql, GError **error);

gboolean store_begin (Store *store, GError **error);
gboolean store_commit (Store *store, GError **error);
/* Best effort; a lost connection is no error here. */
void store_rollback (Store *store);

/* One savepoint per report inside a mail's transaction, so that a broken
 * report rolls back alone and the mail's other reports still commit. */
gboolean store_savepoint (Store *store, GError **error);
gboolean store_release_savepoint (Store *store, GError **error);
gboolean store_rollback_to_savepoint (Store *store, GError **error);

/* TRUE while the connection is usable. */
gboolean store_is_ok (Store *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Store, store_close)

#endif
