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
 *            way a receiver would: check_spf_eval.c
 *
 * Fetched records are kept per domain for the whole check (SpfWalk, shared
 * with check_spf_eval.c through check_private.h), so a record included
 * twice is looked up once (the resolver memoises too, but the parse would
 * repeat).  Findings from included records are only the ones that break
 * the including domain: syntax errors and +all.  ptr and terms with macros
 * are counted but never followed (spf_record.h).
 */
#include "check/check_private.h"
#include "check/spf_record.h"

#include <string.h>

/* The walk stops past this many lookups: a hostile tree cannot make the
 * check itself send thousands of queries. */
#define SPF_WALK_MAX_LOOKUPS 30

static void
spf_fetched_free (SpfFetched *f)
{
  spf_record_free (f->record);
  finding_list_free (f->findings);
  g_free (f);
}

SpfFetched *
check_spf_fetch (SpfWalk *w, const char *domain)
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

char *
check_spf_term_target (const SpfTerm *term, const char *domain)
{
  return check_name_canonical (term->domain != NULL ? term->domain : domain);
}

static void walk_record (SpfWalk *w, const char *domain, const SpfRecord *rec,
                         guint depth);

/* A lookup that found nothing: counted, and its term kept for the fix. */
static void
walk_void (SpfWalk *w, const char *how, const char *name)
{
  w->n_void++;
  g_string_append_printf (w->voids, "%s%s%s", w->voids->len ? ", " : "", how, name);
}

/* include: or redirect= TARGET from the record being walked. */
static void
walk_target (SpfWalk *w, const SpfTerm *term, const char *target, guint depth)
{
  const char *how = term->kind == SPF_TERM_REDIRECT ? "redirect=" : "include:";

  for (guint i = 0; i < w->chain->len; i++)
    if (strcmp (g_ptr_array_index (w->chain, i), target) == 0)
      {
        /* The term sits in the record last entered: name it, since the
         * loop may close several includes away from the checked domain. */
        const char *where = g_ptr_array_index (w->chain, w->chain->len - 1);
        g_autofree char *message = g_strdup_printf ("%s%s in the SPF record of %s loops "
                                                    "back to a record that includes it: "
                                                    "receivers return permerror", how,
                                                    target, where);
        g_autofree char *fix = g_strdup_printf ("remove %s%s from the SPF record of %s",
                                                how, target, where);
        walk_add (w, "spf_loop", SEVERITY_ERROR, target, fix, message);
        return;
      }
  if (depth >= SPF_WALK_MAX_DEPTH || w->n_lookups > SPF_WALK_MAX_LOOKUPS)
    {
      w->is_cut = TRUE;
      return;
    }
  SpfFetched *f = check_spf_fetch (w, target);
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
    walk_void (w, how, target);
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
  g_autofree char *name = check_spf_term_target (term, domain);
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
  if (is_void && term->domain != NULL)
    walk_void (w, "", term->text);   /* as written, so that it can be found */
  else if (is_void)
    walk_void (w, term->kind == SPF_TERM_MX ? "mx:" : "a:", name);
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
          g_autofree char *target = check_spf_term_target (term, domain);
          walk_target (w, term, target, depth);
        }
      else
        walk_lookup (w, term, domain);
    }
  if (rec->redirect != NULL && rec->all == NULL && !w->is_cut)
    {
      g_autofree char *target = check_spf_term_target (rec->redirect, domain);
      w->n_lookups++;
      if (!rec->redirect->has_macro)
        walk_target (w, rec->redirect, target, depth);
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
  w->voids = g_string_new (NULL);
  return w;
}

static void
spf_walk_free (SpfWalk *w)
{
  g_hash_table_unref (w->fetched);
  g_ptr_array_unref (w->chain);
  finding_list_free (w->findings);
  g_string_free (w->counts, TRUE);
  g_string_free (w->voids, TRUE);
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
  SpfFetched *f = check_spf_fetch (w, ctx->domain);

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
    {
      g_autofree char *fix = g_strdup_printf ("remove or correct the terms that name "
                                              "domains without records: %s", w->voids->str);
      finding_list_add (ctx->findings, "spf_void_limit", SEVERITY_ERROR, "", fix, NULL,
                        "%u lookups find no record (void), over the limit of %u: receivers "
                        "return permerror", w->n_void, SPF_MAX_VOID_LOOKUPS);
    }
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
    check_spf_eval_coverage (w, rec);
}
