/*
 * NAME
 *	mail -- from one mail file to the attachments that may hold reports
 * SYNOPSIS
 *	#include "ingest/mail.h"
 *
 *	Mail *mail_parse_file (const char *path, const Limits *limits,
 *	                       GError **error);
 *	Mail *mail_parse_bytes (GBytes *bytes, const Limits *limits,
 *	                        GError **error);
 *	void mail_free (Mail *mail);
 * DESCRIPTION
 *	The whole message is parsed by GMime from a seekable stream (a file
 *	descriptor bounded to the size fstat() saw, or the caller's bytes in
 *	place), so that part contents stay offsets into that stream until
 *	they are decoded.  A leading mbox "From " line (mail saved from an
 *	mbox) is not a header and is skipped before GMime sees the stream;
 *	GMime 3.2.13 happens to tolerate it too, but the header block should
 *	not depend on that leniency.
 *
 *	Every part is visited with GMimePartIter, which, unlike
 *	g_mime_message_foreach(), also descends into forwarded message/rfc822
 *	parts.  The nesting depth is the number of components of the part
 *	path ("2.1.3" is 3), capped at mail_max_depth.  Candidate parts (see
 *	mail_is_candidate()) are counted against mail_max_parts and decoded
 *	through a GMime basic filter in a loop that stops the moment
 *	mail_max_bytes would be passed; g_mime_data_wrapper_write_to_stream()
 *	has no cap, so it is never used.
 *
 *	Ownership: the Mail and everything in it belongs to the caller.  The
 *	GMime message, parser and stream never leave this file.
 * DIAGNOSTICS
 *	DMARCSTAT_ERROR_IO (cannot open or read the file),
 *	MAIL_TOO_LARGE (file or decoded part over mail_max_bytes),
 *	MAIL_PARSE (not a mail: nothing parseable or no header at all; or a
 *	GMIME_CRIT_* problem such as conflicting Content-Type headers, which
 *	other software may read differently from us), MAIL_LIMIT (nesting,
 *	candidate count, GMime's own nesting overflow), MAIL_NO_REPORT (no
 *	candidate; the message lists the part types that were seen).
 *	GMIME_WARN_* problems are kept in Mail.warnings, at most
 *	MAIL_MAX_WARNINGS of them (the CRIT ones too, before the rejection).
 * BUGS
 *	mail_max_depth counts multipart nesting as well as message/rfc822
 *	nesting, since both show in the part path; a report forwarded twice
 *	with multipart/alternative bodies still fits the default of 8.
 */
#include "ingest/mail.h"
#include "core/error.h"
#include "core/log.h"

#include <gmime/gmime.h>
#include "core/autocleanups.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAIL_MAX_WARNINGS 32      /* a hostile mail can trigger thousands */
#define MAIL_MAX_LISTED_TYPES 8   /* part types named in MAIL_NO_REPORT */
#define MAIL_MBOX_LINE_MAX 1024   /* longest "From " line we skip */
#define MAIL_READ_CHUNK 16384

typedef struct
{
  const Limits *limits;      /* borrowed from the caller */
  Mail *mail;                /* borrowed: the Mail being filled */
  guint n_parts;             /* leaf parts seen */
  GString *types;            /* owned: "text/plain, text/html" for MAIL_NO_REPORT */
  gboolean nesting_overflow; /* GMIME_CRIT_NESTING_OVERFLOW was reported */
  char *critical;            /* owned: the first other GMIME_CRIT_* problem */
} MailWalk;

static void
mail_walk_clear (MailWalk *walk)
{
  if (walk->types != NULL)
    g_string_free (walk->types, TRUE);
  g_free (walk->critical);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MailWalk, mail_walk_clear)

void
mail_library_init (void)
{
  g_mime_init ();
}

void
mail_library_shutdown (void)
{
  g_mime_shutdown ();
}

void
mail_attachment_free (MailAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_free (attachment->part_path);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

void
mail_free (Mail *mail)
{
  if (mail == NULL)
    return;
  g_free (mail->message_id);
  g_free (mail->subject);
  g_free (mail->from);
  g_clear_pointer (&mail->attachments, g_ptr_array_unref);
  g_clear_pointer (&mail->warnings, g_ptr_array_unref);
  g_free (mail);
}

static Mail *
mail_new (void)
{
  Mail *mail = g_new0 (Mail, 1);

  mail->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_attachment_free);
  mail->warnings = g_ptr_array_new_with_free_func (g_free);
  return mail;
}

/* GMime's parser problems: a name for messages, and whether it is one of
 * the GMIME_CRIT_* ones. */
static const struct
{
  const char *name;
  gboolean is_critical;
} mail_problems[] = {
  [GMIME_WARN_DUPLICATED_HEADER] = { "duplicated header", FALSE },
  [GMIME_WARN_DUPLICATED_PARAMETER] = { "duplicated parameter", FALSE },
  [GMIME_WARN_UNENCODED_8BIT_HEADER] = { "unencoded 8-bit header", FALSE },
  [GMIME_WARN_INVALID_CONTENT_TYPE] = { "invalid content type", FALSE },
  [GMIME_WARN_INVALID_RFC2047_HEADER_VALUE] = { "invalid rfc 2047 header value", FALSE },
  [GMIME_WARN_MALFORMED_MULTIPART] = { "malformed multipart", FALSE },
  [GMIME_WARN_TRUNCATED_MESSAGE] = { "truncated message", FALSE },
  [GMIME_WARN_MALFORMED_MESSAGE] = { "malformed message", FALSE },
  [GMIME_CRIT_INVALID_HEADER_NAME] = { "invalid header name", TRUE },
  [GMIME_CRIT_CONFLICTING_HEADER] = { "conflicting header", TRUE },
  [GMIME_CRIT_CONFLICTING_PARAMETER] = { "conflicting parameter", TRUE },
  [GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY] = { "multipart without boundary", TRUE },
  [GMIME_WARN_INVALID_PARAMETER] = { "invalid parameter", FALSE },
  [GMIME_WARN_INVALID_ADDRESS_LIST] = { "invalid address list", FALSE },
  [GMIME_CRIT_NESTING_OVERFLOW] = { "nesting overflow", TRUE },
  [GMIME_WARN_PART_WITHOUT_CONTENT] = { "part without content", FALSE },
  [GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT] = { "part without headers or content", TRUE },
};

/* GMime's warning callback.  A GMIME_CRIT_* problem means other software
 * may read the mail differently from us, so it rejects the mail (CRAFT
 * 5); a GMIME_WARN_* one becomes a warning, at most MAIL_MAX_WARNINGS. */
static void
mail_on_warning (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer user_data)
{
  MailWalk *walk = user_data;
  g_autofree char *safe = item ? log_safe_str (item) : NULL;
  gboolean known = code < G_N_ELEMENTS (mail_problems) && mail_problems[code].name;
  g_autofree char *text = g_strdup_printf ("mime: %s at byte %" G_GINT64_FORMAT "%s%s",
                                           known ? mail_problems[code].name : "unknown problem",
                                           offset, safe ? ": " : "", safe ? safe : "");

  if (code == GMIME_CRIT_NESTING_OVERFLOW)
    walk->nesting_overflow = TRUE;
  else if (known && mail_problems[code].is_critical && walk->critical == NULL)
    walk->critical = g_strdup (text);
  if (walk->mail->warnings->len < MAIL_MAX_WARNINGS)
    g_ptr_array_add (walk->mail->warnings, g_steal_pointer (&text));
}

static gboolean
mail_name_is_candidate (const char *filename)
{
  static const char *const suffixes[] = { ".xml", ".zip", ".gz" };
  g_autofree char *lower = NULL;

  if (filename == NULL)
    return FALSE;
  lower = g_ascii_strdown (filename, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

/* SPEC "Ingest rules": these media types, or any type whose file name
 * ends in .xml, .zip or .gz (which covers .xml.gz). */
static gboolean
mail_is_candidate (GMimeContentType *ct, const char *filename)
{
  static const char *const types[][2] = {
    { "application", "zip" }, { "application", "x-zip-compressed" },
    { "application", "gzip" }, { "application", "x-gzip" },
    { "text", "xml" }, { "application", "xml" },
  };

  for (gsize i = 0; ct != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_mime_content_type_is_type (ct, types[i][0], types[i][1]))
      return TRUE;
  return mail_name_is_candidate (filename);
}

/* Decodes PART's content into memory, failing the moment more than
 * MAX_BYTES would be held. */
static GBytes *
mail_decode (GMimePart *part, guint64 max_bytes, const char *path, GError **error)
{
  GMimeDataWrapper *wrapper = g_mime_part_get_content (part);
  GMimeStream *raw = wrapper ? g_mime_data_wrapper_get_stream (wrapper) : NULL;
  guint64 cap = MIN (max_bytes, (guint64) G_MAXUINT);
  char buf[MAIL_READ_CHUNK];

  if (raw == NULL)
    return g_bytes_new (NULL, 0);
  g_mime_stream_reset (raw);
  g_autoptr (GMimeStream) in = g_mime_stream_filter_new (raw);
  GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding (wrapper);
  if (encoding == GMIME_CONTENT_ENCODING_BASE64
      || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
      || encoding == GMIME_CONTENT_ENCODING_UUENCODE)
    {
      g_autoptr (GMimeFilter) filter = g_mime_filter_basic_new (encoding, FALSE);
      g_mime_stream_filter_add (GMIME_STREAM_FILTER (in), filter);
    }

  g_autoptr (GByteArray) out = g_byte_array_new ();
  for (;;)
    {
      gssize n = g_mime_stream_read (in, buf, sizeof buf);
      if (n < 0)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO,
                       "part %s: cannot read its content", path);
          return NULL;
        }
      if (n == 0 && g_mime_stream_eos (in))
        break;
      if ((guint64) out->len + (guint64) n > cap)
        {
          g_autofree char *max = limits_format_bytes (max_bytes);
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE,
                       "part %s: decoded content exceeds mail_max_bytes (%s)", path, max);
          return NULL;
        }
      g_byte_array_append (out, (const guint8 *) buf, (guint) n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
mail_keep_part (MailWalk *walk, GMimePart *part, const char *path, GError **error)
{
  GMimeContentType *ct = g_mime_object_get_content_type (GMIME_OBJECT (part));
  const char *raw_name = g_mime_part_get_filename (part);
  g_autofree char *filename = raw_name ? g_utf8_make_valid (raw_name, -1) : NULL;
  g_autofree char *mime_type = ct ? g_mime_content_type_get_mime_type (ct) : NULL;
  g_autofree char *lower = g_ascii_strdown (mime_type ? mime_type : "application/octet-stream", -1);

  walk->n_parts++;
  if (walk->n_parts <= MAIL_MAX_LISTED_TYPES)
    {
      g_autofree char *safe = log_safe_str (lower);
      g_string_append_printf (walk->types, "%s%s", walk->types->len ? ", " : "", safe);
    }
  if (!mail_is_candidate (ct, filename))
    return TRUE;
  if (walk->mail->attachments->len >= walk->limits->mail_max_parts)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT,
                   "more than %" G_GUINT64_FORMAT " report attachments (mail_max_parts)",
                   walk->limits->mail_max_parts);
      return FALSE;
    }
  GBytes *data = mail_decode (part, walk->limits->mail_max_bytes, path, error);
  if (data == NULL)
    return FALSE;

  MailAttachment *a = g_new0 (MailAttachment, 1);
  a->filename = g_steal_pointer (&filename);
  a->content_type = g_utf8_make_valid (lower, -1);
  a->part_path = g_strdup (path);
  a->data = data;
  g_ptr_array_add (walk->mail->attachments, a);
  return TRUE;
}

/* One object of the walk.  Containers only count for the depth: the
 * iterator descends into them by itself. */
static gboolean
mail_visit (MailWalk *walk, GMimeObject *object, const char *path, GError **error)
{
  guint depth = 1;

  for (const char *p = path; *p; p++)
    depth += *p == '.';
  if (depth > walk->limits->mail_max_depth)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT,
                   "part %s: nested deeper than mail_max_depth (%" G_GUINT64_FORMAT ")",
                   path, walk->limits->mail_max_depth);
      return FALSE;
    }
  if (!GMIME_IS_PART (object))
    return TRUE;
  return mail_keep_part (walk, GMIME_PART (object), path, error);
}

static gboolean
mail_walk (MailWalk *walk, GMimeMessage *message, GError **error)
{
  GMimeObject *top = g_mime_message_get_mime_part (message);
  g_autoptr (GMimePartIter) iter = NULL;

  if (top == NULL)
    return TRUE;
  iter = g_mime_part_iter_new (GMIME_OBJECT (message));
  /* A single-part mail leaves the iterator with nothing to step to. */
  if (!g_mime_part_iter_is_valid (iter))
    return mail_visit (walk, top, "0", error);
  do
    {
      g_autofree char *path = g_mime_part_iter_get_path (iter);
      if (!mail_visit (walk, g_mime_part_iter_get_current (iter), path, error))
        return FALSE;
    }
  while (g_mime_part_iter_next (iter));
  return TRUE;
}

static void
mail_read_headers (Mail *mail, GMimeMessage *message)
{
  const char *message_id = g_mime_message_get_message_id (message);
  const char *subject = g_mime_message_get_subject (message);
  InternetAddressList *from = g_mime_message_get_from (message);
  GDateTime *date = g_mime_message_get_date (message);

  mail->message_id = message_id ? g_utf8_make_valid (message_id, -1) : NULL;
  mail->subject = subject ? g_utf8_make_valid (subject, -1) : NULL;
  if (from != NULL && internet_address_list_length (from) > 0)
    {
      g_autofree char *text = internet_address_list_to_string (from, NULL, FALSE);
      mail->from = g_utf8_make_valid (text, -1);
    }
  mail->date = date ? g_date_time_to_unix (date) : 0;
}

/* An mbox "From " line is not a header: parse from the line after it.
 * (transfer full) */
static GMimeStream *
mail_skip_mbox_line (GMimeStream *stream)
{
  char head[MAIL_MBOX_LINE_MAX];
  gssize n = g_mime_stream_read (stream, head, sizeof head);
  const char *nl = n > 5 ? memchr (head, '\n', (gsize) n) : NULL;

  g_mime_stream_reset (stream);
  if (nl == NULL || memcmp (head, "From ", 5) != 0)
    return g_object_ref (stream);
  return g_mime_stream_substream (stream, stream->bound_start + (nl - head) + 1,
                                  stream->bound_end);
}

static gboolean
mail_fail_no_report (MailWalk *walk, GError **error)
{
  if (walk->n_parts == 0)
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_NO_REPORT,
                 "no report attachment (no parts)");
  else
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_NO_REPORT,
                 "no report attachment (%u part%s: %s%s)", walk->n_parts,
                 walk->n_parts == 1 ? "" : "s", walk->types->str,
                 walk->n_parts > MAIL_MAX_LISTED_TYPES ? ", ..." : "");
  return FALSE;
}

static gboolean
mail_fill (MailWalk *walk, GMimeMessage *message, GError **error)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));

  if (walk->nesting_overflow)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_LIMIT,
                   "mime parts nested deeper than the parser allows");
      return FALSE;
    }
  if (walk->critical != NULL)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_PARSE, "%s", walk->critical);
      return FALSE;
    }
  if (headers == NULL || g_mime_header_list_get_count (headers) == 0)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_PARSE,
                   "not a mail: no header lines");
      return FALSE;
    }
  mail_read_headers (walk->mail, message);
  if (!mail_walk (walk, message, error))
    return FALSE;
  if (walk->mail->attachments->len == 0)
    return mail_fail_no_report (walk, error);
  return TRUE;
}

static Mail *
mail_parse_stream (GMimeStream *stream, const Limits *limits, GError **error)
{
  g_autoptr (Mail) mail = mail_new ();
  g_auto (MailWalk) walk = { .limits = limits, .mail = mail, .types = g_string_new (NULL) };
  g_autoptr (GMimeStream) body = mail_skip_mbox_line (stream);
  g_autoptr (GMimeParserOptions) options = g_mime_parser_options_new ();
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (body);

  g_mime_parser_options_set_warning_callback (options, mail_on_warning, &walk);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, options);
  if (message == NULL)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_PARSE,
                   "not a mail: no message could be parsed");
      return NULL;
    }
  if (!mail_fill (&walk, message, error))
    return NULL;
  return g_steal_pointer (&mail);
}

static gboolean
mail_check_size (guint64 size, const Limits *limits, GError **error)
{
  if (size > limits->mail_max_bytes)
    {
      g_autofree char *got = limits_format_bytes (size);
      g_autofree char *max = limits_format_bytes (limits->mail_max_bytes);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE,
                   "mail is %s, over mail_max_bytes (%s)", got, max);
      return FALSE;
    }
  if (size == 0)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_PARSE, "not a mail: empty");
      return FALSE;
    }
  return TRUE;
}

Mail *
mail_parse_file (const char *path, const Limits *limits, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO, "cannot open: %s",
                   g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO, "not a regular file");
      return NULL;
    }
  if (!mail_check_size ((guint64) st.st_size, limits, error))
    {
      close (fd);
      return NULL;
    }
  /* Bounded to the size checked above, even if the file grows. */
  g_autoptr (GMimeStream) stream = g_mime_stream_fs_new_with_bounds (fd, 0, st.st_size);
  return mail_parse_stream (stream, limits, error);
}

Mail *
mail_parse_bytes (GBytes *bytes, const Limits *limits, GError **error)
{
  gsize len;
  gconstpointer data = g_bytes_get_data (bytes, &len);

  if (!mail_check_size (len, limits, error))
    return NULL;
  if (len > G_MAXUINT)   /* GByteArray's length is a guint */
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_MAIL_TOO_LARGE,
                   "mail is over 4 GiB");
      return NULL;
    }
  /* GMime reads the caller's bytes in place: the array only wraps them,
   * and the stream does not own it.  Nothing GMime built outlives this
   * function, so the wrapper is released (not its data) at the end. */
  g_autoptr (GBytes) held = g_bytes_ref (bytes);
  GByteArray *wrapper = g_byte_array_new_take ((guint8 *) data, len);
  Mail *mail = NULL;
  {
    g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (wrapper);
    g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
    mail = mail_parse_stream (stream, limits, error);
  }
  g_byte_array_free (wrapper, FALSE);
  return mail;
}
