/*
 * smtp_probe.h -- look at one SMTP server the way a receiving mail server
 * and an abuser would: greeting, EHLO, STARTTLS, reverse DNS, open relay.
 *
 * smtp_probe() connects to HOST[:PORT] (a name, an IPv4 literal or
 * [IPv6]:PORT; port 25 unless given), reads the 220 greeting, sends EHLO
 * (HELO when EHLO is not understood), reads the extension list, then tries
 * to relay: MAIL FROM a sender at an .invalid domain, RCPT TO a recipient
 * at another .invalid domain.  Then RSET and QUIT.  It never sends DATA, so even an open relay is given
 * nothing to deliver, and the reserved .invalid names (RFC 2606) could not
 * be delivered anyway.  It talks to the one host it was given and to
 * nothing else (a name is resolved through RESOLVER; every address of the
 * name is the same host).
 *
 * It then looks up the PTR of the address it talked to and compares the
 * names the server gives itself (first word of the greeting, first word of
 * the EHLO reply) with it.
 *
 * Findings (codes from finding.h), subject "HOST:PORT" unless said:
 *   smtp_connect_failed  error     no address, refused, unreachable, timed
 *                                  out, or no greeting
 *   smtp_protocol        error     a reply that is not SMTP, or not the one
 *                                  expected (e.g. 554 as greeting)
 *   smtp_ptr_missing     error     subject ADDR: the address has no PTR
 *                                  (warning/info when the lookup failed or
 *                                  DNS is off); the banner and EHLO are then
 *                                  not compared
 *   smtp_banner          ok        the greeting name is the PTR name
 *   smtp_banner_mismatch warning   it is not
 *   smtp_ehlo_mismatch   warning   the EHLO reply's name is not the PTR name
 *   smtp_starttls        ok        STARTTLS offered (the handshake is not tried)
 *   smtp_starttls_missing warning  not offered
 *   smtp_open_relay      critical  RCPT to the outside domain accepted
 *   smtp_relay_refused   ok        refused (info when already the test
 *                                  sender was refused: not conclusive)
 *
 * Untrusted input: everything the server sends.  A reply line is cut off at
 * SMTP_PROBE_MAX_LINE bytes and a reply at SMTP_PROBE_MAX_REPLY_LINES lines
 * (both a protocol error, so a hostile server cannot make us buffer more);
 * every reply must be complete within the timeout, so dripping bytes does
 * not stretch it.  Server text quoted in messages is cut short and stripped
 * of control characters.
 *
 * Errors: NULL with DMARCSTAT_ERROR_USAGE only when HOST_PORT is not a host
 * with an optional port.  Everything the network does is a finding.
 */
#ifndef DMARCSTAT_CHECK_SMTP_PROBE_H
#define DMARCSTAT_CHECK_SMTP_PROBE_H

#include <glib.h>

#include "check/finding.h"
#include "dns/resolver.h"

#define SMTP_PROBE_DEFAULT_PORT 25
#define SMTP_PROBE_DEFAULT_TIMEOUT_MS 10000
/* Names in the reserved .invalid TLD: a server operator reading the log sees
 * a check, and nothing addressed to them can ever be delivered. */
#define SMTP_PROBE_EHLO_NAME "check.dmarcstat.invalid"
#define SMTP_PROBE_RELAY_FROM "probe@dmarcstat.invalid"
#define SMTP_PROBE_RELAY_TO "relay-test@dmarcstat-relay-probe.invalid"

/* RFC 5321 4.5.3.1.5 allows 512 octets per reply line; real servers send
 * longer ones now and then, so twice that and a little. */
#define SMTP_PROBE_MAX_LINE 1100
/* An EHLO reply has a line per extension: a dozen or two in practice. */
#define SMTP_PROBE_MAX_REPLY_LINES 100

typedef struct
{
  guint timeout_ms;        /* connect, and each reply; 0: the default */
  const char *ehlo_name;   /* NULL: SMTP_PROBE_EHLO_NAME */
  const char *relay_from;  /* NULL: SMTP_PROBE_RELAY_FROM */
  const char *relay_to;    /* NULL: SMTP_PROBE_RELAY_TO */
} SmtpProbeOptions;

/* Splits HOST_PORT into host and port: "mx.example.com", "192.0.2.1:2525",
 * "[2001:db8::1]:25" and a bare "2001:db8::1" (port 25).  HOST_OUT is lower
 * case without a final dot.  FALSE with a USAGE error otherwise. */
gboolean smtp_probe_parse_target (const char *host_port, char **host_out,
                                  guint16 *port_out, GError **error);

/* OPTIONS may be NULL (defaults).  RESOLVER is used for the host's
 * addresses and the PTR lookup.  (transfer full) */
FindingList *smtp_probe (const char *host_port, DnsResolver *resolver,
                         const SmtpProbeOptions *options, GError **error);

#endif
