/*
 * test_dns.c -- the DNS layer: the response parser on hand-built messages,
 * reverse names, server specs, address comparison, and the resolver
 * against a real UDP responder on 127.0.0.1 run in a thread of this test.
 *
 * Parser cases are table-driven, got/want.  Every message is also fed in
 * every shorter prefix and with single bytes spoiled, each copied into a
 * buffer of exactly that size, so that AddressSanitizer sees any read past
 * the end.
 *
 * Longer than our usual file: the messages are spelled out byte by byte so
 * that each case can be checked against RFC 1035 by eye, and the responder
 * (UDP and TCP, about 250 lines) exists only for these tests.
 */
#include "dns/resolver.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- hand-built messages ---- */

#define U16(v) (guint8) (((v) >> 8) & 0xff), (guint8) ((v) & 0xff)
#define U32(v) (guint8) (((v) >> 24) & 0xff), (guint8) (((v) >> 16) & 0xff), \
               (guint8) (((v) >> 8) & 0xff), (guint8) ((v) & 0xff)
/* ID 0x1234; the flags say QR RD RA and the RCODE. */
#define HDR(flags, qd, an, ns, ar) U16 (0x1234), U16 (flags), U16 (qd), U16 (an), U16 (ns), U16 (ar)
#define FL_OK 0x8180
#define FL_FORMERR 0x8181
#define FL_SERVFAIL 0x8182
#define FL_NXDOMAIN 0x8183
#define FL_REFUSED 0x8185
#define FL_TC 0x8380
#define FL_QUERY 0x0100
#define QUESTION(type) U16 (type), U16 (1)
#define RR(type, ttl, rdlen) U16 (type), U16 (1), U32 (ttl), U16 (rdlen)
#define RR_CH(type, ttl, rdlen) U16 (type), U16 (3), U32 (ttl), U16 (rdlen)
/* The name at offset 12: the question's. */
#define AT_Q 0xc0, 12

/* Names in wire form, with their length in bytes. */
#define L_EXAMPLE 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e'
#define N_EXAMPLE L_EXAMPLE, 3, 'c', 'o', 'm', 0                       /* 13 */
#define N_WWW 3, 'w', 'w', 'w', N_EXAMPLE                               /* 17 */
#define N_WEB_NET 3, 'w', 'e', 'b', L_EXAMPLE, 3, 'n', 'e', 't', 0      /* 17 */
#define N_EDGE_ORG 4, 'e', 'd', 'g', 'e', L_EXAMPLE, 3, 'o', 'r', 'g', 0 /* 18 */
#define N_REV 1, '1', 1, '2', 1, '0', 3, '1', '9', '2', 7, 'i', 'n', '-', 'a', 'd', 'd', 'r', \
              4, 'a', 'r', 'p', 'a', 0                                  /* 24 */
/* ns.example.com hostmaster.example.com SERIAL REFRESH RETRY EXPIRE MINIMUM: 38 bytes */
#define SOA_RDATA(minimum) 2, 'n', 's', AT_Q, 10, 'h', 'o', 's', 't', 'm', 'a', 's', 't', 'e', \
                           'r', AT_Q, U32 (2024010101), U32 (7200), U32 (900), U32 (1209600), \
                           U32 (minimum)

static const guint8 msg_a[] = {
  HDR (FL_OK, 1, 2, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 300, 4), 192, 0, 2, 1,
  AT_Q, RR (1, 60, 4), 192, 0, 2, 2,
};
static const guint8 msg_aaaa[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (28),
  AT_Q, RR (28, 3600, 16), 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};
static const guint8 msg_ptr[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_REV, QUESTION (12),
  AT_Q, RR (12, 86400, 18), 4, 'M', 'a', 'i', 'l', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
  3, 'C', 'O', 'M', 0,
};
/* A label holding a dot and a control byte, then a pointer to the question. */
static const guint8 msg_ptr_escapes[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_REV, QUESTION (12),
  AT_Q, RR (12, 600, 9), 3, 'a', '.', 'b', 2, 0x01, 'Z', AT_Q,
};
static const guint8 msg_mx[] = {
  HDR (FL_OK, 1, 2, 0, 0), N_EXAMPLE, QUESTION (15),
  AT_Q, RR (15, 3600, 7), U16 (10), 2, 'm', 'x', AT_Q,
  AT_Q, RR (15, 1800, 8), U16 (20), 3, 'm', 'x', '2', AT_Q,
};
static const guint8 msg_txt_strings[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (16, 300, 17), 7, 'v', '=', 's', 'p', 'f', '1', ' ', 3, 'a', 'x', ' ',
  4, '-', 'a', 'l', 'l',
};
static const guint8 msg_txt_two[] = {
  HDR (FL_OK, 1, 2, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (16, 300, 12), 11, 'v', '=', 's', 'p', 'f', '1', ' ', '-', 'a', 'l', 'l',
  AT_Q, RR (16, 120, 6), 5, 'h', 'e', 'l', 'l', 'o',
};
static const guint8 msg_txt_nul[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (16, 300, 4), 3, 'a', 0, 'b',
};
static const guint8 msg_txt_empty_string[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (16, 300, 1), 0,
};
static const guint8 msg_spf99[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (99),
  AT_Q, RR (99, 300, 12), 11, 'v', '=', 's', 'p', 'f', '1', ' ', '-', 'a', 'l', 'l',
};
/* www.example.com → web.example.net → edge.example.org A, out of order,
 * with an A record of an unrelated name that must be dropped. */
static const guint8 msg_cname_chain[] = {
  HDR (FL_OK, 1, 4, 0, 0), N_WWW, QUESTION (1),
  N_EDGE_ORG, RR (1, 3600, 4), 192, 0, 2, 7,
  AT_Q, RR (5, 600, 17), N_WEB_NET,
  N_WEB_NET, RR (5, 120, 18), N_EDGE_ORG,
  N_EXAMPLE, RR (1, 5, 4), 192, 0, 2, 99,
};
/* www.example.com → web.example.net → www.example.com */
static const guint8 msg_cname_loop[] = {
  HDR (FL_OK, 1, 2, 0, 0), N_WWW, QUESTION (1),
  AT_Q, RR (5, 600, 17), N_WEB_NET,
  N_WEB_NET, RR (5, 60, 2), AT_Q,
};
/* Asking for the CNAME itself: no chain is followed. */
static const guint8 msg_cname_asked[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_WWW, QUESTION (5),
  AT_Q, RR (5, 600, 17), N_WEB_NET,
};
static const guint8 msg_soa_asked[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (6),
  AT_Q, RR (6, 3600, 38), SOA_RDATA (900),
};
static const guint8 msg_unknown_type[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (257),
  AT_Q, RR (257, 300, 3), 0x00, 0x01, 0xab,
};
static const guint8 msg_nxdomain_soa[] = {
  HDR (FL_NXDOMAIN, 1, 0, 1, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (6, 3600, 38), SOA_RDATA (900),
};
static const guint8 msg_nxdomain_soa_ttl_lower[] = {
  HDR (FL_NXDOMAIN, 1, 0, 1, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (6, 60, 38), SOA_RDATA (900),
};
static const guint8 msg_nxdomain_no_soa[] = {
  HDR (FL_NXDOMAIN, 1, 0, 0, 0), N_EXAMPLE, QUESTION (16),
};
static const guint8 msg_nodata_soa[] = {
  HDR (FL_OK, 1, 0, 1, 0), N_EXAMPLE, QUESTION (28),
  AT_Q, RR (6, 1800, 38), SOA_RDATA (3600),
};
static const guint8 msg_nodata_other_type[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (28),
  AT_Q, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_class_ch_ignored[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR_CH (16, 300, 2), 1, 'x',
};
static const guint8 msg_ttl_top_bit[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 0x80000000u, 4), 192, 0, 2, 1,
};
static const guint8 msg_servfail[] = { HDR (FL_SERVFAIL, 1, 0, 0, 0), N_EXAMPLE, QUESTION (1) };
static const guint8 msg_refused[] = { HDR (FL_REFUSED, 1, 0, 0, 0), N_EXAMPLE, QUESTION (1) };
static const guint8 msg_refused_no_question[] = { HDR (FL_REFUSED, 0, 0, 0, 0) };
static const guint8 msg_formerr[] = { HDR (FL_FORMERR, 1, 0, 0, 0), N_EXAMPLE, QUESTION (1) };
static const guint8 msg_tc[] = { HDR (FL_TC, 1, 0, 0, 0), N_EXAMPLE, QUESTION (16) };
static const guint8 msg_not_response[] = { HDR (FL_QUERY, 1, 0, 0, 0), N_EXAMPLE, QUESTION (1) };
static const guint8 msg_header_cut[] = { 0x12, 0x34, 0x81, 0x80, 0, 1 };
static const guint8 msg_wrong_question[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_WWW, QUESTION (1),
  AT_Q, RR (1, 300, 4), 192, 0, 2, 1,
};
/* Without the question nothing ties the records to what was asked. */
static const guint8 msg_ok_no_question[] = {
  HDR (FL_OK, 0, 1, 0, 0), N_EXAMPLE, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_two_questions[] = {
  HDR (FL_OK, 2, 0, 0, 0), N_EXAMPLE, QUESTION (1), AT_Q, QUESTION (1),
};
/* The answer's owner (offset 29) points at itself. */
static const guint8 msg_pointer_self[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  0xc0, 29, RR (1, 300, 4), 192, 0, 2, 1,
};
/* Label "x" then a pointer back to the label: x.x.x.x… for ever. */
static const guint8 msg_pointer_loop[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  1, 'x', 0xc0, 29, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_pointer_past_end[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  0xc0, 0xfe, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_pointer_max[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (12, 300, 2), 0xff, 0xff,
};
static const guint8 msg_question_pointer_self[] = {
  HDR (FL_OK, 1, 0, 0, 0), AT_Q, QUESTION (1),
};
static const guint8 msg_count_too_large[] = {
  HDR (FL_OK, 1, 3, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_count_huge[] = {
  HDR (FL_OK, 1, 0xffff, 0xffff, 0xffff), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 300, 4), 192, 0, 2, 1,
};
static const guint8 msg_rdlength_past_end[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 300, 4), 192, 0,
};
static const guint8 msg_a_bad_length[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (1),
  AT_Q, RR (1, 300, 5), 192, 0, 2, 1, 0,
};
static const guint8 msg_txt_string_past_rdata[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (16, 300, 3), 5, 'a', 'b', 0, 0, 0,
};
static const guint8 msg_ptr_name_past_rdata[] = {
  HDR (FL_OK, 1, 1, 0, 0), N_REV, QUESTION (12),
  AT_Q, RR (12, 300, 3), 4, 'm', 'a', 'i', 'l', 0,
};
static const guint8 msg_soa_malformed[] = {
  HDR (FL_NXDOMAIN, 1, 0, 1, 0), N_EXAMPLE, QUESTION (16),
  AT_Q, RR (6, 3600, 6), 2, 'n', 's', AT_Q, 0,
};

typedef struct
{
  const char *name;
  const guint8 *msg;
  gsize len;
  const char *qname;
  DnsType qtype;
  DnsStatus want_status;
  guint32 want_ttl;
  const char *want;      /* records joined with '|'; MX as "PREF NAME" */
} ParseCase;

#define MSG(m) m, sizeof m

static const ParseCase parse_cases[] = {
  { "a", MSG (msg_a), "example.com", DNS_T_A, DNS_OK, 60, "192.0.2.1|192.0.2.2" },
  { "a-name-case-and-dot", MSG (msg_a), "Example.COM.", DNS_T_A, DNS_OK, 60,
    "192.0.2.1|192.0.2.2" },
  { "aaaa", MSG (msg_aaaa), "example.com", DNS_T_AAAA, DNS_OK, 3600, "2001:db8::1" },
  { "ptr-lower-case", MSG (msg_ptr), "1.2.0.192.in-addr.arpa", DNS_T_PTR, DNS_OK, 86400,
    "mail.example.com" },
  { "ptr-escapes", MSG (msg_ptr_escapes), "1.2.0.192.in-addr.arpa", DNS_T_PTR, DNS_OK, 600,
    "a\\.b.\\001z.1.2.0.192.in-addr.arpa" },
  { "mx", MSG (msg_mx), "example.com", DNS_T_MX, DNS_OK, 1800,
    "10 mx.example.com|20 mx2.example.com" },
  { "txt-strings-concatenated", MSG (msg_txt_strings), "example.com", DNS_T_TXT, DNS_OK, 300,
    "v=spf1 ax -all" },
  { "txt-two-records", MSG (msg_txt_two), "example.com", DNS_T_TXT, DNS_OK, 120,
    "v=spf1 -all|hello" },
  { "txt-nul-byte", MSG (msg_txt_nul), "example.com", DNS_T_TXT, DNS_OK, 300,
    "a\xef\xbf\xbd" "b" },
  { "txt-empty-string", MSG (msg_txt_empty_string), "example.com", DNS_T_TXT, DNS_OK, 300, "" },
  { "spf-type-99", MSG (msg_spf99), "example.com", DNS_T_SPF, DNS_OK, 300, "v=spf1 -all" },
  { "cname-chain", MSG (msg_cname_chain), "www.example.com", DNS_T_A, DNS_OK, 120, "192.0.2.7" },
  { "cname-loop", MSG (msg_cname_loop), "www.example.com", DNS_T_A, DNS_NODATA, 60, "" },
  { "cname-asked", MSG (msg_cname_asked), "www.example.com", DNS_T_CNAME, DNS_OK, 600,
    "web.example.net" },
  { "soa-asked", MSG (msg_soa_asked), "example.com", DNS_T_SOA, DNS_OK, 3600,
    "ns.example.com hostmaster.example.com 2024010101 7200 900 1209600 900" },
  { "unknown-type-rfc3597", MSG (msg_unknown_type), "example.com", (DnsType) 257, DNS_OK, 300,
    "\\# 3 0001ab" },
  { "nxdomain-soa-minimum", MSG (msg_nxdomain_soa), "example.com", DNS_T_TXT, DNS_NXDOMAIN, 900,
    "" },
  { "nxdomain-soa-ttl", MSG (msg_nxdomain_soa_ttl_lower), "example.com", DNS_T_TXT,
    DNS_NXDOMAIN, 60, "" },
  { "nxdomain-no-soa", MSG (msg_nxdomain_no_soa), "example.com", DNS_T_TXT, DNS_NXDOMAIN, 300,
    "" },
  { "nodata-soa", MSG (msg_nodata_soa), "example.com", DNS_T_AAAA, DNS_NODATA, 1800, "" },
  { "nodata-other-type", MSG (msg_nodata_other_type), "example.com", DNS_T_AAAA, DNS_NODATA,
    300, "" },
  { "class-ch-ignored", MSG (msg_class_ch_ignored), "example.com", DNS_T_TXT, DNS_NODATA, 300,
    "" },
  { "ttl-top-bit-is-zero", MSG (msg_ttl_top_bit), "example.com", DNS_T_A, DNS_OK, 0,
    "192.0.2.1" },
  { "servfail", MSG (msg_servfail), "example.com", DNS_T_A, DNS_SERVFAIL, 0, "" },
  { "refused", MSG (msg_refused), "example.com", DNS_T_A, DNS_REFUSED, 0, "" },
  { "refused-no-question", MSG (msg_refused_no_question), "example.com", DNS_T_A, DNS_REFUSED,
    0, "" },
  { "formerr", MSG (msg_formerr), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "truncated-tc", MSG (msg_tc), "example.com", DNS_T_TXT, DNS_ERROR, 0, "" },
  { "not-a-response", MSG (msg_not_response), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "header-cut", MSG (msg_header_cut), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "empty", NULL, 0, "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "wrong-question-name", MSG (msg_wrong_question), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "wrong-question-type", MSG (msg_a), "example.com", DNS_T_TXT, DNS_ERROR, 0, "" },
  { "ok-without-question", MSG (msg_ok_no_question), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "two-questions", MSG (msg_two_questions), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "pointer-to-itself", MSG (msg_pointer_self), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "pointer-loop", MSG (msg_pointer_loop), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "pointer-past-end", MSG (msg_pointer_past_end), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "pointer-max-offset", MSG (msg_pointer_max), "example.com", DNS_T_PTR, DNS_ERROR, 0, "" },
  { "question-pointer-to-itself", MSG (msg_question_pointer_self), "example.com", DNS_T_A,
    DNS_ERROR, 0, "" },
  { "count-larger-than-data", MSG (msg_count_too_large), "example.com", DNS_T_A, DNS_ERROR, 0,
    "" },
  { "counts-65535", MSG (msg_count_huge), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "rdlength-past-end", MSG (msg_rdlength_past_end), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "a-rdlength-5", MSG (msg_a_bad_length), "example.com", DNS_T_A, DNS_ERROR, 0, "" },
  { "txt-string-past-rdata", MSG (msg_txt_string_past_rdata), "example.com", DNS_T_TXT,
    DNS_ERROR, 0, "" },
  { "ptr-name-past-rdata", MSG (msg_ptr_name_past_rdata), "1.2.0.192.in-addr.arpa", DNS_T_PTR,
    DNS_ERROR, 0, "" },
  { "soa-malformed", MSG (msg_soa_malformed), "example.com", DNS_T_TXT, DNS_ERROR, 0, "" },
};

static char *
records_text (const DnsAnswer *answer)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < answer->records->len; i++)
    {
      const DnsRecord *record = g_ptr_array_index (answer->records, i);
      if (i > 0)
        g_string_append_c (out, '|');
      if (record->type == DNS_T_MX)
        g_string_append_printf (out, "%u ", record->preference);
      g_string_append (out, record->text);
    }
  return g_string_free (out, FALSE);
}

/* Parses LEN bytes from a copy of exactly that size, so ASan catches any
 * read past the end. */
static DnsAnswer *
parse_exact (const guint8 *msg, gsize len, const char *name, DnsType type)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (msg, len) : NULL;

  return dns_answer_parse (copy, len, name, type);
}

static void
test_parse_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr (DnsAnswer) answer = parse_exact (c->msg, c->len, c->qname, c->qtype);
      g_autofree char *got = records_text (answer);

      if (answer->status != c->want_status || answer->ttl != c->want_ttl
          || strcmp (got, c->want) != 0)
        {
          g_autofree char *got_safe = g_strescape (got, NULL);
          g_autofree char *want_safe = g_strescape (c->want, NULL);
          g_test_message ("%s: got %s ttl %u \"%s\", want %s ttl %u \"%s\"", c->name,
                          dns_status_name (answer->status), answer->ttl, got_safe,
                          dns_status_name (c->want_status), c->want_ttl, want_safe);
          g_test_fail ();
        }
      g_assert_cmpuint (answer->type, ==, c->qtype);
      for (guint j = 0; j < answer->records->len; j++)
        g_assert_cmpuint (((DnsRecord *) g_ptr_array_index (answer->records, j))->type, ==,
                          c->qtype);
    }
}

static void
test_parse_record_ttls (void)
{
  g_autoptr (DnsAnswer) chain = parse_exact (MSG (msg_cname_chain), "www.example.com", DNS_T_A);
  g_autoptr (DnsAnswer) mx = parse_exact (MSG (msg_mx), "example.com", DNS_T_MX);

  g_assert_cmpstr (chain->name, ==, "www.example.com");
  g_assert_cmpuint (chain->records->len, ==, 1);
  g_assert_cmpuint (((DnsRecord *) g_ptr_array_index (chain->records, 0))->ttl, ==, 3600);
  g_assert_cmpuint (mx->records->len, ==, 2);
  g_assert_cmpuint (((DnsRecord *) g_ptr_array_index (mx->records, 0))->ttl, ==, 3600);
  g_assert_cmpuint (((DnsRecord *) g_ptr_array_index (mx->records, 1))->ttl, ==, 1800);
}

/* No prefix of a complete answer is itself an answer, and none is read
 * past its end. */
static void
test_parse_prefixes (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];

      if (c->want_status != DNS_OK)
        continue;
      for (gsize len = 0; len < c->len; len++)
        {
          g_autoptr (DnsAnswer) answer = parse_exact (c->msg, len, c->qname, c->qtype);
          if (answer->status != DNS_ERROR || answer->records->len != 0)
            {
              g_test_message ("%s: prefix of %" G_GSIZE_FORMAT " bytes: got %s", c->name, len,
                              dns_status_name (answer->status));
              g_test_fail ();
            }
        }
    }
}

/* Spoiled bytes give some answer, never a crash or an overread. */
static void
test_parse_spoiled_bytes (void)
{
  static const guint8 spoilers[] = { 0x00, 0x01, 0x3f, 0x40, 0x80, 0xc0, 0xff };

  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autofree guint8 *copy = c->len > 0 ? g_memdup2 (c->msg, c->len) : NULL;

      for (gsize pos = 0; pos < c->len; pos++)
        for (gsize s = 0; s < G_N_ELEMENTS (spoilers); s++)
          {
            copy[pos] = spoilers[s];
            g_autoptr (DnsAnswer) answer = dns_answer_parse (copy, c->len, c->qname, c->qtype);
            g_assert_nonnull (answer);
            g_assert_true (answer->status != DNS_ERROR || answer->records->len == 0);
            copy[pos] = c->msg[pos];
          }
    }
}

static void
test_answer_copy (void)
{
  g_autoptr (DnsAnswer) answer = dns_answer_new ("Example.ORG.", DNS_T_MX, DNS_OK);

  dns_answer_add (answer, DNS_T_MX, 60, "mx.example.org", 10);
  answer->ttl = 60;
  g_autoptr (DnsAnswer) copy = dns_answer_copy (answer);
  g_assert_cmpstr (copy->name, ==, "example.org");
  g_assert_cmpuint (copy->ttl, ==, 60);
  g_assert_cmpuint (copy->records->len, ==, 1);
  g_assert_cmpstr (((DnsRecord *) g_ptr_array_index (copy->records, 0))->text, ==,
                   "mx.example.org");
  g_assert_cmpuint (((DnsRecord *) g_ptr_array_index (copy->records, 0))->preference, ==, 10);
  dns_answer_free (NULL);
}

static void
test_names (void)
{
  g_assert_cmpstr (dns_type_name (DNS_T_TXT), ==, "TXT");
  g_assert_cmpstr (dns_type_name (DNS_T_AAAA), ==, "AAAA");
  g_assert_cmpstr (dns_type_name ((DnsType) 257), ==, "TYPE257");
  g_assert_cmpstr (dns_status_name (DNS_OK), ==, "ok");
  g_assert_cmpstr (dns_status_name (DNS_NXDOMAIN), ==, "nxdomain");
  g_assert_cmpstr (dns_status_name (DNS_OFFLINE), ==, "offline");
}

/* ---- addresses and servers ---- */

static void
test_reverse_name (void)
{
  static const struct { const char *ip; const char *want; } cases[] = {
    { "192.0.2.1", "1.2.0.192.in-addr.arpa" },
    { "10.20.30.255", "255.30.20.10.in-addr.arpa" },
    { "2001:db8::567:89ab",
      "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa" },
    { "::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa" },
    { "", NULL }, { "192.0.2", NULL }, { "192.0.2.256", NULL }, { "example.com", NULL },
    { " 192.0.2.1", NULL }, { "2001:db8::g", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = dns_reverse_name (cases[i].ip);
      if (g_strcmp0 (got, cases[i].want) != 0)
        {
          g_test_message ("dns_reverse_name(\"%s\"): got %s, want %s", cases[i].ip,
                          got ? got : "NULL", cases[i].want ? cases[i].want : "NULL");
          g_test_fail ();
        }
    }
  g_assert_null (dns_reverse_name (NULL));
}

static void
test_same_address (void)
{
  static const struct { const char *a; const char *b; gboolean want; } cases[] = {
    { "192.0.2.1", "192.0.2.1", TRUE },
    { "::1", "0:0::1", TRUE },
    { "2001:DB8::1", "2001:db8:0:0:0:0:0:1", TRUE },
    { "::ffff:192.0.2.1", "192.0.2.1", TRUE },
    { "192.0.2.1", "192.0.2.2", FALSE },
    { "::1", "::2", FALSE },
    { "192.0.2.1", "::192.0.2.1", FALSE },
    { "192.0.2.1", "example.com", FALSE },
    { "", "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (dns_same_address (cases[i].a, cases[i].b) != cases[i].want)
      {
        g_test_message ("dns_same_address(\"%s\", \"%s\"): got %d, want %d", cases[i].a,
                        cases[i].b, !cases[i].want, cases[i].want);
        g_test_fail ();
      }
  g_assert_false (dns_same_address (NULL, "192.0.2.1"));
}

static void
test_parse_server (void)
{
  static const struct { const char *spec; const char *addr; guint16 port; } good[] = {
    { "127.0.0.1:5353", "127.0.0.1", 5353 },
    { "[::1]:5353", "::1", 5353 },
    { "::1", "::1", 53 },
    { "192.0.2.1", "192.0.2.1", 53 },
    { "[2001:DB8::1]", "2001:db8::1", 53 },
    { "192.0.2.1:65535", "192.0.2.1", 65535 },
  };
  static const char *const bad[] = {
    "", "example.com", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:", "192.0.2.1:+53",
    "192.0.2.1: 53", "192.0.2.1:53x", "[::1", "[::1]x", "[::1]:", "[192.0.2.1]:53",
    "::1:53:x", "256.0.0.1", " 192.0.2.1", "[::1]:-1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *addr = NULL;
      guint16 port = 0;
      g_autoptr (GError) error = NULL;

      if (!dns_parse_server (good[i].spec, &addr, &port, &error))
        {
          g_test_message ("\"%s\": %s", good[i].spec, error->message);
          g_test_fail ();
          continue;
        }
      g_assert_cmpstr (addr, ==, good[i].addr);
      g_assert_cmpuint (port, ==, good[i].port);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *addr = NULL;
      guint16 port = 0;
      g_autoptr (GError) error = NULL;

      if (dns_parse_server (bad[i], &addr, &port, &error))
        {
          g_test_message ("\"%s\": accepted as %s port %u", bad[i], addr, port);
          g_test_fail ();
          continue;
        }
      g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", bad[i]);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_null (addr);
    }
}

static void
test_resolver_bad_server (void)
{
  char *servers[] = { "127.0.0.1", "dns.example.com", NULL };
  DnsOptions options = { .servers = servers };
  g_autoptr (GError) error = NULL;
  g_autoptr (DnsResolver) resolver = dns_resolver_new (&options, &error);

  g_assert_null (resolver);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "\"dns.example.com\""));
}

/* ---- the resolver against a responder of our own ---- */

typedef enum
{
  RESPONDER_ANSWER,   /* answer each query at once */
  RESPONDER_SILENT,   /* never answer */
  RESPONDER_BATCH,    /* hold queries until none came for a while, then answer all */
} ResponderMode;

/* Quiet time after which a batch is answered: long beside the resolver's
 * reaction to an answer (microseconds), short beside the test. */
#define RESPONDER_BATCH_QUIET_MS 20

typedef struct
{
  int fd;                  /* UDP */
  int tcp_fd;              /* listening on the same port; answers in full */
  guint16 port;
  ResponderMode mode;
  GThread *thread;
  gint stop;               /* atomic */
  gint n_received;         /* atomic */
  gint max_outstanding;    /* atomic; RESPONDER_BATCH only */
} Responder;

typedef struct
{
  guint8 data[512];
  gsize len;
  struct sockaddr_storage from;
  socklen_t from_len;
} HeldQuery;

static void
put_u16 (GByteArray *out, guint v)
{
  guint8 b[2] = { (guint8) (v >> 8), (guint8) v };
  g_byte_array_append (out, b, 2);
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { (guint8) (v >> 24), (guint8) (v >> 16), (guint8) (v >> 8), (guint8) v };
  g_byte_array_append (out, b, 4);
}

/* Records of "big…" TXT answers, 200 bytes each: over the resolver's EDNS
 * buffer, so UDP answers TC and the resolver must come back over TCP. */
#define BIG_N_RECORDS 8
#define BIG_RECORD_BYTES 200

static void
put_txt_rr (GByteArray *out, guint32 ttl, const char *s1, const char *s2)
{
  guint8 n1 = (guint8) MIN (strlen (s1), 255), n2 = (guint8) MIN (strlen (s2), 255);

  put_u16 (out, 0xc00c);
  put_u16 (out, DNS_T_TXT);
  put_u16 (out, 1);
  put_u32 (out, ttl);
  put_u16 (out, 2u + n1 + n2);
  g_byte_array_append (out, &n1, 1);
  g_byte_array_append (out, (const guint8 *) s1, n1);
  g_byte_array_append (out, &n2, 1);
  g_byte_array_append (out, (const guint8 *) s2, n2);
}

/* The response to one query: names starting "nx" do not exist (SOA
 * minimum 120), "servfail…" and "refused…" fail so, "drop…" get no
 * answer at all, "big…" TXT is BIG_N_RECORDS records of 'a', 'b', …
 * (truncated over UDP); other TXT is "name=" "QNAME" (two strings), A is
 * 192.0.2.1; everything with TTL 300 but "ttl1…" TXT, with TTL 1. */
static GByteArray *
responder_response (const guint8 *q, gsize len, gboolean is_tcp)
{
  g_autoptr (GString) qname = g_string_new (NULL);
  gsize pos = 12;

  if (len < 12)
    return NULL;
  while (pos < len && q[pos] != 0 && q[pos] < 64 && pos + 1 + q[pos] < len)
    {
      if (qname->len > 0)
        g_string_append_c (qname, '.');
      g_string_append_len (qname, (const char *) q + pos + 1, q[pos]);
      pos += 1 + (gsize) q[pos];
    }
  if (pos + 5 > len)
    return NULL;
  if (g_str_has_prefix (qname->str, "drop"))
    return NULL;
  gsize question_end = pos + 5;
  guint qtype = (guint) q[pos + 1] << 8 | q[pos + 2];

  guint flags = 0x8180, rcode = 0, n_answers = 0, n_authority = 0;
  gboolean is_big = g_str_has_prefix (qname->str, "big") && qtype == DNS_T_TXT;
  if (is_big && !is_tcp)
    flags |= 0x0200;
  else if (is_big)
    n_answers = BIG_N_RECORDS;
  else if (g_str_has_prefix (qname->str, "nx"))
    rcode = 3, n_authority = 1;
  else if (g_str_has_prefix (qname->str, "servfail"))
    rcode = 2;
  else if (g_str_has_prefix (qname->str, "refused"))
    rcode = 5;
  else if (qtype == DNS_T_TXT || qtype == DNS_T_A)
    n_answers = 1;

  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, q, 2);               /* ID */
  put_u16 (out, flags | rcode);
  put_u16 (out, 1);
  put_u16 (out, n_answers);
  put_u16 (out, n_authority);
  put_u16 (out, 0);
  g_byte_array_append (out, q + 12, (guint) (question_end - 12));
  if (is_big)
    for (guint i = 0; i < n_answers; i++)
      {
        g_autofree char *half = g_strnfill (BIG_RECORD_BYTES / 2, (char) ('a' + i));
        put_txt_rr (out, 300, half, half);
      }
  else if (n_answers == 1 && qtype == DNS_T_TXT)
    put_txt_rr (out, g_str_has_prefix (qname->str, "ttl1") ? 1 : 300, "name=", qname->str);
  else if (n_answers == 1)
    {
      static const guint8 addr[] = { 192, 0, 2, 1 };
      put_u16 (out, 0xc00c);
      put_u16 (out, qtype);
      put_u16 (out, 1);
      put_u32 (out, 300);
      put_u16 (out, 4);
      g_byte_array_append (out, addr, 4);
    }
  if (n_authority == 1)
    {
      static const guint8 soa[] = { SOA_RDATA (120) };
      put_u16 (out, 0xc00c);
      put_u16 (out, DNS_T_SOA);
      put_u16 (out, 1);
      put_u32 (out, 600);
      put_u16 (out, sizeof soa);
      g_byte_array_append (out, soa, sizeof soa);
    }
  return out;
}

static void
responder_reply (Responder *r, const HeldQuery *hq)
{
  g_autoptr (GByteArray) response = responder_response (hq->data, hq->len, FALSE);

  if (response != NULL)
    (void) sendto (r->fd, response->data, response->len, 0,
                   (const struct sockaddr *) &hq->from, hq->from_len);
}

/* One query over TCP (RFC 1035 4.2.2: a two-byte length in front), answered
 * in full, then the connection is closed. */
static void
responder_serve_tcp (Responder *r)
{
  int conn = accept4 (r->tcp_fd, NULL, NULL, SOCK_CLOEXEC);
  guint8 prefix[2], query[512];

  if (conn < 0)
    return;
  if (recv (conn, prefix, 2, MSG_WAITALL) == 2)
    {
      gsize len = MIN ((gsize) (prefix[0] << 8 | prefix[1]), sizeof query);
      if (recv (conn, query, len, MSG_WAITALL) == (gssize) len)
        {
          g_autoptr (GByteArray) response = responder_response (query, len, TRUE);
          g_atomic_int_inc (&r->n_received);
          if (response != NULL)
            {
              guint8 out_prefix[2] = { (guint8) (response->len >> 8), (guint8) response->len };
              (void) send (conn, out_prefix, 2, MSG_NOSIGNAL);
              (void) send (conn, response->data, response->len, MSG_NOSIGNAL);
            }
        }
    }
  close (conn);
}

static gpointer
responder_main (gpointer data)
{
  Responder *r = data;
  g_autoptr (GArray) held = g_array_new (FALSE, TRUE, sizeof (HeldQuery));

  while (!g_atomic_int_get (&r->stop))
    {
      struct pollfd pfd[2] = { { r->fd, POLLIN, 0 }, { r->tcp_fd, POLLIN, 0 } };
      int ready = poll (pfd, 2, RESPONDER_BATCH_QUIET_MS);

      if (ready > 0 && pfd[1].revents != 0)
        responder_serve_tcp (r);
      if (ready > 0 && pfd[0].revents != 0)
        {
          HeldQuery hq = { .from_len = sizeof hq.from };
          gssize n = recvfrom (r->fd, hq.data, sizeof hq.data, 0,
                               (struct sockaddr *) &hq.from, &hq.from_len);
          if (n <= 0)
            continue;
          hq.len = (gsize) n;
          g_atomic_int_inc (&r->n_received);
          if (r->mode == RESPONDER_ANSWER)
            responder_reply (r, &hq);
          else if (r->mode == RESPONDER_BATCH)
            g_array_append_val (held, hq);
        }
      else if (ready == 0 && held->len > 0)
        {
          if ((gint) held->len > g_atomic_int_get (&r->max_outstanding))
            g_atomic_int_set (&r->max_outstanding, (gint) held->len);
          for (guint i = 0; i < held->len; i++)
            responder_reply (r, &g_array_index (held, HeldQuery, i));
          g_array_set_size (held, 0);
        }
    }
  return NULL;
}

static Responder *
responder_start (ResponderMode mode)
{
  Responder *r = g_new0 (Responder, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t addr_len = sizeof addr;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  r->mode = mode;
  r->fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (r->fd, >=, 0);
  g_assert_cmpint (bind (r->fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (r->fd, (struct sockaddr *) &addr, &addr_len), ==, 0);
  r->port = ntohs (addr.sin_port);
  /* TCP on the same port number: the ports are separate, so it is free
   * unless another process has just taken it. */
  r->tcp_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (r->tcp_fd, >=, 0);
  if (bind (r->tcp_fd, (struct sockaddr *) &addr, sizeof addr) != 0
      || listen (r->tcp_fd, 8) != 0)
    {
      close (r->tcp_fd);
      r->tcp_fd = -1;
    }
  r->thread = g_thread_new ("responder", responder_main, r);
  return r;
}

static void
responder_stop (Responder *r)
{
  g_atomic_int_set (&r->stop, 1);
  g_thread_join (r->thread);
  close (r->fd);
  if (r->tcp_fd >= 0)
    close (r->tcp_fd);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Responder, responder_stop)

static DnsResolver *
resolver_on_port (guint16 port, guint timeout_ms, guint tries, guint max_inflight)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", port);
  char *servers[] = { server, NULL };
  DnsOptions options = { .servers = servers, .timeout_ms = timeout_ms, .tries = tries,
                         .max_inflight = max_inflight };
  g_autoptr (GError) error = NULL;
  DnsResolver *resolver = dns_resolver_new (&options, &error);

  g_assert_no_error (error);
  return resolver;
}

static DnsResolver *
resolver_for (const Responder *r, guint timeout_ms, guint tries, guint max_inflight)
{
  return resolver_on_port (r->port, timeout_ms, tries, max_inflight);
}

static const char *
first_text (const DnsAnswer *answer)
{
  if (answer->records->len == 0)
    return NULL;
  return ((const DnsRecord *) g_ptr_array_index (answer->records, 0))->text;
}

static void
test_resolver_txt (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "_dmarc.Example.ORG.", DNS_T_TXT);

  g_assert_cmpint (answer->status, ==, DNS_OK);
  g_assert_cmpstr (answer->name, ==, "_dmarc.example.org");
  g_assert_cmpuint (answer->ttl, ==, 300);
  g_assert_cmpuint (answer->records->len, ==, 1);
  g_assert_cmpstr (first_text (answer), ==, "name=_dmarc.example.org");
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&responder->n_received), ==, 1);
}

/* ares_send() hands back the raw NXDOMAIN answer (so its SOA gives the
 * TTL); SERVFAIL and REFUSED come back as c-ares errors. */
static void
test_resolver_rcodes (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (DnsAnswer) nx = dns_lookup (resolver, "nx.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) servfail = dns_lookup (resolver, "servfail.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) refused = dns_lookup (resolver, "refused.example.org", DNS_T_A);
  g_autoptr (DnsAnswer) a = dns_lookup (resolver, "host.example.org", DNS_T_A);
  g_autoptr (DnsAnswer) nodata = dns_lookup (resolver, "host.example.org", DNS_T_MX);

  g_assert_cmpint (nx->status, ==, DNS_NXDOMAIN);
  g_assert_cmpuint (nx->ttl, ==, 120);
  g_assert_cmpint (servfail->status, ==, DNS_SERVFAIL);
  g_assert_cmpint (refused->status, ==, DNS_REFUSED);
  g_assert_cmpint (a->status, ==, DNS_OK);
  g_assert_cmpstr (first_text (a), ==, "192.0.2.1");
  g_assert_cmpint (nodata->status, ==, DNS_NODATA);
  g_assert_cmpuint (nodata->ttl, ==, 300);
}

/* An answer too big for UDP comes back truncated; the resolver asks again
 * over TCP (c-ares does, through our poll loop) and gets all of it. */
static void
test_resolver_truncated_retries_over_tcp (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);

  if (responder->tcp_fd < 0)
    {
      g_test_skip ("the responder's port is taken for TCP");
      return;
    }
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "big.example.org", DNS_T_TXT);

  g_assert_cmpint (answer->status, ==, DNS_OK);
  g_assert_cmpuint (answer->records->len, ==, BIG_N_RECORDS);
  for (guint i = 0; i < BIG_N_RECORDS; i++)
    {
      g_autofree char *want = g_strnfill (BIG_RECORD_BYTES, (char) ('a' + i));
      g_assert_cmpstr (((DnsRecord *) g_ptr_array_index (answer->records, i))->text, ==, want);
    }
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&responder->n_received), ==, 2);   /* UDP, then TCP */
}

static void
test_resolver_timeout (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_SILENT);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 200, 1, 0);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "example.org", DNS_T_TXT);
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_cmpint (answer->status, ==, DNS_TIMEOUT);
  g_assert_cmpuint (answer->ttl, ==, 0);
  g_assert_cmpint (elapsed_ms, >=, 150);
  g_assert_cmpint (elapsed_ms, <, 1500);
  g_assert_cmpint (g_atomic_int_get (&responder->n_received), ==, 1);
}

/* Nothing listens: the ICMP port unreachable ends the query long before
 * the timeout. */
static void
test_resolver_closed_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t addr_len = sizeof addr;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &addr_len), ==, 0);
  close (fd);

  g_autoptr (DnsResolver) resolver = resolver_on_port (ntohs (addr.sin_port), 5000, 1, 0);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "example.org", DNS_T_TXT);
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_cmpint (answer->status, ==, DNS_ERROR);
  g_assert_cmpint (elapsed_ms, <, 2500);
}

typedef struct
{
  guint n_answers;
  guint n_ok;
} BatchCount;

static void
batch_answered (DnsAnswer *answer, gpointer user_data)
{
  BatchCount *count = user_data;
  g_autoptr (DnsAnswer) owned = answer;
  g_autofree char *want = g_strdup_printf ("name=%s", answer->name);

  count->n_answers++;
  if (answer->status == DNS_OK && g_strcmp0 (first_text (answer), want) == 0)
    count->n_ok++;
}

static void
test_resolver_batch_inflight_cap (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_BATCH);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 5000, 1, 8);
  BatchCount count = { 0 };

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("q%03u.example.org", i);
      dns_submit (resolver, name, DNS_T_TXT, batch_answered, &count);
    }
  g_assert_cmpuint (count.n_answers, ==, 0);   /* answers come from the loop only */
  dns_resolver_run (resolver);

  gint max_outstanding = g_atomic_int_get (&responder->max_outstanding);
  g_test_message ("most queries outstanding at the responder: %d", max_outstanding);
  g_assert_cmpuint (count.n_answers, ==, 200);
  g_assert_cmpuint (count.n_ok, ==, 200);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 200);
  g_assert_cmpint (g_atomic_int_get (&responder->n_received), ==, 200);
  g_assert_cmpint (max_outstanding, <=, 8);
  g_assert_cmpint (max_outstanding, >, 1);   /* they did run side by side */
}

static void
test_resolver_memo (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (DnsAnswer) first = dns_lookup (resolver, "memo.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) second = dns_lookup (resolver, "MEMO.example.org.", DNS_T_TXT);
  g_autoptr (DnsAnswer) other_type = dns_lookup (resolver, "memo.example.org", DNS_T_A);
  g_autoptr (DnsAnswer) nx1 = dns_lookup (resolver, "nx.example.org", DNS_T_A);
  g_autoptr (DnsAnswer) nx2 = dns_lookup (resolver, "nx.example.org", DNS_T_A);

  g_assert_cmpint (first->status, ==, DNS_OK);
  g_assert_cmpint (second->status, ==, DNS_OK);
  g_assert_cmpstr (first_text (second), ==, "name=memo.example.org");
  g_assert_cmpuint (second->ttl, <=, 300);
  g_assert_cmpuint (second->ttl, >=, 299);
  g_assert_cmpint (other_type->status, ==, DNS_OK);
  g_assert_cmpint (nx2->status, ==, DNS_NXDOMAIN);
  /* memo TXT, memo A, nx A: three queries, not five */
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&responder->n_received), ==, 3);
}

/* The memo forgets an answer when its TTL has run out. */
static void
test_resolver_memo_expires (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (DnsAnswer) first = dns_lookup (resolver, "ttl1.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) soon = dns_lookup (resolver, "ttl1.example.org", DNS_T_TXT);

  g_assert_cmpuint (first->ttl, ==, 1);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 1);
  g_usleep (1100 * 1000);
  g_autoptr (DnsAnswer) later = dns_lookup (resolver, "ttl1.example.org", DNS_T_TXT);
  g_assert_cmpint (later->status, ==, DNS_OK);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 2);
}

/* Five identical queries submitted together go out once. */
static void
test_resolver_coalesces_identical (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  BatchCount count = { 0 };

  for (guint i = 0; i < 5; i++)
    dns_submit (resolver, "same.example.org", DNS_T_TXT, batch_answered, &count);
  dns_resolver_run (resolver);
  g_assert_cmpuint (count.n_ok, ==, 5);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 1);
}

typedef struct
{
  GPtrArray *put_names;   /* owned names told to put */
  guint n_gets;
} FakeCache;

static DnsAnswer *
fake_cache_get (gpointer data, const char *name, DnsType type)
{
  FakeCache *cache = data;

  cache->n_gets++;
  if (strcmp (name, "cached.example.org") != 0)
    return NULL;
  DnsAnswer *answer = dns_answer_new (name, type, DNS_OK);
  dns_answer_add (answer, type, 50, "from the cache", 0);
  answer->ttl = 50;
  return answer;
}

static void
fake_cache_put (gpointer data, const DnsAnswer *answer)
{
  FakeCache *cache = data;

  g_ptr_array_add (cache->put_names,
                   g_strdup_printf ("%s/%s/%s", answer->name, dns_type_name (answer->type),
                                    dns_status_name (answer->status)));
}

static void
test_resolver_cache_hook (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);
  g_autoptr (GPtrArray) put_names = g_ptr_array_new_with_free_func (g_free);
  FakeCache cache = { put_names, 0 };

  dns_resolver_set_cache (resolver, fake_cache_get, fake_cache_put, &cache);
  g_autoptr (DnsAnswer) cached = dns_lookup (resolver, "cached.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) cached_again = dns_lookup (resolver, "cached.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) fresh = dns_lookup (resolver, "fresh.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) nx = dns_lookup (resolver, "nx.example.org", DNS_T_TXT);
  g_autoptr (DnsAnswer) servfail = dns_lookup (resolver, "servfail.example.org", DNS_T_TXT);

  g_assert_cmpstr (first_text (cached), ==, "from the cache");
  g_assert_cmpstr (first_text (cached_again), ==, "from the cache");
  g_assert_cmpuint (cache.n_gets, ==, 4);     /* the second one came from the memo */
  g_assert_cmpstr (first_text (fresh), ==, "name=fresh.example.org");
  g_assert_cmpint (servfail->status, ==, DNS_SERVFAIL);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 3);
  /* put hears fresh answers only, and no failure */
  g_assert_cmpuint (put_names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (put_names, 0), ==, "fresh.example.org/TXT/ok");
  g_assert_cmpstr (g_ptr_array_index (put_names, 1), ==, "nx.example.org/TXT/nxdomain");
}

/* An answer function that submits a follow-up and runs a nested lookup. */
static void
chained_answered (DnsAnswer *answer, gpointer user_data)
{
  DnsResolver *resolver = user_data;
  g_autoptr (DnsAnswer) owned = answer;

  if (g_str_has_prefix (answer->name, "step1."))
    {
      g_autoptr (DnsAnswer) nested = dns_lookup (resolver, "nested.example.org", DNS_T_A);
      g_assert_cmpint (nested->status, ==, DNS_OK);
      dns_submit (resolver, "step2.example.org", DNS_T_TXT, chained_answered, resolver);
    }
}

static void
test_resolver_submit_from_answer (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  g_autoptr (DnsResolver) resolver = resolver_for (responder, 2000, 2, 0);

  dns_submit (resolver, "step1.example.org", DNS_T_TXT, chained_answered, resolver);
  dns_resolver_run (resolver);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 3);
}

static void
test_resolver_offline (void)
{
  char *servers[] = { "192.0.2.1", NULL };
  DnsOptions options = { .servers = servers, .offline = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (DnsResolver) resolver = dns_resolver_new (&options, &error);
  BatchCount count = { 0 };

  g_assert_no_error (error);
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "example.org", DNS_T_TXT);
  g_assert_cmpint (answer->status, ==, DNS_OFFLINE);
  g_assert_cmpuint (answer->records->len, ==, 0);
  dns_submit (resolver, "example.org", DNS_T_MX, batch_answered, &count);
  dns_resolver_run (resolver);
  g_assert_cmpuint (count.n_answers, ==, 1);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 0);
}

/* Queries still queued or in flight when the resolver goes are freed
 * without their function being called. */
static void
test_resolver_free_with_pending (void)
{
  g_autoptr (Responder) responder = responder_start (RESPONDER_ANSWER);
  DnsResolver *resolver = resolver_for (responder, 2000, 1, 3);
  BatchCount count = { 0 };

  /* The lookup goes first and two drops go out beside it; the third takes
   * the lookup's place once that is answered. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("drop%u.example.org", i);
      dns_submit (resolver, name, DNS_T_TXT, batch_answered, &count);
    }
  g_autoptr (DnsAnswer) answer = dns_lookup (resolver, "host.example.org", DNS_T_A);
  g_assert_cmpint (answer->status, ==, DNS_OK);
  g_assert_cmpuint (dns_resolver_queries_sent (resolver), ==, 4);
  dns_resolver_free (resolver);
  g_assert_cmpuint (count.n_answers, ==, 0);
  dns_resolver_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dns/parse/messages-as-table", test_parse_cases);
  g_test_add_func ("/dns/parse/records-keep-their-ttl", test_parse_record_ttls);
  g_test_add_func ("/dns/parse/prefixes-are-errors", test_parse_prefixes);
  g_test_add_func ("/dns/parse/spoiled-bytes-stay-in-bounds", test_parse_spoiled_bytes);
  g_test_add_func ("/dns/answer/copy-is-deep", test_answer_copy);
  g_test_add_func ("/dns/names/types-and-statuses", test_names);
  g_test_add_func ("/dns/reverse-name/v4-v6-and-bad", test_reverse_name);
  g_test_add_func ("/dns/same-address/compares-binary-forms", test_same_address);
  g_test_add_func ("/dns/server/parses-address-and-port", test_parse_server);
  g_test_add_func ("/dns/resolver/bad-server-is-usage-error", test_resolver_bad_server);
  g_test_add_func ("/dns/resolver/offline-sends-nothing", test_resolver_offline);
  g_test_add_func ("/dns/resolver/answers-txt", test_resolver_txt);
  g_test_add_func ("/dns/resolver/maps-rcodes", test_resolver_rcodes);
  g_test_add_func ("/dns/resolver/truncated-retries-over-tcp",
                   test_resolver_truncated_retries_over_tcp);
  g_test_add_func ("/dns/resolver/times-out", test_resolver_timeout);
  g_test_add_func ("/dns/resolver/closed-port-is-error", test_resolver_closed_port);
  g_test_add_func ("/dns/resolver/batch-keeps-inflight-cap", test_resolver_batch_inflight_cap);
  g_test_add_func ("/dns/resolver/memo-sends-once", test_resolver_memo);
  g_test_add_func ("/dns/resolver/memo-expires-with-ttl", test_resolver_memo_expires);
  g_test_add_func ("/dns/resolver/identical-queries-go-out-once",
                   test_resolver_coalesces_identical);
  g_test_add_func ("/dns/resolver/cache-hook-get-and-put", test_resolver_cache_hook);
  g_test_add_func ("/dns/resolver/answer-func-may-submit-and-lookup",
                   test_resolver_submit_from_answer);
  g_test_add_func ("/dns/resolver/free-drops-pending", test_resolver_free_with_pending);
  return g_test_run ();
}
