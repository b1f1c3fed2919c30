/*
 * test_mail.c -- MIME walk, candidate choice, capped decoding, headers.
 *
 * Mails are built as strings here (attachments base64-encoded at test
 * time); the real-world corpus under $DMARCSTAT_SHARED/corpus/real, when
 * present, is parsed whole and checked against its README's table.
 */
#include "ingest/mail.h"
#include "ingest/unpack.h"
#include "core/error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

static const char report_xml[] =
  "<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>example.net</org_name>"
  "</report_metadata></feedback>\n";

/* Binary that starts like a zip: the label and the bytes need not agree. */
static const guint8 zip_like[] = { 'P', 'K', 3, 4, 0, 0xff, 0x80, '\r', '\n', 0, 1, 2, 0xfe, '=' };

static GBytes *
gzip_text (const char *text)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize left = strlen (text);
  guint8 buf[4096];

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      gsize nread = 0, nwritten = 0;
      GConverterResult r = g_converter_convert (G_CONVERTER (z), text, left, buf, sizeof buf,
                                                G_CONVERTER_INPUT_AT_END, &nread, &nwritten,
                                                &error);
      g_assert_no_error (error);
      text += nread;
      left -= nread;
      g_byte_array_append (out, buf, (guint) nwritten);
      if (r == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Base64 in 76-column lines, as mailers send it. */
static char *
b64_lines (const void *data, gsize len)
{
  g_autofree char *flat = g_base64_encode (data, len);
  GString *out = g_string_new (NULL);
  gsize n = strlen (flat);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, flat + i, (gssize) MIN (76, n - i));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
b64_bytes (GBytes *bytes)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  return b64_lines (data, len);
}

static Mail *
parse_text (const char *text, const Limits *limits, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  return mail_parse_bytes (bytes, limits ? limits : limits_default (), error);
}

static MailAttachment *
attachment (Mail *mail, guint i)
{
  g_assert_cmpuint (mail->attachments->len, >, i);
  return mail->attachments->pdata[i];
}

static void
assert_data (MailAttachment *a, const void *want, gsize want_len)
{
  gsize len;
  const void *got = g_bytes_get_data (a->data, &len);
  g_assert_cmpmem (got, len, want, want_len);
}

#define HEADERS \
  "From: \"DMARC Reporter\" <noreply@example.net>\n" \
  "To: dmarc@example.org\n" \
  "Date: Tue, 01 Oct 2024 12:00:00 +0000\n" \
  "Message-ID: <report-1@example.net>\n" \
  "MIME-Version: 1.0\n"

static char *
gzip_report_mail (void)
{
  g_autoptr (GBytes) gz = gzip_text (report_xml);
  g_autofree char *body = b64_bytes (gz);
  g_autofree char *subject = g_base64_encode ((const guchar *) "Report Domain: example.org \xe2\x9c\x93", 30);

  return g_strdup_printf (HEADERS "Subject: =?UTF-8?B?%s?=\n"
                          "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
                          "--b1\nContent-Type: text/plain; charset=us-ascii\n\n"
                          "This is a DMARC aggregate report.\n"
                          "--b1\nContent-Type: application/gzip; name=\"r.xml.gz\"\n"
                          "Content-Disposition: attachment;\n filename=\"example.net!example.org!1727740800!1727827199.xml.gz\"\n"
                          "Content-Transfer-Encoding: base64\n\n%s"
                          "--b1--\n", subject, body);
}

static void
test_multipart_gzip (void)
{
  g_autofree char *text = gzip_report_mail ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);
  g_autoptr (GBytes) want = gzip_text (report_xml);

  g_assert_no_error (error);
  g_assert_cmpstr (mail->message_id, ==, "report-1@example.net");
  g_assert_cmpstr (mail->subject, ==, "Report Domain: example.org \xe2\x9c\x93");
  g_assert_nonnull (strstr (mail->from, "noreply@example.net"));
  g_assert_cmpint (mail->date, ==, 1727784000);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  MailAttachment *a = attachment (mail, 0);
  g_assert_cmpstr (a->filename, ==, "example.net!example.org!1727740800!1727827199.xml.gz");
  g_assert_cmpstr (a->content_type, ==, "application/gzip");
  g_assert_cmpstr (a->part_path, ==, "2");
  g_assert_true (g_bytes_equal (a->data, want));
  g_assert_cmpuint (mail->warnings->len, ==, 0);
}

/* The decoded attachment really is the report: through unpack, back to
 * the XML bytes. */
static void
test_gzip_round_trip (void)
{
  g_autofree char *text = gzip_report_mail ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);
  g_assert_no_error (error);
  MailAttachment *a = attachment (mail, 0);
  g_autoptr (Unpacker) u = unpack_open (a->data, a->filename, limits_default (), &error);
  const char *name = NULL;
  char buf[4096];

  g_assert_no_error (error);
  g_assert_cmpint (unpack_format (u), ==, UNPACK_FORMAT_GZIP);
  g_assert_cmpint (unpack_next_entry (u, &name, &error), ==, 1);
  gssize n = unpack_read (u, buf, sizeof buf, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, report_xml, sizeof report_xml - 1);
}

/* Google sends the zip as the whole body of a single-part mail. */
static void
test_single_part_zip (void)
{
  g_autofree char *body = b64_lines (zip_like, sizeof zip_like);
  g_autofree char *text = g_strdup_printf (
    HEADERS "Subject: Report domain: example.org Submitter: google.com\n"
    "Content-Type: Application/ZIP;\n name=\"google.com!example.org!1!2.zip\"\n"
    "Content-Disposition: attachment; filename=\"google.com!example.org!1!2.zip\"\n"
    "Content-Transfer-Encoding: base64\n\n%s", body);
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  MailAttachment *a = attachment (mail, 0);
  g_assert_cmpstr (a->part_path, ==, "0");
  g_assert_cmpstr (a->content_type, ==, "application/zip");
  g_assert_cmpstr (a->filename, ==, "google.com!example.org!1!2.zip");
  assert_data (a, zip_like, sizeof zip_like);
}

/* Candidates by media type or by file name; others are ignored. */
static void
test_candidates (void)
{
  static const struct { const char *type; const char *name; gboolean want; } cases[] = {
    { "application/zip", NULL, TRUE },
    { "application/x-zip-compressed", NULL, TRUE },
    { "application/gzip", NULL, TRUE },
    { "application/x-gzip", NULL, TRUE },
    { "text/xml", NULL, TRUE },
    { "application/xml", NULL, TRUE },
    { "application/octet-stream", "report.XML.GZ", TRUE },
    { "application/octet-stream", "report.Zip", TRUE },
    { "application/octet-stream", "report.xml", TRUE },
    { "image/png", "odd-label.gz", TRUE },
    { "application/octet-stream", NULL, FALSE },
    { "application/octet-stream", "logo.png", FALSE },
    { "application/pdf", "report.pdf", FALSE },
    { "text/plain", "notes.txt", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *disposition = cases[i].name
        ? g_strdup_printf ("Content-Disposition: attachment; filename=\"%s\"\n", cases[i].name)
        : g_strdup ("");
      g_autofree char *text = g_strdup_printf (
        HEADERS "Subject: c\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nreport attached\n"
        "--b\nContent-Type: %s\n%sContent-Transfer-Encoding: base64\n\nUEsDBA==\n--b--\n",
        cases[i].type, disposition);
      g_autoptr (GError) error = NULL;
      g_autoptr (Mail) mail = parse_text (text, NULL, &error);

      g_test_message ("case %s %s", cases[i].type, cases[i].name ? cases[i].name : "-");
      if (!cases[i].want)
        {
          g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_NO_REPORT);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (attachment (mail, 0)->content_type, ==, cases[i].type);
      g_assert_cmpstr (attachment (mail, 0)->filename, ==, cases[i].name);
      assert_data (attachment (mail, 0), "PK\3\4", 4);
    }
}

static void
test_quoted_printable_xml (void)
{
  static const char text[] =
    HEADERS "Subject: qp\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/xml; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n\n"
    "<?xml version=3D\"1.0\"?>\n<feedback><org_name>Z=C3=BCrich</org_name>=\n</feedback>\n"
    "--b--\n";
  static const char want[] =
    "<?xml version=\"1.0\"?>\n<feedback><org_name>Z\xc3\xbcrich</org_name></feedback>";
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_cmpstr (attachment (mail, 0)->content_type, ==, "text/xml");
  g_assert_null (attachment (mail, 0)->filename);
  assert_data (attachment (mail, 0), want, sizeof want - 1);
}

/* N application/zip attachments named 1.zip ... N.zip. */
static char *
mail_with_zips (guint n)
{
  g_autofree char *body = b64_lines (zip_like, sizeof zip_like);
  GString *text = g_string_new (HEADERS "Subject: many\n"
                                "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
                                "--b\nContent-Type: text/plain\n\nreports\n");
  for (guint i = 1; i <= n; i++)
    g_string_append_printf (text, "--b\nContent-Type: application/zip; name=\"%u.zip\"\n"
                            "Content-Transfer-Encoding: base64\n\n%s", i, body);
  g_string_append (text, "--b--\n");
  return g_string_free (text, FALSE);
}

static void
test_two_reports (void)
{
  g_autofree char *text = mail_with_zips (2);
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mail->attachments->len, ==, 2);
  g_assert_cmpstr (attachment (mail, 0)->filename, ==, "1.zip");
  g_assert_cmpstr (attachment (mail, 0)->part_path, ==, "2");
  g_assert_cmpstr (attachment (mail, 1)->filename, ==, "2.zip");
  g_assert_cmpstr (attachment (mail, 1)->part_path, ==, "3");
  assert_data (attachment (mail, 1), zip_like, sizeof zip_like);
}

static void
test_max_parts (void)
{
  Limits limits = *limits_default ();
  g_autofree char *three = mail_with_zips (3);
  g_autofree char *four = mail_with_zips (4);
  g_autoptr (GError) error = NULL;

  limits.mail_max_parts = 3;
  g_autoptr (Mail) ok = parse_text (three, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->attachments->len, ==, 3);
  g_autoptr (Mail) over = parse_text (four, &limits, &error);
  g_assert_null (over);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT);
  g_assert_cmpstr (error->message, ==, "more than 3 report attachments (mail_max_parts)");
}

static void
test_forwarded_rfc822 (void)
{
  g_autofree char *body = b64_lines (zip_like, sizeof zip_like);
  g_autofree char *text = g_strdup_printf (
    HEADERS "Subject: Fwd: Report domain: example.org\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
    "--outer\nContent-Type: text/plain\n\nForwarding the report below.\n"
    "--outer\nContent-Type: message/rfc822\n\n"
    "From: noreply-dmarc-support@google.com\nSubject: Report domain: example.org\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"inner\"\n\n"
    "--inner\nContent-Type: text/plain\n\ninner text\n"
    "--inner\nContent-Type: application/zip; name=\"google.com!example.org!1!2.zip\"\n"
    "Content-Transfer-Encoding: base64\n\n%s--inner--\n"
    "--outer--\n", body);
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mail->subject, ==, "Fwd: Report domain: example.org");
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_cmpstr (attachment (mail, 0)->part_path, ==, "2.2");
  g_assert_cmpstr (attachment (mail, 0)->filename, ==, "google.com!example.org!1!2.zip");
  assert_data (attachment (mail, 0), zip_like, sizeof zip_like);
}

/* A zip inside LEVELS message/rfc822 parts, each a whole single-part body. */
static char *
nested_mail (guint levels)
{
  g_autofree char *body = b64_lines (zip_like, sizeof zip_like);
  GString *text = g_string_new (HEADERS "Subject: nested\n");

  for (guint i = 0; i < levels; i++)
    g_string_append_printf (text, "Content-Type: message/rfc822\n\nSubject: level %u\n", i + 1);
  g_string_append_printf (text, "Content-Type: application/zip; name=\"deep.zip\"\n"
                          "Content-Transfer-Encoding: base64\n\n%s", body);
  return g_string_free (text, FALSE);
}

static void
test_nesting_depth (void)
{
  Limits limits = *limits_default ();
  g_autofree char *within = nested_mail (3);
  g_autofree char *deep = nested_mail (12);
  g_autoptr (GError) error = NULL;

  g_autoptr (Mail) ok = parse_text (within, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->attachments->len, ==, 1);
  g_assert_cmpstr (attachment (ok, 0)->part_path, ==, "1.1.1");
  g_assert_cmpstr (attachment (ok, 0)->filename, ==, "deep.zip");

  g_autoptr (Mail) over = parse_text (deep, NULL, &error);
  g_assert_null (over);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT);
  g_assert_cmpstr (error->message, ==, "part 1.1.1.1.1.1.1.1.1: nested deeper than mail_max_depth (8)");
  g_clear_error (&error);

  limits.mail_max_depth = 2;
  g_autoptr (Mail) tight = parse_text (within, &limits, &error);
  g_assert_null (tight);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT);
}

static void
test_no_attachment (void)
{
  static const char text[] =
    HEADERS "Subject: hello\nContent-Type: multipart/alternative; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: text/html\n\n<p>hi</p>\n--b--\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_null (mail);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_NO_REPORT);
  g_assert_cmpstr (error->message, ==, "no report attachment (2 parts: text/plain, text/html)");
}

static void
test_mbox_from_line (void)
{
  g_autofree char *mail_text = gzip_report_mail ();
  g_autofree char *text = g_strconcat ("From MAILER-DAEMON Tue Oct  1 12:00:01 2024\n", mail_text, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mail->message_id, ==, "report-1@example.net");
  g_assert_cmpint (mail->date, ==, 1727784000);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_cmpstr (attachment (mail, 0)->content_type, ==, "application/gzip");
}

static void
test_crlf (void)
{
  g_autofree char *lf = gzip_report_mail ();
  g_auto (GStrv) lines = g_strsplit (lf, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (crlf, NULL, &error);
  g_autoptr (GBytes) want = gzip_text (report_xml);

  g_assert_no_error (error);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_true (g_bytes_equal (attachment (mail, 0)->data, want));
}

static void
test_non_utf8_filename (void)
{
  static const char text[] =
    HEADERS "Subject: latin1\nContent-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename=\"r\xe9port\xff.xml.gz\"\n"
    "Content-Transfer-Encoding: base64\n\nH4sI\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (Mail) mail = parse_text (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (attachment (mail, 0)->filename, -1, NULL));
  g_assert_true (g_str_has_suffix (attachment (mail, 0)->filename, ".xml.gz"));
  assert_data (attachment (mail, 0), "\x1f\x8b\x08", 3);
}

/* Not a mail at all: a clear mail-stage error, never a crash. */
static void
test_not_a_mail (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autofree guint8 *noise = g_malloc (64 * 1024);
  for (gsize i = 0; i < 64 * 1024; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  struct { const char *what; GBytes *bytes; } cases[] = {
    { "random", g_bytes_new (noise, 64 * 1024) },
    { "prose", g_bytes_new_static ("hello, this is not a mail\nat all\n", 34) },
    { "empty", g_bytes_new_static ("", 0) },
    { "conflicting", g_bytes_new_static ("Subject: x\nContent-Type: text/plain\n"
                                         "Content-Type: application/zip\n\nPK\n", 69) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (Mail) mail = mail_parse_bytes (cases[i].bytes, limits_default (), &error);
      g_test_message ("case %s: %s", cases[i].what, error ? error->message : "-");
      g_assert_null (mail);
      g_assert_true (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_PARSE)
                     || g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_NO_REPORT));
      g_assert_cmpint (error_stage (error), ==, STAGE_MAIL);
      g_bytes_unref (cases[i].bytes);
    }
}

static void
test_too_large (void)
{
  Limits limits = *limits_default ();
  g_autofree char *text = mail_with_zips (30);
  g_autofree char *dir = g_dir_make_tmp ("test_mail-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.eml", NULL);
  g_autoptr (GError) error = NULL;

  limits.mail_max_bytes = 1024;
  g_assert_cmpuint (strlen (text), >, 1024);
  g_autoptr (Mail) from_bytes = parse_text (text, &limits, &error);
  g_assert_null (from_bytes);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE);
  g_assert_true (g_str_has_suffix (error->message, "over mail_max_bytes (1 KiB)"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (Mail) from_file = mail_parse_file (path, &limits, &error);
  g_assert_null (from_file);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_parse_file (void)
{
  g_autofree char *text = gzip_report_mail ();
  g_autofree char *dir = g_dir_make_tmp ("test_mail-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "1.eml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.eml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) want = gzip_text (report_xml);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (Mail) mail = mail_parse_file (path, limits_default (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail->attachments->len, ==, 1);
  g_assert_true (g_bytes_equal (attachment (mail, 0)->data, want));

  g_autoptr (Mail) none = mail_parse_file (missing, limits_default (), &error);
  g_assert_null (none);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO);
  g_clear_error (&error);
  g_autoptr (Mail) directory = mail_parse_file (dir, limits_default (), &error);
  g_assert_null (directory);
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO);
  g_unlink (path);
  g_rmdir (dir);
}

/* The README's table: relative path -> TRUE when the row is a report mail
 * with records (not one of the deliberately broken ones). */
static GHashTable *
corpus_valid_mails (const char *readme)
{
  g_autofree char *text = NULL;
  GHashTable *valid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!g_file_get_contents (readme, &text, NULL, NULL))
    return valid;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "| `real/"))
        continue;
      g_auto (GStrv) cols = g_strsplit (lines[i], "|", 8);
      if (g_strv_length (cols) < 8)
        continue;
      g_strstrip (cols[1]);
      g_strstrip (cols[5]);
      g_strstrip (cols[6]);
      gboolean is_mail = g_str_has_prefix (cols[5], "eml");
      gboolean has_records = g_ascii_isdigit (cols[6][0]);
      g_autofree char *path = g_strndup (cols[1] + 1, strlen (cols[1]) - 2);  /* strip `` */
      if (is_mail && has_records)
        g_hash_table_add (valid, g_steal_pointer (&path));
    }
  return valid;
}

/* Mails by name: *.eml, *.elm, or no extension at all (a raw mail). */
static gboolean
corpus_is_mail_name (const char *name)
{
  return g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".elm")
         || strchr (name, '.') == NULL;
}

static guint
corpus_check_dir (const char *corpus, const char *sub, GHashTable *valid)
{
  g_autofree char *dir_path = g_build_filename (corpus, "real", sub, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_valid = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *rel = g_strdup_printf ("real/%s/%s", sub, name);
      g_autoptr (GError) error = NULL;
      if (!corpus_is_mail_name (name) || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      g_autoptr (Mail) mail = mail_parse_file (path, limits_default (), &error);
      g_test_message ("%s: %s", rel, mail ? "ok" : error->message);
      if (mail == NULL)
        g_assert_cmpint (error_stage (error), ==, STAGE_MAIL);
      if (!g_hash_table_contains (valid, rel))
        continue;
      g_assert_no_error (error);
      g_assert_cmpuint (mail->attachments->len, >=, 1);
      g_assert_cmpuint (g_bytes_get_size (attachment (mail, 0)->data), >, 0);
      n_valid++;
    }
  return n_valid;
}

static void
test_real_corpus (void)
{
  const char *shared = g_getenv ("DMARCSTAT_SHARED");
  g_autofree char *corpus = g_build_filename (shared ? shared : "../shared", "corpus", NULL);
  g_autofree char *real = g_build_filename (corpus, "real", NULL);
  g_autofree char *readme = g_build_filename (corpus, "README.md", NULL);

  if (!g_file_test (real, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/corpus/real not present");
      return;
    }
  g_autoptr (GHashTable) valid = corpus_valid_mails (readme);
  g_autoptr (GDir) dir = g_dir_open (real, 0, NULL);
  const char *sub;
  guint n_valid = 0;

  while (dir != NULL && (sub = g_dir_read_name (dir)) != NULL)
    n_valid += corpus_check_dir (corpus, sub, valid);
  /* Every valid mail the README lists and the directory still holds. */
  g_test_message ("%u valid report mails checked", n_valid);
  if (g_hash_table_size (valid) > 0)
    g_assert_cmpuint (n_valid, >, 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  mail_library_init ();
  g_test_add_func ("/mail/multipart/finds-gzip-attachment-and-headers", test_multipart_gzip);
  g_test_add_func ("/mail/multipart/gzip-attachment-unpacks-to-the-report", test_gzip_round_trip);
  g_test_add_func ("/mail/single-part/whole-body-zip-is-the-attachment", test_single_part_zip);
  g_test_add_func ("/mail/candidates/by-media-type-or-file-name", test_candidates);
  g_test_add_func ("/mail/decode/quoted-printable-xml", test_quoted_printable_xml);
  g_test_add_func ("/mail/multipart/keeps-two-reports-in-order", test_two_reports);
  g_test_add_func ("/mail/limits/caps-candidates-at-mail-max-parts", test_max_parts);
  g_test_add_func ("/mail/rfc822/descends-into-forwarded-message", test_forwarded_rfc822);
  g_test_add_func ("/mail/limits/caps-nesting-at-mail-max-depth", test_nesting_depth);
  g_test_add_func ("/mail/no-report/names-the-parts-seen", test_no_attachment);
  g_test_add_func ("/mail/mbox/skips-from-line", test_mbox_from_line);
  g_test_add_func ("/mail/crlf/parses-like-lf", test_crlf);
  g_test_add_func ("/mail/filename/non-utf8-is-made-valid", test_non_utf8_filename);
  g_test_add_func ("/mail/reject/not-a-mail-is-a-mail-stage-error", test_not_a_mail);
  g_test_add_func ("/mail/limits/rejects-over-mail-max-bytes", test_too_large);
  g_test_add_func ("/mail/file/parses-and-reports-io-errors", test_parse_file);
  g_test_add_func ("/mail/corpus/real-mails-yield-attachments", test_real_corpus);
  rc = g_test_run ();
  mail_library_shutdown ();
  return rc;
}
