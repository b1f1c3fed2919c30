/*
 * copy_text.h -- PostgreSQL's COPY text format and array literals, for
 * store/ files only.
 *
 * COPY text: columns separated by tabs, rows by newlines, NULL written \N,
 * and backslash, tab, newline and carriage return escaped.  An array goes in
 * as its literal ({"a",NULL}) with element quoting, then COPY escaping on top.
 */
#ifndef DMARCSTAT_COPY_TEXT_H
#define DMARCSTAT_COPY_TEXT_H

#include <glib.h>

/* Appends TEXT (NULL -> \N) escaped for COPY. */
void copy_text_append (GString *row, const char *text);

/* Appends an integer column. */
void copy_text_append_int (GString *row, gint64 value);

/* Appends the array literal of N strings got by GET(ARRAY, i). */
typedef const char *(*CopyTextGetFunc) (GPtrArray *array, guint i);
void copy_text_append_array (GString *row, GPtrArray *array, CopyTextGetFunc get);

/* The array literal of ARRAY's strings, for a query parameter.
 * (transfer full) */
char *copy_text_array_literal (GPtrArray *strings);

#endif
