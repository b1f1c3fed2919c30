/*
 * test_csv.c -- the CSV writer: RFC 4180 quoting, CRLF, formula cells.
 *
 * Table-driven, got/want: each case is one row of fields and the exact
 * bytes it must become.
 */
#include "core/csv.h"

#include <string.h>

typedef struct
{
  const char *name;
  const char *fields[4];
  gsize n;
  const char *want;
} RowCase;

static const RowCase row_cases[] = {
  { "plain", { "a", "b", "c" }, 3, "a,b,c\r\n" },
  { "comma", { "a,b", "c" }, 2, "\"a,b\",c\r\n" },
  { "quote", { "say \"hi\"" }, 1, "\"say \"\"hi\"\"\"\r\n" },
  { "lf", { "line1\nline2", "x" }, 2, "\"line1\nline2\",x\r\n" },
  { "crlf", { "a\r\nb" }, 1, "\"a\r\nb\"\r\n" },
  { "null-fields", { NULL, "x", NULL }, 3, ",x,\r\n" },
  { "empty", { "", "" }, 2, ",\r\n" },
  { "no-fields", { NULL }, 0, "\r\n" },
  { "unicode", { "Zürich", "日本語", "😀" }, 3, "Zürich,日本語,😀\r\n" },
  { "invalid-utf8", { "a\xff" "b" }, 1, "a\xef\xbf\xbd" "b\r\n" },
  /* formula cells get a leading quote, then ordinary quoting */
  { "formula-dde", { "=cmd|' /C calc'!A0" }, 1, "'=cmd|' /C calc'!A0\r\n" },
  { "formula-plus", { "+1+1" }, 1, "'+1+1\r\n" },
  { "formula-minus", { "-2+3" }, 1, "'-2+3\r\n" },
  { "formula-at", { "@SUM(A1:A9)" }, 1, "'@SUM(A1:A9)\r\n" },
  { "formula-tab", { "\t=1" }, 1, "'\t=1\r\n" },
  { "formula-cr", { "\r=1" }, 1, "\"'\r=1\"\r\n" },
  { "formula-comma", { "=1,2" }, 1, "\"'=1,2\"\r\n" },
  { "formula-quote", { "=\"x\"" }, 1, "\"'=\"\"x\"\"\"\r\n" },
  { "formula-minus-alone", { "-" }, 1, "'-\r\n" },
  { "equals-inside", { "a=b" }, 1, "a=b\r\n" },
  /* numbers are data, not formulas */
  { "number-negative", { "-5" }, 1, "-5\r\n" },
  { "number-decimal", { "3.14" }, 1, "3.14\r\n" },
  { "number-negative-decimal", { "-0.5" }, 1, "-0.5\r\n" },
  { "number-plus", { "+7" }, 1, "+7\r\n" },
  { "number-exponent", { "-1e-3" }, 1, "-1e-3\r\n" },
  { "number-dot-digits", { "-.5" }, 1, "-.5\r\n" },
};

static gboolean
collect (const char *data, gsize len, gpointer user_data, GError **error G_GNUC_UNUSED)
{
  g_string_append_len (user_data, data, (gssize) len);
  return TRUE;
}

static void
test_rows (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (row_cases); i++)
    {
      const RowCase *c = &row_cases[i];
      g_autoptr (GString) got = g_string_new (NULL);
      g_autoptr (CsvWriter) writer = csv_writer_new (collect, got);
      g_autoptr (GError) error = NULL;

      g_assert_true (csv_write_row (writer, c->fields, c->n, &error));
      g_assert_no_error (error);
      if (strcmp (got->str, c->want) != 0)
        {
          g_autofree char *g = g_strescape (got->str, NULL);
          g_autofree char *w = g_strescape (c->want, NULL);
          g_test_message ("%s: got \"%s\", want \"%s\"", c->name, g, w);
          g_test_fail ();
        }
    }
}

static void
test_rows_accumulate (void)
{
  const char *header[] = { "id", "name" };
  const char *row[] = { "1", "=x" };
  g_autoptr (GString) got = g_string_new (NULL);
  g_autoptr (CsvWriter) writer = csv_writer_new (collect, got);

  g_assert_true (csv_write_row (writer, header, 2, NULL));
  g_assert_true (csv_write_row (writer, row, 2, NULL));
  g_assert_cmpstr (got->str, ==, "id,name\r\n1,'=x\r\n");
}

static gboolean
fail_write (const char *data G_GNUC_UNUSED, gsize len G_GNUC_UNUSED,
            gpointer user_data G_GNUC_UNUSED, GError **error)
{
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_PIPE, "broken pipe");
  return FALSE;
}

static void
test_write_error (void)
{
  const char *row[] = { "a" };
  g_autoptr (CsvWriter) writer = csv_writer_new (fail_write, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (csv_write_row (writer, row, 1, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_PIPE);
}

static void
test_is_number (void)
{
  static const struct { const char *text; gboolean want; } cases[] = {
    { "0", TRUE }, { "-5", TRUE }, { "+5", TRUE }, { "3.14", TRUE },
    { "-0.5", TRUE }, { ".5", TRUE }, { "5.", TRUE }, { "1e10", TRUE },
    { "-2E+3", TRUE },
    { "", FALSE }, { "-", FALSE }, { "+", FALSE }, { ".", FALSE },
    { "-.", FALSE }, { "1e", FALSE }, { "1e+", FALSE }, { "-2+3", FALSE },
    { "+1+1", FALSE }, { "1 ", FALSE }, { " 1", FALSE }, { "0x10", FALSE },
    { "-5;", FALSE }, { "--5", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (csv_is_number (cases[i].text) != cases[i].want)
      {
        g_test_message ("csv_is_number(\"%s\"): got %d, want %d", cases[i].text,
                        !cases[i].want, cases[i].want);
        g_test_fail ();
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/rows/quote-crlf-formula-as-table", test_rows);
  g_test_add_func ("/csv/rows/accumulate-in-order", test_rows_accumulate);
  g_test_add_func ("/csv/write-error/is-returned", test_write_error);
  g_test_add_func ("/csv/is-number/accepts-plain-decimals-only", test_is_number);
  return g_test_run ();
}
