/*
 * xml_fields.h -- private to xml_report.c: from element events to a Report.
 *
 * xml_report.c owns libxml2 (the reader, its input and its errors) and
 * feeds this module plain events: an element starts at a depth, text
 * arrives, an element ends.  This module knows where each element sits in
 * a DMARC aggregate report (by local name and by the path of its parents,
 * never by namespace), turns values into the report model, checks them,
 * and drives the ReportSink: begin() at the first <record>, records() per
 * batch of REPORT_BATCH_RECORDS, end() from xml_fields_finish().
 *
 * Ownership: the XmlFields owns its Report and the Records of the current
 * batch; LIMITS and SINK are borrowed for its lifetime.
 *
 * Errors (DMARCSTAT_ERROR): XML_NOT_REPORT, XML_INVALID, XML_LIMIT (text
 * size, record count), or the sink's own error, unchanged.
 */
#ifndef DMARCSTAT_XML_FIELDS_H
#define DMARCSTAT_XML_FIELDS_H

#include <glib.h>
#include "core/limits.h"
#include "core/report.h"

typedef struct _XmlFields XmlFields;

/* (transfer full) */
XmlFields *xml_fields_new (const Limits *limits, const ReportSink *sink, gpointer sink_data);
void xml_fields_free (XmlFields *fields);

/* An element NAME (its local name) opens at DEPTH (0 for the root, which
 * must be <feedback>; NS is its namespace URI, only read at depth 0).  The
 * caller has already checked DEPTH against xml_max_depth. */
gboolean xml_fields_start (XmlFields *fields, int depth, const char *name,
                           const char *ns, GError **error);
/* The element opened at DEPTH closes (also right after an empty element). */
gboolean xml_fields_end (XmlFields *fields, int depth, GError **error);

/* TRUE while the innermost open element is a value we keep, so that the
 * caller can skip whitespace nodes cheaply everywhere else. */
gboolean xml_fields_wants_text (const XmlFields *fields);
/* Text inside the innermost open element; ignored unless it is a value.
 * Accumulated values are capped at xml_max_text_bytes. */
gboolean xml_fields_text (XmlFields *fields, const char *text, gsize len, GError **error);

/* The report being assembled, for notes about the XML itself.
 * (transfer none) */
Report *xml_fields_report (XmlFields *fields);

/* TRUE once the root element <feedback> has closed. */
gboolean xml_fields_root_closed (const XmlFields *fields);
/* TRUE once the root element has opened. */
gboolean xml_fields_root_opened (const XmlFields *fields);

/* The document ended well-formed: begin() if no record did it, the last
 * batch, then end(). */
gboolean xml_fields_finish (XmlFields *fields, GError **error);
/* Tells the sink to roll back if begin() succeeded and end() did not. */
void xml_fields_abort (XmlFields *fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XmlFields, xml_fields_free)

#endif
