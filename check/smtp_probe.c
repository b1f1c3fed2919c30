/*
 * smtp_probe.c -- see smtp_probe.h.
 *
 * Three stages, top to bottom: find the address (smtp_probe_parse_target,
 * probe_addresses), talk to the server (probe_connect, probe_session: a
 * plain blocking-with-deadline conversation over a non-blocking socket and
 * poll, one reply at a time), then judge the names against the PTR
 * (probe_check_names).  The conversation records what it saw in a Probe;
 * findings about the names come first in the list, then STARTTLS, relay and
 * protocol findings in the order they happened.
 *
 * Over the 800 lines we aim for: the connection part (deadlines, capped
 * line reads, reply parsing) is used by the probe alone, and a file of its
 * own would export a dozen functions that nothing else calls.
 */
#include "check/smtp_probe.h"

#include "core/error.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Server text quoted in a message is cut here: enough to recognise a
 * reply, too little to flood a report. */
#define EXCERPT_MAX 120

typedef enum
{
  CONN_OK,
  CONN_TIMEOUT,
  CONN_CLOSED,     /* the server hung up */
  CONN_IO,         /* a socket error */
  CONN_PROTOCOL,   /* bytes that are not an SMTP reply */
} ConnStatus;

/* One connection.  Bytes read but not yet used wait in BUF, which is also
 * the cap on a line: a line that does not fit is a protocol error. */
typedef struct
{
  int fd;
  guint timeout_ms;
  const char *subject;   /* borrowed from the Probe */
  char buf[SMTP_PROBE_MAX_LINE];
  gsize len;
  ConnStatus status;     /* the first failure; CONN_OK while talking works */
  char *why;             /* owned: what went wrong, for messages */
} Conn;

typedef struct
{
  int code;              /* 0 when no complete reply was read */
  GPtrArray *lines;      /* char*, owned: each line after "NNN-" / "NNN " */
} Reply;

/* What one probe learnt. */
typedef struct
{
  char *host;            /* owned: as given, lower case */
  guint16 port;
  char *subject;         /* owned: "host:port" / "[v6]:port" */
  char *address;         /* owned: the address talked to */
  char *banner_name;     /* owned: first word of the 220 line; NULL: none */
  char *ehlo_name;       /* owned: first word of the EHLO/HELO reply; NULL: none */
  FindingList *tail;     /* owned: STARTTLS, relay, protocol, in order */
} Probe;

static void
probe_clear (Probe *p)
{
  g_clear_pointer (&p->host, g_free);
  g_clear_pointer (&p->subject, g_free);
  g_clear_pointer (&p->address, g_free);
  g_clear_pointer (&p->banner_name, g_free);
  g_clear_pointer (&p->ehlo_name, g_free);
  g_clear_pointer (&p->tail, finding_list_free);
}

static void
reply_clear (Reply *r)
{
  r->code = 0;
  g_clear_pointer (&r->lines, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Probe, probe_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* ------------------------------------------------------------------ target */

static gboolean
parse_port (const char *text, guint16 *port_out)
{
  guint64 port = 0;

  if (text[0] == '\0' || strlen (text) > 5)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      port = port * 10 + (guint64) (*p - '0');
    }
  if (port < 1 || port > 65535)
    return FALSE;
  *port_out = (guint16) port;
  return TRUE;
}

/* A DNS host name (letters, digits, '-', '_', dots; labels of 1..63,
 * at most 253 in all) or an IPv4 literal. */
static gboolean
valid_host_name (const char *name)
{
  gsize label = 0, total = strlen (name);

  if (total == 0 || total > 253)
    return FALSE;
  for (const char *p = name; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (label == 0 || label > 63)
            return FALSE;
          if (*p == '\0')
            return TRUE;
          label = 0;
        }
      else if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        label++;
      else
        return FALSE;
    }
}

static gboolean
is_ipv6 (const char *text)
{
  struct in6_addr a6;

  return inet_pton (AF_INET6, text, &a6) == 1;
}

gboolean
smtp_probe_parse_target (const char *host_port, char **host_out,
                         guint16 *port_out, GError **error)
{
  g_autofree char *host = NULL;
  const char *port_text = NULL;
  guint16 port = SMTP_PROBE_DEFAULT_PORT;
  const char *colon = strchr (host_port, ':');

  if (host_port[0] == '[')
    {
      const char *close = strchr (host_port, ']');
      if (close != NULL)
        {
          host = g_strndup (host_port + 1, close - host_port - 1);
          if (close[1] == ':')
            port_text = close + 2;
          else if (close[1] != '\0')
            g_clear_pointer (&host, g_free);
        }
      if (host != NULL && !is_ipv6 (host))
        g_clear_pointer (&host, g_free);
    }
  else if (colon != NULL && strchr (colon + 1, ':') != NULL)
    {
      /* More than one colon: a bare IPv6 address, port 25. */
      if (is_ipv6 (host_port))
        host = g_strdup (host_port);
    }
  else
    {
      host = colon ? g_strndup (host_port, colon - host_port) : g_strdup (host_port);
      port_text = colon ? colon + 1 : NULL;
      gsize n = strlen (host);
      if (n > 1 && host[n - 1] == '.')
        host[n - 1] = '\0';
      if (!valid_host_name (host))
        g_clear_pointer (&host, g_free);
    }
  if (host == NULL || (port_text != NULL && !parse_port (port_text, &port)))
    {
      g_autofree char *safe = g_strescape (host_port, NULL);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "\"%.200s\" is not HOST[:PORT] (a host name, an IPv4 address "
                   "or [IPv6]:PORT, port 1-65535)", safe);
      return FALSE;
    }
  *host_out = g_ascii_strdown (host, -1);
  *port_out = port;
  return TRUE;
}

/* Addresses to try: the literal itself, or the name's A then AAAA records
 * (IPv4 first: many networks that test mail still have no IPv6 route).
 * NULL with WHY_OUT set when there is none. */
static GPtrArray *
probe_addresses (const char *host, DnsResolver *resolver, char **why_out)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  struct in_addr a4;
  const DnsType types[] = { DNS_T_A, DNS_T_AAAA };
  g_autoptr (GString) statuses = g_string_new (NULL);

  if (inet_pton (AF_INET, host, &a4) == 1 || is_ipv6 (host))
    {
      g_ptr_array_add (out, g_strdup (host));
      return g_steal_pointer (&out);
    }
  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr (DnsAnswer) answer = dns_lookup (resolver, host, types[t]);
      for (guint i = 0; answer->status == DNS_OK && i < answer->records->len; i++)
        {
          const DnsRecord *rec = g_ptr_array_index (answer->records, i);
          g_ptr_array_add (out, g_strdup (rec->text));
        }
      g_string_append_printf (statuses, "%s%s %s", t ? ", " : "",
                              dns_type_name (types[t]), dns_status_name (answer->status));
    }
  if (out->len == 0)
    {
      *why_out = g_strdup_printf ("%s has no address (%s)", host, statuses->str);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* -------------------------------------------------------------- connection */

static gint64
deadline_after (guint timeout_ms)
{
  return g_get_monotonic_time () + (gint64) timeout_ms * 1000;
}

/* Milliseconds left until DEADLINE, at least 0. */
static int
ms_left (gint64 deadline)
{
  gint64 left = (deadline - g_get_monotonic_time () + 999) / 1000;

  return (int) CLAMP (left, 0, G_MAXINT);
}

static gboolean
conn_fail (Conn *c, ConnStatus status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
conn_fail (Conn *c, ConnStatus status, const char *format, ...)
{
  va_list args;

  if (c->status != CONN_OK)
    return FALSE;
  c->status = status;
  va_start (args, format);
  c->why = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

/* Waits for EVENTS on the socket until DEADLINE. */
static gboolean
conn_wait (Conn *c, short events, gint64 deadline)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = c->fd, .events = events };
      int n = poll (&pfd, 1, ms_left (deadline));
      if (n > 0)
        return TRUE;
      if (n == 0)
        return conn_fail (c, CONN_TIMEOUT, "timed out after %u ms", c->timeout_ms);
      if (errno != EINTR)
        return conn_fail (c, CONN_IO, "poll: %s", g_strerror (errno));
    }
}

/* A non-blocking connect to ADDRESS, bounded by the timeout. */
static gboolean
conn_connect (Conn *c, const char *address, guint16 port)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t ss_len;
  struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
  int err = 0;
  socklen_t err_len = sizeof err;

  if (inet_pton (AF_INET, address, &sin->sin_addr) == 1)
    {
      sin->sin_family = AF_INET;
      sin->sin_port = htons (port);
      ss_len = sizeof *sin;
    }
  else if (inet_pton (AF_INET6, address, &sin6->sin6_addr) == 1)
    {
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons (port);
      ss_len = sizeof *sin6;
    }
  else
    return conn_fail (c, CONN_IO, "%s is not an address", address);

  c->fd = socket (ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    return conn_fail (c, CONN_IO, "socket: %s", g_strerror (errno));
  if (connect (c->fd, (struct sockaddr *) &ss, ss_len) == 0)
    return TRUE;
  if (errno != EINPROGRESS)
    return conn_fail (c, CONN_IO, "%s", g_strerror (errno));
  if (!conn_wait (c, POLLOUT, deadline_after (c->timeout_ms)))
    return FALSE;
  if (getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0)
    err = errno;
  return err == 0 || conn_fail (c, CONN_IO, "%s", g_strerror (err));
}

/* Back to a fresh, unconnected state. */
static void
conn_reset (Conn *c)
{
  if (c->fd >= 0)
    close (c->fd);
  c->fd = -1;
  c->len = 0;
  c->status = CONN_OK;
  g_clear_pointer (&c->why, g_free);
}

/* Next line without its CRLF (a bare LF is accepted too), or NULL with the
 * connection's failure set.  (transfer full) */
static char *
conn_read_line (Conn *c, gint64 deadline)
{
  for (;;)
    {
      char *nl = memchr (c->buf, '\n', c->len);
      if (nl != NULL)
        {
          gsize n = (gsize) (nl - c->buf);
          gsize keep = n > 0 && c->buf[n - 1] == '\r' ? n - 1 : n;
          if (memchr (c->buf, '\0', keep) != NULL)
            {
              conn_fail (c, CONN_PROTOCOL, "a NUL byte in a reply");
              return NULL;
            }
          char *line = g_strndup (c->buf, keep);
          c->len -= n + 1;
          memmove (c->buf, nl + 1, c->len);
          return line;
        }
      if (c->len == sizeof c->buf)
        {
          conn_fail (c, CONN_PROTOCOL, "a reply line longer than %d bytes",
                     SMTP_PROBE_MAX_LINE);
          return NULL;
        }
      if (!conn_wait (c, POLLIN, deadline))
        return NULL;
      ssize_t got = recv (c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
      if (got > 0)
        c->len += (gsize) got;
      else if (got == 0)
        {
          conn_fail (c, CONN_CLOSED, "the server closed the connection");
          return NULL;
        }
      else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
        {
          conn_fail (c, CONN_IO, "recv: %s", g_strerror (errno));
          return NULL;
        }
    }
}

/* One whole reply (RFC 5321 4.2.1): lines "NNN-text" then "NNN text" (or
 * "NNN"), the same code on every line, 2xx..5xx.  FALSE with the
 * connection's failure set. */
static gboolean
conn_read_reply (Conn *c, Reply *reply)
{
  gint64 deadline = deadline_after (c->timeout_ms);

  reply_clear (reply);
  reply->lines = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      g_autofree char *line = conn_read_line (c, deadline);
      if (line == NULL)
        return FALSE;
      if (g_log_get_debug_enabled ())
        {
          g_autofree char *safe = log_safe_str (line);
          g_debug ("smtp %s <<< %s", c->subject, safe);
        }
      gboolean well_formed = strlen (line) >= 3 && line[0] >= '2' && line[0] <= '5'
                             && g_ascii_isdigit (line[1]) && g_ascii_isdigit (line[2])
                             && (line[3] == '\0' || line[3] == ' ' || line[3] == '-');
      int code = well_formed ? g_ascii_digit_value (line[0]) * 100
                               + g_ascii_digit_value (line[1]) * 10
                               + g_ascii_digit_value (line[2]) : 0;
      if (!well_formed)
        {
          g_autofree char *safe = g_strescape (line, NULL);
          return conn_fail (c, CONN_PROTOCOL, "not an SMTP reply: %.*s",
                            EXCERPT_MAX, safe);
        }
      if (reply->lines->len > 0 && code != reply->code)
        return conn_fail (c, CONN_PROTOCOL, "a reply whose code changes from %d to %d",
                          reply->code, code);
      reply->code = code;
      g_ptr_array_add (reply->lines, g_strdup (line[3] ? line + 4 : ""));
      if (line[3] != '-')
        return TRUE;
      if (reply->lines->len >= SMTP_PROBE_MAX_REPLY_LINES)
        return conn_fail (c, CONN_PROTOCOL, "a reply of more than %d lines",
                          SMTP_PROBE_MAX_REPLY_LINES);
    }
}

/* Sends LINE and CRLF within the timeout. */
static gboolean
conn_send (Conn *c, const char *line)
{
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);
  gsize len = strlen (data), done = 0;
  gint64 deadline = deadline_after (c->timeout_ms);

  g_debug ("smtp %s >>> %s", c->subject, line);
  while (done < len)
    {
      if (!conn_wait (c, POLLOUT, deadline))
        return FALSE;
      /* MSG_NOSIGNAL: a server that hangs up must not kill us with SIGPIPE. */
      ssize_t n = send (c->fd, data + done, len - done, MSG_NOSIGNAL);
      if (n > 0)
        done += (gsize) n;
      else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
        return conn_fail (c, errno == EPIPE || errno == ECONNRESET ? CONN_CLOSED : CONN_IO,
                          "send: %s", g_strerror (errno));
    }
  return TRUE;
}

static gboolean
conn_command (Conn *c, const char *line, Reply *reply)
{
  return conn_send (c, line) && conn_read_reply (c, reply);
}

/* ----------------------------------------------------------------- session */

/* "NNN first line", cut short, control characters made visible as '?'.
 * (transfer full) */
static char *
reply_excerpt (const Reply *reply)
{
  const char *text = reply->lines && reply->lines->len
                     ? g_ptr_array_index (reply->lines, 0) : "";
  g_autofree char *cut = g_strndup (text, EXCERPT_MAX);

  for (char *p = cut; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return g_strdup_printf ("%d%s%s%s", reply->code, cut[0] ? " " : "", cut,
                          strlen (text) > EXCERPT_MAX ? "..." : "");
}

/* The first word of a reply line: the name a server gives itself (RFC 5321
 * 4.3.1 greeting, 4.1.1.1 EHLO reply).  Lower case, no final dot.
 * (transfer full) */
static char *
reply_first_word (const Reply *reply)
{
  const char *text = g_ptr_array_index (reply->lines, 0);
  gsize n = strcspn (text, " \t");
  g_autofree char *word = g_ascii_strdown (text, (gssize) MIN (n, 255));

  n = strlen (word);
  if (n > 1 && word[n - 1] == '.')
    word[n - 1] = '\0';
  return g_steal_pointer (&word);
}

static void
probe_protocol (Probe *p, const Conn *c, const char *during)
{
  finding_list_add (p->tail, "smtp_protocol", SEVERITY_ERROR, p->subject,
                    NULL, NULL, "%s: %s during %s, so the check stopped there",
                    p->subject, c->why ? c->why : "unexpected reply", during);
}

static void
probe_unexpected (Probe *p, const Reply *reply, const char *command)
{
  g_autofree char *said = reply_excerpt (reply);

  finding_list_add (p->tail, "smtp_protocol", SEVERITY_ERROR, p->subject, NULL, NULL,
                    "%s answered %s with: %s; the check stopped there",
                    p->subject, command, said);
}

/* EHLO, or HELO when EHLO is refused (an SMTP-only server).  Records the
 * server's name and whether it offers STARTTLS.  FALSE: stop talking. */
static gboolean
probe_ehlo (Probe *p, Conn *c, const SmtpProbeOptions *o)
{
  g_auto (Reply) reply = { 0 };
  g_autofree char *ehlo = g_strdup_printf ("EHLO %s", o->ehlo_name);
  const char *command = "EHLO";
  gboolean has_starttls = FALSE;

  if (!conn_command (c, ehlo, &reply))
    {
      probe_protocol (p, c, command);
      return FALSE;
    }
  /* 500..504: EHLO not understood (RFC 5321 4.1.4): an old server */
  if (reply.code >= 500 && reply.code <= 504)
    {
      g_autofree char *helo = g_strdup_printf ("HELO %s", o->ehlo_name);
      command = "HELO";
      if (!conn_command (c, helo, &reply))
        {
          probe_protocol (p, c, command);
          return FALSE;
        }
    }
  if (reply.code != 250)
    {
      probe_unexpected (p, &reply, command);
      return FALSE;
    }

  p->ehlo_name = reply_first_word (&reply);
  for (guint i = 1; i < reply.lines->len; i++)
    {
      const char *ext = g_ptr_array_index (reply.lines, i);
      gsize n = strcspn (ext, " ");
      if (n == 8 && g_ascii_strncasecmp (ext, "STARTTLS", 8) == 0)
        has_starttls = TRUE;
    }
  if (has_starttls)
    finding_list_add (p->tail, "smtp_starttls", SEVERITY_OK, p->subject, NULL, NULL,
                      "%s offers STARTTLS", p->subject);
  else
    finding_list_add (p->tail, "smtp_starttls_missing", SEVERITY_WARNING, p->subject,
                      "install a certificate and offer STARTTLS (Postfix: "
                      "smtpd_tls_security_level = may with smtpd_tls_chain_files; "
                      "OpenSMTPD: tls pki NAME on the listen line)",
                      NULL, "%s does not offer STARTTLS: mail to it crosses the "
                      "Internet in clear text, and MTA-STS or DANE cannot protect it",
                      p->subject);
  return TRUE;
}

/* MAIL FROM an outside sender, RCPT TO an outside recipient: a server that
 * accepts that recipient would relay for anyone.  FALSE: stop talking. */
static gboolean
probe_relay (Probe *p, Conn *c, const SmtpProbeOptions *o)
{
  g_auto (Reply) reply = { 0 };
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<%s>", o->relay_from);
  g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>", o->relay_to);

  if (!conn_command (c, mail, &reply))
    {
      probe_protocol (p, c, "MAIL FROM");
      return FALSE;
    }
  if (reply.code >= 400)
    {
      g_autofree char *said = reply_excerpt (&reply);
      finding_list_add (p->tail, "smtp_relay_refused", SEVERITY_INFO, p->subject, NULL, NULL,
                        "%s refused the test sender <%s> (%s), so relaying to "
                        "an outside domain could not be tried", p->subject,
                        o->relay_from, said);
      return TRUE;
    }
  if (reply.code != 250)
    {
      probe_unexpected (p, &reply, "MAIL FROM");
      return FALSE;
    }

  if (!conn_command (c, rcpt, &reply))
    {
      probe_protocol (p, c, "RCPT TO");
      return FALSE;
    }
  g_autofree char *said = reply_excerpt (&reply);
  if (reply.code == 250 || reply.code == 251)
    finding_list_add (p->tail, "smtp_open_relay", SEVERITY_CRITICAL, p->subject,
                      "accept mail only for your own domains, and relay only for "
                      "your own networks or authenticated users (Postfix: "
                      "smtpd_relay_restrictions = permit_mynetworks, "
                      "permit_sasl_authenticated, reject_unauth_destination); spammers "
                      "find open relays within hours and blocklists follow",
                      NULL, "%s is an open relay: it accepted <%s>, a recipient at "
                      "an outside domain, from an unauthenticated client (%s)",
                      p->subject, o->relay_to, said);
  else if (reply.code >= 400)
    finding_list_add (p->tail, "smtp_relay_refused", SEVERITY_OK, p->subject, NULL, NULL,
                      "%s refuses to relay to an outside domain (%s)",
                      p->subject, said);
  else
    {
      probe_unexpected (p, &reply, "RCPT TO");
      return FALSE;
    }
  return TRUE;
}

/* The conversation.  FALSE when the server never greeted: then the probe
 * reports a connection failure and nothing else. */
static gboolean
probe_session (Probe *p, Conn *c, const SmtpProbeOptions *o)
{
  g_auto (Reply) greeting = { 0 };
  g_auto (Reply) reply = { 0 };

  if (!conn_read_reply (c, &greeting))
    {
      if (c->status == CONN_PROTOCOL)
        {
          finding_list_add (p->tail, "smtp_protocol", SEVERITY_ERROR, p->subject,
                            "make sure this port is served by an SMTP server", NULL,
                            "%s does not greet as an SMTP server: %s", p->subject, c->why);
          return TRUE;
        }
      return FALSE;
    }
  if (greeting.code != 220)
    {
      probe_unexpected (p, &greeting, "the connection");
      conn_command (c, "QUIT", &reply);
      return TRUE;
    }
  p->banner_name = reply_first_word (&greeting);
  if (probe_ehlo (p, c, o) && probe_relay (p, c, o))
    conn_command (c, "RSET", &reply);
  /* A failed QUIT changes nothing found: the connection is closed anyway. */
  if (c->status == CONN_OK)
    conn_command (c, "QUIT", &reply);
  return TRUE;
}

/* ------------------------------------------------------------------- names */

static gboolean
names_contain (const DnsAnswer *ptr, const char *name)
{
  for (guint i = 0; i < ptr->records->len; i++)
    {
      const DnsRecord *rec = g_ptr_array_index (ptr->records, i);
      if (g_ascii_strcasecmp (rec->text, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
names_join (const DnsAnswer *ptr)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < ptr->records->len; i++)
    {
      const DnsRecord *rec = g_ptr_array_index (ptr->records, i);
      g_string_append_printf (out, "%s%s", i ? ", " : "", rec->text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The name a PTR should give: the one the server greets with when it looks
 * like a host name, else the host probed when it was a name; NULL when
 * neither will do. */
static const char *
ptr_name_to_publish (const Probe *p)
{
  struct in_addr a4;

  if (p->banner_name != NULL && strchr (p->banner_name, '.') != NULL
      && valid_host_name (p->banner_name))
    return p->banner_name;
  if (inet_pton (AF_INET, p->host, &a4) != 1 && !is_ipv6 (p->host))
    return p->host;
  return NULL;
}

static void
probe_ptr_missing (FindingList *list, const Probe *p, const char *rev,
                   DnsStatus status)
{
  const char *name = ptr_name_to_publish (p);
  g_autofree char *record = name ? g_strdup_printf ("%s. PTR %s.", rev, name) : NULL;

  if (status == DNS_NXDOMAIN || status == DNS_NODATA)
    finding_list_add (list, "smtp_ptr_missing", SEVERITY_ERROR, p->address,
                      "ask whoever controls the reverse zone of this address (the "
                      "hosting provider or ISP that assigned it) for a PTR record "
                      "naming the server, and make that name resolve back to the "
                      "address", record,
                      "%s has no PTR record: many receivers refuse mail from an "
                      "address without one", p->address);
  else if (status == DNS_OFFLINE)
    finding_list_add (list, "smtp_ptr_missing", SEVERITY_INFO, p->address, NULL, NULL,
                      "the PTR of %s was not looked up (DNS lookups are off), so "
                      "the server's names were not checked against it", p->address);
  else
    finding_list_add (list, "smtp_ptr_missing", SEVERITY_WARNING, p->address,
                      "run the check again; if it persists, the reverse zone's "
                      "name servers are broken", NULL,
                      "the PTR lookup for %s failed (%s), so the server's names "
                      "were not checked against it", p->address,
                      dns_status_name (status));
}

/* The greeting and EHLO names against the address's PTR. */
static void
probe_check_names (FindingList *list, const Probe *p, DnsResolver *resolver)
{
  g_autofree char *rev = dns_reverse_name (p->address);
  g_autoptr (DnsAnswer) ptr = dns_lookup (resolver, rev, DNS_T_PTR);

  if (ptr->status != DNS_OK || ptr->records->len == 0)
    {
      probe_ptr_missing (list, p, rev, ptr->status);
      return;
    }
  g_autofree char *ptr_names = names_join (ptr);
  g_autofree char *fix = g_strdup_printf ("make the server's name and the PTR name the "
                                          "same: set its host name to %s (Postfix: "
                                          "myhostname; OpenSMTPD: hostname on the listen "
                                          "line; Exim: primary_hostname), or have the "
                                          "PTR of %s changed", ptr_names, p->address);

  if (p->banner_name != NULL)
    {
      if (names_contain (ptr, p->banner_name))
        finding_list_add (list, "smtp_banner", SEVERITY_OK, p->subject, NULL, NULL,
                          "%s greets as %s, the PTR name of %s", p->subject,
                          p->banner_name, p->address);
      else
        finding_list_add (list, "smtp_banner_mismatch", SEVERITY_WARNING, p->subject,
                          fix, NULL, "%s greets as %s, but the PTR of %s is %s",
                          p->subject, p->banner_name, p->address, ptr_names);
    }
  if (p->ehlo_name != NULL && !names_contain (ptr, p->ehlo_name))
    finding_list_add (list, "smtp_ehlo_mismatch", SEVERITY_WARNING, p->subject,
                      fix, NULL, "%s answers EHLO as %s, but the PTR of %s is %s",
                      p->subject, p->ehlo_name, p->address, ptr_names);
}

/* ------------------------------------------------------------------- probe */

/* Connects C to the first address that answers.  FALSE with a
 * smtp_connect_failed finding in LIST otherwise. */
static gboolean
probe_connect (Probe *p, FindingList *list, DnsResolver *resolver, Conn *c)
{
  g_autofree char *why = NULL;
  g_autoptr (GPtrArray) addresses = probe_addresses (p->host, resolver, &why);
  g_autoptr (GString) failures = g_string_new (NULL);

  if (addresses == NULL)
    {
      finding_list_add (list, "smtp_connect_failed", SEVERITY_ERROR, p->subject,
                        "check the host name; a mail server needs an A or AAAA record",
                        NULL, "cannot connect to %s: %s", p->subject, why);
      return FALSE;
    }
  for (guint i = 0; i < addresses->len; i++)
    {
      const char *address = g_ptr_array_index (addresses, i);
      conn_reset (c);
      if (conn_connect (c, address, p->port))
        {
          p->address = g_strdup (address);
          return TRUE;
        }
      /* Name the address only when the user gave a name. */
      if (g_strcmp0 (address, p->host) != 0)
        g_string_append_printf (failures, "%s%s: ", failures->len ? "; " : "", address);
      g_string_append (failures, c->why);
    }
  finding_list_add (list, "smtp_connect_failed", SEVERITY_ERROR, p->subject,
                    "make sure the mail server runs and that the port is open to "
                    "the Internet (firewall, a provider blocking port 25)",
                    NULL, "cannot connect to %s: %s", p->subject, failures->str);
  return FALSE;
}

FindingList *
smtp_probe (const char *host_port, DnsResolver *resolver,
            const SmtpProbeOptions *options, GError **error)
{
  SmtpProbeOptions o = { 0 };
  g_auto (Probe) p = { 0 };
  g_autoptr (FindingList) list = finding_list_new ();

  g_return_val_if_fail (host_port != NULL && resolver != NULL, NULL);
  if (options != NULL)
    o = *options;
  o.timeout_ms = o.timeout_ms ? o.timeout_ms : SMTP_PROBE_DEFAULT_TIMEOUT_MS;
  o.ehlo_name = o.ehlo_name ? o.ehlo_name : SMTP_PROBE_EHLO_NAME;
  o.relay_from = o.relay_from ? o.relay_from : SMTP_PROBE_RELAY_FROM;
  o.relay_to = o.relay_to ? o.relay_to : SMTP_PROBE_RELAY_TO;

  if (!smtp_probe_parse_target (host_port, &p.host, &p.port, error))
    return NULL;
  p.subject = is_ipv6 (p.host) ? g_strdup_printf ("[%s]:%u", p.host, p.port)
                               : g_strdup_printf ("%s:%u", p.host, p.port);
  p.tail = finding_list_new ();
  Conn c = { .fd = -1, .timeout_ms = o.timeout_ms, .subject = p.subject };
  gboolean greeted = probe_connect (&p, list, resolver, &c) && probe_session (&p, &c, &o);
  if (p.address != NULL && !greeted)
    finding_list_add (list, "smtp_connect_failed", SEVERITY_ERROR, p.subject,
                      "make sure the mail server runs and is not overloaded; a "
                      "firewall that accepts connections and then drops them "
                      "looks the same", NULL,
                      "%s accepted the connection but sent no greeting: %s",
                      p.subject, c.why);
  conn_reset (&c);
  if (!greeted)
    return g_steal_pointer (&list);

  probe_check_names (list, &p, resolver);
  while (p.tail->items->len > 0)
    finding_list_take (list, g_ptr_array_steal_index (p.tail->items, 0));
  return g_steal_pointer (&list);
}
