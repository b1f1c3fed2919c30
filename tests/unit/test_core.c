/*
 * test_core.c -- the error table, limits loading, config checks, the safe
 * printing of hostile text, org-name normalisation, and COPY escaping.
 */
#include "core/config.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/report.h"
#include "store/copy_text.h"

#include <glib/gstdio.h>
#include <string.h>

static void
test_error_table_maps_codes (void)
{
  struct { int code; Stage stage; int status; gboolean transient; } cases[] = {
    { DMARCSTAT_ERROR_MAIL_NO_REPORT, STAGE_MAIL, EXIT_REJECTED, FALSE },
    { DMARCSTAT_ERROR_UNPACK_RATIO, STAGE_UNPACK, EXIT_REJECTED, FALSE },
    { DMARCSTAT_ERROR_XML_FORBIDDEN, STAGE_XML, EXIT_REJECTED, FALSE },
    { DMARCSTAT_ERROR_STORE_UNAVAILABLE, STAGE_STORE, EXIT_DB, TRUE },
    { DMARCSTAT_ERROR_STORE_TRANSIENT, STAGE_STORE, EXIT_DB, TRUE },
    { DMARCSTAT_ERROR_STORE_FAILED, STAGE_STORE, EXIT_REJECTED, FALSE },
    { DMARCSTAT_ERROR_USAGE, STAGE_NONE, EXIT_USAGE, FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) e = g_error_new_literal (DMARCSTAT_ERROR, cases[i].code, "x");
      g_assert_cmpint (error_stage (e), ==, cases[i].stage);
      g_assert_cmpint (error_exit_status (e), ==, cases[i].status);
      g_assert_cmpint (error_is_transient (e), ==, cases[i].transient);
    }
  g_assert_cmpstr (error_stage_name (STAGE_UNPACK), ==, "unpack");
  g_autoptr (GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "x");
  g_assert_cmpint (error_exit_status (other), ==, EXIT_REJECTED);
  g_assert_false (error_is_transient (other));
}

static void
test_limits_defaults_follow_spec (void)
{
  const Limits *l = limits_default ();
  g_assert_cmpuint (l->mail_max_bytes, ==, 50 * 1024 * 1024);
  g_assert_cmpuint (l->unpack_max_bytes, ==, 256 * 1024 * 1024);
  g_assert_cmpuint (l->zip_max_entries, ==, 16);
  g_assert_cmpuint (l->xml_max_depth, ==, 64);
}

static void
test_limits_load_checks_keys_and_ranges (void)
{
  struct { const char *text; const char *want_error; guint64 want_entries; } cases[] = {
    { "[limits]\nzip_max_entries = 4\n", NULL, 4 },
    { "[other]\nx = 1\n", NULL, 16 },
    { "[limits]\nzip_max_entrie = 4\n", "[limits] zip_max_entrie: unknown limit", 0 },
    { "[limits]\nzip_max_entries = 0\n", "[limits] zip_max_entries: 0 is outside 1..100000", 0 },
    { "[limits]\nzip_max_entries = many\n", "[limits] zip_max_entries:", 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_autoptr (GError) error = NULL;
      Limits got;
      g_assert_true (g_key_file_load_from_data (kf, cases[i].text, -1, 0, NULL));
      gboolean ok = limits_load (kf, &got, &error);
      if (cases[i].want_error == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (got.zip_max_entries, ==, cases[i].want_entries);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
      g_assert_true (g_str_has_prefix (error->message, cases[i].want_error));
    }
}

static void
test_limits_format_bytes (void)
{
  struct { guint64 bytes; const char *want; } cases[] = {
    { 256 * 1024 * 1024, "256 MiB" }, { 19 * 1024, "19 KiB" }, { 300, "300 bytes" },
    { 1025, "1025 bytes" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = limits_format_bytes (cases[i].bytes);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

static void
test_config_loads_and_names_bad_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dmarcstat-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "c.conf", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "[database]\nconninfo = dbname=x\n"
                                      "[ingest]\nrescan_seconds = 5\n", -1, NULL));
  g_autoptr (Config) config = config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->db_conninfo, ==, "dbname=x");
  g_assert_cmpuint (config->rescan_seconds, ==, 5);

  g_assert_true (g_file_set_contents (path, "[ingest]\nrescan_seconds = 0\n", -1, NULL));
  g_autoptr (Config) bad = config_load (path, &error);
  g_assert_null (bad);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "rescan_seconds"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Found by fuzz_config: two invalid escapes made GLib warn and drop the
   * value; now a usage error naming the key, and valid escapes still work. */
  g_assert_true (g_file_set_contents (path, "[advise]\nrua = a\\.b\\.c\n", -1, NULL));
  g_autoptr (Config) escapes = config_load (path, &error);
  g_assert_null (escapes);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "[advise] rua: a backslash"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "[database]\nconninfo = a\\sb\\\\c\n", -1, NULL));
  g_autoptr (Config) valid = config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (valid->db_conninfo, ==, "a b\\c");

  g_autoptr (Config) missing = config_load ("/nonexistent/dmarcstat.conf", &error);
  g_assert_null (missing);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_safe_str_escapes_hostile_text (void)
{
  struct { const char *in; const char *want; } cases[] = {
    { "plain org", "plain org" },
    { "\033[31mred", "\\x1b[31mred" },
    { "a\nb\tc", "a\\x0ab\\x09c" },
    { "quote\" back\\", "quote\\\" back\\\\" },
    { "rtl\xe2\x80\xae" "gpj.exe", "rtl\\u202egpj.exe" },
    { "bad\xff utf8", "bad\\xff utf8" },
    { "caf\xc3\xa9", "caf\xc3\xa9" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = log_safe_str (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
  g_autofree char *long_in = g_strnfill (1000, 'x');
  g_autofree char *cut = log_safe_str (long_in);
  g_assert_cmpuint (strlen (cut), ==, 203);
  g_assert_true (g_str_has_suffix (cut, "..."));
  g_autofree char *with_nul = log_safe_buf ("a\0b", 3);
  g_assert_cmpstr (with_nul, ==, "a\\x00b");
}

static void
test_org_names_normalise (void)
{
  struct { const char *in; const char *want; } cases[] = {
    { "Google.com", "google.com" },
    { "  Enterprise   Outlook ", "enterprise outlook" },
    { "FastMail Pty\tLtd", "fastmail pty ltd" },
    { "\xc3\x89" "COLE", "\xc3\xa9" "cole" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = report_normalize_org (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

static void
test_report_warnings_are_deduplicated (void)
{
  g_autoptr (Report) r = report_new ();
  for (int i = 0; i < 1000; i++)
    report_add_warning (r, "record %d: odd", i % 3);
  g_assert_cmpuint (r->warnings->len, ==, 3);
  for (int i = 0; i < 1000; i++)
    report_add_warning (r, "distinct %d", i);
  g_assert_cmpuint (r->warnings->len, ==, 100);
}

static const char *
get_str (GPtrArray *a, guint i)
{
  return g_ptr_array_index (a, i);
}

static void
test_copy_text_escapes (void)
{
  g_autoptr (GString) row = g_string_new (NULL);
  copy_text_append (row, "a\tb\nc\\d\re");
  g_string_append_c (row, '|');
  copy_text_append (row, NULL);
  g_assert_cmpstr (row->str, ==, "a\\tb\\nc\\\\d\\re|\\N");

  g_autoptr (GPtrArray) arr = g_ptr_array_new ();
  g_ptr_array_add (arr, "x\"y");
  g_ptr_array_add (arr, NULL);
  g_ptr_array_add (arr, "b\\s,{}");
  g_string_truncate (row, 0);
  copy_text_append_array (row, arr, get_str);
  g_assert_cmpstr (row->str, ==, "{\"x\\\\\"y\",NULL,\"b\\\\\\\\s,{}\"}");
  g_autofree char *lit = copy_text_array_literal (arr);
  g_assert_cmpstr (lit, ==, "{\"x\\\"y\",NULL,\"b\\\\s,{}\"}");
  g_autoptr (GPtrArray) empty = g_ptr_array_new ();
  g_autofree char *none = copy_text_array_literal (empty);
  g_assert_cmpstr (none, ==, "{}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/error/table-maps-codes", test_error_table_maps_codes);
  g_test_add_func ("/core/limits/defaults-follow-spec", test_limits_defaults_follow_spec);
  g_test_add_func ("/core/limits/load-checks-keys-and-ranges", test_limits_load_checks_keys_and_ranges);
  g_test_add_func ("/core/limits/format-bytes", test_limits_format_bytes);
  g_test_add_func ("/core/config/loads-and-names-bad-file", test_config_loads_and_names_bad_file);
  g_test_add_func ("/core/log/safe-str-escapes-hostile-text", test_safe_str_escapes_hostile_text);
  g_test_add_func ("/core/report/org-names-normalise", test_org_names_normalise);
  g_test_add_func ("/core/report/warnings-are-deduplicated", test_report_warnings_are_deduplicated);
  g_test_add_func ("/store/copy-text/escapes", test_copy_text_escapes);
  return g_test_run ();
}
