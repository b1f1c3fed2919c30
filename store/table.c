/*
 * table.c -- see table.h.
 */
#include "store/table.h"
#include "store/db_private.h"

#include <string.h>

static void
row_free (gpointer data, gpointer n_columns)
{
  char **row = data;
  for (guint i = 0; i < GPOINTER_TO_UINT (n_columns); i++)
    g_free (row[i]);
  g_free (row);
}

StoreTable *
store_table_query (Store *store, const char *what, const char *sql,
                   int n_params, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = store_query (store, what, PGRES_TUPLES_OK, sql,
                                          n_params, params, error);
  if (res == NULL)
    return NULL;

  StoreTable *table = g_new0 (StoreTable, 1);
  int n_cols = PQnfields (res);
  table->columns = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_sized_new ((guint) PQntuples (res));
  for (int c = 0; c < n_cols; c++)
    g_ptr_array_add (table->columns, g_strdup (PQfname (res, c)));
  for (int r = 0; r < PQntuples (res); r++)
    {
      char **row = g_new0 (char *, n_cols + 1);
      for (int c = 0; c < n_cols; c++)
        row[c] = PQgetisnull (res, r, c) ? NULL : g_strdup (PQgetvalue (res, r, c));
      g_ptr_array_add (table->rows, row);
    }
  return table;
}

void
store_table_free (StoreTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_foreach (table->rows, row_free, GUINT_TO_POINTER (table->columns->len));
  g_ptr_array_unref (table->rows);
  g_ptr_array_unref (table->columns);
  g_free (table);
}

guint
store_table_n_rows (const StoreTable *table)
{
  return table->rows->len;
}

int
store_table_column (const StoreTable *table, const char *name)
{
  for (guint i = 0; i < table->columns->len; i++)
    if (strcmp (g_ptr_array_index (table->columns, i), name) == 0)
      return (int) i;
  return -1;
}

const char *
store_table_get (const StoreTable *table, guint row, const char *name)
{
  int col = store_table_column (table, name);
  if (col < 0 || row >= table->rows->len)
    return NULL;
  return ((char **) g_ptr_array_index (table->rows, row))[col];
}
