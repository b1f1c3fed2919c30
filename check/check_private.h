/*
 * check_private.h -- what the DNS checks of check/ share and nobody else
 * sees.
 *
 *   check_domain.c   entry point, the context, DNS helpers, JSON output
 *   check_dmarc.c    _dmarc record, inheritance, external report hosts
 *   check_spf.c      SPF record, include tree, limits, sender coverage
 *   check_dkim.c     one key record per selector
 *   check_mx.c       MX hosts, their addresses and reverse DNS
 *
 * Every lookup goes through check_lookup(), which lower-cases the name;
 * every answer is read through check_answer_failed()/_empty() so that the
 * rule "only OK, NODATA and NXDOMAIN are answers; anything else is a
 * *_lookup_failed finding" lives in one place.
 */
#ifndef DMARCSTAT_CHECK_PRIVATE_H
#define DMARCSTAT_CHECK_PRIVATE_H

#include "check/check_domain.h"
#include "dns/message.h"

typedef struct
{
  DnsResolver *resolver;          /* borrowed */
  const CheckDomainInput *input;  /* borrowed */
  const char *domain;             /* lower case, no final dot; owned by check_domain() */
  const char *org_domain;         /* the same for the organisational domain */
  FindingList *findings;          /* borrowed: where findings go, in order */
} CheckContext;

void check_dmarc_run (CheckContext *ctx);
void check_spf_run (CheckContext *ctx);
void check_dkim_run (CheckContext *ctx);
void check_mx_run (CheckContext *ctx);

/* NAME in lower case without a final dot: the form every name is looked
 * up and compared in.  (transfer full) */
char *check_name_canonical (const char *name);
/* dns_lookup() of NAME in lower case without a final dot.  (transfer full) */
DnsAnswer *check_lookup (CheckContext *ctx, const char *name, DnsType type);
/* TRUE for every status but OK, NODATA and NXDOMAIN. */
gboolean check_answer_failed (const DnsAnswer *answer);
/* The fix for a failed lookup with STATUS: FIX, unless lookups were
 * switched off, which no name server can fix. */
const char *check_failed_fix (DnsStatus status, const char *fix);
/* TRUE for NODATA, NXDOMAIN and an OK answer without records. */
gboolean check_answer_empty (const DnsAnswer *answer);
/* The answer's record texts, sorted (bytewise), so that output does not
 * depend on the order the server sent them in.  (transfer container) */
GPtrArray *check_answer_texts (const DnsAnswer *answer);
/* The organisational domain of NAME by the caller's function, or its last
 * two labels.  (transfer full) */
char *check_org_domain_of (const CheckContext *ctx, const char *name);
/* Moves every finding of FROM to the end of TO. */
void check_findings_move (FindingList *to, FindingList *from);

#endif
