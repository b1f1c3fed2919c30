/*
 * dns_store.c -- see dns_store.h.
 *
 * Arrays travel as PostgreSQL array literals built here (array_literal), so
 * every value is still one text parameter and nothing is ever spliced into
 * SQL.
 */
#include "store/dns_store.h"
#include "store/db_private.h"

#include <string.h>

/* {"a","b\"c"} with every element quoted; NULL elements become NULL. */
static char *
array_literal (guint n, const char *const *items)
{
  GString *out = g_string_new ("{");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (items[i] == NULL)
        {
          g_string_append (out, "NULL");
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = items[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static char *
uint_array_literal (guint n, const guint32 *values)
{
  GString *out = g_string_new ("{");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? "," : "", values[i]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
exec_params (Store *store, const char *what, const char *sql, int n,
             const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = store_query (store, what, PGRES_COMMAND_OK, sql, n, params, error);
  return res != NULL;
}

/* ---- answer cache ---- */

StoreTable *
store_dns_cache_get (Store *store, const char *qname, int qtype, GError **error)
{
  static const char sql[] =
    "SELECT c.status, greatest(0, extract(epoch FROM c.expires_at - now()))::bigint AS ttl_left,"
    " r.ttl, r.text, r.pref FROM dns_cache c"
    " LEFT JOIN LATERAL unnest(c.ttls, c.texts, c.prefs) WITH ORDINALITY AS r (ttl, text, pref, n)"
    "  ON true"
    " WHERE c.qname = $1 AND c.qtype = $2::integer AND c.expires_at > now() ORDER BY r.n";
  g_autofree char *type = g_strdup_printf ("%d", qtype);
  const char *params[] = { qname, type };
  return store_table_query (store, "reading the DNS cache", sql, 2, params, error);
}

gboolean
store_dns_cache_put (Store *store, const char *qname, int qtype, const char *status,
                     guint n, const guint32 *ttls, const char *const *texts,
                     const guint16 *prefs, guint32 ttl, GError **error)
{
  static const char sql[] =
    "INSERT INTO dns_cache (qname, qtype, status, ttls, texts, prefs, fetched_at, expires_at)"
    " VALUES ($1, $2::integer, $3, $4::integer[], $5::text[], $6::integer[], now(),"
    "  now() + make_interval(secs => $7::integer))"
    " ON CONFLICT (qname, qtype) DO UPDATE SET status = excluded.status, ttls = excluded.ttls,"
    "  texts = excluded.texts, prefs = excluded.prefs, fetched_at = excluded.fetched_at,"
    "  expires_at = excluded.expires_at";
  g_autofree guint32 *pref32 = g_new0 (guint32, n + 1);
  for (guint i = 0; i < n; i++)
    pref32[i] = prefs != NULL ? prefs[i] : 0;
  g_autofree char *type = g_strdup_printf ("%d", qtype);
  g_autofree char *ttl_array = uint_array_literal (n, ttls);
  g_autofree char *text_array = array_literal (n, texts);
  g_autofree char *pref_array = uint_array_literal (n, pref32);
  g_autofree char *ttl_text = g_strdup_printf ("%u", MIN (ttl, (guint32) G_MAXINT32));
  const char *params[] = { qname, type, status, ttl_array, text_array, pref_array, ttl_text };
  return exec_params (store, "writing the DNS cache", sql, 7, params, error);
}

gint64
store_dns_cache_expire (Store *store, GError **error)
{
  g_autoptr (PGresult) res = store_query (store, "expiring the DNS cache", PGRES_COMMAND_OK,
                                          "DELETE FROM dns_cache"
                                          " WHERE expires_at < now() - interval '1 day'",
                                          0, NULL, error);
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
}

/* ---- source identity ---- */

StoreTable *
store_identity_pending (Store *store, gint64 after_report, guint limit, gint64 *upto_out,
                        GError **error)
{
  /* Newest reports first: a source that just appeared is the one the user
   * is about to look at. */
  static const char all_sql[] =
    "SELECT host(ip) AS ip FROM ("
    " SELECT c.source_ip AS ip, max(c.report_id) AS newest FROM records c"
    "  WHERE c.source_ip IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source_identity s"
    "   WHERE s.ip = c.source_ip AND s.expires_at > now())"
    "  GROUP BY c.source_ip) AS p ORDER BY newest DESC, ip LIMIT $1::integer";
  /* The new reports' records by their report_id index; the expired
   * identities by expiry, each checked against the source_ip index. */
  static const char new_sql[] =
    "SELECT host(ip) AS ip FROM ("
    " SELECT c.source_ip AS ip, max(c.report_id) AS newest FROM records c"
    "  WHERE c.report_id > $2::bigint AND c.source_ip IS NOT NULL"
    "  AND NOT EXISTS (SELECT 1 FROM source_identity s"
    "   WHERE s.ip = c.source_ip AND s.expires_at > now())"
    "  GROUP BY c.source_ip"
    " UNION ALL SELECT s.ip, 0 FROM source_identity s WHERE s.expires_at <= now()"
    "  AND EXISTS (SELECT 1 FROM records c WHERE c.source_ip = s.ip)) AS p"
    " GROUP BY ip ORDER BY max(newest) DESC, ip LIMIT $1::integer";
  g_autoptr (PGresult) top = store_query (store, "finding the newest report", PGRES_TUPLES_OK,
                                          "SELECT coalesce(max(id), 0) FROM reports", 0, NULL,
                                          error);
  if (top == NULL)
    return NULL;
  *upto_out = g_ascii_strtoll (PQgetvalue (top, 0, 0), NULL, 10);
  g_autofree char *n = g_strdup_printf ("%u", limit);
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, after_report);
  const char *params[] = { n, after };
  if (after_report <= 0)
    return store_table_query (store, "finding unresolved sources", all_sql, 1, params, error);
  return store_table_query (store, "finding unresolved sources", new_sql, 2, params, error);
}

static const char *
tristate (int value)
{
  return value < 0 ? NULL : value ? "true" : "false";
}

gboolean
store_identity_save (Store *store, const StoreIdentity *id, GError **error)
{
  static const char sql[] =
    "INSERT INTO source_identity (ip, ptr_status, ptr_names, ptr_name, fcrdns, generic,"
    " base_domain, sender_name, sender_kind, country, resolved_at, expires_at, sender_by)"
    " VALUES ($1::inet, $2, $3::text[], $4, $5::boolean, $6::boolean, $7, $8, $9, $10, now(),"
    "  now() + make_interval(secs => $11::integer), $12)"
    " ON CONFLICT (ip) DO UPDATE SET ptr_status = excluded.ptr_status,"
    "  ptr_names = excluded.ptr_names, ptr_name = excluded.ptr_name, fcrdns = excluded.fcrdns,"
    "  generic = excluded.generic, base_domain = excluded.base_domain,"
    "  sender_name = excluded.sender_name, sender_kind = excluded.sender_kind,"
    "  country = excluded.country, resolved_at = excluded.resolved_at,"
    "  expires_at = excluded.expires_at, sender_by = excluded.sender_by";
  guint n_names = id->ptr_names != NULL ? g_strv_length ((char **) id->ptr_names) : 0;
  g_autofree char *names = array_literal (n_names, id->ptr_names);
  g_autofree char *ttl = g_strdup_printf ("%u", MIN (id->ttl, (guint32) G_MAXINT32));
  const char *params[] = { id->ip, id->ptr_status, names, id->ptr_name, tristate (id->fcrdns),
                           tristate (id->generic), id->base_domain, id->sender_name,
                           id->sender_kind, id->country, ttl, id->sender_by };
  return exec_params (store, "saving a source identity", sql, G_N_ELEMENTS (params), params,
                      error);
}

StoreTable *
store_identity_auth_passes (Store *store, const char *const *ips, guint n, GError **error)
{
  /* Fifty records of an address are enough to know who signs and sends
   * for it; the records_source_ip index finds them. */
  static const char sql[] =
    "SELECT host(a.ip) AS ip,"
    " string_agg(DISTINCT lower(u.d), ' ' ORDER BY lower(u.d)) FILTER (WHERE u.k = 'd') AS dkim,"
    " string_agg(DISTINCT lower(u.d), ' ' ORDER BY lower(u.d)) FILTER (WHERE u.k = 's') AS spf"
    " FROM unnest($1::inet[]) AS a (ip),"
    " LATERAL (SELECT c.dkim_domains, c.dkim_results, c.spf_domains, c.spf_results FROM records c"
    "  WHERE c.source_ip = a.ip LIMIT 50) AS c,"
    " LATERAL (SELECT 'd' AS k, x.d, x.r FROM unnest(c.dkim_domains, c.dkim_results) AS x (d, r)"
    "  UNION ALL SELECT 's', y.d, y.r FROM unnest(c.spf_domains, c.spf_results) AS y (d, r)) AS u"
    " WHERE u.r = 'pass' AND u.d <> '' GROUP BY a.ip";
  g_autofree char *list = array_literal (n, ips);
  const char *params[] = { list };
  return store_table_query (store, "finding what passed for sources", sql, 1, params, error);
}

/* ---- domain checks ---- */

StoreTable *
store_check_due (Store *store, guint interval_seconds, guint limit, GError **error)
{
  static const char sql[] =
    "SELECT d.domain FROM (SELECT DISTINCT lower(domain) AS domain FROM reports) AS d"
    " LEFT JOIN LATERAL (SELECT max(checked_at) AS last FROM dns_checks k"
    "  WHERE k.domain = d.domain) AS k ON true"
    " WHERE k.last IS NULL OR k.last < now() - make_interval(secs => $1::integer)"
    " ORDER BY k.last NULLS FIRST, d.domain LIMIT $2::integer";
  g_autofree char *interval = g_strdup_printf ("%u", MIN (interval_seconds, (guint) G_MAXINT32));
  g_autofree char *n = g_strdup_printf ("%u", limit);
  const char *params[] = { interval, n };
  return store_table_query (store, "finding domains to check", sql, 2, params, error);
}

/* The window ends at the domain's newest report, not at now(): a database
 * restored from last year still has selectors to check. */
#define DOMAIN_WINDOW \
  " WITH newest AS (SELECT max(begin_time) AS t FROM reports WHERE lower(domain) = $1)," \
  " scope AS (SELECT c.* FROM records c JOIN reports r ON r.id = c.report_id, newest" \
  "  WHERE lower(r.domain) = $1 AND (newest.t IS NULL OR r.begin_time IS NULL" \
  "   OR r.begin_time >= newest.t - make_interval(days => $2::integer)))"

StoreTable *
store_check_selectors (Store *store, const char *domain, guint days, GError **error)
{
  static const char sql[] = DOMAIN_WINDOW
    " SELECT DISTINCT lower(s) AS selector FROM scope,"
    "  unnest(scope.dkim_domains, scope.dkim_selectors) AS u (d, s)"
    " WHERE lower(d) = $1 AND s IS NOT NULL AND s <> '' ORDER BY 1 LIMIT 50";
  g_autofree char *lower = g_ascii_strdown (domain, -1);
  g_autofree char *n = g_strdup_printf ("%u", days);
  const char *params[] = { lower, n };
  return store_table_query (store, "finding DKIM selectors", sql, 2, params, error);
}

StoreTable *
store_check_senders (Store *store, const char *domain, guint days, guint limit, GError **error)
{
  static const char sql[] = DOMAIN_WINDOW
    " SELECT host(p.ip) AS ip, s.sender_name AS label FROM ("
    "  SELECT source_ip AS ip, sum(count) AS messages,"
    "   sum(count) FILTER (WHERE lower(dkim_eval) = 'pass') AS signed FROM scope"
    "  WHERE source_ip IS NOT NULL GROUP BY source_ip) AS p"
    " LEFT JOIN source_identity s ON s.ip = p.ip"
    " WHERE p.signed * 2 > p.messages ORDER BY p.messages DESC, p.ip LIMIT $3::integer";
  g_autofree char *lower = g_ascii_strdown (domain, -1);
  g_autofree char *n = g_strdup_printf ("%u", days);
  g_autofree char *max = g_strdup_printf ("%u", limit);
  const char *params[] = { lower, n, max };
  return store_table_query (store, "finding legitimate senders", sql, 3, params, error);
}

gint64
store_check_save (Store *store, const char *domain, const char *worst, guint n,
                  const StoreFinding *findings, GError **error)
{
  static const char sql[] =
    "WITH c AS (INSERT INTO dns_checks (domain, worst, findings)"
    "  VALUES (lower($1), $2, $3::integer) RETURNING id),"
    " f AS (INSERT INTO dns_check_findings (check_id, ordinal, code, severity, subject,"
    "  message, fix, record) SELECT c.id, u.n, u.code, u.severity, u.subject, u.message,"
    "  u.fix, u.record FROM c, unnest($4::text[], $5::text[], $6::text[], $7::text[],"
    "  $8::text[], $9::text[]) WITH ORDINALITY AS u (code, severity, subject, message, fix,"
    "  record, n))"
    " SELECT id FROM c";
  g_autofree const char **codes = g_new0 (const char *, n + 1);
  g_autofree const char **severities = g_new0 (const char *, n + 1);
  g_autofree const char **subjects = g_new0 (const char *, n + 1);
  g_autofree const char **messages = g_new0 (const char *, n + 1);
  g_autofree const char **fixes = g_new0 (const char *, n + 1);
  g_autofree const char **records = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      codes[i] = findings[i].code;
      severities[i] = findings[i].severity;
      subjects[i] = findings[i].subject != NULL ? findings[i].subject : "";
      messages[i] = findings[i].message;
      fixes[i] = findings[i].fix;
      records[i] = findings[i].record;
    }
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *a1 = array_literal (n, codes);
  g_autofree char *a2 = array_literal (n, severities);
  g_autofree char *a3 = array_literal (n, subjects);
  g_autofree char *a4 = array_literal (n, messages);
  g_autofree char *a5 = array_literal (n, fixes);
  g_autofree char *a6 = array_literal (n, records);
  const char *params[] = { domain, worst, count, a1, a2, a3, a4, a5, a6 };
  g_autoptr (PGresult) res = store_query (store, "saving a DNS check", PGRES_TUPLES_OK, sql,
                                          G_N_ELEMENTS (params), params, error);
  if (res == NULL)
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

StoreTable *
store_check_latest (Store *store, const char *domain, GError **error)
{
  static const char sql[] =
    "SELECT to_char(c.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS checked_at,"
    " f.code, f.severity, f.subject, f.message, f.fix, f.record"
    " FROM (SELECT id, checked_at FROM dns_checks WHERE domain = lower($1)"
    "  ORDER BY checked_at DESC, id DESC LIMIT 1) AS c"
    " JOIN dns_check_findings f ON f.check_id = c.id ORDER BY f.ordinal";
  const char *params[] = { domain };
  return store_table_query (store, "reading the newest DNS check", sql, 1, params, error);
}

StoreTable *
store_check_changes (Store *store, const char *domain, guint limit, GError **error)
{
  /* A finding is the same across checks when code and subject are: its
   * wording may carry a value that changed (a key size), which is then
   * part of the new finding. */
  static const char sql[] =
    "WITH c AS (SELECT id, checked_at, lag(id) OVER (ORDER BY checked_at, id) AS prev"
    "  FROM dns_checks WHERE domain = lower($1)),"
    " changes AS ("
    "  SELECT c.checked_at, 'appeared' AS change, f.severity, f.code, f.subject, f.message,"
    "   f.ordinal FROM c JOIN dns_check_findings f ON f.check_id = c.id"
    "  WHERE c.prev IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dns_check_findings g"
    "   WHERE g.check_id = c.prev AND g.code = f.code AND g.subject = f.subject)"
    "  UNION ALL"
    "  SELECT c.checked_at, 'disappeared', g.severity, g.code, g.subject, g.message, g.ordinal"
    "  FROM c JOIN dns_check_findings g ON g.check_id = c.prev"
    "  WHERE NOT EXISTS (SELECT 1 FROM dns_check_findings f"
    "   WHERE f.check_id = c.id AND f.code = g.code AND f.subject = g.subject))"
    " SELECT to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,"
    " to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS checked_at,"
    " change, severity, code, subject, message FROM changes"
    " ORDER BY changes.checked_at DESC, change, ordinal LIMIT $2::integer";
  g_autofree char *n = g_strdup_printf ("%u", limit);
  const char *params[] = { domain, n };
  return store_table_query (store, "reading DNS check history", sql, 2, params, error);
}
