/*
 * fuzz_xml.c -- the XML stage: xml_report_parse() over report bytes, into
 * a sink that checks what it is handed and keeps nothing.
 *
 * The input is a report document as unpack would hand it out.  It is
 * parsed twice, with the default limits: from one buffer, and again
 * through a read callback that returns a few bytes at a time (the Dovecot
 * "small blocks" check).  Both parses must agree on whether the report
 * is accepted, and then on the number of records and messages.  The error
 * of a rejected one may differ: with the whole buffer, libxml2 parses
 * ahead and can meet a malformed byte before the reader has handed out the
 * element that makes the report invalid; with small reads, the other way
 * round.  Either way the report is rejected and nothing is stored.
 *
 * The sink checks the ReportSink contract (report.h): begin() once,
 * before any batch; batches of 1 to REPORT_BATCH_RECORDS records; end()
 * at most once, after begin(); abort() only after begin() and never
 * after end(); counts within record_max_count that add up to
 * total_count; every string non-empty, trimmed, valid UTF-8.  An error is
 * of the XML stage and printable.
 */
#include "tests/fuzz/fuzz.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/report.h"
#include "ingest/xml_report.h"

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  const Limits *limits;
  guint n_begin, n_end, n_abort;
  guint64 n_records;
  guint64 total_count;
} FuzzSink;

static void
fuzz_xml_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      xml_report_library_init ();
      g_once_init_leave (&done, 1);
    }
}

/* NULL, or a value as report.h describes them. */
static void
check_string (const char *s)
{
  if (s == NULL)
    return;
  gsize len = strlen (s);
  fuzz_check (len > 0, "an empty string instead of NULL");
  fuzz_check (g_utf8_validate (s, (gssize) len, NULL), "a string that is not UTF-8");
  fuzz_check (!g_ascii_isspace (s[0]) && !g_ascii_isspace (s[len - 1]),
              "a string with surrounding whitespace");
}

static void
check_report (const Report *r)
{
  const char *const strings[] = {
    r->version, r->org_name, r->email, r->extra_contact_info, r->report_id,
    r->generator, r->domain, r->adkim, r->aspf, r->p, r->sp, r->np, r->fo,
    r->testing, r->discovery_method,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    check_string (strings[i]);
  fuzz_check (r->org_name != NULL && r->report_id != NULL && r->domain != NULL,
              "a report handed to the sink without org_name, report_id or domain");
  fuzz_check (!r->has_pct || (r->pct >= 0 && r->pct <= 100), "pct outside 0..100");
  for (guint i = 0; r->errors != NULL && i < r->errors->len; i++)
    fuzz_check (g_utf8_validate (g_ptr_array_index (r->errors, i), -1, NULL),
                "a report error that is not UTF-8");
}

static void
check_record (const Record *rec, const Limits *limits)
{
  const char *const strings[] = {
    rec->source_ip, rec->disposition, rec->dkim_eval, rec->spf_eval,
    rec->envelope_to, rec->envelope_from, rec->header_from,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    check_string (strings[i]);
  fuzz_check (rec->count >= 0 && (guint64) rec->count <= limits->record_max_count,
              "a count outside 0..record_max_count");
  if (rec->source_ip != NULL)
    {
      g_autoptr (GInetAddress) ip = g_inet_address_new_from_string (rec->source_ip);
      fuzz_check (ip != NULL, "a source_ip that is not an address");
    }
  for (guint i = 0; i < rec->reasons->len; i++)
    {
      const RecordReason *reason = g_ptr_array_index (rec->reasons, i);
      check_string (reason->type);
      check_string (reason->comment);
    }
  for (guint i = 0; i < rec->dkim->len; i++)
    {
      const DkimResult *d = g_ptr_array_index (rec->dkim, i);
      check_string (d->domain);
      check_string (d->selector);
      check_string (d->result);
      check_string (d->human_result);
    }
  for (guint i = 0; i < rec->spf->len; i++)
    {
      const SpfResult *s = g_ptr_array_index (rec->spf, i);
      check_string (s->domain);
      check_string (s->scope);
      check_string (s->result);
      check_string (s->human_result);
    }
}

static gboolean
sink_begin (Report *report, gpointer user_data, GError **error G_GNUC_UNUSED)
{
  FuzzSink *s = user_data;

  fuzz_check (s->n_begin == 0, "begin() twice");
  s->n_begin++;
  check_report (report);
  return TRUE;
}

static gboolean
sink_records (Report *report, GPtrArray *batch, gpointer user_data,
              GError **error G_GNUC_UNUSED)
{
  FuzzSink *s = user_data;

  fuzz_check (s->n_begin == 1 && s->n_end == 0, "records() outside begin() .. end()");
  fuzz_check (batch->len >= 1 && batch->len <= REPORT_BATCH_RECORDS, "a batch of a wrong size");
  for (guint i = 0; i < batch->len; i++)
    {
      const Record *rec = g_ptr_array_index (batch, i);
      check_record (rec, s->limits);
      s->total_count += (guint64) rec->count;
    }
  s->n_records += batch->len;
  fuzz_check (s->n_records <= report->n_records, "more records handed out than counted");
  fuzz_check (s->n_records <= s->limits->xml_max_records, "more records than xml_max_records");
  return TRUE;
}

static gboolean
sink_end (Report *report, gpointer user_data, GError **error G_GNUC_UNUSED)
{
  FuzzSink *s = user_data;

  fuzz_check (s->n_begin == 1 && s->n_end == 0, "end() without begin(), or twice");
  s->n_end++;
  check_report (report);
  fuzz_check (report->n_records == s->n_records, "n_records differs from the records handed out");
  fuzz_check (report->total_count == s->total_count, "total_count differs from the sum of counts");
  fuzz_check (!report->has_date_range || report->begin <= report->end,
              "a date range that ends before it begins");
  return TRUE;
}

static void
sink_abort (Report *report G_GNUC_UNUSED, gpointer user_data)
{
  FuzzSink *s = user_data;

  fuzz_check (s->n_begin == 1 && s->n_end == 0 && s->n_abort == 0,
              "abort() without begin(), after end(), or twice");
  s->n_abort++;
}

static const ReportSink fuzz_sink = { sink_begin, sink_records, sink_end, sink_abort };

typedef struct
{
  const uint8_t *data;
  gsize len, pos, chunk;
} SmallBlocks;

static gssize
small_blocks_read (gpointer read_data, void *buf, gsize len, GError **error G_GNUC_UNUSED)
{
  SmallBlocks *b = read_data;
  gsize n = MIN (MIN (len, b->chunk), b->len - b->pos);

  if (n > 0)
    memcpy (buf, b->data + b->pos, n);
  b->pos += n;
  return (gssize) n;
}

/* One parse; *SINK and *ERROR_OUT tell how it went.  CHUNK 0: whole. */
static gboolean
fuzz_xml_parse (const uint8_t *data, size_t size, gsize chunk, FuzzSink *sink,
                GError **error_out)
{
  gboolean ok;

  *sink = (FuzzSink) { .limits = limits_default () };
  if (chunk == 0)
    ok = xml_report_parse_buffer ((const char *) data, size, "fuzz.xml", sink->limits,
                                  &fuzz_sink, sink, error_out);
  else
    {
      SmallBlocks blocks = { data, size, 0, chunk };
      ok = xml_report_parse (small_blocks_read, &blocks, "fuzz.xml", sink->limits,
                             &fuzz_sink, sink, error_out);
    }
  if (ok)
    fuzz_check (*error_out == NULL && sink->n_end == 1 && sink->n_abort == 0,
                "success without end(), or with an error");
  else
    {
      fuzz_check_error (*error_out, STAGE_XML);
      fuzz_check (sink->n_end == 0, "failure after end()");
      fuzz_check (sink->n_abort == sink->n_begin, "failure after begin() without abort()");
    }
  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) whole_error = NULL;
  g_autoptr (GError) small_error = NULL;
  FuzzSink whole, small;

  fuzz_xml_init ();
  gboolean whole_ok = fuzz_xml_parse (data, size, 0, &whole, &whole_error);
  /* 1 to 7 bytes per read, picked by the length so that seeds stay plain XML. */
  gboolean small_ok = fuzz_xml_parse (data, size, 1 + size % 7, &small, &small_error);

  fuzz_check (whole_ok == small_ok, "small reads changed whether the report parses");
  if (whole_ok)
    fuzz_check (whole.n_records == small.n_records && whole.total_count == small.total_count,
                "small reads changed the records");
  return 0;
}
