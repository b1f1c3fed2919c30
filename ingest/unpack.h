/*
 * unpack.h -- from an attachment's bytes to streams of XML, with caps.
 *
 * unpack_open() decides the format from magic bytes: "PK\3\4" is zip,
 * "\x1f\x8b" is gzip, anything else is tried as plain XML (text, BOM or
 * leading whitespace).  A zip yields each regular file entry in turn (up to
 * zip_max_entries; directories skipped, encrypted entries rejected); gzip
 * and plain data yield exactly one entry.  The data is never inflated whole:
 * unpack_read() hands out decompressed bytes as they come, counting them
 * against unpack_max_bytes and, past 1 MiB, against unpack_max_ratio times
 * the attachment's length.
 *
 * Errors (DMARCSTAT_ERROR, stage unpack): UNPACK_CORRUPT, UNPACK_TOO_LARGE,
 * UNPACK_RATIO, UNPACK_ENTRIES, UNPACK_ENCRYPTED, UNPACK_FORMAT, UNPACK_EMPTY.
 */
#ifndef DMARCSTAT_UNPACK_H
#define DMARCSTAT_UNPACK_H

#include <glib.h>
#include "core/limits.h"

typedef enum
{
  UNPACK_FORMAT_XML,
  UNPACK_FORMAT_GZIP,
  UNPACK_FORMAT_ZIP,
} UnpackFormat;

typedef struct _Unpacker Unpacker;

/* DATA is referenced for the unpacker's lifetime.  NAME (the attachment's
 * file name, may be NULL) is used in messages and as the entry name of a
 * plain or gzip attachment.  (transfer full) */
Unpacker *unpack_open (GBytes *data, const char *name, const Limits *limits,
                       GError **error);
void unpack_free (Unpacker *unpacker);

UnpackFormat unpack_format (const Unpacker *unpacker);
const char *unpack_format_name (UnpackFormat format);  /* "xml", "gzip", "zip" */

/* Moves to the next entry: 1 with *NAME_OUT set (transfer none, valid until
 * the next call), 0 when there are no more, -1 with ERROR set.  A zip
 * without any regular entry fails with UNPACK_EMPTY on the first call. */
int unpack_next_entry (Unpacker *unpacker, const char **name_out, GError **error);

/* Next chunk of the current entry: bytes read, 0 at the end of the entry,
 * -1 with ERROR set.  Caps are enforced as bytes arrive. */
gssize unpack_read (Unpacker *unpacker, void *buf, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Unpacker, unpack_free)

#endif
