/*
 * table.h (web) -- a StoreTable answered as HTML, CSV or JSON, so that
 * every table on a page has its CSV and JSON with the same filters and the
 * same numbers.
 *
 * WebColumn describes how a column shows in HTML (label, number alignment,
 * a link built from other columns); CSV and JSON always carry every column
 * of the StoreTable under its SQL name.
 */
#ifndef DMARCSTAT_WEB_TABLE_H
#define DMARCSTAT_WEB_TABLE_H

#include <glib.h>
#include "store/table.h"
#include "web/web.h"

typedef enum
{
  WEB_COLUMN_TEXT,
  WEB_COLUMN_NUMBER,     /* right-aligned, thousands separated */
  WEB_COLUMN_PERCENT,    /* value is 0..100, shown with one decimal and a bar */
} WebColumnKind;

typedef struct
{
  const char *name;      /* StoreTable column */
  const char *label;     /* header text */
  WebColumnKind kind;
  /* When set, the cell links to this path; "{col}" is replaced by that
   * column's value, percent-encoded.  E.g. "/domains/{domain}". */
  const char *link;
} WebColumn;

/* HTML <table> of the COLUMNS of TABLE (n_columns of them), with a caption,
 * sortable headers (links with ?sort=) and a "CSV" link to CSV_HREF. */
void web_table_html (GString *out, const StoreTable *table, const WebColumn *columns,
                     gsize n_columns, const char *caption, const char *csv_href);

/* The whole TABLE as CSV (header row + rows, RFC 4180, formula guard) or as a
 * JSON array of objects into RESP, with the right content type and, for CSV,
 * the download file name. */
void web_table_csv (WebResponse *resp, const StoreTable *table, const char *download_name);
void web_table_json (WebResponse *resp, const StoreTable *table);

#endif
