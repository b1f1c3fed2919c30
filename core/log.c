/*
 * log.c -- the log writer, rejection lines and log_safe_str().
 */
#include "core/log.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SAFE_STR_MAX 200

static gboolean log_use_journal;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
            gpointer user_data G_GNUC_UNUSED)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING
                 | G_LOG_LEVEL_MESSAGE))
      && g_log_writer_default_would_drop (level, NULL))
    return G_LOG_WRITER_HANDLED;
  if (log_use_journal)
    return g_log_writer_journald (level, fields, n_fields, NULL);

  const char *message = NULL;
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  const char *tag = "";
  if (level & G_LOG_LEVEL_ERROR)
    tag = "fatal: ";
  else if (level & G_LOG_LEVEL_CRITICAL)
    tag = "bug: ";
  else if (level & G_LOG_LEVEL_WARNING)
    tag = "warning: ";
  else if (level & G_LOG_LEVEL_DEBUG)
    tag = "debug: ";
  fprintf (stderr, "dmarcstat: %s%s\n", tag, message ? message : "");
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

void
log_init (gboolean verbose)
{
  log_use_journal = g_log_writer_is_journald (STDERR_FILENO);
  if (verbose)
    g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
}

void
log_reject_line (const char *file, const GError *error)
{
  g_autofree char *safe_file = log_safe_str (file ? file : "-");
  const char *stage = error_stage_name (error_stage (error));

  if (*stage != '\0')
    fprintf (stderr, "dmarcstat: %s: %s: %s\n", safe_file, stage, error->message);
  else
    fprintf (stderr, "dmarcstat: %s: %s\n", safe_file, error->message);
  fflush (stderr);
}

char *
log_safe_buf (const char *data, gsize len)
{
  GString *out = g_string_sized_new (MIN (len, SAFE_STR_MAX) + 8);
  const char *p = data;
  const char *end = data + len;

  while (p < end && out->len < SAFE_STR_MAX)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (unsigned char) *p);
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c == '\\' || c == '"')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", (unsigned) c);
      else if ((c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
               || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f)
        /* C1 controls and bidirectional overrides: they reorder or hide
         * what an operator reads in a terminal or a log viewer. */
        g_string_append_printf (out, "\\u%04x", (unsigned) c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  if (p < end)
    g_string_append (out, "...");
  return g_string_free (out, FALSE);
}

char *
log_safe_str (const char *text)
{
  if (text == NULL)
    return g_strdup ("(null)");
  return log_safe_buf (text, strlen (text));
}
