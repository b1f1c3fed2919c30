/*
 * autocleanups.h -- g_autoptr() support for the libraries' own types.
 *
 * GMime 3.2 declares no autocleanups, and libxml2, libarchive and libpq are
 * plain C; declaring them all in one place keeps each declaration unique.
 * Include only the parts you use: each block is guarded by the library's
 * own header guard, so this file never pulls a library in by itself:
 * include it once, after the library headers the file uses.
 */
#ifndef DMARCSTAT_AUTOCLEANUPS_H
#define DMARCSTAT_AUTOCLEANUPS_H

#include <glib.h>

#ifdef __GMIME_H__
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFilter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParserOptions, g_mime_parser_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePartIter, g_mime_part_iter_free)
#endif

#ifdef __XML_XMLREADER_H__
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)
#endif

#ifdef ARCHIVE_H_INCLUDED
typedef struct archive Archive;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Archive, archive_read_free)
#endif

#ifdef LIBPQ_FE_H
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
#endif

#endif
