/*
 * limits.c -- the table of caps on untrusted input and its loader.
 *
 * Each row says what attack the limit stops.  Loading follows Postfix's
 * {name, default, &var, min, max} tables: a value outside [min, max] is a
 * usage error naming the key.
 */
#include "core/limits.h"
#include "core/error.h"

#include <stddef.h>

#define KiB (G_GUINT64_CONSTANT (1024))
#define MiB (KiB * 1024)

typedef struct
{
  const char *key;
  gsize offset;
  guint64 def, min, max;
  const char *why;
} LimitRow;

#define ROW(field, d, lo, hi, why) \
  { #field, G_STRUCT_OFFSET (Limits, field), d, lo, hi, why }

static const LimitRow limit_rows[] = {
  ROW (mail_max_bytes, 50 * MiB, 1 * KiB, 4096 * MiB,
       "a mail larger than any real report mail ties up memory and time"),
  ROW (mail_max_parts, 64, 1, 10000,
       "a mail with thousands of attachments multiplies the work per mail"),
  ROW (mail_max_depth, 8, 1, 100,
       "message/rfc822 nested inside itself exhausts the stack"),
  ROW (unpack_max_bytes, 256 * MiB, 1 * KiB, 64 * 1024 * MiB,
       "a zip or gzip bomb inflates to gigabytes"),
  ROW (unpack_max_ratio, 1000, 10, 1000000,
       "a bomb compresses far better than any real XML report"),
  ROW (zip_max_entries, 16, 1, 100000,
       "a zip with thousands of members multiplies the work per mail"),
  ROW (xml_max_depth, 64, 8, 10000,
       "deep nesting exhausts memory in the XML parser"),
  ROW (xml_max_text_bytes, 64 * KiB, 1 * KiB, 64 * MiB,
       "one huge text node is buffered whole before it is used"),
  ROW (xml_max_records, 1000000, 1, 1000000000,
       "a report of endless records fills the database"),
  ROW (xml_keep_max_bytes, 16 * MiB, 0, 1024 * MiB,
       "the original XML kept for audits is held in memory until stored"),
  ROW (record_max_count, 1000000000, 1, G_MAXINT64,
       "an absurd message count poisons every total it is added to"),
};

const Limits *
limits_default (void)
{
  static Limits defaults;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (limit_rows); i++)
        G_STRUCT_MEMBER (guint64, &defaults, limit_rows[i].offset) = limit_rows[i].def;
      g_once_init_leave (&initialised, 1);
    }
  return &defaults;
}

static const LimitRow *
limits_find (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (limit_rows); i++)
    if (g_str_equal (limit_rows[i].key, key))
      return &limit_rows[i];
  return NULL;
}

gboolean
limits_load (GKeyFile *key_file, Limits *out, GError **error)
{
  *out = *limits_default ();
  if (key_file == NULL || !g_key_file_has_group (key_file, "limits"))
    return TRUE;

  g_auto (GStrv) keys = g_key_file_get_keys (key_file, "limits", NULL, NULL);
  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const LimitRow *row = limits_find (keys[i]);
      GError *local = NULL;

      if (row == NULL)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "[limits] %s: unknown limit", keys[i]);
          return FALSE;
        }
      guint64 value = g_key_file_get_uint64 (key_file, "limits", keys[i], &local);
      if (local != NULL)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "[limits] %s: %s", keys[i], local->message);
          g_error_free (local);
          return FALSE;
        }
      if (value < row->min || value > row->max)
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "[limits] %s: %" G_GUINT64_FORMAT " is outside %"
                       G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
                       keys[i], value, row->min, row->max);
          return FALSE;
        }
      G_STRUCT_MEMBER (guint64, out, row->offset) = value;
    }
  return TRUE;
}

char *
limits_format_bytes (guint64 bytes)
{
  if (bytes >= MiB && bytes % MiB == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MiB", bytes / MiB);
  if (bytes >= KiB && bytes % KiB == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " KiB", bytes / KiB);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
}
