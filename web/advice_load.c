/*
 * advice_load.c -- see advice_load.h.
 *
 * The tables' values are text as PostgreSQL printed them; numbers are
 * parsed here (NULL, from an empty aggregate, is 0).  Strings that came
 * from reporters (DKIM domains, selectors, subdomains, org names) are cut
 * at 255 bytes: no DNS name is longer, and a hostile report cannot make a
 * blocker line arbitrarily long.  Escaping happens where the advice is
 * printed (advise_format.c, panel_advice.c).
 */
#include "web/advice_load.h"
#include "core/senders.h"
#include "store/query_advice.h"

#include <string.h>

#define MAX_TEXT 255

static guint64
num (const StoreTable *t, guint row, const char *column)
{
  const char *v = store_table_get (t, row, column);
  return v != NULL ? g_ascii_strtoull (v, NULL, 10) : 0;
}

static gint
day_of (const StoreTable *t, guint row, const char *column)
{
  const char *v = store_table_get (t, row, column);
  return v != NULL ? (gint) g_ascii_strtoll (v, NULL, 10) : 0;
}

/* (transfer full) */
static char *
clip (const char *text)
{
  return text != NULL ? g_strndup (text, MAX_TEXT) : NULL;
}

static gboolean
is_true (const StoreTable *t, guint row, const char *column)
{
  return g_strcmp0 (store_table_get (t, row, column), "t") == 0;
}

static gboolean
load_policy_days (Store *store, const QueryAdviceWindow *w, AdviseInput *in, GError **error)
{
  g_autoptr (StoreTable) t = query_advice_policy_days (store, w, error);

  if (t == NULL)
    return FALSE;
  for (guint i = 0; i < store_table_n_rows (t); i++)
    {
      g_autofree char *fo = clip (store_table_get (t, i, "fo"));
      AdvisePolicyDay day = {
        .day = day_of (t, i, "day"),
        .p = (char *) store_table_get (t, i, "p"),
        .sp = (char *) store_table_get (t, i, "sp"),
        .np = (char *) store_table_get (t, i, "np"),
        .adkim = (char *) store_table_get (t, i, "adkim"),
        .aspf = (char *) store_table_get (t, i, "aspf"),
        .fo = fo,
        .testing = (char *) store_table_get (t, i, "testing"),
        .pct = store_table_get (t, i, "pct") ? (int) num (t, i, "pct") : -1,
        .n_reports = (guint) num (t, i, "n_reports"),
        .newest = (gint64) num (t, i, "newest"),
      };
      advise_input_add_policy_day (in, &day);
    }
  return TRUE;
}

static gboolean
load_reporters_and_totals (Store *store, const QueryAdviceWindow *w, AdviseInput *in,
                           GError **error)
{
  g_autoptr (StoreTable) reporters = query_advice_reporters (store, w, error);
  if (reporters == NULL)
    return FALSE;
  for (guint i = 0; i < store_table_n_rows (reporters); i++)
    g_ptr_array_add (in->reporters, clip (store_table_get (reporters, i, "org_name")));

  g_autoptr (StoreTable) totals = query_advice_totals (store, w, error);
  if (totals == NULL)
    return FALSE;
  if (store_table_n_rows (totals) == 1)
    {
      in->total = num (totals, 0, "total");
      in->spoof_messages = num (totals, 0, "spoof_messages");
      in->n_spoof_sources = (guint) num (totals, 0, "spoof_sources");
      in->top_spoof_source = g_strdup (store_table_get (totals, 0, "top_spoof"));
      in->top_spoof_messages = num (totals, 0, "top_spoof_messages");
    }
  return TRUE;
}

/* Who the source is, from its PTR name through the known-senders map (the
 * map's entry gives the SPF mechanism and the DKIM setup to advise). */
static void
source_identify (AdviseSource *s, const StoreTable *t, guint i)
{
  const char *ptr = store_table_get (t, i, "ptr_name");
  const char *base = store_table_get (t, i, "base_domain");
  const Sender *sender = ptr != NULL ? senders_lookup_name (ptr) : NULL;

  if (sender == NULL && base != NULL)
    sender = senders_lookup (base);
  if (sender != NULL)
    {
      s->sender = g_strdup (sender->name);
      s->sender_spf = g_strdup (sender->spf);
      s->sender_dkim = g_strdup (sender->dkim);
    }
  else if (store_table_get (t, i, "sender_name") != NULL)
    s->sender = g_strdup (store_table_get (t, i, "sender_name"));
}

static AdviseSource *
source_from_row (const StoreTable *t, guint i)
{
  AdviseSource *s = advise_source_new (store_table_get (t, i, "source"));

  s->first_day = day_of (t, i, "first_day");
  s->n_days = (guint) num (t, i, "n_days");
  s->total = num (t, i, "total");
  s->pass = num (t, i, "pass");
  s->fail_override = num (t, i, "fail_override");
  s->marked_intermediary = num (t, i, "marked_intermediary");
  s->fail_list = num (t, i, "fail_list");
  s->r_total = num (t, i, "r_total");
  s->r_pass = num (t, i, "r_pass");
  s->r_dkim_aligned = num (t, i, "r_dkim_aligned");
  s->r_spf_aligned = num (t, i, "r_spf_aligned");
  s->r_fail_override = num (t, i, "r_fail_override");
  s->r_fail_sub = num (t, i, "r_fail_sub");
  s->r_quarantined = num (t, i, "r_quarantined");
  s->r_rejected = num (t, i, "r_rejected");
  s->sub_domain = clip (store_table_get (t, i, "sub_domain"));
  source_identify (s, t, i);
  return s;
}

static gboolean
load_sources (Store *store, const QueryAdviceWindow *w, AdviseInput *in, GError **error)
{
  g_autoptr (StoreTable) sources = query_advice_sources (store, w, error);
  if (sources == NULL)
    return FALSE;
  g_autoptr (GHashTable) by_label = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < store_table_n_rows (sources); i++)
    {
      AdviseSource *s = source_from_row (sources, i);
      if (s->source == NULL)
        {
          advise_source_free (s);
          continue;
        }
      g_hash_table_insert (by_label, s->source, s);
      advise_input_add_source (in, s);
    }

  g_autoptr (StoreTable) auth = query_advice_auth (store, w, error);
  if (auth == NULL)
    return FALSE;
  for (guint i = 0; i < store_table_n_rows (auth); i++)
    {
      const char *label = store_table_get (auth, i, "source");
      AdviseSource *s = label ? g_hash_table_lookup (by_label, label) : NULL;
      if (s == NULL)
        continue;
      g_autofree char *domain = clip (store_table_get (auth, i, "domain"));
      g_autofree char *selector = clip (store_table_get (auth, i, "selector"));
      advise_source_add_auth (s, g_strcmp0 (store_table_get (auth, i, "kind"), "dkim") == 0
                                 ? ADVISE_AUTH_DKIM : ADVISE_AUTH_SPF,
                              domain, selector, store_table_get (auth, i, "result"),
                              is_true (auth, i, "on_pass"), is_true (auth, i, "is_recent"),
                              num (auth, i, "messages"));
    }
  return TRUE;
}

/* Fills IN from the database; IN->has_window stays FALSE without dated
 * reports. */
static gboolean
load_input (Store *store, const AdviseThresholds *t, AdviseInput *in, GError **error)
{
  g_autoptr (StoreTable) summary = query_advice_summary (store, in->domain, error);

  if (summary == NULL)
    return FALSE;
  in->n_reports_total = num (summary, 0, "n_reports");
  if (store_table_get (summary, 0, "end_day") == NULL)
    return TRUE;
  in->has_window = TRUE;
  in->end_day = day_of (summary, 0, "end_day");

  QueryAdviceWindow w = { in->domain, in->end_day, t->window_days, t->recent_days };
  return load_policy_days (store, &w, in, error)
         && load_reporters_and_totals (store, &w, in, error)
         && load_sources (store, &w, in, error);
}

Advice *
advice_load (Store *store, const Config *config, const char *domain,
             guint64 *n_reports_out, GError **error)
{
  AdviseThresholds t;
  g_autoptr (AdviseInput) in = advise_input_new (domain);

  /* config_get_uint only reads the key file; it takes a non-const
   * Config for historical reasons. */
  if (!advise_thresholds_load (config, &t, error))
    return NULL;
  in->rua = advise_config_rua (config);
  if (!load_input (store, &t, in, error))
    return NULL;
  if (n_reports_out != NULL)
    *n_reports_out = in->n_reports_total;
  return advise_compute (in, &t);
}
