/*
 * check_spf_eval.c -- SPF sender coverage: each IP the caller says sends
 * legitimately for the domain (DKIM-aligned sources in the reports, or
 * --source) is evaluated the way a receiver would (RFC 7208 4.6, with the
 * limits of 4.6.4); a result other than pass is an spf_source_not_covered
 * finding with the record that would let it pass.
 *
 * The evaluation reads the records check_spf.c fetched for its walk
 * (check_spf_fetch), so a record is fetched and parsed once per check
 * whatever the number of IPs.  Unlike the walk, it counts lookups per IP
 * and stops at the first match, as receivers do.  ptr and terms with
 * macros are counted but never match (spf_record.h): an IP they would
 * cover is reported, which errs on the side of the sysadmin adding a term.
 */
#include "check/check_private.h"
#include "check/spf_record.h"

#include <arpa/inet.h>
#include <string.h>

#define SPF_MAX_MX_NAMES 10      /* RFC 7208 4.6.4 */

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

  g_autofree char *name = check_spf_term_target (term, domain);
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
  g_autofree char *target = check_spf_term_target (rec->redirect, domain);
  SpfResult r = eval_domain (e, target, depth + 1);
  return r == SPF_NONE ? SPF_PERMERROR : r;
}

static SpfResult
eval_domain (SpfEval *e, const char *domain, guint depth)
{
  if (depth > SPF_WALK_MAX_DEPTH)
    return SPF_PERMERROR;
  SpfFetched *f = check_spf_fetch (e->walk, domain);
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

/* Every finding carries the record with all the failing IPs added, so
 * that one paste covers them all. */
void
check_spf_eval_coverage (SpfWalk *w, const SpfRecord *rec)
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
