/*
 * mail.h -- from one mail file to the attachments that may hold reports.
 *
 * mail_parse_*() reads a whole RFC 5322 message with GMime, walks every part
 * (into multiparts and forwarded message/rfc822 parts, to mail_max_depth),
 * and keeps the candidate parts: zip, gzip and XML media types, and any type
 * whose file name ends in .xml, .zip or .gz (SPEC "Ingest rules").  Each
 * candidate is decoded (base64, quoted-printable) into memory with a cap of
 * mail_max_bytes; its real format is decided later by unpack.c from magic
 * bytes, not from the label.
 *
 * Errors (DMARCSTAT_ERROR, stage mail): MAIL_TOO_LARGE, MAIL_PARSE,
 * MAIL_NO_REPORT (no candidate part), MAIL_LIMIT (too many parts, too deep).
 */
#ifndef DMARCSTAT_MAIL_H
#define DMARCSTAT_MAIL_H

#include <glib.h>
#include "core/limits.h"

typedef struct
{
  char *filename;      /* UTF-8 (made valid), NULL when the part has none */
  char *content_type;  /* "type/subtype", lower case */
  char *part_path;     /* GMime part path, "0" for a single-part mail */
  GBytes *data;        /* decoded content, owned */
} MailAttachment;

typedef struct
{
  char *message_id;    /* without <>, NULL when absent */
  char *subject;       /* decoded, UTF-8 */
  char *from;          /* From: as text */
  gint64 date;         /* Date: in seconds since the epoch, 0 when absent */
  GPtrArray *attachments;  /* MailAttachment*, owned, in part order */
  GPtrArray *warnings;     /* char*, owned: GMime warnings worth keeping */
} Mail;

/* (transfer full) */
Mail *mail_parse_file (const char *path, const Limits *limits, GError **error);
/* (transfer full); BYTES is referenced, not copied */
Mail *mail_parse_bytes (GBytes *bytes, const Limits *limits, GError **error);
void mail_free (Mail *mail);
void mail_attachment_free (MailAttachment *attachment);

/* Called once at program start (g_mime_init) and at exit. */
void mail_library_init (void);
void mail_library_shutdown (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mail, mail_free)

#endif
