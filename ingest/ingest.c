/*
 * ingest.c -- see ingest.h.
 */
#include "ingest/ingest.h"
#include "ingest/mail.h"
#include "ingest/unpack.h"
#include "ingest/xml_report.h"
#include "store/save_report.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A private code path out of the parser: the report is already stored, so
 * reading the rest of it would be wasted work. */
#define INGEST_DUPLICATE_ERROR (g_quark_from_static_string ("dmarcstat-ingest-duplicate"))

/* Latest date a report may name: 9999-12-31T23:59:59Z, as PostgreSQL's
 * timestamptz and every sane reporter agree. */
#define INGEST_MAX_TIME G_GINT64_CONSTANT (253402300799)

/* The state of one input while it is being ingested. */
typedef struct
{
  IngestContext *ctx;       /* borrowed */
  const char *input;        /* borrowed: the name the user knows */
  const char *sha256;       /* borrowed */
  const char *failed_path;  /* borrowed */
  gint64 input_id;
  IngestStats *stats;       /* borrowed */
  guint n_ok;               /* reports stored or already present */
  GPtrArray *rejections;    /* owned GError*: the parts rejected */
} InputState;

/* The state of one report document: the tee of its original XML and the
 * writer of its records. */
typedef struct
{
  InputState *in;           /* borrowed */
  Unpacker *unpacker;       /* borrowed */
  ReportOrigin origin;      /* strings borrowed from the caller */
  GByteArray *keep;         /* owned: original XML up to xml_keep_max_bytes */
  guint64 xml_bytes;        /* all bytes read */
  ReportWriter *writer;     /* owned while COPY runs */
  gboolean is_duplicate;
} ReportState;

static gssize
ingest_tee_read (gpointer data, void *buf, gsize len, GError **error)
{
  ReportState *rs = data;
  gssize n = unpack_read (rs->unpacker, buf, len, error);

  if (n > 0)
    {
      guint64 room = rs->in->ctx->limits->xml_keep_max_bytes - MIN (rs->keep->len, rs->in->ctx->limits->xml_keep_max_bytes);
      g_byte_array_append (rs->keep, buf, (guint) MIN ((guint64) n, room));
      rs->xml_bytes += (guint64) n;
    }
  return n;
}

static gboolean
sink_begin (Report *report, gpointer data, GError **error)
{
  ReportState *rs = data;

  if (report->has_date_range
      && (report->begin < 0 || report->end > INGEST_MAX_TIME))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_INVALID,
                   "date_range %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                   " is outside the years 1970 to 9999", report->begin, report->end);
      return FALSE;
    }
  rs->writer = save_report_begin (rs->in->ctx->store, report, &rs->origin,
                                  &rs->is_duplicate, error);
  if (rs->writer != NULL)
    return TRUE;
  if (rs->is_duplicate)
    g_set_error_literal (error, INGEST_DUPLICATE_ERROR, 0, "duplicate");
  return FALSE;
}

static gboolean
sink_records (Report *report G_GNUC_UNUSED, GPtrArray *batch, gpointer data, GError **error)
{
  ReportState *rs = data;
  fault_point ("mid_copy");
  return save_report_records (rs->writer, batch, error);
}

static gboolean
sink_end (Report *report, gpointer data, GError **error)
{
  ReportState *rs = data;
  ReportWriter *writer = g_steal_pointer (&rs->writer);
  if (!save_report_finish (writer, report, rs->keep->data, rs->keep->len,
                           rs->xml_bytes, error))
    return FALSE;
  rs->in->stats->n_records += report->n_records;
  rs->in->stats->total_count += report->total_count;
  return TRUE;
}

static void
sink_abort (Report *report G_GNUC_UNUSED, gpointer data)
{
  ReportState *rs = data;
  g_clear_pointer (&rs->writer, save_report_abort);
}

static const ReportSink ingest_sink = { sink_begin, sink_records, sink_end, sink_abort };

/* Remembers a rejected part: prints it through the context's callback and
 * keeps it for the input's failure rows. */
static void
ingest_reject_part (InputState *in, GError *error)
{
  in->stats->n_rejected++;
  if (in->ctx->on_reject != NULL)
    in->ctx->on_reject (in->input, error, in->ctx->reject_data);
  if (in->rejections->len < 100)
    g_ptr_array_add (in->rejections, g_error_copy (error));
}

/* One XML document inside its own savepoint.  FALSE only when the whole
 * input must be retried (ERROR set, transient). */
static gboolean
ingest_document (InputState *in, Unpacker *unpacker, const ReportOrigin *origin,
                 const char *label, gboolean *unpack_failed_out, GError **error)
{
  Store *store = in->ctx->store;
  ReportState rs = { .in = in, .unpacker = unpacker, .origin = *origin };
  g_autoptr (GByteArray) keep = rs.keep = g_byte_array_new ();
  GError *local = NULL;

  if (!store_savepoint (store, error))
    return FALSE;
  fault_point ("segv_parse");
  gboolean ok = xml_report_parse (ingest_tee_read, &rs, origin->entry_name,
                                  in->ctx->limits, &ingest_sink, &rs, &local);
  g_clear_pointer (&rs.writer, save_report_abort);
  if (ok || g_error_matches (local, INGEST_DUPLICATE_ERROR, 0))
    {
      if (!store_release_savepoint (store, error))
        return FALSE;
      in->n_ok++;
      if (ok)
        in->stats->n_reports++;
      else
        in->stats->n_duplicates++;
      g_clear_error (&local);
      return TRUE;
    }
  if (error_is_transient (local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!store_rollback_to_savepoint (store, error))
    {
      g_error_free (local);
      return FALSE;
    }
  /* After a damaged or capped entry libarchive cannot go on: the caller
   * stops reading this attachment. */
  *unpack_failed_out = error_stage (local) == STAGE_UNPACK;
  if (unpack_format (unpacker) == UNPACK_FORMAT_ZIP && origin->entry_name != NULL
      && !*unpack_failed_out)   /* unpack errors name their entry already */
    {
      g_autofree char *entry = log_safe_str (origin->entry_name);
      g_prefix_error (&local, "zip entry \"%s\": ", entry);
    }
  if (label != NULL)
    g_prefix_error (&local, "%s: ", label);
  ingest_reject_part (in, local);
  g_error_free (local);
  return TRUE;
}

/* How a rejection names a mail's part: its file name, made safe to print,
 * or its MIME part path. */
static char *
ingest_part_label (const char *attachment_name, const char *part_path)
{
  if (attachment_name != NULL)
    {
      g_autofree char *safe = log_safe_str (attachment_name);
      return g_strdup_printf ("attachment \"%s\"", safe);
    }
  return g_strdup_printf ("part %s", part_path ? part_path : "0");
}

/* Every document of one attachment (one for gzip and XML, each entry of a
 * zip).  FALSE only when the input must be retried. */
static gboolean
ingest_attachment (InputState *in, GBytes *data, const char *attachment_name,
                   const char *label, GError **error)
{
  GError *local = NULL;
  g_autoptr (Unpacker) unpacker = unpack_open (data, attachment_name ? attachment_name : in->input,
                                               in->ctx->limits, &local);
  const char *entry_name = NULL;
  gboolean unpack_failed = FALSE;

  while (unpacker != NULL && !unpack_failed
         && unpack_next_entry (unpacker, &entry_name, &local) == 1)
    {
      g_autofree char *entry = g_strdup (entry_name);
      ReportOrigin origin = {
        .input_id = in->input_id,
        .source_file = in->input,
        .attachment_name = attachment_name,
        .entry_name = entry,
        .container = unpack_format_name (unpack_format (unpacker)),
      };
      if (!ingest_document (in, unpacker, &origin, label, &unpack_failed, error))
        return FALSE;
    }
  if (local != NULL)
    {
      if (label != NULL)
        g_prefix_error (&local, "%s: ", label);
      ingest_reject_part (in, local);
      g_error_free (local);
    }
  return TRUE;
}

/* Reads PATH whole, refusing anything over mail_max_bytes before reading. */
static GBytes *
ingest_read_file (const char *path, const Limits *limits, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat st;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO, "cannot read: %s", g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || (guint64) st.st_size > limits->mail_max_bytes)
    {
      g_autofree char *size = limits_format_bytes ((guint64) st.st_size);
      g_autofree char *max = limits_format_bytes (limits->mail_max_bytes);
      close (fd);
      g_set_error (error, DMARCSTAT_ERROR,
                   S_ISREG (st.st_mode) ? DMARCSTAT_ERROR_MAIL_TOO_LARGE : DMARCSTAT_ERROR_IO,
                   S_ISREG (st.st_mode) ? "%s exceeds mail_max_bytes (%s)" : "not a regular file",
                   size, max);
      return NULL;
    }
  GByteArray *buf = g_byte_array_sized_new ((guint) st.st_size + 1);
  guint8 chunk[65536];
  ssize_t n;
  while ((n = read (fd, chunk, sizeof chunk)) > 0)
    {
      if ((guint64) buf->len + (guint64) n > limits->mail_max_bytes)
        break;   /* grew while we read: the cap still holds */
      g_byte_array_append (buf, chunk, (guint) n);
    }
  int saved = errno;
  close (fd);
  if (n < 0)
    {
      g_byte_array_unref (buf);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO, "cannot read: %s", g_strerror (saved));
      return NULL;
    }
  return g_byte_array_free_to_bytes (buf);
}

/* A file named like a mail is a mail; one named like a report is a report
 * (whatever it holds: the later stages say what is wrong with it); any
 * other is a report when its first bytes are zip, gzip or XML, else a mail. */
static gboolean
ingest_looks_like_mail (const char *path, GBytes *bytes)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);

  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".eml") || g_str_has_suffix (lower, ".elm")
      || g_str_has_suffix (lower, ".msg"))
    return TRUE;
  if (g_str_has_suffix (lower, ".xml") || g_str_has_suffix (lower, ".gz")
      || g_str_has_suffix (lower, ".zip"))
    return FALSE;
  if (len >= 4 && memcmp (p, "PK\3\4", 4) == 0)
    return FALSE;
  if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
    return FALSE;
  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    return FALSE;
  gsize i = 0;
  while (i < len && g_ascii_isspace (p[i]))
    i++;
  return !(i < len && p[i] == '<');
}

static char *
ingest_sha256 (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* Valid UTF-8 for a text column: headers and paths may be anything. */
static char *
ingest_text (const char *text)
{
  return text ? g_utf8_make_valid (text, -1) : NULL;
}

/* The parts of a mail, or the bare file as its only part. */
static gboolean
ingest_parts (InputState *in, GBytes *data, Mail *mail, GError **error)
{
  if (mail == NULL)
    {
      g_autofree char *base = g_path_get_basename (in->input);
      return ingest_attachment (in, data, base, NULL, error);
    }
  for (guint i = 0; i < mail->attachments->len; i++)
    {
      MailAttachment *att = g_ptr_array_index (mail->attachments, i);
      g_autofree char *label = ingest_part_label (att->filename, att->part_path);
      if (!ingest_attachment (in, att->data, att->filename, label, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ingest_save_rejections (InputState *in, GError **error)
{
  for (guint i = 0; i < in->rejections->len; i++)
    {
      const GError *e = g_ptr_array_index (in->rejections, i);
      /* Part "" is the input's own row, the one a listing of failed mails
       * shows; the other parts are numbered. */
      g_autofree char *part = (in->n_ok == 0 && i == 0) ? g_strdup ("") : g_strdup_printf ("%u", i + 1);
      if (!save_failure (in->ctx->store, in->sha256, part, in->failed_path,
                         error_stage_name (error_stage (e)), e->message, error))
        return FALSE;
    }
  return TRUE;
}

/* The transaction of one input.  FALSE: rolled back, ERROR set. */
static gboolean
ingest_transaction (InputState *in, GBytes *data, Mail *mail, guint64 size, GError **error)
{
  Store *store = in->ctx->store;
  g_autofree char *path = ingest_text (in->input);
  g_autofree char *message_id = ingest_text (mail ? mail->message_id : NULL);
  g_autofree char *subject = ingest_text (mail ? mail->subject : NULL);
  g_autofree char *from = ingest_text (mail ? mail->from : NULL);
  InputInfo info = { in->sha256, path, message_id, subject, from,
                     mail ? mail->date : 0, size };

  if (!store_begin (store, error))
    return FALSE;
  if (!save_input (store, &info, &in->input_id, error)
      || !ingest_parts (in, data, mail, error)
      || !ingest_save_rejections (in, error))
    {
      store_rollback (store);
      return FALSE;
    }
  fault_point ("before_commit");
  if (!store_commit (store, error))
    return FALSE;
  fault_point ("after_commit");
  return TRUE;
}

/* Records a whole-input rejection in its own transaction. */
static gboolean
ingest_save_whole_failure (InputState *in, const GError *reason, GError **error)
{
  Store *store = in->ctx->store;
  g_autofree char *path = ingest_text (in->failed_path);
  if (!store_begin (store, error))
    return FALSE;
  if (!save_failure (store, in->sha256, "", path, error_stage_name (error_stage (reason)),
                     reason->message, error))
    {
      store_rollback (store);
      return FALSE;
    }
  return store_commit (store, error);
}

static IngestOutcome
ingest_reject_whole (InputState *in, GError *reason, GError **error)
{
  GError *local = NULL;
  in->stats->n_rejected++;
  if (!ingest_save_whole_failure (in, reason, &local) && error_is_transient (local))
    {
      g_error_free (reason);
      g_propagate_error (error, local);
      return INGEST_RETRY;
    }
  if (local != NULL)
    g_warning ("%s: cannot record the failure: %s", in->input, local->message);
  g_clear_error (&local);
  g_propagate_error (error, reason);
  return INGEST_REJECTED;
}

IngestOutcome
ingest_input (IngestContext *ctx, const char *path, GBytes *bytes, IngestKind kind,
              const char *failed_path, IngestStats *stats, GError **error)
{
  GError *local = NULL;
  g_autoptr (GBytes) data = bytes ? g_bytes_ref (bytes) : ingest_read_file (path, ctx->limits, &local);
  g_autofree char *sha256 = data ? ingest_sha256 (data)
                                 : g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  g_autoptr (GPtrArray) rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  InputState in = { .ctx = ctx, .input = path, .sha256 = sha256,
                    .failed_path = failed_path ? failed_path : path,
                    .stats = stats, .rejections = rejections };
  g_autoptr (Mail) mail = NULL;

  stats->n_inputs++;
  if (data == NULL)
    return ingest_reject_whole (&in, local, error);
  if (kind == INGEST_KIND_MAIL || ingest_looks_like_mail (path, data))
    {
      mail = mail_parse_bytes (data, ctx->limits, &local);
      if (mail == NULL)
        return ingest_reject_whole (&in, local, error);
    }

  IngestStats saved = *stats;
  if (!ingest_transaction (&in, data, mail, g_bytes_get_size (data), &local))
    {
      *stats = saved;   /* nothing of it was kept */
      if (error_is_transient (local) || !store_is_ok (ctx->store))
        {
          g_propagate_error (error, local);
          return INGEST_RETRY;
        }
      return ingest_reject_whole (&in, local, error);
    }
  return in.n_ok > 0 ? INGEST_STORED : INGEST_REJECTED;
}
