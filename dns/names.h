/*
 * names.h -- what a host name says about who sent the mail.
 *
 * A DMARC report names a source IP; its PTR name is the first clue to the
 * sender.  Three questions are answered here, all without network access:
 *
 *   dns_name_normalise   is it a host name at all?  (lower case, no final
 *                        dot; PTR data is hostile text from the network)
 *   dns_org_domain       which organisation runs it?  The registrable domain
 *                        by the Public Suffix List (libpsl).
 *   dns_name_is_generic  does it look like an end user's dynamic address,
 *                        which receivers reject mail from?
 *
 * The Public Suffix List: psl_latest(NULL) picks the newer of libpsl's
 * built-in list and Debian's /usr/share/publicsuffix file, loaded once per
 * process and shared by all threads (lookups only read it).  Only the ICANN
 * section counts: the private section (compute-1.amazonaws.com,
 * blogspot.com) separates one provider's customers for cookie scoping,
 * whereas the identity behind a mail server is the provider that runs it,
 * so ec2-54-1-2-3.compute-1.amazonaws.com belongs to amazonaws.com.
 *
 * Generic names (dns_name_is_generic).  The part of the name left of the
 * organisational domain is cut into tokens at '.', '-' and '_'; trailing
 * digits are ignored when a token is compared with a term ("smtp1" is
 * "smtp", "dyn12" is "dyn").  Signals and weights:
 *
 *   +2  the IP address is embedded in the name: for IPv4 the four octets in
 *       order or reversed with any separators (1-2-3-4, 1.2.3.4, ip1-2-3-4,
 *       4.3.2.1), zero-padded (001002003004) or as eight hex digits
 *       (01020304); for IPv6 the eight groups with '-' or '.' between them
 *       (padded, unpadded or "::"-compressed), the 32 hex digits, or the
 *       interface half padded (…-0000-0000-0000-0001 or 16 hex digits)
 *   +2  a dynamic term: dynamic dyn dsl adsl vdsl xdsl dhcp pool ppp pppoe
 *       cable cpe cust customer dial dialup dialin broadband res residential
 *   +1  a weak term: host ip user client clients -- words that also name
 *       deliberate servers ("ip.example.com"), so they count only together
 *       with another signal
 *   a server term -- static mta smtp mail mx out outbound relay server colo
 *       ded dedicated fix fixed -- overrides everything: someone chose the
 *       name for a mail server or a fixed line
 *
 *   generic  <=>  no server term and a score of 2 or more.
 *
 * So an embedded IP alone is generic (ec2-54-1-2-3.compute-1.amazonaws.com),
 * a dynamic term alone is generic (dsl.example.net), a weak term alone is not
 * (host.example.com), and mta-10-0-0-1.static.example.com is not.  The rule
 * leans to "not generic": a wrong "generic" sends an administrator chasing a
 * PTR record that is fine.
 *
 * Errors: none; a NULL return means "no answer" as documented per function.
 */
#ifndef DMARCSTAT_DNS_NAMES_H
#define DMARCSTAT_DNS_NAMES_H

#include <glib.h>

/* NAME in lower case without its final dot; NULL unless it is a syntactically
 * valid host name: labels of 1-63 letters, digits, '-' and '_', at most 253
 * bytes in all.  A label may start or end with '-': real PTR data has such
 * names and they still identify a host.  (transfer full) */
char *dns_name_normalise (const char *name);

/* The registrable domain of NAME by the ICANN section of the Public Suffix
 * List: mail-io1-f54.google.com -> google.com, a.b.example.co.uk ->
 * example.co.uk.  NULL for an IP literal, a bare public suffix ("co.uk"), an
 * invalid name, or when no list could be loaded.  Thread-safe.
 * (transfer full) */
char *dns_org_domain (const char *name);

/* TRUE when the PTR name NAME looks like a generic end-user address (see the
 * rule above).  IP is the address the name was found for, in text form; it
 * may be NULL, and then only the terms count.  An invalid NAME is not
 * generic. */
gboolean dns_name_is_generic (const char *name, const char *ip);

#endif
