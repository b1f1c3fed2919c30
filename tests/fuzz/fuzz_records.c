/*
 * fuzz_records.c -- the DNS record parsers of check/: the texts come from
 * whoever controls a zone, and dmarcstat check runs them for any domain.
 *
 * Input: one byte that picks the parser, then the TXT record's text (cut
 * at a NUL, as dns_answer_parse() never hands one out):
 *
 *   0  dmarc_record_parse()   1  spf_record_parse()
 *   2  dkim_key_parse()       3  dkim_key_rsa_bits() over raw DER
 *
 * Checks, from the headers: DMARC values within their sets, dmarc_ok
 * first exactly when the record is valid, and a valid record changed with
 * dmarc_record_format_with() still valid with the new policy; SPF prefix
 * lengths within 32/128, a written network containing its own address,
 * and a valid record still valid after spf_record_format() puts in "-all"
 * and a term, with no host bits left; DKIM exactly one status finding,
 * first, and dkim_testing only after a usable key; findings as text
 * printable (newlines aside) and as JSON valid UTF-8 without raw control
 * characters.
 */
#include "tests/fuzz/fuzz.h"
#include "check/dkim_key.h"
#include "check/dmarc_record.h"
#include "check/finding.h"
#include "check/spf_record.h"

#include <string.h>

static void
check_findings (const FindingList *findings)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) json = g_string_new (NULL);

  for (guint i = 0; i < findings->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (findings->items, i);
      fuzz_check (f->code != NULL && f->subject != NULL && f->message != NULL,
                  "a finding without code, subject or message");
      fuzz_check (f->severity >= SEVERITY_OK && f->severity <= SEVERITY_CRITICAL,
                  "a severity out of range");
    }
  finding_list_format_text (findings, text);
  g_auto (GStrv) lines = g_strsplit (text->str, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    fuzz_check (fuzz_text_is_printable (lines[i]), "a finding line that is not safe to print");
  finding_list_format_json (findings, json);
  fuzz_check (g_utf8_validate (json->str, (gssize) json->len, NULL), "JSON that is not UTF-8");
  for (gsize i = 0; i < json->len; i++)
    fuzz_check ((guchar) json->str[i] >= 0x20, "a raw control character in JSON");
}

static void
fuzz_dmarc (const char *text, FindingList *findings)
{
  g_autoptr (DmarcRecord) rec = dmarc_record_parse (text, "example.com", findings);

  (void) dmarc_record_is_dmarc (text);
  fuzz_check (rec->pct >= -1 && rec->pct <= 100, "pct outside -1..100");
  fuzz_check ((rec->adkim == 'r' || rec->adkim == 's') && (rec->aspf == 'r' || rec->aspf == 's'),
              "adkim or aspf outside r, s");
  fuzz_check (rec->t == 0 || rec->t == 'y' || rec->t == 'n', "t outside y, n");
  fuzz_check (rec->psd == 0 || rec->psd == 'y' || rec->psd == 'n' || rec->psd == 'u',
              "psd outside y, n, u");
  fuzz_check (rec->is_valid == (rec->p != DMARC_POLICY_UNSET), "is_valid disagrees with p");
  fuzz_check (findings->items->len > 0, "a DMARC record without any finding");
  const Finding *first = g_ptr_array_index (findings->items, 0);
  fuzz_check (rec->is_valid == (strcmp (first->code, "dmarc_ok") == 0),
              "dmarc_ok is not first exactly when the record is valid");
  for (guint i = 0; i < rec->rua->len; i++)
    {
      const DmarcUri *uri = g_ptr_array_index (rec->rua, i);
      for (const char *p = uri->host; *p != '\0'; p++)
        fuzz_check (!g_ascii_isupper (*p), "an rua host not in lower case");
    }
  if (rec->is_valid)
    {
      g_autofree char *changed = dmarc_record_format_with (rec, "p", "reject");
      g_autoptr (FindingList) again = finding_list_new ();
      g_autoptr (DmarcRecord) rec2 = dmarc_record_parse (changed, "example.com", again);
      fuzz_check (rec2->is_valid && rec2->p == DMARC_POLICY_REJECT,
                  "a valid record with p=reject put in does not read back as p=reject");
    }
  g_autofree char *without = dmarc_record_format_with (rec, "pct", NULL);
  fuzz_check (without != NULL, "dmarc_record_format_with() returned NULL");
}

static void
check_spf_term (const SpfTerm *t)
{
  fuzz_check (t->text != NULL, "a term without text");
  fuzz_check (strchr ("+-~?", t->qualifier) != NULL && t->qualifier != '\0', "a bad qualifier");
  fuzz_check (t->cidr4 <= 32 && t->cidr6 <= 128, "a prefix length out of range");
  fuzz_check (t->addr_len == 0 || t->addr_len == 4 || t->addr_len == 16, "an address of odd length");
  if (t->kind == SPF_TERM_IP4 || t->kind == SPF_TERM_IP6)
    {
      guint prefix = t->addr_len == 4 ? t->cidr4 : t->cidr6;
      fuzz_check (t->addr_len > 0, "an ip4/ip6 term without an address");
      fuzz_check (spf_ip_in_net (t->addr, t->addr_len, prefix, t->addr, t->addr_len),
                  "an address outside its own network");
    }
}

static void
fuzz_spf (const char *text, FindingList *findings)
{
  static const char *const add[] = { "ip4:192.0.2.1", NULL };
  g_autoptr (SpfRecord) rec = spf_record_parse (text, findings);

  fuzz_check (!rec->is_valid || spf_record_is_spf (text), "a valid record that is not SPF");
  for (guint i = 0; i < rec->terms->len; i++)
    check_spf_term (g_ptr_array_index (rec->terms, i));
  if (rec->is_valid)
    {
      g_autofree char *fixed = spf_record_format (rec, "-all", add);
      g_autoptr (SpfRecord) rec2 = spf_record_parse (fixed, NULL);
      fuzz_check (rec2->is_valid, "spf_record_format() made a valid record invalid");
      fuzz_check (rec2->all != NULL && strcmp (rec2->all->text, "-all") == 0,
                  "spf_record_format() did not put in the new all");
      for (guint i = 0; i < rec2->terms->len; i++)
        {
          const SpfTerm *t = g_ptr_array_index (rec2->terms, i);
          fuzz_check (t->corrected == NULL, "a corrected network that still has host bits");
        }
    }
  g_autofree char *same = spf_record_format (rec, NULL, NULL);
  fuzz_check (g_str_has_prefix (same, "v=spf1"), "a formatted record without v=spf1");
}

static void
fuzz_dkim (const char *text, FindingList *findings)
{
  static const char *const statuses[] = {
    "dkim_ok", "dkim_short_key", "dkim_weak_key", "dkim_revoked", "dkim_syntax",
  };
  g_autoptr (DkimKey) key = dkim_key_parse (text, "s1", findings);
  guint n_status = 0;

  fuzz_check (!(key->is_valid && key->is_revoked), "a key both usable and revoked");
  for (guint i = 0; i < findings->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (findings->items, i);
      for (gsize s = 0; s < G_N_ELEMENTS (statuses); s++)
        if (strcmp (f->code, statuses[s]) == 0)
          {
            fuzz_check (i == 0, "a DKIM status finding that is not first");
            n_status++;
          }
      if (strcmp (f->code, "dkim_testing") == 0)
        fuzz_check (key->is_valid && key->is_testing, "dkim_testing for an unusable key");
    }
  fuzz_check (n_status == 1, "not exactly one DKIM status finding");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  g_autofree char *text = fuzz_strndup (data + 1, size - 1);
  g_autoptr (FindingList) findings = finding_list_new ();

  switch (data[0] % 4)
    {
    case 0:
      fuzz_dmarc (text, findings);
      break;
    case 1:
      fuzz_spf (text, findings);
      break;
    case 2:
      fuzz_dkim (text, findings);
      break;
    default:
      {
        guint bits = dkim_key_rsa_bits (data + 1, size - 1);
        fuzz_check (bits <= (size - 1) * 8, "more key bits than DER bytes");
        break;
      }
    }
  check_findings (findings);
  return 0;
}
