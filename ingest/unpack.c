/*
 * NAME
 *	unpack -- from an attachment's bytes to streams of XML, with caps
 * SYNOPSIS
 *	#include "ingest/unpack.h"
 *
 *	Unpacker *unpack_open (GBytes *data, const char *name,
 *	                       const Limits *limits, GError **error);
 *	int unpack_next_entry (Unpacker *u, const char **name_out,
 *	                       GError **error);
 *	gssize unpack_read (Unpacker *u, void *buf, gsize len, GError **error);
 *	void unpack_free (Unpacker *u);
 * DESCRIPTION
 *	The format comes from magic bytes, never from the label: "PK\3\4"
 *	is zip, 1f 8b is gzip, and anything else is handed through unchanged
 *	as XML (a BOM included: the XML parser handles it, and rejects what
 *	is not XML).
 *
 *	libarchive reads the attachment in place (archive_read_open_memory
 *	does not copy, so the Unpacker holds a GBytes reference until
 *	archive_read_free).  Only the readers needed are registered: zip
 *	for zip; for gzip, the gzip filter, the raw format, and the empty
 *	format (raw does not bid on a gzip of zero bytes).  The *_all variants
 *	would also register lrzip, lzop and grzip, which run programs.
 *
 *	Caps, checked as bytes arrive: every entry header (regular or not)
 *	counts against zip_max_entries; decompressed bytes of the whole
 *	attachment count against unpack_max_bytes, and, once past
 *	UNPACK_RATIO_FLOOR, against unpack_max_ratio times the attachment's
 *	length (for zip, archive_filter_bytes() does not see the deflated
 *	input, so the attachment length is the one honest denominator).
 *
 *	Ownership: the Unpacker owns its archive handle, its GBytes
 *	reference and its copy of the limits.  Entry names are UTF-8 (made
 *	valid) and live until the next unpack_next_entry().
 * DIAGNOSTICS
 *	UNPACK_CORRUPT (libarchive's first reason, copied when it appears:
 *	the next call may return ARCHIVE_FATAL with no message),
 *	UNPACK_TOO_LARGE, UNPACK_RATIO, UNPACK_ENTRIES, UNPACK_ENCRYPTED,
 *	UNPACK_EMPTY (a zip without any regular file).  Errors are sticky:
 *	once a call failed, every later call fails the same way.
 */
#include "ingest/unpack.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/log.h"

#include <archive.h>
#include <archive_entry.h>
#include "core/autocleanups.h"

#include <string.h>

/* Below this much output, any ratio is fine: a tiny attachment of
 * repetitive XML compresses far better than 1000:1 without harm. */
#define UNPACK_RATIO_FLOOR (G_GUINT64_CONSTANT (1024) * 1024)

typedef enum
{
  ENTRY_NONE,      /* before the first entry, or between zip entries */
  ENTRY_OPEN,      /* unpack_read() reads the current entry */
  ENTRY_DONE,      /* no more entries */
} EntryState;

struct _Unpacker
{
  GBytes *data;              /* owned reference: libarchive reads it in place */
  char *name;                /* attachment name, UTF-8, may be NULL */
  Limits limits;             /* a copy: the caller's may not outlive us */
  UnpackFormat format;
  struct archive *archive;   /* owned; NULL for plain XML */
  EntryState state;
  char *entry_name;          /* current entry, UTF-8 */
  guint64 entry_size;        /* size a zip entry declares (plain: its size), 0 when unknown */
  guint64 n_headers;         /* zip entries seen, regular or not */
  guint n_regular;           /* regular entries handed out */
  gsize plain_offset;        /* read position in DATA for plain XML */
  guint64 out_bytes;         /* decompressed bytes, whole attachment */
  GError *failure;           /* sticky first error */
};

UnpackFormat
unpack_format (const Unpacker *unpacker)
{
  return unpacker->format;
}

const char *
unpack_format_name (UnpackFormat format)
{
  switch (format)
    {
    case UNPACK_FORMAT_XML: return "xml";
    case UNPACK_FORMAT_GZIP: return "gzip";
    case UNPACK_FORMAT_ZIP: return "zip";
    }
  return "unknown";
}

void
unpack_free (Unpacker *unpacker)
{
  if (unpacker == NULL)
    return;
  /* The archive first: it reads from DATA until it is freed. */
  g_clear_pointer (&unpacker->archive, archive_read_free);
  g_clear_pointer (&unpacker->data, g_bytes_unref);
  g_free (unpacker->name);
  g_free (unpacker->entry_name);
  g_clear_error (&unpacker->failure);
  g_free (unpacker);
}

/* What a message is about: 'zip entry "a.xml"' (escaped: entry names are
 * hostile), "gzip" or "xml"; NULL for the zip as a whole, whose messages
 * are whole sentences.  The caller names the attachment itself.
 * (transfer full) */
static char *
unpack_subject (const Unpacker *u)
{
  if (u->format != UNPACK_FORMAT_ZIP)
    return g_strdup (unpack_format_name (u->format));
  if (u->entry_name == NULL)
    return NULL;
  g_autofree char *safe = log_safe_str (u->entry_name);
  return g_strdup_printf ("zip entry \"%s\"", safe);
}

/* The first failure, again: errors are sticky. */
static int
unpack_replay (Unpacker *u, GError **error)
{
  u->state = ENTRY_DONE;
  if (error != NULL)
    *error = g_error_copy (u->failure);
  return -1;
}

/* Records the first failure and hands a copy to the caller.  Returns -1
 * so that callers can write "return unpack_fail (...)". */
static int
unpack_fail (Unpacker *u, GError **error, int code, const char *format, ...) G_GNUC_PRINTF (4, 5);

static int
unpack_fail (Unpacker *u, GError **error, int code, const char *format, ...)
{
  va_list args;
  g_autofree char *reason = NULL;
  g_autofree char *subject = unpack_subject (u);

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  if (u->failure == NULL)
    u->failure = subject ? g_error_new (DMARCSTAT_ERROR, code, "%s: %s", subject, reason)
                         : g_error_new_literal (DMARCSTAT_ERROR, code, reason);
  return unpack_replay (u, error);
}

/* libarchive's reason, copied now: it can be NULL, and the next call may
 * fail with no message at all. */
static int
unpack_fail_archive (Unpacker *u, GError **error)
{
  const char *why = u->archive ? archive_error_string (u->archive) : NULL;
  g_autofree char *safe = log_safe_str (why ? why : "damaged or truncated data");
  gboolean whole_zip = u->format == UNPACK_FORMAT_ZIP && u->entry_name == NULL;

  return unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_CORRUPT, "%s%s",
                      whole_zip ? "damaged zip: " : "", safe);
}

static UnpackFormat
unpack_sniff (GBytes *data)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  if (len >= 4 && memcmp (p, "PK\3\4", 4) == 0)
    return UNPACK_FORMAT_ZIP;
  if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
    return UNPACK_FORMAT_GZIP;
  return UNPACK_FORMAT_XML;
}

static gboolean
unpack_open_archive (Unpacker *u, GError **error)
{
  gsize len;
  const void *p = g_bytes_get_data (u->data, &len);

  u->archive = archive_read_new ();
  if (u->format == UNPACK_FORMAT_ZIP)
    archive_read_support_format_zip (u->archive);
  else
    {
      archive_read_support_filter_gzip (u->archive);
      archive_read_support_format_raw (u->archive);
      /* raw refuses an empty stream; a gzip of nothing is one empty entry */
      archive_read_support_format_empty (u->archive);
    }
  if (archive_read_open_memory (u->archive, p, len) != ARCHIVE_OK)
    {
      unpack_fail_archive (u, error);
      return FALSE;
    }
  return TRUE;
}

/* A zip's entries are counted before any is read, so that a zip over
 * zip_max_entries is refused whole rather than after its first reports
 * were stored.  Skipping an entry reads its header, not its data. */
static gboolean
unpack_precount_zip (Unpacker *u, GError **error)
{
  struct archive_entry *entry;
  guint64 n = 0;
  int rc;

  while ((rc = archive_read_next_header (u->archive, &entry)) == ARCHIVE_OK
         || rc == ARCHIVE_WARN)
    {
      if (++n > u->limits.zip_max_entries)
        {
          unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_ENTRIES,
                       "zip has more than %" G_GUINT64_FORMAT " entries (zip_max_entries)",
                       u->limits.zip_max_entries);
          return FALSE;
        }
      archive_read_data_skip (u->archive);
    }
  /* Damage found here is reported by the real pass, entry by entry. */
  g_clear_pointer (&u->archive, archive_read_free);
  return unpack_open_archive (u, error);
}

Unpacker *
unpack_open (GBytes *data, const char *name, const Limits *limits, GError **error)
{
  g_return_val_if_fail (data != NULL && limits != NULL, NULL);

  g_autoptr (Unpacker) u = g_new0 (Unpacker, 1);
  u->data = g_bytes_ref (data);
  u->name = name ? g_utf8_make_valid (name, -1) : NULL;
  u->limits = *limits;
  u->format = unpack_sniff (data);
  if (u->format != UNPACK_FORMAT_XML && !unpack_open_archive (u, error))
    return NULL;
  if (u->format == UNPACK_FORMAT_ZIP && !unpack_precount_zip (u, error))
    return NULL;
  return g_steal_pointer (&u);
}

static void
unpack_set_entry_name (Unpacker *u, const char *name)
{
  g_free (u->entry_name);
  u->entry_name = g_utf8_make_valid (name ? name : "(unnamed)", -1);
}

/* Plain XML and gzip: exactly one entry, named after the attachment. */
static int
unpack_next_single (Unpacker *u, const char **name_out, GError **error)
{
  if (u->n_regular > 0)
    {
      u->state = ENTRY_DONE;
      return 0;
    }
  if (u->format == UNPACK_FORMAT_GZIP)
    {
      struct archive_entry *entry;
      int rc = archive_read_next_header (u->archive, &entry);
      if (rc == ARCHIVE_EOF)
        {
          u->state = ENTRY_DONE;   /* nothing inside: reads return 0 */
          u->n_regular++;
          unpack_set_entry_name (u, u->name);
          *name_out = u->entry_name;
          return 1;
        }
      if (rc < ARCHIVE_WARN)
        return unpack_fail_archive (u, error);
    }
  if (u->format == UNPACK_FORMAT_XML)
    u->entry_size = g_bytes_get_size (u->data);
  u->n_regular++;
  u->state = ENTRY_OPEN;
  unpack_set_entry_name (u, u->name);
  *name_out = u->entry_name;
  return 1;
}

static const char *
unpack_entry_path (struct archive_entry *entry)
{
  const char *path = archive_entry_pathname_utf8 (entry);
  return path ? path : archive_entry_pathname (entry);
}

static int
unpack_next_zip (Unpacker *u, const char **name_out, GError **error)
{
  struct archive_entry *entry;

  for (;;)
    {
      int rc = archive_read_next_header (u->archive, &entry);
      if (rc == ARCHIVE_EOF)
        {
          u->state = ENTRY_DONE;
          g_clear_pointer (&u->entry_name, g_free);
          if (u->n_regular == 0)
            return unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_EMPTY, "zip has no file entries");
          return 0;
        }
      if (rc < ARCHIVE_WARN)
        return unpack_fail_archive (u, error);
      unpack_set_entry_name (u, unpack_entry_path (entry));
      if (++u->n_headers > u->limits.zip_max_entries)
        {
          g_clear_pointer (&u->entry_name, g_free);
          return unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_ENTRIES,
                              "zip has more than %" G_GUINT64_FORMAT " entries (zip_max_entries)",
                              u->limits.zip_max_entries);
        }
      if (archive_entry_filetype (entry) != AE_IFREG)
        continue;   /* directories, links: nothing to read */
      u->entry_size = archive_entry_size_is_set (entry) && archive_entry_size (entry) > 0
                      ? (guint64) archive_entry_size (entry) : 0;
      if (archive_entry_is_encrypted (entry))
        return unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_ENCRYPTED,
                            "encrypted entries are not supported");
      u->n_regular++;
      u->state = ENTRY_OPEN;
      *name_out = u->entry_name;
      return 1;
    }
}

int
unpack_next_entry (Unpacker *unpacker, const char **name_out, GError **error)
{
  g_return_val_if_fail (unpacker != NULL && name_out != NULL, -1);

  *name_out = NULL;
  if (unpacker->failure != NULL)
    return unpack_replay (unpacker, error);
  if (unpacker->state == ENTRY_DONE && unpacker->n_regular > 0)
    return 0;
  if (unpacker->format == UNPACK_FORMAT_ZIP)
    return unpack_next_zip (unpacker, name_out, error);
  return unpack_next_single (unpacker, name_out, error);
}

/* The caps, on every chunk as it arrives. */
static gboolean
unpack_count (Unpacker *u, gsize n, GError **error)
{
  guint64 in_bytes = MAX (g_bytes_get_size (u->data), 1);
  guint64 max_out;

  u->out_bytes += n;
  if (u->out_bytes > u->limits.unpack_max_bytes)
    {
      g_autofree char *max = limits_format_bytes (u->limits.unpack_max_bytes);
      /* A zip entry's declared size may lie, but when it is over the
       * cap it is the number the user wants to see. */
      g_autofree char *size = u->entry_size > u->limits.unpack_max_bytes
                              ? limits_format_bytes (u->entry_size) : g_strdup ("output");
      unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_TOO_LARGE,
                   "%s exceeds unpack_max_bytes (%s)", size, max);
      return FALSE;
    }
  if (u->out_bytes > UNPACK_RATIO_FLOOR
      && (!g_uint64_checked_mul (&max_out, in_bytes, u->limits.unpack_max_ratio)
          || u->out_bytes > max_out))
    {
      g_autofree char *out = limits_format_bytes (u->out_bytes);
      g_autofree char *in = limits_format_bytes (in_bytes);
      unpack_fail (u, error, DMARCSTAT_ERROR_UNPACK_RATIO,
                   "%s from %s exceeds unpack_max_ratio (%" G_GUINT64_FORMAT ":1)",
                   out, in, u->limits.unpack_max_ratio);
      return FALSE;
    }
  return TRUE;
}

static gssize
unpack_read_plain (Unpacker *u, void *buf, gsize len)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (u->data, &size);
  gsize n = MIN (len, size - u->plain_offset);

  if (n > 0)
    memcpy (buf, p + u->plain_offset, n);
  u->plain_offset += n;
  return (gssize) n;
}

gssize
unpack_read (Unpacker *unpacker, void *buf, gsize len, GError **error)
{
  gssize n;

  g_return_val_if_fail (unpacker != NULL && (buf != NULL || len == 0), -1);

  if (unpacker->failure != NULL)
    return unpack_replay (unpacker, error);
  if (unpacker->state != ENTRY_OPEN || len == 0)
    return 0;
  len = MIN (len, (gsize) G_MAXSSIZE);
  if (unpacker->format == UNPACK_FORMAT_XML)
    n = unpack_read_plain (unpacker, buf, len);
  else
    {
      la_ssize_t got = archive_read_data (unpacker->archive, buf, len);
      if (got < 0)
        return unpack_fail_archive (unpacker, error);
      n = (gssize) got;
      /* Crash tests (faults.t): a kill with an archive half inflated and
       * its first reports already saved in the open transaction. */
      if (n > 0)
        fault_point ("mid_unpack");
    }
  if (n == 0)
    {
      unpacker->state = ENTRY_NONE;
      return 0;
    }
  if (!unpack_count (unpacker, (gsize) n, error))
    return -1;
  return n;
}
