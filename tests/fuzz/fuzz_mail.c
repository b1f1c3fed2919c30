/*
 * fuzz_mail.c -- the mail stage: mail_parse_bytes() over a whole message.
 *
 * The input is the mail as it would lie in the maildir.  GMime parses it
 * and mail.c walks the parts and decodes the candidates, with the default
 * limits.  Beyond memory safety, the checks are what mail.h promises:
 * attachment count and sizes within the caps, UTF-8 names, lower-case
 * "type/subtype" content types, part paths whose depth is within
 * mail_max_depth, at most 32 warnings, and an error of the mail stage
 * with a printable message otherwise.
 */
#include "tests/fuzz/fuzz.h"
#include "core/error.h"
#include "core/limits.h"
#include "ingest/mail.h"

#include <string.h>

static void
fuzz_mail_init (void)
{
  static gsize done = 0;

  /* GMime is initialised once and never shut down: its tables are
   * reachable statics, not leaks. */
  if (g_once_init_enter (&done))
    {
      mail_library_init ();
      g_once_init_leave (&done, 1);
    }
}

static void
fuzz_mail_check_attachment (const MailAttachment *a, const Limits *limits)
{
  guint depth = 1;

  fuzz_check (a->data != NULL, "an attachment without data");
  fuzz_check (g_bytes_get_size (a->data) <= limits->mail_max_bytes,
              "an attachment over mail_max_bytes");
  fuzz_check (a->filename == NULL || g_utf8_validate (a->filename, -1, NULL),
              "a file name that is not UTF-8");
  fuzz_check (a->content_type != NULL && g_utf8_validate (a->content_type, -1, NULL),
              "a content type that is not UTF-8");
  fuzz_check (strchr (a->content_type, '/') != NULL, "a content type without a '/'");
  for (const char *p = a->content_type; *p != '\0'; p++)
    fuzz_check (!g_ascii_isupper (*p), "a content type not in lower case");
  fuzz_check (a->part_path != NULL && a->part_path[0] != '\0', "an attachment without a path");
  for (const char *p = a->part_path; *p != '\0'; p++)
    depth += *p == '.';
  fuzz_check (depth <= limits->mail_max_depth, "a part deeper than mail_max_depth");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const Limits *limits = limits_default ();
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;

  fuzz_mail_init ();
  g_autoptr (Mail) mail = mail_parse_bytes (bytes, limits, &error);
  if (mail == NULL)
    {
      fuzz_check_error (error, STAGE_MAIL);
      return 0;
    }
  fuzz_check (error == NULL, "a mail and an error");
  fuzz_check (mail->attachments->len > 0, "a mail without candidates (MAIL_NO_REPORT expected)");
  fuzz_check (mail->attachments->len <= limits->mail_max_parts,
              "more attachments than mail_max_parts");
  fuzz_check (mail->warnings->len <= 32, "more warnings than MAIL_MAX_WARNINGS");
  fuzz_check (mail->subject == NULL || g_utf8_validate (mail->subject, -1, NULL),
              "a subject that is not UTF-8");
  fuzz_check (mail->from == NULL || g_utf8_validate (mail->from, -1, NULL),
              "a From that is not UTF-8");
  fuzz_check (mail->message_id == NULL || g_utf8_validate (mail->message_id, -1, NULL),
              "a Message-ID that is not UTF-8");
  for (guint i = 0; i < mail->attachments->len; i++)
    fuzz_mail_check_attachment (g_ptr_array_index (mail->attachments, i), limits);
  return 0;
}
