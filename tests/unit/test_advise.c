/*
 * test_advise.c -- the policy advice as a pure function: a table of
 * scenarios, each an input (published policy over time, reporters,
 * sources) and the advice it must give (stage, exact next record,
 * blockers with their fixes, findings).
 *
 * Days: the window ends on END (2026-10-21); a scenario's policy holds
 * for its last policy_days days, the policy before it for the days
 * before, and every day has two reports.
 */
#include "advise/advise.h"
#include "core/config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define END 20747   /* 2026-10-21 */
#define RUA "mailto:dmarc@example.com"

typedef struct
{
  const char *ip;
  guint64 total, pass, dkim_aligned;
  guint64 fail_override, marked;   /* overridden failures; marked forwarded/list */
  guint64 fail_sub;                /* failures with a subdomain in From */
  int age;                         /* days since first seen; 0 means 60 */
  /* "+" or "-" (on passing or failing mail), kind, domain, selector, result */
  const char *auth[4];
} SourceSpec;

typedef struct
{
  const char *name;
  const char *policy;      /* tags the reports show, "; "-separated */
  int policy_days;
  const char *before;      /* NULL: the same policy before */
  guint n_days, n_reporters;
  gboolean large, dmarcbis_only, stale_reporter, no_data;
  guint64 spoof_messages, top_spoof;
  guint n_spoof;
  SourceSpec sources[4];
  /* wanted */
  AdviseStage stage;
  const char *next;        /* exact next_record, NULL: none */
  const char *target;      /* exact target_record when set */
  guint n_blockers;
  const char *blocker_ip, *fix_has, *fix_has2;
  const char *finding;     /* a finding tag that must be present */
  const char *reason_has, *note_has;
} Scenario;

#define OWN { "192.0.2.10", 1000, 1000, 1000, 0, 0, 0, 0, { "+dkim:example.com:s1:pass", "+spf:example.com::pass" } }
#define SUITE { "198.51.100.17", 500, 500, 500, 0, 0, 0, 0, { "+dkim:example.com:google:pass" } }
#define ESP_FAILING { "198.51.100.140", 300, 0, 0, 0, 0, 0, 0, \
  { "-spf:bounce.esp-mail.example::pass", "-dkim:esp-mail.example:mk:pass", "-dkim:example.com:mk:fail" } }
#define FIRST_QUARANTINE "v=DMARC1; p=quarantine; pct=10; t=y; np=reject; rua=" RUA

static const Scenario scenarios[] = {
  { .name = "too-little-data", .policy = "p=none", .n_days = 5, .n_reporters = 2, .large = TRUE,
    .sources = { OWN }, .stage = ADVISE_STAGE_MONITORING, .target = FIRST_QUARANTINE,
    .reason_has = "not enough data yet: 5 days" },
  { .name = "no-large-reporter", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .sources = { OWN }, .stage = ADVISE_STAGE_MONITORING, .reason_has = "large mailbox provider" },
  { .name = "all-legit-pass", .policy = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE,
    .sources = { OWN, SUITE }, .n_spoof = 12, .spoof_messages = 40, .top_spoof = 9,
    .stage = ADVISE_STAGE_READY_FOR_QUARANTINE, .next = FIRST_QUARANTINE,
    .reason_has = "99" },
  { .name = "one-failing-legit-sender", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .large = TRUE, .sources = { OWN, ESP_FAILING }, .stage = ADVISE_STAGE_MONITORING,
    .target = FIRST_QUARANTINE, .n_blockers = 1, .blocker_ip = "198.51.100.140",
    .fix_has = "sign with DKIM d=example.com", .fix_has2 = "bounce.esp-mail.example" },
  { .name = "only-spoofers-fail", .policy = "p=none", .n_days = 20, .n_reporters = 4,
    .large = TRUE, .n_spoof = 50, .spoof_messages = 200, .top_spoof = 9,
    .sources = { OWN, { "203.0.113.9", 5, 0, 0, 0, 0, 0, 0, { "-dkim:promo.example:s1:pass" } } },
    .stage = ADVISE_STAGE_READY_FOR_QUARANTINE, .next = FIRST_QUARANTINE,
    .note_has = "50 sources that pass neither" },
  { .name = "quarantine-25-to-50", .policy = "p=quarantine; pct=25; np=reject", .policy_days = 8,
    .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_QUARANTINE_ROLLOUT,
    .next = "v=DMARC1; p=quarantine; pct=50; np=reject; rua=" RUA, .note_has = "ignore pct" },
  { .name = "quarantine-25-t-y", .policy = "p=quarantine; pct=25; t=y", .policy_days = 8,
    .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_QUARANTINE_ROLLOUT,
    .next = "v=DMARC1; p=quarantine; pct=50; t=y; np=reject; rua=" RUA },
  { .name = "step-too-early", .policy = "p=quarantine; pct=25; np=reject", .policy_days = 3,
    .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_QUARANTINE_ROLLOUT,
    .target = "v=DMARC1; p=quarantine; pct=50; np=reject; rua=" RUA, .reason_has = "too early: 3 days" },
  { .name = "stale-reporter-does-not-reset-step", .policy = "p=quarantine; pct=25; np=reject",
    .policy_days = 8, .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE,
    .stale_reporter = TRUE, .sources = { OWN }, .stage = ADVISE_STAGE_QUARANTINE_ROLLOUT,
    .next = "v=DMARC1; p=quarantine; pct=50; np=reject; rua=" RUA, .reason_has = "8 days at" },
  { .name = "reject-pct-below-100", .policy = "p=reject; pct=50", .policy_days = 10,
    .before = "p=quarantine", .n_days = 28, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_REJECT_ROLLOUT, .next = "v=DMARC1; p=reject; rua=" RUA,
    .finding = "pct" },
  { .name = "already-enforced", .policy = "p=reject", .policy_days = 28, .n_days = 28,
    .n_reporters = 3, .large = TRUE, .sources = { OWN }, .stage = ADVISE_STAGE_ENFORCED },
  { .name = "enforced-still-lists-failing-sender", .policy = "p=reject", .policy_days = 28,
    .n_days = 28, .n_reporters = 3, .large = TRUE, .sources = { OWN, ESP_FAILING },
    .stage = ADVISE_STAGE_ENFORCED, .n_blockers = 1, .blocker_ip = "198.51.100.140",
    .fix_has = "sign with DKIM d=example.com", .reason_has = "may be rejecting that mail now" },
  { .name = "enforced-with-weak-sp", .policy = "p=reject; sp=none", .policy_days = 28,
    .n_days = 28, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_ENFORCED, .next = "v=DMARC1; p=reject; rua=" RUA, .finding = "sp" },
  { .name = "dmarcbis-t-y-drops-t", .policy = "p=quarantine; t=y; np=reject", .policy_days = 9,
    .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_QUARANTINE_ROLLOUT,
    .next = "v=DMARC1; p=quarantine; np=reject; rua=" RUA },
  { .name = "dmarcbis-only-starts-with-t-y", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .large = TRUE, .dmarcbis_only = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_READY_FOR_QUARANTINE,
    .next = "v=DMARC1; p=quarantine; t=y; np=reject; rua=" RUA },
  { .name = "sp-weaker-than-p", .policy = "p=quarantine; sp=none", .policy_days = 10,
    .before = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE, .sources = { OWN },
    .stage = ADVISE_STAGE_QUARANTINE, .finding = "sp", .reason_has = "too early: 10 days" },
  { .name = "spf-only-legit-blocks-reject", .policy = "p=quarantine; np=reject", .policy_days = 28,
    .n_days = 28, .n_reporters = 3, .large = TRUE,
    .sources = { OWN, { "203.0.113.20", 200, 200, 0, 0, 0, 0, 0,
                        { "+spf:example.com::pass", "+dkim:tenant.onmicrosoft.example:selector1:pass" } } },
    .stage = ADVISE_STAGE_QUARANTINE, .target = "v=DMARC1; p=reject; pct=10; t=y; rua=" RUA,
    .n_blockers = 1, .blocker_ip = "203.0.113.20", .fix_has = "sign with DKIM d=example.com",
    .fix_has2 = "tenant.onmicrosoft.example" },
  { .name = "ready-for-reject", .policy = "p=quarantine; np=reject", .policy_days = 28,
    .n_days = 28, .n_reporters = 3, .large = TRUE, .sources = { OWN, SUITE },
    .stage = ADVISE_STAGE_READY_FOR_REJECT, .next = "v=DMARC1; p=reject; pct=10; t=y; rua=" RUA },
  { .name = "forwarders-do-not-block", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .large = TRUE,
    .sources = { OWN, { "203.0.113.77", 100, 10, 10, 90, 90, 0, 0, { "+dkim:example.com:s1:pass" } },
                 { "198.51.100.200", 400, 0, 0, 100, 100, 0, 0,
                   { "-spf:lists.example.org::pass", "-dkim:example.com:s1:fail" } } },
    .stage = ADVISE_STAGE_READY_FOR_QUARANTINE, .next = FIRST_QUARANTINE,
    .note_has = "forwarder or mailing list" },
  { .name = "subdomain-failures-keep-sp", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .large = TRUE,
    .sources = { OWN, { "192.0.2.30", 100, 50, 50, 0, 0, 50, 0, { "+dkim:example.com:s1:pass" } } },
    .stage = ADVISE_STAGE_READY_FOR_QUARANTINE,
    .next = "v=DMARC1; p=quarantine; pct=10; t=y; sp=none; np=reject; rua=" RUA,
    .note_has = "subdomains keep their current policy" },
  { .name = "new-legit-source-delays", .policy = "p=none", .n_days = 20, .n_reporters = 3,
    .large = TRUE, .sources = { OWN, { "192.0.2.40", 50, 50, 50, 0, 0, 0, 3, { NULL } } },
    .stage = ADVISE_STAGE_MONITORING, .target = FIRST_QUARANTINE, .reason_has = "appeared" },
  { .name = "strict-alignment-finding", .policy = "p=none; adkim=s", .n_days = 20,
    .n_reporters = 3, .large = TRUE,
    .sources = { { "192.0.2.50", 100, 50, 50, 0, 0, 0, 0,
                   { "+dkim:example.com:s1:pass", "-dkim:mail.example.com:s1:pass" } } },
    .stage = ADVISE_STAGE_MONITORING, .finding = "adkim", .n_blockers = 1,
    .blocker_ip = "192.0.2.50", .fix_has = "relax alignment" },
  { .name = "parked-domain", .policy = "p=none", .n_days = 20, .n_reporters = 3, .large = TRUE,
    .n_spoof = 30, .spoof_messages = 90, .top_spoof = 0, .stage = ADVISE_STAGE_PARKED,
    .next = "v=DMARC1; p=reject; rua=" RUA },
  { .name = "no-data", .no_data = TRUE, .stage = ADVISE_STAGE_NO_DATA,
    .next = "v=DMARC1; p=none; rua=" RUA },
};

/* "p=quarantine; pct=25" into DAY (strings borrowed from PARTS). */
static void
parse_policy (const char *spec, AdvisePolicyDay *day, GStrv *parts_out)
{
  g_auto (GStrv) parts = g_strsplit (spec, "; ", -1);

  memset (day, 0, sizeof *day);
  day->pct = -1;
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      g_assert_nonnull (eq);
      *eq++ = '\0';
      if (strcmp (parts[i], "p") == 0) day->p = eq;
      else if (strcmp (parts[i], "sp") == 0) day->sp = eq;
      else if (strcmp (parts[i], "np") == 0) day->np = eq;
      else if (strcmp (parts[i], "pct") == 0) day->pct = atoi (eq);
      else if (strcmp (parts[i], "t") == 0) day->testing = eq;
      else if (strcmp (parts[i], "adkim") == 0) day->adkim = eq;
      else g_assert_not_reached ();
    }
  *parts_out = g_steal_pointer (&parts);
}

static void
add_days (AdviseInput *in, const Scenario *sc)
{
  int policy_days = sc->policy_days > 0 ? sc->policy_days : (int) sc->n_days;

  for (int i = 0; i < (int) sc->n_days; i++)
    {
      gint day = END - i;
      gboolean current = i < policy_days;
      g_auto (GStrv) parts = NULL;
      AdvisePolicyDay row;
      parse_policy (current || sc->before == NULL ? sc->policy : sc->before, &row, &parts);
      row.day = day;
      row.n_reports = 2;
      row.newest = 10 * day;
      advise_input_add_policy_day (in, &row);
      if (current && sc->stale_reporter && sc->before != NULL)
        {
          g_auto (GStrv) old = NULL;
          parse_policy (sc->before, &row, &old);
          row.day = day;
          row.n_reports = 1;
          row.newest = 10 * day + 1;   /* even the newest report of the day */
          advise_input_add_policy_day (in, &row);
        }
    }
}

static AdviseSource *
make_source (const SourceSpec *spec)
{
  AdviseSource *s = advise_source_new (spec->ip);

  s->first_day = END - (spec->age > 0 ? spec->age : 60);
  s->n_days = 10;
  s->total = s->r_total = spec->total;
  s->pass = s->r_pass = spec->pass;
  s->r_dkim_aligned = spec->dkim_aligned;
  s->r_spf_aligned = spec->pass;
  s->fail_override = s->r_fail_override = spec->fail_override;
  s->marked_intermediary = spec->marked;
  s->r_fail_sub = spec->fail_sub;
  s->sub_domain = spec->fail_sub > 0 ? g_strdup ("shop.example.com") : NULL;
  for (int i = 0; i < 4 && spec->auth[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (spec->auth[i] + 1, ":", 4);
      gboolean on_pass = spec->auth[i][0] == '+';
      advise_source_add_auth (s, strcmp (f[0], "dkim") == 0 ? ADVISE_AUTH_DKIM : ADVISE_AUTH_SPF,
                              f[1], *f[2] ? f[2] : NULL, f[3], on_pass, TRUE,
                              on_pass ? spec->pass : spec->total - spec->pass);
    }
  return s;
}

static AdviseInput *
make_input (const Scenario *sc)
{
  AdviseInput *in = advise_input_new ("example.com");

  in->rua = g_strdup (RUA);
  if (sc->no_data)
    return in;
  in->n_reports_total = 2 * sc->n_days;
  in->has_window = TRUE;
  in->end_day = END;
  add_days (in, sc);
  for (guint i = 0; i < sc->n_reporters; i++)
    g_ptr_array_add (in->reporters, i == 0 && sc->large ? g_strdup ("google.com")
                                    : g_strdup_printf ("Receiver %u Example", i));
  in->n_spoof_sources = sc->n_spoof;
  in->spoof_messages = in->total = sc->spoof_messages;
  if (sc->n_spoof > 0)
    {
      in->top_spoof_source = g_strdup ("203.0.113.200");
      in->top_spoof_messages = sc->top_spoof;
    }
  for (int i = 0; i < 4 && sc->sources[i].ip != NULL; i++)
    {
      advise_input_add_source (in, make_source (&sc->sources[i]));
      in->total += sc->sources[i].total;
    }
  return in;
}

static gboolean
list_has (GPtrArray *list, const char *needle)
{
  for (guint i = 0; i < list->len; i++)
    if (strstr (g_ptr_array_index (list, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
check_str (const char *name, const char *what, const char *got, const char *want)
{
  if (g_strcmp0 (got, want) != 0)
    {
      g_test_message ("%s: %s: got \"%s\", want \"%s\"", name, what, got ? got : "(null)",
                      want ? want : "(null)");
      g_test_fail ();
    }
}

static void
check_problems (const Scenario *sc, const Advice *a)
{
  if (a->blockers->len != sc->n_blockers)
    {
      g_test_message ("%s: got %u blockers, want %u", sc->name, a->blockers->len, sc->n_blockers);
      g_test_fail ();
    }
  if (sc->blocker_ip != NULL && a->blockers->len > 0)
    {
      const AdviseBlocker *b = g_ptr_array_index (a->blockers, 0);
      check_str (sc->name, "blocker source", b->source, sc->blocker_ip);
      if (strstr (b->fix, sc->fix_has) == NULL
          || (sc->fix_has2 != NULL && strstr (b->fix, sc->fix_has2) == NULL))
        {
          g_test_message ("%s: fix \"%s\" lacks \"%s\" / \"%s\"", sc->name, b->fix, sc->fix_has,
                          sc->fix_has2 ? sc->fix_has2 : "");
          g_test_fail ();
        }
    }
  gboolean found = sc->finding == NULL;
  for (guint i = 0; i < a->findings->len && !found; i++)
    found = strcmp (((AdviseFinding *) g_ptr_array_index (a->findings, i))->tag, sc->finding) == 0;
  if (!found)
    {
      g_test_message ("%s: no finding on %s", sc->name, sc->finding);
      g_test_fail ();
    }
}

static void
check_scenario (const Scenario *sc)
{
  AdviseThresholds t;
  advise_thresholds_default (&t);
  t.dmarcbis_only = sc->dmarcbis_only;
  g_autoptr (AdviseInput) in = make_input (sc);
  g_autoptr (Advice) a = advise_compute (in, &t);

  check_str (sc->name, "stage", advise_stage_name (a->stage), advise_stage_name (sc->stage));
  check_str (sc->name, "next_record", a->next_record, sc->next);
  if (sc->target != NULL)
    check_str (sc->name, "target_record", a->target_record, sc->target);
  if (sc->stage == ADVISE_STAGE_ENFORCED && sc->next == NULL)
    check_str (sc->name, "target_record", a->target_record, NULL);
  check_problems (sc, a);
  if (g_test_verbose ())
    {
      g_autofree char *text = advise_format_text (a);
      g_test_message ("%s", text);
    }
  if ((sc->reason_has != NULL && !list_has (a->reasons, sc->reason_has))
      || (sc->note_has != NULL && !list_has (a->notes, sc->note_has)))
    {
      g_autofree char *text = advise_format_text (a);
      g_test_message ("%s: reason \"%s\" / note \"%s\" missing in:\n%s", sc->name,
                      sc->reason_has ? sc->reason_has : "", sc->note_has ? sc->note_has : "", text);
      g_test_fail ();
    }
}

static void
test_scenario (gconstpointer data)
{
  check_scenario (data);
}

/* Hostile text from a reporter comes out escaped in both formats. */
static void
test_format_escapes (void)
{
  AdviseThresholds t;
  advise_thresholds_default (&t);
  g_autoptr (AdviseInput) in = make_input (&scenarios[3]);   /* one failing sender */
  AdviseSource *esp = g_ptr_array_index (in->sources, 1);
  advise_source_add_auth (esp, ADVISE_AUTH_DKIM, "evil\x1b[2J\"x\\.example", "s\n1", "pass",
                          FALSE, TRUE, 300);
  g_autoptr (Advice) a = advise_compute (in, &t);
  g_autofree char *text = advise_format_text (a);
  g_autofree char *json = advise_format_json (a);

  g_assert_null (strchr (text, '\x1b'));
  g_assert_nonnull (strstr (text, "\\x1b[2j"));   /* domains are lower-cased on input */
  g_assert_null (strchr (json, '\x1b'));
  g_assert_nonnull (strstr (json, "evil\\u001b[2j\\\"x\\\\.example"));
  g_assert_nonnull (strstr (json, "\"stage\":\"monitoring\""));
  g_assert_nonnull (strstr (json, "\"next_record\":null"));
  g_assert_nonnull (strstr (json, "\"source\":\"198.51.100.140\""));
}

static void
test_day_text (void)
{
  g_autofree char *end = advise_day_text (END);
  g_autofree char *epoch = advise_day_text (0);
  g_assert_cmpstr (end, ==, "2026-10-21");
  g_assert_cmpstr (epoch, ==, "1970-01-01");
}

static Config *
config_from (const char *text)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  int fd = g_file_open_tmp ("advise-XXXXXX.conf", &path, &error);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  Config *config = config_load (path, &error);
  g_assert_no_error (error);
  unlink (path);
  return config;
}

static void
test_thresholds_config (void)
{
  AdviseThresholds t;
  g_autoptr (GError) error = NULL;
  g_autoptr (Config) good = config_from ("[advise]\npct_steps = 5, 20\nmin_reporters = 2\n"
                                         "rua = dmarc@example.org\n");
  g_autofree char *rua = advise_config_rua (good);

  g_assert_true (advise_thresholds_load (good, &t, &error));
  g_assert_cmpuint (t.n_pct_steps, ==, 3);
  g_assert_cmpuint (t.pct_steps[0], ==, 5);
  g_assert_cmpuint (t.pct_steps[2], ==, 100);
  g_assert_cmpuint (t.min_reporters, ==, 2);
  g_assert_cmpuint (t.window_days, ==, 28);
  g_assert_cmpstr (rua, ==, "mailto:dmarc@example.org");

  g_autoptr (Config) steps = config_from ("[advise]\npct_steps = 50,25\n");
  g_assert_false (advise_thresholds_load (steps, &t, &error));
  g_assert_nonnull (strstr (error->message, "[advise] pct_steps"));
  g_clear_error (&error);
  g_autoptr (Config) range = config_from ("[advise]\npass_percent_reject = 101\n");
  g_assert_false (advise_thresholds_load (range, &t, &error));
  g_assert_nonnull (strstr (error->message, "pass_percent_reject"));
  g_clear_error (&error);
  g_autoptr (Config) bad_rua = config_from ("[advise]\nrua = x; p=none\n");
  g_assert_false (advise_thresholds_load (bad_rua, &t, &error));
  g_assert_nonnull (strstr (error->message, "[advise] rua"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/advise/scenario/%s", scenarios[i].name);
      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  g_test_add_func ("/advise/format/escapes-hostile-text", test_format_escapes);
  g_test_add_func ("/advise/day-text/counts-from-1970", test_day_text);
  g_test_add_func ("/advise/config/reads-thresholds-and-rejects-bad-ones", test_thresholds_config);
  return g_test_run ();
}
