/*
 * advise_fix.c -- what a failing source's reports say, and the concrete
 * fix.
 *
 * The evidence is the source's recent failing mail: the domains SPF and
 * DKIM passed or failed for.  Each kind of evidence maps to one fix:
 *
 *   DKIM passes for another d= (an ESP signs as itself)  -> sign with d=DOMAIN
 *   DKIM fails for d=DOMAIN                    -> the key in DNS does not match
 *   no DKIM at all                              -> sign with d=DOMAIN
 *   SPF fails for a domain under DOMAIN         -> add the source to its SPF
 *   SPF passes for another domain (bounce domain) -> a bounce domain under DOMAIN
 *   SPF/DKIM pass for a related domain but do not align -> strict alignment
 *
 * DKIM comes first: p=reject needs it anyway (RFC 9989).
 */
#include "advise/advise_private.h"

#include <string.h>

static gboolean
auth_is_other_pass (const AdviseAuth *a, const char *own)
{
  return strcmp (a->result, "pass") == 0 && !advise_domain_is_related (a->domain, own);
}

/* The evidence on a source's recent failing mail. */
typedef struct
{
  GPtrArray *dkim_other;    /* "d=X (selector s)" passing for another domain */
  GPtrArray *dkim_own_fail; /* "d=X (selector s): fail" */
  GPtrArray *spf_other;     /* other domains SPF passes for */
  GPtrArray *spf_own_fail;  /* "X (softfail)" */
  GPtrArray *strict;        /* related domains that pass but did not align */
  const char *dkim_other_domain;  /* the first of dkim_other, borrowed */
  const char *spf_own_domain;     /* the first of spf_own_fail, borrowed */
  gboolean has_dkim;
} Evidence;

static void
evidence_clear (Evidence *e)
{
  g_clear_pointer (&e->dkim_other, g_ptr_array_unref);
  g_clear_pointer (&e->dkim_own_fail, g_ptr_array_unref);
  g_clear_pointer (&e->spf_other, g_ptr_array_unref);
  g_clear_pointer (&e->spf_own_fail, g_ptr_array_unref);
  g_clear_pointer (&e->strict, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Evidence, evidence_clear)

/* Adds TEXT (taken) unless present or the list is full. */
static void
list_add (GPtrArray *list, char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (strcmp (g_ptr_array_index (list, i), text) == 0)
      {
        g_free (text);
        return;
      }
  if (list->len < 3)
    g_ptr_array_add (list, text);
  else
    g_free (text);
}

static char *
dkim_label (const AdviseAuth *a)
{
  if (a->selector != NULL && *a->selector != '\0')
    return g_strdup_printf ("d=%s (selector %s)", a->domain, a->selector);
  return g_strdup_printf ("d=%s", a->domain);
}

static void
evidence_add (Evidence *e, const AdviseAuth *a, const char *own)
{
  gboolean pass = strcmp (a->result, "pass") == 0;
  gboolean related = advise_domain_is_related (a->domain, own);

  if (a->kind == ADVISE_AUTH_DKIM && *a->domain != '\0')
    e->has_dkim = TRUE;
  if (*a->domain == '\0')
    return;
  if (pass && related)
    list_add (e->strict, g_strdup_printf ("%s%s", a->kind == ADVISE_AUTH_DKIM ? "DKIM d=" : "SPF for ",
                                          a->domain));
  else if (pass && a->kind == ADVISE_AUTH_DKIM)
    list_add (e->dkim_other, dkim_label (a));
  else if (pass)
    list_add (e->spf_other, g_strdup (a->domain));
  else if (related && a->kind == ADVISE_AUTH_DKIM)
    {
      g_autofree char *label = dkim_label (a);
      list_add (e->dkim_own_fail, g_strdup_printf ("%s: %s", label, a->result));
    }
  else if (related)
    list_add (e->spf_own_fail, g_strdup_printf ("%s (%s)", a->domain, a->result));
}

static void
evidence_collect (Evidence *e, const AdviseSource *s, const char *own, gboolean on_pass)
{
  e->dkim_other = g_ptr_array_new_with_free_func (g_free);
  e->dkim_own_fail = g_ptr_array_new_with_free_func (g_free);
  e->spf_other = g_ptr_array_new_with_free_func (g_free);
  e->spf_own_fail = g_ptr_array_new_with_free_func (g_free);
  e->strict = g_ptr_array_new_with_free_func (g_free);
  for (guint j = 0; j < s->auth->len; j++)
    {
      const AdviseAuth *a = g_ptr_array_index (s->auth, j);
      if (a->is_recent && a->on_pass == on_pass)
        evidence_add (e, a, own);
    }
  for (guint j = 0; j < s->auth->len && e->dkim_other_domain == NULL; j++)
    {
      const AdviseAuth *a = g_ptr_array_index (s->auth, j);
      if (a->is_recent && a->kind == ADVISE_AUTH_DKIM && auth_is_other_pass (a, own))
        e->dkim_other_domain = a->domain;
    }
  for (guint j = 0; j < s->auth->len && e->spf_own_domain == NULL; j++)
    {
      const AdviseAuth *a = g_ptr_array_index (s->auth, j);
      if (a->is_recent && !a->on_pass && a->kind == ADVISE_AUTH_SPF
          && strcmp (a->result, "pass") != 0 && advise_domain_is_related (a->domain, own))
        e->spf_own_domain = a->domain;
    }
}

static char *
list_join (GPtrArray *list)
{
  g_ptr_array_add (list, NULL);
  char *text = g_strjoinv (", ", (char **) list->pdata);
  g_ptr_array_remove_index (list, list->len - 1);
  return text;
}

static void
problem_evidence (GString *p, Evidence *e)
{
  if (e->spf_other->len > 0)
    {
      g_autofree char *l = list_join (e->spf_other);
      g_string_append_printf (p, "; SPF passes only for %s, not an aligned domain", l);
    }
  if (e->spf_own_fail->len > 0)
    {
      g_autofree char *l = list_join (e->spf_own_fail);
      g_string_append_printf (p, "; SPF does not pass for %s", l);
    }
  if (e->dkim_other->len > 0)
    {
      g_autofree char *l = list_join (e->dkim_other);
      g_string_append_printf (p, "; DKIM passes only for %s", l);
    }
  if (e->dkim_own_fail->len > 0)
    {
      g_autofree char *l = list_join (e->dkim_own_fail);
      g_string_append_printf (p, "; DKIM fails for %s", l);
    }
  if (e->strict->len > 0)
    {
      g_autofree char *l = list_join (e->strict);
      g_string_append_printf (p, "; %s pass%s but do%s not align strictly", l,
                              e->strict->len == 1 ? "es" : "", e->strict->len == 1 ? "es" : "");
    }
  if (!e->has_dkim)
    g_string_append (p, "; no DKIM signature");
}

/* A known sender: its name, the DKIM setup it offers, and the exact SPF
 * mechanism it documents, e.g. "SendGrid: sign with DKIM d=example.com
 * (…); or add include:sendgrid.net to the SPF record of example.com". */
static char *
fix_text_sender (Evidence *e, const char *own, const AdviseSource *s)
{
  GString *fix = g_string_new (NULL);
  const char *spf_domain = e->spf_own_domain != NULL ? e->spf_own_domain : own;

  g_string_append_printf (fix, "%s: sign with DKIM d=%s", s->sender, own);
  if (s->sender_dkim != NULL)
    g_string_append_printf (fix, " (%s)", s->sender_dkim);
  if (s->sender_spf != NULL)
    g_string_append_printf (fix, "; or add %s to the SPF record of %s", s->sender_spf,
                            spf_domain);
  return g_string_free (fix, FALSE);
}

static char *
fix_text (Evidence *e, const char *own, const AdviseSource *s)
{
  const char *source = s->source;

  if (s->sender != NULL)
    return fix_text_sender (e, own, s);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (e->dkim_other_domain != NULL)
    g_ptr_array_add (parts, g_strdup_printf ("have this sender sign with DKIM d=%s (a custom "
                     "DKIM domain; it signs as d=%s now)", own, e->dkim_other_domain));
  else if (e->dkim_own_fail->len > 0)
    g_ptr_array_add (parts, g_strdup_printf ("check that the DKIM key it signs with matches "
                     "the one published under the selector in DNS (%s)",
                     (char *) g_ptr_array_index (e->dkim_own_fail, 0)));
  else if (e->strict->len > 0)
    g_ptr_array_add (parts, g_strdup ("sign with DKIM for exactly the From domain"));
  else
    g_ptr_array_add (parts, g_strdup_printf ("sign its mail with DKIM d=%s", own));
  if (e->spf_own_domain != NULL)
    g_ptr_array_add (parts, g_strdup_printf ("or add %s (or its provider's include:) to the "
                     "SPF record of %s", source, e->spf_own_domain));
  else if (e->spf_other->len > 0)
    g_ptr_array_add (parts, g_strdup_printf ("or give it a bounce (Return-Path) domain under "
                     "%s instead of %s and add it to that domain's SPF", own,
                     (char *) g_ptr_array_index (e->spf_other, 0)));
  if (e->strict->len > 0)
    g_ptr_array_add (parts, g_strdup ("or relax alignment (adkim=r, aspf=r)"));
  g_ptr_array_add (parts, NULL);
  g_autofree char *joined = g_strjoinv ("; ", (char **) parts->pdata);
  return g_strdup_printf ("%c%s", g_ascii_toupper (joined[0]), joined + 1);
}

void
advise_fix_failing (AdviseCtx *ctx, const AdviseClass *c, guint64 plain_fail)
{
  const AdviseSource *s = c->src;
  g_auto (Evidence) e = { 0 };
  GString *p = g_string_new (NULL);

  evidence_collect (&e, s, ctx->in->domain, FALSE);
  g_string_append_printf (p, "%" G_GUINT64_FORMAT " of its %" G_GUINT64_FORMAT
                          " messages in its last %u days failed DMARC", plain_fail,
                          s->r_total, ctx->t->recent_days);
  if (s->r_quarantined > 0 || s->r_rejected > 0)
    g_string_append_printf (p, " (%" G_GUINT64_FORMAT " quarantined, %" G_GUINT64_FORMAT
                            " rejected)", s->r_quarantined, s->r_rejected);
  problem_evidence (p, &e);
  g_string_append_printf (p, "; it looks legitimate: %s", c->why);
  advise_sources_add_blocker (ctx, s, g_string_free (p, FALSE), fix_text (&e, ctx->in->domain, s));
}

void
advise_fix_spf_only (AdviseCtx *ctx, const AdviseClass *c, guint64 spf_only)
{
  const AdviseSource *s = c->src;
  g_auto (Evidence) e = { 0 };

  evidence_collect (&e, s, ctx->in->domain, TRUE);
  char *problem = g_strdup_printf ("%" G_GUINT64_FORMAT " of its %" G_GUINT64_FORMAT
                                   " passing messages pass on SPF alone, without aligned "
                                   "DKIM; RFC 9989: a domain MUST NOT rely solely on SPF "
                                   "at p=reject (forwarding breaks SPF)",
                                   spf_only, s->r_pass);
  char *fix = s->sender != NULL
    ? g_strdup_printf ("%s: sign with DKIM d=%s%s%s%s", s->sender, ctx->in->domain,
                       s->sender_dkim ? " (" : "", s->sender_dkim ? s->sender_dkim : "",
                       s->sender_dkim ? ")" : "")
    : e.dkim_other_domain != NULL
    ? g_strdup_printf ("Have this sender sign with DKIM d=%s (a custom DKIM domain; it "
                       "signs as d=%s now)", ctx->in->domain, e.dkim_other_domain)
    : g_strdup_printf ("Sign its mail with DKIM d=%s", ctx->in->domain);
  advise_sources_add_blocker (ctx, s, problem, fix);
}

/* Messages of legit sources that failed although SPF or DKIM (KIND)
 * passed for a domain of the organisation: strict alignment failed them. */
static guint64
strict_failures (const AdviseCtx *ctx, AdviseAuthKind kind, GPtrArray *domains)
{
  guint64 n = 0;

  for (guint i = 0; i < ctx->classes->len; i++)
    {
      const AdviseClass *c = g_ptr_array_index (ctx->classes, i);
      for (guint j = 0; c->is_legit && j < c->src->auth->len; j++)
        {
          const AdviseAuth *a = g_ptr_array_index (c->src->auth, j);
          if (a->kind != kind || a->on_pass || strcmp (a->result, "pass") != 0
              || !advise_domain_is_related (a->domain, ctx->in->domain))
            continue;
          n += a->messages;
          list_add (domains, g_strdup (a->domain));
        }
    }
  return n;
}

static void
finding_strict (AdviseCtx *ctx, AdviseAuthKind kind)
{
  g_autoptr (GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  const char *tag = kind == ADVISE_AUTH_DKIM ? "adkim" : "aspf";
  guint64 n = strict_failures (ctx, kind, domains);

  if (n == 0)
    return;
  g_autofree char *list = list_join (domains);
  advise_add_finding (ctx->advice, tag,
    g_strdup_printf ("%s=s: %" G_GUINT64_FORMAT " messages from legitimate-looking sources "
                     "failed although %s passed for %s; relaxed alignment would pass them",
                     tag, n, kind == ADVISE_AUTH_DKIM ? "DKIM" : "SPF", list),
    g_strdup_printf ("%s with exactly the From domain, or publish %s=r",
                     kind == ADVISE_AUTH_DKIM ? "sign" : "use an envelope sender", tag));
}

void
advise_sources_findings (AdviseCtx *ctx)
{
  if (ctx->cur.adkim_strict)
    finding_strict (ctx, ADVISE_AUTH_DKIM);
  if (ctx->cur.aspf_strict)
    finding_strict (ctx, ADVISE_AUTH_SPF);
}
