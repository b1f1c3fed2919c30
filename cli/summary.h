/*
 * summary.h -- the one-line summary that import and ingest print on stdout.
 */
#ifndef DMARCSTAT_SUMMARY_H
#define DMARCSTAT_SUMMARY_H

#include "ingest/ingest.h"

void summary_print (const char *what, const IngestStats *stats);

#endif
