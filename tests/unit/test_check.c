/*
 * test_check.c -- the DNS diagnostics: findings and their output, the
 * DMARC, SPF and DKIM record parsers, and whole domain checks against a
 * zone held in memory.
 *
 * Parser cases are table-driven, got/want: each record and the exact list
 * of findings it gives, as "code[subject]" in order.  Fixes that carry a
 * corrected record are compared byte for byte.
 *
 * The domain checks use a real DnsResolver whose cache hook answers every
 * query from a table (NXDOMAIN for names the table lacks), so nothing goes
 * on the network; each scenario asserts that no query was sent.  The same
 * checks run end to end against a real name server in the integration
 * tests.
 *
 * The RSA keys are real keys made with openssl genrsa (512, 1024, 2048,
 * 4096 bits) and written as SubjectPublicKeyInfo DER, one also as bare
 * PKCS#1; the Ed25519 key is the 32 raw bytes of a real key.
 *
 * Longer than our usual file: the keys and the zones are spelled out so
 * that each case can be read against the RFCs by eye.
 */
#include "check/check_domain.h"
#include "check/dkim_key.h"
#include "check/dmarc_record.h"
#include "check/spf_record.h"
#include "dns/message.h"

#include <string.h>

/* ---- helpers ---- */

/* "code[subject] code[subject] …" */
static char *
codes_of (const FindingList *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);
      g_string_append_printf (out, "%s%s[%s]", i ? " " : "", f->code, f->subject);
    }
  return g_string_free (out, FALSE);
}

static void
expect_codes (const char *name, const FindingList *list, const char *want)
{
  g_autofree char *got = codes_of (list);

  if (strcmp (got, want) != 0)
    {
      g_test_message ("%s:\n  got  %s\n  want %s", name, got, want);
      g_test_fail ();
    }
}

static void
expect_str (const char *name, const char *what, const char *got, const char *want)
{
  if (g_strcmp0 (got, want) != 0)
    {
      g_test_message ("%s: %s:\n  got  %s\n  want %s", name, what, got ? got : "(null)",
                      want ? want : "(null)");
      g_test_fail ();
    }
}

static const Finding *
finding_at (const FindingList *list, const char *code, const char *subject)
{
  const Finding *f = finding_list_find (list, code, subject);

  if (f == NULL)
    {
      g_test_message ("no finding %s[%s]", code, subject);
      g_test_fail ();
    }
  return f;
}

/* ---- findings ---- */

static void
test_finding_format (void)
{
  g_autoptr (FindingList) list = finding_list_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) json = g_string_new (NULL);

  finding_list_add (list, "spf_ok", SEVERITY_OK, NULL, NULL, NULL, "SPF record: %s",
                    "v=spf1 -all");
  finding_list_add (list, "dkim_missing", SEVERITY_ERROR, "s1", "publish \"it\"",
                    "v=DKIM1; p=X", "no key\x1b[31m <b>");
  g_assert_cmpint (finding_list_worst (list), ==, SEVERITY_ERROR);
  g_assert_nonnull (finding_list_find (list, "dkim_missing", "s1"));
  g_assert_nonnull (finding_list_find (list, "dkim_missing", NULL));
  g_assert_null (finding_list_find (list, "dkim_missing", "s2"));

  finding_list_format_text (list, text);
  g_assert_cmpstr (text->str, ==,
                   "ok spf_ok: SPF record: v=spf1 -all\n"
                   "error dkim_missing [s1]: no key\\x1b[31m <b>\n"
                   "    fix: publish \"it\"\n"
                   "    publish: v=DKIM1; p=X\n");
  finding_list_format_json (list, json);
  g_assert_cmpstr (json->str, ==,
                   "[{\"code\":\"spf_ok\",\"severity\":\"ok\",\"subject\":\"\","
                   "\"message\":\"SPF record: v=spf1 -all\",\"fix\":null,\"record\":null},"
                   "{\"code\":\"dkim_missing\",\"severity\":\"error\",\"subject\":\"s1\","
                   "\"message\":\"no key\\u001b[31m \\u003cb\\u003e\","
                   "\"fix\":\"publish \\\"it\\\"\",\"record\":\"v=DKIM1; p=X\"}]");

  g_string_truncate (json, 0);
  check_format_json ("example.com", list, json);
  g_assert_true (g_str_has_prefix (json->str, "{\"domain\":\"example.com\",\"worst\":\"error\","
                                   "\"findings\":[{\"code\":\"spf_ok\""));
  g_assert_true (g_str_has_suffix (json->str, "}]}"));
}

static void
test_finding_long_text (void)
{
  g_autoptr (FindingList) list = finding_list_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) record = g_string_new ("v=spf1");

  /* A record past log_safe_str's 200-byte cut is still printed whole. */
  for (int i = 0; i < 30; i++)
    g_string_append_printf (record, " ip4:192.0.2.%d", i);
  g_string_append (record, " -all");
  finding_list_add (list, "spf_ok", SEVERITY_OK, "", NULL, record->str, "ok");
  finding_list_format_text (list, text);
  g_assert_nonnull (strstr (text->str, record->str));
  g_assert_cmpint (severity_from_name ("critical"), ==, SEVERITY_CRITICAL);
  g_assert_cmpint (severity_from_name ("fatal"), ==, -1);
  g_assert_cmpstr (severity_name (SEVERITY_WARNING), ==, "warning");
}

/* ---- DMARC ---- */

#define D "_dmarc.example.com"
#define RUA "rua=mailto:d@example.com"

static const struct
{
  const char *text;
  const char *want;
} dmarc_cases[] = {
  { "v=DMARC1; p=reject; " RUA, "dmarc_ok[" D "]" },
  { "v=DMARC1; p=none; " RUA, "dmarc_ok[" D "] dmarc_policy_none[" D "]" },
  { "v=DMARC1;p=quarantine", "dmarc_ok[" D "] dmarc_no_rua[" D "]" },
  { "v=DMARC1; p=reject; rua=", "dmarc_ok[" D "] dmarc_no_rua[" D "]" },
  { "v=DMARC1; p=reject; pct=50; " RUA,
    "dmarc_ok[" D "] dmarc_pct_partial[" D "] dmarc_pct_retired[" D "]" },
  { "v=DMARC1; p=reject; pct=100; " RUA, "dmarc_ok[" D "] dmarc_pct_retired[" D "]" },
  { "v=DMARC1; p=reject; sp=none; " RUA, "dmarc_ok[" D "] dmarc_sp_weaker[" D "]" },
  { "v=DMARC1; p=none; sp=reject; " RUA, "dmarc_ok[" D "] dmarc_policy_none[" D "]" },
  { "v=DMARC1; p=reject; foo=bar; " RUA, "dmarc_ok[" D "] dmarc_tag_unknown[foo=bar]" },
  { "v=DMARC1; p=reject; p=none; " RUA, "dmarc_ok[" D "] dmarc_tag_duplicate[p=none]" },
  { "v=DMARC1; p=reject; v=DMARC1; " RUA, "dmarc_ok[" D "] dmarc_tag_duplicate[v=DMARC1]" },
  { "v=DMARC1; p=reject; pct=150; adkim=x; aspf=rs; fo=0:1:d:x; rf=iodef; ri=abc; "
    "t=maybe; psd=q; np=drop; sp=; " RUA,
    "dmarc_ok[" D "] dmarc_tag_invalid[pct=150] dmarc_tag_invalid[adkim=x] "
    "dmarc_tag_invalid[aspf=rs] dmarc_tag_invalid[fo=0:1:d:x] dmarc_tag_invalid[rf=iodef] "
    "dmarc_tag_invalid[ri=abc] dmarc_tag_invalid[t=maybe] dmarc_tag_invalid[psd=q] "
    "dmarc_tag_invalid[np=drop] dmarc_tag_invalid[sp=]" },
  { "v=DMARC1; p=bogus; " RUA, "dmarc_tag_invalid[p=bogus]" },
  { "v=DMARC1; " RUA, "dmarc_syntax[" D "]" },
  { "p=reject; v=DMARC1", "dmarc_syntax[" D "]" },
  { "v=DMARC2; p=reject", "dmarc_syntax[" D "]" },
  { "", "dmarc_syntax[" D "]" },
  { "v=DMARC1; p=reject; " RUA "; junk", "dmarc_ok[" D "] dmarc_syntax[junk]" },
  { "v=DMARC1; p=reject; rua=http://example.com/r, mailto:d@example.com!10m, mailto:x@, "
    "mailto:y@example.com!1x, mailto:@example.com",
    "dmarc_ok[" D "] dmarc_uri_invalid[http://example.com/r] dmarc_uri_invalid[mailto:x@] "
    "dmarc_uri_invalid[mailto:y@example.com!1x] dmarc_uri_invalid[mailto:@example.com]" },
  { "v=DMARC1; p=reject; rua=ftp://example.com",
    "dmarc_ok[" D "] dmarc_uri_invalid[ftp://example.com] dmarc_no_rua[" D "]" },
  { "  V = dmarc1 ;  P = Reject ; RUA = MAILTO:D@Example.COM ; ADKIM = S ; ",
    "dmarc_ok[" D "]" },
  { "v=DMARC1; p=quarantine; sp=reject; np=reject; pct=100; " RUA "; adkim=s; aspf=r; "
    "fo=1:d; rf=afrf; ri=3600; t=y; psd=n",
    "dmarc_ok[" D "] dmarc_pct_retired[" D "]" },
};

static void
test_dmarc_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dmarc_cases); i++)
    {
      g_autoptr (FindingList) list = finding_list_new ();
      g_autoptr (DmarcRecord) rec = dmarc_record_parse (dmarc_cases[i].text, "example.com",
                                                        list);
      expect_codes (dmarc_cases[i].text, list, dmarc_cases[i].want);
      /* valid exactly when receivers apply it: dmarc_ok */
      if (rec->is_valid != (finding_list_find (list, "dmarc_ok", NULL) != NULL))
        {
          g_test_message ("%s: is_valid %d disagrees with the findings", dmarc_cases[i].text,
                          rec->is_valid);
          g_test_fail ();
        }
    }
}

static void
test_dmarc_values (void)
{
  g_autoptr (FindingList) list = finding_list_new ();
  g_autoptr (DmarcRecord) rec = dmarc_record_parse (
    "v=DMARC1; p=quarantine; sp=reject; np=none; pct=20; "
    "rua=mailto:a@Reports.Example.NET, mailto:b@example.com!10m; ruf=mailto:f@example.com; "
    "adkim=s; fo=1:d; rf=afrf; ri=3600; t=y; psd=u", "example.com", list);

  g_assert_true (rec->is_valid);
  g_assert_cmpint (rec->p, ==, DMARC_POLICY_QUARANTINE);
  g_assert_cmpint (rec->sp, ==, DMARC_POLICY_REJECT);
  g_assert_cmpint (rec->np, ==, DMARC_POLICY_NONE);
  g_assert_cmpint (rec->pct, ==, 20);
  g_assert_cmpuint (rec->rua->len, ==, 2);
  const DmarcUri *a = g_ptr_array_index (rec->rua, 0);
  const DmarcUri *b = g_ptr_array_index (rec->rua, 1);
  g_assert_cmpstr (a->host, ==, "reports.example.net");
  g_assert_cmpstr (a->address, ==, "a@Reports.Example.NET");
  g_assert_cmpstr (b->uri, ==, "mailto:b@example.com!10m");
  g_assert_cmpstr (b->address, ==, "b@example.com");
  g_assert_cmpuint (rec->ruf->len, ==, 1);
  g_assert_cmpint (rec->adkim, ==, 's');
  g_assert_cmpint (rec->aspf, ==, 'r');
  g_assert_cmpstr (rec->fo, ==, "1:d");
  g_assert_cmpstr (rec->rf, ==, "afrf");
  g_assert_cmpint (rec->ri, ==, 3600);
  g_assert_cmpint (rec->t, ==, 'y');
  g_assert_cmpint (rec->psd, ==, 'u');
  g_assert_cmpstr (dmarc_policy_name (rec->sp), ==, "reject");
}

/* Each fix's record is the whole corrected record. */
static void
test_dmarc_fixes (void)
{
  static const struct
  {
    const char *text, *code, *subject, *record;
  } cases[] = {
    { "v=DMARC1;p=quarantine", "dmarc_no_rua", D,
      "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com" },
    { "v=DMARC1; p=none; " RUA, "dmarc_policy_none", D, "v=DMARC1; p=quarantine; " RUA },
    { "v=DMARC1; " RUA, "dmarc_syntax", D, "v=DMARC1; p=none; " RUA },
    { "p=reject; v=DMARC1", "dmarc_syntax", D, "v=DMARC1; p=reject" },
    { "v=DMARC1; p=reject; sp=none; " RUA, "dmarc_sp_weaker", D, "v=DMARC1; p=reject; " RUA },
    { "v=DMARC1; p=reject; pct=10; " RUA, "dmarc_pct_partial", D, "v=DMARC1; p=reject; " RUA },
    { "v=DMARC1; p=reject; " RUA "; p=none", "dmarc_tag_duplicate", "p=none",
      "v=DMARC1; p=reject; " RUA },
    { "v=DMARC1; p=reject; fooo=1; " RUA, "dmarc_tag_unknown", "fooo=1",
      "v=DMARC1; p=reject; " RUA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FindingList) list = finding_list_new ();
      g_autoptr (DmarcRecord) rec = dmarc_record_parse (cases[i].text, "example.com", list);
      const Finding *f = finding_at (list, cases[i].code, cases[i].subject);
      g_assert_nonnull (rec->tags);
      if (f != NULL)
        expect_str (cases[i].text, "record", f->record, cases[i].record);
    }
}

/* A hostile record of thousands of tags: read up to a cap, so findings
 * (each with a corrected copy of the record) stay few. */
static void
test_dmarc_tag_cap (void)
{
  g_autoptr (GString) text = g_string_new ("v=DMARC1; p=none");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "; x%u=y", i);
  g_autoptr (FindingList) list = finding_list_new ();
  g_autoptr (DmarcRecord) rec = dmarc_record_parse (text->str, "example.com", list);

  g_assert_cmpuint (list->items->len, <=, 40);
  const Finding *f = finding_list_find (list, "dmarc_syntax", NULL);
  g_assert_nonnull (f);
  g_assert_nonnull (strstr (f->message, "more than 32 tags"));
}

static void
test_dmarc_is_dmarc (void)
{
  static const struct { const char *text; gboolean want; } cases[] = {
    { "v=DMARC1; p=none", TRUE }, { "v=DMARC1", TRUE }, { "V = dmarc1;p=none", TRUE },
    { "v=DMARC1 ; p=none", TRUE }, { "v=DMARC10; p=none", FALSE }, { " v=DMARC1", FALSE },
    { "v=spf1 -all", FALSE }, { "p=none; v=DMARC1", FALSE }, { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (dmarc_record_is_dmarc (cases[i].text) != cases[i].want)
      {
        g_test_message ("dmarc_record_is_dmarc(\"%s\"): want %d", cases[i].text, cases[i].want);
        g_test_fail ();
      }
}

/* ---- SPF ---- */

static const struct
{
  const char *text;
  const char *want;
  guint n_lookups;
} spf_cases[] = {
  { "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all", "", 1 },
  { "v=spf1", "spf_no_all[]", 0 },
  { "v=spf1 mx", "spf_no_all[]", 1 },
  { "v=spf1 +all", "spf_plus_all[+all]", 0 },
  { "v=spf1 mx all", "spf_plus_all[all]", 1 },
  { "v=spf1 mx ?all", "spf_neutral_all[?all]", 1 },
  { "v=spf1 mx ~all", "spf_softfail_all[~all]", 1 },
  { "v=spf1 ptr -all", "spf_ptr[ptr]", 1 },
  { "v=spf1 ?ptr:example.com -all", "spf_ptr[?ptr:example.com]", 1 },
  { "v=spf1 ip4:192.168.0.1/16 -all", "spf_cidr_host_bits[ip4:192.168.0.1/16]", 0 },
  { "v=spf1 include:a.example redirect=b.example -all",
    "spf_redirect_with_all[redirect=b.example]", 1 },
  { "v=spf1 redirect=_spf.example.com", "", 1 },
  { "v=spf1 mx redirect=_spf.example.com exp=explain.%{d}", "", 2 },
  { "v=spf1 -all include:after.example", "", 0 },
  { "V=SPF1 IP4:192.0.2.1 Include:Example.COM. -ALL", "", 1 },
  { "v=spf1  mx   -all ", "", 1 },
  { "v=spf1 a/24//64 mx:mail.example.com/28 a//64 a:x.example/0 -all", "", 4 },
  { "v=spf1 exists:%{i}._spf.%{d} include:%{l1r+-}.example.com a:%{d2}/24 "
    "exists:%{ir}.%{v}._spf.%{d2} -all", "", 4 },
  { "v=spf1 foo=bar.%{d} x-ext=%% -all", "", 0 },
  { "v=spf1 ip6:2001:db8::/32 ip6:::1 ip4:0.0.0.0/0 -all", "", 0 },
  /* syntax */
  { "v=spf2.0/pra -all", "spf_syntax[v=spf2.0/pra]", 0 },
  { "v=spf1foo -all", "spf_syntax[v=spf1foo]", 0 },
  { "v=spf1 foo -all", "spf_syntax[foo]", 0 },
  { "v=spf1 ip4:300.1.1.1 -all", "spf_syntax[ip4:300.1.1.1]", 0 },
  { "v=spf1 ip4:192.0.2.0/33 -all", "spf_syntax[ip4:192.0.2.0/33]", 0 },
  { "v=spf1 ip4:192.0.2.0/024 -all", "spf_syntax[ip4:192.0.2.0/024]", 0 },
  { "v=spf1 ip4:192.0.2.0/ -all", "spf_syntax[ip4:192.0.2.0/]", 0 },
  { "v=spf1 ip4 -all", "spf_syntax[ip4]", 0 },
  { "v=spf1 ip6:zz:: -all", "spf_syntax[ip6:zz::]", 0 },
  { "v=spf1 ip6:2001:db8::/129 -all", "spf_syntax[ip6:2001:db8::/129]", 0 },
  { "v=spf1 include -all", "spf_syntax[include]", 0 },
  { "v=spf1 include: -all", "spf_syntax[include:]", 0 },
  { "v=spf1 include:example -all", "spf_syntax[include:example]", 0 },
  { "v=spf1 include:example.123 -all", "spf_syntax[include:example.123]", 0 },
  { "v=spf1 a:example.com/24/64 -all", "spf_syntax[a:example.com/24/64]", 0 },
  { "v=spf1 mx// -all", "spf_syntax[mx//]", 0 },
  { "v=spf1 all:x", "spf_syntax[all:x] spf_no_all[]", 0 },
  { "v=spf1 *mx -all", "spf_syntax[*mx]", 0 },
  { "v=spf1 exists:%{q}.example.com -all", "spf_syntax[exists:%{q}.example.com]", 0 },
  { "v=spf1 exists:%{c}.example.com -all", "spf_syntax[exists:%{c}.example.com]", 0 },
  { "v=spf1 include:%{d -all", "spf_syntax[include:%{d]", 0 },
  { "v=spf1 include:50%.example.com -all", "spf_syntax[include:50%.example.com]", 0 },
  { "v=spf1 redirect=a.example redirect=b.example", "spf_syntax[redirect=b.example]", 1 },
  { "v=spf1 exp=a.example exp=b.example -all", "spf_syntax[exp=b.example]", 0 },
  { "v=spf1 redirect= -all", "spf_syntax[redirect=]", 0 },
  { "v=spf1 mx\t-all", "spf_syntax[mx\t-all] spf_no_all[]", 0 },
  { "v=spf1 1x=y -all", "spf_syntax[1x=y]", 0 },
};

static void
test_spf_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (spf_cases); i++)
    {
      g_autoptr (FindingList) list = finding_list_new ();
      g_autoptr (SpfRecord) rec = spf_record_parse (spf_cases[i].text, list);
      gboolean has_syntax = finding_list_find (list, "spf_syntax", NULL) != NULL;

      expect_codes (spf_cases[i].text, list, spf_cases[i].want);
      if (rec->n_lookups != spf_cases[i].n_lookups || rec->is_valid == has_syntax)
        {
          g_test_message ("%s: got %u lookups, valid %d; want %u", spf_cases[i].text,
                          rec->n_lookups, rec->is_valid, spf_cases[i].n_lookups);
          g_test_fail ();
        }
    }
}

static void
test_spf_terms (void)
{
  g_autoptr (SpfRecord) rec = spf_record_parse (
    "v=spf1 ~a/24//64 mx:mail.example.com/28 -ip6:2001:db8::/32 ?include:%{d}.example.com "
    "ip4:192.0.2.1 redirect=x.example", NULL);
  const SpfTerm *t;

  g_assert_true (rec->is_valid);
  g_assert_cmpuint (rec->terms->len, ==, 6);
  t = g_ptr_array_index (rec->terms, 0);
  g_assert_cmpint (t->kind, ==, SPF_TERM_A);
  g_assert_cmpint (t->qualifier, ==, '~');
  g_assert_null (t->domain);
  g_assert_cmpuint (t->cidr4, ==, 24);
  g_assert_cmpuint (t->cidr6, ==, 64);
  t = g_ptr_array_index (rec->terms, 1);
  g_assert_cmpint (t->kind, ==, SPF_TERM_MX);
  g_assert_cmpstr (t->domain, ==, "mail.example.com");
  g_assert_cmpuint (t->cidr4, ==, 28);
  g_assert_cmpuint (t->cidr6, ==, 128);
  t = g_ptr_array_index (rec->terms, 2);
  g_assert_cmpint (t->kind, ==, SPF_TERM_IP6);
  g_assert_cmpint (t->qualifier, ==, '-');
  g_assert_cmpuint (t->addr_len, ==, 16);
  g_assert_cmpuint (t->cidr6, ==, 32);
  t = g_ptr_array_index (rec->terms, 3);
  g_assert_cmpint (t->kind, ==, SPF_TERM_INCLUDE);
  g_assert_true (t->has_macro);
  t = g_ptr_array_index (rec->terms, 4);
  g_assert_cmpint (t->kind, ==, SPF_TERM_IP4);
  g_assert_cmpint (t->qualifier, ==, '+');
  g_assert_cmpuint (t->cidr4, ==, 32);
  g_assert_true (rec->redirect == g_ptr_array_index (rec->terms, 5));
  g_assert_null (rec->all);
  g_assert_cmpuint (rec->n_lookups, ==, 4);
}

/* Host bits: the fix names the network, the record is the whole corrected
 * record (every wrong term corrected, qualifiers kept). */
static void
test_spf_host_bits (void)
{
  static const struct
  {
    const char *text, *subject, *fix, *record;
  } cases[] = {
    { "v=spf1 ip4:192.168.0.1/16 -all", "ip4:192.168.0.1/16", "write ip4:192.168.0.0/16",
      "v=spf1 ip4:192.168.0.0/16 -all" },
    { "v=spf1 mx -ip4:10.1.2.3/8 ip4:192.0.2.130/25 ~all", "ip4:192.0.2.130/25",
      "write ip4:192.0.2.128/25", "v=spf1 mx -ip4:10.0.0.0/8 ip4:192.0.2.128/25 ~all" },
    { "v=spf1 ip6:2001:db8::1/32 -all", "ip6:2001:db8::1/32", "write ip6:2001:db8::/32",
      "v=spf1 ip6:2001:db8::/32 -all" },
    { "v=spf1 ?IP6:2001:db8:1:2:3:4:f005:6/100 -all", "?IP6:2001:db8:1:2:3:4:f005:6/100",
      "write ?ip6:2001:db8:1:2:3:4:f000:0/100", "v=spf1 ?ip6:2001:db8:1:2:3:4:f000:0/100 -all" },
    { "v=spf1 ip4:192.0.2.255/31 -all", "ip4:192.0.2.255/31", "write ip4:192.0.2.254/31",
      "v=spf1 ip4:192.0.2.254/31 -all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FindingList) list = finding_list_new ();
      g_autoptr (SpfRecord) rec = spf_record_parse (cases[i].text, list);
      const Finding *f = finding_at (list, "spf_cidr_host_bits", cases[i].subject);
      g_assert_true (rec->is_valid);   /* host bits are a warning, not a permerror */
      if (f == NULL)
        continue;
      expect_str (cases[i].text, "fix", f->fix, cases[i].fix);
      expect_str (cases[i].text, "record", f->record, cases[i].record);
    }
}

static void
test_spf_format (void)
{
  static const char *const add[] = { "ip4:203.0.113.5", "ip6:2001:db8::5", NULL };
  static const struct
  {
    const char *text, *new_all, *want;
  } cases[] = {
    { "v=spf1 mx ~all", NULL, "v=spf1 mx ip4:203.0.113.5 ip6:2001:db8::5 ~all" },
    { "v=spf1 mx redirect=x.example", NULL,
      "v=spf1 mx ip4:203.0.113.5 ip6:2001:db8::5 redirect=x.example" },
    { "v=spf1 mx", "-all", "v=spf1 mx ip4:203.0.113.5 ip6:2001:db8::5 -all" },
    { "v=spf1 +all", "-all", "v=spf1 ip4:203.0.113.5 ip6:2001:db8::5 -all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SpfRecord) rec = spf_record_parse (cases[i].text, NULL);
      g_autofree char *got = spf_record_format (rec, cases[i].new_all, add);
      expect_str (cases[i].text, "format", got, cases[i].want);
    }
  g_autoptr (FindingList) list = finding_list_new ();
  g_autoptr (SpfRecord) plus = spf_record_parse ("v=spf1 mx +all", list);
  g_assert_cmpint (plus->all->qualifier, ==, '+');
  expect_str ("+all", "record", finding_at (list, "spf_plus_all", "+all")->record,
              "v=spf1 mx -all");
}

static void
test_spf_ip (void)
{
  guint8 net[16], ip[16];
  gsize net_len, ip_len;

  g_assert_true (spf_ip_parse ("192.0.2.0", net, &net_len));
  g_assert_cmpuint (net_len, ==, 4);
  g_assert_true (spf_ip_parse ("::ffff:192.0.2.77", ip, &ip_len));
  g_assert_cmpuint (ip_len, ==, 4);
  g_assert_true (spf_ip_in_net (net, net_len, 24, ip, ip_len));
  g_assert_false (spf_ip_in_net (net, net_len, 26, ip, ip_len));
  g_assert_true (spf_ip_in_net (net, net_len, 0, ip, ip_len));
  g_assert_true (spf_ip_parse ("2001:db8::1", ip, &ip_len));
  g_assert_false (spf_ip_in_net (net, net_len, 0, ip, ip_len));
  g_assert_true (spf_ip_parse ("2001:db8::", net, &net_len));
  g_assert_true (spf_ip_in_net (net, net_len, 64, ip, ip_len));
  g_assert_false (spf_ip_in_net (net, net_len, 128, ip, ip_len));
  g_assert_false (spf_ip_in_net (net, net_len, 129, ip, ip_len));
  g_assert_false (spf_ip_parse ("192.0.2", ip, &ip_len));
  g_assert_false (spf_ip_parse ("mail.example.com", ip, &ip_len));
  g_assert_true (spf_record_is_spf ("v=spf1"));
  g_assert_true (spf_record_is_spf ("V=SPF1 -all"));
  g_assert_false (spf_record_is_spf ("v=spf10 -all"));
  g_assert_false (spf_record_is_spf ("v=spf1\t-all"));
}

/* ---- DKIM ---- */

#define RSA512 "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMp4U94NRK05dpeK4ksGFmvTsfvwjaK90Li7JOc6kyUyG" \
  "/L4/qrda0N8A+f+2xZhXU8f0j0Ujkuhv43ZRjKMvokCAwEAAQ=="
#define RSA1024 "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCeLeL1m3Ac6OENyCwDPwN+9CScp8ocWs/DK7xrO" \
  "DoPVbfcVyyRx6fBdmQDh87pp+yXGpXWxFT7QK2Vrtn9GG0NcYVaMcWgCPbG7EFnX9fMBpZLqjVcLDHCdIRtnH" \
  "yQqKC5LmLL1rqh1Z1kBwn2b+TxfE0F+TNEtoId7ccGaONe0QIDAQAB"
#define RSA1024_PKCS1 "MIGJAoGBAJ4t4vWbcBzo4Q3ILAM/A370JJynyhxaz8MrvGs4Og9Vt9xXLJHHp8F2ZAOHz" \
  "umn7JcaldbEVPtArZWu2f0YbQ1xhVoxxaAI9sbsQWdf18wGlkuqNVwsMcJ0hG2cfJCooLkuYsvWuqHVnWQHCfZ" \
  "v5PF8TQX5M0S2gh3txwZo417RAgMBAAE="
#define RSA2048 "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1EQSWUM2DPTCKBxPI+8eJ+8EYL4umL4W8" \
  "0UdMoWBFvH5pkDu11zIuducTV6l3vm68j2TAsEvvQDolv3gav0BHr3Wcerl0a3VCDSuIbiD24B0QXDB1sqbNXd" \
  "uxfe6xNhsY7+cmdG6dSRAoNXvG7ncOEnQjVEcwg3W9S3Oax4m58o5bQEkacalVmx0ne4mirGhnSVwQhY50anhF" \
  "AYsPMFYyjfaslcZeAiB38t2syMQn4NnVT4m5MS72fmdo/oRczZ6tw4ZOUXkJnlJu7HCPiG1ZbOZgIpUHh/5vsH" \
  "VGDaEw1Vx10+DjVORtWrjLidyJ/Z8GIfv8OCBwDRPbIR1TRh7twIDAQAB"
#define RSA4096 "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAt1Lzkh18dwXkNouQIaJiof6qkI18cx0cY" \
  "ZymuaASeu1yalw4+focwk/NkKjaUqDgK/dWUJMz5yZILy+4v0gIaSF+ssaOFSFil0mJqdTYftrmiQfidkhjqT4" \
  "vF0vwig6YwGLWJhgNeC5yQ30fpvxxKvTi3tEtsoOXx5ZZ+VTOt9CZWei8DXPF9H0RN68K8IK1RL9yAOHgaO1YJ" \
  "K1yc2vKt7tZW3hAynn6zpJojgQe2ezXhrn0j7lgsX+zt1AvRIfm5OmqeAKasNn6aeH+w2VuUXuyTmgZDpoCiQc" \
  "j0psQuaEX3NU0fQ0oeZxuN6xiGmarH/yh06qMrNmRu3Qm9UzjSN2geTRadQxDb0LOL3h9KT9oNM1r67TyTZBmF" \
  "fkYVjYg4p+CK1/nQ2yZ3+mZEVCRphGYjWUUVIPLK3GHdg9pU8svOz4vjyR1wF2lFmWEjCcuuVrnO4d/IL/xj4U" \
  "raxb+NlKJQsqxIr453ygAoR0NWuDcMPGbvgYMqrX6n0YbCXFhntsgBAnByONwvOVv75OdWNxyToARvnmeX2l2D" \
  "gw3+QpM0zuRhEkqY3r9EJnJxSgV0J3PP+8AhMTrSljBqKABNmtonir2vE6A0yoEqPxmWiXCMIRgTLAyJhO6d7x" \
  "7MZlbZK/Nq4NEiG0blTOB7sz6hnvHl9f1xE+wMngXBPyyCHkCAwEAAQ=="
#define ED25519 "vi5Glj9/vqKfzHk202q2YFBGj5I1vzL5laIxEQ/u6Tw="
#define ED25519_SPKI "MCowBQYDK2VwAyEAvi5Glj9/vqKfzHk202q2YFBGj5I1vzL5laIxEQ/u6Tw="

static const struct
{
  const char *text;
  const char *want;
  const char *message;    /* of the first finding; NULL: not checked */
  guint bits;
} dkim_cases[] = {
  { "v=DKIM1; k=rsa; p=" RSA512, "dkim_weak_key[s1]",
    "RSA 512-bit key: verifiers ignore signatures made with RSA keys under 1024 bits "
    "(RFC 8301)", 512 },
  { "v=DKIM1; k=rsa; p=" RSA1024, "dkim_short_key[s1]",
    "RSA 1024-bit key: 2048 bits is the recommended size", 1024 },
  { "v=DKIM1; p=" RSA1024_PKCS1, "dkim_short_key[s1]", NULL, 1024 },
  { "v=DKIM1; k=rsa; p=" RSA2048, "dkim_ok[s1]", "RSA 2048-bit key", 2048 },
  { "v=DKIM1; p=" RSA4096, "dkim_ok[s1]", "RSA 4096-bit key", 4096 },
  { "p=" RSA2048, "dkim_ok[s1]", NULL, 2048 },
  { "v=DKIM1; k=ed25519; p=" ED25519, "dkim_ok[s1]", "Ed25519 key", 256 },
  { "v=DKIM1; k=rsa; t=y; p=" RSA2048, "dkim_ok[s1] dkim_testing[s1]", NULL, 2048 },
  { "v=DKIM1; t=s:y; p=" RSA512, "dkim_weak_key[s1] dkim_testing[s1]", NULL, 512 },
  { "v=DKIM1; t=s; h=sha1:sha256; s=email; n=a note; p=" RSA2048 ";", "dkim_ok[s1]", NULL,
    2048 },
  { " v = DKIM1 ;\tk=rsa ; p = MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1EQSWUM2DPTCKBx "
    "PI+8eJ+8EYL4umL4W80UdMoWBFvH5pkDu11zIuducTV6l3vm68j2TAsEvvQDolv3gav0BHr3Wcerl0a3VCDSu "
    "IbiD24B0QXDB1sqbNXduxfe6xNhsY7+cmdG6dSRAoNXvG7ncOEnQjVEcwg3W9S3Oax4m58o5bQEkacalVmx0n "
    "e4mirGhnSVwQhY50anhFAYsPMFYyjfaslcZeAiB38t2syMQn4NnVT4m5MS72fmdo/oRczZ6tw4ZOUXkJnlJu7 "
    "HCPiG1ZbOZgIpUHh/5vsHVGDaEw1Vx10+DjVORtWrjLidyJ/Z8GIfv8OCBwDRPbIR1TRh7twIDAQAB ",
    "dkim_ok[s1]", NULL, 2048 },
  { "v=DKIM1; p=", "dkim_revoked[s1]", NULL, 0 },
  { "v=DKIM1; t=y; p= ", "dkim_revoked[s1]", NULL, 0 },
  { "v=DKIM1; k=rsa; p=!!notbase64!!", "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=rsa; p=QUJD", "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=rsa; p=QUJDRA=", "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=rsa; p=" ED25519, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=ed25519; p=" ED25519_SPKI, "dkim_syntax[s1]",
    "the key record is not usable: an Ed25519 key in p= is the bare 32-byte key (RFC 8463); "
    "signatures with selector s1 fail", 0 },
  { "v=DKIM1; k=ed25519; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1EQSWUM2DPTC", "dkim_syntax[s1]",
    NULL, 0 },
  { "k=rsa; v=DKIM1; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM2; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=dsa; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; K=rsa; p=" RSA2048, "dkim_ok[s1]", NULL, 2048 },
  { "v=DKIM1; p=" RSA2048 "; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; h=sha1; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; s=tlsrpt; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; k=rsa", "dkim_syntax[s1]", NULL, 0 },
  { "v=DKIM1; garbage; p=" RSA2048, "dkim_syntax[s1]", NULL, 0 },
  { "", "dkim_syntax[s1]", NULL, 0 },
};

static void
test_dkim_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dkim_cases); i++)
    {
      g_autoptr (FindingList) list = finding_list_new ();
      g_autoptr (DkimKey) key = dkim_key_parse (dkim_cases[i].text, "s1", list);

      expect_codes (dkim_cases[i].text, list, dkim_cases[i].want);
      if (dkim_cases[i].message != NULL && list->items->len > 0)
        expect_str (dkim_cases[i].text, "message",
                    ((Finding *) g_ptr_array_index (list->items, 0))->message,
                    dkim_cases[i].message);
      if (key->bits != dkim_cases[i].bits)
        {
          g_test_message ("%s: got %u bits, want %u", dkim_cases[i].text, key->bits,
                          dkim_cases[i].bits);
          g_test_fail ();
        }
    }
}

/* The DER walk on every prefix and with every byte spoiled: it must stay in
 * bounds (AddressSanitizer watches) and never invent a size for a prefix. */
static void
test_dkim_der_bounds (void)
{
  gsize len = 0;
  g_autofree guint8 *der = g_base64_decode (RSA2048, &len);

  g_assert_cmpuint (dkim_key_rsa_bits (der, len), ==, 2048);
  for (gsize n = 0; n < len; n++)
    {
      g_autofree guint8 *prefix = g_memdup2 (der, n);
      g_assert_cmpuint (dkim_key_rsa_bits (prefix, n), ==, 0);
    }
  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *spoiled = g_memdup2 (der, len);
      spoiled[i] ^= 0xff;
      (void) dkim_key_rsa_bits (spoiled, len);
    }
}

/* ---- whole domains against a zone in memory ---- */

typedef struct
{
  const char *name;
  DnsType type;
  const char *text;     /* NULL with STATUS: the answer is that status */
  guint16 preference;
  DnsStatus status;
} ZoneRow;

typedef struct
{
  const ZoneRow *rows;
  gsize n_rows;
} Zone;

/* The cache hook: every query is answered here, so none is sent.  A name
 * in the table without rows of the type is NODATA, any other NXDOMAIN. */
static DnsAnswer *
zone_get (gpointer data, const char *name, DnsType type)
{
  const Zone *zone = data;
  gboolean exists = FALSE;
  DnsAnswer *answer = dns_answer_new (name, type, DNS_NXDOMAIN);

  for (gsize i = 0; i < zone->n_rows; i++)
    {
      const ZoneRow *row = &zone->rows[i];
      if (g_ascii_strcasecmp (row->name, name) != 0)
        continue;
      exists = TRUE;
      if (row->type != type)
        continue;
      if (row->text == NULL)
        {
          answer->status = row->status;
          return answer;
        }
      answer->status = DNS_OK;
      answer->ttl = 300;
      dns_answer_add (answer, type, 300, row->text, row->preference);
    }
  if (answer->status != DNS_OK && exists)
    answer->status = DNS_NODATA;
  return answer;
}

static FindingList *
run_check (const ZoneRow *rows, gsize n_rows, const CheckDomainInput *input)
{
  static char *servers[] = { "127.0.0.1:9", NULL };
  DnsOptions options = { .servers = servers, .timeout_ms = 100, .tries = 1 };
  Zone zone = { rows, n_rows };
  g_autoptr (GError) error = NULL;
  g_autoptr (DnsResolver) resolver = dns_resolver_new (&options, &error);

  g_assert_no_error (error);
  dns_resolver_set_cache (resolver, zone_get, NULL, &zone);
  FindingList *list = check_domain (resolver, input);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 0);
  return list;
}

static const ZoneRow healthy_zone[] = {
  { "_dmarc.example.com", DNS_T_TXT, "google-site-verification=abc", 0, 0 },
  { "_dmarc.example.com", DNS_T_TXT,
    "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:agg@reports.example.net", 0, 0 },
  { "example.com._report._dmarc.reports.example.net", DNS_T_TXT, "v=DMARC1", 0, 0 },
  { "example.com", DNS_T_TXT, "google-site-verification=xyz", 0, 0 },
  { "example.com", DNS_T_TXT,
    "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net a:web.example.com mx -all", 0, 0 },
  { "_spf.example.net", DNS_T_TXT, "v=spf1 ip6:2001:db8:5::/48 ~all", 0, 0 },
  { "web.example.com", DNS_T_A, "198.51.100.7", 0, 0 },
  { "example.com", DNS_T_MX, "mx2.example.com", 20, 0 },
  { "example.com", DNS_T_MX, "mx1.example.com", 10, 0 },
  { "mx1.example.com", DNS_T_A, "203.0.113.25", 0, 0 },
  { "mx2.example.com", DNS_T_AAAA, "2001:db8::26", 0, 0 },
  { "mx2.example.com", DNS_T_A, "203.0.113.26", 0, 0 },
  { "25.113.0.203.in-addr.arpa", DNS_T_PTR, "mx1.example.com", 0, 0 },
  { "26.113.0.203.in-addr.arpa", DNS_T_PTR, "mx2.example.com", 0, 0 },
  { "6.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", DNS_T_PTR,
    "mx2.example.com", 0, 0 },
  { "s1._domainkey.example.com", DNS_T_TXT, "v=DKIM1; k=rsa; p=" RSA2048, 0, 0 },
};

static void
test_domain_healthy (void)
{
  static const char *const selectors[] = { "S1", NULL };
  static const char *const ips[] = { "192.0.2.10", "198.51.100.7", "2001:db8:5::1",
                                     "203.0.113.25", "2001:db8::26", NULL };
  CheckDomainInput input = { .domain = "Example.COM.", .dkim_selectors = selectors,
                             .sending_ips = ips };
  g_autoptr (FindingList) list = run_check (healthy_zone, G_N_ELEMENTS (healthy_zone), &input);

  expect_codes ("healthy", list,
                "dmarc_ok[_dmarc.example.com] dmarc_external_ok[reports.example.net] "
                "spf_ok[] dkim_ok[s1] mx_ok[mx1.example.com] mx_ok[mx2.example.com]");
  expect_str ("healthy", "spf_ok", finding_at (list, "spf_ok", "")->message,
              "SPF record: v=spf1 ip4:192.0.2.0/24 include:_spf.example.net "
              "a:web.example.com mx -all (3 DNS lookups)");
  expect_str ("healthy", "mx_ok", finding_at (list, "mx_ok", "mx2.example.com")->message,
              "MX mx2.example.com (preference 20), 203.0.113.26 (mx2.example.com), "
              "2001:db8::26 (mx2.example.com)");
  g_assert_cmpint (finding_list_worst (list), ==, SEVERITY_OK);
}

static gboolean
looks_dynamic (const char *name, const char *ip G_GNUC_UNUSED)
{
  return strstr (name, "dsl") != NULL;
}

static char *
org_of (const char *name)
{
  return g_str_has_suffix (name, ".example.org") ? g_strdup ("example.org") : NULL;
}

static const ZoneRow broken_zone[] = {
  { "_dmarc.example.org", DNS_T_TXT, "v=DMARC1; p=quarantine; sp=reject", 0, 0 },
  { "sub.example.org", DNS_T_TXT,
    "v=spf1 include:loop.example.org include:gone.example.org ip4:192.0.2.1/24 ptr "
    "a:nx1.example.org a:nx2.example.org exists:nx3.example.org ?all", 0, 0 },
  { "sub.example.org", DNS_T_SPF, "v=spf1 -all", 0, 0 },
  { "loop.example.org", DNS_T_TXT, "v=spf1 include:sub.example.org bad:term -all", 0, 0 },
  { "sub.example.org", DNS_T_MX, "noaddr.example.org", 20, 0 },
  { "sub.example.org", DNS_T_MX, "mx.example.org", 10, 0 },
  { "mx.example.org", DNS_T_A, "203.0.113.9", 0, 0 },
  { "9.113.0.203.in-addr.arpa", DNS_T_PTR, "dsl-203-0-113-9.pool.isp.example", 0, 0 },
  { "dsl-203-0-113-9.pool.isp.example", DNS_T_A, "203.0.113.99", 0, 0 },
  { "bad._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; p=QUJD", 0, 0 },
  /* sorted first, does not parse: the second one counts */
  { "two._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; h=md5; p=" RSA2048, 0, 0 },
  { "two._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; k=ed25519; p=" ED25519, 0, 0 },
  { "rev._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; p=", 0, 0 },
  { "worse._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; p=QUJD", 0, 0 },
  { "worse._domainkey.sub.example.org", DNS_T_TXT, "v=DKIM1; k=rsa", 0, 0 },
  { "fail._domainkey.sub.example.org", DNS_T_TXT, NULL, 0, DNS_SERVFAIL },
};

static void
test_domain_broken (void)
{
  static const char *const selectors[] = { "gone", "bad", "two", "fail", "rev", "worse", "a b",
                                           NULL };
  static const char *const ips[] = { "192.0.2.77", "198.51.100.1", NULL };
  static const char *const labels[] = { NULL, "Newsletter", NULL };
  CheckDomainInput input = { .domain = "sub.example.org", .org_domain = "example.org",
                             .org_domain_of = org_of, .name_is_generic = looks_dynamic,
                             .dkim_selectors = selectors, .sending_ips = ips,
                             .sending_labels = labels };
  g_autoptr (FindingList) list = run_check (broken_zone, G_N_ELEMENTS (broken_zone), &input);
  const char *spf_fixed = "v=spf1 include:loop.example.org include:gone.example.org "
                          "ip4:192.0.2.0/24 ptr a:nx1.example.org a:nx2.example.org "
                          "exists:nx3.example.org ip4:192.0.2.77 ip4:198.51.100.1 ?all";

  expect_codes ("broken", list,
                "dmarc_inherited[_dmarc.sub.example.org] "
                "spf_ok[] spf_cidr_host_bits[ip4:192.0.2.1/24] spf_ptr[ptr] "
                "spf_neutral_all[?all] spf_syntax[bad:term] spf_loop[sub.example.org] "
                "spf_include_missing[gone.example.org] spf_void_limit[] spf_type99[] "
                "spf_source_not_covered[192.0.2.77] spf_source_not_covered[198.51.100.1] "
                "dkim_missing[gone] dkim_syntax[bad] dkim_ok[two] dkim_lookup_failed[fail] "
                "dkim_revoked[rev] dkim_syntax[worse] dkim_syntax[a b] "
                "mx_ptr_mismatch[mx.example.org 203.0.113.9] "
                "mx_ptr_generic[mx.example.org 203.0.113.9] mx_no_address[noaddr.example.org]");
  expect_str ("broken", "inherited",
              finding_at (list, "dmarc_inherited", "_dmarc.sub.example.org")->message,
              "no record at _dmarc.sub.example.org: the record of example.org applies "
              "(policy reject)");
  const Finding *f = finding_at (list, "spf_source_not_covered", "198.51.100.1");
  expect_str ("broken", "not covered", f->message,
              "198.51.100.1 (Newsletter) sends mail as sub.example.org, but SPF gives it "
              "permerror");
  expect_str ("broken", "not covered fix", f->fix,
              "add ip4:198.51.100.1 (or the sender's include) to the SPF record");
  expect_str ("broken", "not covered record", f->record, spf_fixed);
  expect_str ("broken", "void", finding_at (list, "spf_void_limit", "")->message,
              "4 lookups find no record (void), over the limit of 2: receivers return "
              "permerror");
  expect_str ("broken", "worse", finding_at (list, "dkim_syntax", "worse")->message,
              "the key record is not usable: there is no p= tag (the public key); signatures "
              "with selector worse fail");
  g_assert_cmpint (finding_list_worst (list), ==, SEVERITY_ERROR);
}

static const ZoneRow coverage_zone[] = {
  { "cov.example", DNS_T_TXT,
    "v=spf1 ip4:192.0.2.0/25 a:web.cov.example/30 mx//64 include:esp.example.net ~all", 0, 0 },
  { "web.cov.example", DNS_T_A, "198.51.100.9", 0, 0 },
  { "cov.example", DNS_T_MX, "mail.cov.example", 10, 0 },
  { "mail.cov.example", DNS_T_AAAA, "2001:db8:1:2::1", 0, 0 },
  { "esp.example.net", DNS_T_TXT, "v=spf1 ip4:203.0.113.0/24 -all", 0, 0 },
};

static void
test_domain_coverage (void)
{
  static const char *const ips[] = { "192.0.2.5", "192.0.2.200", "198.51.100.10",
                                     "2001:db8:1:2::99", "203.0.113.77", "2001:db8:ffff::1",
                                     "not-an-ip", NULL };
  static const char *const labels[] = { NULL, "CRM", NULL, NULL, NULL, NULL, NULL, NULL };
  CheckDomainInput input = { .domain = "cov.example", .sending_ips = ips,
                             .sending_labels = labels, .skip_mx = TRUE };
  g_autoptr (FindingList) list = run_check (coverage_zone, G_N_ELEMENTS (coverage_zone),
                                            &input);

  expect_codes ("coverage", list,
                "dmarc_missing[_dmarc.cov.example] spf_ok[] spf_softfail_all[~all] "
                "spf_source_not_covered[192.0.2.200] spf_source_not_covered[2001:db8:ffff::1] "
                "dkim_no_selectors[]");
  const Finding *f = finding_at (list, "spf_source_not_covered", "192.0.2.200");
  expect_str ("coverage", "message", f->message,
              "192.0.2.200 (CRM) sends mail as cov.example, but SPF gives it softfail");
  expect_str ("coverage", "record", f->record,
              "v=spf1 ip4:192.0.2.0/25 a:web.cov.example/30 mx//64 include:esp.example.net "
              "ip4:192.0.2.200 ip6:2001:db8:ffff::1 ~all");
  expect_str ("coverage", "dmarc record",
              finding_at (list, "dmarc_missing", "_dmarc.cov.example")->record,
              "v=DMARC1; p=none; rua=mailto:dmarc-reports@cov.example");
}

static const ZoneRow limits_zone[] = {
  { "_dmarc.many.example", DNS_T_TXT,
    "v=DMARC1; p=none; rua=mailto:r@thirdparty.example.com; ruf=mailto:f@many.example", 0, 0 },
  { "many.example", DNS_T_TXT,
    "v=spf1 include:a.many.example include:b.many.example -all", 0, 0 },
  { "a.many.example", DNS_T_TXT,
    "v=spf1 a:h1.many.example a:h2.many.example a:h3.many.example a:h4.many.example "
    "a:h5.many.example -all", 0, 0 },
  { "b.many.example", DNS_T_TXT,
    "v=spf1 a:h6.many.example a:h7.many.example a:h8.many.example a:h9.many.example "
    "a:h10.many.example -all", 0, 0 },
  { "h1.many.example", DNS_T_A, "192.0.2.101", 0, 0 },
  { "h2.many.example", DNS_T_A, "192.0.2.102", 0, 0 },
  { "h3.many.example", DNS_T_A, "192.0.2.103", 0, 0 },
  { "h4.many.example", DNS_T_A, "192.0.2.104", 0, 0 },
  { "h5.many.example", DNS_T_A, "192.0.2.105", 0, 0 },
  { "h6.many.example", DNS_T_A, "192.0.2.106", 0, 0 },
  { "h7.many.example", DNS_T_A, "192.0.2.107", 0, 0 },
  { "h8.many.example", DNS_T_A, "192.0.2.108", 0, 0 },
  { "h9.many.example", DNS_T_A, "192.0.2.109", 0, 0 },
  { "h10.many.example", DNS_T_A, "192.0.2.110", 0, 0 },
  { "many.example", DNS_T_MX, "", 0, 0 },
};

static void
test_domain_limits (void)
{
  static const char *const ips[] = { "192.0.2.103", "192.0.2.110", NULL };
  CheckDomainInput input = { .domain = "many.example", .sending_ips = ips };
  g_autoptr (FindingList) list = run_check (limits_zone, G_N_ELEMENTS (limits_zone), &input);

  expect_codes ("limits", list,
                "dmarc_ok[_dmarc.many.example] dmarc_policy_none[_dmarc.many.example] "
                "dmarc_external_unauthorized[thirdparty.example.com] "
                "spf_ok[] spf_lookup_limit[] spf_source_not_covered[192.0.2.110] "
                "dkim_no_selectors[] mx_null[]");
  expect_str ("limits", "limit", finding_at (list, "spf_lookup_limit", "")->message,
              "12 DNS lookups, over the limit of 10: receivers return permerror (lookups per "
              "record: many.example (2), a.many.example (5), b.many.example (5))");
  const Finding *f = finding_at (list, "dmarc_external_unauthorized", "thirdparty.example.com");
  expect_str ("limits", "external fix", f->fix,
              "have the DNS of thirdparty.example.com publish: "
              "many.example._report._dmarc.thirdparty.example.com TXT \"v=DMARC1\"");
  expect_str ("limits", "external record", f->record, "v=DMARC1");
}

static const ZoneRow failing_zone[] = {
  { "_dmarc.fail.example", DNS_T_TXT, NULL, 0, DNS_SERVFAIL },
  { "fail.example", DNS_T_TXT, NULL, 0, DNS_TIMEOUT },
  { "fail.example", DNS_T_SPF, NULL, 0, DNS_REFUSED },
  { "fail.example", DNS_T_MX, NULL, 0, DNS_SERVFAIL },
  { "_dmarc.multi.example", DNS_T_TXT, "v=DMARC1; p=none", 0, 0 },
  { "_dmarc.multi.example", DNS_T_TXT, "v=DMARC1; p=reject", 0, 0 },
  { "multi.example", DNS_T_TXT, "v=spf1 -all", 0, 0 },
  { "multi.example", DNS_T_TXT, "v=spf1 mx -all", 0, 0 },
  { "multi.example", DNS_T_A, "192.0.2.1", 0, 0 },
};

static void
test_domain_failures (void)
{
  CheckDomainInput fail = { .domain = "fail.example" };
  CheckDomainInput multi = { .domain = "multi.example" };
  g_autoptr (FindingList) failed = run_check (failing_zone, G_N_ELEMENTS (failing_zone), &fail);
  g_autoptr (FindingList) multiple = run_check (failing_zone, G_N_ELEMENTS (failing_zone),
                                                &multi);

  expect_codes ("failures", failed,
                "dmarc_lookup_failed[_dmarc.fail.example] spf_lookup_failed[] "
                "spf_lookup_failed[] dkim_no_selectors[] mx_lookup_failed[]");
  expect_str ("failures", "message", finding_at (failed, "mx_lookup_failed", "")->message,
              "MX lookup of fail.example failed (servfail)");
  expect_codes ("multiple", multiple,
                "dmarc_multiple[_dmarc.multi.example] spf_multiple[] dkim_no_selectors[] "
                "mx_missing[]");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/check/finding/formats-text-and-json", test_finding_format);
  g_test_add_func ("/check/finding/prints-long-records-whole", test_finding_long_text);
  g_test_add_func ("/check/dmarc/findings-as-table", test_dmarc_cases);
  g_test_add_func ("/check/dmarc/reads-every-tag", test_dmarc_values);
  g_test_add_func ("/check/dmarc/fixes-carry-the-whole-record", test_dmarc_fixes);
  g_test_add_func ("/check/dmarc/version-prefix", test_dmarc_is_dmarc);
  g_test_add_func ("/check/dmarc/hostile-tag-count-is-capped", test_dmarc_tag_cap);
  g_test_add_func ("/check/spf/findings-and-lookups-as-table", test_spf_cases);
  g_test_add_func ("/check/spf/reads-terms", test_spf_terms);
  g_test_add_func ("/check/spf/host-bits-give-the-network", test_spf_host_bits);
  g_test_add_func ("/check/spf/format-adds-before-all", test_spf_format);
  g_test_add_func ("/check/spf/ip-helpers", test_spf_ip);
  g_test_add_func ("/check/dkim/findings-and-sizes-as-table", test_dkim_cases);
  g_test_add_func ("/check/dkim/der-walk-stays-in-bounds", test_dkim_der_bounds);
  g_test_add_func ("/check/domain/healthy-is-all-ok", test_domain_healthy);
  g_test_add_func ("/check/domain/broken-names-every-problem", test_domain_broken);
  g_test_add_func ("/check/domain/coverage-evaluates-each-ip", test_domain_coverage);
  g_test_add_func ("/check/domain/lookup-limit-and-external-rua", test_domain_limits);
  g_test_add_func ("/check/domain/lookup-failures-and-duplicates", test_domain_failures);
  return g_test_run ();
}
