/*
 * fault.c -- see fault.h.  DMARCSTAT_FAULT may be "NAME" or "NAME:N" (fire
 * at the Nth time the point is passed in this process).
 */
#include "core/fault.h"

#if defined(DMARCSTAT_TEST_BUILD) && DMARCSTAT_TEST_BUILD
#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void
fault_point (const char *name)
{
  static int n_passed;
  const char *want = g_getenv ("DMARCSTAT_FAULT");

  if (want == NULL)
    return;
  const char *colon = strchr (want, ':');
  gsize len = colon ? (gsize) (colon - want) : strlen (want);
  if (strlen (name) != len || strncmp (want, name, len) != 0)
    return;
  if (colon != NULL && ++n_passed < atoi (colon + 1))
    return;
  raise (g_str_has_prefix (name, "segv") ? SIGSEGV : SIGKILL);
}
#else
typedef int fault_c_is_empty_in_release_builds;
#endif
