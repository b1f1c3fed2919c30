/*
 * cmd_export.c -- dmarcstat export: stored records to stdout, CSV or JSON.
 *
 *   dmarcstat export [--format csv|json] [--level records|sources]
 *                    [--domain D] [--since DATE] [--until DATE]
 *
 * DATE is YYYY-MM-DD (midnight UTC) or a full ISO 8601 date and time (UTC
 * unless it names an offset).  --since and --until select reports by the
 * start of their date range: since inclusive, until exclusive, so
 * "--since 2024-05-01 --until 2024-06-01" is May.
 *
 * --level records (default): one row per record, query_records.h's columns.
 * --level sources: one row per source per domain for the period, the
 * columns of the domain page's sources table (store/query_dashboard.h),
 * from the same query, so the CSV equals the web's /domains/D.csv for the
 * same --since/--until (without --since, every report counts, where the
 * web would take the last 30 days of data).
 *
 * CSV: a header row, then one row per record or source, through core/csv.c
 * (RFC 4180, CRLF, formula cells neutralised).
 * JSON: one array of objects with the same keys, one object per line;
 * counts, ids and percentages are numbers, True/False columns booleans,
 * absent values null, everything else strings.
 *
 * Both stream: rows come from a cursor 1000 at a time and go out through
 * stdio's buffer, so memory does not grow with the export.
 *
 * Exit: 0 done; 2 usage error (bad option, bad date); 3 the database could
 * not be reached; 1 the query or a write to stdout failed halfway (the
 * output is then incomplete, and the last line on stderr says why).  A
 * closed pipe (dmarcstat export | head) ends the process with SIGPIPE, as
 * for any filter.
 */
#include "core/json.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/log.h"
#include "store/query_dashboard.h"
#include "store/query_records.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  char *format;   /* --format: csv (default) or json */
  char *level;    /* --level: records (default) or sources */
  char *domain;
  char *since;
  char *until;
} ExportOptions;

static void
export_options_clear (ExportOptions *opts)
{
  g_clear_pointer (&opts->format, g_free);
  g_clear_pointer (&opts->level, g_free);
  g_clear_pointer (&opts->domain, g_free);
  g_clear_pointer (&opts->since, g_free);
  g_clear_pointer (&opts->until, g_free);
}

static gboolean
export_write_stdout (const char *data, gsize len, gpointer user_data G_GNUC_UNUSED,
                     GError **error)
{
  if (len > 0 && fwrite (data, 1, len, stdout) != len)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write to standard output: %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* What is exported: a cursor over records or over sources. */
typedef struct
{
  RecordCursor *records;   /* borrowed; one of the two is set */
  DashCursor *sources;     /* borrowed */
  const char *const *columns;
  const QueryColumnKind *kinds;
  gsize n_columns;
} ExportRows;

static gboolean
export_next (ExportRows *rows, const char *const **values_out, gsize *n_out, GError **error)
{
  if (rows->records != NULL)
    return query_records_next (rows->records, values_out, n_out, error);
  return query_dashboard_next (rows->sources, values_out, n_out, error);
}

static gboolean
export_csv (ExportRows *rows, GError **error)
{
  g_autoptr (CsvWriter) csv = csv_writer_new (export_write_stdout, NULL);
  GError *local = NULL;
  const char *const *values;
  gsize n;

  if (!csv_write_row (csv, rows->columns, rows->n_columns, error))
    return FALSE;
  while (export_next (rows, &values, &n, &local))
    if (!csv_write_row (csv, values, n, error))
      return FALSE;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* -?digits(.digits)? as PostgreSQL prints integers and numerics. */
static gboolean
json_is_number (const char *text)
{
  const char *p = text + (*text == '-');

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.' && g_ascii_isdigit (p[1]))
    for (p++; g_ascii_isdigit (*p); p++)
      ;
  return *p == '\0';
}

static void
json_append_value (GString *out, const char *value, QueryColumnKind kind)
{
  if (value == NULL)
    g_string_append (out, "null");
  else if (kind == QUERY_COLUMN_NUMBER && json_is_number (value))
    g_string_append (out, value);
  else if (kind == QUERY_COLUMN_BOOL && strcmp (value, "True") == 0)
    g_string_append (out, "true");
  else if (kind == QUERY_COLUMN_BOOL && strcmp (value, "False") == 0)
    g_string_append (out, "false");
  else
    json_append_string (out, value);
}

static gboolean
export_json (ExportRows *rows, GError **error)
{
  g_autoptr (GString) row = g_string_sized_new (2048);
  GError *local = NULL;
  const char *const *values;
  gsize n;

  if (!export_write_stdout ("[", 1, NULL, error))
    return FALSE;
  for (gsize n_rows = 0; export_next (rows, &values, &n, &local); n_rows++)
    {
      g_string_assign (row, n_rows > 0 ? ",\n{" : "\n{");
      for (gsize i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (row, ',');
          json_append_string (row, rows->columns[i]);
          g_string_append_c (row, ':');
          json_append_value (row, values[i], rows->kinds[i]);
        }
      g_string_append_c (row, '}');
      if (!export_write_stdout (row->str, row->len, NULL, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return export_write_stdout ("\n]\n", 3, NULL, error);
}

/* The sources query for FILTER: its dates as ISO 8601 in UTC.
 * (transfer full) */
static DashCursor *
export_open_sources (Store *store, const QueryFilter *filter, GError **error)
{
  g_autoptr (GDateTime) since = filter->has_since ? g_date_time_new_from_unix_utc (filter->since) : NULL;
  g_autoptr (GDateTime) until = filter->has_until ? g_date_time_new_from_unix_utc (filter->until) : NULL;
  g_autofree char *since_text = since ? g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  g_autofree char *until_text = until ? g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  DashQuery query = { .domain = filter->domain, .since = since_text, .until = until_text };

  if ((filter->has_since && since_text == NULL) || (filter->has_until && until_text == NULL))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "date out of range");
      return NULL;
    }
  return query_dashboard_open (store, DASH_TABLE_SOURCES, &query, error);
}

static gboolean
export_level (Store *store, const QueryFilter *filter, gboolean is_sources, gboolean is_json,
              GError **error)
{
  g_autoptr (RecordCursor) records = NULL;
  g_autoptr (DashCursor) sources = NULL;
  ExportRows rows = { 0 };

  if (is_sources)
    {
      if ((sources = export_open_sources (store, filter, error)) == NULL)
        return FALSE;
      rows.sources = sources;
      rows.columns = query_dashboard_columns (sources, &rows.kinds, &rows.n_columns);
    }
  else
    {
      if ((records = query_records_open (store, filter, error)) == NULL)
        return FALSE;
      rows.records = records;
      rows.columns = query_records_columns;
      rows.kinds = query_records_column_kinds;
      rows.n_columns = QUERY_RECORDS_N_COLUMNS;
    }
  return is_json ? export_json (&rows, error) : export_csv (&rows, error);
}

static int
export_rows (Store *store, const QueryFilter *filter, gboolean is_sources, gboolean is_json)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = export_level (store, filter, is_sources, is_json, &error);

  if (ok && fflush (stdout) != 0)
    {
      int saved = errno;
      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write to standard output: %s", g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      fflush (stdout);
      log_reject_line ("export", error);
      /* The database gone mid-stream is exit 3, as when it cannot be
       * reached at all; a write error on our output is 1. */
      return error->domain == DMARCSTAT_ERROR
             && (error->code == DMARCSTAT_ERROR_STORE_UNAVAILABLE
                 || error->code == DMARCSTAT_ERROR_STORE_TRANSIENT
                 || error->code == DMARCSTAT_ERROR_STORE_FAILED)
             ? EXIT_DB : EXIT_REJECTED;
    }
  return EXIT_OK;
}

static int
export_usage (const char *message)
{
  fprintf (stderr, "dmarcstat export: %s (try: dmarcstat export --help)\n", message);
  return EXIT_USAGE;
}

/* YYYY-MM-DD is midnight UTC; anything else must be ISO 8601 with a time. */
static gboolean
export_parse_date (const char *text, gboolean *has_out, gint64 *seconds_out)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *full = strlen (text) == 10 ? g_strconcat (text, "T00:00:00Z", NULL)
                                              : g_strdup (text);
  g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (full, utc);

  if (when == NULL)
    return FALSE;
  *has_out = TRUE;
  *seconds_out = g_date_time_to_unix (when);
  return TRUE;
}

/* Checks the options and fills FILTER; prints and returns EXIT_USAGE on a
 * bad one, else EXIT_OK.  FILTER borrows OPTS->domain. */
static int
export_check (const ExportOptions *opts, QueryFilter *filter, gboolean *is_sources_out,
              gboolean *is_json_out)
{
  if (opts->format != NULL && strcmp (opts->format, "csv") != 0
      && strcmp (opts->format, "json") != 0)
    return export_usage ("--format must be csv or json");
  *is_json_out = opts->format != NULL && strcmp (opts->format, "json") == 0;
  if (opts->level != NULL && strcmp (opts->level, "records") != 0
      && strcmp (opts->level, "sources") != 0)
    return export_usage ("--level must be records or sources");
  *is_sources_out = opts->level != NULL && strcmp (opts->level, "sources") == 0;
  filter->domain = opts->domain;
  if (opts->since != NULL && !export_parse_date (opts->since, &filter->has_since, &filter->since))
    return export_usage ("--since: expected YYYY-MM-DD or an ISO 8601 date and time");
  if (opts->until != NULL && !export_parse_date (opts->until, &filter->has_until, &filter->until))
    return export_usage ("--until: expected YYYY-MM-DD or an ISO 8601 date and time");
  return EXIT_OK;
}

static int
export_main (ExportOptions *opts, CommonOptions *common, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts->format, "Output format (default csv)", "csv|json" },
    { "level", 0, 0, G_OPTION_ARG_STRING, &opts->level, "One row per record (default) or per source and domain", "records|sources" },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &opts->domain, "Only reports for this domain", "D" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &opts->since, "Only reports that begin at or after DATE (UTC)", "DATE" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &opts->until, "Only reports that begin before DATE (UTC)", "DATE" },
    G_OPTION_ENTRY_NULL
  };
  QueryFilter filter = { 0 };
  gboolean is_sources = FALSE;
  gboolean is_json = FALSE;

  if (!options_parse ("export", NULL, "Write stored records to standard output as CSV or JSON.",
                      entries, common, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_autofree char *safe = log_safe_str (argv[1]);
      g_autofree char *message = g_strdup_printf ("unexpected argument '%s'", safe);
      return export_usage (message);
    }
  if (export_check (opts, &filter, &is_sources, &is_json) != EXIT_OK)
    return EXIT_USAGE;

  g_autoptr (Config) config = options_load_config (common);
  if (config == NULL)
    return EXIT_USAGE;
  g_autoptr (Store) store = options_open_store (common, config, TRUE);
  if (store == NULL)
    return EXIT_DB;
  return export_rows (store, &filter, is_sources, is_json);
}

int
cmd_export (int argc, char **argv)
{
  ExportOptions opts = { 0 };
  g_auto (CommonOptions) common = { 0 };

  /* Whatever a library did with SIGPIPE, a reader that went away (| head)
   * ends a filter quietly. */
  signal (SIGPIPE, SIG_DFL);
  int status = export_main (&opts, &common, argc, argv);

  export_options_clear (&opts);
  return status;
}
