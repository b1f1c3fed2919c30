/*
 * replay.c -- test_fuzz_replay: every fuzz target, run over every input
 * saved in tests/fuzz/regressions/TARGET/ and over a few inputs built in
 * here, under the test build's ASan and UBSan (SQLite's fuzzcheck).
 *
 * A crasher that libFuzzer found once stays a test case for good: the
 * test fails (ASan aborts, or the target's own fuzz_check() does) if the
 * bug comes back.  The built-in inputs give each target cases before any
 * crasher exists, and walk the main paths: a report that parses, one
 * that does not, an attachment in each container.
 *
 * The saved inputs are found under $DMARCSTAT_ROOT (tests/run.sh sets it
 * to the source tree), else under the current directory.
 *
 * Test paths: /fuzz/TARGET/builtin/NAME and /fuzz/TARGET/regression/FILE.
 */
#include "tests/fuzz/fuzz.h"

#include <gio/gio.h>
#include <string.h>

typedef int (*FuzzTarget) (const uint8_t *data, size_t size);

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
} BuiltinInput;

#define INPUT(name, literal) { name, literal, sizeof literal - 1 }

/* A small report every XML-reading target starts from. */
#define REPORT_XML \
  "<?xml version=\"1.0\"?>\n<feedback><version>1.0</version><report_metadata>" \
  "<org_name>example.org</org_name><email>d@example.org</email>" \
  "<report_id>r1</report_id><date_range><begin>1790812800</begin>" \
  "<end>1790899199</end></date_range></report_metadata><policy_published>" \
  "<domain>example.com</domain><p>none</p><pct>100</pct></policy_published>" \
  "<record><row><source_ip>192.0.2.1</source_ip><count>3</count>" \
  "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim>" \
  "<spf>fail</spf></policy_evaluated></row><identifiers>" \
  "<header_from>example.com</header_from></identifiers><auth_results>" \
  "<dkim><domain>example.com</domain><result>pass</result></dkim>" \
  "<spf><domain>example.com</domain><result>softfail</result></spf>" \
  "</auth_results></record></feedback>\n"

static const BuiltinInput mail_inputs[] = {
  INPUT ("xml-attachment",
         "From: r@example.org\r\nTo: d@example.com\r\nSubject: Report\r\n"
         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
         "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
         "--b\r\nContent-Type: text/xml\r\nContent-Disposition: attachment; filename=r.xml\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\nPGZlZWRiYWNrLz4=\r\n--b--\r\n"),
  INPUT ("no-report", "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"),
  INPUT ("forwarded",
         "From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\n"
         "From: r@example.org\r\nContent-Type: application/gzip; name=r.xml.gz\r\n\r\n\x1f\x8b"),
  INPUT ("mbox-line", "From someone Thu Jan  1 00:00:00 2026\nSubject: x\n\n"),
  INPUT ("empty", ""),
};

static const BuiltinInput unpack_inputs[] = {
  INPUT ("plain", REPORT_XML),
  INPUT ("bom", "\xef\xbb\xbf<feedback/>"),
  INPUT ("zip-truncated", "PK\x03\x04\x14\x00\x00\x00\x08\x00"),
  INPUT ("gzip-truncated", "\x1f\x8b\x08\x00\x00\x00\x00\x00"),
  INPUT ("empty", ""),
};

static const BuiltinInput xml_inputs[] = {
  INPUT ("report", REPORT_XML),
  INPUT ("truncated", "<feedback><report_metadata><org_name>x"),
  INPUT ("doctype", "<!DOCTYPE feedback [<!ENTITY a \"b\">]><feedback>&a;</feedback>"),
  INPUT ("not-a-report", "<html/>"),
  INPUT ("dmarcbis", "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"/>"),
};

static const BuiltinInput csv_inputs[] = {
  INPUT ("fields", "a\0b,c\0say \"hi\"\0=1+1\0-5\0\x01\0line\r\nbreak"),
  INPUT ("invalid-utf8", "\xff\xfe\0+\0@x"),
  INPUT ("empty", ""),
};

static const BuiltinInput http_inputs[] = {
  INPUT ("filters", "/reports?days=7&since=2026-10-01&until=2026-10-31&result=fail"
                    "&org=A%20B&sort=org_name&dir=desc&page=2&from=Example.COM"
                    "\nBearer fuzz-token-0123456789abcdef"),
  INPUT ("static", "/static/style.css"),
  INPUT ("healthz", "/healthz\nbearer  wrong"),
  INPUT ("encoded-nul", "/domains/a%00b"),
  INPUT ("markup", "/<script>?q=\"><img>&&x=%ZZ"),
  INPUT ("absolute-form", "http://example.com/"),
};

static const BuiltinInput config_inputs[] = {
  INPUT ("full", "[database]\nconninfo = dbname=x\n[ingest]\nrescan_seconds = 30\n"
                 "[limits]\nmail_max_bytes = 2048\nxml_max_depth = 16\n"
                 "[web]\nlisten = [::1]:8080\ntoken = 0123456789abcdef0123\n"
                 "[advise]\nrua = mailto:d@example.com\npct_steps = 10,50,100\n"),
  INPUT ("out-of-range", "[limits]\nxml_max_depth = 1\n"),
  INPUT ("unknown-key", "[nonsense]\nkey = value\n"),
  INPUT ("not-a-key-file", "\x00\xff garbage ["),
};

static const BuiltinInput dns_inputs[] = {
  INPUT ("txt",
         "\x00"   /* TXT */
         "\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"
         "\x07" "example" "\x03" "com" "\x00\x00\x10\x00\x01"
         "\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c\x00\x0c"
         "\x0b" "v=spf1 -all"),
  INPUT ("nxdomain",
         "\x01"   /* A */
         "\x12\x34\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00"
         "\x07" "example" "\x03" "com" "\x00\x00\x01\x00\x01"),
  INPUT ("pointer-loop",
         "\x03"   /* MX */
         "\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"
         "\x07" "example" "\x03" "com" "\x00\x00\x0f\x00\x01"
         "\xc0\x1d\x00\x0f\x00\x01\x00\x00\x01\x2c\x00\x04\x00\x0a\xc0\x1d"),
  INPUT ("short", "\x00\x12\x34"),
};

static const BuiltinInput records_inputs[] = {
  INPUT ("dmarc", "\x00v=DMARC1; p=quarantine; pct=50; rua=mailto:d@Example.COM,mailto:x; fo=1"),
  INPUT ("dmarc-bad", "\x00p=none; v=DMARC1; pct=150; foo"),
  INPUT ("spf", "\x01v=spf1 ip4:192.0.2.1/24 ip6:2001:db8::1/32 include:_spf.example.com ~all"),
  INPUT ("spf-macro", "\x01v=spf1 exists:%{i}.%{l1r-}.example.com redirect=x.example.com"),
  INPUT ("dkim", "\x02v=DKIM1; k=ed25519; t=y; p=cHloBy78881qXNhvLyHPFEr9grlbHt8t24hhyMmNNVM="),
  INPUT ("dkim-revoked", "\x02v=DKIM1; p="),
  INPUT ("der", "\x03\x30\x0d\x02\x08\x00\xc0\x00\x00\x00\x00\x00\x01\x02\x01\x03"),
};

typedef struct
{
  const char *name;
  FuzzTarget run;
  const BuiltinInput *inputs;
  gsize n_inputs;
} Target;

#define TARGET(name, inputs) { #name, fuzz_##name##_one, inputs, G_N_ELEMENTS (inputs) }

static const Target targets[] = {
  TARGET (mail, mail_inputs),
  TARGET (unpack, unpack_inputs),
  TARGET (xml, xml_inputs),
  TARGET (csv, csv_inputs),
  TARGET (http, http_inputs),
  TARGET (config, config_inputs),
  TARGET (dns, dns_inputs),
  TARGET (records, records_inputs),
};

typedef struct
{
  const Target *target;
  const BuiltinInput *input;   /* or */
  char *path;                  /* a saved input, owned */
} ReplayCase;

static void
replay_case_free (gpointer data)
{
  ReplayCase *c = data;

  g_free (c->path);
  g_free (c);
}

/* Runs the target over a heap copy of the bytes, so that ASan sees
 * exactly their length (a read one past the end is caught). */
static void
replay_bytes (FuzzTarget run, const char *data, gsize len)
{
  guint8 *copy = g_malloc (MAX (len, 1));   /* never NULL, as libFuzzer's */

  if (len > 0)
    memcpy (copy, data, len);

  g_assert_cmpint (run (copy, len), ==, 0);
  g_free (copy);
}

static void
test_replay (gconstpointer data)
{
  const ReplayCase *c = data;

  if (c->input != NULL)
    {
      replay_bytes (c->target->run, c->input->data, c->input->len);
      return;
    }
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (c->path, &contents, &len, &error));
  g_assert_no_error (error);
  replay_bytes (c->target->run, contents, len);
}

/* A gzip of REPORT_XML, made here rather than committed as bytes. */
static GBytes *
gzip_report (void)
{
  g_autoptr (GZlibCompressor) gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  guint8 out[4096];
  gsize n_read = 0, n_written = 0;
  g_autoptr (GError) error = NULL;
  GConverterResult rc = g_converter_convert (G_CONVERTER (gz), REPORT_XML, strlen (REPORT_XML),
                                             out, sizeof out, G_CONVERTER_INPUT_AT_END,
                                             &n_read, &n_written, &error);

  g_assert_no_error (error);
  g_assert_cmpint (rc, ==, G_CONVERTER_FINISHED);
  return g_bytes_new (out, n_written);
}

static void
test_unpack_gzip (void)
{
  g_autoptr (GBytes) gz = gzip_report ();
  gsize len;
  const char *data = g_bytes_get_data (gz, &len);

  replay_bytes (fuzz_unpack_one, data, len);
}

static void
add_builtin (const Target *target)
{
  for (gsize i = 0; i < target->n_inputs; i++)
    {
      ReplayCase *c = g_new0 (ReplayCase, 1);
      c->target = target;
      c->input = &target->inputs[i];
      g_autofree char *path = g_strdup_printf ("/fuzz/%s/builtin/%s", target->name,
                                               target->inputs[i].name);
      g_test_add_data_func_full (path, c, test_replay, replay_case_free);
    }
}

/* Every regular file in ROOT/tests/fuzz/regressions/NAME/, in name order. */
static void
add_saved (const Target *target, const char *root)
{
  g_autofree char *dir_path = g_build_filename (root, "tests", "fuzz", "regressions",
                                                target->name, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;   /* no crasher saved for this target yet */
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      ReplayCase *c = g_new0 (ReplayCase, 1);
      c->target = target;
      c->path = g_steal_pointer (&path);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/regression/%s", target->name, file);
      g_test_add_data_func_full (test_path, c, test_replay, replay_case_free);
    }
}

int
main (int argc, char **argv)
{
  const char *root = g_getenv ("DMARCSTAT_ROOT");

  g_test_init (&argc, &argv, NULL);
  if (root == NULL || root[0] == '\0')
    root = ".";
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      add_builtin (&targets[i]);
      add_saved (&targets[i], root);
    }
  g_test_add_func ("/fuzz/unpack/builtin/gzip", test_unpack_gzip);
  return g_test_run ();
}
