/*
 * check_dmarc.c -- the DMARC part of a domain check.
 *
 *   TXT _dmarc.DOMAIN, records starting v=DMARC1 only (RFC 7489 6.6.3)
 *     none       -> the organisational domain's record (dmarc_inherited)
 *                   or dmarc_missing with a starter record
 *     several    -> dmarc_multiple: receivers then ignore them all
 *     one        -> dmarc_record_parse(), then the report hosts
 *
 * Reports to a host in another organisational domain are only sent when
 * that host publishes DOMAIN._report._dmarc.HOST with v=DMARC1 (RFC 7489
 * 7.1), which the sysadmin of DOMAIN usually forgets to ask for.
 */
#include "check/check_private.h"
#include "check/dmarc_record.h"

#include <string.h>

/* Report hosts looked up per record: two URIs per tag is what receivers
 * must support; more than a handful is a mistake, not a reason for more
 * queries. */
#define DMARC_MAX_REPORT_HOSTS 10

/* The DMARC records at _dmarc.DOMAIN (borrowed from *ANSWER_OUT), or NULL
 * after a dmarc_lookup_failed finding. */
static GPtrArray *
dmarc_records (CheckContext *ctx, const char *name, DnsAnswer **answer_out)
{
  DnsAnswer *answer = check_lookup (ctx, name, DNS_T_TXT);
  *answer_out = answer;

  if (check_answer_failed (answer))
    {
      finding_list_add (ctx->findings, "dmarc_lookup_failed", SEVERITY_ERROR, name,
                        check_failed_fix (answer->status,
                                          "check that the name servers of the zone answer"),
                        NULL,
                        "TXT lookup of %s failed (%s): receivers that meet the same "
                        "failure apply no DMARC policy", name,
                        dns_status_name (answer->status));
      return NULL;
    }
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  GPtrArray *records = g_ptr_array_new ();
  for (guint i = 0; i < texts->len; i++)
    if (dmarc_record_is_dmarc (g_ptr_array_index (texts, i)))
      g_ptr_array_add (records, g_ptr_array_index (texts, i));
  return records;
}

static void
missing_or_inherited (CheckContext *ctx, const char *name)
{
  if (strcmp (ctx->org_domain, ctx->domain) != 0)
    {
      g_autofree char *org_name = g_strdup_printf ("_dmarc.%s", ctx->org_domain);
      g_autoptr (DnsAnswer) answer = NULL;
      g_autoptr (GPtrArray) records = dmarc_records (ctx, org_name, &answer);
      if (records == NULL)
        return;
      if (records->len == 1)
        {
          g_autoptr (FindingList) ignored = finding_list_new ();
          g_autoptr (DmarcRecord) org = dmarc_record_parse (g_ptr_array_index (records, 0),
                                                            ctx->org_domain, ignored);
          DmarcPolicy applied = org->sp != DMARC_POLICY_UNSET ? org->sp : org->p;
          finding_list_add (ctx->findings, "dmarc_inherited", SEVERITY_INFO, name, NULL, NULL,
                            "no record at %s: the record of %s applies (policy %s)", name,
                            ctx->org_domain, applied != DMARC_POLICY_UNSET
                            ? dmarc_policy_name (applied) : "invalid");
          return;
        }
    }
  g_autofree char *record = g_strdup_printf ("v=DMARC1; p=none; rua=mailto:dmarc-reports@%s",
                                             ctx->domain);
  g_autofree char *fix = g_strdup_printf ("publish this TXT record at %s, then tighten p= as "
                                          "the reports allow", name);
  finding_list_add (ctx->findings, "dmarc_missing", SEVERITY_ERROR, name, fix, record,
                    "no DMARC record at %s: receivers apply no policy and send no reports",
                    name);
}

/* One report host in another organisational domain: is it authorised? */
static void
check_report_host (CheckContext *ctx, const char *host)
{
  g_autofree char *name = g_strdup_printf ("%s._report._dmarc.%s", ctx->domain, host);
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, name, DNS_T_TXT);

  if (check_answer_failed (answer))
    {
      finding_list_add (ctx->findings, "dmarc_lookup_failed", SEVERITY_ERROR, name,
                        check_failed_fix (answer->status,
                                          "check that the name servers of the zone answer"),
                        NULL,
                        "TXT lookup of %s failed (%s): receivers that meet the same "
                        "failure send no reports to %s", name,
                        dns_status_name (answer->status), host);
      return;
    }
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  for (guint i = 0; i < texts->len; i++)
    if (dmarc_record_is_dmarc (g_ptr_array_index (texts, i)))
      {
        finding_list_add (ctx->findings, "dmarc_external_ok", SEVERITY_OK, host, NULL, NULL,
                          "%s accepts reports for %s (%s)", host, ctx->domain, name);
        return;
      }
  g_autofree char *fix = g_strdup_printf ("have the DNS of %s publish: %s TXT \"v=DMARC1\"",
                                          host, name);
  finding_list_add (ctx->findings, "dmarc_external_unauthorized", SEVERITY_ERROR, host, fix,
                    "v=DMARC1", "reports for %s go to %s, which does not say it accepts "
                    "them (no v=DMARC1 at %s): receivers send it no reports",
                    ctx->domain, host, name);
}

static void
check_report_hosts (CheckContext *ctx, const DmarcRecord *rec)
{
  g_autoptr (GPtrArray) hosts = g_ptr_array_new ();
  GPtrArray *lists[] = { rec->rua, rec->ruf };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const DmarcUri *uri = g_ptr_array_index (lists[l], i);
        gboolean seen = FALSE;
        for (guint j = 0; j < hosts->len; j++)
          seen = seen || strcmp (g_ptr_array_index (hosts, j), uri->host) == 0;
        if (!seen && hosts->len < DMARC_MAX_REPORT_HOSTS)
          g_ptr_array_add (hosts, uri->host);
      }
  for (guint i = 0; i < hosts->len; i++)
    {
      const char *host = g_ptr_array_index (hosts, i);
      g_autofree char *org = check_org_domain_of (ctx, host);
      if (strcmp (org, ctx->org_domain) != 0)
        check_report_host (ctx, host);
    }
}

void
check_dmarc_run (CheckContext *ctx)
{
  g_autofree char *name = g_strdup_printf ("_dmarc.%s", ctx->domain);
  g_autoptr (DnsAnswer) answer = NULL;
  g_autoptr (GPtrArray) records = dmarc_records (ctx, name, &answer);

  if (records == NULL)
    return;
  if (records->len == 0)
    {
      missing_or_inherited (ctx, name);
      return;
    }
  if (records->len > 1)
    {
      finding_list_add (ctx->findings, "dmarc_multiple", SEVERITY_ERROR, name,
                        "keep one record and merge what the others say into it", NULL,
                        "%u DMARC records at %s: receivers ignore all of them "
                        "(RFC 7489 6.6.3)", records->len, name);
      return;
    }
  g_autoptr (DmarcRecord) rec = dmarc_record_parse (g_ptr_array_index (records, 0),
                                                    ctx->domain, ctx->findings);
  check_report_hosts (ctx, rec);
}
