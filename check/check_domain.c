/*
 * check_domain.c -- see check_domain.h; also the helpers of
 * check_private.h.
 */
#include "check/check_private.h"
#include "core/json.h"

#include <string.h>

char *
check_name_canonical (const char *name)
{
  char *out = g_ascii_strdown (name, -1);
  gsize len = strlen (out);

  if (len > 1 && out[len - 1] == '.')
    out[len - 1] = '\0';
  return out;
}

DnsAnswer *
check_lookup (CheckContext *ctx, const char *name, DnsType type)
{
  g_autofree char *canonical = check_name_canonical (name);

  return dns_lookup (ctx->resolver, canonical, type);
}

gboolean
check_answer_failed (const DnsAnswer *answer)
{
  return answer->status != DNS_OK && answer->status != DNS_NODATA
         && answer->status != DNS_NXDOMAIN;
}

const char *
check_failed_fix (DnsStatus status, const char *fix)
{
  return status == DNS_OFFLINE ? "run the check with DNS lookups switched on" : fix;
}

gboolean
check_answer_empty (const DnsAnswer *answer)
{
  return !check_answer_failed (answer)
         && (answer->status != DNS_OK || answer->records == NULL || answer->records->len == 0);
}

static gint
compare_texts (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
check_answer_texts (const DnsAnswer *answer)
{
  GPtrArray *texts = g_ptr_array_new ();

  for (guint i = 0; answer->status == DNS_OK && answer->records != NULL
                    && i < answer->records->len; i++)
    {
      const DnsRecord *record = g_ptr_array_index (answer->records, i);
      if (record->type == answer->type && record->text != NULL)
        g_ptr_array_add (texts, record->text);
    }
  g_ptr_array_sort (texts, compare_texts);
  return texts;
}

char *
check_org_domain_of (const CheckContext *ctx, const char *name)
{
  g_autofree char *canonical = check_name_canonical (name);

  if (ctx->input->org_domain_of != NULL)
    {
      char *org = ctx->input->org_domain_of (canonical);
      if (org != NULL)
        {
          g_autofree char *owned = org;
          return check_name_canonical (owned);
        }
      return g_steal_pointer (&canonical);
    }
  const char *last = strrchr (canonical, '.');
  if (last == NULL)
    return g_steal_pointer (&canonical);
  const char *p = last;
  while (p > canonical && p[-1] != '.')
    p--;
  return g_strdup (p);
}

void
check_findings_move (FindingList *to, FindingList *from)
{
  for (guint i = 0; i < from->items->len; i++)
    g_ptr_array_add (to->items, g_steal_pointer (&from->items->pdata[i]));
  /* The slots are NULL now; finding_free() accepts NULL. */
  g_ptr_array_set_size (from->items, 0);
}

FindingList *
check_domain (DnsResolver *resolver, const CheckDomainInput *input)
{
  g_return_val_if_fail (resolver != NULL && input != NULL && input->domain != NULL, NULL);

  g_autoptr (FindingList) findings = finding_list_new ();
  g_autofree char *domain = check_name_canonical (input->domain);
  g_autofree char *org_domain = check_name_canonical (input->org_domain ? input->org_domain
                                                : input->domain);
  CheckContext ctx = { resolver, input, domain, org_domain, findings };

  check_dmarc_run (&ctx);
  check_spf_run (&ctx);
  check_dkim_run (&ctx);
  if (!input->skip_mx)
    check_mx_run (&ctx);
  return g_steal_pointer (&findings);
}

void
check_format_json (const char *domain, const FindingList *list, GString *out)
{
  g_string_append (out, "{\"domain\":");
  json_append_string (out, domain);
  g_string_append (out, ",\"worst\":");
  json_append_string (out, severity_name (finding_list_worst (list)));
  g_string_append (out, ",\"findings\":");
  finding_list_format_json (list, out);
  g_string_append_c (out, '}');
}
