/*
 * fuzz_unpack.c -- the unpack stage: unpack_open(), then every entry read
 * to its end, as ingest.c drives it.
 *
 * The input is an attachment's bytes: zip, gzip or anything else (plain
 * XML); the format comes from magic bytes, so the fuzzer reaches all three
 * from its seeds.  Reads go through a small, varying buffer (the input's
 * length picks it) so that chunk boundaries move too.
 *
 * Checks (unpack.h): entries never exceed zip_max_entries; decompressed
 * bytes never exceed unpack_max_bytes; a failed call returns -1 and sets
 * an unpack-stage error with a printable message, and errors are sticky:
 * the next call fails the same way.  A plain (non-archive) input yields
 * exactly its own bytes.
 */
#include "tests/fuzz/fuzz.h"
#include "core/error.h"
#include "core/limits.h"
#include "ingest/unpack.h"

#include <string.h>

#define FUZZ_UNPACK_BUF 4096

/* After a failure: the same error again, from both calls. */
static void
fuzz_unpack_check_sticky (Unpacker *u, const GError *first)
{
  g_autoptr (GError) again = NULL;
  g_autoptr (GError) again_read = NULL;
  const char *name = NULL;
  char byte;

  fuzz_check (unpack_next_entry (u, &name, &again) == -1, "an error that is not sticky");
  fuzz_check (again != NULL && again->code == first->code
              && strcmp (again->message, first->message) == 0,
              "a sticky error that changed");
  fuzz_check (unpack_read (u, &byte, 1, &again_read) == -1, "a read after an error succeeded");
  fuzz_check_error (again_read, STAGE_UNPACK);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const Limits *limits = limits_default ();
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  gsize chunk = 1 + size % FUZZ_UNPACK_BUF;
  guint8 buf[FUZZ_UNPACK_BUF];
  guint64 total = 0, n_entries = 0;
  const char *name = NULL;
  int rc;

  g_autoptr (Unpacker) u = unpack_open (bytes, "fuzz.xml.gz", limits, &error);
  if (u == NULL)
    {
      fuzz_check_error (error, STAGE_UNPACK);
      return 0;
    }
  UnpackFormat format = unpack_format (u);
  g_autoptr (GByteArray) plain = g_byte_array_new ();

  while ((rc = unpack_next_entry (u, &name, &error)) == 1)
    {
      gssize n;

      fuzz_check (name != NULL && g_utf8_validate (name, -1, NULL), "an entry name that is not UTF-8");
      fuzz_check (++n_entries <= limits->zip_max_entries, "more entries than zip_max_entries");
      while ((n = unpack_read (u, buf, chunk, &error)) > 0)
        {
          fuzz_check ((gsize) n <= chunk, "a read longer than asked");
          total += (guint64) n;
          if (format == UNPACK_FORMAT_XML)
            g_byte_array_append (plain, buf, (guint) n);
        }
      if (n < 0)
        break;
      fuzz_check (error == NULL, "a read that ended with an error set");
    }
  fuzz_check (total <= limits->unpack_max_bytes, "more output than unpack_max_bytes");
  if (error != NULL)
    {
      fuzz_check_error (error, STAGE_UNPACK);
      fuzz_unpack_check_sticky (u, error);
      return 0;
    }
  fuzz_check (rc == 0, "unpack_next_entry() failed without an error");
  if (format == UNPACK_FORMAT_XML)
    fuzz_check (n_entries == 1 && plain->len == size
                && (size == 0 || memcmp (plain->data, data, size) == 0),
                "plain input did not come out unchanged");
  return 0;
}
