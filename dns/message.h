/*
 * message.h -- DNS answers as dmarcstat uses them, and the parser that
 * makes them from a raw DNS response.
 *
 * The response comes from the network: dns_answer_parse() treats it as
 * hostile (compression loops, lengths past the end, absurd counts) and
 * never reads outside BUF.  Names are compared case-insensitively and kept
 * in lower case without the final dot.
 */
#ifndef DMARCSTAT_DNS_MESSAGE_H
#define DMARCSTAT_DNS_MESSAGE_H

#include <glib.h>

typedef enum
{
  DNS_T_A = 1,
  DNS_T_NS = 2,
  DNS_T_CNAME = 5,
  DNS_T_SOA = 6,
  DNS_T_PTR = 12,
  DNS_T_MX = 15,
  DNS_T_TXT = 16,
  DNS_T_AAAA = 28,
  DNS_T_SPF = 99,     /* the deprecated SPF RR type (RFC 7208 3.1) */
} DnsType;

typedef enum
{
  DNS_OK,          /* answered with at least one record of the type */
  DNS_NODATA,      /* the name exists, no record of this type */
  DNS_NXDOMAIN,    /* the name does not exist */
  DNS_SERVFAIL,
  DNS_REFUSED,
  DNS_TIMEOUT,
  DNS_ERROR,       /* malformed answer, local failure */
  DNS_OFFLINE,     /* lookups are switched off */
} DnsStatus;

typedef struct
{
  DnsType type;
  guint32 ttl;
  /* A/AAAA: the address as text (inet_ntop form);
   * PTR/CNAME/NS/MX: the target name, lower case, no final dot;
   * TXT/SPF: the record's character-strings concatenated without separator
   * (RFC 7208 3.3), bytes as sent (not necessarily UTF-8); a NUL byte is
   * replaced by U+FFFD so that the text stays a C string;
   * SOA: "MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM";
   * other types: RFC 3597's "\# LEN HEX".
   * Bytes of a name that cannot stand bare ('.', '\\', controls, non-ASCII)
   * are written \. \\ \DDD, the escapes ares_create_query() reads. */
  char *text;
  guint16 preference;  /* MX only */
} DnsRecord;

typedef struct
{
  char *name;            /* as asked, lower case, no final dot */
  DnsType type;
  DnsStatus status;
  GPtrArray *records;    /* DnsRecord*, only of TYPE (CNAME chain followed) */
  guint32 ttl;           /* min TTL of the records and of the CNAMEs
                          * followed; negative answers: min(SOA TTL, SOA
                          * MINIMUM) when an SOA is present, else 300
                          * (RFC 2308 5), and no more than the CNAMEs';
                          * errors: 0 */
} DnsAnswer;

const char *dns_type_name (DnsType type);      /* "A", "TXT", … "TYPE99" */
const char *dns_status_name (DnsStatus status); /* "ok", "nxdomain", … */

/* (transfer full) an answer with no records. */
DnsAnswer *dns_answer_new (const char *name, DnsType type, DnsStatus status);
DnsAnswer *dns_answer_copy (const DnsAnswer *answer);
void dns_answer_free (DnsAnswer *answer);
/* Appends a record; TEXT is copied. */
void dns_answer_add (DnsAnswer *answer, DnsType type, guint32 ttl,
                     const char *text, guint16 preference);

/* Parses a full DNS response message for question NAME/TYPE.  Maps RCODE 3
 * to NXDOMAIN, 2 to SERVFAIL, 5 to REFUSED, an empty answer to NODATA and
 * anything malformed to DNS_ERROR: a truncated (TC) message, a question
 * other than NAME/TYPE (or none, unless the RCODE is an error), any other
 * RCODE, a record or name running past the
 * end, a compression pointer that does not point backwards.  Never NULL.
 * (transfer full) */
DnsAnswer *dns_answer_parse (const guint8 *buf, gsize len, const char *name, DnsType type);

/* "4.3.2.1.in-addr.arpa" / nibble form under ip6.arpa; NULL when IP is
 * not an address.  (transfer full) */
char *dns_reverse_name (const char *ip);

/* TRUE when A and B (IPv4 or IPv6 text) are the same address: compares
 * binary forms, so "::1" equals "0:0::1" and "::ffff:192.0.2.1" equals
 * "192.0.2.1".  FALSE when either is not an address. */
gboolean dns_same_address (const char *a, const char *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DnsAnswer, dns_answer_free)

#endif
