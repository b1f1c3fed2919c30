/*
 * finding.h -- one thing a DNS or SMTP check found, said so that a
 * sysadmin can act on it.
 *
 * A finding has a stable CODE (tests, history and the JSON output key on
 * it), a severity, a SUBJECT (what it is about: "_dmarc.example.com",
 * "selector s1", "ip4:192.168.0.1/16", "mx1.example.com"; "" when the
 * domain itself), a one-line MESSAGE in plain words, a FIX (what to do;
 * NULL when nothing is to be done) and RECORD, the exact DNS record text to
 * publish where there is one (NULL otherwise).
 *
 * Severity "ok" findings are kept too: they say what was checked and found
 * right, and their disappearance is what history shows ("the DKIM key for
 * selector s1 disappeared on 2026-03-02").
 *
 * Codes (check/ emits exactly these; README "DNS checks" lists them):
 *  DMARC  dmarc_ok dmarc_missing dmarc_inherited dmarc_multiple dmarc_syntax
 *         dmarc_tag_invalid dmarc_tag_unknown dmarc_tag_duplicate
 *         dmarc_policy_none dmarc_pct_partial dmarc_pct_retired
 *         dmarc_no_rua dmarc_uri_invalid dmarc_external_unauthorized
 *         dmarc_external_ok dmarc_sp_weaker dmarc_lookup_failed
 *  SPF    spf_ok spf_missing spf_multiple spf_syntax spf_plus_all
 *         spf_neutral_all spf_no_all spf_softfail_all spf_cidr_host_bits
 *         spf_ptr spf_lookup_limit spf_void_limit spf_loop
 *         spf_include_missing spf_type99 spf_source_not_covered
 *         spf_lookup_failed spf_redirect_with_all
 *  DKIM   dkim_ok dkim_missing dkim_revoked dkim_syntax dkim_weak_key
 *         dkim_short_key dkim_testing dkim_no_selectors dkim_lookup_failed
 *  MX     mx_ok mx_missing mx_null mx_no_address mx_ptr_missing
 *         mx_ptr_mismatch mx_ptr_generic mx_lookup_failed
 *  SMTP   smtp_connect_failed smtp_banner smtp_banner_mismatch
 *         smtp_ehlo_mismatch smtp_ptr_missing smtp_starttls
 *         smtp_starttls_missing smtp_open_relay smtp_relay_refused
 *         smtp_protocol
 */
#ifndef DMARCSTAT_CHECK_FINDING_H
#define DMARCSTAT_CHECK_FINDING_H

#include <glib.h>

typedef enum
{
  SEVERITY_OK,
  SEVERITY_INFO,
  SEVERITY_WARNING,
  SEVERITY_ERROR,
  SEVERITY_CRITICAL,
} Severity;

typedef struct
{
  char *code;
  Severity severity;
  char *subject;
  char *message;
  char *fix;       /* NULL: nothing to do */
  char *record;    /* NULL: no record text to publish */
} Finding;

const char *severity_name (Severity severity);  /* "ok", "info", "warning", "error", "critical" */
/* -1 when NAME is none of them. */
int severity_from_name (const char *name);

/* All strings are copied; SUBJECT NULL becomes "".  (transfer full) */
Finding *finding_new (const char *code, Severity severity, const char *subject,
                      const char *message, const char *fix, const char *record);
void finding_free (Finding *finding);

/* A list of findings in the order they were found. */
typedef struct
{
  GPtrArray *items;   /* Finding*, owned */
} FindingList;

FindingList *finding_list_new (void);
void finding_list_free (FindingList *list);
/* Takes FINDING.  Returns it for convenience. */
Finding *finding_list_take (FindingList *list, Finding *finding);
/* printf-style message; fix and record may be NULL. */
Finding *finding_list_add (FindingList *list, const char *code, Severity severity,
                           const char *subject, const char *fix, const char *record,
                           const char *message_format, ...) G_GNUC_PRINTF (7, 8);
/* First finding with CODE (and SUBJECT when not NULL), or NULL. */
const Finding *finding_list_find (const FindingList *list, const char *code,
                                  const char *subject);
/* Highest severity present; SEVERITY_OK when empty. */
Severity finding_list_worst (const FindingList *list);

/* Plain text: one finding per line, "SEVERITY CODE [SUBJECT]: MESSAGE",
 * then indented "fix: …" and "publish: …" lines.  Hostile text (it comes
 * from DNS) goes through log_safe_str.  Appends to OUT. */
void finding_list_format_text (const FindingList *list, GString *out);
/* JSON array of objects {code, severity, subject, message, fix, record}
 * (fix/record null when absent).  Appends to OUT. */
void finding_list_format_json (const FindingList *list, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Finding, finding_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FindingList, finding_list_free)

#endif
