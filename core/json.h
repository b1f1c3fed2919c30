/*
 * json.h -- writing JSON strings (RFC 8259), the one escaping every JSON
 * output of dmarcstat shares (export, the web API, advice).
 *
 * Quote and backslash are escaped; control characters, < > & and
 * U+2028/U+2029 become \uXXXX (so that no sniffing client ever sees markup
 * and the text is safe inside a script context too); invalid UTF-8 is
 * replaced by U+FFFD.  NULL is written as null.
 */
#ifndef DMARCSTAT_JSON_H
#define DMARCSTAT_JSON_H

#include <glib.h>

void json_append_string (GString *out, const char *text);

#endif
