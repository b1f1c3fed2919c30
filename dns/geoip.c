/*
 * geoip.c -- see geoip.h.
 *
 * The address is parsed with inet_pton() and looked up as a sockaddr, not
 * with MMDB_lookup_string(): that one goes through getaddrinfo(), which
 * also takes "1" or "0x7f.1" for an address.
 */
#include "dns/geoip.h"
#include "core/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <string.h>

struct _GeoipDb
{
  MMDB_s mmdb;   /* owned: MMDB_close() in geoip_close() */
};

GeoipDb *
geoip_open (const char *path, GError **error)
{
  GeoipDb *db = g_new0 (GeoipDb, 1);
  int status = MMDB_open (path, MMDB_MODE_MMAP, &db->mmdb);
  if (status != MMDB_SUCCESS)
    {
      int saved_errno = errno;
      if (status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR)
        g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                     "geoip database %s: cannot open: %s", path, g_strerror (saved_errno));
      else
        g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                     "geoip database %s: not a usable MaxMind DB file (%s)", path,
                     MMDB_strerror (status));
      g_free (db);   /* MMDB_open() frees what it allocated when it fails */
      return NULL;
    }
  return db;
}

void
geoip_close (GeoipDb *db)
{
  if (db == NULL)
    return;
  MMDB_close (&db->mmdb);
  g_free (db);
}

/* OBJECT.iso_code under ENTRY in upper case, or NULL unless it is two letters. */
static char *
geoip_iso_code (MMDB_entry_s *entry, const char *object)
{
  MMDB_entry_data_s data;

  if (MMDB_get_value (entry, &data, object, "iso_code", NULL) != MMDB_SUCCESS
      || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING
      || data.data_size != 2
      || !g_ascii_isalpha (data.utf8_string[0]) || !g_ascii_isalpha (data.utf8_string[1]))
    return NULL;
  return g_ascii_strup (data.utf8_string, 2);
}

char *
geoip_country (GeoipDb *db, const char *ip)
{
  struct sockaddr_in sin = { .sin_family = AF_INET };
  struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
  const struct sockaddr *sa;
  int mmdb_error = MMDB_SUCCESS;

  g_return_val_if_fail (db != NULL, NULL);
  if (ip == NULL)
    return NULL;
  if (inet_pton (AF_INET, ip, &sin.sin_addr) == 1)
    sa = (const struct sockaddr *) &sin;
  else if (inet_pton (AF_INET6, ip, &sin6.sin6_addr) == 1)
    sa = (const struct sockaddr *) &sin6;
  else
    return NULL;

  MMDB_lookup_result_s result = MMDB_lookup_sockaddr (&db->mmdb, sa, &mmdb_error);
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry)
    return NULL;
  char *code = geoip_iso_code (&result.entry, "country");
  return code != NULL ? code : geoip_iso_code (&result.entry, "registered_country");
}
