/*
 * dmarc_record.h -- the DMARC policy record (RFC 7489 6.3, DMARCbis
 * RFC 9989), parsed without DNS.
 *
 * dmarc_record_parse() reads the text of one TXT record published at
 * _dmarc.DOMAIN and says what is wrong with it as findings:
 *
 *   subject "_dmarc.DOMAIN"  dmarc_ok dmarc_syntax (record level)
 *                            dmarc_policy_none dmarc_pct_partial
 *                            dmarc_pct_retired dmarc_no_rua dmarc_sp_weaker
 *   subject the tag as       dmarc_syntax (a piece without "=")
 *   written ("pct=150")      dmarc_tag_invalid dmarc_tag_unknown
 *                            dmarc_tag_duplicate
 *   subject the URI          dmarc_uri_invalid
 *
 * The record is read the way receivers read it: tag names and values are
 * case-insensitive, whitespace around ";" and "=" is ignored, an unknown
 * tag is ignored (but reported), the first of two equal tags wins.  The
 * record is "valid" (dmarc_ok) when v=DMARC1 comes first and p= holds a
 * policy: receivers then apply it, whatever else is wrong.
 *
 * Fixes come with the whole corrected record (dmarc_record_format_with),
 * so that the sysadmin can paste one line.
 */
#ifndef DMARCSTAT_CHECK_DMARC_RECORD_H
#define DMARCSTAT_CHECK_DMARC_RECORD_H

#include <glib.h>
#include "check/finding.h"

typedef enum
{
  DMARC_POLICY_UNSET = -1,
  DMARC_POLICY_NONE = 0,
  DMARC_POLICY_QUARANTINE = 1,
  DMARC_POLICY_REJECT = 2,
} DmarcPolicy;

typedef struct
{
  char *name;    /* lower case */
  char *value;   /* as written, surrounding whitespace removed */
} DmarcTag;

typedef struct
{
  char *uri;       /* as written: "mailto:d@example.com!10m" */
  char *address;   /* "d@example.com" */
  char *host;      /* "example.com", lower case */
} DmarcUri;

typedef struct
{
  gboolean is_valid;       /* v=DMARC1 first and p= a policy */
  DmarcPolicy p, sp, np;   /* UNSET when absent or invalid */
  int pct;                 /* -1 when absent or invalid */
  GPtrArray *rua, *ruf;    /* DmarcUri*, the valid ones, owned */
  char adkim, aspf;        /* 'r' or 's'; 'r' when absent */
  char *fo;                /* NULL when absent or invalid */
  char *rf;                /* NULL when absent or invalid */
  gint64 ri;               /* -1 when absent or invalid */
  char t;                  /* 'y', 'n'; 0 when absent */
  char psd;                /* 'y', 'n', 'u'; 0 when absent */
  GPtrArray *tags;         /* DmarcTag*, every tag in written order, owned */
} DmarcRecord;

/* TRUE when TEXT starts with the DMARC version tag ("v=DMARC1", any case,
 * blanks around "=", then ";", blank or end): receivers discard every
 * other TXT record at _dmarc (RFC 7489 6.6.3). */
gboolean dmarc_record_is_dmarc (const char *text);

/* Parses TEXT, the record at _dmarc.DOMAIN, and appends its findings to
 * FINDINGS (dmarc_ok first when valid).  DOMAIN names the subject and the
 * starter rua address in fixes.  Never NULL.  (transfer full) */
DmarcRecord *dmarc_record_parse (const char *text, const char *domain,
                                 FindingList *findings);
void dmarc_record_free (DmarcRecord *record);

/* The record text with tag NAME set to VALUE (replaced in place, or
 * appended), or removed when VALUE is NULL.  (transfer full) */
char *dmarc_record_format_with (const DmarcRecord *record, const char *name,
                                const char *value);

/* "none", "quarantine", "reject"; "" for UNSET. */
const char *dmarc_policy_name (DmarcPolicy policy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmarcRecord, dmarc_record_free)

#endif
