/*
 * test_identity.c -- who a source IP is: host-name checks, organisational
 * domains, generic (dynamic) PTR names, the map of known senders, and the
 * GeoIP country.
 *
 * Table-driven, got/want.  The sender map test loads the data/senders.tsv
 * that ships, so a malformed line in it fails here.  The GeoIP test writes
 * a small GeoIP2-Country file with tests/lib/make-mmdb.pl at run time and
 * is skipped when perl or MaxMind::DB::Writer is missing.
 */
#include "core/error.h"
#include "core/senders.h"
#include "dns/geoip.h"
#include "dns/names.h"

#include <glib/gstdio.h>
#include <string.h>

/* tests/run.sh runs us from the top of the tree and says where it is. */
static char *
source_path (const char *first, ...)
{
  const char *root = g_getenv ("DMARCSTAT_ROOT");
  va_list ap;
  va_start (ap, first);
  g_autofree char *rel = g_build_filename_valist (first, &ap);
  va_end (ap);
  return g_build_filename (root != NULL ? root : ".", rel, NULL);
}

static void
check_str (const char *what, const char *input, const char *got, const char *want)
{
  if (g_strcmp0 (got, want) != 0)
    {
      g_test_message ("%s(\"%s\"): got %s%s%s, want %s%s%s", what, input ? input : "(null)",
                      got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
                      want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
      g_test_fail ();
    }
}

/* ---- host names ---- */

static void
test_normalise (void)
{
  g_autofree char *label63 = g_strnfill (63, 'a');
  g_autofree char *label64 = g_strnfill (64, 'a');
  g_autofree char *long63 = g_strconcat (label63, ".example", NULL);
  g_autofree char *long64 = g_strconcat (label64, ".example", NULL);
  /* 4 labels of 61 + 3 dots = 247, plus ".abcde" = 253 */
  g_autofree char *l61 = g_strnfill (61, 'b');
  g_autofree char *total253 = g_strjoin (".", l61, l61, l61, l61, "abcde", NULL);
  g_autofree char *total254 = g_strjoin (".", l61, l61, l61, l61, "abcdef", NULL);
  g_autofree char *total253_dot = g_strconcat (total253, ".", NULL);

  struct { const char *in, *want; } cases[] = {
    { "Mail.Example.COM.", "mail.example.com" },
    { "mail.example.com", "mail.example.com" },
    { "localhost", "localhost" },
    { "_dmarc.example.com", "_dmarc.example.com" },
    { "o1.ptr1234.sendgrid.net", "o1.ptr1234.sendgrid.net" },
    { "-1-2-3-4.isp.example", "-1-2-3-4.isp.example" },   /* seen in real PTR data */
    { long63, long63 },
    { long64, NULL },
    { total253, total253 },
    { total253_dot, total253 },
    { total254, NULL },
    { "", NULL },
    { ".", NULL },
    { "..", NULL },
    { "a..b", NULL },
    { ".a", NULL },
    { "a.b..", NULL },
    { "a b.example", NULL },
    { "a/b.example", NULL },
    { "m\xc3\xa4il.example", NULL },   /* IDNs arrive as xn-- in DNS */
    { "a\x1b[31m.example", NULL },
    { "xn--mil-qla.example", "xn--mil-qla.example" },
    { NULL, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = dns_name_normalise (cases[i].in);
      check_str ("dns_name_normalise", cases[i].in, got, cases[i].want);
    }
}

static void
test_org_domain (void)
{
  struct { const char *in, *want; } cases[] = {
    { "mail-io1-f54.google.com", "google.com" },
    { "o1.ptr1234.sendgrid.net", "sendgrid.net" },
    { "a.b.example.co.uk", "example.co.uk" },
    { "example.co.uk", "example.co.uk" },
    { "MAIL.Example.COM.", "example.com" },
    { "example.com", "example.com" },
    { "a8-1.smtp-out.amazonses.com", "amazonses.com" },
    { "mail-db8eur05on2071.outbound.protection.outlook.com", "outlook.com" },
    /* the private section does not count: the provider is the identity */
    { "ec2-54-1-2-3.compute-1.amazonaws.com", "amazonaws.com" },
    { "x.y.blogspot.com", "blogspot.com" },
    { "www.city.kawasaki.jp", "city.kawasaki.jp" },   /* exception rule */
    { "co.uk", NULL },
    { "com", NULL },
    { "uk", NULL },
    { "localhost", NULL },
    { "192.0.2.10", NULL },
    { "2001:db8::1", NULL },
    { "", NULL },
    { "bad..name", NULL },
    { "bad name.example.com", NULL },
    { NULL, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = dns_org_domain (cases[i].in);
      check_str ("dns_org_domain", cases[i].in, got, cases[i].want);
    }
}

static void
test_generic (void)
{
  struct { const char *name, *ip; gboolean want; } cases[] = {
    /* embedded IP + dynamic term */
    { "dynamic-1-2-3-4.isp.net", "1.2.3.4", TRUE },
    { "4.3.2.1.dsl.example.net", "1.2.3.4", TRUE },
    { "cpe-1-2-3-4.res.rr.com", "1.2.3.4", TRUE },
    { "ppp-1-2-3-4.dialup.example", "1.2.3.4", TRUE },
    { "host-1-2-3-4.example.net", "1.2.3.4", TRUE },
    { "pool-71-1-2-3.nycmny.fios.verizon.net", "71.1.2.3", TRUE },
    { "DYNAMIC-1-2-3-4.ISP.NET.", "1.2.3.4", TRUE },
    /* embedded IP alone */
    { "ec2-54-1-2-3.compute-1.amazonaws.com", "54.1.2.3", TRUE },
    { "c-73-1-2-3.hsd1.ca.comcast.net", "73.1.2.3", TRUE },
    { "1-2-3-4.example.net", "1.2.3.4", TRUE },
    { "abc1.2.3.4xyz.example.net", "1.2.3.4", TRUE },
    { "c010002003004.example.net", "10.2.3.4", TRUE },       /* zero-padded */
    { "x0a000001.example.net", "10.0.0.1", TRUE },           /* hex */
    { "x0a0000012.example.net", "10.0.0.1", FALSE },         /* longer hex */
    { "1-2-3-4.example.net", "::ffff:1.2.3.4", TRUE },       /* v4-mapped */
    /* the same digits, but not this address */
    { "1-2-3-4.example.net", "5.6.7.8", FALSE },
    { "1-2-3-44.example.net", "1.2.3.4", FALSE },
    { "11-2-3-4.example.net", "1.2.3.4", FALSE },
    { "1-2-3.example.net", "1.2.3.4", FALSE },
    /* server terms win */
    { "mta-10-0-0-1.static.example.com", "10.0.0.1", FALSE },
    { "relay-1-2-3-4.example.net", "1.2.3.4", FALSE },
    { "static.4.3.2.1.clients.your-server.de", "1.2.3.4", FALSE },
    { "mail.example.com", "1.2.3.4", FALSE },
    { "smtp1.example.org", "1.2.3.4", FALSE },
    { "mx01.example.com", NULL, FALSE },
    { "outbound-dsl.example.net", NULL, FALSE },
    /* deliberate names of mail services */
    { "mail-io1-f54.google.com", "209.85.166.54", FALSE },
    { "o1.ptr1234.sendgrid.net", "167.89.1.2", FALSE },
    { "a8-1.smtp-out.amazonses.com", "54.240.8.1", FALSE },
    /* terms without an address */
    { "dsl.example.net", NULL, TRUE },
    { "adsl-dynamic.example.net", NULL, TRUE },
    { "dhcp12.pool.example.net", NULL, TRUE },
    { "host.example.com", NULL, FALSE },   /* a weak term alone */
    { "client7.example.com", NULL, FALSE },
    { "user-ip.example.net", NULL, TRUE },   /* two weak terms */
    { "dyndns.example.com", NULL, FALSE },   /* a word, not the token "dyn" */
    /* only the labels left of the organisational domain count */
    { "www.dyn.com", NULL, FALSE },
    { "cable.com", NULL, FALSE },
    { "example.com", "1.2.3.4", FALSE },
    /* IPv6 */
    { "v6-2001-db8-0-0-0-0-0-1.example.net", "2001:db8::1", TRUE },
    { "2001-0db8-0000-0000-0000-0000-0000-0001.example.net", "2001:db8::1", TRUE },
    { "x2001-db8--1.example.net", "2001:db8::1", TRUE },
    { "20010db8000000000000000000000001.example.net", "2001:db8::1", TRUE },
    { "host-0000-0000-0000-0001.example.net", "2001:db8::1", TRUE },
    { "x2001-db8--12.example.net", "2001:db8::1", FALSE },
    { "mail-2001-db8--1.example.net", "2001:db8::1", FALSE },
    /* not names */
    { "bad name.example.net", "1.2.3.4", FALSE },
    { "", NULL, FALSE },
    { NULL, "1.2.3.4", FALSE },
    { "1-2-3-4.example.net", "not-an-ip", FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean got = dns_name_is_generic (cases[i].name, cases[i].ip);
      if (got != cases[i].want)
        {
          g_test_message ("dns_name_is_generic(\"%s\", %s): got %s, want %s",
                          cases[i].name ? cases[i].name : "(null)",
                          cases[i].ip ? cases[i].ip : "NULL",
                          got ? "TRUE" : "FALSE", cases[i].want ? "TRUE" : "FALSE");
          g_test_fail ();
        }
    }
}

/* ---- the sender map ---- */

static void
test_senders_shipped (void)
{
  g_autofree char *path = source_path ("data", "senders.tsv", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("data/senders.tsv not found (set DMARCSTAT_ROOT)");
      return;
    }
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_true (senders_load_data (text, len, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (senders_count (), >=, 80);

  const Sender *s = senders_lookup ("sendgrid.net");
  g_assert_nonnull (s);
  g_assert_cmpstr (s->domain, ==, "sendgrid.net");
  g_assert_cmpstr (s->name, ==, "SendGrid");
  g_assert_cmpstr (s->kind, ==, "esp");
  g_assert_cmpstr (s->spf, ==, "include:sendgrid.net");
  g_assert_nonnull (s->dkim);
  g_assert_true (senders_lookup ("SendGrid.NET") == s);

  struct { const char *host, *name, *domain, *spf; } hosts[] = {
    { "mail-io1-f54.google.com", "Google Workspace", "google.com", "include:_spf.google.com" },
    { "mail-sor-f41.googlemail.com", "Google Workspace", "googlemail.com", "include:_spf.google.com" },
    { "o1.ptr1234.sendgrid.net.", "SendGrid", "sendgrid.net", "include:sendgrid.net" },
    { "mail-db8eur05on2071.outbound.protection.outlook.com", "Microsoft 365",
      "protection.outlook.com", "include:spf.protection.outlook.com" },
    { "a8-1.smtp-out.amazonses.com", "Amazon SES", "amazonses.com", "include:amazonses.com" },
    { "mail1.atl11.rsgsv.net", "Mailchimp", "rsgsv.net", "include:servers.mcsv.net" },
    { "mta-1.sparkpostmail.com", "SparkPost", "sparkpostmail.com", "include:sparkpostmail.com" },
    { "smtp.mtasv.net", "Postmark", "mtasv.net", "include:spf.mtasv.net" },
    { "mo4-p00-ob.mail-out.ovh.net", "OVHcloud", "ovh.net", "include:mx.ovh.com" },
    { "zendesk.com", "Zendesk", "zendesk.com", "include:mail.zendesk.com" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      const Sender *got = senders_lookup_name (hosts[i].host);
      check_str ("senders_lookup_name", hosts[i].host, got ? got->name : NULL, hosts[i].name);
      if (got != NULL)
        {
          check_str ("domain of", hosts[i].host, got->domain, hosts[i].domain);
          check_str ("spf of", hosts[i].host, got->spf, hosts[i].spf);
        }
    }

  /* '-' reads as NULL */
  s = senders_lookup ("yahoo.com");
  g_assert_nonnull (s);
  g_assert_null (s->spf);
  g_assert_null (s->dkim);

  const char *unknown[] = { "unknown.example", "mx.unknown-sender.example", "net", "",
                            "sendgrid.net.evil.example", "notsendgrid.net" };
  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    if (senders_lookup_name (unknown[i]) != NULL || senders_lookup (unknown[i]) != NULL)
      {
        g_test_message ("\"%s\": got a sender, want none", unknown[i]);
        g_test_fail ();
      }
  g_assert_null (senders_lookup (NULL));
  g_assert_null (senders_lookup_name (NULL));
}

static void
test_senders_format_errors (void)
{
  struct { const char *name, *text, *want_prefix; } cases[] = {
    { "columns", "# c\n\nok.example\tOk\tesp\t-\t-\nbad.example\tBad\tesp\t-\n",
      "t.tsv:4: want 5 tab-separated fields, found 4" },
    { "kind", "k.example\tK\tspammer\t-\t-\n", "t.tsv:1: kind \"spammer\"" },
    { "domain", "\n\nnot a domain\tX\tesp\t-\t-\n", "t.tsv:3: domain" },
    { "single-label", "localhost\tX\tesp\t-\t-\n", "t.tsv:1: domain" },
    { "spf", "s.example\tS\tesp\tv=spf1 -all\t-\n", "t.tsv:1: spf" },
    { "spf-empty-include", "s.example\tS\tesp\tinclude:\t-\n", "t.tsv:1: spf" },
    { "name-empty", "n.example\t\tesp\t-\t-\n", "t.tsv:1: name" },
    { "name-dash", "n.example\t-\tesp\t-\t-\n", "t.tsv:1: name" },
    { "dkim-control", "d.example\tD\tesp\t-\tsee \x1b[31m here\n", "t.tsv:1: dkim" },
    { "not-utf8", "u.example\t\xff\xfe\tesp\t-\t-\n", "t.tsv:1: name" },
    { "duplicate", "a.example\tA\tesp\t-\t-\n# x\nA.example\tB\tesp\t-\t-\n",
      "t.tsv:3: domain a.example is already on line 1" },
    { "crlf-columns", "c.example\tC\tesp\r\n", "t.tsv:1: want 5" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = senders_load_data (cases[i].text, strlen (cases[i].text), "t.tsv", &error);
      if (ok || error == NULL || !g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE)
          || !g_str_has_prefix (error->message, cases[i].want_prefix))
        {
          g_test_message ("%s: got %s, want an error starting \"%s\"", cases[i].name,
                          error ? error->message : "success", cases[i].want_prefix);
          g_test_fail ();
        }
    }

  /* a NUL byte, counted by length */
  static const char nul_text[] = "n.example\tN\tesp\t-\t-\n\0x";
  g_autoptr (GError) error = NULL;
  g_assert_false (senders_load_data (nul_text, sizeof nul_text - 1, "t.tsv", &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_true (g_str_has_prefix (error->message, "t.tsv: "));
}

static void
test_senders_atomic_and_override (void)
{
  g_autoptr (GError) error = NULL;
  guint before = senders_count ();

  /* a bad line leaves the good lines before it unapplied */
  const char *bad = "first-ok.example\tOk\tesp\t-\t-\nsecond.example\tBad\tnope\t-\t-\n";
  g_assert_false (senders_load_data (bad, strlen (bad), "t.tsv", &error));
  g_assert_null (senders_lookup ("first-ok.example"));
  g_assert_cmpuint (senders_count (), ==, before);
  g_clear_error (&error);

  const char *one = "Override.Example\tFirst Relay\tesp\tinclude:relay.example ip4:192.0.2.0/24\t-\n"
                    "  \t \n# trailing spaces are trimmed\n"
                    "other.example \t Other \t isp \t - \t CNAME x._domainkey \n";
  g_assert_true (senders_load_data (one, strlen (one), "one.tsv", &error));
  g_assert_no_error (error);
  const Sender *first = senders_lookup ("override.example");
  g_assert_nonnull (first);
  g_assert_cmpstr (first->name, ==, "First Relay");
  g_assert_cmpstr (first->spf, ==, "include:relay.example ip4:192.0.2.0/24");
  const Sender *other = senders_lookup_name ("mx1.other.example");
  g_assert_nonnull (other);
  g_assert_cmpstr (other->name, ==, "Other");
  g_assert_cmpstr (other->kind, ==, "isp");
  g_assert_cmpstr (other->dkim, ==, "CNAME x._domainkey");
  g_assert_cmpuint (senders_count (), ==, before + 2);

  const char *two = "override.example\tSecond Relay\tforwarder\ta mx\t-\n";
  g_assert_true (senders_load_data (two, strlen (two), "two.tsv", &error));
  const Sender *second = senders_lookup ("override.example");
  g_assert_cmpstr (second->name, ==, "Second Relay");
  g_assert_cmpstr (second->kind, ==, "forwarder");
  g_assert_cmpstr (second->spf, ==, "a mx");
  g_assert_cmpstr (first->name, ==, "First Relay");   /* still valid */
  g_assert_cmpuint (senders_count (), ==, before + 2);
}

static void
test_senders_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dmarcstat-senders-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "site.tsv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.tsv", NULL);

  g_assert_false (senders_load_file (missing, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  const char *text = "site-relay.example\tSite relay\tesp\tip4:198.51.100.7\t-\nbroken\n";
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_false (senders_load_file (path, &error));
  g_autofree char *want = g_strdup_printf ("%s:2: ", path);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_true (g_str_has_prefix (error->message, want));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, text, (gssize) strlen (text) - 7, NULL));
  g_assert_true (senders_load_file (path, &error));
  g_assert_no_error (error);
  const Sender *site = senders_lookup ("site-relay.example");
  g_assert_nonnull (site);
  g_assert_cmpstr (site->spf, ==, "ip4:198.51.100.7");

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Lookups from several threads at once, while the map and the suffix list
 * may still be loading (the first callers race into g_once). */
static gpointer
lookup_thread (gpointer data G_GNUC_UNUSED)
{
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *org = dns_org_domain ("o1.ptr1234.sendgrid.net");
      g_assert_cmpstr (org, ==, "sendgrid.net");
      (void) senders_lookup_name ("o1.ptr1234.sendgrid.net");
      (void) senders_count ();
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("lookup", lookup_thread, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* ---- GeoIP ---- */

static void
test_geoip (void)
{
  g_autofree char *perl = g_find_program_in_path ("perl");
  g_autofree char *script = source_path ("tests", "lib", "make-mmdb.pl", NULL);
  if (perl == NULL || !g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("perl or tests/lib/make-mmdb.pl not found");
      return;
    }

  g_autofree char *dir = g_dir_make_tmp ("dmarcstat-geoip-XXXXXX", NULL);
  g_autofree char *mmdb = g_build_filename (dir, "country.mmdb", NULL);
  const char *argv[] = { perl, script, mmdb, "192.0.2.0/24=NL", "2001:db8::/32=DE",
                         "198.51.100.0/24=-/SE", "203.0.113.128/25=fr", NULL };
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("make-mmdb.pl: %s", err);
      g_test_skip ("make-mmdb.pl failed (is libmaxmind-db-writer-perl installed?)");
      g_unlink (mmdb);
      g_rmdir (dir);
      return;
    }

  g_autoptr (GeoipDb) db = geoip_open (mmdb, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  struct { const char *ip, *want; } cases[] = {
    { "192.0.2.10", "NL" },
    { "192.0.2.0", "NL" },
    { "192.0.2.255", "NL" },
    { "192.0.3.1", NULL },
    { "192.0.1.255", NULL },
    { "::ffff:192.0.2.10", "NL" },         /* IPv4-mapped, aliased to ::/96 */
    { "2001:db8::1", "DE" },
    { "2001:db8:ffff:ffff::1", "DE" },
    { "2001:db9::1", NULL },
    { "2001:db7:ffff::1", NULL },
    { "198.51.100.7", "SE" },              /* registered_country only */
    { "203.0.113.200", "FR" },             /* stored in lower case */
    { "203.0.113.1", NULL },
    { "10.0.0.1", NULL },
    { "not an ip", NULL },
    { "1", NULL },                         /* getaddrinfo would take this */
    { "0x7f.1", NULL },
    { "", NULL },
    { NULL, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = geoip_country (db, cases[i].ip);
      check_str ("geoip_country", cases[i].ip, got, cases[i].want);
    }

  /* a file that is not a MaxMind DB, and one that is not there */
  g_autoptr (GeoipDb) bad = geoip_open (script, &error);
  g_assert_null (bad);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, script));
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "missing.mmdb", NULL);
  g_assert_null (geoip_open (missing, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, missing));
  g_test_message ("%s", error->message);

  g_assert_cmpint (g_unlink (mmdb), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/names/normalise/cases", test_normalise);
  g_test_add_func ("/names/org-domain/by-public-suffix-list", test_org_domain);
  g_test_add_func ("/names/generic/scores-ip-and-terms", test_generic);
  g_test_add_func ("/senders/shipped-map/loads-and-matches-hosts", test_senders_shipped);
  g_test_add_func ("/senders/format-errors/name-the-line", test_senders_format_errors);
  g_test_add_func ("/senders/load/is-atomic-and-overrides", test_senders_atomic_and_override);
  g_test_add_func ("/senders/load-file/names-the-file", test_senders_file);
  g_test_add_func ("/identity/threads/share-the-loaded-tables", test_threads);
  g_test_add_func ("/geoip/country/v4-and-v6", test_geoip);
  return g_test_run ();
}
