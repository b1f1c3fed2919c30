/*
 * spf_record.c -- see spf_record.h.
 *
 * The grammar is RFC 7208 section 12, read strictly where receivers are
 * strict (terms are separated by spaces only, a cidr length has no leading
 * zero, an unknown mechanism is a permerror) because a record that one
 * receiver rejects fails for that receiver's share of the mail.
 *
 * A term is a modifier when it starts with a name followed by "=";
 * otherwise it is [qualifier] mechanism [":" argument] [cidr].  In a and
 * mx the domain-spec ends at the first "/" outside a macro: "/" is a macro
 * delimiter and also starts the cidr length.
 *
 * A little over our usual size: the macro-string and domain-spec grammar
 * (RFC 7208 7.1) is here too, since nothing else uses it.
 */
#include "check/spf_record.h"

#include <arpa/inet.h>
#include <string.h>

typedef enum
{
  ARG_NONE,         /* all */
  ARG_DOMAIN,       /* include, exists: ":" domain-spec required */
  ARG_DOMAIN_OPT,   /* ptr */
  ARG_DOMAIN_CIDR,  /* a, mx: [":" domain-spec] [dual-cidr-length] */
  ARG_IP4,
  ARG_IP6,
} SpfArg;

static const struct
{
  const char *name;
  SpfTermKind kind;
  SpfArg arg;
} spf_mechanisms[] = {
  { "all", SPF_TERM_ALL, ARG_NONE },
  { "include", SPF_TERM_INCLUDE, ARG_DOMAIN },
  { "a", SPF_TERM_A, ARG_DOMAIN_CIDR },
  { "mx", SPF_TERM_MX, ARG_DOMAIN_CIDR },
  { "ptr", SPF_TERM_PTR, ARG_DOMAIN_OPT },
  { "ip4", SPF_TERM_IP4, ARG_IP4 },
  { "ip6", SPF_TERM_IP6, ARG_IP6 },
  { "exists", SPF_TERM_EXISTS, ARG_DOMAIN },
};

/* P is at "%": the end of the macro-expand there, or NULL.  The letters c,
 * r and t are only valid in explanation text (ALLOW_EXP). */
static const char *
macro_expand_end (const char *p, gboolean allow_exp)
{
  if (p[1] == '%' || p[1] == '_' || p[1] == '-')
    return p + 2;
  if (p[1] != '{')
    return NULL;
  p += 2;
  char letter = g_ascii_tolower (*p);
  if (letter == '\0' || (strchr ("slodiphv", letter) == NULL
                         && !(allow_exp && strchr ("crt", letter) != NULL)))
    return NULL;
  p++;
  while (g_ascii_isdigit (*p))
    p++;
  if (g_ascii_tolower (*p) == 'r')
    p++;
  while (*p != '\0' && strchr (".-+,/_=", *p) != NULL)
    p++;
  return *p == '}' ? p + 1 : NULL;
}

/* macro-string (RFC 7208 7.1).  *TAIL_OUT: the literal text after the last
 * macro-expand, NULL when the string ends with one. */
static gboolean
macro_string_valid (const char *s, gboolean allow_exp, gboolean *has_macro_out,
                    const char **tail_out)
{
  const char *tail = s;

  *has_macro_out = FALSE;
  for (const char *p = s; *p != '\0';)
    {
      if (*p == '%')
        {
          p = macro_expand_end (p, allow_exp);
          if (p == NULL)
            return FALSE;
          *has_macro_out = TRUE;
          tail = *p != '\0' ? p : NULL;
        }
      else if ((guchar) *p >= 0x21 && (guchar) *p <= 0x7e)
        p++;
      else
        return FALSE;
    }
  *tail_out = tail;
  return TRUE;
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static gboolean
toplabel_valid (const char *s, gsize len)
{
  gboolean has_alpha = FALSE, has_hyphen = FALSE;

  if (len == 0 || !g_ascii_isalnum (s[0]) || !g_ascii_isalnum (s[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '-')
        has_hyphen = TRUE;
      else if (g_ascii_isalpha (s[i]))
        has_alpha = TRUE;
      else if (!g_ascii_isdigit (s[i]))
        return FALSE;
    }
  return has_alpha || has_hyphen;
}

/* domain-spec = macro-string domain-end;
 * domain-end = ( "." toplabel [ "." ] ) / macro-expand */
static gboolean
domain_spec_valid (const char *spec, gboolean *has_macro_out)
{
  const char *tail;

  if (spec[0] == '\0' || !macro_string_valid (spec, FALSE, has_macro_out, &tail))
    return FALSE;
  if (tail == NULL)
    return TRUE;
  gsize len = strlen (tail);
  if (len > 0 && tail[len - 1] == '.')
    len--;
  gsize dot = len;
  while (dot > 0 && tail[dot - 1] != '.')
    dot--;
  return dot > 0 && toplabel_valid (tail + dot, len - dot);
}

/* P is at "/": one cidr length of at most MAX, no leading zero. */
static const char *
read_cidr (const char *p, guint max, guint *out)
{
  guint n = 0;
  int digits = 0;

  p++;
  if (p[0] == '0' && g_ascii_isdigit (p[1]))
    return NULL;
  for (; g_ascii_isdigit (*p) && digits < 4; p++, digits++)
    n = n * 10 + (guint) (*p - '0');
  if (digits == 0 || digits > 3 || n > max)
    return NULL;
  *out = n;
  return p;
}

/* dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ] */
static gboolean
read_dual_cidr (const char *p, SpfTerm *term)
{
  if (p[0] == '/' && p[1] != '/' && (p = read_cidr (p, 32, &term->cidr4)) == NULL)
    return FALSE;
  if (p[0] == '/' && p[1] == '/' && (p = read_cidr (p + 1, 128, &term->cidr6)) == NULL)
    return FALSE;
  return *p == '\0';
}

/* The first "/" of S outside %{...}, or its end. */
static const char *
find_cidr (const char *s)
{
  gboolean in_macro = FALSE;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == '{')
        in_macro = TRUE;
      else if (in_macro && *p == '}')
        in_macro = FALSE;
      else if (!in_macro && *p == '/')
        return p;
    }
  return s + strlen (s);
}

static void
mask_host_bits (guint8 *addr, gsize len, guint prefix)
{
  for (gsize i = 0; i < len; i++)
    {
      guint first_bit = (guint) i * 8;
      guint bits = prefix > first_bit ? MIN (prefix - first_bit, 8) : 0;
      addr[i] &= (guint8) (0xff00 >> bits);
    }
}

/* ip4 / ip6 argument: ":" address [ "/" length ]. */
static gboolean
read_ip (SpfTerm *term, const char *rest, gboolean is_v6, const char *qualifier)
{
  if (rest[0] != ':')
    return FALSE;
  const char *slash = strchr (rest, '/');
  g_autofree char *ip = g_strndup (rest + 1, slash ? (gsize) (slash - rest - 1) : strlen (rest + 1));
  guint *cidr = is_v6 ? &term->cidr6 : &term->cidr4;

  if (inet_pton (is_v6 ? AF_INET6 : AF_INET, ip, term->addr) != 1)
    return FALSE;
  term->addr_len = is_v6 ? 16 : 4;
  if (slash != NULL && ((slash = read_cidr (slash, is_v6 ? 128 : 32, cidr)) == NULL || *slash))
    return FALSE;

  guint8 net[16];
  char net_text[INET6_ADDRSTRLEN];
  memcpy (net, term->addr, sizeof net);
  mask_host_bits (net, term->addr_len, *cidr);
  if (memcmp (net, term->addr, term->addr_len) != 0)
    {
      inet_ntop (is_v6 ? AF_INET6 : AF_INET, net, net_text, sizeof net_text);
      term->corrected = g_strdup_printf ("%s%s:%s/%u", qualifier, is_v6 ? "ip6" : "ip4",
                                         net_text, *cidr);
    }
  return TRUE;
}

/* Fills TERM from a mechanism's argument REST; NULL on success, else why
 * not. */
static const char *
read_argument (SpfTerm *term, SpfArg arg, const char *rest, const char *qualifier)
{
  switch (arg)
    {
    case ARG_NONE:
      return rest[0] == '\0' ? NULL : "all takes no argument";
    case ARG_DOMAIN:
    case ARG_DOMAIN_OPT:
      if (rest[0] == '\0' && arg == ARG_DOMAIN_OPT)
        return NULL;
      if (rest[0] != ':')
        return "a domain must follow after \":\"";
      term->domain = g_strdup (rest + 1);
      return domain_spec_valid (term->domain, &term->has_macro) ? NULL : "not a valid domain";
    case ARG_DOMAIN_CIDR:
      {
        const char *cidr = rest;
        if (rest[0] == ':')
          {
            cidr = find_cidr (rest + 1);
            term->domain = g_strndup (rest + 1, (gsize) (cidr - rest - 1));
            if (!domain_spec_valid (term->domain, &term->has_macro))
              return "not a valid domain";
          }
        return read_dual_cidr (cidr, term) ? NULL : "not a valid prefix length (/0-32, //0-128)";
      }
    case ARG_IP4:
    case ARG_IP6:
      return read_ip (term, rest, arg == ARG_IP6, qualifier) ? NULL
             : arg == ARG_IP6 ? "not an IPv6 network (ip6:ADDRESS or ip6:ADDRESS/0-128)"
             : "not an IPv4 network (ip4:ADDRESS or ip4:ADDRESS/0-32)";
    }
  return "unknown argument";
}

/* name "=" value, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
static const char *
read_modifier (SpfTerm *term, const char *text, const char *eq)
{
  g_autofree char *name = g_ascii_strdown (text, eq - text);
  const char *value = eq + 1;
  const char *tail;

  if (strcmp (name, "redirect") == 0 || strcmp (name, "exp") == 0)
    {
      term->kind = name[0] == 'r' ? SPF_TERM_REDIRECT : SPF_TERM_EXP;
      term->domain = g_strdup (value);
      return domain_spec_valid (value, &term->has_macro) ? NULL : "not a valid domain";
    }
  term->kind = SPF_TERM_MODIFIER;
  return macro_string_valid (value, TRUE, &term->has_macro, &tail) ? NULL
         : "not a valid modifier value";
}

/* One term; kind SPF_TERM_INVALID with *WHY_OUT set when it does not
 * parse.  (transfer full) */
static SpfTerm *
term_parse (const char *text, const char **why_out)
{
  SpfTerm *term = g_new0 (SpfTerm, 1);
  const char *p = text;
  const char *why = "unknown mechanism";

  term->text = g_strdup (text);
  term->qualifier = '+';
  term->cidr4 = 32;
  term->cidr6 = 128;
  const char *n = p;
  while (g_ascii_isalnum (*n) || *n == '-' || *n == '_' || *n == '.')
    n++;
  if (*n == '=' && g_ascii_isalpha (*p))
    why = read_modifier (term, text, n);
  else
    {
      char qualifier[2] = { 0, 0 };
      if (*p != '\0' && strchr ("+-~?", *p) != NULL)
        term->qualifier = qualifier[0] = *p++;
      gsize name_len = strcspn (p, ":/");
      term->kind = SPF_TERM_INVALID;
      for (guint i = 0; i < G_N_ELEMENTS (spf_mechanisms); i++)
        if (strlen (spf_mechanisms[i].name) == name_len
            && g_ascii_strncasecmp (p, spf_mechanisms[i].name, name_len) == 0)
          {
            term->kind = spf_mechanisms[i].kind;
            why = read_argument (term, spf_mechanisms[i].arg, p + name_len, qualifier);
          }
    }
  if (why != NULL)
    term->kind = SPF_TERM_INVALID;
  *why_out = why;
  return term;
}

static void
spf_term_free (SpfTerm *term)
{
  g_free (term->text);
  g_free (term->domain);
  g_free (term->corrected);
  g_free (term);
}

static void
add_syntax (FindingList *findings, const char *term, const char *why)
{
  g_autofree char *fix = g_strdup_printf ("correct or remove %s", term);
  finding_list_add (findings, "spf_syntax", SEVERITY_ERROR, term, fix, NULL,
                    "%s: %s; receivers return permerror, so SPF fails for all mail",
                    term, why);
}

/* Adds TERM to the record: syntax findings, the record's all, redirect
 * and lookup count. */
static void
add_term (SpfRecord *rec, SpfTerm *term, const char *why, FindingList *findings)
{
  g_ptr_array_add (rec->terms, term);
  if (term->kind == SPF_TERM_INVALID)
    {
      add_syntax (findings, term->text, why);
      rec->is_valid = FALSE;
      return;
    }
  if (term->kind == SPF_TERM_REDIRECT || term->kind == SPF_TERM_EXP)
    for (guint i = 0; i + 1 < rec->terms->len; i++)
      if (((SpfTerm *) g_ptr_array_index (rec->terms, i))->kind == term->kind)
        {
          add_syntax (findings, term->text, "the modifier appears twice");
          term->kind = SPF_TERM_INVALID;
          rec->is_valid = FALSE;
          return;
        }
  if (term->kind == SPF_TERM_REDIRECT)
    rec->redirect = term;
  if (rec->all == NULL && spf_term_is_lookup (term))
    rec->n_lookups++;
  if (term->kind == SPF_TERM_ALL && rec->all == NULL)
    rec->all = term;
}

/* Findings about single valid terms; after parsing, so that the corrected
 * record holds every term. */
static void
check_terms (const SpfRecord *rec, FindingList *findings)
{
  g_autofree char *record = spf_record_format (rec, NULL, NULL);

  for (guint i = 0; i < rec->terms->len; i++)
    {
      const SpfTerm *term = g_ptr_array_index (rec->terms, i);
      if (term->corrected != NULL)
        {
          g_autofree char *fix = g_strdup_printf ("write %s", term->corrected);
          finding_list_add (findings, "spf_cidr_host_bits", SEVERITY_WARNING, term->text,
                            fix, record, "%s has bits set past the prefix length: "
                            "receivers read it as %s, and some reject it",
                            term->text, term->corrected);
        }
      if (term->kind == SPF_TERM_PTR)
        finding_list_add (findings, "spf_ptr", SEVERITY_WARNING, term->text,
                          "replace it with ip4:/ip6: ranges or a: names of the sending "
                          "hosts", NULL, "the ptr mechanism is slow and unreliable: RFC 7208 "
                          "5.5 says not to use it, and some receivers skip it");
    }
}

static void
check_all (const SpfRecord *rec, FindingList *findings)
{
  const SpfTerm *all = rec->all;
  g_autofree char *fixed = spf_record_format (rec, "-all", NULL);

  if (all == NULL && rec->redirect == NULL)
    finding_list_add (findings, "spf_no_all", SEVERITY_WARNING, "",
                      "end the record with -all (or ~all while you check the reports)", fixed,
                      "the record ends without all or redirect=: mail from unlisted "
                      "sources gets a neutral result");
  else if (all != NULL && all->qualifier == '+')
    finding_list_add (findings, "spf_plus_all", SEVERITY_CRITICAL, all->text,
                      "end the record with -all (or ~all while you check the reports)", fixed,
                      "%s lets every host on the internet pass SPF as this domain", all->text);
  else if (all != NULL && all->qualifier == '?')
    finding_list_add (findings, "spf_neutral_all", SEVERITY_WARNING, all->text,
                      "end the record with -all (or ~all while you check the reports)", fixed,
                      "?all: mail from unlisted sources gets a neutral result, as if "
                      "there were no SPF record");
  else if (all != NULL && all->qualifier == '~')
    finding_list_add (findings, "spf_softfail_all", SEVERITY_INFO, all->text,
                      "once the reports show every legitimate source passing, -all makes "
                      "the record strict", fixed,
                      "~all: mail from unlisted sources soft-fails (marked, not refused); "
                      "DMARC enforcement does the refusing");
  if (all != NULL && rec->redirect != NULL)
    finding_list_add (findings, "spf_redirect_with_all", SEVERITY_INFO, rec->redirect->text,
                      "remove the all term if the redirect is meant, or remove redirect=",
                      NULL, "%s is ignored because the record has %s", rec->redirect->text,
                      all->text);
}

SpfRecord *
spf_record_parse (const char *text, FindingList *findings)
{
  g_autoptr (FindingList) dropped = findings == NULL ? finding_list_new () : NULL;
  SpfRecord *rec = g_new0 (SpfRecord, 1);

  if (findings == NULL)
    findings = dropped;
  rec->text = g_strdup (text);
  rec->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) spf_term_free);
  rec->is_valid = spf_record_is_spf (text);
  if (!rec->is_valid)
    {
      g_autofree char *first = g_strndup (text, strcspn (text, " "));
      add_syntax (findings, first, "an SPF record starts with v=spf1 and a space");
      return rec;
    }

  g_auto (GStrv) words = g_strsplit (text + 6, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      {
        const char *why = NULL;
        SpfTerm *term = term_parse (words[i], &why);
        add_term (rec, term, why, findings);
      }
  if (rec->redirect != NULL && rec->all == NULL)
    rec->n_lookups++;
  check_terms (rec, findings);
  check_all (rec, findings);
  return rec;
}

void
spf_record_free (SpfRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->text);
  g_clear_pointer (&record->terms, g_ptr_array_unref);
  g_free (record);
}

gboolean
spf_term_is_lookup (const SpfTerm *term)
{
  return term->kind == SPF_TERM_INCLUDE || term->kind == SPF_TERM_A || term->kind == SPF_TERM_MX
         || term->kind == SPF_TERM_PTR || term->kind == SPF_TERM_EXISTS;
}

gboolean
spf_record_is_spf (const char *text)
{
  return g_ascii_strncasecmp (text, "v=spf1", 6) == 0 && (text[6] == '\0' || text[6] == ' ');
}

char *
spf_record_format (const SpfRecord *record, const char *new_all, const char *const *add_terms)
{
  GString *out = g_string_new ("v=spf1");
  gboolean added = add_terms == NULL || add_terms[0] == NULL;
  gboolean all_done = new_all == NULL;

  for (guint i = 0; i < record->terms->len; i++)
    {
      const SpfTerm *t = g_ptr_array_index (record->terms, i);
      if (!added && (t->kind == SPF_TERM_ALL || t->kind == SPF_TERM_REDIRECT))
        {
          for (guint j = 0; add_terms[j] != NULL; j++)
            g_string_append_printf (out, " %s", add_terms[j]);
          added = TRUE;
        }
      if (t->kind == SPF_TERM_ALL && !all_done)
        {
          g_string_append_printf (out, " %s", new_all);
          all_done = TRUE;
          continue;
        }
      g_string_append_printf (out, " %s", t->corrected ? t->corrected : t->text);
    }
  for (guint j = 0; !added && add_terms[j] != NULL; j++)
    g_string_append_printf (out, " %s", add_terms[j]);
  if (!all_done)
    g_string_append_printf (out, " %s", new_all);
  return g_string_free (out, FALSE);
}

gboolean
spf_ip_parse (const char *text, guint8 addr_out[16], gsize *len_out)
{
  struct in6_addr v6;

  if (inet_pton (AF_INET, text, addr_out) == 1)
    {
      *len_out = 4;
      return TRUE;
    }
  if (inet_pton (AF_INET6, text, &v6) != 1)
    return FALSE;
  if (IN6_IS_ADDR_V4MAPPED (&v6))
    {
      memcpy (addr_out, v6.s6_addr + 12, 4);
      *len_out = 4;
    }
  else
    {
      memcpy (addr_out, v6.s6_addr, 16);
      *len_out = 16;
    }
  return TRUE;
}

gboolean
spf_ip_in_net (const guint8 *net, gsize net_len, guint prefix, const guint8 *addr,
               gsize addr_len)
{
  guint8 a[16], n[16];

  if (net_len != addr_len || net_len > 16 || prefix > net_len * 8)
    return FALSE;
  memcpy (a, addr, addr_len);
  memcpy (n, net, net_len);
  mask_host_bits (a, addr_len, prefix);
  mask_host_bits (n, net_len, prefix);
  return memcmp (a, n, net_len) == 0;
}
