/*
 * test_unpack.c -- format sniffing, zip/gzip/plain reads and every cap.
 *
 * Hostile fixtures (bombs, truncations, 1,000 entries, encrypted and
 * non-UTF-8 entries) are built at test time with libarchive's write API;
 * nothing binary is committed.  Bombs are made small by lowering the
 * limits in a copy of the defaults, not by inflating hundreds of MiB.
 */
#include "ingest/unpack.h"
#include "core/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#define MiB (1024 * 1024)

typedef struct
{
  const char *name;
  const void *data;
  gsize len;
  unsigned int type;   /* AE_IFREG, AE_IFDIR */
} Member;

/* A zip of MEMBERS; NULL when libarchive refuses OPTIONS (for example an
 * encryption it was built without). */
static GBytes *
make_zip (const Member *members, gsize n, const char *options, const char *passphrase)
{
  gsize cap = 65536;
  for (gsize i = 0; i < n; i++)
    cap += members[i].len + 256 + 2 * strlen (members[i].name);
  guint8 *buf = g_malloc (cap);
  size_t used = 0;
  struct archive *a = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  if ((options && archive_write_set_options (a, options) != ARCHIVE_OK)
      || (passphrase && archive_write_set_passphrase (a, passphrase) != ARCHIVE_OK))
    {
      archive_write_free (a);
      g_free (buf);
      return NULL;
    }
  g_assert_cmpint (archive_write_open_memory (a, buf, cap, &used), ==, ARCHIVE_OK);
  for (gsize i = 0; i < n; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      archive_entry_set_pathname (e, members[i].name);
      archive_entry_set_filetype (e, members[i].type ? members[i].type : AE_IFREG);
      archive_entry_set_perm (e, 0644);
      archive_entry_set_size (e, members[i].type == AE_IFDIR ? 0 : (la_int64_t) members[i].len);
      g_assert_cmpint (archive_write_header (a, e), >=, ARCHIVE_WARN);
      if (members[i].len > 0)
        g_assert_cmpint (archive_write_data (a, members[i].data, members[i].len), ==,
                         (la_ssize_t) members[i].len);
      archive_entry_free (e);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_bytes_new_take (buf, used);
}

static GBytes *
make_gzip (const void *data, gsize len)
{
  gsize cap = len + 65536;
  guint8 *buf = g_malloc (cap);
  size_t used = 0;
  struct archive *a = archive_write_new ();
  struct archive_entry *e = archive_entry_new ();

  g_assert_cmpint (archive_write_set_format_raw (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_add_filter_gzip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_memory (a, buf, cap, &used), ==, ARCHIVE_OK);
  archive_entry_set_pathname (e, "data");
  archive_entry_set_filetype (e, AE_IFREG);
  archive_entry_set_size (e, (la_int64_t) len);
  g_assert_cmpint (archive_write_header (a, e), ==, ARCHIVE_OK);
  if (len > 0)
    g_assert_cmpint (archive_write_data (a, data, len), ==, (la_ssize_t) len);
  archive_entry_free (e);
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_bytes_new_take (buf, used);
}

/* Bytes that do not compress: a fixed-seed pseudo-random stream. */
static guint8 *
noise (gsize len)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  guint8 *p = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return p;
}

static const char report_xml[] =
  "<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>example.net</org_name>"
  "</report_metadata><record><row><source_ip>192.0.2.1</source_ip><count>3</count>"
  "</row></record></feedback>\n";

/* Everything one attachment yields, or the first error. */
typedef struct
{
  UnpackFormat format;
  GPtrArray *names;      /* char* */
  GPtrArray *contents;   /* GBytes* */
  GError *error;
} Drained;

static void
drained_clear (Drained *d)
{
  g_clear_pointer (&d->names, g_ptr_array_unref);
  g_clear_pointer (&d->contents, g_ptr_array_unref);
  g_clear_error (&d->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Drained, drained_clear)

static void
drain (GBytes *data, const char *name, const Limits *limits, gsize chunk, Drained *d)
{
  g_autoptr (Unpacker) u = unpack_open (data, name, limits, &d->error);
  const char *entry = NULL;
  g_autofree guint8 *buf = g_malloc (chunk);
  int rc;

  d->names = g_ptr_array_new_with_free_func (g_free);
  d->contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  if (u == NULL)
    {
      g_test_message ("error at open: %s", d->error->message);
      return;
    }
  d->format = unpack_format (u);
  while ((rc = unpack_next_entry (u, &entry, &d->error)) == 1)
    {
      g_autoptr (GByteArray) out = g_byte_array_new ();
      gssize n;
      g_assert_true (g_utf8_validate (entry, -1, NULL));
      g_ptr_array_add (d->names, g_strdup (entry));
      while ((n = unpack_read (u, buf, chunk, &d->error)) > 0)
        g_byte_array_append (out, buf, (guint) n);
      g_ptr_array_add (d->contents, g_byte_array_free_to_bytes (g_steal_pointer (&out)));
      if (n < 0)
        break;
    }
  g_assert_true (rc == 0 || d->error != NULL);
  if (d->error != NULL)
    g_test_message ("error: %s", d->error->message);
}

static void
assert_content (Drained *d, guint i, const void *want, gsize want_len)
{
  g_assert_cmpuint (d->contents->len, >, i);
  gsize len;
  const void *got = g_bytes_get_data (d->contents->pdata[i], &len);
  g_assert_cmpmem (got, len, want, want_len);
}

static void
test_sniff (void)
{
  g_autoptr (GBytes) zip = make_zip ((Member[]) { { "a.xml", report_xml, sizeof report_xml - 1, 0 } }, 1, NULL, NULL);
  g_autoptr (GBytes) gz = make_gzip (report_xml, sizeof report_xml - 1);
  struct { const char *what; GBytes *data; UnpackFormat want; } cases[] = {
    { "zip", zip, UNPACK_FORMAT_ZIP },
    { "gzip", gz, UNPACK_FORMAT_GZIP },
    { "xml", g_bytes_new_static (report_xml, sizeof report_xml - 1), UNPACK_FORMAT_XML },
    { "bom", g_bytes_new_static ("\xef\xbb\xbf<a/>", 7), UNPACK_FORMAT_XML },
    { "space", g_bytes_new_static ("  \n<a/>", 7), UNPACK_FORMAT_XML },
    { "garbage", g_bytes_new_static ("ODYiQ garbage", 13), UNPACK_FORMAT_XML },
    { "empty", g_bytes_new_static ("", 0), UNPACK_FORMAT_XML },
    { "one-byte", g_bytes_new_static ("\x1f", 1), UNPACK_FORMAT_XML },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (Unpacker) u = unpack_open (cases[i].data, "att", limits_default (), &error);
      g_test_message ("case %s", cases[i].what);
      g_assert_no_error (error);
      g_assert_cmpstr (unpack_format_name (unpack_format (u)), ==,
                       unpack_format_name (cases[i].want));
      if (i >= 2)
        g_bytes_unref (cases[i].data);
    }
}

static void
test_xml_passes_through (void)
{
  static const char bom_xml[] = "\xef\xbb\xbf<?xml version=\"1.0\"?><feedback/>";
  g_autoptr (GBytes) data = g_bytes_new_static (bom_xml, sizeof bom_xml - 1);
  g_auto (Drained) d = { 0 };

  drain (data, "report.xml", limits_default (), 7, &d);
  g_assert_no_error (d.error);
  g_assert_cmpuint (d.names->len, ==, 1);
  g_assert_cmpstr (d.names->pdata[0], ==, "report.xml");
  assert_content (&d, 0, bom_xml, sizeof bom_xml - 1);
}

static void
test_xml_over_max_bytes (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *text = g_malloc (4096);
  memset (text, 'x', 4096);
  g_autoptr (GBytes) data = g_bytes_new (text, 4096);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_bytes = 1024;
  drain (data, "big.xml", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_TOO_LARGE);
  g_assert_cmpstr (d.error->message, ==, "xml: 4 KiB exceeds unpack_max_bytes (1 KiB)");
}

static void
test_zip_reads_each_entry (void)
{
  static const char second[] = "<feedback/>";
  Member m[] = {
    { "a.xml", report_xml, sizeof report_xml - 1, 0 },
    { "b.xml", second, sizeof second - 1, 0 },
  };
  g_autoptr (GBytes) zip = make_zip (m, 2, NULL, NULL);
  g_auto (Drained) d = { 0 };

  drain (zip, "r.zip", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpint (d.format, ==, UNPACK_FORMAT_ZIP);
  g_assert_cmpuint (d.names->len, ==, 2);
  g_assert_cmpstr (d.names->pdata[0], ==, "a.xml");
  g_assert_cmpstr (d.names->pdata[1], ==, "b.xml");
  assert_content (&d, 0, report_xml, sizeof report_xml - 1);
  assert_content (&d, 1, second, sizeof second - 1);
}

static void
test_zip_skips_directories (void)
{
  Member m[] = {
    { "reports/", NULL, 0, AE_IFDIR },
    { "reports/a.xml", report_xml, sizeof report_xml - 1, 0 },
  };
  g_autoptr (GBytes) zip = make_zip (m, 2, NULL, NULL);
  g_auto (Drained) d = { 0 };

  drain (zip, "r.zip", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpuint (d.names->len, ==, 1);
  g_assert_cmpstr (d.names->pdata[0], ==, "reports/a.xml");
  assert_content (&d, 0, report_xml, sizeof report_xml - 1);
}

static void
test_zip_only_directories_is_empty (void)
{
  Member m[] = { { "reports/", NULL, 0, AE_IFDIR } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  drain (zip, "r.zip", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_EMPTY);
  g_assert_cmpstr (d.error->message, ==, "zip has no file entries");
}

static void
test_zip_empty_member_reads_zero (void)
{
  Member m[] = { { "bad.xml", NULL, 0, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  drain (zip, "bad.zip", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpuint (d.names->len, ==, 1);
  assert_content (&d, 0, "", 0);
}

static void
test_zip_rejects_encrypted_entry (void)
{
  Member m[] = { { "secret.xml", report_xml, sizeof report_xml - 1, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, "zip:encryption=zipcrypt", "passphrase");
  g_auto (Drained) d = { 0 };

  if (zip == NULL)
    {
      g_test_skip ("libarchive cannot write an encrypted zip here");
      return;
    }
  drain (zip, "r.zip", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_ENCRYPTED);
  g_assert_cmpstr (d.error->message, ==,
                   "zip entry \"secret.xml\": encrypted entries are not supported");
  g_assert_cmpuint (d.names->len, ==, 0);
}

/* N entries named 0.xml, 1.xml, ... */
static GBytes *
make_zip_of (guint n)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree Member *m = g_new0 (Member, n);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("%u.xml", i));
      m[i] = (Member) { names->pdata[i], "<a/>", 4, 0 };
    }
  return make_zip (m, n, NULL, NULL);
}

static void
test_zip_caps_entries (void)
{
  /* The cap is checked at open: a zip over it yields no entry at all. */
  struct { guint n; gboolean ok; } cases[] = { { 16, TRUE }, { 17, FALSE }, { 1000, FALSE } };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) zip = make_zip_of (cases[i].n);
      g_auto (Drained) d = { 0 };
      drain (zip, "many.zip", limits_default (), 65536, &d);
      g_test_message ("case %u entries", cases[i].n);
      if (cases[i].ok)
        {
          g_assert_no_error (d.error);
          g_assert_cmpuint (d.names->len, ==, cases[i].n);
          continue;
        }
      g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_ENTRIES);
      g_assert_cmpstr (d.error->message, ==,
                       "zip has more than 16 entries (zip_max_entries)");
      /* Refused whole, before any entry is handed out. */
      g_assert_cmpuint (d.names->len, ==, 0);
    }
}

static void
test_zip_bomb_over_max_bytes (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *zeros = g_malloc0 (4 * MiB);
  Member m[] = { { "a.xml", zeros, 4 * MiB, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_bytes = 2 * MiB;
  limits.unpack_max_ratio = 1000000;   /* isolate the byte cap */
  drain (zip, "bomb.zip", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_TOO_LARGE);
  g_assert_cmpstr (d.error->message, ==,
                   "zip entry \"a.xml\": 4 MiB exceeds unpack_max_bytes (2 MiB)");
  g_assert_cmpuint (g_bytes_get_size (d.contents->pdata[0]), <=, 2 * MiB);
}

static void
test_zip_bomb_over_ratio (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *zeros = g_malloc0 (4 * MiB);
  Member m[] = { { "a.xml", zeros, 4 * MiB, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_ratio = 100;
  drain (zip, "bomb.zip", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_RATIO);
  g_assert_true (g_str_has_prefix (d.error->message, "zip entry \"a.xml\": "));
  g_assert_true (g_str_has_suffix (d.error->message, "exceeds unpack_max_ratio (100:1)"));
}

/* Past the 1 MiB floor, data that does not compress is far under any
 * ratio; under the floor, even zeros pass. */
static void
test_ratio_spares_honest_data (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *random = noise (2 * MiB);
  g_autofree guint8 *zeros = g_malloc0 (MiB / 2);
  Member m1[] = { { "noise.xml", random, 2 * MiB, 0 } };
  Member m2[] = { { "zeros.xml", zeros, MiB / 2, 0 } };
  g_autoptr (GBytes) zip1 = make_zip (m1, 1, NULL, NULL);
  g_autoptr (GBytes) zip2 = make_zip (m2, 1, NULL, NULL);
  g_auto (Drained) d1 = { 0 };
  g_auto (Drained) d2 = { 0 };

  limits.unpack_max_ratio = 10;
  drain (zip1, "noise.zip", &limits, 65536, &d1);
  g_assert_no_error (d1.error);
  assert_content (&d1, 0, random, 2 * MiB);
  drain (zip2, "zeros.zip", &limits, 65536, &d2);
  g_assert_no_error (d2.error);
  assert_content (&d2, 0, zeros, MiB / 2);
}

static void
test_zip_truncated_is_corrupt (void)
{
  g_autofree guint8 *random = noise (64 * 1024);
  Member m[] = { { "a.xml", random, 64 * 1024, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (zip, 0, g_bytes_get_size (zip) / 2);
  g_auto (Drained) d = { 0 };

  drain (cut, "cut.zip", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_CORRUPT);
  g_assert_true (g_str_has_prefix (d.error->message, "zip entry \"a.xml\": ")
                 || g_str_has_prefix (d.error->message, "damaged zip: "));
}

static void
test_zip_damaged_is_corrupt (void)
{
  g_autofree char *text = g_strnfill (32 * 1024, 'a');
  for (gsize i = 0; i < 32 * 1024; i += 7)
    text[i] = (char) ('a' + i % 26);
  Member m[] = { { "a.xml", text, 32 * 1024, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  gsize len;
  g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (zip, &len), g_bytes_get_size (zip));
  g_auto (Drained) d = { 0 };

  /* Flip bytes inside the deflated data, past the 30-byte local header. */
  for (gsize i = 60; i < 90 && i < len; i++)
    bytes[i] ^= 0x5a;
  g_autoptr (GBytes) damaged = g_bytes_new (bytes, len);
  drain (damaged, "bad.zip", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_CORRUPT);
  g_assert_true (g_str_has_prefix (d.error->message, "zip entry \"a.xml\": "));
}

static void
test_zip_magic_then_garbage_is_corrupt (void)
{
  g_autoptr (GBytes) data = g_bytes_new_static ("PK\3\4 this is not a zip at all", 30);
  g_auto (Drained) d = { 0 };

  drain (data, "fake.zip", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_CORRUPT);
  g_assert_cmpstr (d.error->message, ==, "damaged zip: Truncated ZIP file header");
}

static void
test_zip_non_utf8_name (void)
{
  Member m[] = { { "r\xe9port\xff.xml", report_xml, sizeof report_xml - 1, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  drain (zip, "r.zip", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpuint (d.names->len, ==, 1);
  g_test_message ("name: %s", (char *) d.names->pdata[0]);
  g_assert_true (g_utf8_validate (d.names->pdata[0], -1, NULL));
  g_assert_true (g_str_has_suffix (d.names->pdata[0], ".xml"));
  assert_content (&d, 0, report_xml, sizeof report_xml - 1);
}

static void
test_zip_hostile_name_is_escaped (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *random = noise (4096);
  Member m[] = { { "\x1b[2J\x1b]0;owned\a.xml", random, 4096, 0 } };
  g_autoptr (GBytes) zip = make_zip (m, 1, NULL, NULL);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_bytes = 1024;
  drain (zip, "r.zip", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_TOO_LARGE);
  g_assert_null (strchr (d.error->message, '\x1b'));
  g_assert_null (strchr (d.error->message, '\a'));
  g_assert_cmpstr (d.error->message, ==,
                   "zip entry \"\\x1b[2J\\x1b]0;owned\\x07.xml\": 4 KiB exceeds unpack_max_bytes (1 KiB)");
}

static void
test_gzip_reads_one_entry (void)
{
  g_autoptr (GBytes) gz = make_gzip (report_xml, sizeof report_xml - 1);
  g_auto (Drained) d = { 0 };

  drain (gz, "r.xml.gz", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpint (d.format, ==, UNPACK_FORMAT_GZIP);
  g_assert_cmpuint (d.names->len, ==, 1);
  g_assert_cmpstr (d.names->pdata[0], ==, "r.xml.gz");
  assert_content (&d, 0, report_xml, sizeof report_xml - 1);
}

static void
test_gzip_empty_reads_zero (void)
{
  g_autoptr (GBytes) gz = make_gzip (NULL, 0);
  g_auto (Drained) d = { 0 };

  drain (gz, "empty.xml.gz", limits_default (), 65536, &d);
  g_assert_no_error (d.error);
  g_assert_cmpuint (d.names->len, ==, 1);
  assert_content (&d, 0, "", 0);
}

static void
test_gzip_bomb_over_max_bytes (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *zeros = g_malloc0 (4 * MiB);
  g_autoptr (GBytes) gz = make_gzip (zeros, 4 * MiB);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_bytes = 2 * MiB;
  limits.unpack_max_ratio = 1000000;
  drain (gz, "bomb.xml.gz", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_TOO_LARGE);
  g_assert_cmpstr (d.error->message, ==,
                   "gzip: output exceeds unpack_max_bytes (2 MiB)");
}

static void
test_gzip_bomb_over_ratio (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *zeros = g_malloc0 (4 * MiB);
  g_autoptr (GBytes) gz = make_gzip (zeros, 4 * MiB);
  g_auto (Drained) d = { 0 };

  limits.unpack_max_ratio = 100;
  drain (gz, "bomb.xml.gz", &limits, 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_RATIO);
  g_assert_true (g_str_has_prefix (d.error->message, "gzip: "));
  g_assert_true (g_str_has_suffix (d.error->message, "exceeds unpack_max_ratio (100:1)"));
}

static void
test_gzip_truncated_is_corrupt (void)
{
  g_autofree guint8 *random = noise (64 * 1024);
  g_autoptr (GBytes) gz = make_gzip (random, 64 * 1024);
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (gz, 0, g_bytes_get_size (gz) / 2);
  g_auto (Drained) d = { 0 };

  drain (cut, "cut.xml.gz", limits_default (), 65536, &d);
  g_assert_error (d.error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_UNPACK_CORRUPT);
  g_assert_true (g_str_has_prefix (d.error->message, "gzip: "));
}

/* Dovecot's small-blocks check: 1-byte reads give the same bytes. */
static void
test_small_chunks_same_bytes (void)
{
  static const char second[] = "<feedback>second</feedback>";
  Member m[] = {
    { "a.xml", report_xml, sizeof report_xml - 1, 0 },
    { "b.xml", second, sizeof second - 1, 0 },
  };
  g_autoptr (GBytes) zip = make_zip (m, 2, NULL, NULL);
  g_autoptr (GBytes) gz = make_gzip (report_xml, sizeof report_xml - 1);
  g_autoptr (GBytes) xml = g_bytes_new_static (report_xml, sizeof report_xml - 1);
  GBytes *inputs[] = { zip, gz, xml };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_auto (Drained) big = { 0 };
      g_auto (Drained) small = { 0 };
      drain (inputs[i], "att", limits_default (), 65536, &big);
      drain (inputs[i], "att", limits_default (), 1, &small);
      g_assert_no_error (big.error);
      g_assert_no_error (small.error);
      g_assert_cmpuint (big.contents->len, ==, small.contents->len);
      for (guint j = 0; j < big.contents->len; j++)
        {
          g_assert_cmpstr (big.names->pdata[j], ==, small.names->pdata[j]);
          g_assert_true (g_bytes_equal (big.contents->pdata[j], small.contents->pdata[j]));
        }
    }
}

static void
test_errors_are_sticky (void)
{
  Limits limits = *limits_default ();
  g_autofree guint8 *zeros = g_malloc0 (4 * MiB);
  g_autoptr (GBytes) gz = make_gzip (zeros, 4 * MiB);
  g_autoptr (Unpacker) u = NULL;
  g_autoptr (GError) first = NULL;
  g_autoptr (GError) again = NULL;
  g_autoptr (GError) next = NULL;
  const char *name;
  guint8 buf[65536];
  gssize n;

  limits.unpack_max_bytes = 2 * MiB;
  u = unpack_open (gz, "bomb.gz", &limits, &first);
  g_assert_cmpint (unpack_next_entry (u, &name, &first), ==, 1);
  while ((n = unpack_read (u, buf, sizeof buf, &first)) > 0)
    ;
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpint (unpack_read (u, buf, sizeof buf, &again), ==, -1);
  g_assert_cmpint (unpack_next_entry (u, &name, &next), ==, -1);
  g_assert_error (again, DMARCSTAT_ERROR, first->code);
  g_assert_error (next, DMARCSTAT_ERROR, first->code);
  g_assert_cmpstr (again->message, ==, first->message);
  g_assert_cmpstr (next->message, ==, first->message);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unpack/sniff/decides-by-magic-bytes", test_sniff);
  g_test_add_func ("/unpack/xml/passes-through-unchanged-with-bom", test_xml_passes_through);
  g_test_add_func ("/unpack/xml/rejects-over-max-bytes", test_xml_over_max_bytes);
  g_test_add_func ("/unpack/zip/reads-each-entry-in-order", test_zip_reads_each_entry);
  g_test_add_func ("/unpack/zip/skips-directory-entries", test_zip_skips_directories);
  g_test_add_func ("/unpack/zip/without-files-is-empty", test_zip_only_directories_is_empty);
  g_test_add_func ("/unpack/zip/empty-member-reads-zero-bytes", test_zip_empty_member_reads_zero);
  g_test_add_func ("/unpack/zip/rejects-encrypted-entry", test_zip_rejects_encrypted_entry);
  g_test_add_func ("/unpack/zip/caps-entries-at-zip-max-entries", test_zip_caps_entries);
  g_test_add_func ("/unpack/zip/rejects-bomb-over-max-bytes", test_zip_bomb_over_max_bytes);
  g_test_add_func ("/unpack/zip/rejects-bomb-over-ratio", test_zip_bomb_over_ratio);
  g_test_add_func ("/unpack/ratio/spares-incompressible-and-small-data", test_ratio_spares_honest_data);
  g_test_add_func ("/unpack/zip/truncated-is-corrupt", test_zip_truncated_is_corrupt);
  g_test_add_func ("/unpack/zip/damaged-is-corrupt", test_zip_damaged_is_corrupt);
  g_test_add_func ("/unpack/zip/magic-then-garbage-is-corrupt", test_zip_magic_then_garbage_is_corrupt);
  g_test_add_func ("/unpack/zip/non-utf8-entry-name-is-made-valid", test_zip_non_utf8_name);
  g_test_add_func ("/unpack/zip/hostile-entry-name-is-escaped-in-messages", test_zip_hostile_name_is_escaped);
  g_test_add_func ("/unpack/gzip/reads-one-entry-named-after-attachment", test_gzip_reads_one_entry);
  g_test_add_func ("/unpack/gzip/empty-reads-zero-bytes", test_gzip_empty_reads_zero);
  g_test_add_func ("/unpack/gzip/rejects-bomb-over-max-bytes", test_gzip_bomb_over_max_bytes);
  g_test_add_func ("/unpack/gzip/rejects-bomb-over-ratio", test_gzip_bomb_over_ratio);
  g_test_add_func ("/unpack/gzip/truncated-is-corrupt", test_gzip_truncated_is_corrupt);
  g_test_add_func ("/unpack/read/one-byte-chunks-give-same-bytes", test_small_chunks_same_bytes);
  g_test_add_func ("/unpack/errors/are-sticky", test_errors_are_sticky);
  return g_test_run ();
}
