/*
 * cmd_advise.c -- dmarcstat advise DOMAIN [--json]: where DOMAIN stands on
 * the way to p=reject, and the exact DMARC record to publish next.
 *
 * The advice is advise/'s pure function over what the reports say
 * (gathered by web/advice_load.c, the same as the domain page's panel).
 * Thresholds come from the [advise] config group (see the README).
 *
 * Output: plain text on stdout, or with --json one JSON object with at
 * least domain, stage, current_record, next_record (null when nothing is
 * to be published now), target_record, reasons[], blockers[] (source,
 * problem, fix), policy_findings[] (tag, problem, fix) and notes[].
 *
 * Exit: 0 advice given; 1 the domain has no reports ("no reports for
 * DOMAIN"); 2 usage error (bad option, bad [advise] value); 3 the database
 * could not be reached or a query failed.
 */
#include "cli/commands.h"
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/log.h"
#include "web/advice_load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int
advise_usage (const char *message)
{
  fprintf (stderr, "dmarcstat advise: %s (try: dmarcstat advise --help)\n", message);
  return EXIT_USAGE;
}

static int
advise_print (const Advice *advice, gboolean is_json)
{
  g_autofree char *text = is_json ? advise_format_json (advice) : advise_format_text (advice);

  if (fputs (text, stdout) == EOF || fflush (stdout) != 0)
    {
      int saved = errno;
      fprintf (stderr, "dmarcstat: advise: cannot write to standard output: %s\n",
               g_strerror (saved));
      return EXIT_REJECTED;
    }
  return EXIT_OK;
}

static int
advise_run (Store *store, const Config *config, const char *domain, gboolean is_json)
{
  g_autoptr (GError) error = NULL;
  guint64 n_reports = 0;
  g_autoptr (Advice) advice = advice_load (store, config, domain, &n_reports, &error);

  if (advice == NULL)
    {
      if (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE))
        {
          fprintf (stderr, "dmarcstat: %s\n", error->message);
          return EXIT_USAGE;
        }
      fprintf (stderr, "dmarcstat: advise: %s\n", error->message);
      return EXIT_DB;
    }
  if (n_reports == 0)
    {
      g_autofree char *safe = log_safe_str (domain);
      fprintf (stderr, "dmarcstat: advise: no reports for %s\n", safe);
      return EXIT_REJECTED;
    }
  return advise_print (advice, is_json);
}

/* A domain name as typed: letters, digits, '-', '_', '.'; at most 253. */
static gboolean
advise_domain_is_valid (const char *domain)
{
  gsize len = strlen (domain);

  if (len == 0 || len > 253)
    return FALSE;
  for (const char *p = domain; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static int
advise_main (CommonOptions *common, int argc, char **argv)
{
  gboolean is_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &is_json, "Print one JSON object instead of text", NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!options_parse ("advise", "DOMAIN",
                      "Show the domain's DMARC stage, the next record to publish, and what "
                      "blocks it.", entries, common, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return advise_usage (argc < 2 ? "expected a DOMAIN" : "expected one DOMAIN");
  if (!advise_domain_is_valid (argv[1]))
    {
      g_autofree char *safe = log_safe_str (argv[1]);
      g_autofree char *message = g_strdup_printf ("'%s' is not a domain name", safe);
      return advise_usage (message);
    }
  g_autofree char *domain = g_ascii_strdown (argv[1], -1);
  if (g_str_has_suffix (domain, ".") && strlen (domain) > 1)
    domain[strlen (domain) - 1] = '\0';   /* "example.com." is example.com */
  g_autoptr (Config) config = options_load_config (common);
  if (config == NULL)
    return EXIT_USAGE;
  AdviseThresholds thresholds;
  g_autoptr (GError) error = NULL;
  if (!advise_thresholds_load (config, &thresholds, &error))
    {
      fprintf (stderr, "dmarcstat: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (!dns_setup_senders (config))
    return EXIT_USAGE;
  g_autoptr (Store) store = options_open_store (common, config, TRUE);
  if (store == NULL)
    return EXIT_DB;
  return advise_run (store, config, domain, is_json);
}

int
cmd_advise (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };

  return advise_main (&common, argc, argv);
}
