/*
 * fuzz_config.c -- the configuration file: config_load() over a file's
 * bytes, then what the commands read from the Config it returns.
 *
 * config_load() takes a path (GKeyFile reads the file itself), so the
 * input goes into a memfd and is loaded as /proc/self/fd/N: no file
 * system, nothing left behind.  A config is trusted more than a mail, but
 * it is still text a person typed, and a typo must give a usage error,
 * never a crash or a silently wrong limit.
 *
 * Checks: a failure is a DMARCSTAT_ERROR_USAGE; on success,
 * rescan_seconds lies in 1..86400 and each limit equals the file's value
 * when the file sets it (limits_load() refuses out-of-range values rather
 * than clamping them), else the default.  Then, as the commands do:
 * config_get_uint() on a few keys, advise_thresholds_load(),
 * advise_config_rua(), server_parse_address() on [web] listen, and
 * auth_new() when no password_hash is set (crypt(3) would dominate every
 * run) and no token short enough to draw auth.c's warning.
 */
#include "tests/fuzz/fuzz.h"
#include "advise/advise.h"
#include "core/config.h"
#include "core/error.h"
#include "core/limits.h"
#include "web/auth.h"
#include "web/server.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const limit_keys[] = {
  "mail_max_bytes", "mail_max_parts", "mail_max_depth", "unpack_max_bytes",
  "unpack_max_ratio", "zip_max_entries", "xml_max_depth", "xml_max_text_bytes",
  "xml_max_records", "xml_keep_max_bytes", "record_max_count",
};

/* The limits in the order of limit_keys. */
static guint64
limit_value (const Limits *l, gsize i)
{
  const guint64 values[] = {
    l->mail_max_bytes, l->mail_max_parts, l->mail_max_depth, l->unpack_max_bytes,
    l->unpack_max_ratio, l->zip_max_entries, l->xml_max_depth, l->xml_max_text_bytes,
    l->xml_max_records, l->xml_keep_max_bytes, l->record_max_count,
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (limit_keys));
  G_STATIC_ASSERT (sizeof (Limits) == sizeof values);
  return values[i];
}

static void
check_limits (const Config *config)
{
  for (gsize i = 0; i < G_N_ELEMENTS (limit_keys); i++)
    {
      g_autoptr (GError) error = NULL;
      guint64 want = limit_value (limits_default (), i);
      if (g_key_file_has_key (config->key_file, "limits", limit_keys[i], NULL))
        {
          want = g_key_file_get_uint64 (config->key_file, "limits", limit_keys[i], &error);
          fuzz_check (error == NULL, "a limit loaded from a value that is not a number");
        }
      fuzz_check (limit_value (&config->limits, i) == want, "a limit other than the file's value");
    }
}

/* What the commands read after loading. */
static void
use_config (const Config *config)
{
  guint64 value;
  AdviseThresholds thresholds;
  g_autoptr (GError) error = NULL;

  if (!config_get_uint (config, "dns", "timeout_ms", 2000, 50, 60000, &value, &error))
    fuzz_check (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE), "not a usage error");
  else
    fuzz_check (value >= 50 && value <= 60000, "config_get_uint() outside its range");
  g_clear_error (&error);
  if (!advise_thresholds_load (config, &thresholds, &error))
    fuzz_check (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE), "not a usage error");
  g_clear_error (&error);
  g_autofree char *rua = advise_config_rua (config);
  fuzz_check (rua == NULL || g_str_has_prefix (rua, "mailto:"), "an rua without mailto:");

  g_autofree char *listen = g_key_file_get_string (config->key_file, "web", "listen", NULL);
  if (listen != NULL)
    {
      g_autoptr (GInetSocketAddress) address = server_parse_address (listen, &error);
      fuzz_check ((address == NULL) == (error != NULL), "server_parse_address() half failed");
      g_clear_error (&error);
    }
  /* A short token draws a g_warning (by design), which would stop the run. */
  g_autofree char *token = g_key_file_get_string (config->key_file, "web", "token", NULL);
  gsize token_len = token != NULL ? strlen (g_strstrip (token)) : 0;
  if (!g_key_file_has_key (config->key_file, "web", "password_hash", NULL)
      && (token_len == 0 || token_len >= 16))
    {
      g_autoptr (Auth) auth = auth_new (config, &error);
      fuzz_check (auth != NULL, "auth_new() failed without a password hash");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  int fd = memfd_create ("fuzz-config", MFD_CLOEXEC);

  fuzz_check (fd >= 0, "memfd_create() failed");
  fuzz_check (size == 0 || write (fd, data, size) == (ssize_t) size, "cannot write the memfd");
  g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autoptr (Config) config = config_load (path, &error);
  close (fd);
  if (config == NULL)
    {
      fuzz_check (g_error_matches (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE),
                  "a config that fails with other than a usage error");
      return 0;
    }
  fuzz_check (config->rescan_seconds >= 1 && config->rescan_seconds <= 86400,
              "rescan_seconds outside 1..86400");
  check_limits (config);
  use_config (config);
  return 0;
}
