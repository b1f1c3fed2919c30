/*
 * resolve_sources.c -- see resolve_sources.h.
 */
#include "cli/resolve_sources.h"
#include "core/senders.h"
#include "dns/names.h"
#include "store/dns_store.h"
#include "store/table.h"

#include <string.h>

/* At most this many PTR names per address are forward-checked: an address
 * with dozens of PTRs is misconfigured, and checking them all is a way to
 * make us send many queries. */
#define MAX_PTR_NAMES 4
/* Identity TTLs: DNS TTLs are often minutes; a source's name changes
 * rarely, and a day-old name is good enough to label a dashboard. */
#define MIN_IDENTITY_TTL 3600
#define MAX_IDENTITY_TTL (7 * 86400)
#define RETRY_TTL 3600

typedef struct
{
  DnsResolver *resolver;
  char *ip;
  DnsStatus ptr_status;
  guint32 ttl;
  GPtrArray *names;       /* char*, normalised PTR names */
  char *confirmed;        /* the first name whose A/AAAA holds the IP */
  gboolean forward_failed;
} SourceLookup;

typedef struct
{
  SourceLookup *source;
  char *name;
} ForwardLookup;

static void
source_lookup_free (gpointer data)
{
  SourceLookup *s = data;
  g_free (s->ip);
  g_ptr_array_unref (s->names);
  g_free (s->confirmed);
  g_free (s);
}

static void
on_forward (DnsAnswer *answer, gpointer user_data)
{
  ForwardLookup *f = user_data;
  SourceLookup *s = f->source;

  if (answer->status == DNS_OK)
    {
      s->ttl = MIN (s->ttl, answer->ttl);
      for (guint i = 0; i < answer->records->len && s->confirmed == NULL; i++)
        {
          const DnsRecord *r = g_ptr_array_index (answer->records, i);
          if (dns_same_address (r->text, s->ip))
            s->confirmed = g_strdup (f->name);
        }
    }
  else if (answer->status != DNS_NXDOMAIN && answer->status != DNS_NODATA)
    s->forward_failed = TRUE;
  dns_answer_free (answer);
  g_free (f->name);
  g_free (f);
}

static void
on_ptr (DnsAnswer *answer, gpointer user_data)
{
  SourceLookup *s = user_data;
  DnsType forward_type = strchr (s->ip, ':') != NULL ? DNS_T_AAAA : DNS_T_A;

  s->ptr_status = answer->status;
  s->ttl = answer->ttl;
  for (guint i = 0; i < answer->records->len && s->names->len < MAX_PTR_NAMES; i++)
    {
      const DnsRecord *r = g_ptr_array_index (answer->records, i);
      char *name = dns_name_normalise (r->text);
      if (name != NULL)
        g_ptr_array_add (s->names, name);
    }
  dns_answer_free (answer);
  /* Submitting from inside a callback is allowed: the resolver runs until
   * these are answered too. */
  for (guint i = 0; i < s->names->len; i++)
    {
      ForwardLookup *f = g_new0 (ForwardLookup, 1);
      f->source = s;
      f->name = g_strdup (g_ptr_array_index (s->names, i));
      dns_submit (s->resolver, f->name, forward_type, on_forward, f);
    }
}

static guint32
identity_ttl (const SourceLookup *s)
{
  gboolean definite = (s->ptr_status == DNS_OK || s->ptr_status == DNS_NXDOMAIN
                       || s->ptr_status == DNS_NODATA)
                      && !s->forward_failed;
  if (!definite)
    return RETRY_TTL;
  return CLAMP (s->ttl, MIN_IDENTITY_TTL, MAX_IDENTITY_TTL);
}

/* The known sender of DOMAINS (space-separated), the first in their order
 * that the senders map knows, or NULL.  (transfer none) */
static const Sender *
sender_of_domains (const char *domains)
{
  if (domains == NULL)
    return NULL;
  g_auto (GStrv) list = g_strsplit (domains, " ", -1);
  for (char **d = list; *d != NULL; d++)
    {
      const Sender *sender = senders_lookup_name (*d);
      if (sender != NULL)
        return sender;
    }
  return NULL;
}

/* A source that its PTR name does not tie to a known sender is still
 * named after one when, on its own mail, DKIM passed for that sender's
 * domain and SPF passed for that sender's domain too.  DKIM alone would
 * name every forwarder after the services whose signed mail it relays:
 * the signature survives forwarding, the SPF pass does not.  (transfer
 * none) */
static const Sender *
sender_by_auth (const char *dkim_passes, const char *spf_passes)
{
  const Sender *by_dkim = sender_of_domains (dkim_passes);
  if (by_dkim == NULL || spf_passes == NULL)
    return NULL;
  g_auto (GStrv) list = g_strsplit (spf_passes, " ", -1);
  for (char **d = list; *d != NULL; d++)
    {
      const Sender *by_spf = senders_lookup_name (*d);
      /* By name: one sender may have several domains (sendgrid.net, .com). */
      if (by_spf != NULL && strcmp (by_spf->name, by_dkim->name) == 0)
        return by_dkim;
    }
  return NULL;
}

static gboolean
save_identity (Store *store, GeoipDb *geoip, const SourceLookup *s, const char *dkim_passes,
               const char *spf_passes, GError **error)
{
  const char *name = s->confirmed != NULL ? s->confirmed
                     : s->names->len > 0 ? g_ptr_array_index (s->names, 0) : NULL;
  g_autofree char *base = name != NULL ? dns_org_domain (name) : NULL;
  g_autofree char *country = geoip != NULL ? geoip_country (geoip, s->ip) : NULL;
  const Sender *sender = name != NULL ? senders_lookup_name (name) : NULL;
  const char *sender_by = sender != NULL ? "ptr" : NULL;
  if (sender == NULL && (sender = sender_by_auth (dkim_passes, spf_passes)) != NULL)
    sender_by = "dkim";
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < s->names->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (s->names, i));
  g_ptr_array_add (names, NULL);

  StoreIdentity id = {
    .ip = s->ip,
    .ptr_status = dns_status_name (s->ptr_status),
    .ptr_names = (const char *const *) names->pdata,
    .ptr_name = name,
    .fcrdns = name != NULL ? s->confirmed != NULL : -1,
    .generic = name != NULL ? dns_name_is_generic (name, s->ip) : -1,
    .base_domain = base,
    .sender_name = sender != NULL ? sender->name : NULL,
    .sender_kind = sender != NULL ? sender->kind : NULL,
    .sender_by = sender_by,
    .country = country,
    .ttl = identity_ttl (s),
  };
  return store_identity_save (store, &id, error);
}

gint64
resolve_sources (DnsResolver *resolver, Store *store, GeoipDb *geoip, guint batch,
                 guint64 limit, gint64 *watermark, GError **error)
{
  gint64 done = 0;
  gint64 after = watermark != NULL ? *watermark : 0;
  gint64 upto = 0, first_upto = -1;

  if (batch == 0)
    batch = 1000;
  for (;;)
    {
      guint want = batch;
      if (limit > 0)
        {
          if ((guint64) done >= limit)
            break;
          want = (guint) MIN ((guint64) batch, limit - (guint64) done);
        }
      g_autoptr (StoreTable) pending = store_identity_pending (store, after, want, &upto, error);
      if (pending == NULL)
        return -1;
      if (first_upto < 0)
        first_upto = upto;
      guint n = store_table_n_rows (pending);
      if (n == 0)
        break;

      g_autoptr (GPtrArray) lookups = g_ptr_array_new_with_free_func (source_lookup_free);
      for (guint i = 0; i < n; i++)
        {
          const char *ip = store_table_get (pending, i, "ip");
          g_autofree char *reverse = dns_reverse_name (ip);
          if (reverse == NULL)
            continue;
          SourceLookup *s = g_new0 (SourceLookup, 1);
          s->resolver = resolver;
          s->ip = g_strdup (ip);
          s->names = g_ptr_array_new_with_free_func (g_free);
          s->ptr_status = DNS_ERROR;
          g_ptr_array_add (lookups, s);
          dns_submit (resolver, reverse, DNS_T_PTR, on_ptr, s);
        }
      dns_resolver_run (resolver);

      /* What passed for each source, for those the PTR does not name. */
      g_autoptr (GPtrArray) ips = g_ptr_array_new ();
      for (guint i = 0; i < lookups->len; i++)
        g_ptr_array_add (ips, ((SourceLookup *) g_ptr_array_index (lookups, i))->ip);
      g_autoptr (StoreTable) passes = store_identity_auth_passes (
          store, (const char *const *) ips->pdata, ips->len, error);
      if (passes == NULL)
        return -1;
      g_autoptr (GHashTable) row_of = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint r = 0; r < store_table_n_rows (passes); r++)
        g_hash_table_insert (row_of, (gpointer) store_table_get (passes, r, "ip"),
                             GUINT_TO_POINTER (r + 1));

      for (guint i = 0; i < lookups->len; i++)
        {
          const SourceLookup *s = g_ptr_array_index (lookups, i);
          if (s->ptr_status == DNS_OFFLINE)
            return done;   /* nothing to store: offline answers say nothing */
          guint row = GPOINTER_TO_UINT (g_hash_table_lookup (row_of, s->ip));
          const char *dkim = row > 0 ? store_table_get (passes, row - 1, "dkim") : NULL;
          const char *spf = row > 0 ? store_table_get (passes, row - 1, "spf") : NULL;
          if (!save_identity (store, geoip, s, dkim, spf, error))
            return -1;
          done++;
        }
      if (n < want)
        break;
    }
  /* Everything pending up to the first search's newest report is done
   * unless the limit stopped the pass. */
  if (watermark != NULL && first_upto >= 0 && (limit == 0 || (guint64) done < limit))
    *watermark = first_upto;
  return done;
}
