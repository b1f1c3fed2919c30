/*
 * auth.h -- who may see the dashboard.
 *
 *   [web] user = admin              HTTP Basic user name (default "admin")
 *   [web] password_hash = $y$...    crypt(3) hash of its password
 *   [web] token = ...               a Bearer token (Authorization: Bearer T)
 *
 * Either, both or neither may be set.  When one is, every path but
 * /healthz needs it; when neither is, `serve` listens on loopback only
 * (cmd_serve.c refuses anything else), where the machine's own users are
 * the only clients.
 *
 * Checks take the same time whatever the bytes: the password through
 * crypt_r() (slow by design) and a constant-time compare of its output, the
 * token and the user name by constant-time compares of SHA-256 digests (so
 * neither their length nor a common prefix shows in the timing).
 *
 * Errors: auth_new() fails with DMARCSTAT_ERROR_USAGE naming the key when
 * the hash is not one libcrypt computes (or an old DES one).
 */
#ifndef DMARCSTAT_AUTH_H
#define DMARCSTAT_AUTH_H

#include <glib.h>
#include <microhttpd.h>
#include "core/config.h"

typedef struct _Auth Auth;

/* Reads the [web] keys of CONFIG.  (transfer full) */
Auth *auth_new (const Config *config, GError **error);
void auth_free (Auth *auth);

gboolean auth_is_configured (const Auth *auth);

/* TRUE when no auth is configured or CONNECTION's request carries valid
 * credentials. */
gboolean auth_allows (const Auth *auth, struct MHD_Connection *connection);

/* Queues RESPONSE as a 401 with the challenge that fits what is configured
 * (Basic realm="dmarcstat" when a password is, else Bearer). */
enum MHD_Result auth_queue_challenge (const Auth *auth, struct MHD_Connection *connection,
                                      struct MHD_Response *response);

/* The checks behind auth_allows(), for the tests.  AUTHORIZATION is the
 * whole header value ("Bearer T"). */
gboolean auth_check_bearer (const Auth *auth, const char *authorization);
gboolean auth_check_basic (const Auth *auth, const char *user, const char *password);
/* crypt_r (PASSWORD, HASH) equals HASH, compared in constant time. */
gboolean auth_crypt_matches (const char *hash, const char *password);
/* Constant-time equality of LEN bytes. */
gboolean auth_equal (const guint8 *a, const guint8 *b, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Auth, auth_free)

#endif
