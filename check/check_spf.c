/*
 * check_spf.c -- the SPF part of a domain check.
 *
 *   TXT DOMAIN, records starting "v=spf1 " (RFC 7208 4.5)
 *     none -> spf_missing with a starter record; several -> spf_multiple
 *     one  -> spf_ok, spf_record_parse() findings, then the include tree:
 *   walk     every include: and redirect= target is fetched and walked in
 *            record order, counting the terms that cost a DNS lookup and
 *            the lookups that find nothing (void), as receivers count them
 *            (RFC 7208 4.6.4: over 10 lookups or 2 void lookups is a
 *            permerror); loops, missing and duplicate records found on
 *            the way are findings
 *   type 99  an RR of the retired SPF type is reported
 *   coverage each IP the caller says sends legitimately is evaluated the
 *            way a receiver would (RFC 7208 4.6, with the limits of
 *            4.6.4): a result other than pass is a finding with the record
 *            that would let it pass
 *
 * Fetched records are kept per domain for the whole check, so a record
 * included twice is looked up once (the resolver memoises too, but the
 * parse would repeat).  Findings from included records are only the ones
 * that break the including domain: syntax errors and +all.  ptr and terms
 * with macros are counted but never match in the evaluation (spf_record.h).
 *
 * Longer than our usual file: the walk and the evaluation share the
 * fetched records and the RFC limits, and read best side by side.
 */
#include "check/check_private.h"
#include "check/spf_record.h"

#include <arpa/inet.h>
#include <string.h>

#define SPF_MAX_LOOKUPS 10       /* RFC 7208 4.6.4 */
#define SPF_MAX_VOID_LOOKUPS 2   /* RFC 7208 4.6.4 */
#define SPF_MAX_MX_NAMES 10      /* RFC 7208 4.6.4 */
/* The walk stops following includes this deep or past this many lookups:
 * far past what any receiver evaluates, and a hostile tree cannot make the
 * check itself send thousands of queries. */
#define SPF_WALK_MAX_DEPTH 10
#define SPF_WALK_MAX_LOOKUPS 30

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
  guint n_lookups, n_void;
  gboolean is_cut;        /* stopped at a cap: counts are lower bounds */
} SpfWalk;

/* One coverage evaluation: a receiver's state for one client IP. */
typedef struct
{
  SpfWalk *walk;
  guint8 ip[16];
  gsize ip_len;
  guint n_lookups, n_void;
} SpfEval;

typedef enum
{
  SPF_NONE, SPF_NEUTRAL, SPF_PASS, SPF_FAIL, SPF_SOFTFAIL, SPF_TEMPERROR, SPF_PERMERROR,
} SpfResult;

static const char *const spf_result_names[] = {
  "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror",
};

static void
spf_fetched_free (SpfFetched *f)
{
  spf_record_free (f->record);
  finding_list_free (f->findings);
  g_free (f);
}

/* TXT DOMAIN, fetched once per check.  (transfer none) */
static SpfFetched *
spf_fetch (SpfWalk *w, const char *domain)
{
  SpfFetched *f = g_hash_table_lookup (w->fetched, domain);

  if (f != NULL)
    return f;
  g_autoptr (DnsAnswer) answer = check_lookup (w->ctx, domain, DNS_T_TXT);
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  f = g_new0 (SpfFetched, 1);
  f->status = answer->status;
  f->is_failed = check_answer_failed (answer);
  f->is_void = check_answer_empty (answer);
  f->findings = finding_list_new ();
  for (guint i = 0; i < texts->len; i++)
    if (spf_record_is_spf (g_ptr_array_index (texts, i)) && f->n_records++ == 0)
      f->record = spf_record_parse (g_ptr_array_index (texts, i), f->findings);
  if (f->n_records > 1)
    g_clear_pointer (&f->record, spf_record_free);
  g_hash_table_insert (w->fetched, g_strdup (domain), f);
  return f;
}

/* Adds a walk finding unless one with the same code and subject exists:
 * an include reached along two paths is one problem. */
static void
walk_add (SpfWalk *w, const char *code, Severity severity, const char *subject,
          const char *fix, const char *message)
{
  if (finding_list_find (w->findings, code, subject) == NULL)
    finding_list_take (w->findings, finding_new (code, severity, subject, message, fix, NULL));
}

/* The findings of an included record that break the including domain. */
static void
walk_promote (SpfWalk *w, const char *domain, const SpfFetched *f)
{
  for (guint i = 0; i < f->findings->items->len; i++)
    {
      const Finding *found = g_ptr_array_index (f->findings->items, i);
      if (strcmp (found->code, "spf_syntax") != 0 && strcmp (found->code, "spf_plus_all") != 0)
        continue;
      g_autofree char *message = g_strdup_printf ("in the SPF record of %s: %s", domain,
                                                  found->message);
      g_autofree char *fix = g_strdup_printf ("ask the operator of %s to fix it, or stop "
                                              "including it", domain);
      walk_add (w, found->code, found->severity, found->subject, fix, message);
    }
}

/* A name a term looks up (its domain-spec or the current domain). */
static char *
term_target (const SpfTerm *term, const char *domain)
{
  return check_name_canonical (term->domain != NULL ? term->domain : domain);
}

static void walk_record (SpfWalk *w, const char *domain, const SpfRecord *rec,
                         guint depth);

/* include: or redirect= TARGET from the record being walked. */
static void
walk_target (SpfWalk *w, const SpfTerm *term, const char *target, guint depth)
{
  const char *how = term->kind == SPF_TERM_REDIRECT ? "redirect=" : "include:";

  for (guint i = 0; i < w->chain->len; i++)
    if (strcmp (g_ptr_array_index (w->chain, i), target) == 0)
      {
        g_autofree char *message = g_strdup_printf ("%s%s loops back to a record that "
                                                    "includes it: receivers return "
                                                    "permerror", how, target);
        walk_add (w, "spf_loop", SEVERITY_ERROR, target, "remove the include that closes "
                  "the loop", message);
        return;
      }
  if (depth >= SPF_WALK_MAX_DEPTH || w->n_lookups > SPF_WALK_MAX_LOOKUPS)
    {
      w->is_cut = TRUE;
      return;
    }
  SpfFetched *f = spf_fetch (w, target);
  g_autofree char *message = NULL;

  if (f->is_failed)
    {
      message = g_strdup_printf ("TXT lookup of %s failed (%s): receivers that meet the "
                                 "same failure return temperror", target,
                                 dns_status_name (f->status));
      walk_add (w, "spf_lookup_failed", SEVERITY_ERROR, target,
                check_failed_fix (f->status, "check that the name servers of that zone "
                                  "answer"), message);
      return;
    }
  if (f->is_void)
    w->n_void++;
  if (f->n_records == 0)
    {
      message = g_strdup_printf ("%s%s: %s publishes no SPF record, so receivers return "
                                 "permerror for all mail", how, target, target);
      walk_add (w, "spf_include_missing", SEVERITY_ERROR, target, "remove the term, or "
                "correct the name to the one the sender documents", message);
      return;
    }
  if (f->n_records > 1)
    {
      message = g_strdup_printf ("%s%s: %s publishes %u SPF records, so receivers return "
                                 "permerror for all mail", how, target, target, f->n_records);
      walk_add (w, "spf_multiple", SEVERITY_ERROR, target, "the operator of that domain "
                "must keep one record", message);
      return;
    }
  walk_promote (w, target, f);
  g_ptr_array_add (w->chain, (gpointer) target);
  walk_record (w, target, f->record, depth + 1);
  g_ptr_array_remove_index (w->chain, w->chain->len - 1);
}

/* The lookup of an a, mx or exists term, for the void count. */
static void
walk_lookup (SpfWalk *w, const SpfTerm *term, const char *domain)
{
  g_autofree char *name = term_target (term, domain);
  DnsType types[2] = { term->kind == SPF_TERM_MX ? DNS_T_MX : DNS_T_A, DNS_T_AAAA };
  guint n_types = term->kind == SPF_TERM_A ? 2 : 1;
  gboolean is_void = TRUE;

  for (guint i = 0; i < n_types && is_void; i++)
    {
      g_autoptr (DnsAnswer) answer = check_lookup (w->ctx, name, types[i]);
      if (check_answer_failed (answer))
        {
          g_autofree char *message = g_strdup_printf ("%s lookup of %s for %s failed (%s): "
                                                      "receivers that meet the same failure "
                                                      "return temperror",
                                                      dns_type_name (types[i]), name,
                                                      term->text, dns_status_name (answer->status));
          walk_add (w, "spf_lookup_failed", SEVERITY_ERROR, name,
                    check_failed_fix (answer->status, "check that the name servers of "
                                      "that zone answer"), message);
          return;
        }
      is_void = check_answer_empty (answer);
    }
  w->n_void += is_void ? 1 : 0;
}

/* Counts and follows the terms of REC (the record of DOMAIN) up to its
 * first all, then its redirect=. */
static void
walk_record (SpfWalk *w, const char *domain, const SpfRecord *rec, guint depth)
{
  g_string_append_printf (w->counts, "%s%s (%u)", w->counts->len ? ", " : "", domain,
                          rec->n_lookups);
  for (guint i = 0; i < rec->terms->len && !w->is_cut; i++)
    {
      const SpfTerm *term = g_ptr_array_index (rec->terms, i);
      if (term->kind == SPF_TERM_ALL)
        break;
      if (!spf_term_is_lookup (term))
        continue;
      w->n_lookups++;
      if (term->has_macro || term->kind == SPF_TERM_PTR)
        continue;
      if (w->n_lookups > SPF_WALK_MAX_LOOKUPS)
        w->is_cut = TRUE;
      else if (term->kind == SPF_TERM_INCLUDE)
        {
          g_autofree char *target = term_target (term, domain);
          walk_target (w, term, target, depth);
        }
      else
        walk_lookup (w, term, domain);
    }
  if (rec->redirect != NULL && rec->all == NULL && !w->is_cut)
    {
      g_autofree char *target = term_target (rec->redirect, domain);
      w->n_lookups++;
      if (!rec->redirect->has_macro)
        walk_target (w, rec->redirect, target, depth);
    }
}

/* ---- coverage: a receiver's evaluation for one IP (RFC 7208 4.6) ---- */

typedef enum
{
  MATCH_NO, MATCH_YES, MATCH_TEMPERROR, MATCH_PERMERROR,
} SpfMatch;

static SpfResult eval_domain (SpfEval *e, const char *domain, guint depth);

/* Has NAME an address of the client's family inside the term's prefix? */
static SpfMatch
eval_addresses (SpfEval *e, const char *name, const SpfTerm *term, gboolean count_void)
{
  g_autoptr (DnsAnswer) answer = check_lookup (e->walk->ctx, name,
                                               e->ip_len == 4 ? DNS_T_A : DNS_T_AAAA);
  guint prefix = e->ip_len == 4 ? term->cidr4 : term->cidr6;

  if (check_answer_failed (answer))
    return MATCH_TEMPERROR;
  if (check_answer_empty (answer) && count_void)
    e->n_void++;
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  for (guint i = 0; i < texts->len; i++)
    {
      guint8 addr[16];
      gsize len;
      if (spf_ip_parse (g_ptr_array_index (texts, i), addr, &len)
          && spf_ip_in_net (addr, len, prefix, e->ip, e->ip_len))
        return MATCH_YES;
    }
  return MATCH_NO;
}

static SpfMatch
eval_mx (SpfEval *e, const char *name, const SpfTerm *term)
{
  g_autoptr (DnsAnswer) answer = check_lookup (e->walk->ctx, name, DNS_T_MX);

  if (check_answer_failed (answer))
    return MATCH_TEMPERROR;
  g_autoptr (GPtrArray) hosts = check_answer_texts (answer);
  if (hosts->len == 0)
    e->n_void++;
  if (hosts->len > SPF_MAX_MX_NAMES)
    return MATCH_PERMERROR;
  for (guint i = 0; i < hosts->len; i++)
    {
      SpfMatch m = eval_addresses (e, g_ptr_array_index (hosts, i), term, FALSE);
      if (m != MATCH_NO)
        return m;
    }
  return MATCH_NO;
}

static SpfMatch
eval_term (SpfEval *e, const SpfTerm *term, const char *domain, guint depth)
{
  if (term->kind == SPF_TERM_ALL)
    return MATCH_YES;
  if (term->kind == SPF_TERM_IP4 || term->kind == SPF_TERM_IP6)
    return spf_ip_in_net (term->addr, term->addr_len,
                          term->kind == SPF_TERM_IP4 ? term->cidr4 : term->cidr6,
                          e->ip, e->ip_len) ? MATCH_YES : MATCH_NO;
  if (!spf_term_is_lookup (term))
    return MATCH_NO;
  if (++e->n_lookups > SPF_MAX_LOOKUPS)
    return MATCH_PERMERROR;
  if (term->has_macro || term->kind == SPF_TERM_PTR)
    return MATCH_NO;   /* not evaluated: see spf_record.h */

  g_autofree char *name = term_target (term, domain);
  if (term->kind == SPF_TERM_A)
    return eval_addresses (e, name, term, TRUE);
  if (term->kind == SPF_TERM_MX)
    return eval_mx (e, name, term);
  if (term->kind == SPF_TERM_EXISTS)
    {
      g_autoptr (DnsAnswer) answer = check_lookup (e->walk->ctx, name, DNS_T_A);
      if (check_answer_failed (answer))
        return MATCH_TEMPERROR;
      e->n_void += check_answer_empty (answer) ? 1 : 0;
      return check_answer_empty (answer) ? MATCH_NO : MATCH_YES;
    }
  SpfResult r = eval_domain (e, name, depth + 1);   /* include (RFC 7208 5.2) */
  return r == SPF_PASS ? MATCH_YES : r == SPF_TEMPERROR ? MATCH_TEMPERROR
         : r == SPF_NONE || r == SPF_PERMERROR ? MATCH_PERMERROR : MATCH_NO;
}

static SpfResult
eval_record (SpfEval *e, const char *domain, const SpfRecord *rec, guint depth)
{
  static const char qualifiers[] = "+-~?";
  static const SpfResult results[] = { SPF_PASS, SPF_FAIL, SPF_SOFTFAIL, SPF_NEUTRAL };

  if (!rec->is_valid)
    return SPF_PERMERROR;
  for (guint i = 0; i < rec->terms->len; i++)
    {
      const SpfTerm *term = g_ptr_array_index (rec->terms, i);
      SpfMatch m = eval_term (e, term, domain, depth);
      if (m == MATCH_PERMERROR || e->n_void > SPF_MAX_VOID_LOOKUPS)
        return SPF_PERMERROR;
      if (m == MATCH_TEMPERROR)
        return SPF_TEMPERROR;
      if (m == MATCH_YES)
        return results[strchr (qualifiers, term->qualifier) - qualifiers];
    }
  if (rec->redirect == NULL || rec->all != NULL)
    return SPF_NEUTRAL;
  if (++e->n_lookups > SPF_MAX_LOOKUPS)
    return SPF_PERMERROR;
  if (rec->redirect->has_macro)
    return SPF_NEUTRAL;
  g_autofree char *target = term_target (rec->redirect, domain);
  SpfResult r = eval_domain (e, target, depth + 1);
  return r == SPF_NONE ? SPF_PERMERROR : r;
}

static SpfResult
eval_domain (SpfEval *e, const char *domain, guint depth)
{
  if (depth > SPF_WALK_MAX_DEPTH)
    return SPF_PERMERROR;
  SpfFetched *f = spf_fetch (e->walk, domain);
  if (f->is_failed)
    return SPF_TEMPERROR;
  if (f->is_void && ++e->n_void > SPF_MAX_VOID_LOOKUPS)
    return SPF_PERMERROR;
  if (f->n_records == 0)
    return SPF_NONE;
  if (f->n_records > 1)
    return SPF_PERMERROR;
  return eval_record (e, domain, f->record, depth);
}

/* spf_source_not_covered for each sending IP that does not pass; every
 * finding carries the record with all of them added. */
static void
check_coverage (SpfWalk *w, const SpfRecord *rec)
{
  const CheckDomainInput *in = w->ctx->input;
  g_autoptr (GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);  /* per failure */
  g_autoptr (GPtrArray) added = g_ptr_array_new ();   /* distinct TERMS, borrowed */
  g_autoptr (GArray) failed = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) results = g_array_new (FALSE, FALSE, sizeof (SpfResult));

  for (guint i = 0; in->sending_ips != NULL && in->sending_ips[i] != NULL; i++)
    {
      SpfEval e = { .walk = w };
      char text[INET6_ADDRSTRLEN];
      if (!spf_ip_parse (in->sending_ips[i], e.ip, &e.ip_len))
        continue;
      SpfResult r = eval_record (&e, w->ctx->domain, rec, 0);
      if (r == SPF_PASS)
        continue;
      g_array_append_val (failed, i);
      g_array_append_val (results, r);
      inet_ntop (e.ip_len == 4 ? AF_INET : AF_INET6, e.ip, text, sizeof text);
      char *term = g_strdup_printf ("%s:%s", e.ip_len == 4 ? "ip4" : "ip6", text);
      g_ptr_array_add (terms, term);
      if (!g_ptr_array_find_with_equal_func (added, term, g_str_equal, NULL))
        g_ptr_array_add (added, term);
    }
  g_ptr_array_add (added, NULL);
  g_autofree char *record = spf_record_format (rec, NULL, (const char *const *) added->pdata);
  for (guint k = 0; k < failed->len; k++)
    {
      guint i = g_array_index (failed, guint, k);
      const char *ip = in->sending_ips[i];
      const char *label = in->sending_labels != NULL ? in->sending_labels[i] : NULL;
      g_autofree char *named = label != NULL ? g_strdup_printf ("%s (%s)", ip, label)
                               : g_strdup (ip);
      g_autofree char *fix = g_strdup_printf ("add %s (or the sender's include) to the SPF "
                                              "record", (char *) g_ptr_array_index (terms, k));
      finding_list_add (w->ctx->findings, "spf_source_not_covered", SEVERITY_WARNING, ip, fix,
                        record, "%s sends mail as %s, but SPF gives it %s", named,
                        w->ctx->domain,
                        spf_result_names[g_array_index (results, SpfResult, k)]);
    }
}

/* ---- the part ---- */

static SpfWalk *
spf_walk_new (CheckContext *ctx)
{
  SpfWalk *w = g_new0 (SpfWalk, 1);

  w->ctx = ctx;
  w->fetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) spf_fetched_free);
  w->chain = g_ptr_array_new ();
  w->findings = finding_list_new ();
  w->counts = g_string_new (NULL);
  return w;
}

static void
spf_walk_free (SpfWalk *w)
{
  g_hash_table_unref (w->fetched);
  g_ptr_array_unref (w->chain);
  finding_list_free (w->findings);
  g_string_free (w->counts, TRUE);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpfWalk, spf_walk_free)

static void
add_missing (CheckContext *ctx)
{
  const CheckDomainInput *in = ctx->input;
  g_autoptr (GString) record = g_string_new ("v=spf1 mx");
  g_autoptr (GString) labels = g_string_new (NULL);

  for (guint i = 0; in->sending_ips != NULL && in->sending_ips[i] != NULL; i++)
    {
      guint8 ip[16];
      gsize len;
      if (spf_ip_parse (in->sending_ips[i], ip, &len))
        g_string_append_printf (record, " %s:%s", len == 4 ? "ip4" : "ip6",
                                in->sending_ips[i]);
      if (in->sending_labels != NULL && in->sending_labels[i] != NULL
          && strstr (labels->str, in->sending_labels[i]) == NULL)
        g_string_append_printf (labels, "%s%s", labels->len ? ", " : "", in->sending_labels[i]);
    }
  g_string_append (record, " -all");
  g_autofree char *fix = g_strdup_printf ("publish this TXT record at %s, with an include: "
                                          "for each service that sends as the domain (%s), "
                                          "as the service documents", ctx->domain,
                                          labels->len ? labels->str
                                          : "newsletter, CRM, ticketing");
  finding_list_add (ctx->findings, "spf_missing", SEVERITY_ERROR, "", fix, record->str,
                    "no SPF record at %s: SPF gives none for all its mail, and DMARC has only "
                    "DKIM to go on", ctx->domain);
}

/* The domain's own record: found, walked and judged; NULL after
 * spf_lookup_failed, spf_missing or spf_multiple.  (transfer none) */
static const SpfRecord *
main_record (SpfWalk *w)
{
  CheckContext *ctx = w->ctx;
  SpfFetched *f = spf_fetch (w, ctx->domain);

  if (f->is_failed)
    finding_list_add (ctx->findings, "spf_lookup_failed", SEVERITY_ERROR, "",
                      check_failed_fix (f->status,
                                        "check that the name servers of the zone answer"),
                      NULL,
                      "TXT lookup of %s failed (%s): receivers that meet the same failure "
                      "return temperror", ctx->domain, dns_status_name (f->status));
  else if (f->n_records == 0)
    add_missing (ctx);
  else if (f->n_records > 1)
    finding_list_add (ctx->findings, "spf_multiple", SEVERITY_ERROR, "",
                      "merge them into one record", NULL, "%u SPF records at %s: receivers "
                      "return permerror (RFC 7208 3.2)", f->n_records, ctx->domain);
  if (f->record == NULL)
    return NULL;

  g_ptr_array_add (w->chain, (gpointer) ctx->domain);
  walk_record (w, ctx->domain, f->record, 0);
  if (f->record->is_valid)
    finding_list_add (ctx->findings, "spf_ok", SEVERITY_OK, "", NULL, NULL,
                      "SPF record: %s (%s%u DNS lookups)", f->record->text,
                      w->is_cut ? "at least " : "", w->n_lookups);
  check_findings_move (ctx->findings, f->findings);
  check_findings_move (ctx->findings, w->findings);
  if (w->n_lookups > SPF_MAX_LOOKUPS)
    finding_list_add (ctx->findings, "spf_lookup_limit", SEVERITY_ERROR, "",
                      "replace includes by the ip4:/ip6: ranges they stand for, drop "
                      "senders no longer used, or move a sender to a subdomain", NULL,
                      "%s%u DNS lookups, over the limit of %u: receivers return permerror "
                      "(lookups per record: %s)", w->is_cut ? "at least " : "", w->n_lookups,
                      SPF_MAX_LOOKUPS, w->counts->str);
  if (w->n_void > SPF_MAX_VOID_LOOKUPS)
    finding_list_add (ctx->findings, "spf_void_limit", SEVERITY_ERROR, "",
                      "remove the include:, a:, mx: and exists: terms that name domains "
                      "without records", NULL, "%u lookups find no record (void), over the "
                      "limit of %u: receivers return permerror", w->n_void,
                      SPF_MAX_VOID_LOOKUPS);
  return f->record;
}

static void
check_type99 (CheckContext *ctx)
{
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, ctx->domain, DNS_T_SPF);

  if (check_answer_failed (answer))
    finding_list_add (ctx->findings, "spf_lookup_failed", SEVERITY_ERROR, "",
                      check_failed_fix (answer->status, "check that the name servers of the "
                                        "zone answer queries of every type"), NULL, "type 99 (SPF) lookup of %s failed (%s)", ctx->domain,
                      dns_status_name (answer->status));
  else if (!check_answer_empty (answer))
    finding_list_add (ctx->findings, "spf_type99", SEVERITY_WARNING, "",
                      "delete the record of type SPF (99); keep the TXT record", NULL,
                      "%s also has a record of type SPF (99), retired by RFC 7208 3.1: "
                      "receivers ignore it, and it drifts out of date", ctx->domain);
}

void
check_spf_run (CheckContext *ctx)
{
  g_autoptr (SpfWalk) w = spf_walk_new (ctx);
  const SpfRecord *rec = main_record (w);

  check_type99 (ctx);
  if (rec != NULL)
    check_coverage (w, rec);
}
