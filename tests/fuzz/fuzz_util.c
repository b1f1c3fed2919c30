/*
 * fuzz_util.c -- the helpers of fuzz.h, and the libFuzzer start-up hook.
 *
 * Linked into every libFuzzer binary and into test_fuzz_replay.  Only
 * libFuzzer calls LLVMFuzzerInitialize(); under the replay, gtest's own log
 * handling stays in charge (warnings and criticals fatal, messages shown).
 */
#include "tests/fuzz/fuzz.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
fuzz_fail (const char *file, int line, const char *what)
{
  fprintf (stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
  fflush (stderr);
  abort ();
}

gboolean
fuzz_text_is_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
          || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
          || c == 0x200e || c == 0x200f)
        return FALSE;
    }
  return TRUE;
}

void
fuzz_check_error (const GError *error, int stage)
{
  fuzz_check (error != NULL, "a failure without a GError");
  fuzz_check (error->domain == DMARCSTAT_ERROR, "a GError outside DMARCSTAT_ERROR");
  if (error_stage (error) != (Stage) stage)
    fuzz_check (error->code == DMARCSTAT_ERROR_IO, "a GError of another stage");
  fuzz_check (error->message != NULL && error->message[0] != '\0', "an empty error message");
  fuzz_check (fuzz_text_is_printable (error->message),
              "an error message that is not safe to print (log_reject_line prints it as is)");
}

char *
fuzz_strndup (const uint8_t *data, size_t size)
{
  return size > 0 ? g_strndup ((const char *) data, size) : g_strdup ("");
}

/* Under libFuzzer: messages, info and debug are dropped (config_load()
 * notes every unknown key, millions of times over); a warning or a
 * critical from library code fed hostile input is a bug, so it aborts,
 * as it would under gtest. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                 gpointer user_data G_GNUC_UNUSED)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, NULL);
  abort ();
}

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}
