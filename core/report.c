/*
 * report.c -- constructors, destructors and small derived values of the
 * report model.  No parsing happens here.
 */
#include "core/report.h"

#include <string.h>

Report *
report_new (void)
{
  Report *report = g_new0 (Report, 1);
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->warnings = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
report_free (Report *report)
{
  if (report == NULL)
    return;
  g_free (report->version);
  g_free (report->xml_namespace);
  g_free (report->org_name);
  g_free (report->email);
  g_free (report->extra_contact_info);
  g_free (report->report_id);
  g_free (report->generator);
  g_ptr_array_unref (report->errors);
  g_free (report->domain);
  g_free (report->adkim);
  g_free (report->aspf);
  g_free (report->p);
  g_free (report->sp);
  g_free (report->np);
  g_free (report->fo);
  g_free (report->testing);
  g_free (report->discovery_method);
  g_ptr_array_unref (report->warnings);
  g_free (report);
}

void
report_add_warning (Report *report, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *text = g_strdup_vprintf (format, args);
  va_end (args);

  /* A million records with the same oddity make one warning, not a million. */
  for (guint i = 0; i < report->warnings->len; i++)
    if (strcmp (g_ptr_array_index (report->warnings, i), text) == 0)
      {
        g_free (text);
        return;
      }
  if (report->warnings->len >= 100)
    {
      g_free (text);
      return;
    }
  g_ptr_array_add (report->warnings, text);
}

const char *
report_xml_schema (const Report *report)
{
  if (report->xml_namespace != NULL
      && strcmp (report->xml_namespace, "urn:ietf:params:xml:ns:dmarc-2.0") == 0)
    return "dmarcbis";
  if (report->testing != NULL || report->discovery_method != NULL
      || report->generator != NULL)
    return "dmarcbis";
  if (report->version == NULL)
    return "draft";
  return report->version;
}

char *
report_normalize_org (const char *org_name)
{
  if (org_name == NULL)
    return NULL;
  GString *out = g_string_new (NULL);
  gboolean in_space = FALSE;
  for (const char *p = org_name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          in_space = out->len > 0;
          continue;
        }
      if (in_space)
        g_string_append_c (out, ' ');
      in_space = FALSE;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

Record *
record_new (void)
{
  Record *record = g_new0 (Record, 1);
  record->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) record_reason_free);
  record->dkim = g_ptr_array_new_with_free_func ((GDestroyNotify) dkim_result_free);
  record->spf = g_ptr_array_new_with_free_func ((GDestroyNotify) spf_result_free);
  return record;
}

void
record_free (Record *record)
{
  if (record == NULL)
    return;
  g_free (record->source_ip);
  g_free (record->disposition);
  g_free (record->dkim_eval);
  g_free (record->spf_eval);
  g_ptr_array_unref (record->reasons);
  g_free (record->envelope_to);
  g_free (record->envelope_from);
  g_free (record->header_from);
  g_ptr_array_unref (record->dkim);
  g_ptr_array_unref (record->spf);
  g_free (record);
}

RecordReason *
record_reason_new (void)
{
  return g_new0 (RecordReason, 1);
}

void
record_reason_free (RecordReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->type);
  g_free (reason->comment);
  g_free (reason);
}

DkimResult *
dkim_result_new (void)
{
  return g_new0 (DkimResult, 1);
}

void
dkim_result_free (DkimResult *dkim)
{
  if (dkim == NULL)
    return;
  g_free (dkim->domain);
  g_free (dkim->selector);
  g_free (dkim->result);
  g_free (dkim->human_result);
  g_free (dkim);
}

SpfResult *
spf_result_new (void)
{
  return g_new0 (SpfResult, 1);
}

void
spf_result_free (SpfResult *spf)
{
  if (spf == NULL)
    return;
  g_free (spf->domain);
  g_free (spf->scope);
  g_free (spf->result);
  g_free (spf->human_result);
  g_free (spf);
}
