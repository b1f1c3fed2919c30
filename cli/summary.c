/*
 * summary.c -- see summary.h.
 *
 *   import: 3 inputs, 4 reports stored, 1 duplicate, 0 rejected; 120 records, 5406 messages
 */
#include "cli/summary.h"

#include <stdio.h>

static const char *
plural (guint64 n)
{
  return n == 1 ? "" : "s";
}

void
summary_print (const char *what, const IngestStats *s)
{
  printf ("%s: %u input%s, %u report%s stored, %u duplicate%s, %u rejected;"
          " %" G_GUINT64_FORMAT " record%s, %" G_GUINT64_FORMAT " message%s\n",
          what, s->n_inputs, plural (s->n_inputs), s->n_reports, plural (s->n_reports),
          s->n_duplicates, plural (s->n_duplicates), s->n_rejected,
          s->n_records, plural (s->n_records), s->total_count, plural (s->total_count));
  fflush (stdout);
}
