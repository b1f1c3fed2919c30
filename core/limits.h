/*
 * limits.h -- every cap on untrusted input, declared once.
 *
 * The defaults come from SPEC (mail size, unpacked bytes, zip entries, XML
 * depth) and CRAFT (nesting, parts, text size, records).  Each limit can be
 * changed under [limits] in the config file, within the min/max of its row
 * in limits.c.  The code that buffers untrusted bytes checks these values in
 * the loop that buffers, never after the fact.
 */
#ifndef DMARCSTAT_LIMITS_H
#define DMARCSTAT_LIMITS_H

#include <glib.h>

typedef struct
{
  guint64 mail_max_bytes;          /* one mail file */
  guint64 mail_max_parts;          /* candidate attachments per mail */
  guint64 mail_max_depth;          /* message/rfc822 nesting */
  guint64 unpack_max_bytes;        /* decompressed bytes from one attachment */
  guint64 unpack_max_ratio;        /* decompressed / compressed, past 1 MiB */
  guint64 zip_max_entries;         /* files inside one zip */
  guint64 xml_max_depth;           /* element nesting */
  guint64 xml_max_text_bytes;      /* one text value */
  guint64 xml_max_records;         /* records in one report */
  guint64 xml_keep_max_bytes;      /* original XML kept in the database */
  guint64 record_max_count;        /* a record's <count> */
} Limits;

/* The compiled-in defaults. (transfer none) */
const Limits *limits_default (void);

/* Loads [limits] from KEY_FILE (may be NULL) over the defaults into OUT.
 * Unknown keys are an error, so that a typo never silently keeps a default. */
gboolean limits_load (GKeyFile *key_file, Limits *out, GError **error);

/* Pretty size for messages: "256 MiB", "19 KiB", "300 bytes". (transfer full) */
char *limits_format_bytes (guint64 bytes);

#endif
