/*
 * check_dkim.c -- the DKIM part of a domain check: one key record per
 * selector the caller names (DNS cannot list selectors; the caller knows
 * them from the aggregate reports or the user).
 *
 *   TXT SELECTOR._domainkey.DOMAIN
 *     NXDOMAIN/NODATA -> dkim_missing (typically lost when the zone moved
 *                        to another DNS host)
 *     records         -> the first (in byte order) that dkim_key_parse()
 *                        accepts; dkim_syntax of the first one otherwise
 */
#include "check/check_private.h"
#include "check/dkim_key.h"

#include <string.h>

/* A selector is one or more DNS labels (RFC 6376 3.1); anything else would
 * make us look up a name the caller did not mean. */
static gboolean
selector_valid (const char *selector)
{
  if (selector[0] == '\0' || selector[0] == '.' || strlen (selector) > 200)
    return FALSE;
  for (const char *p = selector; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return strstr (selector, "..") == NULL;
}

static void
check_selector (CheckContext *ctx, const char *selector)
{
  g_autofree char *name = g_strdup_printf ("%s._domainkey.%s", selector, ctx->domain);
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, name, DNS_T_TXT);

  if (check_answer_failed (answer))
    {
      finding_list_add (ctx->findings, "dkim_lookup_failed", SEVERITY_ERROR, selector,
                        check_failed_fix (answer->status,
                                          "check that the name servers of the zone answer"),
                        NULL,
                        "TXT lookup of %s failed (%s): receivers that meet the same failure "
                        "cannot verify signatures with selector %s", name,
                        dns_status_name (answer->status), selector);
      return;
    }
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  if (texts->len == 0)
    {
      g_autofree char *fix = g_strdup_printf ("publish the public key of selector %s at %s "
                                              "again, as the signing system (mail provider, "
                                              "ESP) shows it; keys are often lost when the "
                                              "zone moves to another DNS host", selector, name);
      finding_list_add (ctx->findings, "dkim_missing", SEVERITY_ERROR, selector, fix, NULL,
                        "no DKIM key at %s: signatures with selector %s fail", name, selector);
      return;
    }
  /* The first record that parses counts; when none does, the first one's
   * findings say why. */
  g_autoptr (FindingList) first = NULL;
  for (guint i = 0; i < texts->len; i++)
    {
      g_autoptr (FindingList) found = finding_list_new ();
      g_autoptr (DkimKey) key = dkim_key_parse (g_ptr_array_index (texts, i), selector, found);
      if (key->is_valid || key->is_revoked)
        {
          check_findings_move (ctx->findings, found);
          return;
        }
      if (first == NULL)
        first = g_steal_pointer (&found);
    }
  check_findings_move (ctx->findings, first);
}

void
check_dkim_run (CheckContext *ctx)
{
  const char *const *selectors = ctx->input->dkim_selectors;

  if (selectors == NULL || selectors[0] == NULL)
    {
      finding_list_add (ctx->findings, "dkim_no_selectors", SEVERITY_INFO, "",
                        "name the selectors (from the DKIM-Signature s= of a sent message, "
                        "or the aggregate reports) to have their keys checked", NULL,
                        "no DKIM selector given: DNS cannot list a domain's keys, so none "
                        "were checked");
      return;
    }
  for (guint i = 0; selectors[i] != NULL; i++)
    {
      g_autofree char *selector = g_ascii_strdown (selectors[i], -1);
      if (!selector_valid (selector))
        {
          finding_list_add (ctx->findings, "dkim_syntax", SEVERITY_ERROR, selector,
                            "give the selector as it appears in s= of the signature", NULL,
                            "\"%s\" is not a DKIM selector (DNS labels of letters, digits, "
                            "'-' and '_')", selector);
          continue;
        }
      check_selector (ctx, selector);
    }
}
