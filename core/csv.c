/*
 * csv.c -- see csv.h.
 *
 * The row is built in one GString that is reused, then handed over whole:
 * memory is one row, and the write function sees whole rows only (a web
 * stream can stop between rows).
 */
#include "core/csv.h"

#include <string.h>

struct _CsvWriter
{
  CsvWriteFunc write;
  gpointer user_data;   /* borrowed: outlives the writer */
  GString *row;         /* owned; the row being formatted */
};

CsvWriter *
csv_writer_new (CsvWriteFunc write, gpointer user_data)
{
  CsvWriter *writer = g_new0 (CsvWriter, 1);

  writer->write = write;
  writer->user_data = user_data;
  writer->row = g_string_sized_new (1024);
  return writer;
}

void
csv_writer_free (CsvWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->row, TRUE);
  g_free (writer);
}

static const char *
skip_digits (const char *p, gboolean *has_digits_out)
{
  *has_digits_out = g_ascii_isdigit (*p);
  while (g_ascii_isdigit (*p))
    p++;
  return p;
}

gboolean
csv_is_number (const char *text)
{
  const char *p = text;
  gboolean int_digits, frac_digits = FALSE, exp_digits;

  if (*p == '+' || *p == '-')
    p++;
  p = skip_digits (p, &int_digits);
  if (*p == '.')
    p = skip_digits (p + 1, &frac_digits);
  if (!int_digits && !frac_digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      p = skip_digits (p, &exp_digits);
      if (!exp_digits)
        return FALSE;
    }
  return *p == '\0';
}

static gboolean
csv_is_formula (const char *text)
{
  return text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL
         && !csv_is_number (text);
}

static void
csv_append_field (GString *row, const char *field)
{
  g_autofree char *valid = NULL;

  if (field == NULL)
    return;
  if (!g_utf8_validate (field, -1, NULL))
    field = valid = g_utf8_make_valid (field, -1);

  const gboolean is_formula = csv_is_formula (field);
  const gboolean needs_quotes = strpbrk (field, ",\"\r\n") != NULL;

  if (needs_quotes)
    g_string_append_c (row, '"');
  if (is_formula)
    g_string_append_c (row, '\'');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  if (needs_quotes)
    g_string_append_c (row, '"');
}

gboolean
csv_write_row (CsvWriter *writer, const char *const *fields, gsize n, GError **error)
{
  GString *row = writer->row;

  g_string_truncate (row, 0);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (row, ',');
      csv_append_field (row, fields[i]);
    }
  g_string_append (row, "\r\n");
  return writer->write (row->str, row->len, writer->user_data, error);
}
