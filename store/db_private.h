/*
 * db_private.h -- for store/ files only: the PGconn behind a Store, and the
 * one place that turns a libpq failure into a GError.
 */
#ifndef DMARCSTAT_DB_PRIVATE_H
#define DMARCSTAT_DB_PRIVATE_H

#include <libpq-fe.h>
#include "store/db.h"
#include "core/autocleanups.h"

/* (transfer none) valid until store_close */
PGconn *store_pg (Store *store);

/* Sets ERROR from RES (may be NULL: then from the connection).  Classifies
 * by SQLSTATE: class 08, 57P01..57P03, 40001, 40P01 and a bad connection
 * are transient.  WHAT names the operation ("saving report"). */
void store_set_error (Store *store, PGresult *res, const char *what, GError **error);

/* Prepares SQL as NAME on this connection the first time it is asked for
 * (protocol-level prepared statements outlive transactions, rolled back or
 * not; a new connection is a new Store).  A statement run for every report
 * is planned once instead of each time. */
gboolean store_prepare_once (Store *store, const char *name, const char *sql, int n_params,
                             GError **error);

/* PQexecParams with text parameters and text results; on failure sets
 * ERROR and returns NULL.  EXPECT is PGRES_COMMAND_OK or PGRES_TUPLES_OK. */
PGresult *store_query (Store *store, const char *what, ExecStatusType expect,
                       const char *sql, int n_params, const char *const *params,
                       GError **error);

#endif
