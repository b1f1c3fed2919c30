/*
 * cursor.h -- for store/ files only: a server-side cursor read 1,000 rows
 * at a time, so that an export of any size runs in constant memory.
 *
 * store_cursor_open() starts a read-only transaction and DECLAREs the
 * cursor; store_cursor_close() ends it with ROLLBACK, which is all a client
 * that went away mid-stream costs.  The connection must run nothing else in
 * between.
 */
#ifndef DMARCSTAT_CURSOR_H
#define DMARCSTAT_CURSOR_H

#include <glib.h>
#include "store/db.h"

typedef struct _StoreCursor StoreCursor;

/* SELECT_SQL with text PARAMS; every row must have N_COLUMNS columns.
 * WHAT names the query in errors.  (transfer full) */
StoreCursor *store_cursor_open (Store *store, const char *what, const char *select_sql,
                                int n_params, const char *const *params,
                                guint n_columns, GError **error);

/* The next row's values (NULL for SQL NULL), valid until the next call.
 * FALSE at the end (no error) or on error. */
gboolean store_cursor_next (StoreCursor *cursor, const char *const **values_out,
                            GError **error);

void store_cursor_close (StoreCursor *cursor);

#endif
