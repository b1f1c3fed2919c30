/*
 * csv.h -- an RFC 4180 CSV writer that spreadsheets cannot turn into code.
 *
 * Output: UTF-8 (invalid bytes become U+FFFD), no byte order mark (parsedmarc
 * writes none, and audit scripts compare headers byte for byte), fields
 * separated by commas, every row ended by CRLF.  A field is quoted when it
 * holds a comma, a double quote, CR or LF; quotes inside are doubled.  A NULL
 * field is written as an empty field.
 *
 * Formula neutralisation (OWASP "CSV injection"): reporter-supplied text
 * such as org_name reaches spreadsheets, and Excel, LibreOffice and Google
 * Sheets evaluate a cell that starts with = + - @ TAB or CR.  Such a cell is
 * written with a single quote (') in front, which spreadsheets display as
 * text.  Exception: a cell that is entirely a plain decimal number
 *
 *     [+-] digits [. digits] [(e|E) [+-] digits]     (or [+-] . digits …)
 *
 * is data, not a formula ("-5", "-0.5", "+1", "1e-3"), and is left as is so
 * that numeric columns stay numeric.  The quote goes in before RFC 4180
 * quoting, so "=a,b" comes out as "'=a,b" (quoted).
 *
 * The writer formats one row at a time and hands it to a CsvWriteFunc, so
 * the CLI can write to stdout and the web to a streamed HTTP response; it
 * keeps one row's buffer, whatever the number of rows.
 *
 * Errors: only those the CsvWriteFunc reports.
 */
#ifndef DMARCSTAT_CSV_H
#define DMARCSTAT_CSV_H

#include <glib.h>

/* Takes LEN bytes of DATA (transfer none).  FALSE with ERROR set stops the
 * writer's caller. */
typedef gboolean (*CsvWriteFunc) (const char *data, gsize len, gpointer user_data,
                                  GError **error);

typedef struct _CsvWriter CsvWriter;

/* USER_DATA is borrowed: it must outlive the writer.  (transfer full) */
CsvWriter *csv_writer_new (CsvWriteFunc write, gpointer user_data);
void csv_writer_free (CsvWriter *writer);

/* Formats FIELDS[0..N-1] (NULL entries are empty) as one row, CRLF
 * included, and passes it to the write function in one call. */
gboolean csv_write_row (CsvWriter *writer, const char *const *fields, gsize n,
                        GError **error);

/* TRUE when TEXT is entirely a plain decimal number (the exception above). */
gboolean csv_is_number (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsvWriter, csv_writer_free)

#endif
