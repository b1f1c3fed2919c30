/*
 * log.h -- what dmarcstat prints, and how hostile text is made safe to print.
 *
 * Two kinds of output: operational logging through g_log (one line per
 * message on stderr, or journald when stderr is the journal), and rejection
 * lines, one per rejected input, in the fixed form
 *
 *     dmarcstat: FILE: STAGE: REASON
 *
 * that users grep for and tests assert on.  Only cli/ and the daemon's
 * supervisor print rejection lines.
 */
#ifndef DMARCSTAT_LOG_H
#define DMARCSTAT_LOG_H

#include <glib.h>

/* Installs the log writer; VERBOSE turns debug messages on. */
void log_init (gboolean verbose);

/* Prints "dmarcstat: FILE: STAGE: REASON" for ERROR on stderr.  FILE is
 * escaped; STAGE comes from the error table (omitted when it has none). */
void log_reject_line (const char *file, const GError *error);

/* Escapes control characters, quotes and non-UTF-8 bytes and cuts at 200
 * bytes, so that reporter-supplied text can never drive a terminal.
 * (transfer full) */
char *log_safe_str (const char *text);

/* Same, for a length-delimited buffer that may hold NUL bytes. */
char *log_safe_buf (const char *data, gsize len);

#endif
