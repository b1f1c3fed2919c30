/*
 * check_mx.c -- the MX part of a domain check: where mail for the domain
 * goes, and whether those hosts look like mail servers to other mail
 * servers (an address, a PTR name, and that name pointing back).
 *
 *   MX DOMAIN       none -> mx_missing; a single "." -> mx_null (RFC 7505)
 *   per host        A and AAAA; none -> mx_no_address
 *   per address     PTR; none -> mx_ptr_missing; no PTR name whose
 *                   A/AAAA holds the address -> mx_ptr_mismatch; a
 *                   dynamic-looking name -> mx_ptr_generic
 *   all fine        mx_ok for the host
 *
 * Hosts are taken by preference, then name; addresses IPv4 first, each
 * family in byte order; so the output does not depend on answer order.
 * Caps keep a domain with a hundred MX hosts from turning one check into a
 * thousand queries.
 */
#include "check/check_private.h"

#include <string.h>

#define MX_MAX_HOSTS 10
#define MX_MAX_ADDRESSES 4   /* per host */
#define MX_MAX_PTR_NAMES 4   /* per address; one PTR name is the norm */

static gint
compare_mx (gconstpointer a, gconstpointer b)
{
  const DnsRecord *x = *(const DnsRecord *const *) a;
  const DnsRecord *y = *(const DnsRecord *const *) b;

  if (x->preference != y->preference)
    return x->preference < y->preference ? -1 : 1;
  return strcmp (x->text, y->text);
}

static void
add_failed (CheckContext *ctx, const char *subject, const char *what, const char *name,
            const DnsAnswer *answer)
{
  finding_list_add (ctx->findings, "mx_lookup_failed", SEVERITY_ERROR, subject,
                    check_failed_fix (answer->status,
                                      "check that the name servers of the zone answer"),
                    NULL,
                    "%s lookup of %s failed (%s)", what, name,
                    dns_status_name (answer->status));
}

/* Appends the addresses of HOST of TYPE to ADDRESSES (owned copies);
 * FALSE after an mx_lookup_failed finding. */
static gboolean
host_addresses (CheckContext *ctx, const char *host, DnsType type, GPtrArray *addresses)
{
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, host, type);

  if (check_answer_failed (answer))
    {
      add_failed (ctx, host, dns_type_name (type), host, answer);
      return FALSE;
    }
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);
  for (guint i = 0; i < texts->len; i++)
    g_ptr_array_add (addresses, g_strdup (g_ptr_array_index (texts, i)));
  return TRUE;
}

/* TRUE when NAME has ADDRESS among its A/AAAA records. */
static gboolean
name_has_address (CheckContext *ctx, const char *name, const char *address)
{
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, name, strchr (address, ':')
                                               ? DNS_T_AAAA : DNS_T_A);
  g_autoptr (GPtrArray) texts = check_answer_texts (answer);

  for (guint i = 0; i < texts->len; i++)
    if (dns_same_address (g_ptr_array_index (texts, i), address))
      return TRUE;
  return FALSE;
}

/* Reverse DNS of one address of HOST; TRUE when all is well.  The name
 * shown is the first (in byte order) that points back, else the first. */
static gboolean
check_address (CheckContext *ctx, const char *host, const char *address, GString *summary)
{
  g_autofree char *subject = g_strdup_printf ("%s %s", host, address);
  g_autofree char *reverse = dns_reverse_name (address);

  if (reverse == NULL)
    return TRUE;   /* not an address: nothing a PTR could say */
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, reverse, DNS_T_PTR);
  if (check_answer_failed (answer))
    {
      add_failed (ctx, subject, "PTR", reverse, answer);
      return FALSE;
    }
  g_autoptr (GPtrArray) names = check_answer_texts (answer);
  if (names->len == 0)
    {
      /* The same record check-smtp offers (smtp_probe.c): the MX name is
       * the one name known to resolve to the address. */
      g_autofree char *record = g_strdup_printf ("%s. PTR %s.", reverse, host);
      finding_list_add (ctx->findings, "mx_ptr_missing", SEVERITY_WARNING, subject,
                        "ask whoever runs the address (hosting provider, ISP) for a PTR "
                        "record naming the host, e.g. the MX name", record,
                        "%s has no reverse DNS (PTR): many servers distrust mail from it",
                        address);
      return FALSE;
    }
  const char *name = g_ptr_array_index (names, 0);
  gboolean confirmed = FALSE;
  for (guint i = 0; i < names->len && i < MX_MAX_PTR_NAMES && !confirmed; i++)
    if (name_has_address (ctx, g_ptr_array_index (names, i), address))
      {
        name = g_ptr_array_index (names, i);
        confirmed = TRUE;
      }
  gboolean fine = confirmed;
  if (!confirmed)
    finding_list_add (ctx->findings, "mx_ptr_mismatch", SEVERITY_WARNING, subject,
                      "make the PTR name resolve to the address, or change the PTR to a name "
                      "that does", NULL, "%s has PTR %s, but %s does not resolve back to %s",
                      address, name, name, address);
  if (ctx->input->name_is_generic != NULL && ctx->input->name_is_generic (name, address))
    {
      finding_list_add (ctx->findings, "mx_ptr_generic", SEVERITY_WARNING, subject,
                        "have the PTR set to a name of the mail host (e.g. the MX name)", NULL,
                        "%s has PTR %s, which looks like an end user's dynamic address: "
                        "receivers may reject mail from it", address, name);
      fine = FALSE;
    }
  g_string_append_printf (summary, ", %s (%s)", address, name);
  return fine;
}

static void
check_host (CheckContext *ctx, const DnsRecord *mx)
{
  const char *host = mx->text;
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) summary = g_string_new (NULL);
  gboolean fine = host_addresses (ctx, host, DNS_T_A, addresses);

  fine = host_addresses (ctx, host, DNS_T_AAAA, addresses) && fine;
  if (addresses->len == 0 && fine)
    {
      finding_list_add (ctx->findings, "mx_no_address", SEVERITY_ERROR, host,
                        "publish A (and AAAA) records for the host, or point the MX at a "
                        "host that has them", NULL, "MX host %s has no A or AAAA record: "
                        "mail to the domain cannot be delivered there", host);
      return;
    }
  for (guint i = 0; i < addresses->len && i < MX_MAX_ADDRESSES; i++)
    fine = check_address (ctx, host, g_ptr_array_index (addresses, i), summary) && fine;
  if (fine)
    finding_list_add (ctx->findings, "mx_ok", SEVERITY_OK, host, NULL, NULL,
                      "MX %s (preference %u)%s", host, mx->preference, summary->str);
}

void
check_mx_run (CheckContext *ctx)
{
  g_autoptr (DnsAnswer) answer = check_lookup (ctx, ctx->domain, DNS_T_MX);

  if (check_answer_failed (answer))
    {
      add_failed (ctx, "", "MX", ctx->domain, answer);
      return;
    }
  if (check_answer_empty (answer))
    {
      g_autofree char *fix = g_strdup_printf ("if the domain should receive no mail, say so "
                                              "with a null MX (RFC 7505): publish this MX "
                                              "record at %s", ctx->domain);
      finding_list_add (ctx->findings, "mx_missing", SEVERITY_INFO, "", fix, "0 .",
                        "no MX record: the domain receives no mail (unless its A record runs "
                        "a mail server); DMARC still applies to mail sent in its name");
      return;
    }
  g_autoptr (GPtrArray) hosts = g_ptr_array_new ();
  for (guint i = 0; i < answer->records->len; i++)
    {
      const DnsRecord *mx = g_ptr_array_index (answer->records, i);
      if (mx->type == DNS_T_MX && mx->text != NULL)
        g_ptr_array_add (hosts, (gpointer) mx);
    }
  g_ptr_array_sort (hosts, compare_mx);
  if (hosts->len == 1)
    {
      const DnsRecord *mx = g_ptr_array_index (hosts, 0);
      if (mx->text[0] == '\0' || strcmp (mx->text, ".") == 0)
        {
          finding_list_add (ctx->findings, "mx_null", SEVERITY_INFO, "", NULL, NULL,
                            "null MX (RFC 7505): the domain says it receives no mail");
          return;
        }
    }
  for (guint i = 0; i < hosts->len && i < MX_MAX_HOSTS; i++)
    {
      const DnsRecord *mx = g_ptr_array_index (hosts, i);
      if (mx->text[0] != '\0' && strcmp (mx->text, ".") != 0)
        check_host (ctx, mx);
    }
}
