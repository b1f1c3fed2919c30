/*
 * cmd_check_smtp.c -- dmarcstat check-smtp HOST[:PORT] [--json]: how a
 * mail server looks to the receivers it sends to and to the internet:
 * its greeting and EHLO names against the PTR of its address, STARTTLS,
 * and whether it relays for an outside domain without authentication.
 *
 * It connects only to the host given, never sends a message (no DATA),
 * and ends with RSET and QUIT.  No database is used.
 *
 * Exit: 0 nothing worse than a warning; 1 an error or critical finding
 * (including "cannot connect"); 2 usage.
 */
#include "check/smtp_probe.h"
#include "cli/commands.h"
#include "cli/dns_setup.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/json.h"
#include "core/log.h"

#include <stdio.h>

static int
smtp_usage (const char *message)
{
  fprintf (stderr, "dmarcstat check-smtp: %s (try: dmarcstat check-smtp --help)\n", message);
  return EXIT_USAGE;
}

static int
smtp_print (const char *host, const FindingList *list, gboolean is_json)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *worst = severity_name (finding_list_worst (list));

  if (is_json)
    {
      g_string_append (out, "{\"host\":");
      json_append_string (out, host);
      g_string_append (out, ",\"worst\":");
      json_append_string (out, worst);
      g_string_append (out, ",\"findings\":");
      finding_list_format_json (list, out);
      g_string_append (out, "}\n");
    }
  else
    {
      g_autofree char *safe = log_safe_str (host);
      g_string_append_printf (out, "%s: %s\n", safe, worst);
      finding_list_format_text (list, out);
    }
  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    {
      fprintf (stderr, "dmarcstat: check-smtp: cannot write to standard output\n");
      return EXIT_REJECTED;
    }
  return finding_list_worst (list) >= SEVERITY_ERROR ? EXIT_REJECTED : EXIT_OK;
}

static int
smtp_main (CommonOptions *common, DnsCliOptions *dns, int argc, char **argv)
{
  gboolean is_json = FALSE;
  int timeout = 10;
  char *ehlo = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &is_json, "Print one JSON object instead of text", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds to wait for each reply (default 10)",
      "SECONDS" },
    { "ehlo", 0, 0, G_OPTION_ARG_STRING, &ehlo, "Name to say in EHLO", "NAME" },
    G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL, G_OPTION_ENTRY_NULL
  };
  dns_cli_entries (dns, &entries[3]);

  if (!options_parse ("check-smtp", "HOST[:PORT]",
                      "Check a mail server: greeting and EHLO names against its PTR, "
                      "STARTTLS, open relay.", entries, common, &argc, &argv))
    {
      g_free (ehlo);
      return EXIT_USAGE;
    }
  g_autofree char *ehlo_name = ehlo;
  if (argc != 2)
    return smtp_usage (argc < 2 ? "expected a HOST" : "expected one HOST");
  if (timeout < 1 || timeout > 300)
    return smtp_usage ("--timeout must be 1..300 seconds");
  g_autoptr (Config) config = options_load_config (common);
  if (config == NULL)
    return EXIT_USAGE;
  g_autoptr (DnsResolver) resolver = dns_setup_resolver (config, dns, NULL);
  if (resolver == NULL)
    return EXIT_USAGE;

  SmtpProbeOptions probe = { .timeout_ms = (guint) timeout * 1000, .ehlo_name = ehlo_name };
  g_autoptr (GError) error = NULL;
  g_autoptr (FindingList) list = smtp_probe (argv[1], resolver, &probe, &error);
  if (list == NULL)
    {
      g_autofree char *safe = log_safe_str (argv[1]);
      fprintf (stderr, "dmarcstat: check-smtp: %s: %s\n", safe, error->message);
      return error->code == DMARCSTAT_ERROR_USAGE ? EXIT_USAGE : EXIT_REJECTED;
    }
  return smtp_print (argv[1], list, is_json);
}

int
cmd_check_smtp (int argc, char **argv)
{
  g_auto (CommonOptions) common = { 0 };
  g_auto (DnsCliOptions) dns = { 0 };

  return smtp_main (&common, &dns, argc, argv);
}
