/*
 * panel_advice.c -- the advice panel of the domain page (see
 * panel_advice.h).
 *
 * The advice quotes what reporters wrote (the policy domain, DKIM domains,
 * selectors), so every string shown goes through dashboard_append_text():
 * escaped, and a bidirectional control such as U+202E shown as "[U+202E]"
 * rather than left to reorder the record the user is told to publish.
 * Links to a source are percent-encoded first, then escaped.  No inline
 * style (the CSP forbids it): the stylesheet knows section.advice, .stage,
 * pre.record, ul.blockers and span.badge.good/.warn/.bad.
 */
#include "web/panel_advice.h"
#include "web/advice_load.h"
#include "web/dashboard.h"
#include "web/html.h"

static void
panel_heading (GString *out, const char *text)
{
  g_string_append (out, "<h3>");
  dashboard_append_text (out, text);
  g_string_append (out, "</h3>\n");
}

static void
panel_record (GString *out, const char *record)
{
  g_string_append (out, "<pre class=\"record\">");
  dashboard_append_text (out, record);
  g_string_append (out, "</pre>\n");
}

static void
panel_list (GString *out, const char *title, GPtrArray *items)
{
  if (items->len == 0)
    return;
  panel_heading (out, title);
  g_string_append (out, "<ul>\n");
  for (guint i = 0; i < items->len; i++)
    {
      g_string_append (out, "<li>");
      dashboard_append_text (out, g_ptr_array_index (items, i));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

static void
panel_stage (GString *out, const Advice *a)
{
  g_string_append_printf (out, "<p class=\"stage\"><span class=\"badge %s\">",
                          advise_stage_tone (a->stage));
  dashboard_append_text (out, advise_stage_name (a->stage));
  g_string_append (out, "</span> ");
  dashboard_append_text (out, advise_stage_summary (a->stage));
  if (a->stage != ADVISE_STAGE_NO_DATA)
    {
      g_autofree char *first = advise_day_text (a->window_first_day);
      g_autofree char *last = advise_day_text (a->window_last_day);
      g_autofree char *window = g_strdup_printf (" — window %s to %s: %u days with reports, "
                                                 "%u reporters", first, last, a->n_days,
                                                 a->n_reporters);
      dashboard_append_text (out, window);
    }
  g_string_append (out, "</p>\n");
}

static void
panel_records (GString *out, const Advice *a)
{
  if (a->current_record != NULL)
    {
      panel_heading (out, "Published policy (as reporters see it)");
      panel_record (out, a->current_record);
    }
  if (a->next_record != NULL)
    {
      panel_heading (out, "Next record to publish");
      panel_record (out, a->next_record);
    }
  else if (a->target_record != NULL)
    {
      panel_heading (out, "Next record, once nothing blocks it");
      panel_record (out, a->target_record);
    }
  else
    g_string_append (out, "<p>Nothing to change in the record.</p>\n");
  if (a->rua_is_placeholder && a->target_record != NULL)
    g_string_append (out, "<p>The rua address is a placeholder: replace it with the address "
                          "your reports go to now.</p>\n");
}

static void
panel_blockers (GString *out, const Advice *a)
{
  if (a->blockers->len == 0)
    return;
  panel_heading (out, "Blockers: legitimate-looking sources that fail");
  g_string_append (out, "<ul class=\"blockers\">\n");
  for (guint i = 0; i < a->blockers->len; i++)
    {
      const AdviseBlocker *b = g_ptr_array_index (a->blockers, i);
      g_autoptr (GString) href = g_string_new ("/domains/");
      html_append_url_component (href, a->domain);
      g_string_append (href, "/sources/");
      html_append_url_component (href, b->source);
      g_string_append (out, "<li><a href=\"");
      html_append_text (out, href->str);
      g_string_append (out, "\">");
      dashboard_append_text (out, b->source);
      g_string_append (out, "</a>");
      if (b->sender != NULL)
        {
          g_string_append (out, " (");
          dashboard_append_text (out, b->sender);
          g_string_append_c (out, ')');
        }
      g_string_append (out, ": ");
      dashboard_append_text (out, b->problem);
      g_string_append (out, "<br><strong>Fix:</strong> ");
      dashboard_append_text (out, b->fix);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

static void
panel_findings (GString *out, const Advice *a)
{
  if (a->findings->len == 0)
    return;
  panel_heading (out, "Problems in the published policy");
  g_string_append (out, "<ul>\n");
  for (guint i = 0; i < a->findings->len; i++)
    {
      const AdviseFinding *f = g_ptr_array_index (a->findings, i);
      g_string_append (out, "<li><code>");
      dashboard_append_text (out, f->tag);
      g_string_append (out, "</code>: ");
      dashboard_append_text (out, f->problem);
      g_string_append (out, "<br><strong>Fix:</strong> ");
      dashboard_append_text (out, f->fix);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

void
panel_advice_render (GString *out, Store *store, const Config *config, const char *domain)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Advice) a = advice_load (store, config, domain, NULL, &error);

  g_string_append (out, "<section class=\"advice\">\n<h2>Policy advice</h2>\n");
  if (a == NULL)
    {
      g_string_append (out, "<p>Advice is unavailable: ");
      dashboard_append_text (out, error->message);
      g_string_append (out, "</p>\n</section>\n");
      return;
    }
  panel_stage (out, a);
  panel_records (out, a);
  panel_list (out, "Why", a->reasons);
  panel_blockers (out, a);
  panel_findings (out, a);
  panel_list (out, "Notes", a->notes);
  g_string_append (out, "</section>\n");
}
