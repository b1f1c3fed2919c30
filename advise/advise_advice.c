/*
 * advise_advice.c -- the Advice being built: its lifecycle, the helpers
 * that add reasons, notes, findings and blockers, and the stage names.
 */
#include "advise/advise_private.h"

static const char *const stage_names[] = {
  "no-data", "monitoring", "ready-for-quarantine", "quarantine-rollout", "quarantine",
  "ready-for-reject", "reject-rollout", "enforced", "parked",
};

static const char *const stage_summaries[] = {
  "no aggregate reports for this domain yet",
  "p=none: collecting reports before any enforcement",
  "p=none, and the data says quarantine can start",
  "p=quarantine, rolled out step by step",
  "p=quarantine for all mail",
  "p=quarantine, and the data says reject can start",
  "p=reject, rolled out step by step",
  "p=reject for all mail: keep watching the reports",
  "no legitimate mail uses this domain: reject everything",
};

const char *
advise_stage_name (AdviseStage stage)
{
  return stage < G_N_ELEMENTS (stage_names) ? stage_names[stage] : "unknown";
}

const char *
advise_stage_summary (AdviseStage stage)
{
  return stage < G_N_ELEMENTS (stage_summaries) ? stage_summaries[stage] : "";
}

const char *
advise_stage_tone (AdviseStage stage)
{
  switch (stage)
    {
    case ADVISE_STAGE_ENFORCED: return "good";
    case ADVISE_STAGE_NO_DATA:
    case ADVISE_STAGE_MONITORING: return "bad";
    default: return "warn";
    }
}

char *
advise_day_text (gint day)
{
  g_autoptr (GDate) epoch = g_date_new_dmy (1, G_DATE_JANUARY, 1970);
  GDate date;
  char buf[16];

  g_date_clear (&date, 1);
  g_date_set_julian (&date, g_date_get_julian (epoch) + (guint32) CLAMP (day, 0, 3000000));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);
  return g_strdup (buf);
}

void
advise_add_reason (Advice *advice, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_ptr_array_add (advice->reasons, g_strdup_vprintf (format, ap));
  va_end (ap);
}

void
advise_add_note (Advice *advice, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_ptr_array_add (advice->notes, g_strdup_vprintf (format, ap));
  va_end (ap);
}

void
advise_add_finding (Advice *advice, const char *tag, char *problem, char *fix)
{
  AdviseFinding *f = g_new0 (AdviseFinding, 1);
  f->tag = g_strdup (tag);
  f->problem = problem;
  f->fix = fix;
  g_ptr_array_add (advice->findings, f);
}

void
advise_add_blocker (Advice *advice, const char *source, const char *sender, char *problem,
                    char *fix)
{
  AdviseBlocker *b = g_new0 (AdviseBlocker, 1);
  b->source = g_strdup (source);
  b->sender = g_strdup (sender);
  b->problem = problem;
  b->fix = fix;
  g_ptr_array_add (advice->blockers, b);
}

static void
blocker_free (gpointer data)
{
  AdviseBlocker *b = data;
  g_free (b->source);
  g_free (b->sender);
  g_free (b->problem);
  g_free (b->fix);
  g_free (b);
}

static void
finding_free (gpointer data)
{
  AdviseFinding *f = data;
  g_free (f->tag);
  g_free (f->problem);
  g_free (f->fix);
  g_free (f);
}

static void
history_free (gpointer data)
{
  AdviseHistory *h = data;
  g_free (h->record);
  g_free (h);
}

Advice *
advice_new (const char *domain)
{
  Advice *a = g_new0 (Advice, 1);

  a->domain = g_strdup (domain);
  a->legit_pass_percent = -1;
  a->history = g_ptr_array_new_with_free_func (history_free);
  a->reasons = g_ptr_array_new_with_free_func (g_free);
  a->blockers = g_ptr_array_new_with_free_func (blocker_free);
  a->findings = g_ptr_array_new_with_free_func (finding_free);
  a->notes = g_ptr_array_new_with_free_func (g_free);
  return a;
}

void
advice_free (Advice *a)
{
  if (a == NULL)
    return;
  g_free (a->domain);
  g_free (a->current_record);
  g_free (a->target_record);
  g_free (a->next_record);
  g_clear_pointer (&a->history, g_ptr_array_unref);
  g_clear_pointer (&a->reasons, g_ptr_array_unref);
  g_clear_pointer (&a->blockers, g_ptr_array_unref);
  g_clear_pointer (&a->findings, g_ptr_array_unref);
  g_clear_pointer (&a->notes, g_ptr_array_unref);
  g_free (a);
}

