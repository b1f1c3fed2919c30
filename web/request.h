/*
 * request.h -- the request target ("/path?query") as the pages see it.
 *
 * libmicrohttpd decodes the path itself, but silently cuts it at an
 * encoded NUL; server.c keeps the raw target and decodes it here instead,
 * with the rules every page can then rely on:
 *
 *   - the path and each query key and value are percent-decoded ('+' is a
 *     space in the query), valid UTF-8 and free of control characters,
 *     else 400; a broken escape or an encoded NUL is 400 too;
 *   - the whole target is at most 8 KiB, the path and each key or value at
 *     most 2 KiB, else 414; at most 64 query arguments, else 400;
 *   - a repeated key: the last one wins; an empty one ("a=1&&b=2") is
 *     skipped;
 *   - the query string handed back for links has every byte outside RFC
 *     3986's URI characters percent-encoded: no quote, space or angle
 *     bracket survives, whatever the client sent.
 *
 * A target not starting with '/' (absolute-form, "*") is 400.
 */
#ifndef DMARCSTAT_REQUEST_H
#define DMARCSTAT_REQUEST_H

#include <glib.h>

/* Splits RAW into a decoded *PATH_OUT, ARGS (char* -> char*, created by
 * the caller with g_free for keys and values) and a clean *QUERY_OUT
 * (without '?', "" when none).  Returns 0, or the HTTP status to answer
 * (then the outputs are unset; ARGS may hold some arguments). */
guint request_parse_target (const char *raw, char **path_out, GHashTable *args,
                            char **query_out);

#endif
