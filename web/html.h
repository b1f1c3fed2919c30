/*
 * html.h -- building HTML safely.
 *
 * Everything a reporter wrote (org names, report ids, domains, comments,
 * file names) is attacker-controlled: it reaches a page only through
 * html_escape()/html_append_text() or g_markup_printf_escaped().  Attribute
 * values use the same escaping (quotes included).  URLs built from data go
 * through html_append_url_component() (percent-encoding) and then escaping.
 *
 * Pages have one layout: html_page_begin() writes the head (our own
 * stylesheet /static/style.css, no script, no other host) and the navigation;
 * html_page_end() closes it.
 */
#ifndef DMARCSTAT_HTML_H
#define DMARCSTAT_HTML_H

#include <glib.h>

/* Appends TEXT with & < > " ' escaped (NULL appends nothing). */
void html_append_text (GString *out, const char *text);
/* As html_append_text, with each bidirectional control (U+202A..U+202E,
 * U+2066..U+2069, LRM, RLM, ALM) written as "[U+202E]": for places where
 * no element can isolate a reporter's string (a <title>, an attribute),
 * where an override would make a name read differently from its bytes
 * (the "Trojan Source" trick, CVE-2021-42574). */
void html_append_text_shown (GString *out, const char *text);
gboolean html_is_bidi_control (gunichar c);
/* (transfer full) */
char *html_escape (const char *text);
/* Appends TEXT percent-encoded for use inside a path segment or query value. */
void html_append_url_component (GString *out, const char *text);

/* TITLE is plain text (escaped here).  ACTIVE names the nav entry to mark:
 * "overview", "reports", "failures" or NULL. */
void html_page_begin (GString *out, const char *title, const char *active);
void html_page_end (GString *out);

#endif
