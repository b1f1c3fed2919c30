/*
 * advise_format.c -- an Advice as terminal text or as JSON.
 *
 * Blockers and notes quote what reporters wrote (DKIM domains, selectors),
 * so every string is escaped on the way out: control characters (C0, DEL,
 * C1) become \xNN on the terminal, and JSON strings follow RFC 8259 with
 * invalid UTF-8 replaced.  The JSON is written by hand: one object, keys in
 * a fixed order, no library.
 */
#include "core/json.h"
#include "advise/advise_private.h"

#include <string.h>

/* Appends TEXT with every character that could drive a terminal escaped. */
static void
text_append_safe (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", (unsigned) c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

static void
text_line (GString *out, const char *label, const char *text)
{
  g_string_append_printf (out, "  %-9s", label);
  text_append_safe (out, text);
  g_string_append_c (out, '\n');
}

static void
text_list (GString *out, const char *title, GPtrArray *items)
{
  if (items->len == 0)
    return;
  g_string_append_printf (out, "\n%s:\n", title);
  for (guint i = 0; i < items->len; i++)
    {
      g_string_append (out, "  - ");
      text_append_safe (out, g_ptr_array_index (items, i));
      g_string_append_c (out, '\n');
    }
}

static void
text_window (GString *out, const Advice *a)
{
  g_autofree char *first = advise_day_text (a->window_first_day);
  g_autofree char *last = advise_day_text (a->window_last_day);
  g_autofree char *line = g_strdup_printf ("%s .. %s: %u day%s with reports, %u reporter%s, "
                                           "%u legitimate-looking source%s", first, last,
                                           a->n_days, a->n_days == 1 ? "" : "s",
                                           a->n_reporters, a->n_reporters == 1 ? "" : "s",
                                           a->n_legit, a->n_legit == 1 ? "" : "s");
  text_line (out, "window", line);
}

static void
text_problems (GString *out, const Advice *a)
{
  if (a->blockers->len > 0)
    g_string_append (out, "\nBlockers (legitimate-looking sources that fail):\n");
  for (guint i = 0; i < a->blockers->len; i++)
    {
      const AdviseBlocker *b = g_ptr_array_index (a->blockers, i);
      g_string_append (out, "  - ");
      text_append_safe (out, b->source);
      if (b->sender != NULL)
        {
          g_string_append (out, " (");
          text_append_safe (out, b->sender);
          g_string_append_c (out, ')');
        }
      g_string_append (out, ": ");
      text_append_safe (out, b->problem);
      g_string_append (out, "\n    fix: ");
      text_append_safe (out, b->fix);
      g_string_append_c (out, '\n');
    }
  if (a->findings->len > 0)
    g_string_append (out, "\nPolicy findings:\n");
  for (guint i = 0; i < a->findings->len; i++)
    {
      const AdviseFinding *f = g_ptr_array_index (a->findings, i);
      g_string_append_printf (out, "  - %s: ", f->tag);
      text_append_safe (out, f->problem);
      g_string_append (out, "\n    fix: ");
      text_append_safe (out, f->fix);
      g_string_append_c (out, '\n');
    }
}

static void
text_history (GString *out, const Advice *a)
{
  if (a->history->len == 0)
    return;
  g_string_append (out, "\nPublished policy as reported:\n");
  for (guint i = 0; i < a->history->len; i++)
    {
      const AdviseHistory *h = g_ptr_array_index (a->history, i);
      g_autofree char *first = advise_day_text (h->first_day);
      g_autofree char *last = advise_day_text (h->last_day);
      g_string_append_printf (out, "  %s .. %s  ", first, last);
      text_append_safe (out, h->record);
      g_string_append_c (out, '\n');
    }
}

char *
advise_format_text (const Advice *a)
{
  GString *out = g_string_new (NULL);

  text_append_safe (out, a->domain);
  g_string_append_printf (out, ": %s (%s)\n", advise_stage_name (a->stage),
                          advise_stage_summary (a->stage));
  if (a->stage != ADVISE_STAGE_NO_DATA)
    text_window (out, a);
  if (a->current_record != NULL)
    text_line (out, "current", a->current_record);
  if (a->next_record != NULL)
    text_line (out, "next", a->next_record);
  else if (a->target_record != NULL)
    {
      text_line (out, "next", "nothing to publish yet");
      text_line (out, "then", a->target_record);
    }
  else
    text_line (out, "next", "nothing to change");
  text_list (out, "Why", a->reasons);
  text_problems (out, a);
  text_list (out, "Notes", a->notes);
  text_history (out, a);
  return g_string_free (out, FALSE);
}

static void
json_key (GString *out, const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{' && out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  json_append_string (out, key);
  g_string_append_c (out, ':');
}

static void
json_key_string (GString *out, const char *key, const char *value)
{
  json_key (out, key);
  json_append_string (out, value);
}

static void
json_key_day (GString *out, const char *key, gint day)
{
  g_autofree char *text = advise_day_text (day);
  json_key_string (out, key, text);
}

static void
json_strings (GString *out, const char *key, GPtrArray *items)
{
  json_key (out, key);
  g_string_append_c (out, '[');
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      json_append_string (out, g_ptr_array_index (items, i));
    }
  g_string_append_c (out, ']');
}

/* {"K0": V0, "K1": V1, "K2": V2}, preceded by a comma unless FIRST. */
static void
json_object3 (GString *out, gboolean first, const char *const keys[3],
              const char *v0, const char *v1, const char *v2)
{
  g_string_append (out, first ? "{" : ",{");
  json_key_string (out, keys[0], v0);
  json_key_string (out, keys[1], v1);
  json_key_string (out, keys[2], v2);
  g_string_append_c (out, '}');
}

static void
json_problems (GString *out, const Advice *a)
{
  static const char *const blocker_keys[3] = { "source", "problem", "fix" };
  static const char *const finding_keys[3] = { "tag", "problem", "fix" };

  json_key (out, "blockers");
  g_string_append_c (out, '[');
  for (guint i = 0; i < a->blockers->len; i++)
    {
      const AdviseBlocker *b = g_ptr_array_index (a->blockers, i);
      json_object3 (out, i == 0, blocker_keys, b->source, b->problem, b->fix);
      /* "sender" goes in the same object, after the three keys. */
      g_string_truncate (out, out->len - 1);
      g_string_append (out, ",\"sender\":");
      json_append_string (out, b->sender);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]");
  json_key (out, "policy_findings");
  g_string_append_c (out, '[');
  for (guint i = 0; i < a->findings->len; i++)
    {
      const AdviseFinding *f = g_ptr_array_index (a->findings, i);
      json_object3 (out, i == 0, finding_keys, f->tag, f->problem, f->fix);
    }
  g_string_append_c (out, ']');
}

static void
json_window (GString *out, const Advice *a)
{
  json_key (out, "window");
  if (a->stage == ADVISE_STAGE_NO_DATA)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '{');
  json_key_day (out, "first_day", a->window_first_day);
  json_key_day (out, "last_day", a->window_last_day);
  json_key (out, "days_with_reports");
  g_string_append_printf (out, "%u", a->n_days);
  json_key (out, "reporters");
  g_string_append_printf (out, "%u", a->n_reporters);
  json_key (out, "large_reporter");
  g_string_append (out, a->has_large_reporter ? "true" : "false");
  json_key (out, "legit_sources");
  g_string_append_printf (out, "%u", a->n_legit);
  json_key (out, "legit_pass_percent");
  if (a->legit_pass_percent < 0)
    g_string_append (out, "null");
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];   /* '.' whatever the locale: JSON */
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", a->legit_pass_percent));
    }
  json_key_day (out, "step_since", a->step_since_day);
  g_string_append_c (out, '}');
}

static void
json_history (GString *out, const Advice *a)
{
  json_key (out, "history");
  g_string_append_c (out, '[');
  for (guint i = 0; i < a->history->len; i++)
    {
      const AdviseHistory *h = g_ptr_array_index (a->history, i);
      g_string_append (out, i > 0 ? ",{" : "{");
      json_key_day (out, "first_day", h->first_day);
      json_key_day (out, "last_day", h->last_day);
      json_key_string (out, "record", h->record);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

char *
advise_format_json (const Advice *a)
{
  GString *out = g_string_new ("{");

  json_key_string (out, "domain", a->domain);
  json_key_string (out, "stage", advise_stage_name (a->stage));
  json_key_string (out, "stage_summary", advise_stage_summary (a->stage));
  json_key_string (out, "current_record", a->current_record);
  json_key_string (out, "next_record", a->next_record);
  json_key_string (out, "target_record", a->target_record);
  json_key (out, "rua_is_placeholder");
  g_string_append (out, a->rua_is_placeholder ? "true" : "false");
  json_window (out, a);
  json_strings (out, "reasons", a->reasons);
  json_problems (out, a);
  json_strings (out, "notes", a->notes);
  json_history (out, a);
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}
