/*
 * advise_policy.c -- the published policy, as the reports show it.
 *
 * Reporters disagree about the same DNS record: RFC 7489 reporters fill in
 * pct=100 and sp=p when the record has neither and never show np or t;
 * RFC 9989 reporters show np and testing but no pct; a reporter may still
 * show yesterday's record from its DNS cache.  So a value a reporter did
 * not send (NULL) is "unknown", never a change, and each day's policy is
 * the one most of that day's reports show (a tie goes to the newest
 * report).  Consecutive days whose p, pct and t agree form a run; the
 * current step began on the first day of the last run.  A minority
 * reporter with a stale or broken view therefore neither resets nor
 * invents a step.
 *
 * sp, np, adkim, aspf and fo do not define a step (adding np=reject does
 * not restart the pct ramp); each run takes them from the newest report
 * in it that states them.
 */
#include "advise/advise_private.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  gint day;
  AdviseLevel p;
  int pct;   /* -1 unknown */
  int t;     /* -1 unknown, 0 n, 1 y */
} DayKey;

AdviseLevel
advise_level_parse (const char *text)
{
  if (text == NULL)
    return ADVISE_LEVEL_UNSET;
  if (strcmp (text, "none") == 0)
    return ADVISE_LEVEL_NONE;
  if (strcmp (text, "quarantine") == 0)
    return ADVISE_LEVEL_QUARANTINE;
  if (strcmp (text, "reject") == 0)
    return ADVISE_LEVEL_REJECT;
  return ADVISE_LEVEL_UNSET;
}

const char *
advise_level_name (AdviseLevel level)
{
  switch (level)
    {
    case ADVISE_LEVEL_QUARANTINE: return "quarantine";
    case ADVISE_LEVEL_REJECT: return "reject";
    case ADVISE_LEVEL_NONE:
    case ADVISE_LEVEL_UNSET:
    default: return "none";
    }
}

void
advise_record_clear (AdviseRecord *record)
{
  g_clear_pointer (&record->fo, g_free);
}

void
advise_record_copy (AdviseRecord *dest, const AdviseRecord *src)
{
  *dest = *src;
  dest->fo = g_strdup (src->fo);
}

/* Drops what a receiver would infer anyway, so that records compare. */
void
advise_record_normalize (AdviseRecord *r)
{
  if (r->pct < 0 || r->pct > 100)
    r->pct = 100;
  if (r->sp == r->p)
    r->sp = ADVISE_LEVEL_UNSET;
  if (r->np == (r->sp != ADVISE_LEVEL_UNSET ? r->sp : r->p))
    r->np = ADVISE_LEVEL_UNSET;
}

/* Tag order: v and p first (some RFC 7489 checkers insist), then the
 * rollout tags, the subdomain tags, alignment, fo, rua. */
char *
advise_record_text (const AdviseRecord *r, const char *rua)
{
  GString *s = g_string_new ("v=DMARC1; p=");

  g_string_append (s, advise_level_name (r->p));
  if (r->pct < 100)
    g_string_append_printf (s, "; pct=%d", r->pct);
  if (r->t)
    g_string_append (s, "; t=y");
  if (r->sp != ADVISE_LEVEL_UNSET)
    g_string_append_printf (s, "; sp=%s", advise_level_name (r->sp));
  if (r->np != ADVISE_LEVEL_UNSET)
    g_string_append_printf (s, "; np=%s", advise_level_name (r->np));
  if (r->adkim_strict)
    g_string_append (s, "; adkim=s");
  if (r->aspf_strict)
    g_string_append (s, "; aspf=s");
  if (r->fo != NULL)
    g_string_append_printf (s, "; fo=%s", r->fo);
  if (rua != NULL)
    g_string_append_printf (s, "; rua=%s", rua);
  return g_string_free (s, FALSE);
}

static int
day_row_cmp (gconstpointer a, gconstpointer b)
{
  const AdvisePolicyDay *x = *(AdvisePolicyDay *const *) a;
  const AdvisePolicyDay *y = *(AdvisePolicyDay *const *) b;

  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  return x->newest < y->newest ? -1 : x->newest > y->newest;
}

static int
testing_value (const char *text)
{
  if (text == NULL)
    return -1;
  return strcmp (text, "y") == 0 ? 1 : strcmp (text, "n") == 0 ? 0 : -1;
}

/* The value of KIND (0 p, 1 pct, 2 t) most reports of ROWS[from, to) show
 * (among those with p P when P is set); ties go to the newest report. */
static int
day_vote (GPtrArray *rows, guint from, guint to, int kind, AdviseLevel p)
{
  int best = -1;
  guint best_weight = 0;

  for (guint i = from; i < to; i++)
    {
      const AdvisePolicyDay *r = g_ptr_array_index (rows, i);
      int v = kind == 0 ? (int) advise_level_parse (r->p) : kind == 1 ? r->pct
              : testing_value (r->testing);
      if (v < 0 || (kind != 0 && advise_level_parse (r->p) != p))
        continue;
      guint weight = 0;
      for (guint j = from; j < to; j++)
        {
          const AdvisePolicyDay *o = g_ptr_array_index (rows, j);
          int w = kind == 0 ? (int) advise_level_parse (o->p) : kind == 1 ? o->pct
                  : testing_value (o->testing);
          if (w == v && (kind == 0 || advise_level_parse (o->p) == p))
            weight += o->n_reports;
        }
      if (weight >= best_weight)   /* rows are oldest first: >= lets the newest win */
        {
          best = v;
          best_weight = weight;
        }
    }
  return best;
}

/* One key per day with reports, oldest first.  (transfer full) */
static GArray *
policy_day_keys (GPtrArray *rows)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (DayKey));

  for (guint from = 0; from < rows->len;)
    {
      const AdvisePolicyDay *first = g_ptr_array_index (rows, from);
      guint to = from;
      while (to < rows->len && ((AdvisePolicyDay *) g_ptr_array_index (rows, to))->day == first->day)
        to++;
      int p = day_vote (rows, from, to, 0, ADVISE_LEVEL_UNSET);
      DayKey key = { first->day, p < 0 ? ADVISE_LEVEL_NONE : (AdviseLevel) p, -1, -1 };
      key.pct = day_vote (rows, from, to, 1, key.p);
      key.t = day_vote (rows, from, to, 2, key.p);
      g_array_append_val (keys, key);
      from = to;
    }
  return keys;
}

static gboolean
key_fits (const DayKey *run, const DayKey *day)
{
  return run->p == day->p
         && (run->pct < 0 || day->pct < 0 || run->pct == day->pct)
         && (run->t < 0 || day->t < 0 || run->t == day->t);
}

/* fo is free text from the reporter: keep it only when it is a valid
 * RFC 7489 fo value, so it never carries anything into a record. */
static char *
fo_value (const char *fo)
{
  if (fo == NULL || *fo == '\0' || strcmp (fo, "0") == 0 || strlen (fo) > 16
      || strspn (fo, "01ds:") != strlen (fo))
    return NULL;
  return g_strdup (fo);
}

/* sp, np, adkim, aspf, fo of a run: the newest report in it that says. */
static void
run_fill_tags (AdviseRun *run, GPtrArray *rows)
{
  gboolean has_sp = FALSE, has_np = FALSE, has_adkim = FALSE, has_aspf = FALSE, has_fo = FALSE;

  for (guint i = rows->len; i-- > 0;)
    {
      const AdvisePolicyDay *r = g_ptr_array_index (rows, i);
      if (r->day < run->first_day || r->day > run->last_day
          || advise_level_parse (r->p) != run->record.p)
        continue;
      if (!has_sp && (has_sp = advise_level_parse (r->sp) != ADVISE_LEVEL_UNSET))
        run->record.sp = advise_level_parse (r->sp);
      if (!has_np && (has_np = advise_level_parse (r->np) != ADVISE_LEVEL_UNSET))
        run->record.np = advise_level_parse (r->np);
      if (!has_adkim && (has_adkim = r->adkim != NULL))
        run->record.adkim_strict = strcmp (r->adkim, "s") == 0;
      if (!has_aspf && (has_aspf = r->aspf != NULL))
        run->record.aspf_strict = strcmp (r->aspf, "s") == 0;
      if (!has_fo && (has_fo = r->fo != NULL))
        run->record.fo = fo_value (r->fo);
    }
  advise_record_normalize (&run->record);
}

static void
run_free (gpointer data)
{
  AdviseRun *run = data;
  advise_record_clear (&run->record);
  g_free (run);
}

static AdviseRun *
run_new (const DayKey *key)
{
  AdviseRun *run = g_new0 (AdviseRun, 1);

  run->first_day = run->last_day = key->day;
  run->record.p = key->p;
  run->record.sp = run->record.np = ADVISE_LEVEL_UNSET;
  run->record.pct = key->pct;
  run->record.t = key->t;
  return run;
}

GPtrArray *
advise_policy_runs (const AdviseInput *input)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *runs = g_ptr_array_new_with_free_func (run_free);
  DayKey acc = { 0, ADVISE_LEVEL_UNSET, -1, -1 };

  for (guint i = 0; i < input->policy_days->len; i++)
    g_ptr_array_add (rows, g_ptr_array_index (input->policy_days, i));
  g_ptr_array_sort (rows, day_row_cmp);
  g_autoptr (GArray) keys = policy_day_keys (rows);
  for (guint i = 0; i < keys->len; i++)
    {
      const DayKey *key = &g_array_index (keys, DayKey, i);
      if (runs->len > 0 && key_fits (&acc, key))
        {
          AdviseRun *run = g_ptr_array_index (runs, runs->len - 1);
          run->last_day = key->day;
          acc.pct = acc.pct >= 0 ? acc.pct : key->pct;
          acc.t = acc.t >= 0 ? acc.t : key->t;
          run->record.pct = acc.pct;
          run->record.t = acc.t;
          continue;
        }
      acc = *key;
      g_ptr_array_add (runs, run_new (key));
    }
  for (guint i = 0; i < runs->len; i++)
    {
      AdviseRun *run = g_ptr_array_index (runs, i);
      run->record.t = run->record.t == 1;   /* unknown t is the default n */
      run_fill_tags (run, rows);
    }
  return runs;
}

guint
advise_policy_days_covered (const AdviseInput *input, gint first, gint last)
{
  g_autoptr (GHashTable) days = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < input->policy_days->len; i++)
    {
      const AdvisePolicyDay *r = g_ptr_array_index (input->policy_days, i);
      if (r->day >= first && r->day <= last)
        g_hash_table_add (days, GINT_TO_POINTER (r->day));
    }
  return g_hash_table_size (days);
}

static void
findings_subdomains (AdviseCtx *ctx)
{
  const AdviseRecord *r = &ctx->cur;
  AdviseLevel sp = r->sp != ADVISE_LEVEL_UNSET ? r->sp : r->p;
  AdviseLevel np = r->np != ADVISE_LEVEL_UNSET ? r->np : sp;

  if (sp < r->p)
    advise_add_finding (ctx->advice, "sp",
      g_strdup_printf ("sp=%s is weaker than p=%s: mail from subdomains, and spoofers "
                       "who use them, is not held to the domain's policy",
                       advise_level_name (sp), advise_level_name (r->p)),
      g_strdup ("remove sp (subdomains then follow p) once no legitimate subdomain "
                "mail fails; a subdomain that sends mail of its own can get its own "
                "_dmarc record"));
  if (np < sp && r->np != ADVISE_LEVEL_UNSET)
    advise_add_finding (ctx->advice, "np",
      g_strdup_printf ("np=%s is weaker than the policy of existing subdomains (%s)",
                       advise_level_name (np), advise_level_name (sp)),
      g_strdup ("set np=reject: names that do not exist send no legitimate mail"));
  else if (r->p >= ADVISE_LEVEL_QUARANTINE && np < ADVISE_LEVEL_REJECT)
    advise_add_finding (ctx->advice, "np",
      g_strdup_printf ("non-existent subdomains get %s, the policy they inherit",
                       advise_level_name (np)),
      g_strdup ("add np=reject (RFC 9989): names that do not exist send no legitimate "
                "mail, so nothing can break"));
}

void
advise_policy_findings (AdviseCtx *ctx)
{
  const AdviseRecord *r = &ctx->cur;

  if (r->p == ADVISE_LEVEL_REJECT && r->pct < 100)
    advise_add_finding (ctx->advice, "pct",
      g_strdup_printf ("pct=%d at p=reject: RFC 7489 receivers only quarantine the "
                       "other %d%% of failing mail, while RFC 9989 removed pct and its "
                       "receivers reject all of it", r->pct, 100 - r->pct),
      g_strdup ("finish the rollout: publish p=reject without pct once nothing "
                "legitimate fails"));
  if (r->p >= ADVISE_LEVEL_QUARANTINE && r->pct == 0)
    advise_add_finding (ctx->advice, "pct",
      g_strdup ("pct=0: receivers apply nothing, and some mailbox providers and lists "
                "read it as a signal to rewrite From"),
      g_strdup ("use t=y for a test phase (RFC 9989); it means the same to new receivers"));
  if (r->p == ADVISE_LEVEL_NONE && r->t)
    advise_add_finding (ctx->advice, "t",
      g_strdup ("t=y has no effect with p=none"),
      g_strdup ("drop t=y, or use it with p=quarantine for a test phase"));
  findings_subdomains (ctx);
}
