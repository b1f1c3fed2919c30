/*
 * dkim_key.h -- a DKIM public key record (RFC 6376 3.6.1, RFC 8463),
 * parsed without DNS.
 *
 * dkim_key_parse() reads the text of the TXT record at
 * SELECTOR._domainkey.DOMAIN and says what it found, with the selector as
 * subject: exactly one of
 *
 *   dkim_ok          "RSA 2048-bit key", "Ed25519 key"
 *   dkim_short_key   RSA under 2048 bits (warning)
 *   dkim_weak_key    RSA under 1024 bits: verifiers ignore it (RFC 8301)
 *   dkim_revoked     p= is empty
 *   dkim_syntax      anything a verifier would refuse
 *
 * followed by dkim_testing when the key is usable and flagged t=y.
 *
 * The RSA key size comes from the DER in p=: a SubjectPublicKeyInfo (what
 * RFC 6376 asks for) or a bare PKCS#1 RSAPublicKey (what some signing
 * systems publish, and what verifiers accept).  The DER walk is bounded by
 * the decoded length and reads nothing but the two INTEGERs' lengths.
 */
#ifndef DMARCSTAT_CHECK_DKIM_KEY_H
#define DMARCSTAT_CHECK_DKIM_KEY_H

#include <glib.h>
#include "check/finding.h"

typedef enum
{
  DKIM_KEY_RSA,
  DKIM_KEY_ED25519,
} DkimKeyType;

typedef struct
{
  gboolean is_valid;     /* a key verifiers can use (possibly too short) */
  gboolean is_revoked;   /* p= present and empty */
  gboolean is_testing;   /* t= holds y */
  DkimKeyType type;      /* k=, rsa when absent */
  guint bits;            /* RSA modulus size; 256 for Ed25519; 0 unknown */
} DkimKey;

/* Parses TEXT and appends its findings (subject SELECTOR) to FINDINGS.
 * Never NULL.  (transfer full) */
DkimKey *dkim_key_parse (const char *text, const char *selector, FindingList *findings);
void dkim_key_free (DkimKey *key);

/* Modulus size in bits of an RSA public key in DER (SubjectPublicKeyInfo
 * or PKCS#1 RSAPublicKey); 0 when DER is neither. */
guint dkim_key_rsa_bits (const guint8 *der, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DkimKey, dkim_key_free)

#endif
