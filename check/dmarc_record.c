/*
 * dmarc_record.c -- see dmarc_record.h.
 *
 * The record is split at ";" into tags, each tag at its first "=".  Every
 * known tag has a row in dmarc_tags: the function that reads its value and
 * the words that say what a valid value looks like.  Findings about single
 * tags are kept in written order; findings about the whole record follow
 * them, so the output is the same for the same text.
 *
 * The record a fix offers is the corrected record: every tag receivers
 * ignore (unknown, a second copy, an invalid value) is left out, an
 * invalid p= becomes p=none (what receivers that keep the record apply,
 * RFC 7489 6.6.3), a report URI written without "mailto:" gets it, and
 * then the finding's own change is made.  Publishing it never changes
 * what receivers do except in the way the finding says, and pasting the
 * record of one finding does not bring back the faults of the others.
 * What a tag becomes is known only once every tag is read, so single-tag
 * findings get their record at the end (DmarcParse.pending).
 *
 * A little over our usual size: one reader per tag, and the record
 * rewriting that every fix needs (format_tags) lives with the tags.
 */
#include "check/dmarc_record.h"

#include <string.h>

/* Reads VALUE into the record; FALSE when the value is not valid. */
typedef gboolean (*DmarcTagFunc) (DmarcRecord *rec, const char *value);

typedef struct
{
  DmarcRecord *rec;
  FindingList *findings;   /* borrowed: where tag findings go */
  const char *domain;      /* borrowed */
  const char *subject;     /* "_dmarc.DOMAIN", borrowed */
  /* Per tag (index into rec->tags): the value the corrected record holds
   * instead of the written one; NULL keeps it as written, "" leaves the
   * tag out.  Owned. */
  GPtrArray *fixed;
  GPtrArray *pending;      /* Finding*, borrowed: get the corrected record at the end */
  guint rua_index;         /* the rua= tag read (the first), G_MAXUINT when none */
} DmarcParse;

static const char *const policy_names[] = { "none", "quarantine", "reject" };

const char *
dmarc_policy_name (DmarcPolicy policy)
{
  if (policy < DMARC_POLICY_NONE || policy > DMARC_POLICY_REJECT)
    return "";
  return policy_names[policy];
}

static gboolean
read_policy (const char *value, DmarcPolicy *out)
{
  for (int i = 0; i < (int) G_N_ELEMENTS (policy_names); i++)
    if (g_ascii_strcasecmp (value, policy_names[i]) == 0)
      {
        *out = (DmarcPolicy) i;
        return TRUE;
      }
  return FALSE;
}

/* One character out of ALLOWED (lower case), any case. */
static gboolean
read_flag (const char *value, const char *allowed, char *out)
{
  char c = g_ascii_tolower (value[0]);

  if (c == '\0' || value[1] != '\0' || strchr (allowed, c) == NULL)
    return FALSE;
  *out = c;
  return TRUE;
}

/* 1 to 10 digits, at most MAX. */
static gboolean
read_uint (const char *value, guint64 max, gint64 *out)
{
  guint64 n = 0;
  gsize len = strlen (value);

  if (len == 0 || len > 10)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      n = n * 10 + (guint64) (*p - '0');
    }
  if (n > max)
    return FALSE;
  *out = (gint64) n;
  return TRUE;
}

/* A colon-separated list whose every item is one of ALLOWED (any case). */
static gboolean
read_colon_list (const char *value, const char *const *allowed)
{
  g_auto (GStrv) items = g_strsplit (value, ":", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      gboolean known = FALSE;
      g_strstrip (items[i]);
      for (guint j = 0; allowed[j] != NULL; j++)
        known = known || g_ascii_strcasecmp (items[i], allowed[j]) == 0;
      if (!known)
        return FALSE;
    }
  return TRUE;
}

static gboolean
tag_p (DmarcRecord *rec, const char *value)
{
  return read_policy (value, &rec->p);
}

static gboolean
tag_sp (DmarcRecord *rec, const char *value)
{
  return read_policy (value, &rec->sp);
}

static gboolean
tag_np (DmarcRecord *rec, const char *value)
{
  return read_policy (value, &rec->np);
}

static gboolean
tag_pct (DmarcRecord *rec, const char *value)
{
  gint64 n;

  if (!read_uint (value, 100, &n))
    return FALSE;
  rec->pct = (int) n;
  return TRUE;
}

static gboolean
tag_adkim (DmarcRecord *rec, const char *value)
{
  return read_flag (value, "rs", &rec->adkim);
}

static gboolean
tag_aspf (DmarcRecord *rec, const char *value)
{
  return read_flag (value, "rs", &rec->aspf);
}

static gboolean
tag_fo (DmarcRecord *rec, const char *value)
{
  static const char *const fo_options[] = { "0", "1", "d", "s", NULL };

  if (!read_colon_list (value, fo_options))
    return FALSE;
  rec->fo = g_strdup (value);
  return TRUE;
}

static gboolean
tag_rf (DmarcRecord *rec, const char *value)
{
  static const char *const rf_formats[] = { "afrf", NULL };

  if (!read_colon_list (value, rf_formats))
    return FALSE;
  rec->rf = g_strdup (value);
  return TRUE;
}

static gboolean
tag_ri (DmarcRecord *rec, const char *value)
{
  return read_uint (value, G_MAXUINT32, &rec->ri);
}

static gboolean
tag_t (DmarcRecord *rec, const char *value)
{
  return read_flag (value, "yn", &rec->t);
}

static gboolean
tag_psd (DmarcRecord *rec, const char *value)
{
  return read_flag (value, "ynu", &rec->psd);
}

/* rua and ruf are read URI by URI (parse_uris); NULL here. */
static const struct
{
  const char *name;
  DmarcTagFunc read;
  const char *want;
} dmarc_tags[] = {
  { "v", NULL, NULL },
  { "p", tag_p, "none, quarantine or reject" },
  { "sp", tag_sp, "none, quarantine or reject" },
  { "np", tag_np, "none, quarantine or reject" },
  { "pct", tag_pct, "a whole number from 0 to 100" },
  { "rua", NULL, NULL },
  { "ruf", NULL, NULL },
  { "adkim", tag_adkim, "r (relaxed) or s (strict)" },
  { "aspf", tag_aspf, "r (relaxed) or s (strict)" },
  { "fo", tag_fo, "0, 1, d or s, separated by colons" },
  { "rf", tag_rf, "afrf" },
  { "ri", tag_ri, "a number of seconds" },
  { "t", tag_t, "y or n" },
  { "psd", tag_psd, "y, n or u" },
};

static void
dmarc_uri_free (DmarcUri *uri)
{
  g_free (uri->uri);
  g_free (uri->address);
  g_free (uri->host);
  g_free (uri);
}

static gboolean
host_is_valid (const char *host)
{
  if (host[0] == '\0' || host[0] == '.' || host[0] == '-' || strlen (host) > 253)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return strstr (host, "..") == NULL;
}

/* "mailto:" addr-spec [ "!" size [k|m|g|t] ]; NULL when not that shape. */
static DmarcUri *
uri_parse (const char *text)
{
  g_autofree char *rest = NULL;

  if (g_ascii_strncasecmp (text, "mailto:", 7) != 0)
    return NULL;
  rest = g_strdup (text + 7);
  char *bang = strrchr (rest, '!');
  if (bang != NULL)
    {
      const char *p = bang + 1;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p != '\0' && (strchr ("kmgtKMGT", *p) == NULL || p[1] != '\0'))
        return NULL;
      *bang = '\0';
    }
  char *at = strrchr (rest, '@');
  if (at == NULL || at == rest)
    return NULL;
  for (const char *p = rest; p < at; p++)
    if (!g_ascii_isgraph (*p))
      return NULL;
  if (!host_is_valid (at + 1))
    return NULL;

  DmarcUri *uri = g_new0 (DmarcUri, 1);
  uri->uri = g_strdup (text);
  uri->address = g_strdup (rest);
  uri->host = g_ascii_strdown (at + 1, -1);
  return uri;
}

/* "mailto:TEXT" when TEXT is an address written without its scheme (a
 * common slip), else NULL.  (transfer full) */
static char *
uri_with_mailto (const char *text)
{
  if (strchr (text, ':') != NULL)
    return NULL;
  g_autofree char *uri = g_strconcat ("mailto:", text, NULL);
  DmarcUri *parsed = uri_parse (uri);
  if (parsed == NULL)
    return NULL;
  dmarc_uri_free (parsed);
  return g_steal_pointer (&uri);
}

/* The URIs of tag INDEX (rua= or ruf=) into URIS; the corrected value
 * keeps the valid ones and the ones mailto: repairs. */
static void
parse_uris (DmarcParse *ps, guint index, GPtrArray *uris, const char *value)
{
  g_auto (GStrv) items = g_strsplit (value, ",", -1);
  g_autoptr (GString) kept = g_string_new (NULL);
  g_autoptr (GPtrArray) invalid = g_ptr_array_new ();   /* Finding*, borrowed */
  gboolean is_changed = FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (g_strstrip (items[i])[0] == '\0')
        {
          is_changed = TRUE;
          continue;   /* "rua=" or a stray comma: no URI there */
        }
      DmarcUri *uri = uri_parse (items[i]);
      if (uri != NULL)
        {
          g_ptr_array_add (uris, uri);
          g_string_append_printf (kept, "%s%s", kept->len ? "," : "", items[i]);
          continue;
        }
      is_changed = TRUE;
      g_autofree char *repaired = uri_with_mailto (items[i]);
      g_autofree char *fix = repaired != NULL
                             ? g_strdup_printf ("write it as %s", repaired)
                             : g_strdup ("write it as mailto:ADDRESS, optionally with !SIZE "
                                         "(e.g. !10m)");
      if (repaired != NULL)
        g_string_append_printf (kept, "%s%s", kept->len ? "," : "", repaired);
      g_ptr_array_add (invalid, finding_list_add (ps->findings, "dmarc_uri_invalid",
                                                  SEVERITY_WARNING, items[i], fix, NULL,
                                                  "%s is not a mailto: URI with an address: "
                                                  "receivers send no reports to it",
                                                  items[i]));
    }
  if (is_changed)
    {
      g_free (g_ptr_array_index (ps->fixed, index));
      g_ptr_array_index (ps->fixed, index) = g_strdup (kept->str);
    }
  /* A rua= left with no address: dmarc_no_rua offers the record. */
  if (kept->len > 0 || index != ps->rua_index)
    g_ptr_array_extend (ps->pending, invalid, NULL, NULL);
}

static gboolean
tag_is_known (const char *name, guint *index_out)
{
  for (guint i = 0; i < G_N_ELEMENTS (dmarc_tags); i++)
    if (strcmp (dmarc_tags[i].name, name) == 0)
      {
        *index_out = i;
        return TRUE;
      }
  return FALSE;
}

/* The tags with the values of FIXED (see DmarcParse; NULL: as written),
 * NAME set to VALUE (or removed when VALUE is NULL).  A p= that was
 * missing goes right after v=, anything else at the end. */
static char *
format_tags (const DmarcRecord *rec, const GPtrArray *fixed, const char *name,
             const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean done = (name == NULL);

  for (guint i = 0; i < rec->tags->len; i++)
    {
      const DmarcTag *tag = g_ptr_array_index (rec->tags, i);
      const char *fixed_value = fixed != NULL ? g_ptr_array_index (fixed, i) : NULL;
      const char *v = fixed_value != NULL ? fixed_value : tag->value;
      if (name != NULL && strcmp (tag->name, name) == 0)
        {
          if (done || value == NULL)
            continue;
          v = value;
          done = TRUE;
        }
      else if (fixed_value != NULL && fixed_value[0] == '\0')
        continue;
      g_string_append_printf (out, "%s%s=%s", out->len > 0 ? "; " : "", tag->name, v);
      if (!done && value != NULL && i == 0 && strcmp (name, "p") == 0)
        {
          g_string_append_printf (out, "; p=%s", value);
          done = TRUE;
        }
    }
  if (!done && value != NULL)
    g_string_append_printf (out, "%s%s=%s", out->len > 0 ? "; " : "", name, value);
  return g_string_free (out, FALSE);
}

char *
dmarc_record_format_with (const DmarcRecord *record, const char *name, const char *value)
{
  return format_tags (record, NULL, name, value);
}

static void
dmarc_tag_free (DmarcTag *tag)
{
  g_free (tag->name);
  g_free (tag->value);
  g_free (tag);
}

/* DMARC knows 14 tags.  A record with many more is not a policy anyone
 * wrote, and each finding about a tag carries a corrected copy of the
 * whole record: reading at most this many pieces keeps a hostile record
 * (a TXT record can hold thousands of ";") from costing quadratic memory. */
#define DMARC_MAX_PIECES 32

/* Splits TEXT into tags (record->tags); pieces without "=" are
 * dmarc_syntax findings. */
static void
split_tags (DmarcParse *ps, const char *text)
{
  g_auto (GStrv) pieces = g_strsplit (text, ";", -1);
  guint n_pieces = 0;

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      char *piece = g_strstrip (pieces[i]);
      char *eq = strchr (piece, '=');
      if (piece[0] == '\0')
        continue;
      if (++n_pieces > DMARC_MAX_PIECES)
        {
          finding_list_add (ps->findings, "dmarc_syntax", SEVERITY_ERROR, "", "publish a "
                            "record with only the DMARC tags you mean (v, p, rua, …)", NULL,
                            "the record has more than %d tags; the rest were not read",
                            DMARC_MAX_PIECES);
          break;
        }
      if (eq == NULL || eq == piece)
        {
          g_ptr_array_add (ps->pending,
                           finding_list_add (ps->findings, "dmarc_syntax", SEVERITY_ERROR,
                                             piece, "remove it or write it as name=value",
                                             NULL, "\"%s\" is not a tag (name=value): "
                                             "receivers may reject the whole record", piece));
          continue;
        }
      *eq = '\0';
      DmarcTag *tag = g_new0 (DmarcTag, 1);
      tag->name = g_ascii_strdown (g_strstrip (piece), -1);
      tag->value = g_strdup (g_strstrip (eq + 1));
      g_ptr_array_add (ps->rec->tags, tag);
    }
}

/* Tag INDEX gets VALUE in the corrected record ("" leaves it out). */
static void
fix_tag (DmarcParse *ps, guint index, const char *value)
{
  g_free (g_ptr_array_index (ps->fixed, index));
  g_ptr_array_index (ps->fixed, index) = g_strdup (value);
}

static void
read_tag (DmarcParse *ps, guint index, GHashTable *seen)
{
  const DmarcTag *tag = g_ptr_array_index (ps->rec->tags, index);
  g_autofree char *written = g_strdup_printf ("%s=%s", tag->name, tag->value);
  guint known;

  if (!tag_is_known (tag->name, &known))
    {
      fix_tag (ps, index, "");
      g_ptr_array_add (ps->pending,
                       finding_list_add (ps->findings, "dmarc_tag_unknown", SEVERITY_WARNING,
                                         written, "remove it, or correct its spelling", NULL,
                                         "unknown tag %s=: receivers ignore it", tag->name));
      return;
    }
  if (!g_hash_table_add (seen, tag->name))
    {
      fix_tag (ps, index, "");
      g_ptr_array_add (ps->pending,
                       finding_list_add (ps->findings, "dmarc_tag_duplicate",
                                         SEVERITY_WARNING, written, "remove the second one",
                                         NULL, "%s= appears more than once: receivers may "
                                         "use either value or discard the record (dmarcstat "
                                         "reads the first)", tag->name));
      return;
    }
  if (strcmp (tag->name, "rua") == 0)
    {
      ps->rua_index = index;
      parse_uris (ps, index, ps->rec->rua, tag->value);
    }
  else if (strcmp (tag->name, "ruf") == 0)
    parse_uris (ps, index, ps->rec->ruf, tag->value);
  else if (dmarc_tags[known].read != NULL && !dmarc_tags[known].read (ps->rec, tag->value))
    {
      gboolean is_p = strcmp (tag->name, "p") == 0;
      g_autofree char *fix = is_p
        ? g_strdup_printf ("set p= to %s; p=none is what receivers that keep the record "
                           "apply now, so start there and tighten it as the reports allow",
                           dmarc_tags[known].want)
        : g_strdup_printf ("set %s= to %s, or remove it", tag->name, dmarc_tags[known].want);
      fix_tag (ps, index, is_p ? "none" : "");
      g_ptr_array_add (ps->pending,
                       finding_list_add (ps->findings, "dmarc_tag_invalid",
                                         is_p ? SEVERITY_ERROR : SEVERITY_WARNING, written,
                                         fix, NULL, is_p ? "%s is not a valid value: receivers "
                                         "may ignore the whole record" : "%s is not a valid "
                                         "value: receivers ignore the tag", written));
    }
}

static void
check_policy (DmarcParse *ps, FindingList *out)
{
  DmarcRecord *rec = ps->rec;

  if (rec->p == DMARC_POLICY_NONE)
    {
      g_autofree char *next = format_tags (rec, ps->fixed, "p", "quarantine");
      finding_list_add (out, "dmarc_policy_none", SEVERITY_INFO, ps->subject,
                        "once the aggregate reports show every legitimate source passing "
                        "SPF or DKIM aligned, publish p=quarantine, then p=reject "
                        "(dmarcstat advise says when)", next,
                        "p=none: receivers report failing mail but deliver it as usual");
    }
  if (rec->sp != DMARC_POLICY_UNSET && rec->p != DMARC_POLICY_UNSET && rec->sp < rec->p)
    {
      g_autofree char *fixed = format_tags (rec, ps->fixed, "sp", NULL);
      finding_list_add (out, "dmarc_sp_weaker", SEVERITY_WARNING, ps->subject,
                        "remove sp= (subdomains then get p=) unless a subdomain sends "
                        "mail that is not ready", fixed,
                        "sp=%s is weaker than p=%s: mail from any subdomain name, "
                        "existing or not, gets the weaker policy",
                        dmarc_policy_name (rec->sp), dmarc_policy_name (rec->p));
    }
}

static void
check_pct_and_rua (DmarcParse *ps, FindingList *out)
{
  DmarcRecord *rec = ps->rec;

  if (rec->pct >= 0 && rec->pct < 100)
    {
      g_autofree char *fixed = format_tags (rec, ps->fixed, "pct", NULL);
      finding_list_add (out, "dmarc_pct_partial", SEVERITY_WARNING, ps->subject,
                        "remove pct= so that the policy applies to all failing mail", fixed,
                        "pct=%d: receivers apply p=%s to only %d%% of failing mail",
                        rec->pct, dmarc_policy_name (rec->p), rec->pct);
    }
  if (rec->pct >= 0)
    {
      g_autofree char *fixed = format_tags (rec, ps->fixed, "pct", NULL);
      finding_list_add (out, "dmarc_pct_retired", SEVERITY_INFO, ps->subject,
                        "remove pct=; to try a stricter policy first, use t=y", fixed,
                        "pct= is retired by DMARCbis (RFC 9989): receivers that follow "
                        "it ignore the tag");
    }
  if (rec->rua->len == 0)
    {
      /* rua=dmarc@example.com: keep the address meant, with its mailto:. */
      const char *repaired = ps->rua_index != G_MAXUINT
                             ? g_ptr_array_index (ps->fixed, ps->rua_index) : NULL;
      gboolean is_repaired = repaired != NULL && repaired[0] != '\0';
      g_autofree char *value = is_repaired ? g_strdup (repaired)
                               : g_strdup_printf ("mailto:dmarc-reports@%s", ps->domain);
      g_autofree char *fixed = format_tags (rec, ps->fixed, "rua", value);
      g_autofree char *fix = is_repaired
        ? g_strdup_printf ("write the address as a mailto: URI: rua=%s", value)
        : g_strdup_printf ("add rua=%s (a mailbox dmarcstat ingests)", value);
      finding_list_add (out, "dmarc_no_rua", SEVERITY_WARNING, ps->subject, fix, fixed,
                        "%s: receivers send no aggregate reports, so nobody sees which "
                        "sources fail", ps->rua_index != G_MAXUINT
                        ? "rua= holds no valid mailto: URI" : "no rua= address");
    }
}

DmarcRecord *
dmarc_record_parse (const char *text, const char *domain, FindingList *findings)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *subject = g_strdup_printf ("_dmarc.%s", domain);
  DmarcRecord *rec = g_new0 (DmarcRecord, 1);
  g_autoptr (GPtrArray) fixed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) pending = g_ptr_array_new ();
  DmarcParse ps = { rec, findings, domain, subject, fixed, pending, G_MAXUINT };
  guint first_finding = findings->items->len;

  rec->p = rec->sp = rec->np = DMARC_POLICY_UNSET;
  rec->pct = -1;
  rec->ri = -1;
  rec->adkim = rec->aspf = 'r';
  rec->rua = g_ptr_array_new_with_free_func ((GDestroyNotify) dmarc_uri_free);
  rec->ruf = g_ptr_array_new_with_free_func ((GDestroyNotify) dmarc_uri_free);
  rec->tags = g_ptr_array_new_with_free_func ((GDestroyNotify) dmarc_tag_free);

  split_tags (&ps, text);
  const DmarcTag *first = rec->tags->len > 0 ? g_ptr_array_index (rec->tags, 0) : NULL;
  if (first == NULL || strcmp (first->name, "v") != 0
      || g_ascii_strcasecmp (first->value, "DMARC1") != 0)
    {
      g_autofree char *rest = dmarc_record_format_with (rec, "v", NULL);
      g_autofree char *with_v = g_strdup_printf ("v=DMARC1%s%s", rest[0] ? "; " : "", rest);
      finding_list_add (findings, "dmarc_syntax", SEVERITY_ERROR, subject,
                        "start the record with v=DMARC1", with_v,
                        "the record does not start with v=DMARC1: receivers ignore it");
      return rec;
    }
  g_ptr_array_set_size (fixed, (gint) rec->tags->len);
  for (guint i = 0; i < rec->tags->len; i++)
    read_tag (&ps, i, seen);
  g_autofree char *corrected = format_tags (rec, fixed, NULL, NULL);
  for (guint i = 0; i < pending->len; i++)
    {
      Finding *f = g_ptr_array_index (pending, i);
      g_free (f->record);
      f->record = g_strdup (corrected);
    }

  /* The verdict on the whole record goes before the tag findings. */
  rec->is_valid = rec->p != DMARC_POLICY_UNSET;
  if (rec->is_valid)
    {
      g_autofree char *message = g_strdup_printf ("DMARC record: %s", text);
      g_ptr_array_insert (findings->items, (gint) first_finding,
                          finding_new ("dmarc_ok", SEVERITY_OK, subject, message, NULL, NULL));
    }
  else if (!g_hash_table_contains (seen, "p"))
    {
      g_autofree char *with_p = format_tags (rec, fixed, "p", "none");
      g_ptr_array_insert (findings->items, (gint) first_finding,
                          finding_new ("dmarc_syntax", SEVERITY_ERROR, subject,
                                       "the record has no p= tag: receivers ignore it or "
                                       "treat it as p=none",
                                       "add p=none right after v=DMARC1, then tighten it",
                                       with_p));
    }
  check_policy (&ps, findings);
  check_pct_and_rua (&ps, findings);
  return rec;
}

void
dmarc_record_free (DmarcRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->rua, g_ptr_array_unref);
  g_clear_pointer (&record->ruf, g_ptr_array_unref);
  g_clear_pointer (&record->tags, g_ptr_array_unref);
  g_free (record->fo);
  g_free (record->rf);
  g_free (record);
}

gboolean
dmarc_record_is_dmarc (const char *text)
{
  const char *p = text;

  if (g_ascii_tolower (*p) != 'v')
    return FALSE;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '=')
    return FALSE;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  if (g_ascii_strncasecmp (p, "DMARC1", 6) != 0)
    return FALSE;
  p += 6;
  return *p == '\0' || *p == ';' || *p == ' ' || *p == '\t';
}
