/*
 * spf_record.h -- one SPF record (RFC 7208), parsed without DNS.
 *
 * spf_record_parse() reads the text of a TXT record that starts with
 * "v=spf1" into its terms and says what is wrong with it as findings, each
 * with the term as written for subject:
 *
 *   spf_syntax              a term receivers cannot parse (permerror: SPF
 *                           then fails for every message)
 *   spf_plus_all            all or +all: anyone may send as the domain
 *   spf_neutral_all         ?all
 *   spf_softfail_all        ~all
 *   spf_no_all              neither all nor redirect= (subject "")
 *   spf_cidr_host_bits      ip4:192.168.0.1/16: the fix and the corrected
 *                           record name the network (192.168.0.0/16)
 *   spf_ptr                 ptr, deprecated by RFC 7208 5.5
 *   spf_redirect_with_all   redirect= next to all, which wins
 *
 * Macros (%{i}, %{d2}, …) are checked against RFC 7208 7.1 but never
 * expanded: a term with a macro counts as a DNS lookup, and the coverage
 * evaluation in check_spf.c treats it as not matching.
 *
 * The IP helpers work on addresses as bytes (4 for IPv4, 16 for IPv6).
 */
#ifndef DMARCSTAT_CHECK_SPF_RECORD_H
#define DMARCSTAT_CHECK_SPF_RECORD_H

#include <glib.h>
#include "check/finding.h"

typedef enum
{
  SPF_TERM_ALL,
  SPF_TERM_INCLUDE,
  SPF_TERM_A,
  SPF_TERM_MX,
  SPF_TERM_PTR,
  SPF_TERM_IP4,
  SPF_TERM_IP6,
  SPF_TERM_EXISTS,
  SPF_TERM_REDIRECT,
  SPF_TERM_EXP,
  SPF_TERM_MODIFIER,   /* unknown name=value, ignored by receivers */
  SPF_TERM_INVALID,    /* reported as spf_syntax */
} SpfTermKind;

typedef struct
{
  SpfTermKind kind;
  char qualifier;        /* '+', '-', '~' or '?'; '+' when not written */
  char *text;            /* the term as written */
  char *domain;          /* domain-spec; NULL when absent (a, mx, ptr: the
                          * domain being evaluated) */
  gboolean has_macro;    /* DOMAIN holds a macro: counted, not evaluated */
  guint8 addr[16];       /* ip4/ip6: the address as written */
  gsize addr_len;        /* 4 or 16 for ip4/ip6, else 0 */
  guint cidr4, cidr6;    /* prefix lengths; 32 and 128 when not written */
  char *corrected;       /* ip4/ip6 with host bits set: the network as it
                          * should be written; else NULL */
} SpfTerm;

typedef struct
{
  char *text;               /* the record */
  GPtrArray *terms;         /* SpfTerm*, written order, owned */
  gboolean is_valid;        /* no syntax error: receivers evaluate it */
  const SpfTerm *all;       /* the first all term, or NULL (borrowed) */
  const SpfTerm *redirect;  /* redirect=, or NULL (borrowed) */
  guint n_lookups;          /* include a mx ptr exists before all, and
                             * redirect= when there is no all */
} SpfRecord;

/* TRUE for the mechanisms that cost a DNS lookup (RFC 7208 4.6.4):
 * include, a, mx, ptr, exists.  (redirect= costs one too.) */
gboolean spf_term_is_lookup (const SpfTerm *term);

/* TRUE when TEXT is an SPF record: "v=spf1" (any case) followed by a space
 * or the end (RFC 7208 4.5). */
gboolean spf_record_is_spf (const char *text);

/* Parses TEXT and appends its findings to FINDINGS (NULL: none are
 * kept).  Never NULL.  (transfer full) */
SpfRecord *spf_record_parse (const char *text, FindingList *findings);
void spf_record_free (SpfRecord *record);

/* The record as it should be published: terms with host bits corrected,
 * ADD_TERMS (NULL-terminated, may be NULL) inserted before the first all
 * or redirect= (or at the end), and the first all term replaced by
 * NEW_ALL (appended when there is none) unless NEW_ALL is NULL.
 * (transfer full) */
char *spf_record_format (const SpfRecord *record, const char *new_all,
                         const char *const *add_terms);

/* An IPv4 or IPv6 address in text form into bytes (an IPv4-mapped IPv6
 * address becomes its IPv4 address, as RFC 7208 5.6 evaluates it);
 * FALSE when TEXT is not an address. */
gboolean spf_ip_parse (const char *text, guint8 addr_out[16], gsize *len_out);

/* TRUE when ADDR (ADDR_LEN bytes) lies in NET/PREFIX of the same family. */
gboolean spf_ip_in_net (const guint8 *net, gsize net_len, guint prefix,
                        const guint8 *addr, gsize addr_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpfRecord, spf_record_free)

#endif
