/*
 * geoip.h -- the country of a source IP, from a MaxMind DB file.
 *
 * Reads any database in the GeoIP2/GeoLite2 Country or City layout (also
 * DB-IP's free "lite" country files, which share it) through libmaxminddb.
 * The file is memory-mapped once by geoip_open(); lookups only read it, so
 * one GeoipDb may be shared by threads.  Nothing here touches the network.
 *
 * The country is country.iso_code, else registered_country.iso_code (an
 * anycast or satellite block has only the latter), and only when it is two
 * ASCII letters: the database is a file someone downloaded, and its text
 * ends up in pages and CSV cells.
 *
 * Errors: geoip_open() fails with DMARCSTAT_ERROR_USAGE, naming the file
 * (the path comes from the configuration).  geoip_country() has no errors:
 * an address that is not in the database, or not an address, gives NULL.
 */
#ifndef DMARCSTAT_DNS_GEOIP_H
#define DMARCSTAT_DNS_GEOIP_H

#include <glib.h>

typedef struct _GeoipDb GeoipDb;

/* (transfer full); NULL with ERROR set when PATH cannot be opened or is not
 * a MaxMind DB. */
GeoipDb *geoip_open (const char *path, GError **error);
void geoip_close (GeoipDb *db);

/* The ISO 3166-1 alpha-2 code ("NL") for IP, an IPv4 or IPv6 address in
 * text form, or NULL when the database does not place it.
 * (transfer full) */
char *geoip_country (GeoipDb *db, const char *ip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GeoipDb, geoip_close)

#endif
