/*
 * resources.h -- the files embedded in the binary (schema/ SQL under
 * /dmarcstat/schema/, web/static/ under /dmarcstat/static/), registered
 * with GResource on first use.
 */
#ifndef DMARCSTAT_RESOURCES_H
#define DMARCSTAT_RESOURCES_H

/* Idempotent and thread-safe. */
void resources_register (void);

#endif
