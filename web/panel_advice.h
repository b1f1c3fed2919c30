/*
 * panel_advice.h -- the advice panel of the domain page: the current stage,
 * the next DMARC record to publish (exact TXT text), why, what blocks it
 * (each failing legitimate-looking source with its fix), and what is wrong
 * in the published policy.  The same advice as `dmarcstat advise DOMAIN`.
 */
#ifndef DMARCSTAT_PANEL_ADVICE_H
#define DMARCSTAT_PANEL_ADVICE_H

#include <glib.h>
#include "core/config.h"
#include "store/db.h"

/* Appends the panel's HTML for DOMAIN to OUT.  On a database error the
 * panel says advice is unavailable (the rest of the page still shows). */
void panel_advice_render (GString *out, Store *store, const Config *config,
                          const char *domain);

#endif
