/*
 * fuzz_csv.c -- the CSV writer, with a real oracle: what it writes must
 * read back, with a strict RFC 4180 reader written here, as the fields it
 * was given.
 *
 * Input: the fields of one row, separated by NUL bytes (CSV fields are C
 * strings, so NUL is the one byte a field cannot hold); a field that is
 * exactly "\x01" stands for NULL.  The row is written twice through one
 * writer, which must reuse its buffer without leftovers.
 *
 * The reader expects exactly two records, each of N fields, where field I
 * is the input field made valid UTF-8 (U+FFFD for bad bytes), with "'"
 * in front when it starts with = + - @ TAB or CR and is not a plain
 * number (csv.h), and "" for NULL.  The number rule is restated here as a
 * regular expression rather than by calling csv_is_number(), so that the
 * two are checked against each other.
 */
#include "tests/fuzz/fuzz.h"
#include "core/csv.h"

#include <string.h>

#define FUZZ_CSV_MAX_FIELDS 256

static gboolean
collect (const char *data, gsize len, gpointer user_data, GError **error G_GNUC_UNUSED)
{
  g_string_append_len (user_data, data, (gssize) len);
  return TRUE;
}

/* The cell a spreadsheet must see for FIELD. (transfer full) */
static char *
expected_cell (const char *field)
{
  static GRegex *number = NULL;

  if (field == NULL)
    return g_strdup ("");
  if (number == NULL)
    number = g_regex_new ("\\A[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\z",
                          G_REGEX_OPTIMIZE, 0, NULL);
  g_autofree char *valid = g_utf8_make_valid (field, -1);
  gboolean is_number = g_regex_match (number, valid, 0, NULL);
  fuzz_check (is_number == csv_is_number (valid), "csv_is_number() disagrees with the rule");
  if (valid[0] != '\0' && strchr ("=+-@\t\r", valid[0]) != NULL && !is_number)
    return g_strconcat ("'", valid, NULL);
  return g_steal_pointer (&valid);
}

/* A strict RFC 4180 reader: records end in CRLF, fields are separated by
 * commas; a quoted field doubles its quotes; an unquoted one holds no
 * quote, comma, CR or LF.  NULL when TEXT is not such CSV.
 * (transfer full) a GPtrArray of records, each a GPtrArray of char* */
static GPtrArray *
read_csv (const char *text, gsize len)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text, *end = text + len;

  while (p < end)
    {
      GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (records, fields);
      for (;;)
        {
          GString *field = g_string_new (NULL);
          if (p < end && *p == '"')
            {
              for (p++;; p++)
                {
                  if (p >= end)
                    {
                      g_string_free (field, TRUE);
                      return NULL;   /* unterminated quote */
                    }
                  if (*p == '"' && p + 1 < end && p[1] == '"')
                    p++;
                  else if (*p == '"')
                    break;
                  g_string_append_c (field, *p);
                }
              p++;
            }
          else
            while (p < end && *p != ',' && *p != '\r' && *p != '\n')
              {
                if (*p == '"')
                  {
                    g_string_free (field, TRUE);
                    return NULL;   /* a quote in an unquoted field */
                  }
                g_string_append_c (field, *p++);
              }
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            {
              p += 2;
              break;
            }
          return NULL;   /* a record not ended by CRLF */
        }
    }
  return g_steal_pointer (&records);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (CsvWriter) writer = csv_writer_new (collect, out);
  const uint8_t *p = data, *end = data + size;

  while (size > 0 && fields->len < FUZZ_CSV_MAX_FIELDS)
    {
      const uint8_t *nul = memchr (p, '\0', (gsize) (end - p));
      const uint8_t *stop = nul ? nul : end;
      char *field = g_strndup ((const char *) p, (gsize) (stop - p));
      if (strcmp (field, "\x01") == 0)
        g_clear_pointer (&field, g_free);
      g_ptr_array_add (fields, field);
      g_ptr_array_add (want, expected_cell (field));
      if (nul == NULL)
        break;
      p = nul + 1;
    }
  /* No field at all reads back as one empty field: "\r\n" is both. */
  if (want->len == 0)
    g_ptr_array_add (want, g_strdup (""));

  for (int row = 0; row < 2; row++)
    fuzz_check (csv_write_row (writer, (const char *const *) fields->pdata, fields->len, NULL),
                "csv_write_row() failed with a write function that never fails");
  fuzz_check (g_utf8_validate (out->str, (gssize) out->len, NULL), "CSV output that is not UTF-8");

  g_autoptr (GPtrArray) records = read_csv (out->str, out->len);
  fuzz_check (records != NULL, "output that is not RFC 4180 CSV");
  fuzz_check (records->len == 2, "not two records for two rows");
  for (guint r = 0; r < records->len; r++)
    {
      GPtrArray *got = g_ptr_array_index (records, r);
      fuzz_check (got->len == want->len, "a record with another number of fields");
      for (guint i = 0; i < got->len; i++)
        fuzz_check (strcmp (g_ptr_array_index (got, i), g_ptr_array_index (want, i)) == 0,
                    "a field that does not read back as written");
    }
  return 0;
}
