/*
 * fuzz.h -- what every libFuzzer target here shares.
 *
 * Each tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput and is built
 * twice (fuzz.mk):
 *
 *   - with clang and -fsanitize=fuzzer into build-fuzz/fuzz_NAME, which
 *     tools/fuzz.sh runs;
 *   - with the project's compiler and test flags, renamed by
 *     -DLLVMFuzzerTestOneInput=fuzz_NAME_one, into the unit test
 *     test_fuzz_replay (replay.c), which feeds it every input saved under
 *     tests/fuzz/regressions/NAME/.  The prototypes below are those names.
 *
 * A target returns 0 for every input.  A bug is a crash: a sanitizer
 * report, a leak, or fuzz_check() failing on a property the code under
 * test promises in its header (an "oracle"), so that wrong answers are
 * found as well as memory errors.
 *
 * Targets never print: a libFuzzer run executes them millions of times.
 */
#ifndef DMARCSTAT_FUZZ_H
#define DMARCSTAT_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int fuzz_mail_one (const uint8_t *data, size_t size);
int fuzz_unpack_one (const uint8_t *data, size_t size);
int fuzz_xml_one (const uint8_t *data, size_t size);
int fuzz_csv_one (const uint8_t *data, size_t size);
int fuzz_http_one (const uint8_t *data, size_t size);
int fuzz_config_one (const uint8_t *data, size_t size);
int fuzz_dns_one (const uint8_t *data, size_t size);
int fuzz_records_one (const uint8_t *data, size_t size);

/* Aborts with WHAT and the source position when COND is false: a broken
 * promise is reported like a crash, with the input that caused it.  Unlike
 * g_assert(), never compiled out. */
#define fuzz_check(cond, what) \
  do { if (G_UNLIKELY (!(cond))) fuzz_fail (__FILE__, __LINE__, (what)); } while (0)

G_NORETURN void fuzz_fail (const char *file, int line, const char *what);

/* TRUE when TEXT could be printed to a terminal as it is: valid UTF-8
 * without C0/C1 control characters (tab and newline included) or
 * bidirectional overrides, which is what log_safe_str() guarantees and
 * what every error message that reaches log_reject_line() must be. */
gboolean fuzz_text_is_printable (const char *text);

/* The checks every parser's GError must pass: domain DMARCSTAT_ERROR,
 * the expected STAGE (a Stage from core/error.h; STAGE_NONE allows
 * DMARCSTAT_ERROR_IO only), a non-empty printable one-line message. */
void fuzz_check_error (const GError *error, int stage);

/* DATA as a NUL-terminated string, cut at the first NUL if it holds one
 * (C strings are what the parsers take).  (transfer full) */
char *fuzz_strndup (const uint8_t *data, size_t size);

#endif
