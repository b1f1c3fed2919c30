/*
 * advise_sources.c -- which sources look legitimate, which of them block
 * the next step, and the concrete fix for each.
 *
 * Without DNS or a list of known senders, a source (IP address) looks
 * legitimate when, in the window:
 *
 *   1. at least one of its messages passed DMARC (dkim or spf of
 *      policy_evaluated = pass): it holds a key of the domain or is in the
 *      domain's SPF, which spoofers are not; or
 *   2. it passes SPF or DKIM for some other domain (an ESP's bounce domain,
 *      its own d=) and all sources authenticating as that domain together
 *      carry at least legit_share_permille of the domain's mail.  The share
 *      is counted per authenticated domain, not per address, because a
 *      service spreads its mail over many addresses; a spammer who
 *      authenticates as a throwaway domain stays far below it.
 *
 * Everything else never blocks: spoofers (no pass for any domain) and
 * small senders that authenticate only as themselves.  They appear in the
 * notes.
 *
 * A legitimate source is judged on its own last recent_days days of mail,
 * so that a fixed source stops blocking once it has passed for that long.
 * Failures a receiver overrode (forwarded, mailing_list, trusted_forwarder,
 * local_policy) are expected and only noted; a source that any receiver
 * marked forwarded, mailing_list or trusted_forwarder is an intermediary,
 * and all its failures are expected (receivers do not all say so).  A
 * source blocks when less than pass_percent_quarantine (or _reject) of its
 * remaining mail passes; on the way to p=reject it also blocks when more
 * than the rest of its passes lack aligned DKIM (RFC 9989: a domain owner
 * MUST NOT rely solely on SPF at p=reject).
 */
#include "advise/advise_private.h"

#include <string.h>

/* TRUE when DOMAIN is OWN or a subdomain of it, or OWN a subdomain of
 * DOMAIN: the same organisation as far as relaxed alignment goes. */
gboolean
advise_domain_is_related (const char *domain, const char *own)
{
  gsize d = strlen (domain), o = strlen (own);

  if (d == 0)
    return FALSE;
  if (d == o)
    return g_ascii_strcasecmp (domain, own) == 0;
  if (d > o)
    return domain[d - o - 1] == '.' && g_ascii_strcasecmp (domain + d - o, own) == 0;
  return own[o - d - 1] == '.' && g_ascii_strcasecmp (own + o - d, domain) == 0;
}

static void
class_free (gpointer data)
{
  AdviseClass *c = data;
  g_free (c->why);
  g_free (c);
}

static gboolean
auth_is_other_pass (const AdviseAuth *a, const char *own)
{
  return strcmp (a->result, "pass") == 0 && !advise_domain_is_related (a->domain, own);
}

/* What the sources that authenticate as one other domain send together. */
typedef struct
{
  guint64 messages;   /* each source counted once per domain */
  guint max_days;     /* the most days any one of them was seen on */
} Share;

/* (transfer full) char* -> Share* */
static GHashTable *
share_table (const AdviseInput *in)
{
  GHashTable *share = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < in->sources->len; i++)
    {
      const AdviseSource *s = g_ptr_array_index (in->sources, i);
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < s->auth->len; j++)
        {
          const AdviseAuth *a = g_ptr_array_index (s->auth, j);
          if (!auth_is_other_pass (a, in->domain) || !g_hash_table_add (seen, a->domain))
            continue;
          Share *n = g_hash_table_lookup (share, a->domain);
          if (n == NULL)
            g_hash_table_insert (share, g_strdup (a->domain), n = g_new0 (Share, 1));
          n->messages += s->total;
          n->max_days = MAX (n->max_days, s->n_days);
        }
    }
  return share;
}

/* Rule 2: the other domain with the largest share, if it is large enough
 * and mail authenticated as it came on legit_min_days days or more. */
static char *
class_why_shared (const AdviseCtx *ctx, const AdviseSource *s, GHashTable *share)
{
  const char *best = NULL;
  guint64 best_n = 0;

  for (guint j = 0; j < s->auth->len; j++)
    {
      const AdviseAuth *a = g_ptr_array_index (s->auth, j);
      const Share *n = auth_is_other_pass (a, ctx->in->domain)
                       ? g_hash_table_lookup (share, a->domain) : NULL;
      if (n != NULL && n->max_days >= ctx->t->legit_min_days && n->messages > best_n)
        best = a->domain, best_n = n->messages;
    }
  if (best == NULL || ctx->in->total == 0
      || best_n * 1000 < (guint64) ctx->t->legit_share_permille * ctx->in->total)
    return NULL;
  return g_strdup_printf ("authenticates as %s, which sends %.1f%% of the domain's mail",
                          best, 100.0 * (double) best_n / (double) ctx->in->total);
}

void
advise_sources_classify (AdviseCtx *ctx)
{
  g_autoptr (GHashTable) share = share_table (ctx->in);

  ctx->classes = g_ptr_array_new_with_free_func (class_free);
  for (guint i = 0; i < ctx->in->sources->len; i++)
    {
      const AdviseSource *s = g_ptr_array_index (ctx->in->sources, i);
      AdviseClass *c = g_new0 (AdviseClass, 1);
      c->src = s;
      if (s->pass > 0)
        c->why = g_strdup_printf ("%" G_GUINT64_FORMAT " of its messages passed DMARC", s->pass);
      else
        c->why = class_why_shared (ctx, s, share);
      c->is_legit = c->why != NULL;
      c->is_intermediary = s->marked_intermediary > 0;
      g_ptr_array_add (ctx->classes, c);
    }
}

guint
advise_sources_n_legit (const AdviseCtx *ctx)
{
  guint n = 0;
  for (guint i = 0; i < ctx->classes->len; i++)
    n += ((AdviseClass *) g_ptr_array_index (ctx->classes, i))->is_legit;
  return n;
}

guint
advise_sources_count_new (const AdviseCtx *ctx, char **example_out, gint *day_out)
{
  gint since = ctx->in->end_day - (gint) ctx->t->new_source_days;
  guint n = 0;

  for (guint i = 0; i < ctx->classes->len; i++)
    {
      const AdviseClass *c = g_ptr_array_index (ctx->classes, i);
      if (!c->is_legit || c->src->first_day <= since)
        continue;
      if (n++ == 0)
        {
          *example_out = c->src->source;
          *day_out = c->src->first_day;
        }
    }
  return n;
}

void
advise_sources_add_blocker (AdviseCtx *ctx, const AdviseSource *s, char *problem, char *fix)
{
  if (ctx->advice->blockers->len >= ADVISE_MAX_BLOCKERS)
    {
      ctx->n_blockers_dropped++;
      g_free (problem);
      g_free (fix);
      return;
    }
  advise_add_blocker (ctx->advice, s->source, s->sender, problem, fix);
}

static void
note_expected (AdviseCtx *ctx, const AdviseClass *c, guint64 plain_fail)
{
  const AdviseSource *s = c->src;

  if (c->is_intermediary && s->r_fail_override + plain_fail > 0)
    advise_add_note (ctx->advice, "%s: %" G_GUINT64_FORMAT " of its %" G_GUINT64_FORMAT
                     " recent messages failed DMARC, as expected: receivers mark it as a "
                     "forwarder or mailing list", s->source, s->r_fail_override + plain_fail,
                     s->r_total);
  else if (s->r_fail_override > 0)
    advise_add_note (ctx->advice, "%s: %" G_GUINT64_FORMAT " recent failures were overridden "
                     "by receivers (forwarded or local policy): expected, not a blocker",
                     s->source, s->r_fail_override);
}

/* Does FAIL of COUNTED exceed what PERCENT tolerates? */
static gboolean
over_tolerance (guint64 fail, guint64 counted, guint percent)
{
  return fail > 0 && fail * 100 > (guint64) (100 - percent) * counted;
}

static gboolean
judge_source (AdviseCtx *ctx, const AdviseClass *c, guint percent, gboolean need_dkim)
{
  const AdviseSource *s = c->src;
  guint64 counted = s->r_total > s->r_fail_override ? s->r_total - s->r_fail_override : 0;
  guint64 plain_fail = counted > s->r_pass ? counted - s->r_pass : 0;
  guint64 sub_fail = MIN (s->r_fail_sub, plain_fail);
  guint64 spf_only = s->r_pass > s->r_dkim_aligned ? s->r_pass - s->r_dkim_aligned : 0;
  gboolean blocked = FALSE;

  note_expected (ctx, c, plain_fail);
  if (c->is_intermediary)
    return FALSE;
  ctx->legit_counted += counted;
  ctx->legit_pass += MIN (s->r_pass, counted);
  if (over_tolerance (plain_fail - sub_fail, counted, percent))
    advise_fix_failing (ctx, c, plain_fail), blocked = TRUE;
  else if (over_tolerance (sub_fail, counted, percent))
    {
      ctx->sub_blocked = TRUE;
      advise_add_note (ctx->advice, "%s: %" G_GUINT64_FORMAT " recent messages from %s fail "
                       "DMARC; subdomains keep their current policy until it is fixed",
                       s->source, sub_fail, s->sub_domain ? s->sub_domain : "a subdomain");
    }
  else if (plain_fail > 0)
    advise_add_note (ctx->advice, "%s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                     " recent messages failed DMARC, within the %u%% tolerance",
                     s->source, plain_fail, counted, 100 - percent);
  if (need_dkim && over_tolerance (spf_only, s->r_pass, ctx->t->pass_percent_reject))
    advise_fix_spf_only (ctx, c, spf_only), blocked = TRUE;
  else if (!need_dkim && over_tolerance (spf_only, s->r_pass, ctx->t->pass_percent_reject))
    advise_add_note (ctx->advice, "%s passes on SPF alone for %" G_GUINT64_FORMAT " of %"
                     G_GUINT64_FORMAT " recent messages: give it aligned DKIM (d=%s) before "
                     "p=reject", s->source, spf_only, s->r_pass, ctx->in->domain);
  return blocked;
}

guint
advise_sources_block (AdviseCtx *ctx, AdviseLevel level, gboolean need_dkim)
{
  guint percent = level >= ADVISE_LEVEL_REJECT ? ctx->t->pass_percent_reject
                                                : ctx->t->pass_percent_quarantine;
  guint n = 0;
  guint64 listed = 0;

  for (guint i = 0; i < ctx->classes->len; i++)
    {
      const AdviseClass *c = g_ptr_array_index (ctx->classes, i);
      listed += c->src->fail_list;
      if (c->is_legit && judge_source (ctx, c, percent, need_dkim))
        n++;
    }
  if (level >= ADVISE_LEVEL_REJECT && listed > 0)
    advise_add_note (ctx->advice, "%" G_GUINT64_FORMAT " messages reached receivers through "
                     "mailing lists: RFC 9989 says domains whose users post to mailing lists "
                     "SHOULD NOT publish p=reject (list mail would be rejected)", listed);
  if (ctx->n_blockers_dropped > 0)
    advise_add_note (ctx->advice, "%u more sources block the next step (only the first %d "
                     "are listed)", ctx->n_blockers_dropped, ADVISE_MAX_BLOCKERS);
  return n;
}

static double
percent_of (guint64 part, guint64 whole)
{
  return whole > 0 ? 100.0 * (double) part / (double) whole : 0.0;
}

void
advise_sources_notes (AdviseCtx *ctx)
{
  const AdviseInput *in = ctx->in;
  guint n_small = 0;
  guint64 small = 0;

  if (in->n_spoof_sources > 0)
    advise_add_note (ctx->advice, "%u source%s that pass%s neither SPF nor DKIM for any domain "
                     "sent %" G_GUINT64_FORMAT " messages (%.1f%%): spoofing or "
                     "unauthenticated mail, which never blocks a step", in->n_spoof_sources,
                     in->n_spoof_sources == 1 ? "" : "s", in->n_spoof_sources == 1 ? "es" : "",
                     in->spoof_messages, percent_of (in->spoof_messages, in->total));
  if (in->top_spoof_source != NULL && in->total > 0
      && in->top_spoof_messages * 1000 >= (guint64) ctx->t->legit_share_permille * in->total)
    advise_add_note (ctx->advice, "the largest of them, %s, sent %" G_GUINT64_FORMAT
                     " message%s (%.1f%%): if it is one of yours, it is not authenticated at "
                     "all; set up SPF and DKIM for it before tightening the policy",
                     in->top_spoof_source, in->top_spoof_messages,
                     in->top_spoof_messages == 1 ? "" : "s", percent_of (in->top_spoof_messages, in->total));
  for (guint i = 0; i < ctx->classes->len; i++)
    {
      const AdviseClass *c = g_ptr_array_index (ctx->classes, i);
      if (!c->is_legit)
        n_small++, small += c->src->total;
    }
  if (n_small > 0)
    advise_add_note (ctx->advice, "%u source%s authenticate%s only as other domains, at small "
                     "volume or on too few days (%" G_GUINT64_FORMAT " messages; legit_share_permille, "
                     "legit_min_days): not treated as legitimate", n_small, n_small == 1 ? "" : "s",
                     n_small == 1 ? "s" : "", small);
}
