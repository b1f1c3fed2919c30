/*
 * xml_fields.c -- where each element of an aggregate report goes, and what
 * its value may be.
 *
 * The path of open elements is a stack of kinds, one per depth.  A child's
 * kind comes from a small table of its parent's kind (so <domain> means the
 * policy domain under <policy_published> and the signing domain under
 * <dkim>), which costs a few string compares per element however large the
 * report.  Anything not in a table is ignored with its whole subtree, so
 * extensions and reporter inventions never fail a report.
 *
 * Values are trimmed; empty ones count as absent.  Enumerations are
 * lower-cased, and the result aliases real reporters send are mapped, each
 * with a (deduplicated) warning.  Impossible values fail with XML_INVALID,
 * naming the record by its 1-based position.
 *
 * Somewhat over 800 lines: the tables are the report's schema, and each
 * value's checks sit beside them so that one file answers "what happens to
 * element X"; splitting the checks out would split that answer.
 */
#include "ingest/xml_fields.h"

#include "core/error.h"
#include "core/log.h"

#include <gio/gio.h>
#include <string.h>

/* Kinds of element: containers first, then the leaves that hold a value. */
enum
{
  K_IGNORE, K_FEEDBACK, K_METADATA, K_DATE_RANGE, K_POLICY, K_RECORD, K_ROW,
  K_EVAL, K_REASON, K_IDENTIFIERS, K_AUTH, K_DKIM, K_SPF,
  K_LEAF,
  L_VERSION = K_LEAF, L_ORG_NAME, L_EMAIL, L_EXTRA_CONTACT, L_REPORT_ID,
  L_GENERATOR, L_ERROR, L_BEGIN, L_END,
  L_DOMAIN, L_ADKIM, L_ASPF, L_P, L_SP, L_NP, L_PCT, L_FO, L_TESTING, L_DISCOVERY,
  L_SOURCE_IP, L_COUNT, L_DISPOSITION, L_EVAL_DKIM, L_EVAL_SPF,
  L_REASON_TYPE, L_REASON_COMMENT,
  L_ENVELOPE_TO, L_ENVELOPE_FROM, L_HEADER_FROM,
  L_DKIM_DOMAIN, L_DKIM_SELECTOR, L_DKIM_RESULT, L_DKIM_HUMAN,
  L_SPF_DOMAIN, L_SPF_SCOPE, L_SPF_RESULT, L_SPF_HUMAN,
  K_N
};

typedef struct
{
  const char *name;
  guint8 kind;
  const char *alias_of;   /* a misspelling real reporters send, or NULL */
} Child;

static const Child feedback_children[] = {
  { "version", L_VERSION, NULL }, { "report_metadata", K_METADATA, NULL },
  { "policy_published", K_POLICY, NULL }, { "record", K_RECORD, NULL }, { NULL, 0, NULL } };
static const Child metadata_children[] = {
  { "org_name", L_ORG_NAME, NULL }, { "email", L_EMAIL, NULL },
  { "extra_contact_info", L_EXTRA_CONTACT, NULL }, { "report_id", L_REPORT_ID, NULL },
  { "date_range", K_DATE_RANGE, NULL }, { "error", L_ERROR, NULL },
  { "generator", L_GENERATOR, NULL }, { NULL, 0, NULL } };
static const Child date_range_children[] = {
  { "begin", L_BEGIN, NULL }, { "end", L_END, NULL }, { NULL, 0, NULL } };
static const Child policy_children[] = {
  { "domain", L_DOMAIN, NULL }, { "p", L_P, NULL }, { "sp", L_SP, NULL },
  { "adkim", L_ADKIM, NULL }, { "aspf", L_ASPF, NULL }, { "pct", L_PCT, NULL },
  { "fo", L_FO, NULL }, { "np", L_NP, NULL }, { "testing", L_TESTING, NULL },
  { "discovery_method", L_DISCOVERY, NULL }, { NULL, 0, NULL } };
static const Child record_children[] = {
  { "row", K_ROW, NULL }, { "identifiers", K_IDENTIFIERS, NULL },
  { "auth_results", K_AUTH, NULL }, { "identities", K_IDENTIFIERS, "identifiers" },
  { NULL, 0, NULL } };
static const Child row_children[] = {
  { "source_ip", L_SOURCE_IP, NULL }, { "count", L_COUNT, NULL },
  { "policy_evaluated", K_EVAL, NULL }, { NULL, 0, NULL } };
static const Child eval_children[] = {
  { "disposition", L_DISPOSITION, NULL }, { "dkim", L_EVAL_DKIM, NULL },
  { "spf", L_EVAL_SPF, NULL }, { "reason", K_REASON, NULL }, { NULL, 0, NULL } };
static const Child reason_children[] = {
  { "type", L_REASON_TYPE, NULL }, { "comment", L_REASON_COMMENT, NULL }, { NULL, 0, NULL } };
static const Child identifiers_children[] = {
  { "header_from", L_HEADER_FROM, NULL }, { "envelope_from", L_ENVELOPE_FROM, NULL },
  { "envelope_to", L_ENVELOPE_TO, NULL }, { NULL, 0, NULL } };
static const Child auth_children[] = {
  { "dkim", K_DKIM, NULL }, { "spf", K_SPF, NULL }, { NULL, 0, NULL } };
static const Child dkim_children[] = {
  { "domain", L_DKIM_DOMAIN, NULL }, { "selector", L_DKIM_SELECTOR, NULL },
  { "result", L_DKIM_RESULT, NULL }, { "human_result", L_DKIM_HUMAN, NULL }, { NULL, 0, NULL } };
static const Child spf_children[] = {
  { "domain", L_SPF_DOMAIN, NULL }, { "scope", L_SPF_SCOPE, NULL },
  { "result", L_SPF_RESULT, NULL }, { "human_result", L_SPF_HUMAN, NULL }, { NULL, 0, NULL } };

typedef struct
{
  const char *name;
  const Child *children;
} Container;

static const Container containers[K_LEAF] = {
  [K_FEEDBACK] = { "feedback", feedback_children },
  [K_METADATA] = { "report_metadata", metadata_children },
  [K_DATE_RANGE] = { "date_range", date_range_children },
  [K_POLICY] = { "policy_published", policy_children },
  [K_RECORD] = { "record", record_children },
  [K_ROW] = { "row", row_children },
  [K_EVAL] = { "policy_evaluated", eval_children },
  [K_REASON] = { "reason", reason_children },
  [K_IDENTIFIERS] = { "identifiers", identifiers_children },
  [K_AUTH] = { "auth_results", auth_children },
  [K_DKIM] = { "dkim", dkim_children },
  [K_SPF] = { "spf", spf_children },
};

/* How a leaf's value is kept. */
enum
{
  V_STRING,    /* as sent, trimmed */
  V_ENUM,      /* lower-cased, with a warning when that changed it */
  V_RESULT,    /* V_ENUM plus the SPF/DKIM result aliases */
  V_SPECIAL,   /* parsed and checked by leaf_special(); no slot */
};

/* Which struct a string leaf is stored in: see leaf_slot(). */
enum { IN_REPORT, IN_RECORD, IN_REASON, IN_DKIM, IN_SPF };

typedef struct
{
  const char *element;   /* local name, for messages */
  const char *what;      /* the value's name in warnings */
  guint8 type;
  guint8 owner;          /* IN_* */
  guint16 offset;        /* of the char * field in its owner */
} Leaf;

#define LEAF(kind, ...) [(kind) - K_LEAF] = { __VA_ARGS__ }
#define REPORT(field) IN_REPORT, G_STRUCT_OFFSET (Report, field)
#define RECORD(field) IN_RECORD, G_STRUCT_OFFSET (Record, field)
#define REASON(field) IN_REASON, G_STRUCT_OFFSET (RecordReason, field)
#define DKIM(field) IN_DKIM, G_STRUCT_OFFSET (DkimResult, field)
#define SPF(field) IN_SPF, G_STRUCT_OFFSET (SpfResult, field)
#define NOWHERE IN_REPORT, 0
static const Leaf leaves[K_N - K_LEAF] = {
  LEAF (L_VERSION, "version", "version", V_STRING, REPORT (version)),
  LEAF (L_ORG_NAME, "org_name", "org_name", V_STRING, REPORT (org_name)),
  LEAF (L_EMAIL, "email", "email", V_STRING, REPORT (email)),
  LEAF (L_EXTRA_CONTACT, "extra_contact_info", "extra_contact_info", V_STRING,
        REPORT (extra_contact_info)),
  LEAF (L_REPORT_ID, "report_id", "report_id", V_STRING, REPORT (report_id)),
  LEAF (L_GENERATOR, "generator", "generator", V_STRING, REPORT (generator)),
  LEAF (L_ERROR, "error", "error", V_SPECIAL, NOWHERE),
  LEAF (L_BEGIN, "begin", "date_range begin", V_SPECIAL, NOWHERE),
  LEAF (L_END, "end", "date_range end", V_SPECIAL, NOWHERE),
  LEAF (L_DOMAIN, "domain", "policy_published domain", V_STRING, REPORT (domain)),
  LEAF (L_ADKIM, "adkim", "adkim", V_ENUM, REPORT (adkim)),
  LEAF (L_ASPF, "aspf", "aspf", V_ENUM, REPORT (aspf)),
  LEAF (L_P, "p", "p", V_ENUM, REPORT (p)),
  LEAF (L_SP, "sp", "sp", V_ENUM, REPORT (sp)),
  LEAF (L_NP, "np", "np", V_ENUM, REPORT (np)),
  LEAF (L_PCT, "pct", "pct", V_SPECIAL, NOWHERE),
  LEAF (L_FO, "fo", "fo", V_STRING, REPORT (fo)),
  LEAF (L_TESTING, "testing", "testing", V_ENUM, REPORT (testing)),
  LEAF (L_DISCOVERY, "discovery_method", "discovery_method", V_ENUM, REPORT (discovery_method)),
  LEAF (L_SOURCE_IP, "source_ip", "source_ip", V_SPECIAL, NOWHERE),
  LEAF (L_COUNT, "count", "count", V_SPECIAL, NOWHERE),
  LEAF (L_DISPOSITION, "disposition", "disposition", V_ENUM, RECORD (disposition)),
  LEAF (L_EVAL_DKIM, "dkim", "policy_evaluated dkim", V_ENUM, RECORD (dkim_eval)),
  LEAF (L_EVAL_SPF, "spf", "policy_evaluated spf", V_ENUM, RECORD (spf_eval)),
  LEAF (L_REASON_TYPE, "type", "reason type", V_ENUM, REASON (type)),
  LEAF (L_REASON_COMMENT, "comment", "reason comment", V_STRING, REASON (comment)),
  LEAF (L_ENVELOPE_TO, "envelope_to", "envelope_to", V_STRING, RECORD (envelope_to)),
  LEAF (L_ENVELOPE_FROM, "envelope_from", "envelope_from", V_STRING, RECORD (envelope_from)),
  LEAF (L_HEADER_FROM, "header_from", "header_from", V_STRING, RECORD (header_from)),
  LEAF (L_DKIM_DOMAIN, "domain", "dkim domain", V_STRING, DKIM (domain)),
  LEAF (L_DKIM_SELECTOR, "selector", "dkim selector", V_STRING, DKIM (selector)),
  LEAF (L_DKIM_RESULT, "result", "dkim result", V_RESULT, DKIM (result)),
  LEAF (L_DKIM_HUMAN, "human_result", "dkim human_result", V_STRING, DKIM (human_result)),
  LEAF (L_SPF_DOMAIN, "domain", "spf domain", V_STRING, SPF (domain)),
  LEAF (L_SPF_SCOPE, "scope", "spf scope", V_ENUM, SPF (scope)),
  LEAF (L_SPF_RESULT, "result", "spf result", V_RESULT, SPF (result)),
  LEAF (L_SPF_HUMAN, "human_result", "spf human_result", V_STRING, SPF (human_result)),
};

/* A timestamp past this (year 5138) is in milliseconds: SFR sends those. */
#define MAX_EPOCH_SECONDS G_GUINT64_CONSTANT (100000000000)

struct _XmlFields
{
  const Limits *limits;       /* borrowed */
  const ReportSink *sink;     /* borrowed */
  gpointer sink_data;
  Report *report;             /* owned */
  GPtrArray *batch;           /* Record*, owned, at most REPORT_BATCH_RECORDS */
  Record *record;             /* owned: the <record> being read, else NULL */
  RecordReason *reason;       /* borrowed from record->reasons: the open <reason> */
  DkimResult *dkim;           /* borrowed from record->dkim: the open <dkim> */
  SpfResult *spf;             /* borrowed from record->spf: the open <spf> */
  guint8 *kinds;              /* kind of the open element at each depth */
  int top;                    /* depth of the innermost open element, -1 before the root */
  GString *text;              /* the value of the open leaf */
  gboolean leaf_has_child;
  gboolean root_opened, root_closed;
  gboolean seen_metadata, seen_policy, seen_date_range;
  gboolean has_begin, has_end;
  gint64 begin, end;
  gboolean has_count;         /* of the open record */
  gint64 count;
  gboolean began, ended, aborted;
};

XmlFields *
xml_fields_new (const Limits *limits, const ReportSink *sink, gpointer sink_data)
{
  XmlFields *f = g_new0 (XmlFields, 1);
  f->limits = limits;
  f->sink = sink;
  f->sink_data = sink_data;
  f->report = report_new ();
  f->batch = g_ptr_array_new_full (REPORT_BATCH_RECORDS, (GDestroyNotify) record_free);
  /* xml_report.c refuses an element at depth >= xml_max_depth. */
  f->kinds = g_new0 (guint8, limits->xml_max_depth + 1);
  f->top = -1;
  f->text = g_string_sized_new (256);
  return f;
}

void
xml_fields_free (XmlFields *f)
{
  if (f == NULL)
    return;
  report_free (f->report);
  g_ptr_array_unref (f->batch);
  record_free (f->record);
  g_free (f->kinds);
  g_string_free (f->text, TRUE);
  g_free (f);
}

static const char *
kind_name (guint8 kind)
{
  return kind >= K_LEAF ? leaves[kind - K_LEAF].element : containers[kind].name;
}

static guint64
record_number (const XmlFields *f)
{
  return f->report->n_records + 1;
}

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_INVALID, message);
  return FALSE;
}

/* Reporters that repeat an element are taken at their first word. */
static gboolean
duplicate (XmlFields *f, gboolean taken, const char *what)
{
  if (taken)
    report_add_warning (f->report, "duplicate %s ignored", what);
  return taken;
}

/* A sink that fails must say why; one that does not gets a generic reason
 * rather than a FALSE without an error, which callers cannot report. */
static gboolean
sink_failed (GError *local, GError **error)
{
  if (local == NULL)
    local = g_error_new_literal (DMARCSTAT_ERROR, DMARCSTAT_ERROR_STORE_FAILED,
                                 "the report sink failed without a reason");
  g_propagate_error (error, local);
  return FALSE;
}

/* parsedmarc's fallback for reporters that leave org_name empty: the
 * domain of the report's contact address. */
static gboolean
org_name_from_email (Report *r)
{
  const char *at = r->email != NULL ? strrchr (r->email, '@') : NULL;
  if (at == NULL)
    return FALSE;
  /* Any ASCII whitespace ends the domain, not only blanks: the email value
   * is trimmed at its ends only, and "a@b\n x" gave the org name "b\n",
   * against report.h's trimmed strings (found by fuzz_xml's oracle). */
  g_autofree char *domain = g_strndup (at + 1, strcspn (at + 1, "> \t\r\n\v\f;,"));
  if (*domain == '\0')
    return FALSE;
  g_autofree char *safe = log_safe_str (domain);
  report_add_warning (r, "report_metadata has no org_name; using \"%s\" from email", safe);
  r->org_name = g_steal_pointer (&domain);
  return TRUE;
}

static gboolean
check_header (XmlFields *f, GError **error)
{
  Report *r = f->report;

  if (!f->seen_metadata && !f->seen_policy)
    {
      g_set_error_literal (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_NOT_REPORT,
                           "<feedback> has neither report_metadata nor policy_published");
      return FALSE;
    }
  if (!f->seen_metadata)
    return invalid (error, "report has no report_metadata");
  if (!f->seen_policy)
    return invalid (error, "report has no policy_published");
  if (r->org_name == NULL && !org_name_from_email (r))
    return invalid (error, "report_metadata has no org_name");
  if (r->report_id == NULL)
    return invalid (error, "report_metadata has no report_id");
  if (r->domain == NULL)
    return invalid (error, "policy_published has no domain");
  if (!f->seen_date_range)
    report_add_warning (r, "report_metadata has no date_range");
  if (r->version == NULL)
    report_add_warning (r, "feedback has no version");
  return TRUE;
}

static gboolean
sink_begin (XmlFields *f, GError **error)
{
  GError *local = NULL;

  if (!check_header (f, error))
    return FALSE;
  if (f->sink->begin != NULL && !f->sink->begin (f->report, f->sink_data, &local))
    return sink_failed (local, error);
  f->began = TRUE;
  return TRUE;
}

static gboolean
flush_batch (XmlFields *f, GError **error)
{
  GError *local = NULL;
  gboolean ok = TRUE;

  if (f->batch->len == 0)
    return TRUE;
  if (f->sink->records != NULL)
    ok = f->sink->records (f->report, f->batch, f->sink_data, &local);
  /* The batch is (transfer none): its records die here, whatever the sink
   * did, so memory stays bounded by one batch. */
  g_ptr_array_set_size (f->batch, 0);
  return ok ? TRUE : sink_failed (local, error);
}

static gboolean
record_open (XmlFields *f, GError **error)
{
  if (!f->began && !sink_begin (f, error))
    return FALSE;
  if (f->report->n_records >= f->limits->xml_max_records)
    {
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT,
                   "report has more than xml_max_records (%" G_GUINT64_FORMAT ") records",
                   f->limits->xml_max_records);
      return FALSE;
    }
  record_free (f->record);
  f->record = record_new ();
  f->has_count = FALSE;
  f->count = 0;
  return TRUE;
}

static gboolean
record_close (XmlFields *f, GError **error)
{
  Report *r = f->report;

  if (!f->has_count)
    {
      /* The "null row" some wp.pl, GMX and Yahoo servers send: nothing in
       * it at all.  A row with a source but no count is a broken one. */
      if (f->record->source_ip != NULL)
        return invalid (error, "record %" G_GUINT64_FORMAT ": count is missing or empty",
                        record_number (f));
      report_add_warning (r, "record without source_ip and count counted as 0");
    }
  if (f->record->source_ip == NULL)
    report_add_warning (r, "record with an empty or missing source_ip");
  f->record->count = f->count;
  if (!g_uint64_checked_add (&r->total_count, r->total_count, (guint64) f->count))
    return invalid (error, "record %" G_GUINT64_FORMAT ": sum of counts overflows",
                    record_number (f));
  r->n_records++;
  g_ptr_array_add (f->batch, g_steal_pointer (&f->record));
  f->reason = NULL;
  f->dkim = NULL;
  f->spf = NULL;
  if (f->batch->len >= REPORT_BATCH_RECORDS)
    return flush_batch (f, error);
  return TRUE;
}

/* Digits only, into *OUT; FALSE on overflow. */
static gboolean
digits_to_u64 (const char *digits, gsize n, guint64 *out)
{
  guint64 value = 0;
  for (gsize i = 0; i < n; i++)
    if (!g_uint64_checked_mul (&value, value, 10)
        || !g_uint64_checked_add (&value, value, (guint64) (digits[i] - '0')))
      return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
date_value (XmlFields *f, const Leaf *leaf, const char *value, gboolean *has,
            gint64 *out, GError **error)
{
  if (value == NULL || duplicate (f, *has, leaf->what))
    return TRUE;
  g_autofree char *safe = log_safe_str (value);
  gsize n_digits = strspn (value, "0123456789");
  const char *rest = value + n_digits;
  gboolean fraction = rest[0] == '.' && rest[1 + strspn (rest + 1, "0123456789")] == '\0';
  guint64 seconds;

  if (n_digits == 0 || (rest[0] != '\0' && !fraction))
    return invalid (error, "%s \"%s\" is not a number of seconds", leaf->what, safe);
  if (!digits_to_u64 (value, n_digits, &seconds))
    return invalid (error, "%s \"%s\" is out of range", leaf->what, safe);
  if (fraction)
    report_add_warning (f->report, "%s \"%s\" has a fraction; truncated", leaf->what, safe);
  if (seconds > MAX_EPOCH_SECONDS)
    {
      seconds /= 1000;
      report_add_warning (f->report, "%s \"%s\" looks like milliseconds; divided by 1000",
                          leaf->what, safe);
    }
  if (seconds > MAX_EPOCH_SECONDS)
    return invalid (error, "%s \"%s\" is out of range", leaf->what, safe);
  *out = (gint64) seconds;
  *has = TRUE;
  return TRUE;
}

static gboolean
date_range_close (XmlFields *f, GError **error)
{
  Report *r = f->report;

  if (!f->has_begin || !f->has_end)
    {
      report_add_warning (r, "date_range has no %s; ignored", f->has_begin ? "end" : "begin");
      return TRUE;
    }
  if (f->end < f->begin)
    return invalid (error, "date_range end %" G_GINT64_FORMAT " is before begin %"
                    G_GINT64_FORMAT, f->end, f->begin);
  r->has_date_range = TRUE;
  r->begin = f->begin;
  r->end = f->end;
  return TRUE;
}

static void
pct_value (XmlFields *f, const char *value)
{
  Report *r = f->report;
  gsize n = value != NULL ? strlen (value) : 0;
  guint64 pct;

  if (value == NULL || duplicate (f, r->has_pct, "pct"))
    return;
  if (n > 3 || strspn (value, "0123456789") != n || !digits_to_u64 (value, n, &pct)
      || pct > 100)
    {
      g_autofree char *safe = log_safe_str (value);
      report_add_warning (r, "pct \"%s\" is not a number from 0 to 100; ignored", safe);
      return;
    }
  r->has_pct = TRUE;
  r->pct = (gint) pct;
}

static gboolean
source_ip_value (XmlFields *f, const char *value, GError **error)
{
  /* An empty one is warned about at </record>. */
  if (value == NULL || duplicate (f, f->record->source_ip != NULL, "source_ip"))
    return TRUE;
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (value);
  if (address == NULL)
    {
      g_autofree char *safe = log_safe_str (value);
      return invalid (error, "record %" G_GUINT64_FORMAT ": source_ip \"%s\" is not an IP address",
                      record_number (f), safe);
    }
  /* Canonical text, so that 2001:DB8:0::1 and 2001:db8::1 are one source. */
  f->record->source_ip = g_inet_address_to_string (address);
  return TRUE;
}

static gboolean
bad_count (XmlFields *f, const char *value, const char *quote, const char *why,
           GError **error)
{
  g_autofree char *safe = log_safe_str (value);
  return invalid (error, "record %" G_GUINT64_FORMAT ": count %s%s%s %s", record_number (f),
                  quote, safe, quote, why);
}

static gboolean
count_value (XmlFields *f, const char *value, GError **error)
{
  /* An empty one is decided at </record>: only a null row may lack it. */
  if (value == NULL || duplicate (f, f->has_count, "count"))
    return TRUE;
  gboolean negative = value[0] == '-';
  const char *digits = value + (negative ? 1 : 0);
  gsize n_digits = strspn (digits, "0123456789");
  guint64 count;

  if (n_digits == 0 || digits[n_digits] != '\0')
    return bad_count (f, value, "\"", "is not a number", error);
  if (negative)
    return bad_count (f, value, "", "is negative", error);
  /* An absurd count would poison every total it is added to. */
  if (!digits_to_u64 (digits, n_digits, &count) || count > f->limits->record_max_count)
    {
      g_autofree char *why = g_strdup_printf ("exceeds record_max_count (%" G_GUINT64_FORMAT ")",
                                              f->limits->record_max_count);
      return bad_count (f, value, "", why, error);
    }
  f->count = (gint64) count;
  f->has_count = TRUE;
  return TRUE;
}

static gboolean
leaf_special (XmlFields *f, guint8 kind, const char *value, GError **error)
{
  const Leaf *leaf = &leaves[kind - K_LEAF];

  switch (kind)
    {
    case L_ERROR:
      if (value != NULL)
        g_ptr_array_add (f->report->errors, g_strdup (value));
      return TRUE;
    case L_BEGIN:
      return date_value (f, leaf, value, &f->has_begin, &f->begin, error);
    case L_END:
      return date_value (f, leaf, value, &f->has_end, &f->end, error);
    case L_PCT:
      pct_value (f, value);
      return TRUE;
    case L_SOURCE_IP:
      return source_ip_value (f, value, error);
    case L_COUNT:
      return count_value (f, value, error);
    default:
      g_assert_not_reached ();
    }
}

/* Where a string leaf is stored.  Each owner is open whenever its leaves
 * can be: the child tables only reach <dkim>'s leaves inside a <dkim>. */
static char **
leaf_slot (XmlFields *f, const Leaf *leaf)
{
  gpointer owners[] = {
    [IN_REPORT] = f->report, [IN_RECORD] = f->record, [IN_REASON] = f->reason,
    [IN_DKIM] = f->dkim, [IN_SPF] = f->spf,
  };
  g_assert (owners[leaf->owner] != NULL);
  return G_STRUCT_MEMBER_P (owners[leaf->owner], leaf->offset);
}

/* (transfer full) */
static char *
enum_value (XmlFields *f, const Leaf *leaf, const char *value)
{
  /* The names RFC 7489's schema comments say reporters use for temperror
   * and permerror, and hardfail, which some send for fail. */
  static const struct { const char *from, *to; } aliases[] = {
    { "hardfail", "fail" }, { "unknown", "temperror" }, { "error", "permerror" },
  };
  char *lower = g_ascii_strdown (value, -1);

  if (strcmp (lower, value) != 0)
    {
      g_autofree char *safe = log_safe_str (value);
      report_add_warning (f->report, "%s \"%s\" lower-cased", leaf->what, safe);
    }
  if (leaf->type != V_RESULT)
    return lower;
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (lower, aliases[i].from) == 0)
      {
        report_add_warning (f->report, "%s \"%s\" read as \"%s\"", leaf->what,
                            aliases[i].from, aliases[i].to);
        g_free (lower);
        return g_strdup (aliases[i].to);
      }
  return lower;
}

/* Trims f->text in place; NULL when nothing is left. */
static const char *
trimmed_text (XmlFields *f)
{
  GString *t = f->text;
  gsize start = 0;

  while (t->len > 0 && g_ascii_isspace (t->str[t->len - 1]))
    t->len--;
  t->str[t->len] = '\0';
  while (start < t->len && g_ascii_isspace (t->str[start]))
    start++;
  return start < t->len ? t->str + start : NULL;
}

static gboolean
leaf_close (XmlFields *f, guint8 kind, GError **error)
{
  const Leaf *leaf = &leaves[kind - K_LEAF];

  if (f->leaf_has_child)
    {
      report_add_warning (f->report, "<%s> holds elements, not a value; ignored", leaf->element);
      return TRUE;
    }
  const char *value = trimmed_text (f);
  if (leaf->type == V_SPECIAL)
    return leaf_special (f, kind, value, error);
  char **slot = value != NULL ? leaf_slot (f, leaf) : NULL;
  if (slot == NULL || duplicate (f, *slot != NULL, leaf->what))
    return TRUE;
  *slot = leaf->type == V_STRING ? g_strdup (value) : enum_value (f, leaf, value);
  return TRUE;
}

static guint8
child_kind (XmlFields *f, guint8 parent, const char *name)
{
  if (parent == K_IGNORE)
    return K_IGNORE;
  if (parent >= K_LEAF)
    {
      /* No report sends markup inside a value: rather than guess which
       * text was meant, the value is dropped at its end. */
      f->leaf_has_child = TRUE;
      return K_IGNORE;
    }
  for (const Child *c = containers[parent].children; c->name != NULL; c++)
    if (c->name[0] == name[0] && strcmp (c->name, name) == 0)
      {
        if (c->alias_of != NULL)
          report_add_warning (f->report, "<%s> read as <%s>", c->name, c->alias_of);
        return c->kind;
      }
  /* RFC 9990's <extension> is expected; anything else is worth a note
   * (kddi.com's <data_range> explains a missing date range). */
  if (!(parent == K_FEEDBACK && strcmp (name, "extension") == 0))
    {
      g_autofree char *safe = log_safe_str (name);
      report_add_warning (f->report, "unknown element <%s> in <%s> ignored", safe,
                          containers[parent].name);
    }
  return K_IGNORE;
}

/* Header blocks are read once, and never after begin() has handed the
 * header to the sink. */
static guint8
admit (XmlFields *f, guint8 kind)
{
  gboolean *seen = NULL;

  if (f->began && (kind == K_METADATA || kind == K_POLICY || kind == L_VERSION))
    {
      report_add_warning (f->report, "<%s> after the first <record> ignored", kind_name (kind));
      return K_IGNORE;
    }
  if (kind == K_METADATA)
    seen = &f->seen_metadata;
  else if (kind == K_POLICY)
    seen = &f->seen_policy;
  else if (kind == K_DATE_RANGE)
    seen = &f->seen_date_range;
  if (seen == NULL)
    return kind;
  if (*seen)
    {
      report_add_warning (f->report, "several <%s> blocks; using the first", kind_name (kind));
      return K_IGNORE;
    }
  *seen = TRUE;
  return kind;
}

static gboolean
enter (XmlFields *f, guint8 kind, GError **error)
{
  if (kind >= K_LEAF)
    {
      g_string_truncate (f->text, 0);
      f->leaf_has_child = FALSE;
      return TRUE;
    }
  switch (kind)
    {
    case K_RECORD:
      return record_open (f, error);
    case K_REASON:
      f->reason = record_reason_new ();
      g_ptr_array_add (f->record->reasons, f->reason);
      break;
    case K_DKIM:
      f->dkim = dkim_result_new ();
      g_ptr_array_add (f->record->dkim, f->dkim);
      break;
    case K_SPF:
      f->spf = spf_result_new ();
      g_ptr_array_add (f->record->spf, f->spf);
      break;
    default:
      break;
    }
  return TRUE;
}

static gboolean
start_root (XmlFields *f, const char *name, const char *ns, GError **error)
{
  if (strcmp (name, "feedback") != 0)
    {
      g_autofree char *safe = log_safe_str (name);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_NOT_REPORT,
                   "root element is <%s>, not <feedback>", safe);
      return FALSE;
    }
  f->root_opened = TRUE;
  f->kinds[0] = K_FEEDBACK;
  f->top = 0;
  if (ns != NULL && *ns != '\0')
    f->report->xml_namespace = g_strdup (ns);
  return TRUE;
}

gboolean
xml_fields_start (XmlFields *f, int depth, const char *name, const char *ns, GError **error)
{
  g_return_val_if_fail (depth >= 0 && (guint64) depth < f->limits->xml_max_depth, FALSE);

  if (depth == 0)
    return start_root (f, name, ns, error);
  guint8 kind = admit (f, child_kind (f, f->kinds[depth - 1], name));
  f->kinds[depth] = kind;
  f->top = depth;
  return enter (f, kind, error);
}

gboolean
xml_fields_end (XmlFields *f, int depth, GError **error)
{
  g_return_val_if_fail (depth >= 0 && depth <= f->top, FALSE);

  guint8 kind = f->kinds[depth];
  f->top = depth - 1;
  if (kind >= K_LEAF)
    return leaf_close (f, kind, error);
  /* f->reason, f->dkim and f->spf stay until </record>: their leaves are
   * only reachable inside them, each of which sets them anew. */
  if (kind == K_FEEDBACK)
    f->root_closed = TRUE;
  else if (kind == K_DATE_RANGE)
    return date_range_close (f, error);
  else if (kind == K_RECORD)
    return record_close (f, error);
  return TRUE;
}

gboolean
xml_fields_wants_text (const XmlFields *f)
{
  return f->top >= 0 && f->kinds[f->top] >= K_LEAF;
}

gboolean
xml_fields_text (XmlFields *f, const char *text, gsize len, GError **error)
{
  if (!xml_fields_wants_text (f))
    return TRUE;
  /* Checked before the append, so the buffer never passes the cap. */
  if (len > f->limits->xml_max_text_bytes - f->text->len)
    {
      g_autofree char *max = limits_format_bytes (f->limits->xml_max_text_bytes);
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_XML_LIMIT,
                   "text of <%s> exceeds xml_max_text_bytes (%s)",
                   kind_name (f->kinds[f->top]), max);
      return FALSE;
    }
  g_string_append_len (f->text, text, (gssize) len);
  return TRUE;
}

Report *
xml_fields_report (XmlFields *f)
{
  return f->report;
}

gboolean
xml_fields_root_opened (const XmlFields *f)
{
  return f->root_opened;
}

gboolean
xml_fields_root_closed (const XmlFields *f)
{
  return f->root_closed;
}

gboolean
xml_fields_finish (XmlFields *f, GError **error)
{
  GError *local = NULL;

  g_return_val_if_fail (f->root_closed, FALSE);

  if (!f->began)
    {
      if (f->report->n_records == 0)
        report_add_warning (f->report, "report has no records");
      if (!sink_begin (f, error))
        return FALSE;
    }
  if (!flush_batch (f, error))
    return FALSE;
  if (f->sink->end != NULL && !f->sink->end (f->report, f->sink_data, &local))
    return sink_failed (local, error);
  f->ended = TRUE;
  return TRUE;
}

void
xml_fields_abort (XmlFields *f)
{
  if (!f->began || f->ended || f->aborted)
    return;
  f->aborted = TRUE;
  if (f->sink->abort != NULL)
    f->sink->abort (f->report, f->sink_data);
}
