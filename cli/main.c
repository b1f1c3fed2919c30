/*
 * main.c -- dmarcstat's entry point: dispatch on the subcommand.
 */
#include "cli/commands.h"
#include "core/error.h"
#include "ingest/mail.h"
#include "ingest/xml_report.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const char *name;
  const char *summary;   /* NULL: hidden (internal) command */
  int (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "ingest", "watch a maildir and store every report mail that arrives", cmd_ingest },
  { "import", "store report files (.xml, .xml.gz, .gz, .zip, .eml; - for stdin)", cmd_import },
  { "export", "write stored records as CSV or JSON", cmd_export },
  { "serve", "serve the dashboard over HTTP", cmd_serve },
  { "advise", "the domain's DMARC stage and the next record to publish", cmd_advise },
  { "check", "check a domain's DMARC, SPF, DKIM and MX records in the DNS", cmd_check },
  { "check-smtp", "check a mail server: names against PTR, STARTTLS, open relay", cmd_check_smtp },
  { "resolve", "name source IPs and re-check domains (the background resolver)", cmd_resolve },
  { "db", "database schema: migrate, status", cmd_db },
  { "ingest-one", NULL, cmd_ingest_one },
};

static void
usage (FILE *out)
{
  fprintf (out, "usage: dmarcstat COMMAND [OPTIONS]\n\ncommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].summary != NULL)
      fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\n'dmarcstat COMMAND --help' shows a command's options.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      usage (stderr);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        mail_library_init ();
        xml_report_library_init ();
        int status = commands[i].run (argc - 1, argv + 1);
        xml_report_library_shutdown ();
        mail_library_shutdown ();
        return status;
      }
  fprintf (stderr, "dmarcstat: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return EXIT_USAGE;
}
