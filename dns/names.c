/*
 * names.c -- see names.h.
 *
 * Everything here works on the normalised name, so the hostile PTR text has
 * been reduced to LDH bytes before any term or digit is looked at.
 */
#include "dns/names.h"

#include <arpa/inet.h>
#include <libpsl.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_BYTES 253
#define LABEL_MAX_BYTES 63

char *
dns_name_normalise (const char *name)
{
  if (name == NULL)
    return NULL;
  gsize len = strlen (name);
  if (len > 0 && name[len - 1] == '.')
    len--;
  if (len == 0 || len > NAME_MAX_BYTES)
    return NULL;

  g_autofree char *out = g_ascii_strdown (name, (gssize) len);
  gsize label_bytes = 0;
  for (gsize i = 0; i < len; i++)
    {
      char c = out[i];
      if (c == '.')
        {
          if (label_bytes == 0)
            return NULL;
          label_bytes = 0;
          continue;
        }
      if (!g_ascii_isalnum (c) && c != '-' && c != '_')
        return NULL;
      if (++label_bytes > LABEL_MAX_BYTES)
        return NULL;
    }
  if (label_bytes == 0)
    return NULL;   /* "a.b.." had two final dots */
  return g_steal_pointer (&out);
}

static gpointer
names_load_psl (gpointer data G_GNUC_UNUSED)
{
  /* Kept for the life of the process; libpsl lookups only read it. */
  return psl_latest (NULL);
}

static const psl_ctx_t *
names_psl (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, names_load_psl, NULL);
}

static gboolean
names_is_ip_literal (const char *name)
{
  unsigned char buf[sizeof (struct in6_addr)];
  return inet_pton (AF_INET, name, buf) == 1 || inet_pton (AF_INET6, name, buf) == 1;
}

/* Pointer into NAME (already normalised) at its registrable domain, or NULL.
 * libpsl's psl_registrable_domain() would count the private section too,
 * so the walk is done here with the ICANN section only: the first suffix,
 * from the left, whose parent is a public suffix. */
static const char *
names_org_suffix (const char *name)
{
  const psl_ctx_t *psl = names_psl ();

  if (psl == NULL || names_is_ip_literal (name)
      || psl_is_public_suffix2 (psl, name, PSL_TYPE_ICANN))
    return NULL;
  for (const char *cur = name; cur != NULL;)
    {
      const char *parent = strchr (cur, '.');
      if (parent == NULL)
        return NULL;
      parent++;
      if (psl_is_public_suffix2 (psl, parent, PSL_TYPE_ICANN))
        return cur;
      cur = parent;
    }
  return NULL;
}

char *
dns_org_domain (const char *name)
{
  g_autofree char *norm = dns_name_normalise (name);
  if (norm == NULL)
    return NULL;
  return g_strdup (names_org_suffix (norm));
}

/* ---- generic names ---- */

typedef enum
{
  TERM_NONE,
  TERM_WEAK,
  TERM_DYNAMIC,
  TERM_SERVER,
} TermKind;

static const struct
{
  const char *word;
  TermKind kind;
} terms[] = {
  { "dynamic", TERM_DYNAMIC }, { "dyn", TERM_DYNAMIC }, { "dsl", TERM_DYNAMIC },
  { "adsl", TERM_DYNAMIC }, { "vdsl", TERM_DYNAMIC }, { "xdsl", TERM_DYNAMIC },
  { "dhcp", TERM_DYNAMIC }, { "pool", TERM_DYNAMIC }, { "ppp", TERM_DYNAMIC },
  { "pppoe", TERM_DYNAMIC }, { "cable", TERM_DYNAMIC }, { "cpe", TERM_DYNAMIC },
  { "cust", TERM_DYNAMIC }, { "customer", TERM_DYNAMIC }, { "dial", TERM_DYNAMIC },
  { "dialup", TERM_DYNAMIC }, { "dialin", TERM_DYNAMIC }, { "broadband", TERM_DYNAMIC },
  { "res", TERM_DYNAMIC }, { "residential", TERM_DYNAMIC },
  { "host", TERM_WEAK }, { "ip", TERM_WEAK }, { "user", TERM_WEAK },
  { "client", TERM_WEAK }, { "clients", TERM_WEAK },
  { "static", TERM_SERVER }, { "mta", TERM_SERVER }, { "smtp", TERM_SERVER },
  { "mail", TERM_SERVER }, { "mx", TERM_SERVER }, { "out", TERM_SERVER },
  { "outbound", TERM_SERVER }, { "relay", TERM_SERVER }, { "server", TERM_SERVER },
  { "colo", TERM_SERVER }, { "ded", TERM_SERVER }, { "dedicated", TERM_SERVER },
  { "fix", TERM_SERVER }, { "fixed", TERM_SERVER },
};

/* The kind of one token: compared whole, then without its trailing digits. */
static TermKind
names_term_kind (const char *token, gsize len)
{
  gsize stem = len;
  while (stem > 0 && g_ascii_isdigit (token[stem - 1]))
    stem--;
  for (gsize i = 0; i < G_N_ELEMENTS (terms); i++)
    {
      gsize n = strlen (terms[i].word);
      if ((n == len || n == stem) && n > 0 && memcmp (token, terms[i].word, n) == 0)
        return terms[i].kind;
    }
  return TERM_NONE;
}

/* NEEDLE occurs in HOST with no hex digit right before or after it, so
 * "2001-db8--1" is not found inside "2001-db8--12", nor "0a000001" inside
 * a longer hex or digit string. */
static gboolean
names_has_hex_form (const char *host, const char *needle)
{
  gsize n = strlen (needle);
  for (const char *p = strstr (host, needle); p != NULL; p = strstr (p + 1, needle))
    {
      gboolean before = p > host && g_ascii_isxdigit (p[-1]);
      gboolean after = g_ascii_isxdigit (p[n]);
      if (!before && !after)
        return TRUE;
    }
  return FALSE;
}

/* Up to this many digit runs are looked at; a host name has far fewer. */
#define MAX_RUNS 64

/* The IPv4 octets A in HOST: as four consecutive digit runs (forward or
 * reversed, runs of 1-3 digits compared by value), zero-padded to twelve
 * digits, or as eight hex digits. */
static gboolean
names_has_ipv4 (const char *host, const guint8 a[4])
{
  char padded[13], hex[9];
  g_snprintf (padded, sizeof padded, "%03u%03u%03u%03u", a[0], a[1], a[2], a[3]);
  g_snprintf (hex, sizeof hex, "%02x%02x%02x%02x", a[0], a[1], a[2], a[3]);
  if (names_has_hex_form (host, hex))
    return TRUE;

  int runs[MAX_RUNS];
  gsize n_runs = 0;
  for (const char *p = host; *p != '\0' && n_runs < MAX_RUNS;)
    {
      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      gsize len = strspn (p, "0123456789");
      if (len == 12 && memcmp (p, padded, 12) == 0)
        return TRUE;
      runs[n_runs++] = len <= 3 ? (int) g_ascii_strtoull (p, NULL, 10) : -1;
      p += len;
    }
  for (gsize i = 0; i + 4 <= n_runs; i++)
    {
      const int *r = runs + i;
      if ((r[0] == a[0] && r[1] == a[1] && r[2] == a[2] && r[3] == a[3])
          || (r[0] == a[3] && r[1] == a[2] && r[2] == a[1] && r[3] == a[0]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
names_has_ipv6 (const char *host, const struct in6_addr *addr)
{
  guint g[8];
  for (int i = 0; i < 8; i++)
    g[i] = ((guint) addr->s6_addr[2 * i] << 8) | addr->s6_addr[2 * i + 1];

  char compressed[INET6_ADDRSTRLEN];
  if (inet_ntop (AF_INET6, addr, compressed, sizeof compressed) == NULL)
    return FALSE;
  g_strdelimit (compressed, ":", '-');
  if (names_has_hex_form (host, compressed))
    return TRUE;

  char form[64];
  const char seps[] = { '-', '.' };
  for (gsize s = 0; s < G_N_ELEMENTS (seps); s++)
    {
      char c = seps[s];
      g_snprintf (form, sizeof form, "%04x%c%04x%c%04x%c%04x%c%04x%c%04x%c%04x%c%04x",
                  g[0], c, g[1], c, g[2], c, g[3], c, g[4], c, g[5], c, g[6], c, g[7]);
      if (names_has_hex_form (host, form))
        return TRUE;
      /* the interface half alone: the padded form is distinctive enough */
      if (names_has_hex_form (host, form + 20))
        return TRUE;
      g_snprintf (form, sizeof form, "%x%c%x%c%x%c%x%c%x%c%x%c%x%c%x",
                  g[0], c, g[1], c, g[2], c, g[3], c, g[4], c, g[5], c, g[6], c, g[7]);
      if (names_has_hex_form (host, form))
        return TRUE;
    }
  g_snprintf (form, sizeof form, "%04x%04x%04x%04x%04x%04x%04x%04x",
              g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
  return names_has_hex_form (host, form) || names_has_hex_form (host, form + 16);
}

static gboolean
names_has_ip (const char *host, const char *ip)
{
  struct in6_addr a6;
  guint8 a4[4];

  if (ip == NULL)
    return FALSE;
  if (inet_pton (AF_INET, ip, a4) == 1)
    return names_has_ipv4 (host, a4);
  if (inet_pton (AF_INET6, ip, &a6) != 1)
    return FALSE;
  if (IN6_IS_ADDR_V4MAPPED (&a6))
    return names_has_ipv4 (host, a6.s6_addr + 12);
  return names_has_ipv6 (host, &a6);
}

gboolean
dns_name_is_generic (const char *name, const char *ip)
{
  g_autofree char *norm = dns_name_normalise (name);
  if (norm == NULL)
    return FALSE;

  /* Only the labels the organisation chose count: "dyn.com" is a company,
   * not a dynamic pool, and "mail.ru" says nothing about its hosts. */
  const char *org = names_org_suffix (norm);
  const char *last_dot = strrchr (norm, '.');
  gsize host_len = strlen (norm);
  if (org != NULL)
    host_len = org == norm ? 0 : (gsize) (org - norm - 1);
  else if (last_dot != NULL)
    host_len = (gsize) (last_dot - norm);   /* no list: keep all but the TLD */
  g_autofree char *host = g_strndup (norm, host_len);

  guint score = names_has_ip (host, ip) ? 2 : 0;
  for (const char *p = host; *p != '\0';)
    {
      gsize len = strcspn (p, ".-_");
      switch (names_term_kind (p, len))
        {
        case TERM_SERVER:
          return FALSE;
        case TERM_DYNAMIC:
          score += 2;
          break;
        case TERM_WEAK:
          score += 1;
          break;
        case TERM_NONE:
          break;
        }
      p += len;
      if (*p != '\0')
        p++;
    }
  return score >= 2;
}
