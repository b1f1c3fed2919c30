/*
 * advise_input.c -- the advice's inputs: constructors for AdviseInput and
 * AdviseSource, and the thresholds with their [advise] config keys.
 *
 * Every threshold is a row of one table: key, default, range.  The README's
 * "Policy advice" section lists the same keys and defaults.
 */
#include "advise/advise_private.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *key;
  guint def, min, max;
  gsize offset;          /* of the guint (or gboolean) in AdviseThresholds */
} ThresholdKey;

#define T_OFF(field) G_STRUCT_OFFSET (AdviseThresholds, field)

static const ThresholdKey threshold_keys[] = {
  { "window_days", 28, 7, 366, T_OFF (window_days) },
  { "min_coverage_days", 14, 1, 366, T_OFF (min_coverage_days) },
  { "min_reporters", 3, 1, 1000, T_OFF (min_reporters) },
  { "require_large_reporter", 1, 0, 1, T_OFF (require_large_reporter) },
  { "pass_percent_quarantine", 98, 50, 100, T_OFF (pass_percent_quarantine) },
  { "pass_percent_reject", 99, 50, 100, T_OFF (pass_percent_reject) },
  { "recent_days", 7, 1, 366, T_OFF (recent_days) },
  { "days_per_step", 7, 1, 366, T_OFF (days_per_step) },
  { "days_before_reject", 28, 0, 366, T_OFF (days_before_reject) },
  { "new_source_days", 14, 0, 366, T_OFF (new_source_days) },
  { "legit_share_permille", 10, 0, 1000, T_OFF (legit_share_permille) },
  { "legit_min_days", 2, 1, 366, T_OFF (legit_min_days) },
  { "dmarcbis_only", 0, 0, 1, T_OFF (dmarcbis_only) },
};

static const guint default_pct_steps[] = { 10, 25, 50, 100 };

void
advise_thresholds_default (AdviseThresholds *t)
{
  memset (t, 0, sizeof *t);
  for (gsize i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    G_STRUCT_MEMBER (guint, t, threshold_keys[i].offset) = threshold_keys[i].def;
  memcpy (t->pct_steps, default_pct_steps, sizeof default_pct_steps);
  t->n_pct_steps = G_N_ELEMENTS (default_pct_steps);
}

/* "10,25,50,100": ascending, 1..100, ending at 100 (added when missing). */
static gboolean
parse_pct_steps (const char *text, AdviseThresholds *t)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  guint n = 0, last = 0;

  for (gsize i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      g_strstrip (parts[i]);
      unsigned long v = strtoul (parts[i], &end, 10);
      if (*parts[i] == '\0' || *end != '\0' || v < 1 || v > 100 || v <= last
          || n == ADVISE_MAX_PCT_STEPS)
        return FALSE;
      t->pct_steps[n++] = last = (guint) v;
    }
  if (last != 100)
    {
      if (n == ADVISE_MAX_PCT_STEPS)
        return FALSE;
      t->pct_steps[n++] = 100;
    }
  t->n_pct_steps = n;
  return TRUE;
}

static gboolean
rua_is_valid (const char *rua)
{
  if (g_ascii_strncasecmp (rua, "mailto:", 7) == 0)
    rua += 7;
  if (*rua == '\0' || strchr (rua, '@') == NULL)
    return FALSE;
  for (const char *p = rua; *p != '\0'; p++)
    if ((unsigned char) *p <= ' ' || (unsigned char) *p >= 0x7f || *p == ';' || *p == '"')
      return FALSE;
  return TRUE;
}

static gboolean
usage_error (GError **error, const Config *config, const char *key, const char *why)
{
  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "%s: [advise] %s: %s",
               config->path ? config->path : "config", key, why);
  return FALSE;
}

gboolean
advise_thresholds_load (const Config *config, AdviseThresholds *t, GError **error)
{
  advise_thresholds_default (t);
  if (config == NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    {
      const ThresholdKey *k = &threshold_keys[i];
      guint64 v;
      if (!config_get_uint (config, "advise", k->key, k->def, k->min, k->max, &v, error))
        return FALSE;
      G_STRUCT_MEMBER (guint, t, k->offset) = (guint) v;
    }
  if (t->min_coverage_days > t->window_days)
    return usage_error (error, config, "min_coverage_days", "larger than window_days");
  g_autofree char *steps = g_key_file_get_string (config->key_file, "advise", "pct_steps", NULL);
  if (steps != NULL && !parse_pct_steps (steps, t))
    return usage_error (error, config, "pct_steps",
                        "expected ascending percentages 1-100 such as 10,25,50,100");
  g_autofree char *rua = g_key_file_get_string (config->key_file, "advise", "rua", NULL);
  if (rua != NULL && !rua_is_valid (g_strstrip (rua)))
    return usage_error (error, config, "rua", "expected one address such as mailto:dmarc@example.com");
  return TRUE;
}

char *
advise_config_rua (const Config *config)
{
  if (config == NULL)
    return NULL;
  g_autofree char *rua = g_key_file_get_string (config->key_file, "advise", "rua", NULL);
  if (rua == NULL || !rua_is_valid (g_strstrip (rua)))
    return NULL;
  if (g_ascii_strncasecmp (rua, "mailto:", 7) == 0)
    return g_strconcat ("mailto:", rua + 7, NULL);
  return g_strconcat ("mailto:", rua, NULL);
}

static void
policy_day_free (gpointer data)
{
  AdvisePolicyDay *d = data;
  g_free (d->p);
  g_free (d->sp);
  g_free (d->np);
  g_free (d->adkim);
  g_free (d->aspf);
  g_free (d->fo);
  g_free (d->testing);
  g_free (d);
}

AdviseInput *
advise_input_new (const char *domain)
{
  AdviseInput *in = g_new0 (AdviseInput, 1);

  in->domain = g_ascii_strdown (domain, -1);
  in->policy_days = g_ptr_array_new_with_free_func (policy_day_free);
  in->reporters = g_ptr_array_new_with_free_func (g_free);
  in->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) advise_source_free);
  return in;
}

void
advise_input_free (AdviseInput *in)
{
  if (in == NULL)
    return;
  g_free (in->domain);
  g_free (in->rua);
  g_free (in->top_spoof_source);
  g_clear_pointer (&in->policy_days, g_ptr_array_unref);
  g_clear_pointer (&in->reporters, g_ptr_array_unref);
  g_clear_pointer (&in->sources, g_ptr_array_unref);
  g_free (in);
}

void
advise_input_add_policy_day (AdviseInput *in, const AdvisePolicyDay *day)
{
  AdvisePolicyDay *d = g_new0 (AdvisePolicyDay, 1);

  *d = *day;
  d->p = g_strdup (day->p);
  d->sp = g_strdup (day->sp);
  d->np = g_strdup (day->np);
  d->adkim = g_strdup (day->adkim);
  d->aspf = g_strdup (day->aspf);
  d->fo = g_strdup (day->fo);
  d->testing = g_strdup (day->testing);
  g_ptr_array_add (in->policy_days, d);
}

void
advise_input_add_source (AdviseInput *in, AdviseSource *source)
{
  g_ptr_array_add (in->sources, source);
}

static void
auth_free (gpointer data)
{
  AdviseAuth *a = data;
  g_free (a->domain);
  g_free (a->selector);
  g_free (a->result);
  g_free (a);
}

AdviseSource *
advise_source_new (const char *label)
{
  AdviseSource *s = g_new0 (AdviseSource, 1);

  s->source = g_strdup (label);
  s->auth = g_ptr_array_new_with_free_func (auth_free);
  return s;
}

void
advise_source_free (AdviseSource *s)
{
  if (s == NULL)
    return;
  g_free (s->source);
  g_free (s->sub_domain);
  g_free (s->sender);
  g_free (s->sender_spf);
  g_free (s->sender_dkim);
  g_clear_pointer (&s->auth, g_ptr_array_unref);
  g_free (s);
}

void
advise_source_add_auth (AdviseSource *s, AdviseAuthKind kind, const char *domain,
                        const char *selector, const char *result, gboolean on_pass,
                        gboolean is_recent, guint64 messages)
{
  AdviseAuth *a = g_new0 (AdviseAuth, 1);

  a->kind = kind;
  a->domain = g_ascii_strdown (domain ? domain : "", -1);
  a->selector = g_strdup (selector);
  a->result = g_ascii_strdown (result ? result : "none", -1);
  a->on_pass = on_pass;
  a->is_recent = is_recent;
  a->messages = messages;
  g_ptr_array_add (s->auth, a);
}
