/*
 * senders.h -- the map of well-known senders: which company a host name
 * belongs to, and what that company needs in SPF and DKIM.
 *
 * A DMARC report says "192.0.2.10 sent 340 messages as example.com"; its PTR
 * name (o1.ptr1234.sendgrid.net) leads here to "SendGrid, an ESP: add
 * include:sendgrid.net to SPF, and set up Sender Authentication so it signs
 * with your domain".
 *
 * The map ships with dmarcstat as data/senders.tsv, embedded in the binary
 * at /dmarcstat/data/senders.tsv, and is loaded on first use.  An
 * administrator may add a file of the same format ([senders] map = FILE);
 * its entries replace built-in ones with the same domain.
 *
 * Format: UTF-8 text, one sender per line, five fields separated by single
 * tabs; blank lines and lines starting with '#' are ignored:
 *
 *   domain   a base domain, matched exactly or as a parent of a host name
 *            (sendgrid.net); lower case is not required
 *   name     what people call the sender (SendGrid)
 *   kind     mailbox-provider esp security-gateway hosting crm helpdesk
 *            marketing transactional forwarder isp
 *   spf      the SPF mechanism(s) the sender needs, space-separated
 *            (include:sendgrid.net), or '-' when none applies
 *   dkim     a short hint how to have the sender sign with the customer's
 *            domain, or '-'
 *
 * Ownership: a Sender and its strings belong to the map and stay valid for
 * the life of the process, also after a later load replaces the entry: the
 * replaced one is kept, so a pointer handed out earlier never dangles.
 *
 * Threads: every function may be called from any thread.
 *
 * Errors: a file that cannot be read, or a malformed line, is a
 * DMARCSTAT_ERROR_USAGE error that starts "FILE:LINE: " ("FILE: " when the
 * whole file is wrong); nothing of that file is applied then.
 */
#ifndef DMARCSTAT_SENDERS_H
#define DMARCSTAT_SENDERS_H

#include <glib.h>

/* All (transfer none), valid for the life of the process; spf and dkim are
 * NULL for '-'.  kind is one of the words listed above. */
typedef struct
{
  const char *domain, *name, *kind, *spf, *dkim;
} Sender;

/* The entry for exactly BASE_DOMAIN (case does not matter), or NULL.
 * (transfer none) */
const Sender *senders_lookup (const char *base_domain);

/* The entry for NAME_OR_HOST or its nearest parent domain:
 * o1.ptr1234.sendgrid.net finds sendgrid.net; a final dot is ignored.
 * NULL when no parent is known.  (transfer none) */
const Sender *senders_lookup_name (const char *name_or_host);

/* Adds the map in PATH over the built-in one. */
gboolean senders_load_file (const char *path, GError **error);

/* Adds LEN bytes of TEXT in the file format; ORIGIN names it in errors. */
gboolean senders_load_data (const char *text, gsize len, const char *origin,
                            GError **error);

/* The number of distinct domains known. */
guint senders_count (void);

#endif
