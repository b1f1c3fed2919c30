/*
 * senders.c -- see senders.h.
 *
 * One hash table, domain -> Sender, behind a reader/writer lock.  Senders
 * are never freed: all of them stay in `all` (so LeakSanitizer sees them
 * reachable) and their strings in one GStringChunk.  A file is parsed and
 * checked completely before the first entry of it is applied, so a bad line
 * leaves the map as it was.
 */
#include "core/senders.h"
#include "core/error.h"
#include "core/log.h"
#include "core/resources.h"

#include <gio/gio.h>
#include <stdarg.h>
#include <string.h>

#define SENDERS_RESOURCE "/dmarcstat/data/senders.tsv"

/* A map is a hand-written file; a bigger one is a mistake (a wrong path
 * to some log), not a map. */
#define SENDERS_MAX_BYTES (4 * 1024 * 1024)   /* said as "4 MiB" below */
#define NAME_MAX_BYTES 100
#define SPF_MAX_BYTES 255
#define DKIM_MAX_BYTES 300
#define DOMAIN_MAX_BYTES 253
#define LABEL_MAX_BYTES 63

enum { COL_DOMAIN, COL_NAME, COL_KIND, COL_SPF, COL_DKIM, N_COLS };

static const char *const kinds[] = {
  "mailbox-provider", "esp", "security-gateway", "hosting", "crm", "helpdesk",
  "marketing", "transactional", "forwarder", "isp",
};

static GRWLock lock;               /* guards the three below */
static GHashTable *by_domain;      /* domain (in strings) -> Sender (in all) */
static GPtrArray *all;             /* owns every Sender ever loaded */
static GStringChunk *strings;      /* owns every string of every Sender */

/* ---- checking one line ---- */

static gboolean
senders_fail (GError **error, const char *origin, guint line, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
senders_fail (GError **error, const char *origin, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *reason = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "%s:%u: %s",
               origin, line, reason);
  return FALSE;
}

/* LDH labels (underscore allowed) of 1-63 bytes, at least two of them. */
static gboolean
senders_domain_ok (const char *domain)
{
  gsize label_bytes = 0, n_labels = 1, len = strlen (domain);

  if (len == 0 || len > DOMAIN_MAX_BYTES)
    return FALSE;
  for (const char *p = domain; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label_bytes == 0)
            return FALSE;
          label_bytes = 0;
          n_labels++;
        }
      else if ((!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
               || ++label_bytes > LABEL_MAX_BYTES)
        return FALSE;
    }
  return label_bytes > 0 && n_labels >= 2;
}

static const char *
senders_kind (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i], word) == 0)
      return kinds[i];
  return NULL;
}

/* One SPF term the map may recommend: a, mx, or a mechanism with a value. */
static gboolean
senders_spf_term_ok (const char *term)
{
  static const char *const prefixes[] = { "include:", "exists:", "ip4:", "ip6:", "a:", "mx:" };

  if (strcmp (term, "a") == 0 || strcmp (term, "mx") == 0)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize n = strlen (prefixes[i]);
      if (g_ascii_strncasecmp (term, prefixes[i], n) == 0 && term[n] != '\0')
        {
          for (const char *p = term + n; *p != '\0'; p++)
            if (!g_ascii_isgraph (*p))
              return FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
senders_spf_ok (const char *spf)
{
  if (strlen (spf) > SPF_MAX_BYTES)
    return FALSE;
  g_auto (GStrv) terms = g_strsplit (spf, " ", -1);
  for (gsize i = 0; terms[i] != NULL; i++)
    if (!senders_spf_term_ok (terms[i]))
      return FALSE;
  return TRUE;
}

/* Display text: UTF-8, no control characters, at most MAX_BYTES. */
static gboolean
senders_text_ok (const char *text, gsize max_bytes)
{
  if (*text == '\0' || strlen (text) > max_bytes || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Checks the fields of one line in place (domain lower-cased, '-' kept). */
static gboolean
senders_check_row (char **f, const char *origin, guint line, GError **error)
{
  g_autofree char *safe = NULL;

  for (char *p = f[COL_DOMAIN]; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  if (!senders_domain_ok (f[COL_DOMAIN]))
    return senders_fail (error, origin, line, "domain \"%s\" is not a domain name",
                         (safe = log_safe_str (f[COL_DOMAIN])));
  if (strcmp (f[COL_NAME], "-") == 0 || !senders_text_ok (f[COL_NAME], NAME_MAX_BYTES))
    return senders_fail (error, origin, line, "name \"%s\" is empty, too long or not text",
                         (safe = log_safe_str (f[COL_NAME])));
  if (senders_kind (f[COL_KIND]) == NULL)
    return senders_fail (error, origin, line,
                         "kind \"%s\" is none of mailbox-provider, esp, security-gateway,"
                         " hosting, crm, helpdesk, marketing, transactional, forwarder, isp",
                         (safe = log_safe_str (f[COL_KIND])));
  if (strcmp (f[COL_SPF], "-") != 0 && !senders_spf_ok (f[COL_SPF]))
    return senders_fail (error, origin, line,
                         "spf \"%s\" is not '-' or SPF mechanisms (include:, ip4:, a, …)",
                         (safe = log_safe_str (f[COL_SPF])));
  if (strcmp (f[COL_DKIM], "-") != 0 && !senders_text_ok (f[COL_DKIM], DKIM_MAX_BYTES))
    return senders_fail (error, origin, line, "dkim hint is empty, over %u bytes or not text",
                         DKIM_MAX_BYTES);
  return TRUE;
}

/* ---- parsing a whole map ---- */

/* The rows of TEXT, each a GStrv of N_COLS checked fields, or NULL with
 * ERROR set.  (transfer full) */
static GPtrArray *
senders_parse (const char *text, gsize len, const char *origin, GError **error)
{
  if (len > SENDERS_MAX_BYTES || memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE, "%s: %s", origin,
                   len > SENDERS_MAX_BYTES ? "larger than 4 MiB: not a sender map"
                                           : "contains a NUL byte: not a text file");
      return NULL;
    }

  g_autofree char *copy = g_strndup (text, len);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint line = i + 1;
      gsize n = strlen (lines[i]);
      if (n > 0 && lines[i][n - 1] == '\r')
        lines[i][n - 1] = '\0';
      const char *start = lines[i] + strspn (lines[i], " \t");
      if (*start == '\0' || *start == '#')
        continue;

      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      guint n_fields = g_strv_length (f);
      if (n_fields != N_COLS)
        {
          senders_fail (error, origin, line, "want %d tab-separated fields, found %u",
                        N_COLS, n_fields);
          return NULL;
        }
      for (guint c = 0; c < N_COLS; c++)
        g_strstrip (f[c]);
      if (!senders_check_row (f, origin, line, error))
        return NULL;

      gpointer first = g_hash_table_lookup (seen, f[COL_DOMAIN]);
      if (first != NULL)
        {
          senders_fail (error, origin, line, "domain %s is already on line %u",
                        f[COL_DOMAIN], GPOINTER_TO_UINT (first));
          return NULL;
        }
      g_hash_table_insert (seen, g_strdup (f[COL_DOMAIN]), GUINT_TO_POINTER (line));
      g_ptr_array_add (rows, g_steal_pointer (&f));
    }
  return g_steal_pointer (&rows);
}

static const char *
senders_intern (const char *field)
{
  return strcmp (field, "-") == 0 ? NULL : g_string_chunk_insert_const (strings, field);
}

static void
senders_apply (GPtrArray *rows)
{
  g_rw_lock_writer_lock (&lock);
  if (by_domain == NULL)
    {
      by_domain = g_hash_table_new (g_str_hash, g_str_equal);
      all = g_ptr_array_new_with_free_func (g_free);
      strings = g_string_chunk_new (16 * 1024);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = g_ptr_array_index (rows, i);
      Sender *s = g_new0 (Sender, 1);
      s->domain = g_string_chunk_insert_const (strings, f[COL_DOMAIN]);
      s->name = g_string_chunk_insert_const (strings, f[COL_NAME]);
      s->kind = senders_kind (f[COL_KIND]);
      s->spf = senders_intern (f[COL_SPF]);
      s->dkim = senders_intern (f[COL_DKIM]);
      g_ptr_array_add (all, s);
      g_hash_table_replace (by_domain, (gpointer) s->domain, s);
    }
  g_rw_lock_writer_unlock (&lock);
}

static gboolean
senders_load_now (const char *text, gsize len, const char *origin, GError **error)
{
  g_autoptr (GPtrArray) rows = senders_parse (text, len, origin, error);
  if (rows == NULL)
    return FALSE;
  senders_apply (rows);
  return TRUE;
}

/* The built-in map, once.  Until the build embeds it there is no resource,
 * and the map simply starts empty. */
static void
senders_ensure_builtin (void)
{
  static gsize loaded = 0;
  if (!g_once_init_enter (&loaded))
    return;

  g_autoptr (GError) error = NULL;
  resources_register ();
  g_autoptr (GBytes) data = g_resources_lookup_data (SENDERS_RESOURCE, 0, &error);
  if (data == NULL)
    g_debug ("no built-in sender map: %s", error->message);
  else
    {
      gsize len = 0;
      const char *text = g_bytes_get_data (data, &len);
      if (!senders_load_now (text, len, SENDERS_RESOURCE, &error))
        g_critical ("built-in sender map: %s", error->message);   /* a bug in the data */
    }
  g_once_init_leave (&loaded, 1);
}

gboolean
senders_load_data (const char *text, gsize len, const char *origin, GError **error)
{
  senders_ensure_builtin ();   /* first, so that these entries win */
  return senders_load_now (text, len, origin, error);
}

gboolean
senders_load_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "sender map %s: %s", path, local->message);
      return FALSE;
    }
  return senders_load_data (text, len, path, error);
}

const Sender *
senders_lookup (const char *base_domain)
{
  char key[DOMAIN_MAX_BYTES + 1];
  gsize len = base_domain != NULL ? strlen (base_domain) : 0;
  const Sender *found = NULL;

  if (len == 0 || len > DOMAIN_MAX_BYTES)
    return NULL;
  for (gsize i = 0; i <= len; i++)
    key[i] = g_ascii_tolower (base_domain[i]);

  senders_ensure_builtin ();
  g_rw_lock_reader_lock (&lock);
  if (by_domain != NULL)
    found = g_hash_table_lookup (by_domain, key);
  g_rw_lock_reader_unlock (&lock);
  return found;
}

const Sender *
senders_lookup_name (const char *name_or_host)
{
  if (name_or_host == NULL)
    return NULL;
  gsize len = strlen (name_or_host);
  if (len > 0 && name_or_host[len - 1] == '.')
    len--;
  g_autofree char *name = g_strndup (name_or_host, len);

  /* Longest first, so protection.outlook.com wins over outlook.com; a
   * single label is never a base domain in the map. */
  for (const char *p = name; p != NULL && strchr (p, '.') != NULL;)
    {
      const Sender *s = senders_lookup (p);
      if (s != NULL)
        return s;
      p = strchr (p, '.') + 1;
    }
  return NULL;
}

guint
senders_count (void)
{
  guint n = 0;

  senders_ensure_builtin ();
  g_rw_lock_reader_lock (&lock);
  if (by_domain != NULL)
    n = g_hash_table_size (by_domain);
  g_rw_lock_reader_unlock (&lock);
  return n;
}
