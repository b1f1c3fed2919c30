/*
 * check_private.h -- what the DNS checks of check/ share and nobody else
 * sees.
 *
 *   check_domain.c   entry point, the context, DNS helpers, JSON output
 *   check_dmarc.c    _dmarc record, inheritance, external report hosts
 *   check_spf.c      SPF record, include tree, limits
 *   check_spf_eval.c SPF sender coverage: a receiver's evaluation per IP
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
#include "check/spf_record.h"
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

/* ---- SPF: what check_spf.c (the walk) and check_spf_eval.c (sender
 * coverage) share: the records fetched once per check, and the limits. */

#define SPF_MAX_LOOKUPS 10       /* RFC 7208 4.6.4 */
#define SPF_MAX_VOID_LOOKUPS 2   /* RFC 7208 4.6.4 */
/* The walk stops following includes this deep, and the evaluation returns
 * permerror: far past what any receiver evaluates. */
#define SPF_WALK_MAX_DEPTH 10

/* What TXT DOMAIN held, for the include tree. */
typedef struct
{
  DnsStatus status;
  gboolean is_failed;     /* check_answer_failed(): no answer at all */
  gboolean is_void;       /* NXDOMAIN or NODATA */
  guint n_records;        /* SPF records among the TXT records */
  SpfRecord *record;      /* the one record when n_records == 1, owned */
  FindingList *findings;  /* its parse findings, owned */
} SpfFetched;

typedef struct
{
  CheckContext *ctx;
  GHashTable *fetched;    /* domain -> SpfFetched*, both owned */
  GPtrArray *chain;       /* domains being walked, borrowed from FETCHED's keys */
  FindingList *findings;  /* walk findings, owned */
  GString *counts;        /* "example.com (3), _spf.example.net (1)" */
  GString *voids;         /* the void terms: "a:nx.example.com, include:gone.example" */
  guint n_lookups, n_void;
  gboolean is_cut;        /* stopped at a cap: counts are lower bounds */
} SpfWalk;

/* TXT DOMAIN, fetched once per check (W keeps it).  (transfer none) */
SpfFetched *check_spf_fetch (SpfWalk *w, const char *domain);
/* The name TERM looks up: its domain-spec, else DOMAIN, canonical.
 * (transfer full) */
char *check_spf_term_target (const SpfTerm *term, const char *domain);
/* spf_source_not_covered for each sending IP of the input that REC (the
 * domain's own record) does not give pass. */
void check_spf_eval_coverage (SpfWalk *w, const SpfRecord *rec);

#endif
