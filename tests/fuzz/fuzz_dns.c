/*
 * fuzz_dns.c -- dns_answer_parse() over a DNS response from the network.
 *
 * Input: one byte that picks the question type, then the response
 * message.  The question name is always "example.com": the seeds ask it,
 * and a response for another name must come out as DNS_ERROR anyway.
 *
 * Checks (message.h): the answer names the question; DNS_ERROR carries no
 * records and TTL 0; DNS_OK at least one record; every record is of the
 * asked type; the TTL is never above 2^31-1 (RFC 2181 8) nor above any
 * record's; A/AAAA texts are addresses (dns_reverse_name() and
 * dns_same_address() accept them); names are lower case, without the
 * final dot, printable ASCII with the rest escaped; dns_answer_copy() is
 * equal to the original.
 */
#include "tests/fuzz/fuzz.h"
#include "dns/message.h"

#include <string.h>

#define FUZZ_DNS_NAME "example.com"
#define FUZZ_DNS_T_CAA 257   /* a type we have no reader for: RFC 3597 text */

static const guint fuzz_dns_types[] = {
  DNS_T_TXT, DNS_T_A, DNS_T_AAAA, DNS_T_MX, DNS_T_PTR, DNS_T_CNAME, DNS_T_NS,
  DNS_T_SOA, DNS_T_SPF, FUZZ_DNS_T_CAA,
};

static void
check_name (const char *name)
{
  gsize len = strlen (name);

  fuzz_check (len == 0 || name[len - 1] != '.' || (len >= 2 && name[len - 2] == '\\'),
              "a name with its final dot");
  for (const char *p = name; *p != '\0'; p++)
    fuzz_check (*p > 0x20 && *p < 0x7f && !g_ascii_isupper (*p),
                "a name byte that should have been escaped or lowered");
}

static void
check_record (const DnsRecord *record, DnsType type, guint32 answer_ttl)
{
  fuzz_check (record->type == type, "a record of another type than asked");
  fuzz_check (record->text != NULL, "a record without text");
  fuzz_check (record->ttl <= G_MAXINT32, "a record TTL with the top bit set");
  fuzz_check (answer_ttl <= record->ttl, "an answer TTL above a record's");
  switch ((guint) type)
    {
    case DNS_T_A:
    case DNS_T_AAAA:
      {
        g_autofree char *reverse = dns_reverse_name (record->text);
        fuzz_check (reverse != NULL, "an address record whose text is no address");
        fuzz_check (dns_same_address (record->text, record->text), "an address unequal to itself");
        break;
      }
    case DNS_T_MX:
    case DNS_T_PTR:
    case DNS_T_CNAME:
    case DNS_T_NS:
      check_name (record->text);
      break;
    default:
      break;
    }
}

static void
check_copy (const DnsAnswer *a, const DnsAnswer *b)
{
  fuzz_check (strcmp (a->name, b->name) == 0 && a->type == b->type && a->status == b->status
              && a->ttl == b->ttl && a->records->len == b->records->len,
              "dns_answer_copy() differs");
  for (guint i = 0; i < a->records->len; i++)
    {
      const DnsRecord *x = g_ptr_array_index (a->records, i);
      const DnsRecord *y = g_ptr_array_index (b->records, i);
      fuzz_check (x->type == y->type && x->ttl == y->ttl && x->preference == y->preference
                  && strcmp (x->text, y->text) == 0, "dns_answer_copy() differs in a record");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  DnsType type = (DnsType) fuzz_dns_types[data[0] % G_N_ELEMENTS (fuzz_dns_types)];
  g_autoptr (DnsAnswer) answer = dns_answer_parse (data + 1, size - 1, FUZZ_DNS_NAME, type);

  fuzz_check (answer != NULL, "dns_answer_parse() returned NULL");
  fuzz_check (strcmp (answer->name, FUZZ_DNS_NAME) == 0 && answer->type == type,
              "an answer to another question");
  fuzz_check (answer->ttl <= G_MAXINT32, "an answer TTL with the top bit set");
  if (answer->status == DNS_ERROR)
    fuzz_check (answer->records->len == 0 && answer->ttl == 0, "an error with records or a TTL");
  if (answer->status == DNS_OK)
    fuzz_check (answer->records->len > 0, "DNS_OK without records");
  if (answer->status == DNS_NODATA)
    fuzz_check (answer->records->len == 0, "DNS_NODATA with records");
  fuzz_check (dns_status_name (answer->status) != NULL && dns_type_name (type) != NULL,
              "a status or type without a name");
  for (guint i = 0; i < answer->records->len; i++)
    check_record (g_ptr_array_index (answer->records, i), type, answer->ttl);

  g_autoptr (DnsAnswer) copy = dns_answer_copy (answer);
  check_copy (answer, copy);
  return 0;
}
