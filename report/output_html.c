/* The HTML report: one self-contained page (inline CSS and SVG, a few lines of inline script that
 * sort the table; nothing is fetched) with the merge's summary and gates, a chart of every op's
 * access frequency and confidence interval against the tier edges, and the text report's table.
 * Every string from a profile is shown as the text report shows it (escaped, so one line), made
 * valid UTF-8, then HTML-escaped. docs/report.md describes the page. */
#include "output.h"

#include "data_source.h"
#include "json_string.h"
#include "text_table.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The chart's geometry, in SVG user units (pixels when the page is 1000 pixels wide or more). */
enum {
  CHART_WIDTH = 1000,
  LABEL_RIGHT = 270, /* op names end here */
  PLOT_LEFT = 280,   /* 0% */
  PLOT_WIDTH = 520,  /* PLOT_LEFT + PLOT_WIDTH is 100% */
  VALUE_LEFT = 808,  /* the frequency, right of 100% */
  MARK_LEFT = 864,   /* the declared tier, right of the frequency */
  CHART_TOP = 34,    /* the first row starts under the band names */
  ROW_HEIGHT = 26,
  BAR_HEIGHT = 14,
  AXIS_HEIGHT = 26,
  LABEL_CHARS = 36, /* a longer name is cut to this many characters, the last one "…" */
};

static const char style_sheet[] =
    "*{box-sizing:border-box}\n"
    "body{margin:0;padding:24px 32px;background:#f8fafc;color:#0f172a;"
    "font:14px/1.45 system-ui,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif}\n"
    "main{max-width:1100px;margin:0 auto}\n"
    "h1{font-size:22px;margin:0}\n"
    "h2{font-size:16px;margin:24px 0 8px}\n"
    ".programs{margin:2px 0 16px;color:#475569;font-family:ui-monospace,\"DejaVu Sans Mono\","
    "monospace;font-size:13px;overflow-wrap:anywhere}\n"
    ".summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px;"
    "margin:0}\n"
    ".summary div{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:8px 12px}\n"
    "dt{font-size:11px;color:#64748b;text-transform:uppercase;letter-spacing:.05em}\n"
    "dd{margin:2px 0 0;font-weight:600;overflow-wrap:anywhere}\n"
    "dd small{display:block;font-weight:400;color:#475569}\n"
    ".time{white-space:nowrap}\n"
    ".pass{color:#15803d}.fail{color:#b91c1c}\n"
    ".note{margin:8px 0 0;color:#b45309}\n"
    "figure{margin:0;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px}\n"
    "svg{display:block;width:100%;height:auto;font-size:12px}\n"
    ".band{fill:var(--tier);fill-opacity:.07}\n"
    ".band-name{fill:var(--tier);font-weight:600;text-anchor:middle}\n"
    ".edge{stroke:#334155;stroke-width:1.5;stroke-dasharray:5 4}\n"
    ".frame{stroke:#cbd5e1;stroke-width:1}\n"
    ".tick{fill:#475569;text-anchor:middle}\n"
    ".label{fill:#0f172a;text-anchor:end;font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}\n"
    ".bar{fill:var(--tier)}\n"
    ".interval{stroke:#0f172a;stroke-width:1.5}\n"
    ".value{fill:#334155;font-variant-numeric:tabular-nums}\n"
    ".declared{fill:none;stroke:var(--tier);stroke-width:1.5;stroke-dasharray:3 2}\n"
    ".mark{fill:#475569}.mark.disagree{fill:#b45309;font-weight:600}\n"
    ".mark.misclassified{fill:#b91c1c;font-weight:600}\n"
    "figcaption{color:#475569;font-size:12px;margin-top:6px}\n"
    ".table-wrap{overflow-x:auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid #e2e8f0;text-align:left;white-space:nowrap}\n"
    "td.flags{white-space:normal}\n"
    "th{background:#f1f5f9;position:sticky;top:0}\n"
    "th button{all:unset;cursor:pointer;font-weight:600}\n"
    "th button:focus-visible{outline:2px solid #2563eb}\n"
    "th[aria-sort=ascending] button::after{content:\" \\25B2\"}\n"
    "th[aria-sort=descending] button::after{content:\" \\25BC\"}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".name{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}\n"
    ".tier::before{content:\"\";display:inline-block;width:10px;height:10px;border-radius:2px;"
    "margin-right:6px;background:var(--tier)}\n"
    "tr.misclassified td{background:#fef2f2}\n";

/* Sorts the table by the column whose header is clicked: ascending, then descending; numbers by
 * their data-key, text by its characters; ties keep the report order (data-order). */
static const char sort_script[] =
    "(function () {\n"
    "  var table = document.getElementById('ops');\n"
    "  if (!table) return;\n"
    "  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;\n"
    "  function key(row, col, numeric) {\n"
    "    var cell = row.cells[col];\n"
    "    return numeric ? Number(cell.getAttribute('data-key')) : cell.textContent;\n"
    "  }\n"
    "  Array.prototype.forEach.call(heads, function (th, col) {\n"
    "    th.querySelector('button').addEventListener('click', function () {\n"
    "      var numeric = th.getAttribute('data-type') === 'number';\n"
    "      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;\n"
    "      var rows = Array.prototype.slice.call(body.rows);\n"
    "      rows.sort(function (a, b) {\n"
    "        var x = key(a, col, numeric), y = key(b, col, numeric);\n"
    "        var d = numeric ? x - y : x < y ? -1 : x > y ? 1 : 0;\n"
    "        return d * dir || a.getAttribute('data-order') - b.getAttribute('data-order');\n"
    "      });\n"
    "      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });\n"
    "      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');\n"
    "      rows.forEach(function (row) { body.appendChild(row); });\n"
    "    });\n"
    "  });\n"
    "})();\n";

/* Writes text with &, <, >, " and ' as character references. */
static void html_write(FILE *out, const char *text) {
  for (const char *c = text; *c; c++)
    switch (*c) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    default: putc(*c, out);
    }
}

/* Writes text that the text report shows (already escaped as in a profile) as valid UTF-8,
 * HTML-escaped, and frees it. */
static void write_shown(FILE *out, char *shown) {
  char *repaired = utf8_repaired(shown);
  html_write(out, repaired);
  free(repaired);
  free(shown);
}

/* Writes a string from a profile as the text report shows it. */
static void write_profile_text(FILE *out, const char *raw) {
  write_shown(out, text_escaped(raw));
}

/* An op's name for the chart: as the table shows it, cut to LABEL_CHARS characters. */
static void write_label(FILE *out, const struct merged_op *op) {
  char *repaired = utf8_repaired(op->id.name);
  char *name = text_escaped(repaired);
  free(repaired);
  if (text_display_width(name) > LABEL_CHARS) {
    size_t kept = 0, at = 0; /* at: the first byte of character number kept */
    while (kept < LABEL_CHARS - 1)
      kept += (name[++at] & 0xc0) != 0x80;
    char *cut = xformat("%.*s\xe2\x80\xa6", (int)at, name);
    free(name);
    name = cut;
  }
  html_write(out, name);
  free(name);
  if (op->id.kind == ZAPH_KIND_REQUEST)
    fputs(" [request]", out);
}

static double hundredths_value(struct hundredths h) {
  return (double)h.whole + h.cents / 100.0;
}

static double x_at(double pct) {
  return PLOT_LEFT + PLOT_WIDTH * pct / 100;
}

static void write_tier_colours(FILE *out) {
  for (int t = TIER_NONE; t <= TIER_COLD; t++) {
    const struct tier_style *s = tier_style((enum recommended_tier)t);
    fprintf(out, ".tier-%s{--tier:%s}\n", s->name, s->css_colour);
  }
}

static void write_head(FILE *out, const struct merged_profiles *m) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>zaph-report: ",
        out);
  if (m->program_count == 1)
    write_profile_text(out, m->programs[0]);
  else
    fprintf(out, "%zu programs", m->program_count);
  fprintf(out, "</title>\n<style>\n%s", style_sheet);
  write_tier_colours(out);
  fputs("</style>\n</head>\n<body>\n<main>\n<h1>zaph tier report</h1>\n<p class=\"programs\">",
        out);
  for (size_t i = 0; i < m->program_count; i++) {
    fputs(i ? "<br>" : "", out);
    write_profile_text(out, m->programs[i]);
  }
  fputs("</p>\n", out);
}

/* Opens a summary item: <div><dt>title</dt><dd>. */
static void open_item(FILE *out, const char *title) {
  fprintf(out, "<div><dt>%s</dt><dd>", title);
}

static void write_sample_item(FILE *out, const struct classification *c) {
  const char *unit = denominator_unit(c);
  open_item(out, c->denominator_kind == DENOMINATOR_REQUESTS ? "Requests" : "Op entries");
  fprintf(out, "%llu<small class=\"%s\">", (unsigned long long)c->denominator,
          c->sufficient ? "pass" : "fail");
  if (c->sufficient)
    fprintf(out, "at least the minimum of %llu %s", (unsigned long long)c->min_requests, unit);
  else
    fprintf(out, "insufficient data: fewer than %llu %s, no tiers assigned",
            (unsigned long long)c->min_requests, unit);
  fputs("</small>", out);
  if (c->denominator_kind == DENOMINATOR_OP_ENTRIES)
    fputs("<small>no requests were marked: every op entry is a sample</small>", out);
  fputs("</dd></div>\n", out);
}

static void write_source_item(FILE *out, const struct merged_profiles *m,
                              const struct assessment *a) {
  open_item(out, "Data source");
  write_profile_text(out, a->effective_source);
  if (m->source_count > 1) {
    fputs("<small>the worst of ", out);
    for (size_t i = 0; i < m->source_count; i++) {
      fputs(i ? ", " : "", out);
      write_profile_text(out, m->sources[i]);
    }
    fputs("</small>", out);
  }
  if (a->source_acceptable)
    fputs("<small class=\"pass\">acceptable for tier assignment</small>", out);
  else
    fprintf(out, "<small class=\"fail\">not acceptable: ZAPH-DEC-04 accepts %s</small>",
            sources_accepted());
  fputs("</dd></div>\n", out);
}

static void write_period_items(FILE *out, const struct merged_profiles *m,
                               const struct assessment *a) {
  open_item(out, "Period");
  fprintf(out, "<span class=\"time\">%.10s</span> .. <span class=\"time\">%.10s</span><small>"
               "<span class=\"time\">%s</span> .. <span class=\"time\">%s</span>, %zu profile%s"
               "</small></dd></div>\n",
          m->start, m->end, m->start, m->end, m->profile_count, m->profile_count == 1 ? "" : "s");
  open_item(out, "Age");
  fprintf(out, "%ld days<small class=\"%s\">%s (maximum age %llu days)</small>"
               "<small>profiled %.10s, next review %.10s (%s)</small></dd></div>\n",
          a->age_days, a->stale ? "fail" : "pass", a->stale ? "stale" : "fresh",
          (unsigned long long)a->policy.max_age_days, m->end, a->next_review_at,
          POLICY_REVIEW_INTERVAL_NAME);
}

static void write_gate_item(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  size_t failing = assessment_failing_ops(view->assessment);
  open_item(out, "Gates");
  if (failing)
    fprintf(out, "<span class=\"fail\">%zu of %zu ops fail</span>", failing, c->op_count);
  else
    fprintf(out, "<span class=\"pass\">all %zu ops pass</span>", c->op_count);
  fprintf(out, "<small>confidence %s%%, minimum %llu, maximum age %llu days</small></dd></div>\n",
          view->confidence_text, (unsigned long long)c->min_requests,
          (unsigned long long)view->assessment->policy.max_age_days);
}

/* The thresholds loosened below the decision record, as the text header says them. */
static void write_policy_notes(FILE *out, const struct report_view *view) {
  const struct assessment *a = view->assessment;
  if (view->classification->min_requests_below_policy)
    fprintf(out, "<p class=\"note\">The minimum sample is below the %d requests ZAPH-DEC-04 "
                 "requires.</p>\n", POLICY_MIN_REQUESTS);
  if (a->confidence_below_policy)
    fprintf(out, "<p class=\"note\">The confidence %s%% is below the %d%% ZAPH-DEC-04 "
                 "requires.</p>\n", view->confidence_text, POLICY_CONFIDENCE_PCT);
  if (a->max_age_above_policy)
    fprintf(out, "<p class=\"note\">The maximum age is above the %d days ZAPH-DEC-04 "
                 "allows.</p>\n", POLICY_MAX_AGE_DAYS);
}

static void write_summary(FILE *out, const struct report_view *view) {
  fputs("<dl class=\"summary\">\n", out);
  write_sample_item(out, view->classification);
  write_source_item(out, view->merged, view->assessment);
  write_period_items(out, view->merged, view->assessment);
  write_gate_item(out, view);
  fputs("</dl>\n", out);
  write_policy_notes(out, view);
}

/* The tier bands, their names above them, and the 20% and 80% edges. */
static void write_chart_frame(FILE *out, int bottom) {
  static const struct {
    enum recommended_tier tier;
    int from, to;
  } bands[] = {{TIER_COLD, 0, POLICY_WARM_ABOVE_PCT},
               {TIER_WARM, POLICY_WARM_ABOVE_PCT, POLICY_HOT_ABOVE_PCT},
               {TIER_HOT, POLICY_HOT_ABOVE_PCT, 100}};
  for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
    double left = x_at(bands[i].from), right = x_at(bands[i].to);
    const char *name = tier_style(bands[i].tier)->name;
    fprintf(out, "<rect class=\"band tier-%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\"/>\n",
            name, left, CHART_TOP - 6, right - left, bottom - CHART_TOP + 6);
    fprintf(out, "<text class=\"band-name tier-%s\" x=\"%.2f\" y=\"%d\">%s</text>\n", name,
            (left + right) / 2, CHART_TOP - 14, tier_label(bands[i].tier));
  }
  fprintf(out, "<line class=\"frame\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT,
          CHART_TOP - 6, PLOT_LEFT, bottom);
  fprintf(out, "<line class=\"frame\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
          PLOT_LEFT + PLOT_WIDTH, CHART_TOP - 6, PLOT_LEFT + PLOT_WIDTH, bottom);
  const int edges[] = {POLICY_WARM_ABOVE_PCT, POLICY_HOT_ABOVE_PCT};
  for (size_t i = 0; i < 2; i++)
    fprintf(out, "<line class=\"edge\" id=\"edge-%d\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" "
                 "y2=\"%d\"/>\n", edges[i], x_at(edges[i]), CHART_TOP - 6, x_at(edges[i]), bottom);
  const int ticks[] = {0, POLICY_WARM_ABOVE_PCT, 50, POLICY_HOT_ABOVE_PCT, 100};
  for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++)
    fprintf(out, "<text class=\"tick\" x=\"%.2f\" y=\"%d\">%d%%</text>\n", x_at(ticks[i]),
            bottom + 16, ticks[i]);
}

/* What the row's tooltip says: name, place, frequency, interval, tier and flags. */
static void write_row_title(FILE *out, const struct classified_op *c, const struct op_assessment *a,
                            const struct report_view *view) {
  char frequency[HUNDREDTHS_TEXT_SIZE];
  const char *tier = tier_label(c->tier);
  fputs("<title>", out);
  write_shown(out, op_label(c->op));
  fprintf(out, ": %s%%", hundredths_text(frequency, c->has_frequency, c->frequency_pct, "-"));
  if (a->has_interval) {
    char *interval = interval_text(a);
    fprintf(out, ", %s%% CI %s", view->confidence_text, interval);
    free(interval);
  }
  fprintf(out, ", %s", tier ? tier : "no tier");
  char *flags = op_flags_text(a, c->op->declared_tier);
  if (*flags)
    fprintf(out, "; %s", flags);
  free(flags);
  fputs("</title>", out);
}

/* The declared tier, right of the frequency: plain when it agrees with the measured tier (or
 * there is none), marked when it disagrees, with the declared band outlined on the row; red
 * when the op is misclassified (the measured tier is confident), amber when it is not. */
static void write_declared(FILE *out, const struct merged_op *op, const struct op_assessment *a,
                           int y) {
  if (!op->declared_tier)
    return;
  enum recommended_tier declared = (enum recommended_tier)op->declared_tier;
  int disagrees = a->measured != TIER_NONE && a->measured != declared;
  if (disagrees) {
    int from = declared == TIER_HOT ? POLICY_HOT_ABOVE_PCT
               : declared == TIER_WARM ? POLICY_WARM_ABOVE_PCT : 0;
    int to = declared == TIER_HOT ? 100 : declared == TIER_WARM ? POLICY_HOT_ABOVE_PCT
                                                                : POLICY_WARM_ABOVE_PCT;
    fprintf(out, "<rect class=\"declared tier-%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
                 "height=\"%d\"/>", tier_style(declared)->name, x_at(from) + 1, y + 2,
            x_at(to) - x_at(from) - 2, ROW_HEIGHT - 4);
  }
  fprintf(out, "<text class=\"mark%s\" x=\"%d\" y=\"%d\">%sdeclared %u</text>",
          a->misclassified ? " misclassified" : disagrees ? " disagree" : "", MARK_LEFT,
          y + ROW_HEIGHT / 2 + 4, disagrees ? "\xe2\x89\xa0 " : "", op->declared_tier);
}

static void write_chart_row(FILE *out, size_t i, const struct report_view *view) {
  const struct classified_op *c = &view->classification->ops[i];
  const struct op_assessment *a = &view->assessment->ops[i];
  int y = CHART_TOP + (int)i * ROW_HEIGHT, middle = y + ROW_HEIGHT / 2;
  char frequency[HUNDREDTHS_TEXT_SIZE];
  fprintf(out, "<g class=\"op\" data-index=\"%zu\">", i);
  write_row_title(out, c, a, view);
  write_declared(out, c->op, a, y);
  fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%d\">", LABEL_RIGHT, middle + 4);
  write_label(out, c->op);
  fputs("</text>", out);
  if (c->has_frequency) {
    double pct = hundredths_value(c->frequency_pct);
    fprintf(out, "<rect class=\"bar tier-%s\" x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
                 "data-pct=\"%s\"/>",
            tier_style(c->tier)->name, PLOT_LEFT, middle - BAR_HEIGHT / 2, x_at(pct) - PLOT_LEFT,
            BAR_HEIGHT, hundredths_text(frequency, 1, c->frequency_pct, ""));
  }
  if (a->has_interval) {
    double low = x_at(a->low_pct), high = x_at(a->high_pct);
    fprintf(out, "<path class=\"interval\" d=\"M%.2f %dV%dM%.2f %dH%.2fM%.2f %dV%d\"/>", low,
            middle - 5, middle + 5, low, middle, high, high, middle - 5, middle + 5);
  }
  fprintf(out, "<text class=\"value\" x=\"%d\" y=\"%d\">%s%s</text>", VALUE_LEFT, middle + 4,
          hundredths_text(frequency, c->has_frequency, c->frequency_pct, "no sample"),
          c->has_frequency ? "%" : "");
  fputs("</g>\n", out);
}

static void write_chart(FILE *out, const struct report_view *view) {
  size_t count = view->classification->op_count;
  int bottom = CHART_TOP + (int)count * ROW_HEIGHT;
  fprintf(out, "<h2>Access frequency</h2>\n<figure>\n<svg id=\"chart\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"access frequency of "
               "%zu ops with their %s%% confidence intervals\">\n",
          CHART_WIDTH, bottom + AXIS_HEIGHT, CHART_WIDTH, bottom + AXIS_HEIGHT, count,
          view->confidence_text);
  write_chart_frame(out, bottom);
  for (size_t i = 0; i < count; i++)
    write_chart_row(out, i, view);
  fprintf(out, "</svg>\n<figcaption>Bars: %s, coloured by its recommended tier (grey: none). "
               "Whiskers: the %s%% Wilson score interval. Dashed lines: the tier edges at %d%% and "
               "%d%%. \xe2\x89\xa0 declared: the tier declared in the source differs from the "
               "measured one (its band outlined).</figcaption>\n</figure>\n",
          view->classification->denominator_kind == DENOMINATOR_REQUESTS
              ? "the share of requests that touch each op"
              : "each op's share of all op entries (no requests were marked)",
          view->confidence_text, POLICY_WARM_ABOVE_PCT, POLICY_HOT_ABOVE_PCT);
}

/* A header cell: a text column, a number column (right-aligned) or a column of words that sorts
 * by number (the tier); a number sorts by the cells' data-key. */
enum column_kind { COLUMN_TEXT, COLUMN_NUMBER, COLUMN_RANKED };

static void write_heading(FILE *out, const char *title, enum column_kind kind) {
  fprintf(out, "<th%s%s><button type=\"button\">%s</button></th>",
          kind == COLUMN_NUMBER ? " class=\"num\"" : "",
          kind != COLUMN_TEXT ? " data-type=\"number\"" : "", title);
}

/* A number cell: shown text and its sort key. */
static void write_number(FILE *out, const char *shown, const char *key) {
  fprintf(out, "<td class=\"num\" data-key=\"%s\">%s</td>", key, shown);
}

static void write_count(FILE *out, uint64_t value) {
  char text[24];
  snprintf(text, sizeof text, "%llu", (unsigned long long)value);
  write_number(out, text, text);
}

static void write_table_row(FILE *out, size_t i, const struct report_view *view) {
  const struct classified_op *c = &view->classification->ops[i];
  const struct op_assessment *a = &view->assessment->ops[i];
  const struct merged_op *op = c->op;
  const char *tier = tier_label(c->tier);
  char text[HUNDREDTHS_TEXT_SIZE], level[LEVEL_TEXT_SIZE];
  fprintf(out, "<tr data-order=\"%zu\"%s><td data-key=\"%d\"><span class=\"tier tier-%s\">%s"
               "</span></td>",
          i, a->misclassified ? " class=\"misclassified\"" : "", tier ? (int)c->tier : 9,
          tier_style(c->tier)->name, tier ? tier : "-");
  hundredths_text(text, c->has_frequency, c->frequency_pct, "-");
  write_number(out, text, c->has_frequency ? text : "-1");
  if (a->has_interval) {
    char *interval = interval_text(a), *key = xformat("%.4f", a->low_pct);
    write_number(out, interval, key);
    free(interval);
    free(key);
    char *shown = xformat("%s%%", level_text(level, a));
    write_number(out, shown, level);
    free(shown);
  } else {
    write_number(out, "-", "-1");
    write_number(out, "-", "-1");
  }
  snprintf(level, sizeof level, "%u", op->declared_tier);
  write_number(out, op->declared_tier ? level : "-", level);
  write_count(out, c->requests_touching);
  write_count(out, op->entries);
  hundredths_text(text, c->has_calls_per_request, c->calls_per_request, "-");
  write_number(out, text, c->has_calls_per_request ? text : "-1");
  fputs("<td class=\"name\">", out);
  write_shown(out, op_name_text(op));
  fputs("</td><td class=\"name\">", out);
  write_shown(out, op_location_text(op));
  fputs("</td><td class=\"flags\">", out);
  write_shown(out, op_flags_text(a, op->declared_tier));
  fputs("</td></tr>\n", out);
}

static void write_table(FILE *out, const struct report_view *view) {
  char *interval_title = xformat("%s%% CI", view->confidence_text);
  fputs("<h2>Ops</h2>\n<div class=\"table-wrap\">\n<table id=\"ops\">\n<thead><tr>", out);
  write_heading(out, "Tier", COLUMN_RANKED);
  write_heading(out, "Freq %", COLUMN_NUMBER);
  write_heading(out, interval_title, COLUMN_NUMBER);
  write_heading(out, "Conf", COLUMN_NUMBER);
  write_heading(out, "Decl", COLUMN_NUMBER);
  write_heading(out, "Requests", COLUMN_NUMBER);
  write_heading(out, "Accesses", COLUMN_NUMBER);
  write_heading(out, "Calls/req", COLUMN_NUMBER);
  write_heading(out, "Op", COLUMN_TEXT);
  write_heading(out, "Location", COLUMN_TEXT);
  write_heading(out, "Flags", COLUMN_TEXT);
  fputs("</tr></thead>\n<tbody>\n", out);
  for (size_t i = 0; i < view->classification->op_count; i++)
    write_table_row(out, i, view);
  fputs("</tbody>\n</table>\n</div>\n", out);
  free(interval_title);
}

/* The latency table, when an op is timed: one row per timed op in report order
 * (docs/latency.md). */
static void write_latency(FILE *out, const struct report_view *view) {
  const struct classification *c = view->classification;
  size_t timed = 0;
  for (size_t i = 0; i < c->op_count; i++)
    timed += c->ops[i].op->timing != NULL;
  if (!timed)
    return;
  static const char *const quantile_titles[] = {
#define LATENCY_TITLE(name, q, title) title,
      LATENCY_QUANTILES(LATENCY_TITLE)
#undef LATENCY_TITLE
  };
  fprintf(out, "<h2>Latency</h2>\n<p>Sampled entries; each percentile with its %s%% interval "
               "from order statistics.</p>\n<div class=\"table-wrap\">\n<table id=\"latency\">\n"
               "<thead><tr>",
          view->confidence_text);
  static const char *const titles[] = {"Op", "Samples", "Every", "Unfinished", "Mean"};
  for (size_t t = 0; t < sizeof titles / sizeof titles[0]; t++)
    fprintf(out, "<th%s>%s</th>", t ? " class=\"num\"" : "", titles[t]);
  for (int q = 0; q < LATENCY_QUANTILE_COUNT; q++)
    fprintf(out, "<th class=\"num\">%s</th>", quantile_titles[q]);
  fputs("<th class=\"num\">Max</th><th class=\"num\">Target</th><th>P99 vs target</th>"
        "</tr></thead>\n<tbody>\n", out);
  for (size_t i = 0; i < c->op_count; i++) {
    const struct op_timing *t = c->ops[i].op->timing;
    const struct latency_summary *s = &view->assessment->ops[i].latency;
    if (!t)
      continue;
    fputs("<tr><td class=\"name\">", out);
    write_shown(out, op_name_text(c->ops[i].op));
    fprintf(out, "</td><td class=\"num\">%llu</td><td class=\"num\">", (unsigned long long)s->samples);
    if (t->every)
      fprintf(out, "%llu", (unsigned long long)t->every);
    else
      fputs("mixed", out);
    fprintf(out, "</td><td class=\"num\">%llu</td>", (unsigned long long)s->unfinished);
    char *cell = s->samples ? duration_text(s->mean) : xstrdup("-");
    fprintf(out, "<td class=\"num\">%s</td>", cell);
    free(cell);
    for (int q = 0; q < LATENCY_QUANTILE_COUNT; q++) {
      cell = s->samples ? quantile_text(&s->quantiles[q], 1) : xstrdup("-");
      fprintf(out, "<td class=\"num\">%s</td>", cell);
      free(cell);
    }
    cell = s->samples ? duration_text((double)t->max) : xstrdup("-");
    fprintf(out, "<td class=\"num\">%s</td>", cell);
    free(cell);
    cell = t->target ? duration_text((double)t->target) : xstrdup("-");
    fprintf(out, "<td class=\"num\">%s</td><td>%s</td></tr>\n", cell,
            t->target ? latency_verdict_text(s->p99_verdict) : "-");
    free(cell);
  }
  fputs("</tbody>\n</table>\n</div>\n", out);
}

void output_html(FILE *out, const struct report_view *view) {
  write_head(out, view->merged);
  write_summary(out, view);
  if (view->classification->op_count == 0) {
    fputs("<p class=\"empty\">No ops were recorded.</p>\n", out);
  } else {
    write_chart(out, view);
    write_table(out, view);
    write_latency(out, view);
    fprintf(out, "<script>\n%s</script>\n", sort_script);
  }
  fputs("</main>\n</body>\n</html>\n", out);
}
