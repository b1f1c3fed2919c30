/*
 * chart_svg.h -- charts as inline SVG, built as strings from arrays of
 * numbers: a stacked daily bar chart (pass / fail / quarantined /
 * rejected) with axes and a legend, and a sparkline (pass / fail) for the
 * overview.
 *
 * The page's Content-Security-Policy forbids style attributes, <style>
 * and script, so geometry lives in attributes (x, y, width, height) and
 * colours in the stylesheet's classes: svg.chart, svg.spark, .pass, .fail,
 * .quarantine, .reject, .axis, .legend.  Each bar carries a <title> with
 * its day and numbers, so screen readers and hover tooltips give the
 * values.  Nothing but dates and numbers is written: no reporter text.
 *
 * Long periods are drawn with one bar per group of days (at most
 * CHART_MAX_BARS bars).
 */
#ifndef DMARCSTAT_CHART_SVG_H
#define DMARCSTAT_CHART_SVG_H

#include <glib.h>

typedef enum
{
  CHART_PASS,
  CHART_FAIL,
  CHART_QUARANTINED,
  CHART_REJECTED,
  CHART_N_SERIES
} ChartSeries;

#define CHART_MAX_BARS 180
#define CHART_MAX_DAYS 40000   /* longer periods are refused: more than a century */

/* Messages per day from FIRST_DAY ("YYYY-MM-DD"), in stacking order. */
typedef struct
{
  GDate first;
  guint n_days;
  guint64 *values[CHART_N_SERIES];   /* owned, n_days each, zero-filled */
} ChartDaily;

/* Days FIRST_DAY..LAST_DAY inclusive; NULL when a date is malformed, LAST
 * is before FIRST or the span exceeds CHART_MAX_DAYS.  (transfer full) */
ChartDaily *chart_daily_new (const char *first_day, const char *last_day);
void chart_daily_free (ChartDaily *chart);

/* Adds N to SERIES on DAY; days outside the chart are ignored. */
void chart_daily_add (ChartDaily *chart, const char *day, ChartSeries series, guint64 n);

/* The stacked bar chart; LABEL (plain text) names it for assistive
 * technology. */
void chart_svg_daily (GString *out, const ChartDaily *chart, const char *label);

/* A 120 × 24 sparkline of CHART_PASS under CHART_FAIL (the other series
 * are counted as fail). */
void chart_svg_sparkline (GString *out, const ChartDaily *chart, const char *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChartDaily, chart_daily_free)

#endif
