/*
 * chart_svg.c -- see chart_svg.h.
 *
 * Coordinates are in the viewBox (760 × 250 for the chart, 120 × 24 for the
 * sparkline) and printed with "C" decimals (g_ascii_formatd), whatever the
 * locale.  Bars stack from the bottom in ChartSeries order.
 */
#include "web/chart_svg.h"
#include "web/html.h"

#include <stdio.h>
#include <string.h>

#define W 760.0
#define H 250.0
#define LEFT 64.0
#define RIGHT 10.0
#define TOP 12.0
#define PLOT_H 180.0
#define MAX_X_LABELS 7

static const char *const series_class[CHART_N_SERIES] = { "pass", "fail", "quarantine", "reject" };
static const char *const series_label[CHART_N_SERIES] = { "pass", "fail", "quarantined", "rejected" };

static gboolean
parse_day (const char *text, GDate *out)
{
  unsigned y, m, d;
  char end;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

ChartDaily *
chart_daily_new (const char *first_day, const char *last_day)
{
  GDate first, last;

  if (!parse_day (first_day, &first) || !parse_day (last_day, &last))
    return NULL;
  gint span = g_date_days_between (&first, &last);
  if (span < 0 || span >= CHART_MAX_DAYS)
    return NULL;
  ChartDaily *chart = g_new0 (ChartDaily, 1);
  chart->first = first;
  chart->n_days = (guint) span + 1;
  for (int s = 0; s < CHART_N_SERIES; s++)
    chart->values[s] = g_new0 (guint64, chart->n_days);
  return chart;
}

void
chart_daily_free (ChartDaily *chart)
{
  if (chart == NULL)
    return;
  for (int s = 0; s < CHART_N_SERIES; s++)
    g_free (chart->values[s]);
  g_free (chart);
}

void
chart_daily_add (ChartDaily *chart, const char *day, ChartSeries series, guint64 n)
{
  GDate date;

  if (!parse_day (day, &date))
    return;
  gint i = g_date_days_between (&chart->first, &date);
  if (i >= 0 && (guint) i < chart->n_days)
    chart->values[series][i] += n;
}

/* One bar: days [first, first + n_days) summed. */
typedef struct
{
  guint first;
  guint n_days;
  guint64 v[CHART_N_SERIES];
  guint64 total;
} Bar;

static guint
chart_days_per_bar (const ChartDaily *chart)
{
  return (chart->n_days + CHART_MAX_BARS - 1) / CHART_MAX_BARS;
}

static void
chart_bar (const ChartDaily *chart, guint index, guint days_per_bar, Bar *bar)
{
  memset (bar, 0, sizeof *bar);
  bar->first = index * days_per_bar;
  bar->n_days = MIN (days_per_bar, chart->n_days - bar->first);
  for (guint d = bar->first; d < bar->first + bar->n_days; d++)
    for (int s = 0; s < CHART_N_SERIES; s++)
      {
        bar->v[s] += chart->values[s][d];
        bar->total += chart->values[s][d];
      }
}

static void
append_day (GString *out, const ChartDaily *chart, guint offset)
{
  GDate day = chart->first;
  char text[16];

  g_date_add_days (&day, offset);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &day);
  g_string_append (out, text);
}

static void
append_count (GString *out, guint64 n)
{
  char digits[32];
  int len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
}

/* A coordinate, " NAME=\"x.xx\"". */
static void
attr (GString *out, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, " %s=\"%s\"", name, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

static void
bar_title (GString *out, const ChartDaily *chart, const Bar *bar, int n_series)
{
  g_string_append (out, "<title>");
  append_day (out, chart, bar->first);
  if (bar->n_days > 1)
    {
      g_string_append (out, " – ");
      append_day (out, chart, bar->first + bar->n_days - 1);
    }
  g_string_append (out, ": ");
  append_count (out, bar->total);
  g_string_append (out, " messages");
  for (int s = 0; s < n_series; s++)
    {
      g_string_append (out, s == 0 ? " — " : ", ");
      g_string_append_printf (out, "%s ", series_label[s]);
      append_count (out, bar->v[s]);
    }
  g_string_append (out, "</title>");
}

/* The smallest 1, 2 or 5 × 10^k at least MAX. */
static guint64
nice_max (guint64 max)
{
  for (guint64 scale = 1;; scale *= 10)
    for (guint i = 0; i < 3; i++)
      {
        static const guint steps[] = { 1, 2, 5 };
        if (steps[i] * scale >= max || scale > G_MAXUINT64 / 100)
          return steps[i] * scale;
      }
}

static void
chart_axes (GString *out, guint64 top)
{
  for (guint i = 0; i <= 2; i++)
    {
      guint64 value = top / 2 * i + (i == 2 ? top % 2 : 0);
      double y = TOP + PLOT_H - PLOT_H * (double) value / (double) top;
      g_string_append (out, "<line class=\"axis\"");
      attr (out, "x1", LEFT);
      attr (out, "x2", W - RIGHT);
      attr (out, "y1", y);
      attr (out, "y2", y);
      g_string_append (out, "/><text class=\"axis\" text-anchor=\"end\"");
      attr (out, "x", LEFT - 6);
      attr (out, "y", y + 4);
      g_string_append_c (out, '>');
      append_count (out, value);
      g_string_append (out, "</text>\n");
    }
}

static void
chart_legend (GString *out)
{
  g_string_append (out, "<g class=\"legend\">");
  for (int s = 0; s < CHART_N_SERIES; s++)
    {
      double x = LEFT + 120.0 * s;
      g_string_append_printf (out, "<rect class=\"%s\"", series_class[s]);
      attr (out, "x", x);
      attr (out, "y", H - 20);
      g_string_append (out, " width=\"10\" height=\"10\"/><text");
      attr (out, "x", x + 14);
      attr (out, "y", H - 11);
      g_string_append_printf (out, ">%s</text>", series_label[s]);
    }
  g_string_append (out, "</g>\n");
}

/* BAR's first N_SERIES rectangles, stacked from the bottom. */
static void
chart_bar_rects (GString *out, const Bar *bar, double x, double width, guint64 top,
                 double plot_top, double plot_h, int n_series)
{
  double y = plot_top + plot_h;

  for (int s = 0; s < n_series; s++)
    {
      double h = plot_h * (double) bar->v[s] / (double) top;
      if (bar->v[s] == 0)
        continue;
      y -= h;
      g_string_append_printf (out, "<rect class=\"%s\"", series_class[s]);
      attr (out, "x", x);
      attr (out, "y", y);
      attr (out, "width", width);
      attr (out, "height", h);
      g_string_append (out, "/>");
    }
}

void
chart_svg_daily (GString *out, const ChartDaily *chart, const char *label)
{
  const guint per_bar = chart_days_per_bar (chart);
  const guint n_bars = (chart->n_days + per_bar - 1) / per_bar;
  const double slot = (W - LEFT - RIGHT) / n_bars;
  const guint label_step = (n_bars + MAX_X_LABELS - 1) / MAX_X_LABELS;
  guint64 max = 0;
  Bar bar;

  for (guint i = 0; i < n_bars; i++)
    {
      chart_bar (chart, i, per_bar, &bar);
      max = MAX (max, bar.total);
    }
  const guint64 top = MAX (nice_max (max), 2);
  g_string_append (out, "<svg class=\"chart\" viewBox=\"0 0 760 250\" width=\"760\" height=\"250\""
                        " role=\"img\" aria-label=\"");
  html_append_text_shown (out, label);
  g_string_append (out, "\"><title>");
  html_append_text_shown (out, label);
  g_string_append (out, "</title>\n");
  chart_axes (out, top);
  for (guint i = 0; i < n_bars; i++)
    {
      double x = LEFT + slot * i + (slot >= 4 ? slot * 0.1 : 0);
      chart_bar (chart, i, per_bar, &bar);
      g_string_append (out, "<g>");
      bar_title (out, chart, &bar, CHART_N_SERIES);
      chart_bar_rects (out, &bar, x, slot >= 4 ? slot * 0.8 : slot, top, TOP, PLOT_H,
                       CHART_N_SERIES);
      g_string_append (out, "</g>\n");
      if (i % label_step == 0)
        {
          g_string_append (out, "<text class=\"axis\" text-anchor=\"middle\"");
          attr (out, "x", LEFT + slot * (i + 0.5));
          attr (out, "y", TOP + PLOT_H + 16);
          g_string_append_c (out, '>');
          append_day (out, chart, bar.first);
          g_string_append (out, "</text>\n");
        }
    }
  chart_legend (out);
  g_string_append (out, "</svg>\n");
}

void
chart_svg_sparkline (GString *out, const ChartDaily *chart, const char *label)
{
  const guint per_bar = chart_days_per_bar (chart);
  const guint n_bars = (chart->n_days + per_bar - 1) / per_bar;
  const double slot = 120.0 / n_bars;
  guint64 max = 0;
  Bar bar;

  for (guint i = 0; i < n_bars; i++)
    {
      chart_bar (chart, i, per_bar, &bar);
      max = MAX (max, bar.total);
    }
  g_string_append (out, "<svg class=\"spark\" viewBox=\"0 0 120 24\" width=\"120\" height=\"24\""
                        " role=\"img\" aria-label=\"");
  html_append_text_shown (out, label);
  g_string_append (out, "\">");
  for (guint i = 0; i < n_bars; i++)
    {
      chart_bar (chart, i, per_bar, &bar);
      /* Everything that did not pass stacks as fail. */
      bar.v[CHART_FAIL] = bar.total - bar.v[CHART_PASS];
      g_string_append (out, "<g>");
      bar_title (out, chart, &bar, 2);
      chart_bar_rects (out, &bar, slot * i, slot, MAX (max, 1), 0, 24, 2);
      g_string_append (out, "</g>");
    }
  g_string_append (out, "</svg>");
}
