/*
 * advise_private.h -- what the files of advise/ share and nobody else sees.
 *
 *   advise.c          the stages: which step comes next and what blocks it
 *   advise_advice.c   the Advice: lifecycle, reasons/notes/blockers, names
 *   advise_policy.c   published policy: per-day reports -> steps, record text
 *   advise_sources.c  legitimate-looking sources and what blocks the next step
 *   advise_fix.c      a failing source's evidence and its concrete fix
 *   advise_input.c    input and thresholds: constructors, [advise] config
 *   advise_format.c   advice -> terminal text, JSON
 */
#ifndef DMARCSTAT_ADVISE_PRIVATE_H
#define DMARCSTAT_ADVISE_PRIVATE_H

#include "advise/advise.h"

typedef enum
{
  ADVISE_LEVEL_UNSET = -1,
  ADVISE_LEVEL_NONE = 0,
  ADVISE_LEVEL_QUARANTINE = 1,
  ADVISE_LEVEL_REJECT = 2,
} AdviseLevel;

/* A DMARC record as far as reports show it.  sp and np are UNSET when
 * absent or equal to what they would inherit (np from sp, sp from p). */
typedef struct
{
  AdviseLevel p, sp, np;
  int pct;                 /* 0..100; 100 when absent */
  gboolean t;              /* t=y */
  gboolean adkim_strict, aspf_strict;
  char *fo;                /* owned; NULL for the default "0" */
} AdviseRecord;

/* A stretch of days during which the reports showed one policy. */
typedef struct
{
  gint first_day, last_day;
  AdviseRecord record;
} AdviseRun;

/* What the sources module concluded about one source. */
typedef struct
{
  const AdviseSource *src;   /* borrowed from the input */
  gboolean is_legit;
  gboolean is_intermediary;  /* forwarder or mailing list */
  char *why;                 /* why it counts as legitimate, owned */
} AdviseClass;

typedef struct
{
  const AdviseInput *in;      /* borrowed */
  const AdviseThresholds *t;  /* borrowed */
  Advice *advice;             /* borrowed: what is being built */
  AdviseRecord cur;           /* owned (fo) */
  gint step_since;            /* first day of the current policy */
  GPtrArray *classes;         /* AdviseClass*, owned */
  guint64 legit_counted;      /* legit recent mail that was not overridden */
  guint64 legit_pass;
  gboolean sub_blocked;       /* a legit source fails for a subdomain */
  guint n_blockers_dropped;   /* beyond ADVISE_MAX_BLOCKERS */
} AdviseCtx;

#define ADVISE_MAX_BLOCKERS 25

/* advise_policy.c */
AdviseLevel advise_level_parse (const char *text);
const char *advise_level_name (AdviseLevel level);
void advise_record_clear (AdviseRecord *record);
void advise_record_copy (AdviseRecord *dest, const AdviseRecord *src);
void advise_record_normalize (AdviseRecord *record);
/* RUA may be NULL (no rua tag).  (transfer full) */
char *advise_record_text (const AdviseRecord *record, const char *rua);
/* The input's policy days as runs of one policy, oldest first.
 * (transfer full) AdviseRun* with its free function. */
GPtrArray *advise_policy_runs (const AdviseInput *input);
/* Days in [first, last] with at least one report. */
guint advise_policy_days_covered (const AdviseInput *input, gint first, gint last);
/* Findings on the published record itself (pct, sp, np, t). */
void advise_policy_findings (AdviseCtx *ctx);

/* advise_sources.c */
void advise_sources_classify (AdviseCtx *ctx);
/* Adds a blocker for each legit source that keeps the domain from
 * LEVEL (needing aligned DKIM when NEED_DKIM); returns how many. */
guint advise_sources_block (AdviseCtx *ctx, AdviseLevel level, gboolean need_dkim);
/* Legit sources first seen less than new_source_days before the end. */
guint advise_sources_count_new (const AdviseCtx *ctx, char **example_out, gint *day_out);
guint advise_sources_n_legit (const AdviseCtx *ctx);
void advise_sources_notes (AdviseCtx *ctx);
gboolean advise_domain_is_related (const char *domain, const char *own);
/* Adds a blocker, or counts it when ADVISE_MAX_BLOCKERS are listed. */
void advise_sources_add_blocker (AdviseCtx *ctx, const AdviseSource *s, char *problem, char *fix);

/* advise_fix.c */
/* Blocker for a legit source with PLAIN_FAIL recent failures. */
void advise_fix_failing (AdviseCtx *ctx, const AdviseClass *c, guint64 plain_fail);
/* Blocker for a legit source that passes on SPF alone. */
void advise_fix_spf_only (AdviseCtx *ctx, const AdviseClass *c, guint64 spf_only);
/* Findings on strict alignment (adkim=s, aspf=s) failing legit mail. */
void advise_sources_findings (AdviseCtx *ctx);

/* advise_advice.c */
Advice *advice_new (const char *domain);
void advise_add_reason (Advice *advice, const char *format, ...) G_GNUC_PRINTF (2, 3);
void advise_add_note (Advice *advice, const char *format, ...) G_GNUC_PRINTF (2, 3);
void advise_add_finding (Advice *advice, const char *tag, char *problem, char *fix);
void advise_add_blocker (Advice *advice, const char *source, const char *sender, char *problem,
                         char *fix);

#endif
