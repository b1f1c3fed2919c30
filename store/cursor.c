/*
 * cursor.c -- see cursor.h.  A NO SCROLL cursor rather than libpq's
 * single-row mode: a client that stops reading halfway then leaves a
 * transaction that one ROLLBACK ends, not a connection stuck mid-query.
 */
#include "store/cursor.h"
#include "store/db_private.h"
#include "core/error.h"

#define FETCH_ROWS 1000

struct _StoreCursor
{
  Store *store;          /* borrowed: outlives the cursor */
  char *what;            /* owned */
  guint n_columns;
  PGresult *batch;       /* owned: the last FETCH */
  int next_row;          /* in batch */
  gboolean is_done;      /* the last FETCH was short: no more rows */
  const char **values;   /* n_columns, borrowed from batch */
};

StoreCursor *
store_cursor_open (Store *store, const char *what, const char *select_sql,
                   int n_params, const char *const *params, guint n_columns, GError **error)
{
  g_autofree char *sql = g_strconcat ("DECLARE dmarcstat_cursor NO SCROLL CURSOR FOR ",
                                      select_sql, NULL);

  if (!store_exec (store, "BEGIN READ ONLY", error))
    return NULL;
  g_autoptr (PGresult) res = store_query (store, what, PGRES_COMMAND_OK, sql,
                                          n_params, params, error);
  if (res == NULL)
    {
      store_rollback (store);
      return NULL;
    }
  StoreCursor *cursor = g_new0 (StoreCursor, 1);
  cursor->store = store;
  cursor->what = g_strdup (what);
  cursor->n_columns = n_columns;
  cursor->values = g_new0 (const char *, MAX (n_columns, 1));
  return cursor;
}

/* Replaces the batch with the next FETCH; FALSE at the end or on error. */
static gboolean
store_cursor_fetch (StoreCursor *cursor, GError **error)
{
  g_clear_pointer (&cursor->batch, PQclear);
  cursor->next_row = 0;
  if (cursor->is_done)
    return FALSE;
  cursor->batch = store_query (cursor->store, cursor->what, PGRES_TUPLES_OK,
                               "FETCH " G_STRINGIFY (FETCH_ROWS) " FROM dmarcstat_cursor",
                               0, NULL, error);
  if (cursor->batch == NULL)
    {
      cursor->is_done = TRUE;
      return FALSE;
    }
  if (PQnfields (cursor->batch) != (int) cursor->n_columns)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_STORE_FAILED,
                   "%s: unexpected columns", cursor->what);
      cursor->is_done = TRUE;
      return FALSE;
    }
  if (PQntuples (cursor->batch) < FETCH_ROWS)
    cursor->is_done = TRUE;
  return PQntuples (cursor->batch) > 0;
}

gboolean
store_cursor_next (StoreCursor *cursor, const char *const **values_out, GError **error)
{
  if (cursor->batch == NULL || cursor->next_row >= PQntuples (cursor->batch))
    if (!store_cursor_fetch (cursor, error))
      return FALSE;

  const int row = cursor->next_row++;
  for (guint i = 0; i < cursor->n_columns; i++)
    cursor->values[i] = PQgetisnull (cursor->batch, row, (int) i)
                        ? NULL : PQgetvalue (cursor->batch, row, (int) i);
  *values_out = cursor->values;
  return TRUE;
}

void
store_cursor_close (StoreCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_clear_pointer (&cursor->batch, PQclear);
  store_rollback (cursor->store);
  g_free (cursor->what);
  g_free (cursor->values);
  g_free (cursor);
}
