/*
 * table.h -- a small result set: what the read queries of the dashboard
 * return.  Columns have names (the SQL column aliases, which are also the
 * CSV header and the JSON keys); values are text as PostgreSQL printed
 * them, NULL for SQL NULL.
 *
 * Only for bounded results (pages use LIMITs and aggregates); the
 * record-level export streams through query_records.h instead.
 */
#ifndef DMARCSTAT_TABLE_H
#define DMARCSTAT_TABLE_H

#include <glib.h>
#include "store/db.h"

typedef struct
{
  GPtrArray *columns;   /* char*, owned */
  GPtrArray *rows;      /* char** of columns->len entries (NULL allowed), owned */
} StoreTable;

/* Runs SQL with text PARAMS (NULL entries are SQL NULL) and copies the
 * result.  WHAT names the query in errors.  (transfer full) */
StoreTable *store_table_query (Store *store, const char *what, const char *sql,
                               int n_params, const char *const *params, GError **error);
void store_table_free (StoreTable *table);

guint store_table_n_rows (const StoreTable *table);
/* Index of column NAME, or -1. */
int store_table_column (const StoreTable *table, const char *name);
/* Value at ROW of column NAME (or NULL when SQL NULL or no such column).
 * (transfer none) */
const char *store_table_get (const StoreTable *table, guint row, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreTable, store_table_free)

#endif
