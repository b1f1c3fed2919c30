/*
 * cmd_import.c -- `dmarcstat import FILE…`: store report files directly.
 *
 * Each FILE is .xml, .xml.gz, .gz, .zip or a whole mail (.eml); "-" reads
 * standard input.  Files are not moved.  Exit 0 when every file held valid
 * reports (duplicates included), 1 when something was rejected, 3 when the
 * database went away (the files not yet done are named).
 */
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/summary.h"
#include "core/error.h"
#include "core/log.h"
#include "ingest/ingest.h"
#include "store/partitions.h"

#include <stdio.h>
#include <unistd.h>

static void
print_reject (const char *input, const GError *error, gpointer data G_GNUC_UNUSED)
{
  log_reject_line (input, error);
}

/* Standard input, read up to the mail size cap. */
static GBytes *
read_stdin (const Limits *limits, GError **error)
{
  GByteArray *buf = g_byte_array_new ();
  guint8 chunk[65536];
  ssize_t n;

  while ((n = read (STDIN_FILENO, chunk, sizeof chunk)) > 0)
    {
      if ((guint64) buf->len + (guint64) n > limits->mail_max_bytes)
        {
          g_autofree char *max = limits_format_bytes (limits->mail_max_bytes);
          g_byte_array_unref (buf);
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE,
                       "input exceeds mail_max_bytes (%s)", max);
          return NULL;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  return g_byte_array_free_to_bytes (buf);
}

static int
import_one (IngestContext *ctx, const char *file, IngestStats *stats)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *name = file;

  if (g_strcmp0 (file, "-") == 0)
    {
      name = "(stdin)";
      bytes = read_stdin (ctx->limits, &error);
      if (bytes == NULL)
        {
          log_reject_line (name, error);
          stats->n_inputs++;
          stats->n_rejected++;
          return EXIT_REJECTED;
        }
    }
  IngestOutcome outcome = ingest_input (ctx, name, bytes, INGEST_KIND_AUTO, NULL, stats, &error);
  if (outcome == INGEST_RETRY)
    {
      fprintf (stderr, "dmarcstat: %s: store: %s\n", name, error->message);
      return EXIT_DB;
    }
  if (error != NULL)
    log_reject_line (name, error);
  return outcome == INGEST_STORED && error == NULL ? EXIT_OK : EXIT_REJECTED;
}

int
cmd_import (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_auto (GStrv) files = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the summary", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("import", "FILE…", "Store DMARC aggregate report files or report mails.",
                      entries, &common, &argc, &argv))
    return EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      fprintf (stderr, "dmarcstat import: no FILE given (try: dmarcstat import --help)\n");
      return EXIT_USAGE;
    }
  g_autoptr (Config) config = options_load_config (&common);
  if (config == NULL)
    return EXIT_USAGE;
  g_autoptr (Store) store = options_open_store (&common, config, TRUE);
  if (store == NULL)
    return EXIT_DB;

  IngestContext ctx = { store, &config->limits, print_reject, NULL };
  IngestStats stats = { 0 };
  int status = EXIT_OK;
  for (gsize i = 0; files[i] != NULL && status != EXIT_DB; i++)
    {
      int one = import_one (&ctx, files[i], &stats);
      if (one != EXIT_OK)
        status = one;
    }
  /* A backlog of old reports went to the default record partition: move
   * it into its months now rather than at the next writer's start. */
  if (stats.n_records > 0 && status != EXIT_DB)
    partitions_maintain (store);
  if (!quiet)
    summary_print ("import", &stats);
  return status;
}
