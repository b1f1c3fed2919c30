/*
 * advise.h -- where a domain stands on the road from p=none to p=reject,
 * and the exact DMARC record to publish next.
 *
 * NAME
 *   advise_compute() is a pure function: AdviseInput (what the reports of
 *   one domain say, gathered by web/advice_load.c) and AdviseThresholds (the
 *   [advise] config group) in, Advice out.  No I/O, no database, no clock:
 *   the window ends at the domain's newest report, not today, so the same
 *   data always gives the same advice.
 *
 * DESCRIPTION
 *   The stages follow the decision table of the research notes (2.2):
 *   monitor with p=none until there are enough days and reporters; then
 *   p=quarantine rolled out through pct steps with t=y alongside (RFC 7489
 *   receivers apply pct, RFC 9989 receivers read t=y as "one level below");
 *   then p=reject the same way; np=reject once p is at least quarantine.
 *   No step is advised while a legitimate-looking source fails: each such
 *   source becomes a blocker with the concrete fix.  What counts as
 *   legitimate is documented in advise_sources.c and in the README.
 *
 * OWNERSHIP
 *   AdviseInput owns everything hung on it (strings are copied in by the
 *   advise_input_add_* functions).  Advice owns its strings and arrays.
 *   Both are freed with their _free function, which accepts NULL.
 *
 * DIAGNOSTICS
 *   advise_thresholds_load() fails with DMARCSTAT_ERROR_USAGE naming the
 *   [advise] key that is invalid; nothing else here can fail.
 */
#ifndef DMARCSTAT_ADVISE_H
#define DMARCSTAT_ADVISE_H

#include <glib.h>
#include "core/config.h"

#define ADVISE_MAX_PCT_STEPS 8

/* Days are counted since 1970-01-01 (UTC): day 0 is that date. */

typedef struct
{
  guint window_days;            /* [advise] window_days: data considered */
  guint min_coverage_days;      /* days with at least one report in the window */
  guint min_reporters;          /* distinct reporting organisations */
  gboolean require_large_reporter;  /* Google, Microsoft or Yahoo among them */
  guint pass_percent_quarantine;    /* a legit source's pass rate to reach quarantine */
  guint pass_percent_reject;        /* ... and reject (also its aligned-DKIM share) */
  guint recent_days;            /* a source is judged on its last N days of mail */
  guint days_per_step;          /* minimum days at each pct / t=y step */
  guint days_before_reject;     /* minimum days at full p=quarantine */
  guint new_source_days;        /* a legit source younger than this delays quarantine */
  guint legit_share_permille;   /* volume share that makes an unaligned sender legit */
  guint legit_min_days;         /* ... when seen on at least this many days */
  gboolean dmarcbis_only;       /* ramp with t=y only, no pct */
  guint pct_steps[ADVISE_MAX_PCT_STEPS];  /* ascending, the last one is 100 */
  guint n_pct_steps;
} AdviseThresholds;

/* One published policy as the reports of one day show it (one row per
 * distinct combination of values).  Strings are lower case as stored;
 * NULL (or pct -1) means the reporters did not say. */
typedef struct
{
  gint day;
  char *p, *sp, *np, *adkim, *aspf, *fo, *testing;
  int pct;
  guint n_reports;
  gint64 newest;       /* highest report id of the row: later wins a tie */
} AdvisePolicyDay;

typedef enum
{
  ADVISE_AUTH_DKIM,
  ADVISE_AUTH_SPF,
} AdviseAuthKind;

/* An authentication result seen for a source, summed over its messages. */
typedef struct
{
  AdviseAuthKind kind;
  char *domain;        /* lower case; never NULL ("" when the reporter gave none) */
  char *selector;      /* DKIM selector or NULL */
  char *result;        /* pass, fail, softfail, neutral, none, temperror, ... */
  gboolean on_pass;    /* seen on messages that passed DMARC */
  gboolean is_recent;  /* within the source's recent days */
  guint64 messages;
} AdviseAuth;

/* One sending IP address in the window.  "Recent" is the source's own last
 * recent_days days of mail, so a source that was fixed stops blocking
 * after recent_days even when its old failures are still in the window. */
typedef struct
{
  char *source;                 /* the IP address as text */
  gint first_day;               /* first seen for this domain, ever */
  guint n_days;                 /* days with mail from it in the window */
  guint64 total, pass;          /* window: messages, DMARC passes */
  guint64 fail_override;        /* window: failures the receiver overrode */
  guint64 marked_intermediary;  /* window: forwarded/mailing_list/trusted_forwarder */
  guint64 fail_list;            /* window: mailing_list overrides */
  guint64 r_total, r_pass, r_dkim_aligned, r_spf_aligned;
  guint64 r_fail_override;      /* recent failures the receiver overrode */
  guint64 r_fail_sub;           /* recent plain failures with a subdomain in From */
  guint64 r_quarantined, r_rejected;  /* recent plain failures by disposition */
  char *sub_domain;             /* one such subdomain, or NULL */
  GPtrArray *auth;              /* AdviseAuth*, owned */
  /* Who it is, from reverse DNS and the known-senders map; NULL when
   * unknown.  spf: the mechanism the sender needs ("include:…"); dkim: how
   * it signs with the customer's domain. */
  char *sender, *sender_spf, *sender_dkim;
} AdviseSource;

typedef struct
{
  char *domain;                 /* lower case */
  char *rua;                    /* "mailto:…" from [advise] rua, or NULL */
  guint64 n_reports_total;      /* every report of the domain, dated or not */
  gboolean has_window;          /* at least one dated report */
  gint end_day;                 /* day of the newest report */
  GPtrArray *policy_days;       /* AdvisePolicyDay*, owned, any order */
  GPtrArray *reporters;         /* char*: organisations reporting in the window */
  guint64 total;                /* messages in the window */
  guint64 spoof_messages;       /* from sources that authenticate as nothing */
  guint n_spoof_sources;
  char *top_spoof_source;       /* the largest of those, or NULL */
  guint64 top_spoof_messages;
  GPtrArray *sources;           /* AdviseSource*: the others, owned */
} AdviseInput;

typedef enum
{
  ADVISE_STAGE_NO_DATA,
  ADVISE_STAGE_MONITORING,
  ADVISE_STAGE_READY_FOR_QUARANTINE,
  ADVISE_STAGE_QUARANTINE_ROLLOUT,
  ADVISE_STAGE_QUARANTINE,
  ADVISE_STAGE_READY_FOR_REJECT,
  ADVISE_STAGE_REJECT_ROLLOUT,
  ADVISE_STAGE_ENFORCED,
  ADVISE_STAGE_PARKED,
} AdviseStage;

typedef struct
{
  char *source;        /* IP address */
  char *sender;        /* known sender's name, or NULL */
  char *problem;
  char *fix;
} AdviseBlocker;

typedef struct
{
  char *tag;           /* the tag concerned: pct, sp, np, t, adkim, aspf */
  char *problem;
  char *fix;
} AdviseFinding;

typedef struct
{
  gint first_day, last_day;
  char *record;        /* the tags reporters saw, without rua */
} AdviseHistory;

typedef struct
{
  char *domain;
  AdviseStage stage;
  char *current_record;   /* NULL without data */
  char *target_record;    /* the step advice aims at, NULL when none */
  char *next_record;      /* target_record when nothing blocks it, else NULL */
  gboolean rua_is_placeholder;
  gint window_first_day, window_last_day;
  guint n_days, n_reporters, n_legit;
  gboolean has_large_reporter;
  double legit_pass_percent;  /* -1 when there is no legit mail */
  gint step_since_day;        /* first day of the current step */
  GPtrArray *history;     /* AdviseHistory*, oldest first */
  GPtrArray *reasons;     /* char* */
  GPtrArray *blockers;    /* AdviseBlocker* */
  GPtrArray *findings;    /* AdviseFinding* */
  GPtrArray *notes;       /* char* */
} Advice;

void advise_thresholds_default (AdviseThresholds *t);
/* Defaults overridden by CONFIG's [advise] group (CONFIG may be NULL). */
gboolean advise_thresholds_load (const Config *config, AdviseThresholds *t, GError **error);
/* "mailto:…" from [advise] rua (a bare address gets "mailto:"), or NULL.
 * (transfer full) */
char *advise_config_rua (const Config *config);

/* (transfer full) */
AdviseInput *advise_input_new (const char *domain);
void advise_input_free (AdviseInput *input);
/* Copies DAY's strings. */
void advise_input_add_policy_day (AdviseInput *input, const AdvisePolicyDay *day);
/* Takes SOURCE (allocated with advise_source_new). */
void advise_input_add_source (AdviseInput *input, AdviseSource *source);

/* (transfer full) */
AdviseSource *advise_source_new (const char *label);
void advise_source_free (AdviseSource *source);
void advise_source_add_auth (AdviseSource *source, AdviseAuthKind kind, const char *domain,
                             const char *selector, const char *result, gboolean on_pass,
                             gboolean is_recent, guint64 messages);

/* The advice.  (transfer full) */
Advice *advise_compute (const AdviseInput *input, const AdviseThresholds *t);
void advice_free (Advice *advice);

/* "monitoring", "ready-for-quarantine", … */
const char *advise_stage_name (AdviseStage stage);
/* "good", "warn" or "bad": how the stage reads on a badge. */
const char *advise_stage_tone (AdviseStage stage);
/* One line saying what the stage means.  (transfer none) */
const char *advise_stage_summary (AdviseStage stage);

/* "2026-10-21".  (transfer full) */
char *advise_day_text (gint day);

/* For the terminal: every reporter-supplied character that could drive
 * it is escaped.  (transfer full) */
char *advise_format_text (const Advice *advice);
/* One JSON object (RFC 8259), newline-terminated.  (transfer full) */
char *advise_format_json (const Advice *advice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdviseInput, advise_input_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdviseSource, advise_source_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Advice, advice_free)

#endif
