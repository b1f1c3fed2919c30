/*
 * xml_report.c -- libxml2's streaming reader over a pull callback, made
 * safe for hostile input; the report itself is assembled in xml_fields.c.
 *
 * What stops which attack:
 *   - no XML_PARSE_NOENT/DTDLOAD/XINCLUDE, XML_PARSE_NONET: nothing is ever
 *     loaded (XXE); a DOCTYPE or an entity reference node fails the
 *     document (XML_FORBIDDEN), and libxml2's own entity errors (its
 *     "entity reference loop" guard against billion laughs fires before
 *     the DOCTYPE node reaches us) are classified the same way;
 *   - depth is checked on every element against xml_max_depth, below
 *     libxml2's own 256 (whose error is mapped to XML_LIMIT too);
 *   - values are capped at xml_max_text_bytes as they are accumulated,
 *     records at xml_max_records;
 *   - the first libxml2 error and its line are kept (later ones are
 *     consequences), and the loop stops as soon as a fatal one arrives, so
 *     no record of a broken document reaches the sink after it.
 * The read callback's GError is kept and returned unchanged: an unpack cap
 * hit inside the XML stays an unpack error.
 */
#include "ingest/xml_report.h"

#include "core/error.h"
#include "core/log.h"
#include "ingest/xml_fields.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>   /* xmlParserMaxDepth */
#include <libxml/xmlreader.h>
#include "core/autocleanups.h"

#include <string.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT \
                     | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

typedef struct
{
  XmlReadFunc read;
  gpointer read_data;       /* borrowed */
  GError *error;            /* owned: the callback's first error */
  guint64 n_bytes;
  gboolean at_eof;
} XmlInput;

typedef struct
{
  char *message;            /* owned, cleaned; NULL until an error came */
  int line;
  int code;                 /* xmlParserErrors */
  int domain;               /* xmlErrorDomain */
} XmlFirstError;

typedef struct
{
  XmlInput input;
  XmlFirstError first;      /* first error of level >= XML_ERR_ERROR */
  XmlFirstError fatal;      /* first fatal error: the one that stops the parse */
  const Limits *limits;     /* borrowed */
  XmlFields *fields;        /* owned */
} XmlParse;

static int
xml_input_read (void *context, char *buf, int len)
{
  XmlInput *in = context;

  if (in->error != NULL)
    return -1;
  if (len <= 0)
    return 0;
  gssize n = in->read (in->read_data, buf, (gsize) len, &in->error);
  if (n < 0 || n > len)
    {
      if (in->error == NULL)
        g_set_error (&in->error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO,
                     "the XML input failed without a reason");
      return -1;
    }
  if (n == 0)
    in->at_eof = TRUE;
  in->n_bytes += (guint64) n;
  return (int) n;
}

/* libxml2 messages end in a newline, may span lines and start with a
 * capital; ours are one lower-case line.  They can quote the input, so
 * they go through log_safe_str. (transfer full) */
static char *
clean_message (const char *message)
{
  g_autofree char *text = g_strdup (message != NULL ? message : "unknown error");

  for (char *c = text; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t')
      *c = ' ';
  g_strstrip (text);
  if (g_ascii_isupper (text[0]) && g_ascii_islower (text[1]))
    text[0] = g_ascii_tolower (text[0]);
  return log_safe_str (text);
}

static void
xml_first_error_set (XmlFirstError *slot, const xmlError *error)
{
  if (slot->message != NULL)
    return;
  slot->message = clean_message (error->message);
  slot->line = error->line;
  slot->code = error->code;
  slot->domain = error->domain;
}

static void
xml_report_on_error (void *data, xmlErrorPtr error)
{
  XmlParse *p = data;

  /* Warnings are silenced by XML_PARSE_NOWARNING; the rest still arrive. */
  if (error == NULL || error->level < XML_ERR_ERROR)
    return;
  xml_first_error_set (&p->first, error);
  if (error->level == XML_ERR_FATAL)
    xml_first_error_set (&p->fatal, error);
}

/* Errors that mean the document declared or used entities: with the DTD
 * forbidden, these are the attacks (billion laughs, XXE), not typos.  A bare
 * '&' (no name, no ';') is only malformed. */
static gboolean
is_entity_error (const XmlFirstError *e)
{
  switch (e->code)
    {
    case XML_ERR_ENTITYREF_AT_EOF: case XML_ERR_ENTITYREF_IN_PROLOG:
    case XML_ERR_ENTITYREF_IN_EPILOG: case XML_ERR_ENTITYREF_IN_DTD:
    case XML_ERR_PEREF_AT_EOF: case XML_ERR_PEREF_IN_PROLOG:
    case XML_ERR_PEREF_IN_EPILOG: case XML_ERR_PEREF_IN_INT_SUBSET:
    case XML_ERR_PEREF_NO_NAME: case XML_ERR_PEREF_SEMICOL_MISSING:
    case XML_ERR_UNDECLARED_ENTITY: case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_UNPARSED_ENTITY: case XML_ERR_ENTITY_IS_EXTERNAL:
    case XML_ERR_ENTITY_IS_PARAMETER: case XML_ERR_ENTITY_NOT_STARTED:
    case XML_ERR_ENTITY_NOT_FINISHED: case XML_ERR_CONDSEC_NOT_STARTED:
    case XML_ERR_CONDSEC_NOT_FINISHED: case XML_ERR_EXT_SUBSET_NOT_FINISHED:
    case XML_ERR_DOCTYPE_NOT_FINISHED: case XML_ERR_EXT_ENTITY_STANDALONE:
    case XML_ERR_CONDSEC_INVALID: case XML_ERR_ENTITY_CHAR_ERROR:
    case XML_ERR_ENTITY_PE_INTERNAL: case XML_ERR_ENTITY_LOOP:
    case XML_ERR_ENTITY_BOUNDARY: case XML_ERR_CONDSEC_INVALID_KEYWORD:
    case XML_ERR_ENTITY_PROCESSING:
      return TRUE;
    default:
      return e->domain == XML_FROM_DTD;
    }
}

/* libxml2 stopped the parse: say why in our terms. */
static gboolean
xml_report_libxml_failed (XmlParse *p, const XmlFirstError *e, GError **error)
{
  /* At the end of input, libxml2 2.9's reader says "extra content at the
   * end of the document" whatever is missing; the root's state tells. */
  gboolean at_end = e->code == XML_ERR_DOCUMENT_END || e->code == XML_ERR_TAG_NOT_FINISHED
                    || e->code == XML_ERR_DOCUMENT_EMPTY;
  gboolean truncated = at_end && xml_fields_root_opened (p->fields)
                       && !xml_fields_root_closed (p->fields);
  gboolean no_root = at_end && !xml_fields_root_opened (p->fields);

  if (e->code == XML_ERR_INTERNAL_ERROR && strstr (e->message, "depth") != NULL)
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT,
                 "line %d: elements nested deeper than %u, the XML parser's own limit",
                 e->line, xmlParserMaxDepth);
  else if (is_entity_error (e))
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_FORBIDDEN,
                 "line %d: %s (DTDs and entities are not allowed)", e->line, e->message);
  else if (truncated)
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                 "line %d: document ends before </feedback> (truncated)", e->line);
  else if (no_root)
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                 "line %d: no root element: not an XML document", e->line);
  else
    g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                 "line %d: %s", e->line, e->message);
  return FALSE;
}

static gboolean
xml_report_fail (XmlParse *p, GError **error)
{
  /* The callback's error first: a truncated or capped stream makes libxml2
   * complain too, but the cause is upstream. */
  if (p->input.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&p->input.error));
      return FALSE;
    }
  if (p->input.n_bytes == 0)
    {
      g_set_error_literal (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                           "document is empty");
      return FALSE;
    }
  if (p->fatal.message != NULL)
    return xml_report_libxml_failed (p, &p->fatal, error);
  if (p->first.message != NULL)
    return xml_report_libxml_failed (p, &p->first, error);
  g_set_error_literal (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                       "the XML parser failed without a reason");
  return FALSE;
}

static gboolean
xml_report_element (XmlParse *p, xmlTextReaderPtr reader, GError **error)
{
  int depth = xmlTextReaderDepth (reader);
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);
  const char *ns = NULL;

  /* Checked as elements arrive; libxml2's own cap (256) is far past any
   * real report, whose deepest value sits at depth 5. */
  if (depth < 0 || (guint64) depth >= p->limits->xml_max_depth)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT,
                   "line %d: elements nested deeper than xml_max_depth (%" G_GUINT64_FORMAT ")",
                   xmlTextReaderGetParserLineNumber (reader), p->limits->xml_max_depth);
      return FALSE;
    }
  if (name == NULL)
    {
      g_set_error_literal (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED,
                           "element without a name");
      return FALSE;
    }
  /* The namespace is a fact about the report, read once: looking it up on
   * every element would cost a dictionary lookup each. */
  if (depth == 0)
    ns = (const char *) xmlTextReaderConstNamespaceUri (reader);
  if (!xml_fields_start (p->fields, depth, name, ns, error))
    return FALSE;
  if (xmlTextReaderIsEmptyElement (reader) == 1)
    return xml_fields_end (p->fields, depth, error);
  return TRUE;
}

static gboolean
xml_report_text (XmlParse *p, xmlTextReaderPtr reader, GError **error)
{
  const char *value = (const char *) xmlTextReaderConstValue (reader);
  gsize len = value != NULL ? strlen (value) : 0;

  if (xml_fields_wants_text (p->fields))
    return xml_fields_text (p->fields, value, len, error);
  /* Text nobody reads (in an unknown element) is capped all the same. */
  if (len > p->limits->xml_max_text_bytes)
    {
      xmlNodePtr node = xmlTextReaderCurrentNode (reader);
      const char *parent = node != NULL && node->parent != NULL && node->parent->name != NULL
                           ? (const char *) node->parent->name : "?";
      g_autofree char *safe = log_safe_str (parent);
      g_autofree char *max = limits_format_bytes (p->limits->xml_max_text_bytes);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT,
                   "text of <%s> exceeds xml_max_text_bytes (%s)", safe, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
xml_report_forbidden (const char *what, GError **error)
{
  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_FORBIDDEN,
               "%s not allowed in a report", what);
  return FALSE;
}

static gboolean
xml_report_node (XmlParse *p, xmlTextReaderPtr reader, GError **error)
{
  switch (xmlTextReaderNodeType (reader))
    {
    case XML_READER_TYPE_ELEMENT:
      return xml_report_element (p, reader, error);
    case XML_READER_TYPE_END_ELEMENT:
      return xml_fields_end (p->fields, xmlTextReaderDepth (reader), error);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
      return xml_report_text (p, reader, error);
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
      /* Between elements, whitespace is layout: skipped without a look. */
      return !xml_fields_wants_text (p->fields) || xml_report_text (p, reader, error);
    case XML_READER_TYPE_DOCUMENT_TYPE:
      return xml_report_forbidden ("a document type declaration (<!DOCTYPE>) is", error);
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
      return xml_report_forbidden ("entity references are", error);
    default:
      return TRUE;   /* comments, processing instructions, the XML declaration */
    }
}

static gboolean
xml_report_run (XmlParse *p, const char *name, GError **error)
{
  /* NULL ioclose: libxml2 calls it even when creation fails, which would
   * blur who owns the caller's stream. */
  g_autoptr (xmlTextReader) reader = xmlReaderForIO (xml_input_read, NULL, &p->input,
                                                     name, NULL, XML_OPTIONS);
  int rc;

  if (reader == NULL)
    return xml_report_fail (p, error);
  xmlTextReaderSetStructuredErrorHandler (reader, xml_report_on_error, p);
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      /* libxml2 may still hand out nodes it built before a fatal error. */
      if (p->fatal.message != NULL || p->input.error != NULL)
        break;
      if (!xml_report_node (p, reader, error))
        return FALSE;
    }
  if (rc != 0 || p->fatal.message != NULL || p->input.error != NULL)
    return xml_report_fail (p, error);
  if (!xml_fields_root_closed (p->fields))
    return xml_report_fail (p, error);
  /* Recoverable errors (an undeclared namespace prefix) leave a readable
   * report: note them rather than lose the data. */
  if (p->first.message != NULL)
    report_add_warning (xml_fields_report (p->fields), "xml: line %d: %s",
                        p->first.line, p->first.message);
  return xml_fields_finish (p->fields, error);
}

gboolean
xml_report_parse (XmlReadFunc read, gpointer read_data, const char *name,
                  const Limits *limits, const ReportSink *sink,
                  gpointer sink_data, GError **error)
{
  g_return_val_if_fail (read != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (limits == NULL)
    limits = limits_default ();
  XmlParse p = { .input = { .read = read, .read_data = read_data }, .limits = limits };
  p.fields = xml_fields_new (limits, sink, sink_data);

  /* Errors raised before the reader's own handler is installed (while it
   * sniffs the first bytes) go to the thread's global handler: catch those
   * too, so that libxml2 never prints. */
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_context = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (&p, xml_report_on_error);

  gboolean ok = xml_report_run (&p, name, error);

  xmlSetStructuredErrorFunc (saved_context, saved_handler);
  if (!ok)
    xml_fields_abort (p.fields);
  xml_fields_free (p.fields);
  g_clear_error (&p.input.error);
  g_free (p.first.message);
  g_free (p.fatal.message);
  return ok;
}

typedef struct
{
  const char *data;
  gsize len;
  gsize pos;
} XmlBuffer;

static gssize
xml_buffer_read (gpointer read_data, void *buf, gsize len, GError **error G_GNUC_UNUSED)
{
  XmlBuffer *b = read_data;
  gsize n = MIN (len, b->len - b->pos);

  if (n > 0)
    memcpy (buf, b->data + b->pos, n);
  b->pos += n;
  return (gssize) n;
}

gboolean
xml_report_parse_buffer (const char *data, gsize len, const char *name,
                         const Limits *limits, const ReportSink *sink,
                         gpointer sink_data, GError **error)
{
  XmlBuffer buffer = { data, len, 0 };

  return xml_report_parse (xml_buffer_read, &buffer, name, limits, sink, sink_data, error);
}

void
xml_report_library_init (void)
{
  xmlInitParser ();
}

void
xml_report_library_shutdown (void)
{
  xmlCleanupParser ();
}
