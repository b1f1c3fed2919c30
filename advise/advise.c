/*
 * advise.c -- the stages, and the step that comes next.
 *
 *   p=none                 monitoring -> ready-for-quarantine when the window
 *                          holds min_coverage_days days of reports from
 *                          min_reporters reporters (one of them a large
 *                          mailbox provider), no legitimate source is younger
 *                          than new_source_days, and none fails
 *   p=quarantine, pct<100  quarantine-rollout: the next pct step after
 *     or t=y               days_per_step days at this one
 *   p=quarantine           quarantine -> ready-for-reject after
 *                          days_before_reject days, when every legitimate
 *                          source also passes with aligned DKIM
 *   p=reject, pct<100/t=y  reject-rollout, as for quarantine
 *   p=reject               enforced: nothing next but tidying sp/np; failing
 *                          legitimate sources are still listed
 *   no legitimate mail     parked: p=reject at once (after enough data)
 *
 * A step is a record: the pct ramp (default 10, 25, 50, 100) with t=y
 * alongside while pct < 100, so that RFC 7489 receivers apply pct and RFC
 * 9989 receivers, which ignore pct, apply the level below.  t=y is only
 * added when a ramp starts; a published ramp without it is continued
 * without it (adding it would loosen the policy for RFC 9989 receivers).
 * [advise] dmarcbis_only ramps with t=y alone.
 */
#include "advise/advise_private.h"

#include <string.h>

/* The rua of advised records: the configured one, or a placeholder. */
static char *
ctx_rua (AdviseCtx *ctx)
{
  if (ctx->in->rua != NULL)
    return g_strdup (ctx->in->rua);
  ctx->advice->rua_is_placeholder = TRUE;
  return g_strdup_printf ("mailto:dmarc-reports@%s", ctx->in->domain);
}

static void
ctx_set_target (AdviseCtx *ctx, const AdviseRecord *target)
{
  g_autofree char *rua = ctx_rua (ctx);

  ctx->advice->target_record = advise_record_text (target, rua);
  if (ctx->advice->rua_is_placeholder)
    advise_add_note (ctx->advice, "rua=mailto:dmarc-reports@%s is a placeholder: replace it "
                     "with the address your reports go to now, or set [advise] rua",
                     ctx->in->domain);
}

/* sp and np of the record after CUR at NEXT->p (see advise_sources.c for
 * sub_blocked): subdomains follow p unless their mail still fails, and
 * non-existent names are rejected once p is at least quarantine. */
static void
step_subdomains (AdviseCtx *ctx, const AdviseRecord *cur, AdviseRecord *next)
{
  AdviseLevel cur_sp = cur->sp != ADVISE_LEVEL_UNSET ? cur->sp : cur->p;

  if (ctx->sub_blocked && cur_sp < next->p)
    next->sp = cur_sp;
  else if (cur->sp != ADVISE_LEVEL_UNSET && cur->sp > next->p)
    next->sp = cur->sp;
  else
    next->sp = ADVISE_LEVEL_UNSET;
  next->np = cur->np;
  AdviseLevel sp = next->sp != ADVISE_LEVEL_UNSET ? next->sp : next->p;
  AdviseLevel np = next->np != ADVISE_LEVEL_UNSET ? next->np : sp;
  if (next->p >= ADVISE_LEVEL_QUARANTINE && np < ADVISE_LEVEL_REJECT)
    next->np = ADVISE_LEVEL_REJECT;
  advise_record_normalize (next);
}

/* The ramp step after CUR towards LEVEL, into NEXT; FALSE when CUR is
 * already fully at LEVEL. */
static gboolean
step_next (AdviseCtx *ctx, AdviseLevel level, AdviseRecord *next)
{
  const AdviseRecord *cur = &ctx->cur;
  const AdviseThresholds *t = ctx->t;

  advise_record_copy (next, cur);
  next->p = level;
  if (cur->p < level)
    {
      next->pct = t->dmarcbis_only ? 100 : (int) t->pct_steps[0];
      next->t = t->dmarcbis_only || next->pct < 100;
    }
  else if (cur->pct < 100)
    {
      next->pct = 100;
      for (guint i = 0; i < t->n_pct_steps && !t->dmarcbis_only; i++)
        if ((int) t->pct_steps[i] > cur->pct)
          {
            next->pct = (int) t->pct_steps[i];
            break;
          }
      next->t = cur->t && next->pct < 100;
    }
  else if (cur->t)
    next->t = FALSE;
  else
    {
      advise_record_clear (next);
      return FALSE;
    }
  step_subdomains (ctx, cur, next);
  return TRUE;
}

static void
explain_step (AdviseCtx *ctx, const AdviseRecord *next)
{
  const AdviseRecord *cur = &ctx->cur;

  if (next->p > cur->p && next->t && next->pct < 100)
    advise_add_reason (ctx->advice, "the next step starts p=%s at pct=%d with t=y: RFC 7489 "
                       "receivers apply it to %d%% of failing mail, RFC 9989 receivers (which "
                       "ignore pct) apply the level below", advise_level_name (next->p),
                       next->pct, next->pct);
  else if (next->p > cur->p && next->t)
    advise_add_reason (ctx->advice, "the next step starts p=%s in test mode (t=y): RFC 9989 "
                       "receivers apply the level below", advise_level_name (next->p));
  else if (next->p == cur->p && next->pct == 100 && !next->t && (cur->pct < 100 || cur->t))
    advise_add_reason (ctx->advice, "the next step applies p=%s to all failing mail",
                       advise_level_name (next->p));
  else if (next->p == cur->p && next->pct != cur->pct)
    advise_add_reason (ctx->advice, "the next step raises pct from %d to %d",
                       cur->pct, next->pct);
  if (cur->p >= ADVISE_LEVEL_QUARANTINE && cur->pct < 100 && !cur->t)
    advise_add_note (ctx->advice, "RFC 9989 receivers ignore pct: they already apply p=%s to "
                     "all failing mail", advise_level_name (cur->p));
  if (cur->sp != ADVISE_LEVEL_UNSET && next->sp == ADVISE_LEVEL_UNSET && cur->sp < next->p)
    advise_add_reason (ctx->advice, "sp=%s is dropped: no legitimate subdomain mail fails, "
                       "so subdomains can follow p", advise_level_name (cur->sp));
  if (next->np == ADVISE_LEVEL_REJECT && cur->np != ADVISE_LEVEL_REJECT)
    advise_add_reason (ctx->advice, "np=reject: names that do not exist send no legitimate mail");
}

static gboolean
large_reporter (const char *org)
{
  static const char *const large[] = { "google", "outlook", "microsoft", "hotmail",
                                       "yahoo", "aol", NULL };
  g_autofree char *lower = g_ascii_strdown (org, -1);

  for (gsize i = 0; large[i] != NULL; i++)
    if (strstr (lower, large[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Enough days and reporters to trust the picture?  Explains either way. */
static gboolean
data_ready (AdviseCtx *ctx)
{
  Advice *a = ctx->advice;
  const AdviseThresholds *t = ctx->t;
  gboolean ok = TRUE;

  for (guint i = 0; i < ctx->in->reporters->len && !a->has_large_reporter; i++)
    a->has_large_reporter = large_reporter (g_ptr_array_index (ctx->in->reporters, i));
  if (a->n_days < t->min_coverage_days)
    ok = FALSE, advise_add_reason (a, "not enough data yet: %u days with reports in the last "
                                   "%u, %u needed (min_coverage_days)", a->n_days,
                                   t->window_days, t->min_coverage_days);
  else
    advise_add_reason (a, "%u days with reports in the last %u (%u needed)", a->n_days,
                       t->window_days, t->min_coverage_days);
  if (a->n_reporters < t->min_reporters)
    ok = FALSE, advise_add_reason (a, "not enough reporters yet: %u, %u needed (min_reporters)",
                                   a->n_reporters, t->min_reporters);
  else if (t->require_large_reporter && !a->has_large_reporter)
    ok = FALSE, advise_add_reason (a, "no report yet from a large mailbox provider (Google, "
                                   "Microsoft, Yahoo) (require_large_reporter)");
  else
    advise_add_reason (a, "%u reporters%s", a->n_reporters,
                       a->has_large_reporter ? ", a large mailbox provider among them" : "");
  return ok;
}

static gboolean
days_ready (AdviseCtx *ctx, guint needed, const char *what)
{
  guint days = (guint) (ctx->in->end_day - ctx->step_since + 1);
  g_autofree char *since = advise_day_text (ctx->step_since);

  if (days < needed)
    {
      advise_add_reason (ctx->advice, "too early: %u days at %s (since %s), %u needed",
                         days, what, since, needed);
      return FALSE;
    }
  advise_add_reason (ctx->advice, "%u days at %s (since %s), %u needed", days, what, since,
                     needed);
  return TRUE;
}

static void
explain_blockers (AdviseCtx *ctx, guint n_blockers)
{
  Advice *a = ctx->advice;

  if (ctx->legit_counted > 0)
    a->legit_pass_percent = 100.0 * (double) ctx->legit_pass / (double) ctx->legit_counted;
  if (n_blockers > 0 && a->stage == ADVISE_STAGE_ENFORCED)
    advise_add_reason (a, "%u legitimate-looking source%s fail%s while p=reject applies: "
                       "receivers may be rejecting that mail now; fix %s (see blockers)",
                       n_blockers, n_blockers == 1 ? "" : "s", n_blockers == 1 ? "s" : "",
                       n_blockers == 1 ? "it" : "them");
  else if (n_blockers > 0)
    advise_add_reason (a, "blocked: %u legitimate-looking source%s fail%s (see blockers); "
                       "never tighten while legitimate mail fails", n_blockers,
                       n_blockers == 1 ? "" : "s", n_blockers == 1 ? "s" : "");
  else if (a->n_legit > 0)
    advise_add_reason (a, "%u legitimate-looking source%s; %.1f%% of %s recent mail passes "
                       "DMARC (receivers' overrides aside)", a->n_legit, a->n_legit == 1 ? "" : "s",
                       a->legit_pass_percent, a->n_legit == 1 ? "its" : "their");
}

/* No new legitimate source lately: the inventory of senders is complete. */
static gboolean
senders_settled (AdviseCtx *ctx)
{
  char *example = NULL;
  gint day = 0;
  guint n = ctx->t->new_source_days > 0 ? advise_sources_count_new (ctx, &example, &day) : 0;

  if (n == 0)
    return TRUE;
  g_autofree char *since = advise_day_text (day);
  advise_add_reason (ctx->advice, "%u legitimate-looking source%s appeared in the last %u "
                     "days (%s on %s): wait until every sender has shown up",
                     n, n == 1 ? "" : "s", ctx->t->new_source_days, example, since);
  return FALSE;
}

/* Stage, target and blockers for a domain whose policy is below LEVEL or
 * ramping towards it. */
static void
advance (AdviseCtx *ctx, AdviseLevel level, guint days_needed, const char *at)
{
  AdviseRecord next = { 0 };
  gboolean ok = data_ready (ctx);
  gboolean need_dkim = level == ADVISE_LEVEL_REJECT;

  if (ctx->cur.p > ADVISE_LEVEL_NONE)
    ok = days_ready (ctx, days_needed, at) && ok;
  else
    ok = senders_settled (ctx) && ok;
  guint n = advise_sources_block (ctx, level, need_dkim);
  explain_blockers (ctx, n);
  if (!step_next (ctx, level, &next))
    return;
  ctx_set_target (ctx, &next);
  explain_step (ctx, &next);
  if (ok && n == 0)
    ctx->advice->next_record = g_strdup (ctx->advice->target_record);
  advise_record_clear (&next);
}

static gboolean
is_parked (AdviseCtx *ctx)
{
  const AdviseRecord *r = &ctx->cur;
  const AdviseInput *in = ctx->in;
  AdviseLevel sp = r->sp != ADVISE_LEVEL_UNSET ? r->sp : r->p;
  AdviseLevel np = r->np != ADVISE_LEVEL_UNSET ? r->np : sp;

  if (ctx->advice->n_legit > 0 || (r->p == ADVISE_LEVEL_REJECT && r->pct == 100 && !r->t
                                   && sp == ADVISE_LEVEL_REJECT && np == ADVISE_LEVEL_REJECT))
    return FALSE;
  if (in->top_spoof_source != NULL && in->total > 0
      && in->top_spoof_messages * 1000 >= (guint64) ctx->t->legit_share_permille * in->total)
    return FALSE;   /* one big unauthenticated sender may be the owner's own */
  return ctx->advice->n_days >= ctx->t->min_coverage_days
         && ctx->advice->n_reporters >= ctx->t->min_reporters;
}

static void
park (AdviseCtx *ctx)
{
  AdviseRecord next = { 0 };

  advise_record_copy (&next, &ctx->cur);
  next.p = next.sp = next.np = ADVISE_LEVEL_REJECT;
  next.pct = 100;
  next.t = FALSE;
  advise_record_normalize (&next);
  ctx->advice->stage = ADVISE_STAGE_PARKED;
  advise_add_reason (ctx->advice, "in %u days of reports from %u reporters no source passed "
                     "DMARC or looked like a legitimate sender: the domain sends no mail",
                     ctx->advice->n_days, ctx->advice->n_reporters);
  advise_add_reason (ctx->advice, "a domain that sends no mail can reject everything at "
                     "once (p=reject covers subdomains and non-existent names too); publish "
                     "\"v=spf1 -all\" as its SPF record as well");
  advise_add_note (ctx->advice, "if this domain does send mail, none of it is authenticated: "
                   "set up SPF and DKIM first and do not publish this record");
  ctx_set_target (ctx, &next);
  ctx->advice->next_record = g_strdup (ctx->advice->target_record);
  advise_record_clear (&next);
}

/* p=reject at 100%: nothing to advance; tidy sp/np, and list what fails. */
static void
enforced (AdviseCtx *ctx)
{
  AdviseRecord tidy = { 0 };

  ctx->advice->stage = ADVISE_STAGE_ENFORCED;
  advise_add_reason (ctx->advice, "p=reject applies to all failing mail: the last stage; keep "
                     "reading the reports for new senders");
  guint n = advise_sources_block (ctx, ADVISE_LEVEL_REJECT, TRUE);
  explain_blockers (ctx, n);
  advise_record_copy (&tidy, &ctx->cur);
  step_subdomains (ctx, &ctx->cur, &tidy);
  g_autofree char *now = advise_record_text (&ctx->cur, NULL);
  g_autofree char *then = advise_record_text (&tidy, NULL);
  if (strcmp (now, then) != 0)
    {
      ctx_set_target (ctx, &tidy);
      explain_step (ctx, &tidy);
      if (n == 0)
        ctx->advice->next_record = g_strdup (ctx->advice->target_record);
    }
  advise_record_clear (&tidy);
}

static void
no_data (AdviseCtx *ctx)
{
  AdviseRecord first = { ADVISE_LEVEL_NONE, ADVISE_LEVEL_UNSET, ADVISE_LEVEL_UNSET, 100,
                         FALSE, FALSE, FALSE, NULL };

  ctx->advice->stage = ADVISE_STAGE_NO_DATA;
  advise_add_reason (ctx->advice, ctx->in->n_reports_total > 0
                     ? "the reports of this domain carry no date range"
                     : "no aggregate reports for this domain");
  advise_add_reason (ctx->advice, "start with p=none and a rua= address whose mail dmarcstat "
                     "reads; receivers then report every source that uses the domain");
  ctx_set_target (ctx, &first);
  ctx->advice->next_record = g_strdup (ctx->advice->target_record);
}

/* History, current record, window facts. */
static gboolean
ctx_policy (AdviseCtx *ctx)
{
  Advice *a = ctx->advice;
  g_autoptr (GPtrArray) runs = advise_policy_runs (ctx->in);

  if (runs->len == 0)
    return FALSE;
  for (guint i = runs->len > 10 ? runs->len - 10 : 0; i < runs->len; i++)
    {
      const AdviseRun *run = g_ptr_array_index (runs, i);
      AdviseHistory *h = g_new0 (AdviseHistory, 1);
      h->first_day = run->first_day;
      h->last_day = run->last_day;
      h->record = advise_record_text (&run->record, NULL);
      g_ptr_array_add (a->history, h);
    }
  const AdviseRun *last = g_ptr_array_index (runs, runs->len - 1);
  advise_record_copy (&ctx->cur, &last->record);
  ctx->step_since = a->step_since_day = last->first_day;
  a->current_record = advise_record_text (&ctx->cur, ctx->in->rua);
  a->window_last_day = ctx->in->end_day;
  a->window_first_day = ctx->in->end_day - (gint) ctx->t->window_days + 1;
  a->n_days = advise_policy_days_covered (ctx->in, a->window_first_day, a->window_last_day);
  a->n_reporters = ctx->in->reporters->len;
  return TRUE;
}

static void
decide (AdviseCtx *ctx)
{
  const AdviseRecord *r = &ctx->cur;
  gboolean ramping = r->pct < 100 || r->t;
  Advice *a = ctx->advice;

  if (is_parked (ctx))
    park (ctx);
  else if (r->p == ADVISE_LEVEL_NONE)
    {
      advance (ctx, ADVISE_LEVEL_QUARANTINE, 0, "p=none");
      a->stage = a->next_record ? ADVISE_STAGE_READY_FOR_QUARANTINE : ADVISE_STAGE_MONITORING;
    }
  else if (r->p == ADVISE_LEVEL_QUARANTINE && ramping)
    {
      g_autofree char *at = advise_record_text (r, NULL);
      advance (ctx, ADVISE_LEVEL_QUARANTINE, ctx->t->days_per_step, at + strlen ("v=DMARC1; "));
      a->stage = ADVISE_STAGE_QUARANTINE_ROLLOUT;
    }
  else if (r->p == ADVISE_LEVEL_QUARANTINE)
    {
      advance (ctx, ADVISE_LEVEL_REJECT, ctx->t->days_before_reject, "p=quarantine");
      a->stage = a->next_record ? ADVISE_STAGE_READY_FOR_REJECT : ADVISE_STAGE_QUARANTINE;
    }
  else if (ramping)
    {
      g_autofree char *at = advise_record_text (r, NULL);
      advance (ctx, ADVISE_LEVEL_REJECT, ctx->t->days_per_step, at + strlen ("v=DMARC1; "));
      a->stage = ADVISE_STAGE_REJECT_ROLLOUT;
    }
  else
    enforced (ctx);
}

Advice *
advise_compute (const AdviseInput *input, const AdviseThresholds *t)
{
  Advice *advice = advice_new (input->domain);
  AdviseCtx ctx = { .in = input, .t = t, .advice = advice };

  if (!input->has_window || !ctx_policy (&ctx))
    {
      no_data (&ctx);
      return advice;
    }
  advise_sources_classify (&ctx);
  advice->n_legit = advise_sources_n_legit (&ctx);
  advise_policy_findings (&ctx);
  advise_sources_findings (&ctx);
  decide (&ctx);
  advise_sources_notes (&ctx);
  advise_record_clear (&ctx.cur);
  g_clear_pointer (&ctx.classes, g_ptr_array_unref);
  return advice;
}
