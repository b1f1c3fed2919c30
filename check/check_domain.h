/*
 * check_domain.h -- "dmarcstat check DOMAIN": what is wrong with a domain's
 * DMARC, SPF, DKIM and MX records, and the exact fix.
 *
 * check_domain() looks the records up through the resolver and returns the
 * findings (codes in finding.h) in a fixed order: DMARC, SPF, DKIM (in the
 * order the selectors are given), MX (hosts by preference, then name).
 * Within a part the order depends only on the DNS data, never on the order
 * records arrive in, so that the same zone always gives the same output.
 *
 * Subjects: DMARC "_dmarc.DOMAIN", or the report host for the external
 * authorisation, or the tag as written; SPF the term as written, the
 * include domain or the sending IP ("" for the record as a whole); DKIM
 * the selector; MX the host name, "HOST ADDRESS" for reverse DNS.
 *
 * Nothing here prints, and DNS failures are findings (*_lookup_failed),
 * never errors: a check always completes.
 */
#ifndef DMARCSTAT_CHECK_DOMAIN_H
#define DMARCSTAT_CHECK_DOMAIN_H

#include <glib.h>
#include "check/finding.h"
#include "dns/resolver.h"

typedef struct
{
  const char *domain;
  const char *org_domain;          /* organisational domain, NULL = same as domain */
  /* Organisational domain of a report host; may be NULL (then the last two
   * labels are compared).  Returns NULL when it has none.  (transfer full) */
  char *(*org_domain_of) (const char *name);
  /* TRUE when a PTR name looks like an end user's dynamic address; may be
   * NULL (then no mx_ptr_generic findings). */
  gboolean (*name_is_generic) (const char *name, const char *ip);
  const char *const *dkim_selectors;  /* NULL-terminated, may be NULL */
  const char *const *sending_ips;     /* NULL-terminated, may be NULL; entries
                                       * that are not IP addresses are skipped */
  const char *const *sending_labels;  /* parallel to sending_ips, each may be NULL,
                                       * array may be NULL */
  gboolean skip_mx;
} CheckDomainInput;

/* Runs every check for INPUT->domain.  (transfer full) */
FindingList *check_domain (DnsResolver *resolver, const CheckDomainInput *input);

/* Appends {"domain":…,"worst":…,"findings":[…]} for LIST to OUT. */
void check_format_json (const char *domain, const FindingList *list, GString *out);

#endif
