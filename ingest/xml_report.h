/*
 * xml_report.h -- a streaming parser for DMARC aggregate report XML.
 *
 * Reads RFC 7489 (appendix C, and the earlier drafts real reporters still
 * send) and DMARCbis / RFC 9990 (namespace urn:ietf:params:xml:ns:dmarc-2.0)
 * with one code path: elements are matched by local name only.  The bytes
 * come from a pull callback (unpack_read in production, a buffer in tests),
 * so a report is never held whole in memory: records go out to a ReportSink
 * in batches of at most REPORT_BATCH_RECORDS.
 *
 * Safety: DTDs and entity references fail the document; nothing is ever
 * loaded from the network or the file system; depth, text size and record
 * count are capped (xml_max_depth, xml_max_text_bytes, xml_max_records).
 *
 * Odd but harmless things (no <version>, upper-case values, hardfail for
 * fail, a BOM, several policy_published blocks…) are accepted and noted in
 * Report->warnings.  Impossible values (an IP that is not an IP, a negative
 * or absurd count, an end date before the begin date, no report_id, no
 * policy domain) make the report invalid: XML_INVALID.
 *
 * Errors (DMARCSTAT_ERROR, stage xml): XML_MALFORMED (with the line),
 * XML_FORBIDDEN, XML_LIMIT, XML_NOT_REPORT, XML_INVALID; or whatever error
 * the read callback or the sink set, unchanged.
 */
#ifndef DMARCSTAT_XML_REPORT_H
#define DMARCSTAT_XML_REPORT_H

#include <glib.h>
#include "core/limits.h"
#include "core/report.h"

/* Bytes read into BUF, 0 at the end, -1 with ERROR set. */
typedef gssize (*XmlReadFunc) (gpointer read_data, void *buf, gsize len, GError **error);

/* Parses one report document.  NAME names the document in messages.
 * Returns TRUE when the sink's end() succeeded. */
gboolean xml_report_parse (XmlReadFunc read, gpointer read_data, const char *name,
                           const Limits *limits, const ReportSink *sink,
                           gpointer sink_data, GError **error);

/* Convenience for tests and small inputs: parses LEN bytes of DATA. */
gboolean xml_report_parse_buffer (const char *data, gsize len, const char *name,
                                  const Limits *limits, const ReportSink *sink,
                                  gpointer sink_data, GError **error);

/* Called once at program start (xmlInitParser) and at exit. */
void xml_report_library_init (void);
void xml_report_library_shutdown (void);

#endif
