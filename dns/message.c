/*
 * message.c -- see message.h.
 *
 * The parser reads the response through a small cursor (DnsReader) whose
 * every read is checked against the end of the buffer, so a lying length or
 * count ends the parse with DNS_ERROR instead of a read past the end.
 *
 * Names are expanded here rather than with ares_expand_name(): the rules we
 * need (pointers must point backwards, at most DNS_MAX_POINTERS of them, at
 * most 255 wire bytes, lower case) are easier to state than to check after
 * the fact.  Bytes that cannot appear bare in a presentation-format name
 * ('.', '\\', controls, non-ASCII) are written as \. \\ and \DDD, the same
 * escapes ares_create_query() reads, so a name we print can be asked again.
 *
 * Which records an answer keeps: those of the asked type whose owner is the
 * asked name or a name reached from it through CNAME records (in any order
 * in the section, at most DNS_MAX_CNAME_HOPS deep, so a CNAME loop ends).
 */
#include "dns/message.h"

#include <arpa/inet.h>
#include <string.h>

/* RFC 1035 4.1.4: a pointer refers to a prior occurrence, so a name can
 * jump at most as many times as it has labels; 128 covers any legal name. */
#define DNS_MAX_POINTERS 128
/* RFC 1035 3.1: 255 bytes of wire format per name. */
#define DNS_MAX_NAME_WIRE 255
/* Longer chains than this are a loop or an attack; resolvers give up near 8-16. */
#define DNS_MAX_CNAME_HOPS 16
/* RFC 2308 5: without an SOA, a negative answer is kept this long. */
#define DNS_NEGATIVE_TTL_DEFAULT 300
/* Smallest resource record: a root owner name (1), type, class, TTL,
 * RDLENGTH (10). */
#define DNS_MIN_RR_BYTES 11
#define DNS_HEADER_BYTES 12

#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_TC 0x0200
#define DNS_CLASS_IN 1

/* ---- names of things ---- */

const char *
dns_type_name (DnsType type)
{
  switch (type)
    {
    case DNS_T_A: return "A";
    case DNS_T_NS: return "NS";
    case DNS_T_CNAME: return "CNAME";
    case DNS_T_SOA: return "SOA";
    case DNS_T_PTR: return "PTR";
    case DNS_T_MX: return "MX";
    case DNS_T_TXT: return "TXT";
    case DNS_T_AAAA: return "AAAA";
    case DNS_T_SPF: return "SPF";
    }
  /* RFC 3597 names unknown types TYPEnnn; interned so the caller never
   * frees it (there are at most 65536). */
  g_autofree char *text = g_strdup_printf ("TYPE%u", (guint) type);
  return g_intern_string (text);
}

const char *
dns_status_name (DnsStatus status)
{
  switch (status)
    {
    case DNS_OK: return "ok";
    case DNS_NODATA: return "nodata";
    case DNS_NXDOMAIN: return "nxdomain";
    case DNS_SERVFAIL: return "servfail";
    case DNS_REFUSED: return "refused";
    case DNS_TIMEOUT: return "timeout";
    case DNS_ERROR: return "error";
    case DNS_OFFLINE: return "offline";
    }
  return "error";
}

/* ---- answers ---- */

static void
dns_record_free (gpointer data)
{
  DnsRecord *record = data;

  g_free (record->text);
  g_free (record);
}

/* Lower case, without the final dot: the one form names are compared and
 * kept in. */
static char *
name_lower_nodot (const char *name)
{
  char *norm = g_ascii_strdown (name != NULL ? name : "", -1);
  gsize len = strlen (norm);

  if (len > 0 && norm[len - 1] == '.')
    norm[len - 1] = '\0';
  return norm;
}

DnsAnswer *
dns_answer_new (const char *name, DnsType type, DnsStatus status)
{
  DnsAnswer *answer = g_new0 (DnsAnswer, 1);

  answer->name = name_lower_nodot (name);
  answer->type = type;
  answer->status = status;
  answer->records = g_ptr_array_new_with_free_func (dns_record_free);
  answer->ttl = 0;
  return answer;
}

DnsAnswer *
dns_answer_copy (const DnsAnswer *answer)
{
  DnsAnswer *copy = dns_answer_new (answer->name, answer->type, answer->status);

  for (guint i = 0; i < answer->records->len; i++)
    {
      const DnsRecord *record = g_ptr_array_index (answer->records, i);
      dns_answer_add (copy, record->type, record->ttl, record->text, record->preference);
    }
  copy->ttl = answer->ttl;
  return copy;
}

void
dns_answer_free (DnsAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->name);
  g_ptr_array_unref (answer->records);
  g_free (answer);
}

void
dns_answer_add (DnsAnswer *answer, DnsType type, guint32 ttl, const char *text,
                guint16 preference)
{
  DnsRecord *record = g_new0 (DnsRecord, 1);

  record->type = type;
  record->ttl = ttl;
  record->text = g_strdup (text != NULL ? text : "");
  record->preference = preference;
  g_ptr_array_add (answer->records, record);
}

/* ---- the wire format ---- */

typedef struct
{
  const guint8 *buf;   /* borrowed: the message */
  gsize len;
  gsize pos;
} DnsReader;

static gboolean
reader_u16 (DnsReader *r, guint16 *out)
{
  if (r->len - r->pos < 2)
    return FALSE;
  *out = (guint16) (r->buf[r->pos] << 8 | r->buf[r->pos + 1]);
  r->pos += 2;
  return TRUE;
}

static gboolean
reader_u32 (DnsReader *r, guint32 *out)
{
  if (r->len - r->pos < 4)
    return FALSE;
  *out = (guint32) r->buf[r->pos] << 24 | (guint32) r->buf[r->pos + 1] << 16
         | (guint32) r->buf[r->pos + 2] << 8 | (guint32) r->buf[r->pos + 3];
  r->pos += 4;
  return TRUE;
}

static void
name_append_label (GString *out, const guint8 *label, gsize n)
{
  if (out->len > 0)
    g_string_append_c (out, '.');
  for (gsize i = 0; i < n; i++)
    {
      guint8 c = label[i];

      if (c == '.' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c <= 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\%03u", c);
      else
        g_string_append_c (out, g_ascii_tolower ((char) c));
    }
}

/* Reads the (possibly compressed) name at the cursor into OUT (lower case,
 * escaped, no final dot; the root is "") and leaves the cursor after the
 * name's bytes in place.  FALSE when the name runs off the buffer, a
 * pointer does not point backwards, or the name is too long. */
static gboolean
reader_name (DnsReader *r, GString *out)
{
  gsize pos = r->pos;
  gsize end = 0;           /* where the in-place part ends; 0 until known */
  guint n_pointers = 0;
  gsize wire_bytes = 1;    /* the root label */

  g_string_truncate (out, 0);
  for (;;)
    {
      if (pos >= r->len)
        return FALSE;
      guint8 c = r->buf[pos];
      if ((c & 0xc0) == 0xc0)
        {
          if (pos + 1 >= r->len)
            return FALSE;
          gsize target = (gsize) (c & 0x3f) << 8 | r->buf[pos + 1];
          /* Only backward pointers: this alone makes loops impossible. */
          if (target >= pos || ++n_pointers > DNS_MAX_POINTERS)
            return FALSE;
          if (end == 0)
            end = pos + 2;
          pos = target;
        }
      else if ((c & 0xc0) != 0)
        return FALSE;   /* RFC 6891's extended label types: never in answers */
      else if (c == 0)
        {
          if (end == 0)
            end = pos + 1;
          break;
        }
      else
        {
          if (r->len - pos - 1 < c)
            return FALSE;
          wire_bytes += 1 + (gsize) c;
          if (wire_bytes > DNS_MAX_NAME_WIRE)
            return FALSE;
          name_append_label (out, r->buf + pos + 1, c);
          pos += 1 + (gsize) c;
        }
    }
  r->pos = end;
  return TRUE;
}

/* One resource record's fixed part; RDATA stays in the message. */
typedef struct
{
  char *owner;
  guint16 type;
  guint16 klass;
  guint32 ttl;
  gsize rdata;        /* offset of RDATA in the message */
  guint16 rdlength;
} DnsRR;

static void
dns_rr_clear (gpointer data)
{
  DnsRR *rr = data;

  g_free (rr->owner);
}

/* RFC 2181 8: a TTL with the top bit set is treated as zero. */
static guint32
ttl_sane (guint32 ttl)
{
  return ttl > G_MAXINT32 ? 0 : ttl;
}

/* Reads N records into RRS (a GArray of DnsRR).  Every RDATA must lie
 * inside the message. */
static gboolean
reader_records (DnsReader *r, guint n, GArray *rrs, GString *scratch)
{
  for (guint i = 0; i < n; i++)
    {
      DnsRR rr = { 0 };

      if (!reader_name (r, scratch) || !reader_u16 (r, &rr.type)
          || !reader_u16 (r, &rr.klass) || !reader_u32 (r, &rr.ttl)
          || !reader_u16 (r, &rr.rdlength) || r->len - r->pos < rr.rdlength)
        return FALSE;
      rr.owner = g_strdup (scratch->str);
      rr.ttl = ttl_sane (rr.ttl);
      rr.rdata = r->pos;
      r->pos += rr.rdlength;
      g_array_append_val (rrs, rr);
    }
  return TRUE;
}

/* TXT/SPF: the character-strings concatenated (RFC 7208 3.3); a NUL byte
 * becomes U+FFFD so that the text stays a C string. */
static char *
rdata_txt (const guint8 *p, gsize n)
{
  GString *text = g_string_sized_new (n);
  gsize i = 0;

  while (i < n)
    {
      gsize len = p[i++];
      if (len > n - i)
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      for (gsize j = 0; j < len; j++)
        {
          if (p[i + j] == '\0')
            g_string_append (text, "\xef\xbf\xbd");
          else
            g_string_append_c (text, (char) p[i + j]);
        }
      i += len;
    }
  return g_string_free (text, FALSE);
}

/* A name filling RDATA exactly from offset SKIP (MX has 2 bytes of
 * preference first); compression may point anywhere earlier. */
static char *
rdata_name (const DnsReader *msg, const DnsRR *rr, gsize skip)
{
  DnsReader r = { msg->buf, rr->rdata + rr->rdlength, rr->rdata + skip };
  g_autoptr (GString) name = g_string_new (NULL);

  if (skip > rr->rdlength || !reader_name (&r, name) || r.pos != r.len)
    return NULL;
  return g_strdup (name->str);
}

/* An SOA's RDATA: two names, then SERIAL REFRESH RETRY EXPIRE MINIMUM in
 * V, filling RDATA exactly. */
static gboolean
rdata_soa_fields (const DnsReader *msg, const DnsRR *rr, GString *mname, GString *rname,
                  guint32 v[5])
{
  DnsReader r = { msg->buf, rr->rdata + rr->rdlength, rr->rdata };

  if (!reader_name (&r, mname) || !reader_name (&r, rname))
    return FALSE;
  for (guint i = 0; i < 5; i++)
    if (!reader_u32 (&r, &v[i]))
      return FALSE;
  return r.pos == r.len;
}

/* SOA in presentation form: "MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM". */
static char *
rdata_soa (const DnsReader *msg, const DnsRR *rr)
{
  g_autoptr (GString) mname = g_string_new (NULL);
  g_autoptr (GString) rname = g_string_new (NULL);
  guint32 v[5];

  if (!rdata_soa_fields (msg, rr, mname, rname, v))
    return NULL;
  return g_strdup_printf ("%s %s %u %u %u %u %u", mname->str, rname->str,
                          v[0], v[1], v[2], v[3], v[4]);
}

/* Any other type in RFC 3597's generic form, "\# LEN HEX". */
static char *
rdata_generic (const guint8 *p, gsize n)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "\\# %" G_GSIZE_FORMAT " ", n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (text, "%02x", p[i]);
  return g_string_free (text, FALSE);
}

/* The record's text as DnsRecord.text has it; NULL when RDATA is malformed. */
static char *
rdata_text (const DnsReader *msg, const DnsRR *rr, guint16 *preference_out)
{
  const guint8 *p = msg->buf + rr->rdata;
  char addr[INET6_ADDRSTRLEN];

  *preference_out = 0;
  switch (rr->type)
    {
    case DNS_T_A:
      if (rr->rdlength != 4 || inet_ntop (AF_INET, p, addr, sizeof addr) == NULL)
        return NULL;
      return g_strdup (addr);
    case DNS_T_AAAA:
      if (rr->rdlength != 16 || inet_ntop (AF_INET6, p, addr, sizeof addr) == NULL)
        return NULL;
      return g_strdup (addr);
    case DNS_T_MX:
      if (rr->rdlength < 2)
        return NULL;
      *preference_out = (guint16) (p[0] << 8 | p[1]);
      return rdata_name (msg, rr, 2);
    case DNS_T_TXT:
    case DNS_T_SPF:
      return rdata_txt (p, rr->rdlength);
    case DNS_T_PTR:
    case DNS_T_CNAME:
    case DNS_T_NS:
      return rdata_name (msg, rr, 0);
    case DNS_T_SOA:
      return rdata_soa (msg, rr);
    default:
      return rdata_generic (p, rr->rdlength);
    }
}

/* Negative caching time (RFC 2308 5): min(SOA TTL, SOA MINIMUM) of the
 * first SOA in the authority section; the default when there is none.
 * FALSE when that SOA is malformed. */
static gboolean
negative_ttl (const DnsReader *msg, GArray *authority, guint32 *ttl_out)
{
  *ttl_out = DNS_NEGATIVE_TTL_DEFAULT;
  for (guint i = 0; i < authority->len; i++)
    {
      const DnsRR *rr = &g_array_index (authority, DnsRR, i);
      g_autoptr (GString) mname = NULL;
      g_autoptr (GString) rname = NULL;
      guint32 v[5];

      if (rr->type != DNS_T_SOA || rr->klass != DNS_CLASS_IN)
        continue;
      mname = g_string_new (NULL);
      rname = g_string_new (NULL);
      if (!rdata_soa_fields (msg, rr, mname, rname, v))
        return FALSE;
      *ttl_out = MIN (rr->ttl, ttl_sane (v[4]));   /* v[4]: MINIMUM */
      return TRUE;
    }
  return TRUE;
}

static gboolean
chain_has (GPtrArray *chain, const char *name)
{
  for (guint i = 0; i < chain->len; i++)
    if (strcmp (g_ptr_array_index (chain, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* Follows CNAMEs from the last name of CHAIN (the asked name) through the
 * answer section RRS, appending each target to CHAIN, and lowers
 * *MIN_TTL_INOUT to the TTLs of the CNAMEs used.  A loop or an overlong
 * chain just ends it.  FALSE when a CNAME's RDATA is malformed. */
static gboolean
follow_cnames (const DnsReader *msg, GArray *rrs, GPtrArray *chain, guint32 *min_ttl_inout)
{
  for (guint hop = 0; hop < DNS_MAX_CNAME_HOPS; hop++)
    {
      const char *current = g_ptr_array_index (chain, chain->len - 1);
      const DnsRR *next = NULL;

      for (guint i = 0; i < rrs->len && next == NULL; i++)
        {
          const DnsRR *rr = &g_array_index (rrs, DnsRR, i);
          if (rr->type == DNS_T_CNAME && rr->klass == DNS_CLASS_IN
              && strcmp (rr->owner, current) == 0)
            next = rr;
        }
      if (next == NULL)
        return TRUE;

      char *target = rdata_name (msg, next, 0);
      if (target == NULL)
        return FALSE;
      *min_ttl_inout = MIN (*min_ttl_inout, next->ttl);
      if (chain_has (chain, target))
        {
          g_free (target);
          return TRUE;
        }
      g_ptr_array_add (chain, target);
    }
  return TRUE;
}

/* Reads N records after checking that N of them can fit at all, so a
 * count of 65535 in a 40-byte message costs nothing. */
static gboolean
read_section (DnsReader *r, guint16 n, GArray *rrs, GString *scratch)
{
  if (n > (r->len - r->pos) / DNS_MIN_RR_BYTES)
    return FALSE;
  return reader_records (r, n, rrs, scratch);
}

/* Fills ANSWER (status, records, ttl) from the message; FALSE when the
 * message is malformed or does not answer ANSWER's question. */
static gboolean
parse_message (const guint8 *buf, gsize len, DnsAnswer *answer)
{
  DnsReader r = { buf, len, 0 };
  guint16 id, flags, n_questions, n_answers, n_authority, n_additional;
  g_autoptr (GString) scratch = g_string_new (NULL);

  if (buf == NULL || len < DNS_HEADER_BYTES)
    return FALSE;
  if (!reader_u16 (&r, &id) || !reader_u16 (&r, &flags) || !reader_u16 (&r, &n_questions)
      || !reader_u16 (&r, &n_answers) || !reader_u16 (&r, &n_authority)
      || !reader_u16 (&r, &n_additional))
    return FALSE;
  /* A truncated answer may lack the very record asked for (c-ares has
   * already retried over TCP unless told to ignore TC): never trust it. */
  if ((flags & DNS_FLAG_QR) == 0 || (flags & DNS_FLAG_TC) != 0 || n_questions > 1)
    return FALSE;
  /* Only an error answer may leave the question out (RFC 1035 says
   * nothing; servers do it for FORMERR and REFUSED). */
  if (n_questions == 0 && ((flags & 0x000f) == 0 || (flags & 0x000f) == 3))
    return FALSE;
  if (n_questions == 1)
    {
      guint16 qtype, qclass;
      if (!reader_name (&r, scratch) || !reader_u16 (&r, &qtype) || !reader_u16 (&r, &qclass)
          || strcmp (scratch->str, answer->name) != 0 || qtype != answer->type)
        return FALSE;
    }

  switch (flags & 0x000f)
    {
    case 0: answer->status = DNS_OK; break;
    case 3: answer->status = DNS_NXDOMAIN; break;
    case 2: answer->status = DNS_SERVFAIL; return TRUE;
    case 5: answer->status = DNS_REFUSED; return TRUE;
    default: return FALSE;   /* FORMERR, NOTIMP and the rest */
    }

  g_autoptr (GArray) answers = g_array_new (FALSE, TRUE, sizeof (DnsRR));
  g_autoptr (GArray) authority = g_array_new (FALSE, TRUE, sizeof (DnsRR));
  g_array_set_clear_func (answers, dns_rr_clear);
  g_array_set_clear_func (authority, dns_rr_clear);
  if (!read_section (&r, n_answers, answers, scratch)
      || !read_section (&r, n_authority, authority, scratch))
    return FALSE;
  /* The additional section is never used: its records are not answers. */

  g_autoptr (GPtrArray) chain = g_ptr_array_new_with_free_func (g_free);
  guint32 min_ttl = G_MAXUINT32;
  g_ptr_array_add (chain, g_strdup (answer->name));
  if (answer->type != DNS_T_CNAME && !follow_cnames (&r, answers, chain, &min_ttl))
    return FALSE;

  for (guint i = 0; i < answers->len; i++)
    {
      const DnsRR *rr = &g_array_index (answers, DnsRR, i);
      guint16 preference;

      if (rr->type != answer->type || rr->klass != DNS_CLASS_IN || !chain_has (chain, rr->owner))
        continue;
      g_autofree char *text = rdata_text (&r, rr, &preference);
      if (text == NULL)
        return FALSE;
      dns_answer_add (answer, answer->type, rr->ttl, text, preference);
      min_ttl = MIN (min_ttl, rr->ttl);
    }

  if (answer->status == DNS_OK && answer->records->len == 0)
    answer->status = DNS_NODATA;
  if (answer->status != DNS_OK)
    {
      guint32 neg_ttl;
      if (!negative_ttl (&r, authority, &neg_ttl))
        return FALSE;
      min_ttl = MIN (min_ttl, neg_ttl);
    }
  answer->ttl = min_ttl;
  return TRUE;
}

DnsAnswer *
dns_answer_parse (const guint8 *buf, gsize len, const char *name, DnsType type)
{
  g_autoptr (DnsAnswer) answer = dns_answer_new (name, type, DNS_ERROR);

  if (!parse_message (buf, len, answer))
    {
      /* Nothing half-parsed leaks out of a malformed message. */
      g_ptr_array_set_size (answer->records, 0);
      answer->status = DNS_ERROR;
      answer->ttl = 0;
    }
  return g_steal_pointer (&answer);
}

/* ---- addresses ---- */

char *
dns_reverse_name (const char *ip)
{
  guint8 addr[16];

  if (ip == NULL)
    return NULL;
  if (inet_pton (AF_INET, ip, addr) == 1)
    return g_strdup_printf ("%u.%u.%u.%u.in-addr.arpa", addr[3], addr[2], addr[1], addr[0]);
  if (inet_pton (AF_INET6, ip, addr) == 1)
    {
      static const char hex[] = "0123456789abcdef";
      GString *name = g_string_sized_new (73);

      for (int i = 15; i >= 0; i--)
        g_string_append_printf (name, "%c.%c.", hex[addr[i] & 0xf], hex[addr[i] >> 4]);
      g_string_append (name, "ip6.arpa");
      return g_string_free (name, FALSE);
    }
  return NULL;
}

/* TEXT as 16 bytes, an IPv4 address in its IPv4-mapped IPv6 form, so that
 * "192.0.2.1" and "::ffff:192.0.2.1" (both appear in reports) compare equal. */
static gboolean
address_parse (const char *text, guint8 out[16])
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (text == NULL)
    return FALSE;
  if (inet_pton (AF_INET6, text, out) == 1)
    return TRUE;
  memcpy (out, mapped_prefix, sizeof mapped_prefix);
  return inet_pton (AF_INET, text, out + 12) == 1;
}

gboolean
dns_same_address (const char *a, const char *b)
{
  guint8 addr_a[16], addr_b[16];

  return address_parse (a, addr_a) && address_parse (b, addr_b)
         && memcmp (addr_a, addr_b, sizeof addr_a) == 0;
}
