/*
 * fault.h -- named crash points for the exactly-once tests.
 *
 * In a test build (DMARCSTAT_TEST_BUILD), fault_point("before_commit") kills
 * the process with SIGKILL when $DMARCSTAT_FAULT names that point, so tests
 * can prove that a crash at any of them loses nothing and stores nothing
 * twice.  "segv" points crash with SIGSEGV instead, to test the supervisor.
 * In a release build the calls compile to nothing.
 */
#ifndef DMARCSTAT_FAULT_H
#define DMARCSTAT_FAULT_H

#if defined(DMARCSTAT_TEST_BUILD) && DMARCSTAT_TEST_BUILD
void fault_point (const char *name);
#else
#define fault_point(name) ((void) 0)
#endif

#endif
