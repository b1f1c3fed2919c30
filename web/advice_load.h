/*
 * advice_load.h -- the policy advice for one domain, from the database:
 * the glue that the web panel and `dmarcstat advise` share.
 *
 * Runs store/query_advice.h's queries, turns their tables into an
 * AdviseInput, reads the [advise] thresholds and rua from the config and
 * calls advise_compute().  Nothing here decides anything: the decisions are
 * in advise/.
 *
 * Errors: DMARCSTAT_ERROR_USAGE for an invalid [advise] key, the store's
 * errors for the database.
 */
#ifndef DMARCSTAT_ADVICE_LOAD_H
#define DMARCSTAT_ADVICE_LOAD_H

#include <glib.h>
#include "advise/advise.h"
#include "core/config.h"
#include "store/db.h"

/* N_REPORTS_OUT (may be NULL) receives how many reports the domain has,
 * dated or not.  CONFIG may be NULL (defaults).  (transfer full) */
Advice *advice_load (Store *store, const Config *config, const char *domain,
                     guint64 *n_reports_out, GError **error);

#endif
