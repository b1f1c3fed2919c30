/*
 * auth.c -- see auth.h.
 */
#include "web/auth.h"
#include "core/error.h"

#include <crypt.h>
#include <string.h>

#define AUTH_DIGEST_BYTES 32   /* SHA-256 */
#define AUTH_TOKEN_MIN 16      /* shorter ones draw a warning: guessable */

struct _Auth
{
  char *password_hash;                     /* owned, NULL when unset */
  gboolean has_token;
  guint8 user_digest[AUTH_DIGEST_BYTES];   /* SHA-256 of [web] user */
  guint8 token_digest[AUTH_DIGEST_BYTES];  /* SHA-256 of [web] token */
};

static void
auth_digest (const char *text, guint8 out[AUTH_DIGEST_BYTES])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = AUTH_DIGEST_BYTES;

  g_checksum_update (sum, (const guchar *) text, (gssize) strlen (text));
  g_checksum_get_digest (sum, out, &len);
}

gboolean
auth_equal (const guint8 *a, const guint8 *b, gsize len)
{
  volatile guint8 diff = 0;

  for (gsize i = 0; i < len; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

/* (transfer full) crypt_r's output, or NULL when libcrypt rejects HASH as
 * a setting.  crypt_data is 32 KiB: on the heap, not a worker's stack. */
static char *
auth_crypt (const char *password, const char *hash)
{
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *out = crypt_r (password, hash, data);
  char *copy = out != NULL && out[0] != '*' ? g_strdup (out) : NULL;

  explicit_bzero (data, sizeof *data);
  return copy;
}

gboolean
auth_crypt_matches (const char *hash, const char *password)
{
  g_autofree char *got = auth_crypt (password, hash);

  /* The output's length follows from the setting, not the password. */
  return got != NULL && strlen (got) == strlen (hash)
      && auth_equal ((const guint8 *) got, (const guint8 *) hash, strlen (hash));
}

/* A modern crypt(3) hash: "$id$...", which libcrypt recomputes to the same
 * length.  Old DES hashes (13 characters, no '$') are refused: 8-byte
 * passwords, crackable in hours. */
static gboolean
auth_hash_is_valid (const char *hash)
{
  g_autofree char *probe = hash[0] == '$' ? auth_crypt ("", hash) : NULL;
  return probe != NULL && strlen (probe) == strlen (hash);
}

static char *
auth_get (const Config *config, const char *key)
{
  g_autofree char *value = g_key_file_get_string (config->key_file, "web", key, NULL);
  if (value != NULL)
    g_strstrip (value);
  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

Auth *
auth_new (const Config *config, GError **error)
{
  g_autoptr (Auth) auth = g_new0 (Auth, 1);
  g_autofree char *user = auth_get (config, "user");
  g_autofree char *token = auth_get (config, "token");
  const char *path = config->path ? config->path : "config";

  auth->password_hash = auth_get (config, "password_hash");
  if (auth->password_hash != NULL && !auth_hash_is_valid (auth->password_hash))
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                   "%s: [web] password_hash: not a crypt(3) hash this libcrypt computes "
                   "(make one with: mkpasswd -m yescrypt, or openssl passwd -6)", path);
      return NULL;
    }
  auth_digest (user ? user : "admin", auth->user_digest);
  if (token != NULL)
    {
      if (strlen (token) < AUTH_TOKEN_MIN)
        g_warning ("%s: [web] token is shorter than %d characters: easy to guess",
                   path, AUTH_TOKEN_MIN);
      auth->has_token = TRUE;
      auth_digest (token, auth->token_digest);
      explicit_bzero (token, strlen (token));
    }
  return g_steal_pointer (&auth);
}

void
auth_free (Auth *auth)
{
  if (auth == NULL)
    return;
  g_free (auth->password_hash);
  explicit_bzero (auth, sizeof *auth);
  g_free (auth);
}

gboolean
auth_is_configured (const Auth *auth)
{
  return auth->password_hash != NULL || auth->has_token;
}

gboolean
auth_check_bearer (const Auth *auth, const char *authorization)
{
  guint8 digest[AUTH_DIGEST_BYTES];

  if (!auth->has_token || authorization == NULL
      || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  const char *token = authorization + 7;
  while (*token == ' ')
    token++;
  auth_digest (token, digest);
  return auth_equal (digest, auth->token_digest, AUTH_DIGEST_BYTES);
}

gboolean
auth_check_basic (const Auth *auth, const char *user, const char *password)
{
  guint8 digest[AUTH_DIGEST_BYTES];

  if (auth->password_hash == NULL || user == NULL || password == NULL)
    return FALSE;
  auth_digest (user, digest);
  /* Both checks run whatever the user name, so a wrong one is not faster
   * than a wrong password. */
  gboolean user_ok = auth_equal (digest, auth->user_digest, AUTH_DIGEST_BYTES);
  gboolean password_ok = auth_crypt_matches (auth->password_hash, password);
  return user_ok & password_ok;
}

gboolean
auth_allows (const Auth *auth, struct MHD_Connection *connection)
{
  if (!auth_is_configured (auth))
    return TRUE;
  const char *header = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);
  if (header == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    return auth_check_bearer (auth, header);
  if (auth->password_hash == NULL)
    return FALSE;

  char *password = NULL;
  char *user = MHD_basic_auth_get_username_password (connection, &password);
  gboolean ok = auth_check_basic (auth, user, password);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  MHD_free (user);
  MHD_free (password);
  return ok;
}

enum MHD_Result
auth_queue_challenge (const Auth *auth, struct MHD_Connection *connection,
                      struct MHD_Response *response)
{
  if (auth->password_hash != NULL)
    return MHD_queue_basic_auth_fail_response (connection, "dmarcstat", response);
  if (MHD_add_response_header (response, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                               "Bearer realm=\"dmarcstat\"") != MHD_YES)
    return MHD_NO;
  return MHD_queue_response (connection, MHD_HTTP_UNAUTHORIZED, response);
}
