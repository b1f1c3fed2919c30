/*
 * finding.c -- see finding.h.
 *
 * Everything in a finding may quote DNS data (a record, a host name), so
 * both writers escape on the way out: the JSON writer through
 * json_append_string(), the text writer with its own escaping
 * (text_append_safe): unlike log_safe_str() it keeps quotes, which a zone
 * file line needs, and does not cut at 200 bytes, since a corrected SPF
 * record longer than that must be printed whole, or the sysadmin would
 * paste half a record into DNS.  The whole line is still capped
 * (FINDING_TEXT_MAX).
 */
#include "check/finding.h"
#include "core/json.h"

#include <stdarg.h>
#include <string.h>

/* A TXT record is at most one DNS message (64 KiB); nothing a sysadmin
 * should paste is longer than this, and a hostile record stays bounded. */
#define FINDING_TEXT_MAX 4096

static const char *const severity_names[] = {
  [SEVERITY_OK] = "ok",
  [SEVERITY_INFO] = "info",
  [SEVERITY_WARNING] = "warning",
  [SEVERITY_ERROR] = "error",
  [SEVERITY_CRITICAL] = "critical",
};

const char *
severity_name (Severity severity)
{
  if ((guint) severity >= G_N_ELEMENTS (severity_names))
    return "unknown";
  return severity_names[severity];
}

int
severity_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (severity_names); i++)
    if (strcmp (name, severity_names[i]) == 0)
      return (int) i;
  return -1;
}

Finding *
finding_new (const char *code, Severity severity, const char *subject,
             const char *message, const char *fix, const char *record)
{
  Finding *finding = g_new0 (Finding, 1);

  finding->code = g_strdup (code);
  finding->severity = severity;
  finding->subject = g_strdup (subject ? subject : "");
  finding->message = g_strdup (message ? message : "");
  finding->fix = g_strdup (fix);
  finding->record = g_strdup (record);
  return finding;
}

void
finding_free (Finding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->code);
  g_free (finding->subject);
  g_free (finding->message);
  g_free (finding->fix);
  g_free (finding->record);
  g_free (finding);
}

FindingList *
finding_list_new (void)
{
  FindingList *list = g_new0 (FindingList, 1);

  list->items = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  return list;
}

void
finding_list_free (FindingList *list)
{
  if (list == NULL)
    return;
  g_ptr_array_unref (list->items);
  g_free (list);
}

Finding *
finding_list_take (FindingList *list, Finding *finding)
{
  g_ptr_array_add (list->items, finding);
  return finding;
}

Finding *
finding_list_add (FindingList *list, const char *code, Severity severity,
                  const char *subject, const char *fix, const char *record,
                  const char *message_format, ...)
{
  va_list args;

  va_start (args, message_format);
  g_autofree char *message = g_strdup_vprintf (message_format, args);
  va_end (args);
  return finding_list_take (list, finding_new (code, severity, subject, message, fix, record));
}

const Finding *
finding_list_find (const FindingList *list, const char *code, const char *subject)
{
  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);
      if (strcmp (f->code, code) == 0
          && (subject == NULL || strcmp (f->subject, subject) == 0))
        return f;
    }
  return NULL;
}

Severity
finding_list_worst (const FindingList *list)
{
  Severity worst = SEVERITY_OK;

  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);
      worst = MAX (worst, f->severity);
    }
  return worst;
}

/* Appends TEXT up to FINDING_TEXT_MAX bytes, with what could drive a
 * terminal escaped: control characters and bytes that are not UTF-8 become
 * \xNN, a backslash \\.  Quotes stay as they are: a fix says what to type
 * into a zone file, and an escaped quote there would publish a wrong
 * record. */
static void
text_append_safe (GString *out, const char *text)
{
  const char *p = text;
  const char *end = text + MIN (strlen (text), FINDING_TEXT_MAX);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
          || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        g_string_append_printf (out, c < 0x100 ? "\\x%02x" : "\\u%04x", c);
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  if (strlen (text) > FINDING_TEXT_MAX)
    g_string_append (out, "...");
}

void
finding_list_format_text (const FindingList *list, GString *out)
{
  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);

      g_string_append_printf (out, "%s %s", severity_name (f->severity), f->code);
      if (f->subject[0] != '\0')
        {
          g_string_append (out, " [");
          text_append_safe (out, f->subject);
          g_string_append_c (out, ']');
        }
      g_string_append (out, ": ");
      text_append_safe (out, f->message);
      g_string_append_c (out, '\n');
      if (f->fix != NULL)
        {
          g_string_append (out, "    fix: ");
          text_append_safe (out, f->fix);
          g_string_append_c (out, '\n');
        }
      if (f->record != NULL)
        {
          g_string_append (out, "    publish: ");
          text_append_safe (out, f->record);
          g_string_append_c (out, '\n');
        }
    }
}

void
finding_list_format_json (const FindingList *list, GString *out)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"code\":");
      json_append_string (out, f->code);
      g_string_append (out, ",\"severity\":");
      json_append_string (out, severity_name (f->severity));
      g_string_append (out, ",\"subject\":");
      json_append_string (out, f->subject);
      g_string_append (out, ",\"message\":");
      json_append_string (out, f->message);
      g_string_append (out, ",\"fix\":");
      json_append_string (out, f->fix);
      g_string_append (out, ",\"record\":");
      json_append_string (out, f->record);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}
