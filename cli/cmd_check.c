/*
 * cmd_check.c -- dmarcstat check DOMAIN [--json]: what is wrong with the
 * domain's DMARC, SPF, DKIM and MX records, and the exact fix.
 *
 * The DKIM selectors checked are those the domain's reports show signing
 * (plus --selector), and the SPF record is evaluated for the sources that
 * send legitimately for it (DKIM-aligned mail; plus --source).  Each check
 * is recorded in the domain's history (the dashboard's DNS page) unless
 * --no-save; --no-db checks from DNS alone.
 *
 * Output: text, one finding per line with its fix and the record to
 * publish; or --json: {"domain", "worst", "findings": [{code, severity,
 * subject, message, fix, record}]}.
 *
 * Exit: 0 nothing worse than a warning; 1 an error or critical finding;
 * 2 usage; 3 the database could not be reached.
 */
#include "check/check_domain.h"
#include "cli/check_run.h"
#include "cli/commands.h"
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/log.h"
#include "dns/names.h"

#include <stdio.h>
#include <string.h>

static int
check_usage (const char *message)
{
  fprintf (stderr, "dmarcstat check: %s (try: dmarcstat check --help)\n", message);
  return EXIT_USAGE;
}

static int
check_print (const char *domain, const FindingList *list, gboolean is_json)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (is_json)
    {
      check_format_json (domain, list, out);
      g_string_append_c (out, '\n');
    }
  else
    {
      g_string_append_printf (out, "%s: %s\n", domain,
                              severity_name (finding_list_worst (list)));
      finding_list_format_text (list, out);
    }
  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    {
      fprintf (stderr, "dmarcstat: check: cannot write to standard output\n");
      return EXIT_REJECTED;
    }
  return finding_list_worst (list) >= SEVERITY_ERROR ? EXIT_REJECTED : EXIT_OK;
}

static gboolean
all_ips (char **ips, char **bad_out)
{
  for (gsize i = 0; ips != NULL && ips[i] != NULL; i++)
    if (!g_hostname_is_ip_address (ips[i]))
      {
        *bad_out = ips[i];
        return FALSE;
      }
  return TRUE;
}

static int
check_main (CommonOptions *common, DnsCliOptions *dns, int argc, char **argv)
{
  gboolean is_json = FALSE, no_save = FALSE, no_db = FALSE;
  g_auto (GStrv) selectors = NULL;
  g_auto (GStrv) sources = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &is_json, "Print one JSON object instead of text", NULL },
    { "selector", 0, 0, G_OPTION_ARG_STRING_ARRAY, &selectors,
      "Also check this DKIM selector (repeatable)", "SELECTOR" },
    { "source", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sources,
      "Also check that SPF covers this sending IP (repeatable)", "IP" },
    { "no-save", 0, 0, G_OPTION_ARG_NONE, &no_save, "Do not record the result in the history",
      NULL },
    { "no-db", 0, 0, G_OPTION_ARG_NONE, &no_db, "Use no database: DNS and options only", NULL },
    G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL
  };
  dns_cli_entries (dns, &entries[5]);

  if (!options_parse ("check", "DOMAIN",
                      "Check the domain's DMARC, SPF, DKIM and MX records and say how to fix "
                      "what is wrong.", entries, common, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return check_usage (argc < 2 ? "expected a DOMAIN" : "expected one DOMAIN");
  g_autofree char *domain = dns_name_normalise (argv[1]);
  if (domain == NULL || strchr (domain, '.') == NULL)
    {
      g_autofree char *safe = log_safe_str (argv[1]);
      g_autofree char *message = g_strdup_printf ("'%s' is not a domain name", safe);
      return check_usage (message);
    }
  char *bad = NULL;
  if (!all_ips (sources, &bad))
    {
      g_autofree char *safe = log_safe_str (bad);
      g_autofree char *message = g_strdup_printf ("--source '%s' is not an IP address", safe);
      return check_usage (message);
    }
  g_autoptr (Config) config = options_load_config (common);
  if (config == NULL)
    return EXIT_USAGE;
  g_autoptr (Store) store = NULL;
  if (!no_db)
    {
      store = options_open_store (common, config, TRUE);
      if (store == NULL)
        return EXIT_DB;
    }
  g_autoptr (DnsResolver) resolver = dns_setup_resolver (config, dns, store);
  if (resolver == NULL)
    return EXIT_USAGE;

  CheckRunOptions run = {
    .selectors = (const char *const *) selectors,
    .sources = (const char *const *) sources,
    .save = !no_save,
  };
  g_autoptr (FindingList) list = check_run_domain (resolver, store, domain, &run);
  return check_print (domain, list, is_json);
}

int
cmd_check (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_auto (DnsCliOptions) dns = { 0 };

  return check_main (&common, &dns, argc, argv);
}
