/*
 * dkim_key.c -- see dkim_key.h.
 *
 * The tag-list is RFC 6376 3.2: "name=value" separated by ";", names and
 * values case-sensitive, a duplicate name makes the whole record invalid,
 * unknown tags are ignored.  Whitespace is allowed around names and values
 * and inside the base64 of p=.
 */
#include "check/dkim_key.h"

#include <string.h>

/* p= of a 16384-bit RSA key is under 3 KiB of base64; nothing longer is a
 * key, and the decode stays small whatever the record holds. */
#define DKIM_MAX_KEY_BASE64 4096

/* 1.2.840.113549.1.1.1 rsaEncryption, DER content of the OID. */
static const guint8 rsa_encryption_oid[] = {
  0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01
};

/* A window into DER bytes; reads only move it forward inside its bounds. */
typedef struct
{
  const guint8 *p;
  gsize len;
} Der;

/* Reads one element with TAG (single-byte tags, definite lengths up to
 * four length bytes) into CONTENT_OUT and moves IN past it. */
static gboolean
der_read (Der *in, guint8 tag, Der *content_out)
{
  gsize header = 2, n;

  if (in->len < 2 || in->p[0] != tag)
    return FALSE;
  n = in->p[1];
  if (n & 0x80)
    {
      gsize n_bytes = n & 0x7f;
      if (n_bytes == 0 || n_bytes > 4 || in->len < 2 + n_bytes)
        return FALSE;
      n = 0;
      for (gsize i = 0; i < n_bytes; i++)
        n = (n << 8) | in->p[2 + i];
      header += n_bytes;
    }
  if (n > in->len - header)
    return FALSE;
  content_out->p = in->p + header;
  content_out->len = n;
  in->p += header + n;
  in->len -= header + n;
  return TRUE;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static guint
rsa_public_key_bits (Der seq)
{
  Der modulus, exponent;

  if (!der_read (&seq, 0x02, &modulus) || !der_read (&seq, 0x02, &exponent)
      || seq.len != 0 || exponent.len == 0)
    return 0;
  while (modulus.len > 0 && modulus.p[0] == 0)
    {
      modulus.p++;
      modulus.len--;
    }
  if (modulus.len == 0 || modulus.len > G_MAXUINT / 8)
    return 0;
  guint bits = (guint) (modulus.len - 1) * 8;
  for (guint8 top = modulus.p[0]; top != 0; top >>= 1)
    bits++;
  return bits;
}

guint
dkim_key_rsa_bits (const guint8 *der, gsize len)
{
  Der in = { der, len }, outer, algorithm, oid, bit_string;

  if (!der_read (&in, 0x30, &outer) || in.len != 0)
    return 0;
  if (outer.len > 0 && outer.p[0] == 0x02)
    return rsa_public_key_bits (outer);   /* bare PKCS#1 */

  /* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
  if (!der_read (&outer, 0x30, &algorithm) || !der_read (&algorithm, 0x06, &oid)
      || oid.len != sizeof rsa_encryption_oid
      || memcmp (oid.p, rsa_encryption_oid, oid.len) != 0
      || !der_read (&outer, 0x03, &bit_string) || outer.len != 0
      || bit_string.len < 1 || bit_string.p[0] != 0)
    return 0;
  in.p = bit_string.p + 1;
  in.len = bit_string.len - 1;
  if (!der_read (&in, 0x30, &outer) || in.len != 0)
    return 0;
  return rsa_public_key_bits (outer);
}

/* Strict base64 (whitespace already removed): the alphabet, length a
 * multiple of 4, padding only at the end. */
static gboolean
base64_valid (const char *s)
{
  gsize len = strlen (s), pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '=')
        pad++;
      else if (pad > 0 || !(g_ascii_isalnum (s[i]) || s[i] == '+' || s[i] == '/'))
        return FALSE;
    }
  return pad <= 2;
}

static char *
strip_blanks (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

/* TRUE when the colon-separated LIST (blanks allowed) holds ITEM. */
static gboolean
list_has (const char *list, const char *item)
{
  g_auto (GStrv) items = g_strsplit (list, ":", -1);

  for (guint i = 0; items[i] != NULL; i++)
    if (strcmp (g_strstrip (items[i]), item) == 0)
      return TRUE;
  return FALSE;
}

/* Splits TEXT into TAGS (name -> value); NULL on success, else why not. */
static const char *
split_tags (const char *text, GHashTable *tags, char **first_name_out)
{
  g_auto (GStrv) pieces = g_strsplit (text, ";", -1);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      char *piece = g_strstrip (pieces[i]);
      char *eq = strchr (piece, '=');
      if (piece[0] == '\0')
        continue;
      if (eq == NULL)
        return "a part of the record is not name=value";
      *eq = '\0';
      char *name = g_strstrip (piece);
      if (!g_ascii_isalpha (name[0]))
        return "a tag name does not start with a letter";
      if (g_hash_table_contains (tags, name))
        return "a tag appears twice";
      if (*first_name_out == NULL)
        *first_name_out = g_strdup (name);
      g_hash_table_insert (tags, g_strdup (name), g_strdup (g_strstrip (eq + 1)));
    }
  return NULL;
}

/* Checks the tags and reads the key; NULL on success, else why not. */
static const char *
read_key (DkimKey *key, GHashTable *tags, const char *first_name)
{
  const char *v = g_hash_table_lookup (tags, "v");
  const char *k = g_hash_table_lookup (tags, "k");
  const char *h = g_hash_table_lookup (tags, "h");
  const char *s = g_hash_table_lookup (tags, "s");
  const char *t = g_hash_table_lookup (tags, "t");
  const char *p = g_hash_table_lookup (tags, "p");

  if (v != NULL && (strcmp (first_name, "v") != 0 || strcmp (v, "DKIM1") != 0))
    return "v= must come first and be DKIM1";
  if (k != NULL && strcmp (k, "rsa") != 0 && strcmp (k, "ed25519") != 0)
    return "k= names a key type verifiers do not know (rsa or ed25519)";
  key->type = k != NULL && strcmp (k, "ed25519") == 0 ? DKIM_KEY_ED25519 : DKIM_KEY_RSA;
  if (h != NULL && !list_has (h, "sha256"))
    return "h= does not allow sha256, and verifiers refuse sha1 (RFC 8301)";
  if (s != NULL && !list_has (s, "*") && !list_has (s, "email"))
    return "s= does not allow the key for email";
  key->is_testing = t != NULL && list_has (t, "y");
  if (p == NULL)
    return "there is no p= tag (the public key)";

  g_autofree char *b64 = strip_blanks (p);
  if (b64[0] == '\0')
    {
      key->is_revoked = TRUE;
      return NULL;
    }
  if (strlen (b64) > DKIM_MAX_KEY_BASE64 || !base64_valid (b64))
    return "p= is not valid base64";

  gsize len = 0;
  g_autofree guint8 *der = g_base64_decode (b64, &len);
  if (key->type == DKIM_KEY_ED25519)
    {
      if (len != 32)
        return "an Ed25519 key in p= is the bare 32-byte key (RFC 8463)";
      key->bits = 256;
    }
  else if ((key->bits = dkim_key_rsa_bits (der, len)) == 0)
    return "p= is not an RSA public key";
  key->is_valid = TRUE;
  return NULL;
}

static void
add_status (const DkimKey *key, const char *selector, const char *why, FindingList *findings)
{
  const char *new_key = "generate a 2048-bit RSA key in the signing system, publish it "
                        "under a new selector and switch signing to it";

  if (why != NULL)
    finding_list_add (findings, "dkim_syntax", SEVERITY_ERROR, selector,
                      "publish the key record again exactly as the signing system shows it",
                      NULL, "the key record is not usable: %s; signatures with selector "
                      "%s fail", why, selector);
  else if (key->is_revoked)
    finding_list_add (findings, "dkim_revoked", SEVERITY_ERROR, selector,
                      "if mail is still signed with this selector, publish its public key "
                      "again; otherwise stop signing with it", NULL,
                      "p= is empty: the key is revoked and signatures with selector %s fail",
                      selector);
  else if (key->type == DKIM_KEY_ED25519)
    finding_list_add (findings, "dkim_ok", SEVERITY_OK, selector, NULL, NULL, "Ed25519 key");
  else if (key->bits < 1024)
    finding_list_add (findings, "dkim_weak_key", SEVERITY_ERROR, selector, new_key, NULL,
                      "RSA %u-bit key: verifiers ignore signatures made with RSA keys under "
                      "1024 bits (RFC 8301)", key->bits);
  else if (key->bits < 2048)
    finding_list_add (findings, "dkim_short_key", SEVERITY_WARNING, selector, new_key, NULL,
                      "RSA %u-bit key: 2048 bits is the recommended size", key->bits);
  else
    finding_list_add (findings, "dkim_ok", SEVERITY_OK, selector, NULL, NULL,
                      "RSA %u-bit key", key->bits);
}

DkimKey *
dkim_key_parse (const char *text, const char *selector, FindingList *findings)
{
  g_autoptr (GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *first_name = NULL;
  DkimKey *key = g_new0 (DkimKey, 1);
  const char *why = split_tags (text, tags, &first_name);

  if (why == NULL)
    why = read_key (key, tags, first_name ? first_name : "");
  if (why != NULL)
    key->is_valid = key->is_revoked = FALSE;
  add_status (key, selector, why, findings);
  if (key->is_valid && key->is_testing)
    finding_list_add (findings, "dkim_testing", SEVERITY_INFO, selector,
                      "remove t=y once signatures verify", NULL,
                      "t=y: the key is flagged as testing, and verifiers may treat mail "
                      "signed with it as unsigned");
  return key;
}

void
dkim_key_free (DkimKey *key)
{
  g_free (key);
}
