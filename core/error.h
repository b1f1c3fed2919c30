/*
 * error.h -- dmarcstat's one error domain and its table.
 *
 * Every failure that reaches the user is a GError in DMARCSTAT_ERROR with one
 * of the codes below.  error.c maps each code to the stage it belongs to
 * (mail, unpack, xml, store), the exit status it leads to, and whether it is
 * transient (retry later, keep the mail where it is) or permanent (the input
 * is bad: reject it, move the mail to .Failed/).
 *
 * Messages are lower-case, without a final period, and name the thing and
 * the limit.  Hostile text inside a message goes through log_safe_str().
 */
#ifndef DMARCSTAT_ERROR_H
#define DMARCSTAT_ERROR_H

#include <glib.h>

#define DMARCSTAT_ERROR (dmarcstat_error_quark ())
GQuark dmarcstat_error_quark (void);

typedef enum
{
  /* usage and environment */
  DMARCSTAT_ERROR_USAGE,          /* bad option or config value (exit 2) */
  DMARCSTAT_ERROR_IO,             /* cannot read/move a local file */

  /* mail stage */
  DMARCSTAT_ERROR_MAIL_TOO_LARGE,
  DMARCSTAT_ERROR_MAIL_PARSE,     /* not a parseable RFC 5322 message */
  DMARCSTAT_ERROR_MAIL_NO_REPORT, /* no candidate attachment at all */
  DMARCSTAT_ERROR_MAIL_LIMIT,     /* too many parts, too deep nesting */

  /* unpack stage */
  DMARCSTAT_ERROR_UNPACK_CORRUPT,   /* damaged or truncated archive */
  DMARCSTAT_ERROR_UNPACK_TOO_LARGE, /* decompressed bytes over the cap */
  DMARCSTAT_ERROR_UNPACK_RATIO,     /* compression ratio over the cap */
  DMARCSTAT_ERROR_UNPACK_ENTRIES,   /* too many files in a zip */
  DMARCSTAT_ERROR_UNPACK_ENCRYPTED,
  DMARCSTAT_ERROR_UNPACK_FORMAT,    /* neither zip, gzip nor XML */
  DMARCSTAT_ERROR_UNPACK_EMPTY,     /* archive without any XML content */

  /* xml stage */
  DMARCSTAT_ERROR_XML_MALFORMED,  /* not well-formed */
  DMARCSTAT_ERROR_XML_FORBIDDEN,  /* DTD, entity reference */
  DMARCSTAT_ERROR_XML_LIMIT,      /* depth, text size, record count */
  DMARCSTAT_ERROR_XML_NOT_REPORT, /* well-formed but not a DMARC aggregate report */
  DMARCSTAT_ERROR_XML_INVALID,    /* a report with an impossible value */

  /* store stage */
  DMARCSTAT_ERROR_STORE_UNAVAILABLE, /* connection lost or refused: transient */
  DMARCSTAT_ERROR_STORE_TRANSIENT,   /* serialization failure, deadlock, shutdown */
  DMARCSTAT_ERROR_STORE_FAILED,      /* any other SQL error: permanent */
  DMARCSTAT_ERROR_STORE_SCHEMA,      /* migrations missing or newer than us */

  /* worker */
  DMARCSTAT_ERROR_WORKER_CRASHED,

  DMARCSTAT_ERROR_N_CODES
} DmarcstatErrorCode;

typedef enum
{
  STAGE_NONE,
  STAGE_MAIL,
  STAGE_UNPACK,
  STAGE_XML,
  STAGE_STORE,
} Stage;

/* Exit statuses, as SPEC's command-line contract names them. */
enum
{
  EXIT_OK = 0,
  EXIT_REJECTED = 1,
  EXIT_USAGE = 2,
  EXIT_DB = 3,
};

Stage error_stage (const GError *error);
const char *error_stage_name (Stage stage);   /* "mail", "unpack", … or "" */
int error_exit_status (const GError *error);  /* EXIT_* for this error */
gboolean error_is_transient (const GError *error);

#endif
