/*
 * report.h -- the report model: what one DMARC aggregate report says.
 *
 * A Report holds the header of one report (metadata and published policy)
 * and counters; its records never live in it.  The XML parser hands records
 * out in batches (a GPtrArray of Record, at most REPORT_BATCH_RECORDS) to a
 * ReportSink, which stores them and forgets them: memory stays bounded for a
 * report of any size.
 *
 * Ownership: every char * in these structs is owned by the struct and freed
 * by its _free function; NULL means "absent from the XML".  Strings are
 * valid UTF-8 (libxml2 guarantees it) with surrounding whitespace trimmed.
 */
#ifndef DMARCSTAT_REPORT_H
#define DMARCSTAT_REPORT_H

#include <glib.h>

#define REPORT_BATCH_RECORDS 1000

typedef struct
{
  char *type;      /* forwarded, sampled_out, local_policy, … (lower-cased) */
  char *comment;
} RecordReason;

typedef struct
{
  char *domain;
  char *selector;
  char *result;    /* lower-cased: pass, fail, none, … */
  char *human_result;
} DkimResult;

typedef struct
{
  char *domain;
  char *scope;     /* mfrom, helo, or NULL */
  char *result;    /* lower-cased; hardfail -> fail etc. */
  char *human_result;
} SpfResult;

typedef struct
{
  char *source_ip;      /* canonical text form (GInetAddress), NULL if empty */
  gint64 count;
  char *disposition;    /* none, quarantine, reject, pass (DMARCbis) */
  char *dkim_eval;      /* policy_evaluated/dkim: pass or fail */
  char *spf_eval;       /* policy_evaluated/spf: pass or fail */
  GPtrArray *reasons;   /* RecordReason*, owned */
  char *envelope_to;
  char *envelope_from;
  char *header_from;
  GPtrArray *dkim;      /* DkimResult*, owned */
  GPtrArray *spf;       /* SpfResult*, owned */
} Record;

typedef struct
{
  /* feedback */
  char *version;            /* <version> text, NULL when absent */
  char *xml_namespace;      /* namespace URI of <feedback>, NULL if none */
  /* report_metadata */
  char *org_name;           /* exactly as sent, trimmed */
  char *email;
  char *extra_contact_info;
  char *report_id;          /* exactly as sent, trimmed */
  char *generator;          /* DMARCbis */
  gboolean has_date_range;
  gint64 begin;             /* seconds since the epoch, UTC */
  gint64 end;
  GPtrArray *errors;        /* char*, <error> elements */
  /* policy_published */
  char *domain;
  char *adkim, *aspf, *p, *sp, *np, *fo;
  gboolean has_pct;
  gint pct;
  char *testing;            /* DMARCbis t= value: y or n */
  char *discovery_method;   /* DMARCbis: psl or treewalk */
  /* what the parser noticed */
  GPtrArray *warnings;      /* char*: odd but accepted things */
  guint64 n_records;        /* filled in as records are parsed */
  guint64 total_count;      /* sum of <count> */
} Report;

Report *report_new (void);
void report_free (Report *report);
/* Adds a printf-formatted warning to REPORT->warnings (deduplicated). */
void report_add_warning (Report *report, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* "draft", "1.0", "dmarcbis", as parsedmarc's xml_schema column: derived
 * from the namespace and version. (transfer none) */
const char *report_xml_schema (const Report *report);
/* org name normalised for grouping: lower case, inner whitespace collapsed.
 * (transfer full) */
char *report_normalize_org (const char *org_name);

Record *record_new (void);
void record_free (Record *record);
RecordReason *record_reason_new (void);
void record_reason_free (RecordReason *reason);
DkimResult *dkim_result_new (void);
void dkim_result_free (DkimResult *dkim);
SpfResult *spf_result_new (void);
void spf_result_free (SpfResult *spf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Record, record_free)

/*
 * ReportSink: where a parsed report goes.  The parser calls begin() once
 * the header is complete (at the first <record>, or at the end for a report
 * without records), records() for each batch, and end() after the closing
 * </feedback> when the whole report was valid.  If any callback fails, the
 * parser stops and returns that error.  If the parser fails after begin(),
 * it calls abort() (may be NULL) so the sink can roll back.
 * Batches are (transfer none): the sink must not keep the Records.
 */
typedef struct
{
  gboolean (*begin) (Report *report, gpointer user_data, GError **error);
  gboolean (*records) (Report *report, GPtrArray *batch, gpointer user_data, GError **error);
  gboolean (*end) (Report *report, gpointer user_data, GError **error);
  void (*abort) (Report *report, gpointer user_data);
} ReportSink;

#endif
