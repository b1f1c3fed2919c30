/*
 * test_xml_report.c -- the aggregate-report parser, by value.
 *
 * A collecting sink deep-copies what the parser hands out (the batches are
 * transfer none), so every test asserts on the Report and Records the sink
 * saw.  Hostile inputs are generated here, not committed.  The corpus test
 * checks every real plain-XML report in $DMARCSTAT_SHARED/corpus/real
 * against counts computed independently with libxml2's DOM and XPath.
 *
 * Long for a test file because every fixture is inline, generated here
 * rather than committed, so that each test reads with its input beside it.
 */
#include "core/error.h"
#include "core/limits.h"
#include "core/report.h"
#include "ingest/xml_report.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <math.h>
#include <string.h>

GQuark test_error_quark (void);
G_DEFINE_QUARK (test-error-quark, test_error)
#define TEST_ERROR (test_error_quark ())

/* ------------------------------------------------------------------ */
/* The collecting sink                                                 */

typedef struct
{
  Report *report;          /* deep copy of the header at the last callback */
  GPtrArray *records;      /* Record*, deep copies */
  GArray *batch_sizes;     /* guint */
  guint n_begin, n_end, n_abort;
  gboolean fail_records;   /* records() fails with TEST_ERROR 7 */
} Collector;

static Collector *
collector_new (void)
{
  Collector *c = g_new0 (Collector, 1);
  c->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  c->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  return c;
}

static void
collector_free (Collector *c)
{
  report_free (c->report);
  g_ptr_array_unref (c->records);
  g_array_unref (c->batch_sizes);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Collector, collector_free)

static GPtrArray *
copy_strings (const GPtrArray *from, GPtrArray *to)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
  return to;
}

static Report *
copy_report (const Report *r)
{
  Report *c = report_new ();
  c->version = g_strdup (r->version);
  c->xml_namespace = g_strdup (r->xml_namespace);
  c->org_name = g_strdup (r->org_name);
  c->email = g_strdup (r->email);
  c->extra_contact_info = g_strdup (r->extra_contact_info);
  c->report_id = g_strdup (r->report_id);
  c->generator = g_strdup (r->generator);
  c->has_date_range = r->has_date_range;
  c->begin = r->begin;
  c->end = r->end;
  copy_strings (r->errors, c->errors);
  c->domain = g_strdup (r->domain);
  c->adkim = g_strdup (r->adkim);
  c->aspf = g_strdup (r->aspf);
  c->p = g_strdup (r->p);
  c->sp = g_strdup (r->sp);
  c->np = g_strdup (r->np);
  c->fo = g_strdup (r->fo);
  c->has_pct = r->has_pct;
  c->pct = r->pct;
  c->testing = g_strdup (r->testing);
  c->discovery_method = g_strdup (r->discovery_method);
  copy_strings (r->warnings, c->warnings);
  c->n_records = r->n_records;
  c->total_count = r->total_count;
  return c;
}

static Record *
copy_record (const Record *r)
{
  Record *c = record_new ();
  c->source_ip = g_strdup (r->source_ip);
  c->count = r->count;
  c->disposition = g_strdup (r->disposition);
  c->dkim_eval = g_strdup (r->dkim_eval);
  c->spf_eval = g_strdup (r->spf_eval);
  c->envelope_to = g_strdup (r->envelope_to);
  c->envelope_from = g_strdup (r->envelope_from);
  c->header_from = g_strdup (r->header_from);
  for (guint i = 0; i < r->reasons->len; i++)
    {
      const RecordReason *from = g_ptr_array_index (r->reasons, i);
      RecordReason *to = record_reason_new ();
      to->type = g_strdup (from->type);
      to->comment = g_strdup (from->comment);
      g_ptr_array_add (c->reasons, to);
    }
  for (guint i = 0; i < r->dkim->len; i++)
    {
      const DkimResult *from = g_ptr_array_index (r->dkim, i);
      DkimResult *to = dkim_result_new ();
      to->domain = g_strdup (from->domain);
      to->selector = g_strdup (from->selector);
      to->result = g_strdup (from->result);
      to->human_result = g_strdup (from->human_result);
      g_ptr_array_add (c->dkim, to);
    }
  for (guint i = 0; i < r->spf->len; i++)
    {
      const SpfResult *from = g_ptr_array_index (r->spf, i);
      SpfResult *to = spf_result_new ();
      to->domain = g_strdup (from->domain);
      to->scope = g_strdup (from->scope);
      to->result = g_strdup (from->result);
      to->human_result = g_strdup (from->human_result);
      g_ptr_array_add (c->spf, to);
    }
  return c;
}

static void
collector_take_header (Collector *c, const Report *report)
{
  report_free (c->report);
  c->report = copy_report (report);
}

static gboolean
collect_begin (Report *report, gpointer data, GError **error G_GNUC_UNUSED)
{
  Collector *c = data;
  c->n_begin++;
  g_assert_cmpuint (c->n_end + c->n_abort, ==, 0);
  collector_take_header (c, report);
  return TRUE;
}

static gboolean
collect_records (Report *report, GPtrArray *batch, gpointer data, GError **error)
{
  Collector *c = data;
  guint len = batch->len;

  g_assert_cmpuint (c->n_begin, ==, 1);
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpuint (len, <=, REPORT_BATCH_RECORDS);
  g_array_append_val (c->batch_sizes, len);
  for (guint i = 0; i < batch->len; i++)
    g_ptr_array_add (c->records, copy_record (g_ptr_array_index (batch, i)));
  collector_take_header (c, report);
  if (c->fail_records)
    {
      g_set_error (error, TEST_ERROR, 7, "disk full in the test sink");
      return FALSE;
    }
  return TRUE;
}

static gboolean
collect_end (Report *report, gpointer data, GError **error G_GNUC_UNUSED)
{
  Collector *c = data;
  g_assert_cmpuint (c->n_begin, ==, 1);
  c->n_end++;
  collector_take_header (c, report);
  return TRUE;
}

static void
collect_abort (Report *report G_GNUC_UNUSED, gpointer data)
{
  Collector *c = data;
  g_assert_cmpuint (c->n_begin, ==, 1);
  c->n_abort++;
}

static const ReportSink collect_sink = {
  collect_begin, collect_records, collect_end, collect_abort,
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

#define NZ(s) ((s) != NULL ? (s) : "(null)")

/* Everything the sink saw, as text: equal dumps mean equal results. */
static char *
collector_dump (const Collector *c)
{
  GString *out = g_string_new (NULL);
  const Report *r = c->report;

  g_string_append_printf (out, "v=%s ns=%s org=%s email=%s extra=%s id=%s gen=%s\n",
                          NZ (r->version), NZ (r->xml_namespace), NZ (r->org_name),
                          NZ (r->email), NZ (r->extra_contact_info), NZ (r->report_id),
                          NZ (r->generator));
  g_string_append_printf (out, "range=%d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          r->has_date_range, r->begin, r->end);
  g_string_append_printf (out, "policy=%s %s %s %s %s %s %s pct=%d/%d t=%s dm=%s\n",
                          NZ (r->domain), NZ (r->adkim), NZ (r->aspf), NZ (r->p), NZ (r->sp),
                          NZ (r->np), NZ (r->fo), r->has_pct, r->pct, NZ (r->testing),
                          NZ (r->discovery_method));
  for (guint i = 0; i < r->errors->len; i++)
    g_string_append_printf (out, "error=%s\n", (char *) g_ptr_array_index (r->errors, i));
  for (guint i = 0; i < r->warnings->len; i++)
    g_string_append_printf (out, "warning=%s\n", (char *) g_ptr_array_index (r->warnings, i));
  g_string_append_printf (out, "n=%" G_GUINT64_FORMAT " total=%" G_GUINT64_FORMAT "\n",
                          r->n_records, r->total_count);
  for (guint i = 0; i < c->records->len; i++)
    {
      const Record *rec = g_ptr_array_index (c->records, i);
      g_string_append_printf (out, "record %s %" G_GINT64_FORMAT " %s %s %s to=%s ef=%s hf=%s\n",
                              NZ (rec->source_ip), rec->count, NZ (rec->disposition),
                              NZ (rec->dkim_eval), NZ (rec->spf_eval), NZ (rec->envelope_to),
                              NZ (rec->envelope_from), NZ (rec->header_from));
      for (guint j = 0; j < rec->reasons->len; j++)
        {
          const RecordReason *x = g_ptr_array_index (rec->reasons, j);
          g_string_append_printf (out, " reason %s %s\n", NZ (x->type), NZ (x->comment));
        }
      for (guint j = 0; j < rec->dkim->len; j++)
        {
          const DkimResult *x = g_ptr_array_index (rec->dkim, j);
          g_string_append_printf (out, " dkim %s %s %s %s\n", NZ (x->domain), NZ (x->selector),
                                  NZ (x->result), NZ (x->human_result));
        }
      for (guint j = 0; j < rec->spf->len; j++)
        {
          const SpfResult *x = g_ptr_array_index (rec->spf, j);
          g_string_append_printf (out, " spf %s %s %s %s\n", NZ (x->domain), NZ (x->scope),
                                  NZ (x->result), NZ (x->human_result));
        }
    }
  return g_string_free (out, FALSE);
}

/* A read callback over a buffer: STEP bytes at most per call (0: all asked
 * for), failing with FAIL_ERROR once FAIL_AT bytes have been handed out. */
typedef struct
{
  const char *data;
  gsize len, pos, step;
  gsize fail_at;           /* 0: never */
  GError *fail_error;      /* owned until handed out */
} ChunkReader;

static gssize
chunk_read (gpointer read_data, void *buf, gsize len, GError **error)
{
  ChunkReader *r = read_data;

  if (r->fail_at != 0 && r->pos >= r->fail_at)
    {
      g_propagate_error (error, g_steal_pointer (&r->fail_error));
      return -1;
    }
  gsize n = MIN (len, r->len - r->pos);
  if (r->step != 0)
    n = MIN (n, r->step);
  if (r->fail_at != 0)
    n = MIN (n, r->fail_at - r->pos);
  if (n > 0)
    memcpy (buf, r->data + r->pos, n);
  r->pos += n;
  return (gssize) n;
}

static gboolean
parse_len (const char *xml, gsize len, Collector *c, GError **error)
{
  return xml_report_parse_buffer (xml, len, "test.xml", limits_default (), &collect_sink, c,
                                  error);
}

static gboolean
parse (const char *xml, Collector *c, GError **error)
{
  return parse_len (xml, strlen (xml), c, error);
}

static void
assert_contains (const char *got, const char *want)
{
  if (got == NULL || strstr (got, want) == NULL)
    g_test_fail_printf ("got \"%s\", want it to contain \"%s\"", NZ (got), want);
}

static gboolean
has_warning (const Report *r, const char *want)
{
  for (guint i = 0; i < r->warnings->len; i++)
    if (strstr (g_ptr_array_index (r->warnings, i), want) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_warning (const Report *r, const char *want)
{
  if (!has_warning (r, want))
    {
      GString *all = g_string_new (NULL);
      for (guint i = 0; i < r->warnings->len; i++)
        g_string_append_printf (all, "%s%s", i > 0 ? " | " : "",
                                (char *) g_ptr_array_index (r->warnings, i));
      g_test_fail_printf ("warnings are \"%s\", want one containing \"%s\"", all->str, want);
      g_string_free (all, TRUE);
    }
}

/* Parses XML, which must fail with CODE and a message containing WANT; a
 * failure after begin() must have been aborted. */
static void
expect_error_len (const char *xml, gsize len, int code, const char *want)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (parse_len (xml, len, c, &error));
  g_assert_error (error, DMARCSTAT_ERROR, code);
  g_test_message ("error: %s", error->message);
  assert_contains (error->message, want);
  g_assert_cmpuint (c->n_end, ==, 0);
  g_assert_cmpuint (c->n_abort, ==, c->n_begin);
}

static void
expect_error (const char *xml, int code, const char *want)
{
  expect_error_len (xml, strlen (xml), code, want);
}

static Record *
record_at (const Collector *c, guint i)
{
  g_assert_cmpuint (i, <, c->records->len);
  return g_ptr_array_index (c->records, i);
}

/* A minimal valid report around RECORDS, for tests about one thing. */
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define HEADER XML_DECL HEADER_BODY
#define HEADER_BODY                                                                \
  "<feedback>\n<version>1.0</version>\n"                                            \
  "<report_metadata><org_name>example.net</org_name><email>dmarc@example.net</email>" \
  "<report_id>r-1</report_id><date_range><begin>1700000000</begin>"                \
  "<end>1700086399</end></date_range></report_metadata>\n"                         \
  "<policy_published><domain>example.com</domain><p>none</p></policy_published>\n"
#define ROW(ip, count)                                                             \
  "<record><row><source_ip>" ip "</source_ip><count>" count "</count>"             \
  "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>" \
  "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"   \
  "</identifiers><auth_results><spf><domain>example.com</domain><result>pass</result>" \
  "</spf></auth_results></record>\n"
#define FOOTER "</feedback>\n"

static char *
report_with_metadata (const char *metadata, const char *policy)
{
  return g_strdup_printf ("<feedback><version>1.0</version><report_metadata>%s</report_metadata>"
                          "<policy_published>%s</policy_published>" ROW ("192.0.2.1", "1")
                          "</feedback>", metadata, policy);
}

/* ------------------------------------------------------------------ */
/* Well-formed reports                                                 */

static const char rfc7489_report[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
  "<feedback>\n"
  "  <version>1.0</version>\n"
  "  <report_metadata>\n"
  "    <org_name>google.com</org_name>\n"
  "    <email>noreply-dmarc-support@google.com</email>\n"
  "    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>\n"
  "    <report_id>11883633734413532432</report_id>\n"
  "    <date_range><begin>1705363200</begin><end>1705449599</end></date_range>\n"
  "    <error>first problem</error>\n"
  "    <error>second problem</error>\n"
  "  </report_metadata>\n"
  "  <policy_published>\n"
  "    <domain>example.com</domain><adkim>r</adkim><aspf>s</aspf>\n"
  "    <p>quarantine</p><sp>reject</sp><pct>50</pct><fo>1</fo>\n"
  "  </policy_published>\n"
  "  <record>\n"
  "    <row>\n"
  "      <source_ip>209.85.220.41</source_ip>\n"
  "      <count>12</count>\n"
  "      <policy_evaluated>\n"
  "        <disposition>none</disposition><dkim>pass</dkim><spf>fail</spf>\n"
  "        <reason><type>forwarded</type><comment>via a list</comment></reason>\n"
  "      </policy_evaluated>\n"
  "    </row>\n"
  "    <identifiers>\n"
  "      <envelope_to>example.org</envelope_to>\n"
  "      <envelope_from>bounce.example.com</envelope_from>\n"
  "      <header_from>example.com</header_from>\n"
  "    </identifiers>\n"
  "    <auth_results>\n"
  "      <dkim><domain>example.com</domain><selector>s1</selector><result>pass</result>"
  "<human_result>good signature</human_result></dkim>\n"
  "      <spf><domain>bounce.example.com</domain><scope>mfrom</scope>"
  "<result>softfail</result></spf>\n"
  "    </auth_results>\n"
  "  </record>\n"
  "  <record>\n"
  "    <row><source_ip>192.0.2.7</source_ip><count>3</count><policy_evaluated>"
  "<disposition>quarantine</disposition><dkim>fail</dkim><spf>fail</spf>"
  "</policy_evaluated></row>\n"
  "    <identifiers><header_from>example.com</header_from></identifiers>\n"
  "    <auth_results><spf><domain>spoof.example</domain><scope>helo</scope>"
  "<result>fail</result></spf></auth_results>\n"
  "  </record>\n"
  "</feedback>\n";

static void check_rfc7489_records (const Collector *c);

static void
test_rfc7489_reads_every_field (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (parse (rfc7489_report, c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->n_begin, ==, 1);
  g_assert_cmpuint (c->n_end, ==, 1);
  g_assert_cmpuint (c->n_abort, ==, 0);

  const Report *r = c->report;
  g_assert_cmpstr (r->version, ==, "1.0");
  g_assert_null (r->xml_namespace);
  g_assert_cmpstr (report_xml_schema (r), ==, "1.0");
  g_assert_cmpstr (r->org_name, ==, "google.com");
  g_assert_cmpstr (r->email, ==, "noreply-dmarc-support@google.com");
  g_assert_cmpstr (r->extra_contact_info, ==, "https://support.google.com/a/answer/2466580");
  g_assert_cmpstr (r->report_id, ==, "11883633734413532432");
  g_assert_null (r->generator);
  g_assert_true (r->has_date_range);
  g_assert_cmpint (r->begin, ==, 1705363200);
  g_assert_cmpint (r->end, ==, 1705449599);
  g_assert_cmpuint (r->errors->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (r->errors, 0), ==, "first problem");
  g_assert_cmpstr (g_ptr_array_index (r->errors, 1), ==, "second problem");
  g_assert_cmpstr (r->domain, ==, "example.com");
  g_assert_cmpstr (r->adkim, ==, "r");
  g_assert_cmpstr (r->aspf, ==, "s");
  g_assert_cmpstr (r->p, ==, "quarantine");
  g_assert_cmpstr (r->sp, ==, "reject");
  g_assert_null (r->np);
  g_assert_cmpstr (r->fo, ==, "1");
  g_assert_true (r->has_pct);
  g_assert_cmpint (r->pct, ==, 50);
  g_assert_null (r->testing);
  g_assert_null (r->discovery_method);
  g_assert_cmpuint (r->warnings->len, ==, 0);
  g_assert_cmpuint (r->n_records, ==, 2);
  g_assert_cmpuint (r->total_count, ==, 15);

  g_assert_cmpuint (c->batch_sizes->len, ==, 1);
  check_rfc7489_records (c);
}

static void
check_rfc7489_records (const Collector *c)
{
  g_assert_cmpuint (c->records->len, ==, 2);
  const Record *a = record_at (c, 0);
  g_assert_cmpstr (a->source_ip, ==, "209.85.220.41");
  g_assert_cmpint (a->count, ==, 12);
  g_assert_cmpstr (a->disposition, ==, "none");
  g_assert_cmpstr (a->dkim_eval, ==, "pass");
  g_assert_cmpstr (a->spf_eval, ==, "fail");
  g_assert_cmpuint (a->reasons->len, ==, 1);
  const RecordReason *reason = g_ptr_array_index (a->reasons, 0);
  g_assert_cmpstr (reason->type, ==, "forwarded");
  g_assert_cmpstr (reason->comment, ==, "via a list");
  g_assert_cmpstr (a->envelope_to, ==, "example.org");
  g_assert_cmpstr (a->envelope_from, ==, "bounce.example.com");
  g_assert_cmpstr (a->header_from, ==, "example.com");
  g_assert_cmpuint (a->dkim->len, ==, 1);
  const DkimResult *dkim = g_ptr_array_index (a->dkim, 0);
  g_assert_cmpstr (dkim->domain, ==, "example.com");
  g_assert_cmpstr (dkim->selector, ==, "s1");
  g_assert_cmpstr (dkim->result, ==, "pass");
  g_assert_cmpstr (dkim->human_result, ==, "good signature");
  g_assert_cmpuint (a->spf->len, ==, 1);
  const SpfResult *spf = g_ptr_array_index (a->spf, 0);
  g_assert_cmpstr (spf->domain, ==, "bounce.example.com");
  g_assert_cmpstr (spf->scope, ==, "mfrom");
  g_assert_cmpstr (spf->result, ==, "softfail");
  g_assert_null (spf->human_result);

  const Record *b = record_at (c, 1);
  g_assert_cmpstr (b->source_ip, ==, "192.0.2.7");
  g_assert_cmpint (b->count, ==, 3);
  g_assert_cmpstr (b->disposition, ==, "quarantine");
  g_assert_cmpuint (b->reasons->len, ==, 0);
  g_assert_null (b->envelope_to);
  g_assert_null (b->envelope_from);
  g_assert_cmpuint (b->dkim->len, ==, 0);
  spf = g_ptr_array_index (b->spf, 0);
  g_assert_cmpstr (spf->scope, ==, "helo");
  g_assert_cmpstr (spf->result, ==, "fail");
}

static const char dmarcbis_report[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
  "  <version>1.0</version>\n"
  "  <report_metadata>\n"
  "    <org_name>GMX</org_name><email>noreply-dmarc@gmx.net</email>\n"
  "    <report_id>6d2be94cbabf4e838a3cf58fb4a42ab5</report_id>\n"
  "    <date_range><begin>1733184000</begin><end>1733270399</end></date_range>\n"
  "    <generator>dmarcgen 2.1</generator>\n"
  "  </report_metadata>\n"
  "  <policy_published>\n"
  "    <domain>example.com</domain><discovery_method>treewalk</discovery_method>\n"
  "    <p>reject</p><sp>quarantine</sp><np>reject</np><testing>y</testing>\n"
  "  </policy_published>\n"
  "  <extension><vendor xmlns=\"urn:example\"><anything>at all</anything></vendor></extension>\n"
  "  <record>\n"
  "    <row><source_ip>2001:db8::25</source_ip><count>4</count>\n"
  "      <policy_evaluated><disposition>pass</disposition><dkim>pass</dkim><spf>fail</spf>\n"
  "        <reason><type>policy_test_mode</type></reason></policy_evaluated></row>\n"
  "    <identifiers><envelope_from></envelope_from><header_from>example.com</header_from>"
  "</identifiers>\n"
  "    <auth_results>\n"
  "      <dkim><domain>example.com</domain><selector>k1</selector><result>pass</result>"
  "<human_result>2048-bit key</human_result></dkim>\n"
  "      <spf><domain>mail.example.com</domain><scope>mfrom</scope><result>policy</result>"
  "<human_result>sender policy</human_result></spf>\n"
  "    </auth_results>\n"
  "  </record>\n"
  "</feedback>\n";

static void
check_dmarcbis (const Collector *c)
{
  const Report *r = c->report;
  g_assert_cmpstr (r->xml_namespace, ==, "urn:ietf:params:xml:ns:dmarc-2.0");
  g_assert_cmpstr (report_xml_schema (r), ==, "dmarcbis");
  g_assert_cmpstr (r->org_name, ==, "GMX");
  g_assert_cmpstr (r->generator, ==, "dmarcgen 2.1");
  g_assert_cmpstr (r->discovery_method, ==, "treewalk");
  g_assert_cmpstr (r->p, ==, "reject");
  g_assert_cmpstr (r->sp, ==, "quarantine");
  g_assert_cmpstr (r->np, ==, "reject");
  g_assert_cmpstr (r->testing, ==, "y");
  g_assert_false (r->has_pct);
  g_assert_cmpuint (r->warnings->len, ==, 0);
  g_assert_cmpuint (c->records->len, ==, 1);
  const Record *rec = record_at (c, 0);
  g_assert_cmpstr (rec->source_ip, ==, "2001:db8::25");
  g_assert_cmpstr (rec->disposition, ==, "pass");
  g_assert_null (rec->envelope_from);
  g_assert_cmpstr (((RecordReason *) g_ptr_array_index (rec->reasons, 0))->type, ==,
                   "policy_test_mode");
  const DkimResult *dkim = g_ptr_array_index (rec->dkim, 0);
  g_assert_cmpstr (dkim->human_result, ==, "2048-bit key");
  const SpfResult *spf = g_ptr_array_index (rec->spf, 0);
  g_assert_cmpstr (spf->result, ==, "policy");
  g_assert_cmpstr (spf->human_result, ==, "sender policy");
}

/* Puts every element of XML in namespace prefix "d:". (transfer full) */
static char *
prefix_elements (const char *xml)
{
  GString *out = g_string_new (NULL);
  for (const char *p = xml; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '<' && p[1] == '/')
        {
          g_string_append (out, "/d:");
          p++;
        }
      else if (*p == '<' && g_ascii_isalpha (p[1]))
        g_string_append (out, "d:");
    }
  g_autofree char *text = g_string_free (out, FALSE);
  g_auto (GStrv) parts = g_strsplit (text, "<d:feedback xmlns=", 2);
  return g_strjoinv ("<d:feedback xmlns:d=", parts);
}

static void
test_dmarcbis_matches_by_local_name (void)
{
  g_autoptr (Collector) plain = collector_new ();
  g_autoptr (Collector) prefixed = collector_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *prefixed_xml = prefix_elements (dmarcbis_report);

  g_assert_true (parse (dmarcbis_report, plain, &error));
  g_assert_no_error (error);
  check_dmarcbis (plain);

  g_assert_nonnull (strstr (prefixed_xml, "<d:record>"));
  g_assert_true (parse (prefixed_xml, prefixed, &error));
  g_assert_no_error (error);
  check_dmarcbis (prefixed);
  g_autofree char *want = collector_dump (plain);
  g_autofree char *got = collector_dump (prefixed);
  g_assert_cmpstr (got, ==, want);
}

static void
test_quirks_google_without_version (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n"
    "<report_metadata><org_name>google.com</org_name>"
    "<email>noreply-dmarc-support@google.com</email><report_id>1234</report_id>"
    "<date_range><begin>1705363200</begin><end>1705449599</end></date_range>"
    "</report_metadata><policy_published><domain>example.com</domain><adkim>r</adkim>"
    "<aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct><np>none</np></policy_published>\n"
    ROW ("209.85.220.41", "2") FOOTER;

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  g_assert_null (c->report->version);
  g_assert_cmpstr (report_xml_schema (c->report), ==, "draft");
  g_assert_cmpstr (c->report->np, ==, "none");
  assert_warning (c->report, "feedback has no version");
  g_assert_cmpuint (c->report->total_count, ==, 2);
}

static void
test_quirks_several_results_and_reasons (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml = HEADER
    "<record><row><source_ip>192.0.2.1</source_ip><count>5</count><policy_evaluated>"
    "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>"
    "<reason><type>trusted_forwarder</type><comment>local white list</comment></reason>"
    "<reason><type>mailing_list</type></reason></policy_evaluated></row>"
    "<identities><header_from>example.com</header_from>"
    "<envelope_from>lists.example.org</envelope_from></identities>"
    "<auth_results><dkim><domain>example.com</domain><selector>a</selector>"
    "<result>fail</result></dkim><dkim><domain>lists.example.org</domain><selector>b</selector>"
    "<result>pass</result></dkim><spf><domain>lists.example.org</domain><scope>mfrom</scope>"
    "<result>pass</result></spf><spf><domain>relay.example.org</domain><scope>helo</scope>"
    "<result>neutral</result></spf></auth_results></record>" FOOTER;

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  const Record *rec = record_at (c, 0);
  g_assert_cmpuint (rec->reasons->len, ==, 2);
  g_assert_cmpstr (((RecordReason *) g_ptr_array_index (rec->reasons, 0))->comment, ==,
                   "local white list");
  g_assert_cmpstr (((RecordReason *) g_ptr_array_index (rec->reasons, 1))->type, ==,
                   "mailing_list");
  g_assert_null (((RecordReason *) g_ptr_array_index (rec->reasons, 1))->comment);
  g_assert_cmpuint (rec->dkim->len, ==, 2);
  g_assert_cmpstr (((DkimResult *) g_ptr_array_index (rec->dkim, 1))->selector, ==, "b");
  g_assert_cmpstr (((DkimResult *) g_ptr_array_index (rec->dkim, 1))->result, ==, "pass");
  g_assert_cmpuint (rec->spf->len, ==, 2);
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 1))->domain, ==,
                   "relay.example.org");
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 1))->result, ==, "neutral");
  g_assert_cmpstr (rec->envelope_from, ==, "lists.example.org");
  g_assert_cmpstr (rec->header_from, ==, "example.com");
  assert_warning (c->report, "<identities> read as <identifiers>");
}

static void
test_quirks_ipv6_is_canonical (void)
{
  static const struct { const char *sent, *want; } cases[] = {
    { "2001:DB8:0:0:0:0:0:1", "2001:db8::1" },
    { "2a01:111:f400:7e8b:0000:0000:0000:0014", "2a01:111:f400:7e8b::14" },
    { " \t192.0.2.1\n ", "192.0.2.1" },
    { "::FFFF:192.0.2.1", "::ffff:192.0.2.1" },
    { "::1", "::1" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Collector) c = collector_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *xml = g_strdup_printf (HEADER "<record><row><source_ip>%s</source_ip>"
                                              "<count>1</count></row></record>" FOOTER,
                                              cases[i].sent);
      g_assert_true (parse (xml, c, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (record_at (c, 0)->source_ip, ==, cases[i].want);
    }
}

static void
test_quirks_upper_case_values_are_lowered_with_warnings (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml =
    "<feedback><version>1.0</version><report_metadata><org_name>Yahoo</org_name>"
    "<report_id>1</report_id><date_range><begin>1</begin><end>2</end></date_range>"
    "</report_metadata><policy_published><domain>Example.COM</domain><adkim>R</adkim>"
    "<aspf>S</aspf><p>NONE</p><sp>Quarantine</sp><np>REJECT</np><testing>N</testing>"
    "<discovery_method>PSL</discovery_method></policy_published>"
    "<record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated>"
    "<disposition>None</disposition><dkim>PASS</dkim><spf>Fail</spf>"
    "<reason><type>Local_Policy</type><comment>Kept AS Sent</comment></reason>"
    "</policy_evaluated></row><identifiers><header_from>Example.COM</header_from></identifiers>"
    "<auth_results><dkim><domain>Example.COM</domain><result>Pass</result></dkim>"
    "<spf><domain>Example.COM</domain><scope>MFROM</scope><result>SoftFail</result></spf>"
    "</auth_results></record></feedback>";

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  const Report *r = c->report;
  g_assert_cmpstr (r->domain, ==, "Example.COM");   /* a name, not an enumeration */
  g_assert_cmpstr (r->adkim, ==, "r");
  g_assert_cmpstr (r->aspf, ==, "s");
  g_assert_cmpstr (r->p, ==, "none");
  g_assert_cmpstr (r->sp, ==, "quarantine");
  g_assert_cmpstr (r->np, ==, "reject");
  g_assert_cmpstr (r->testing, ==, "n");
  g_assert_cmpstr (r->discovery_method, ==, "psl");
  const Record *rec = record_at (c, 0);
  g_assert_cmpstr (rec->disposition, ==, "none");
  g_assert_cmpstr (rec->dkim_eval, ==, "pass");
  g_assert_cmpstr (rec->spf_eval, ==, "fail");
  g_assert_cmpstr (((RecordReason *) g_ptr_array_index (rec->reasons, 0))->type, ==,
                   "local_policy");
  g_assert_cmpstr (((RecordReason *) g_ptr_array_index (rec->reasons, 0))->comment, ==,
                   "Kept AS Sent");
  g_assert_cmpstr (rec->header_from, ==, "Example.COM");
  g_assert_cmpstr (((DkimResult *) g_ptr_array_index (rec->dkim, 0))->result, ==, "pass");
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 0))->scope, ==, "mfrom");
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 0))->result, ==, "softfail");
  assert_warning (r, "adkim \"R\" lower-cased");
  assert_warning (r, "p \"NONE\" lower-cased");
  assert_warning (r, "disposition \"None\" lower-cased");
  assert_warning (r, "policy_evaluated dkim \"PASS\" lower-cased");
  assert_warning (r, "reason type \"Local_Policy\" lower-cased");
  assert_warning (r, "dkim result \"Pass\" lower-cased");
  assert_warning (r, "spf scope \"MFROM\" lower-cased");
  assert_warning (r, "spf result \"SoftFail\" lower-cased");
}

static void
test_quirks_result_aliases (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml = HEADER
    "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row>"
    "<identifiers><header_from>example.com</header_from></identifiers><auth_results>"
    "<dkim><domain>example.com</domain><result>unknown</result></dkim>"
    "<spf><domain>example.com</domain><result>hardfail</result></spf>"
    "<spf><domain>example.com</domain><result>ERROR</result></spf>"
    "</auth_results></record>" FOOTER;

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  const Record *rec = record_at (c, 0);
  g_assert_cmpstr (((DkimResult *) g_ptr_array_index (rec->dkim, 0))->result, ==, "temperror");
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 0))->result, ==, "fail");
  g_assert_cmpstr (((SpfResult *) g_ptr_array_index (rec->spf, 1))->result, ==, "permerror");
  assert_warning (c->report, "dkim result \"unknown\" read as \"temperror\"");
  assert_warning (c->report, "spf result \"hardfail\" read as \"fail\"");
  assert_warning (c->report, "spf result \"ERROR\" lower-cased");
  assert_warning (c->report, "spf result \"error\" read as \"permerror\"");
}

/* A BOM, CRLF line ends, and the trailing tabs and spaces Yahoo leaves in
 * every value. */
static const char yahoo_report[] =
  "\xEF\xBB\xBF<?xml version=\"1.0\"?>\t\r\n<feedback>\t\r\n"
  "  <report_metadata>\t\r\n    <org_name>Yahoo\t</org_name>\t\r\n"
  "    <email>dmarchelp@yahooinc.com\t</email>\r\n"
  "    <report_id>1705622400.123456\t</report_id>\r\n"
  "    <date_range>\r\n      <begin>1705536000\t</begin>\r\n"
  "      <end>1705622399 </end>\r\n    </date_range>\r\n  </report_metadata>\r\n"
  "  <policy_published>\r\n    <domain>example.com\t</domain>\r\n"
  "    <adkim>r\t</adkim>\r\n    <p>none\t</p>\r\n    <pct>100\t</pct>\r\n"
  "  </policy_published>\r\n"
  "  <record>\r\n    <row>\r\n      <source_ip>\r\n 192.0.2.44\t\r\n</source_ip>\r\n"
  "      <count>2\t</count>\r\n      <policy_evaluated><disposition>none\t</disposition>"
  "<dkim>pass\t</dkim><spf>pass\t</spf></policy_evaluated>\r\n    </row>\r\n"
  "    <identifiers><header_from>example.com\t</header_from></identifiers>\r\n"
  "    <auth_results><dkim><domain>example.com\t</domain><selector>s2048\t</selector>"
  "<result>pass\t</result></dkim></auth_results>\r\n  </record>\r\n</feedback>\t\r\n";

static void
test_quirks_bom_crlf_and_trailing_tabs (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (parse (yahoo_report, c, &error));
  g_assert_no_error (error);
  const Report *r = c->report;
  g_assert_cmpstr (r->org_name, ==, "Yahoo");
  g_assert_cmpstr (r->report_id, ==, "1705622400.123456");
  g_assert_cmpint (r->begin, ==, 1705536000);
  g_assert_cmpint (r->end, ==, 1705622399);
  g_assert_cmpstr (r->domain, ==, "example.com");
  g_assert_cmpint (r->pct, ==, 100);
  const Record *rec = record_at (c, 0);
  g_assert_cmpstr (rec->source_ip, ==, "192.0.2.44");
  g_assert_cmpint (rec->count, ==, 2);
  g_assert_cmpstr (rec->dkim_eval, ==, "pass");
  g_assert_cmpstr (((DkimResult *) g_ptr_array_index (rec->dkim, 0))->selector, ==, "s2048");
  g_assert_false (has_warning (r, "lower-cased"));
}

static void
test_quirks_dates (void)
{
  static const struct { const char *begin, *end; gint64 want_begin, want_end; const char *warning; }
  cases[] = {
    { "1700000000", "1700086399", 1700000000, 1700086399, NULL },
    { " 1700000000\t", "\n1700086399 ", 1700000000, 1700086399, NULL },
    { "1700000000.75", "1700086399.999", 1700000000, 1700086399, "has a fraction; truncated" },
    { "1700000000000", "1700086399000", 1700000000, 1700086399, "looks like milliseconds" },
    { "1733439600", "1733439600", 1733439600, 1733439600, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Collector) c = collector_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *metadata = g_strdup_printf ("<org_name>o</org_name><report_id>1</report_id>"
                                                   "<date_range><begin>%s</begin><end>%s</end>"
                                                   "</date_range>", cases[i].begin, cases[i].end);
      g_autofree char *xml = report_with_metadata (metadata, "<domain>example.com</domain>");
      g_assert_true (parse (xml, c, &error));
      g_assert_no_error (error);
      g_assert_true (c->report->has_date_range);
      g_assert_cmpint (c->report->begin, ==, cases[i].want_begin);
      g_assert_cmpint (c->report->end, ==, cases[i].want_end);
      if (cases[i].warning != NULL)
        assert_warning (c->report, cases[i].warning);
    }
}

static void
test_quirks_missing_date_range (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = report_with_metadata ("<org_name>kddi.com</org_name>"
                                               "<report_id>2024</report_id><data_range><begin>1"
                                               "</begin><end>2</end></data_range>",
                                               "<domain>example.com</domain>");

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  g_assert_false (c->report->has_date_range);
  assert_warning (c->report, "report_metadata has no date_range");
  assert_warning (c->report, "unknown element <data_range> in <report_metadata> ignored");
}

static void
test_quirks_null_row (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml = HEADER
    "<record><row><source_ip></source_ip><count>0</count><policy_evaluated><disposition>"
    "</disposition><dkim></dkim><spf></spf></policy_evaluated></row><identifiers>"
    "<header_from></header_from></identifiers><auth_results><spf><domain></domain>"
    "<result></result></spf></auth_results></record>\n"
    "<record><row><source_ip> </source_ip><count></count></row></record>" FOOTER;

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->records->len, ==, 2);
  const Record *rec = record_at (c, 0);
  g_assert_null (rec->source_ip);
  g_assert_cmpint (rec->count, ==, 0);
  g_assert_null (rec->disposition);
  g_assert_null (rec->header_from);
  g_assert_cmpuint (rec->spf->len, ==, 1);
  g_assert_null (((SpfResult *) g_ptr_array_index (rec->spf, 0))->result);
  g_assert_null (record_at (c, 1)->source_ip);
  g_assert_cmpint (record_at (c, 1)->count, ==, 0);
  g_assert_cmpuint (c->report->total_count, ==, 0);
  assert_warning (c->report, "record with an empty or missing source_ip");
  assert_warning (c->report, "record without source_ip and count counted as 0");

  expect_error (HEADER "<record><row><source_ip>192.0.2.1</source_ip><count> </count></row>"
                "</record>" FOOTER, DMARCSTAT_ERROR_XML_INVALID,
                "record 1: count is missing or empty");
}

static void
test_quirks_header_oddities (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  /* Metadata out of order, no org_name, a value holding markup, unknown
   * elements at several levels, pct that is not a number, a second
   * policy_published. */
  const char *xml =
    "<feedback><version>1.0</version><report_metadata><date_range><end>20</end>"
    "<begin>10</begin></date_range><report_id>&lt;42@mx.example&gt;</report_id>"
    "<extra_contact_info>see <a>here</a></extra_contact_info><vendor_tag>x</vendor_tag>"
    "<email>Reports &lt;dmarc@reporter.example&gt;</email></report_metadata>"
    "<policy_published><domain>first.example</domain><p>none</p><pct>all</pct>"
    "<psd>u</psd></policy_published>"
    "<policy_published><domain>second.example</domain><p>reject</p></policy_published>"
    ROW ("192.0.2.9", "7") "<trailer/></feedback>";

  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  const Report *r = c->report;
  g_assert_cmpstr (r->org_name, ==, "reporter.example");
  g_assert_cmpstr (r->report_id, ==, "<42@mx.example>");
  g_assert_cmpstr (r->email, ==, "Reports <dmarc@reporter.example>");
  g_assert_null (r->extra_contact_info);
  g_assert_cmpint (r->begin, ==, 10);
  g_assert_cmpint (r->end, ==, 20);
  g_assert_cmpstr (r->domain, ==, "first.example");
  g_assert_cmpstr (r->p, ==, "none");
  g_assert_false (r->has_pct);
  g_assert_cmpuint (c->records->len, ==, 1);
  assert_warning (r, "report_metadata has no org_name; using \"reporter.example\" from email");
  assert_warning (r, "<extra_contact_info> holds elements, not a value; ignored");
  assert_warning (r, "unknown element <vendor_tag> in <report_metadata> ignored");
  assert_warning (r, "unknown element <psd> in <policy_published> ignored");
  assert_warning (r, "unknown element <trailer> in <feedback> ignored");
  assert_warning (r, "pct \"all\" is not a number from 0 to 100; ignored");
  assert_warning (r, "several <policy_published> blocks; using the first");
}

static void
test_quirks_no_records (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (parse (HEADER FOOTER, c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->n_begin, ==, 1);
  g_assert_cmpuint (c->n_end, ==, 1);
  g_assert_cmpuint (c->batch_sizes->len, ==, 0);
  g_assert_cmpuint (c->report->n_records, ==, 0);
  assert_warning (c->report, "report has no records");
}

/* ------------------------------------------------------------------ */
/* Batches and small blocks                                            */

static char *
many_records_report (guint n)
{
  GString *xml = g_string_new (HEADER);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (xml, "<record><row><source_ip>10.%u.%u.%u</source_ip>"
                            "<count>%u</count></row><identifiers><header_from>example.com"
                            "</header_from></identifiers></record>\n",
                            i >> 16, (i >> 8) & 0xff, i & 0xff, i % 7 + 1);
  g_string_append (xml, FOOTER);
  return g_string_free (xml, FALSE);
}

static void
test_batches_of_at_most_1000 (void)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = many_records_report (2500);
  guint64 want_total = 0;

  for (guint i = 0; i < 2500; i++)
    want_total += i % 7 + 1;
  g_assert_true (parse (xml, c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->batch_sizes->len, ==, 3);
  g_assert_cmpuint (g_array_index (c->batch_sizes, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (c->batch_sizes, guint, 1), ==, 1000);
  g_assert_cmpuint (g_array_index (c->batch_sizes, guint, 2), ==, 500);
  g_assert_cmpuint (c->report->n_records, ==, 2500);
  g_assert_cmpuint (c->report->total_count, ==, want_total);
  g_assert_cmpuint (c->records->len, ==, 2500);
  g_assert_cmpstr (record_at (c, 1234)->source_ip, ==, "10.0.4.210");
  g_assert_cmpint (record_at (c, 1234)->count, ==, 1234 % 7 + 1);
  g_assert_cmpstr (record_at (c, 2499)->header_from, ==, "example.com");
}

static char *
dump_of_chunked_parse (const char *xml, gsize len, gsize step)
{
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  ChunkReader reader = { .data = xml, .len = len, .step = step };

  g_assert_true (xml_report_parse (chunk_read, &reader, "chunked.xml", limits_default (),
                                   &collect_sink, c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reader.pos, ==, len);
  return collector_dump (c);
}

static void
test_small_blocks_give_the_same_report (void)
{
  const char *docs[] = { rfc7489_report, dmarcbis_report, yahoo_report };

  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      gsize len = strlen (docs[i]);
      g_autofree char *whole = dump_of_chunked_parse (docs[i], len, 0);
      g_autofree char *one = dump_of_chunked_parse (docs[i], len, 1);
      g_autofree char *seven = dump_of_chunked_parse (docs[i], len, 7);
      g_assert_cmpstr (one, ==, whole);
      g_assert_cmpstr (seven, ==, whole);
    }
  /* Across batch boundaries too. */
  g_autofree char *many = many_records_report (1200);
  g_autofree char *whole = dump_of_chunked_parse (many, strlen (many), 0);
  g_autofree char *one = dump_of_chunked_parse (many, strlen (many), 1);
  g_assert_cmpstr (one, ==, whole);
}

/* ------------------------------------------------------------------ */
/* Hostile and broken input                                            */

static void
test_hostile_billion_laughs (void)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n"
                               " <!ENTITY lol \"lol\">\n");
  for (int i = 2; i <= 9; i++)
    {
      g_string_append_printf (xml, " <!ENTITY lol%d \"", i);
      for (int j = 0; j < 10; j++)
        g_string_append_printf (xml, i == 2 ? "&lol;" : "&lol%d;", i - 1);
      g_string_append (xml, "\">\n");
    }
  g_string_append (xml, "]>\n<feedback><report_metadata><org_name>&lol9;</org_name>"
                   "</report_metadata></feedback>\n");
  g_autofree char *text = g_string_free (xml, FALSE);

  expect_error (text, DMARCSTAT_ERROR_XML_FORBIDDEN, "entit");
}

static void
test_hostile_external_entity (void)
{
  g_autofree char *hostname = NULL;
  const char *docs[] = {
    "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
    "<feedback><report_metadata><org_name>&xxe;</org_name><report_id>1</report_id>"
    "</report_metadata><policy_published><domain>example.com</domain></policy_published>"
    ROW ("192.0.2.1", "1") "</feedback>",
    "<!DOCTYPE feedback SYSTEM \"file:///etc/hostname\"><feedback/>",
    "<!DOCTYPE feedback [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]><feedback/>",
  };

  if (g_file_get_contents ("/etc/hostname", &hostname, NULL, NULL))
    g_strstrip (hostname);
  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr (Collector) c = collector_new ();
      g_autoptr (GError) error = NULL;

      g_assert_false (parse (docs[i], c, &error));
      g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_FORBIDDEN);
      g_assert_cmpuint (c->n_begin, ==, 0);
      g_assert_null (strstr (error->message, "file:///etc/hostname"));
      if (hostname != NULL && strlen (hostname) >= 3)
        g_assert_null (strstr (error->message, hostname));
    }
}

static void
test_hostile_doctype_alone (void)
{
  expect_error (XML_DECL "<!DOCTYPE feedback>\n" HEADER_BODY ROW ("192.0.2.1", "1") FOOTER,
                DMARCSTAT_ERROR_XML_FORBIDDEN, "<!DOCTYPE>");
}

static void
test_hostile_deep_nesting (void)
{
  GString *xml = g_string_new ("<feedback>");
  for (int i = 0; i < 10000; i++)
    g_string_append (xml, "<a>");
  for (int i = 0; i < 10000; i++)
    g_string_append (xml, "</a>");
  g_string_append (xml, "</feedback>");
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  ChunkReader reader = { .data = xml->str, .len = xml->len };

  g_assert_false (xml_report_parse (chunk_read, &reader, "deep.xml", limits_default (),
                                    &collect_sink, c, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT);
  assert_contains (error->message, "elements nested deeper than xml_max_depth (64)");
  /* Fails as soon as the cap is passed, not after reading it all. */
  g_assert_cmpuint (reader.pos, <, xml->len / 4);
  g_string_free (xml, TRUE);
}

static void
test_hostile_huge_text_node (void)
{
  gsize big = 1024 * 1024;
  g_autofree char *filler = g_malloc (big + 1);
  memset (filler, 'A', big);
  filler[big] = '\0';
  g_autofree char *in_value = g_strdup_printf ("<feedback><report_metadata><org_name>%s"
                                               "</org_name></report_metadata></feedback>",
                                               filler);
  g_autofree char *in_unknown = g_strdup_printf ("<feedback><junk>%s</junk></feedback>", filler);

  expect_error (in_value, DMARCSTAT_ERROR_XML_LIMIT,
                "text of <org_name> exceeds xml_max_text_bytes (64 KiB)");
  expect_error (in_unknown, DMARCSTAT_ERROR_XML_LIMIT,
                "text of <junk> exceeds xml_max_text_bytes (64 KiB)");
}

static void
test_hostile_invalid_source_ips (void)
{
  static const struct { const char *sent, *want; } cases[] = {
    { "999.1.1.1", "record 1: source_ip \"999.1.1.1\" is not an IP address" },
    { "not-an-ip", "record 1: source_ip \"not-an-ip\" is not an IP address" },
    { "192.0.2.1/24", "record 1: source_ip \"192.0.2.1/24\" is not an IP address" },
    { "1.2.3", "record 1: source_ip \"1.2.3\" is not an IP address" },
    { "192.0.2.1 192.0.2.2", "source_ip \"192.0.2.1 192.0.2.2\" is not an IP address" },
    { "2001:db8::g", "source_ip \"2001:db8::g\" is not an IP address" },
    /* A bidi override must reach the message escaped. */
    { "evil&#x202e;pi", "source_ip \"evil\\u202epi\" is not an IP address" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf (HEADER "<record><row><source_ip>%s</source_ip>"
                                              "<count>1</count></row></record>" FOOTER,
                                              cases[i].sent);
      expect_error (xml, DMARCSTAT_ERROR_XML_INVALID, cases[i].want);
    }
  /* The second record is named as such. */
  expect_error (HEADER ROW ("192.0.2.1", "1") ROW ("300.0.0.1", "1") FOOTER,
                DMARCSTAT_ERROR_XML_INVALID, "record 2: source_ip \"300.0.0.1\"");
}

static void
test_hostile_nul_bytes (void)
{
  static const char xml[] = HEADER "<record><row><source_ip>192.0.2.1\0evil</source_ip>"
                            "<count>1</count></row></record>" FOOTER;

  expect_error_len (xml, sizeof xml - 1, DMARCSTAT_ERROR_XML_MALFORMED, "0x0");
  expect_error_len ("\0<feedback/>", 12, DMARCSTAT_ERROR_XML_MALFORMED, "line 1:");
}

static void
test_hostile_bad_counts (void)
{
  static const struct { const char *count, *want; } cases[] = {
    { "-5", "record 1: count -5 is negative" },
    { "99999999999999999999",
      "record 1: count 99999999999999999999 exceeds record_max_count (1000000000)" },
    { "18446744073709551617", "count 18446744073709551617 exceeds record_max_count" },
    { "1000000001", "count 1000000001 exceeds record_max_count (1000000000)" },
    { "12abc", "record 1: count \"12abc\" is not a number" },
    { "1e3", "record 1: count \"1e3\" is not a number" },
    { "+3", "record 1: count \"+3\" is not a number" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf (HEADER "<record><row><source_ip>192.0.2.1"
                                              "</source_ip><count>%s</count></row></record>"
                                              FOOTER, cases[i].count);
      expect_error (xml, DMARCSTAT_ERROR_XML_INVALID, cases[i].want);
    }
}

static void
test_hostile_bad_dates (void)
{
  static const struct { const char *range, *want; } cases[] = {
    { "<begin>1700086399</begin><end>1700000000</end>",
      "date_range end 1700000000 is before begin 1700086399" },
    { "<begin>yesterday</begin><end>1700000000</end>",
      "date_range begin \"yesterday\" is not a number of seconds" },
    { "<begin>1700000000</begin><end>-1</end>", "date_range end \"-1\" is not a number" },
    { "<begin>1</begin><end>99999999999999999999999</end>", "date_range end" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *metadata = g_strdup_printf ("<org_name>o</org_name><report_id>1</report_id>"
                                                   "<date_range>%s</date_range>", cases[i].range);
      g_autofree char *xml = report_with_metadata (metadata, "<domain>example.com</domain>");
      expect_error (xml, DMARCSTAT_ERROR_XML_INVALID, cases[i].want);
    }
}

static void
test_hostile_not_utf8 (void)
{
  expect_error (HEADER "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row>"
                "<identifiers><header_from>\xff\xfe\xc3</header_from></identifiers></record>"
                FOOTER, DMARCSTAT_ERROR_XML_MALFORMED, "UTF-8");
}

static void
test_hostile_not_a_report (void)
{
  expect_error ("<html><body><feedback/></body></html>", DMARCSTAT_ERROR_XML_NOT_REPORT,
                "root element is <html>, not <feedback>");
  expect_error ("<feedback><record><row><source_ip>192.0.2.1</source_ip><count>1</count>"
                "</row></record></feedback>", DMARCSTAT_ERROR_XML_NOT_REPORT,
                "<feedback> has neither report_metadata nor policy_published");
  expect_error ("<feedback/>", DMARCSTAT_ERROR_XML_NOT_REPORT, "neither report_metadata");
}

static void
test_hostile_not_xml (void)
{
  expect_error ("aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IFhNTA==\n", DMARCSTAT_ERROR_XML_MALFORMED,
                "line 1: no root element: not an XML document");
  expect_error ("{\"feedback\": true}", DMARCSTAT_ERROR_XML_MALFORMED, "line 1: no root element");
  expect_error ("PK\x03\x04garbage", DMARCSTAT_ERROR_XML_MALFORMED, "line 1: no root element");
  expect_error (HEADER "<record></row></record>" FOOTER, DMARCSTAT_ERROR_XML_MALFORMED,
                "line 6: ");
}

static void
test_hostile_truncated (void)
{
  g_autofree char *xml = many_records_report (1500);
  gsize cut = strlen (xml) * 3 / 4;
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (parse_len (xml, cut, c, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_MALFORMED);
  assert_contains (error->message, "document ends before </feedback> (truncated)");
  /* The first batch went out before the end was known: rolled back. */
  g_assert_cmpuint (c->n_begin, ==, 1);
  g_assert_cmpuint (c->n_abort, ==, 1);
  g_assert_cmpuint (c->n_end, ==, 0);
}

static void
test_hostile_empty_input (void)
{
  expect_error_len ("", 0, DMARCSTAT_ERROR_XML_MALFORMED, "document is empty");
  expect_error (" \n\t\n", DMARCSTAT_ERROR_XML_MALFORMED, "no root element: not an XML document");
}

static void
test_invalid_missing_required_fields (void)
{
  static const struct { const char *metadata, *policy, *want; } cases[] = {
    { "<org_name>o</org_name>", "<domain>example.com</domain>",
      "report_metadata has no report_id" },
    { "<org_name>o</org_name><report_id> </report_id>", "<domain>example.com</domain>",
      "report_metadata has no report_id" },
    { "<report_id>1</report_id>", "<domain>example.com</domain>",
      "report_metadata has no org_name" },
    { "<org_name>o</org_name><report_id>1</report_id>", "<p>none</p>",
      "policy_published has no domain" },
    { "<org_name>o</org_name><report_id>1</report_id>", "<domain></domain>",
      "policy_published has no domain" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = report_with_metadata (cases[i].metadata, cases[i].policy);
      expect_error (xml, DMARCSTAT_ERROR_XML_INVALID, cases[i].want);
    }
  expect_error ("<feedback><policy_published><domain>e.com</domain></policy_published>"
                "</feedback>", DMARCSTAT_ERROR_XML_INVALID, "report has no report_metadata");
}

static void
test_limits_record_count (void)
{
  Limits limits = *limits_default ();
  limits.xml_max_records = 2;
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  const char *xml = HEADER ROW ("192.0.2.1", "1") ROW ("192.0.2.2", "1")
                    ROW ("192.0.2.3", "1") FOOTER;

  g_assert_false (xml_report_parse_buffer (xml, strlen (xml), "t.xml", &limits, &collect_sink,
                                           c, &error));
  g_assert_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT);
  g_assert_cmpstr (error->message, ==, "report has more than xml_max_records (2) records");
  g_assert_cmpuint (c->n_abort, ==, 1);
}

static void
test_errors_read_callback_error_passes_through (void)
{
  g_autofree char *xml = many_records_report (20);
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;
  ChunkReader reader = { .data = xml, .len = strlen (xml), .step = 100,
                         .fail_at = strlen (xml) / 2,
                         .fail_error = g_error_new (TEST_ERROR, 42, "unpack cap hit in test") };

  g_assert_false (xml_report_parse (chunk_read, &reader, "r.xml", limits_default (),
                                    &collect_sink, c, &error));
  g_assert_error (error, TEST_ERROR, 42);
  g_assert_cmpstr (error->message, ==, "unpack cap hit in test");
  g_assert_cmpuint (c->n_end, ==, 0);
  g_assert_cmpuint (c->n_abort, ==, c->n_begin);

  /* Failing on the very first read, too. */
  g_autoptr (Collector) c2 = collector_new ();
  g_autoptr (GError) error2 = NULL;
  ChunkReader first = { .data = xml, .len = strlen (xml), .step = 1, .fail_at = 1,
                        .fail_error = g_error_new (DMARCSTAT_ERROR,
                                                   DMARCSTAT_ERROR_UNPACK_CORRUPT, "bad zip") };
  g_assert_false (xml_report_parse (chunk_read, &first, "r.xml", limits_default (),
                                    &collect_sink, c2, &error2));
  g_assert_error (error2, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_CORRUPT);
  g_assert_cmpstr (error2->message, ==, "bad zip");
}

static void
test_errors_sink_error_passes_through_and_aborts (void)
{
  g_autofree char *xml = many_records_report (2500);
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  c->fail_records = TRUE;
  g_assert_false (parse (xml, c, &error));
  g_assert_error (error, TEST_ERROR, 7);
  g_assert_cmpstr (error->message, ==, "disk full in the test sink");
  g_assert_cmpuint (c->batch_sizes->len, ==, 1);   /* stopped at the first failure */
  g_assert_cmpuint (c->n_begin, ==, 1);
  g_assert_cmpuint (c->n_abort, ==, 1);
  g_assert_cmpuint (c->n_end, ==, 0);
}

/* ------------------------------------------------------------------ */
/* The real-world corpus                                               */

typedef struct
{
  gboolean is_report;      /* well-formed, report_metadata with report_id, policy domain */
  double n_records;
  double total_count;
  double n_without_ip;
  gboolean has_date_range;
} Expected;

static double
xpath_number (xmlXPathContextPtr ctx, const char *expr)
{
  xmlXPathObjectPtr obj = xmlXPathEvalExpression ((const xmlChar *) expr, ctx);
  double value = obj != NULL ? xmlXPathCastToNumber (obj) : NAN;
  xmlXPathFreeObject (obj);
  return value;
}

#define LN(name) "*[local-name()='" name "']"

/* What the file holds, found by a different method: the DOM and XPath. */
static Expected
expected_from_dom (const char *data, gsize len)
{
  Expected e = { FALSE, 0, 0, 0, FALSE };
  xmlDocPtr doc = xmlReadMemory (data, (int) len, "corpus.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    return e;
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  e.is_report = xpath_number (ctx, "count(/" LN ("feedback") "/" LN ("report_metadata") "/"
                              LN ("report_id") "[normalize-space() != ''])") > 0
                && xpath_number (ctx, "count(/" LN ("feedback") "/" LN ("policy_published")
                                 "/" LN ("domain") "[normalize-space() != ''])") > 0;
  e.n_records = xpath_number (ctx, "count(/*/" LN ("record") ")");
  e.total_count = xpath_number (ctx, "sum(/*/" LN ("record") "/" LN ("row") "/" LN ("count")
                                "[normalize-space() != ''])");
  e.n_without_ip = xpath_number (ctx, "count(/*/" LN ("record") "[not(" LN ("row") "/"
                                 LN ("source_ip") "[normalize-space() != ''])])");
  e.has_date_range = xpath_number (ctx, "count(/*/" LN ("report_metadata") "/"
                                   LN ("date_range") ")") > 0;
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return e;
}

static void
find_xml_files (const char *dir, GPtrArray *out)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_xml_files (path, out);
      else if (g_str_has_suffix (name, ".xml") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
check_corpus_file (const char *path, guint *n_parsed, guint *n_rejected)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (Collector) c = collector_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  Expected want = expected_from_dom (data, len);
  gboolean ok = parse_len (data, len, c, &error);
  if (!ok)
    {
      g_test_message ("rejected %s: %s", path, error->message);
      (*n_rejected)++;
      if (want.is_report)
        g_test_fail_printf ("%s: got \"%s\", want a parsed report", path, error->message);
      g_assert_cmpint (error_stage (error), ==, STAGE_XML);
      g_assert_cmpuint (c->n_end, ==, 0);
      return;
    }
  (*n_parsed)++;
  if (!want.is_report)
    g_test_fail_printf ("%s: got a parsed report, want a rejection", path);
  g_assert_cmpuint (c->n_end, ==, 1);
  g_assert_cmpfloat (c->report->n_records, ==, want.n_records);
  g_assert_cmpuint (c->records->len, ==, c->report->n_records);
  g_assert_cmpfloat (c->report->total_count, ==, want.total_count);
  guint n_without_ip = 0;
  for (guint i = 0; i < c->records->len; i++)
    n_without_ip += record_at (c, i)->source_ip == NULL;
  g_assert_cmpfloat (n_without_ip, ==, want.n_without_ip);
  g_assert_cmpint (c->report->has_date_range, ==, want.has_date_range);
  if (!want.has_date_range)
    assert_warning (c->report, "report_metadata has no date_range");
  g_assert_nonnull (c->report->org_name);
  g_assert_nonnull (c->report->report_id);
}

static void
test_corpus_real_reports (void)
{
  const char *shared = g_getenv ("DMARCSTAT_SHARED");
  g_autofree char *dir = g_build_filename (shared != NULL ? shared : "../shared",
                                           "corpus", "real", NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint n_parsed = 0, n_rejected = 0;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/corpus/real not present");
      return;
    }
  find_xml_files (dir, files);
  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    check_corpus_file (g_ptr_array_index (files, i), &n_parsed, &n_rejected);
  g_test_message ("corpus: %u plain XML files, %u parsed, %u rejected", files->len, n_parsed,
                  n_rejected);
  g_assert_cmpuint (n_parsed, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  xml_report_library_init ();

  g_test_add_func ("/xml/rfc7489/reads-every-field", test_rfc7489_reads_every_field);
  g_test_add_func ("/xml/dmarcbis/matches-by-local-name", test_dmarcbis_matches_by_local_name);
  g_test_add_func ("/xml/quirks/google-without-version", test_quirks_google_without_version);
  g_test_add_func ("/xml/quirks/several-results-and-reasons",
                   test_quirks_several_results_and_reasons);
  g_test_add_func ("/xml/quirks/ipv6-is-canonical", test_quirks_ipv6_is_canonical);
  g_test_add_func ("/xml/quirks/upper-case-values-are-lowered-with-warnings",
                   test_quirks_upper_case_values_are_lowered_with_warnings);
  g_test_add_func ("/xml/quirks/result-aliases", test_quirks_result_aliases);
  g_test_add_func ("/xml/quirks/bom-crlf-and-trailing-tabs", test_quirks_bom_crlf_and_trailing_tabs);
  g_test_add_func ("/xml/quirks/dates", test_quirks_dates);
  g_test_add_func ("/xml/quirks/missing-date-range", test_quirks_missing_date_range);
  g_test_add_func ("/xml/quirks/null-row", test_quirks_null_row);
  g_test_add_func ("/xml/quirks/header-oddities", test_quirks_header_oddities);
  g_test_add_func ("/xml/quirks/no-records", test_quirks_no_records);
  g_test_add_func ("/xml/batches/at-most-1000-records", test_batches_of_at_most_1000);
  g_test_add_func ("/xml/small-blocks/give-the-same-report", test_small_blocks_give_the_same_report);
  g_test_add_func ("/xml/hostile/billion-laughs", test_hostile_billion_laughs);
  g_test_add_func ("/xml/hostile/external-entity", test_hostile_external_entity);
  g_test_add_func ("/xml/hostile/doctype-alone", test_hostile_doctype_alone);
  g_test_add_func ("/xml/hostile/deep-nesting", test_hostile_deep_nesting);
  g_test_add_func ("/xml/hostile/huge-text-node", test_hostile_huge_text_node);
  g_test_add_func ("/xml/hostile/invalid-source-ips", test_hostile_invalid_source_ips);
  g_test_add_func ("/xml/hostile/nul-bytes", test_hostile_nul_bytes);
  g_test_add_func ("/xml/hostile/bad-counts", test_hostile_bad_counts);
  g_test_add_func ("/xml/hostile/bad-dates", test_hostile_bad_dates);
  g_test_add_func ("/xml/hostile/not-utf8", test_hostile_not_utf8);
  g_test_add_func ("/xml/hostile/not-a-report", test_hostile_not_a_report);
  g_test_add_func ("/xml/hostile/not-xml", test_hostile_not_xml);
  g_test_add_func ("/xml/hostile/truncated", test_hostile_truncated);
  g_test_add_func ("/xml/hostile/empty-input", test_hostile_empty_input);
  g_test_add_func ("/xml/invalid/missing-required-fields", test_invalid_missing_required_fields);
  g_test_add_func ("/xml/limits/record-count", test_limits_record_count);
  g_test_add_func ("/xml/errors/read-callback-error-passes-through",
                   test_errors_read_callback_error_passes_through);
  g_test_add_func ("/xml/errors/sink-error-passes-through-and-aborts",
                   test_errors_sink_error_passes_through_and_aborts);
  g_test_add_func ("/xml/corpus/real-reports", test_corpus_real_reports);

  int status = g_test_run ();
  xml_report_library_shutdown ();
  return status;
}
