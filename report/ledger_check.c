/* check --ledger and ledger: the ledger held against the build's profiles and the calendar. In
 * check each failure is one "FAIL <op>: <reason>" line, the gates' reasons first (check.c), then
 * the ledger's; the state is counts, the reviews due, and the decision record's two measures,
 * the reassignment rate and the classification accuracy of declared tiers. */
#include "ledger.h"

#include "calendar.h"
#include "check.h"
#include "json_string.h"
#include "output.h"
#include "report_exit.h"
#include "text_table.h"
#include "xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The ledger's own reasons; one bit each, in the order check lists them. */
enum ledger_flag {
  LEDGER_UNRECORDED = 1 << 0,       /* an op of the profiles without an entry */
  LEDGER_REVIEW_DUE = 1 << 1,       /* the entry's review date has passed */
  LEDGER_DECLARED_DIFFERS = 1 << 2, /* the source declares another tier than the ledger's */
  LEDGER_MEASURED_DIFFERS = 1 << 3, /* the profiles measure another tier than the ledger's */
  LEDGER_UNASSIGNED = 1 << 4,       /* --deploy: the op has no tier assignment */
};

/* Reasons that block a deploy: exit REPORT_EXIT_UNASSIGNED rather than the gate's. */
#define LEDGER_DEPLOY_FLAGS (LEDGER_UNRECORDED | LEDGER_UNASSIGNED)

static const char unassigned_label[] = "Unassigned - Profiling";

const char *ledger_state_label(const struct zaph_ledger_assignment *a) {
  if (a->status == ZAPH_LEDGER_ASSIGNED && a->tier >= 1 && a->tier <= 3)
    return tier_label((enum recommended_tier)a->tier);
  return unassigned_label;
}

char *ledger_entry_label(const struct zaph_ledger_entry *e) {
  char *name = text_escaped(e->name), *file = text_escaped(e->file);
  char *label = xformat("%s%s (%s:%u)", name, e->kind == ZAPH_KIND_REQUEST ? " [request]" : "",
                        file, e->line);
  free(name);
  free(file);
  return label;
}

char *ledger_reasons_text(const struct zaph_ledger_assignment *a) {
  char *text = xstrdup("");
  for (size_t i = 0; i < a->reason_count; i++) {
    char *joined = xformat("%s%s%s", text, i ? ", " : "", a->reasons[i]);
    free(text);
    text = joined;
  }
  return text;
}

/* The day of an entry's review, or LONG_MAX when it has none. */
static long review_day(const struct zaph_ledger_entry *e) {
  long day;
  return e->review[0] && calendar_parse(e->review, &day) == 0 ? day : LONG_MAX;
}

static int review_due(const struct zaph_ledger_entry *e, long now_day) {
  return e->current.status == ZAPH_LEDGER_ASSIGNED && now_day > review_day(e);
}

/* The entry of op i, each entry matched to one op at most; used marks the entries taken. */
static const struct zaph_ledger_entry *entry_of(const struct zaph_ledger *ledger,
                                                const struct analysis *an, size_t i,
                                                unsigned char *used) {
  const struct zaph_ledger_entry *e = ledger_find_op(ledger, &an->classification.ops[i].op->id);
  if (!e || used[e - ledger->entries]++)
    return NULL;
  return e;
}

/* The ledger flags of an entry (NULL: the op has none), op_index into the analysis or SIZE_MAX
 * for an entry checked without profiles. */
static unsigned ledger_flags(const struct zaph_ledger_entry *e, const struct analysis *an,
                             size_t i, long now_day, int deploy) {
  if (!e)
    return LEDGER_UNRECORDED;
  unsigned flags = 0;
  int assigned = e->current.status == ZAPH_LEDGER_ASSIGNED;
  if (review_due(e, now_day))
    flags |= LEDGER_REVIEW_DUE;
  if (an && i != SIZE_MAX) {
    unsigned declared = an->classification.ops[i].op->declared_tier;
    if (declared && (!assigned || declared != e->current.tier))
      flags |= LEDGER_DECLARED_DIFFERS;
    if (assigned && ledger_data_passes(an, i) &&
        (unsigned)an->assessment.ops[i].measured != e->current.tier)
      flags |= LEDGER_MEASURED_DIFFERS;
  }
  if (deploy && !assigned)
    flags |= LEDGER_UNASSIGNED;
  return flags;
}

static char *ledger_reason(unsigned flag, const struct zaph_ledger_entry *e,
                           const struct analysis *an, size_t i, const char *ledger_path,
                           long now_day) {
  char level[LEVEL_TEXT_SIZE];
  switch (flag) {
  case LEDGER_UNRECORDED:
    return xformat("no entry in the ledger %s: a new op (zaph-report assign records it)",
                   ledger_path);
  case LEDGER_REVIEW_DUE:
  {
    long late = now_day - review_day(e);
    return xformat("review due: the %s review was due %s, %ld %s ago (assigned %s)",
                   POLICY_REVIEW_INTERVAL_NAME, e->review, late, late == 1 ? "day" : "days",
                   e->current.assigned);
  }
  case LEDGER_DECLARED_DIFFERS:
    return xformat("declared %s in the source, the ledger has %s",
                   tier_label((enum recommended_tier)an->classification.ops[i].op->declared_tier),
                   ledger_state_label(&e->current));
  case LEDGER_MEASURED_DIFFERS:
    return xformat("measured %s at %s%% confidence, the ledger assigns %s: a tier change needs "
                   "re-profiling approval (zaph-report assign --approve TEXT)",
                   tier_label(an->assessment.ops[i].measured),
                   level_text(level, &an->assessment.ops[i]), ledger_state_label(&e->current));
  case LEDGER_UNASSIGNED: {
    char *reasons = ledger_reasons_text(&e->current);
    char *reason = xformat("no tier assignment: %s (%s); operations cannot reach production "
                           "without tier assignment", unassigned_label, reasons);
    free(reasons);
    return reason;
  }
  }
  return xstrdup("");
}

static const char *const ledger_flag_names[] = {"unrecorded", "review-due", "declared-differs",
                                                "measured-differs", "unassigned"};

/* Where check --ledger's failures go: "FAIL OP: REASON" lines, or the objects of the JSON
 * "failures" array (into a memory stream, written after the counts). */
struct failure_sink {
  FILE *out;
  int json;
  const struct zaph_identity *id; /* the op whose reasons come next */
  const char *label;
  int pending; /* its object is not open yet */
  size_t objects;
};

static void sink_op(struct failure_sink *s, const struct zaph_identity *id, const char *label) {
  s->id = id;
  s->label = label;
  s->pending = 1;
}

static void sink_reason(struct failure_sink *s, const char *flag, const char *message) {
  if (!s->json) {
    fprintf(s->out, "FAIL %s: %s\n", s->label, message);
    return;
  }
  if (s->pending) {
    fputs(s->objects++ ? "]},\n    {" : "\n    {", s->out);
    json_write_identity(s->out, s->id, ", ");
    fprintf(s->out, ", \"kind\": \"%s\",\n     \"reasons\": [", zaph_kind_name(s->id->kind));
  }
  fprintf(s->out, "%s\n       {\"flag\": \"%s\", \"message\": ", s->pending ? "" : ",", flag);
  json_write_string(s->out, message);
  putc('}', s->out);
  s->pending = 0;
}

static void write_ledger_failures(struct failure_sink *sink, unsigned flags,
                                  const struct zaph_ledger_entry *e, const struct analysis *an,
                                  size_t i, const char *ledger_path, long now_day) {
  for (int bit = 0; (1u << bit) <= LEDGER_UNASSIGNED; bit++)
    if (flags & (1u << bit)) {
      char *reason = ledger_reason(1u << bit, e, an, i, ledger_path, now_day);
      sink_reason(sink, ledger_flag_names[bit], reason);
      free(reason);
    }
}

static void write_verdict_text(FILE *out, const struct analysis *an, const char *path,
                               const char *today, size_t failing, size_t ops, int deploy,
                               size_t blocked) {
  if (an) {
    char *notes[3];
    size_t note_count = check_policy_notes(&an->view, notes);
    for (size_t i = 0; i < note_count; i++) {
      fprintf(out, "note: %s\n", notes[i]);
      free(notes[i]);
    }
  }
  if (failing)
    fprintf(out, "check: FAILED: %zu of %zu ops fail", failing, ops);
  else
    fprintf(out, "check: passed: all %zu ops pass", ops);
  fprintf(out, " (ledger %s, reviews as of %s", path, today);
  if (an)
    fprintf(out, "; confidence %s%%, minimum %llu, maximum age %llu days", an->confidence_text,
            (unsigned long long)an->classification.min_requests,
            (unsigned long long)an->assessment.policy.max_age_days);
  fputs(")\n", out);
  if (deploy && blocked)
    fprintf(out, "deploy: BLOCKED: %zu %s no tier assignment; operations cannot reach "
                 "production without tier assignment\n", blocked, blocked == 1 ? "op has" : "ops have");
  else if (deploy)
    fputs("deploy: every op has a tier assignment\n", out);
}

static void write_verdict_json(FILE *out, const struct analysis *an, const char *path,
                               const char *today, size_t failing, size_t ops, int deploy,
                               size_t blocked, const char *failures) {
  fprintf(out, "{\n  \"schema\": \"zaph-report-check-ledger/1\",\n  \"passed\": %s,\n",
          failing ? "false" : "true");
  fputs("  \"ledger\": ", out);
  json_write_string(out, path);
  fprintf(out, ",\n  \"reviews_as_of\": \"%s\",\n  \"ops\": %zu,\n  \"failing\": %zu,\n",
          today, ops, failing);
  if (deploy)
    fprintf(out, "  \"deploy\": {\"blocked\": %zu},\n", blocked);
  else
    fputs("  \"deploy\": null,\n", out);
  fputs("  \"notes\": [", out);
  if (an) {
    char *notes[3];
    size_t note_count = check_policy_notes(&an->view, notes);
    for (size_t i = 0; i < note_count; i++) {
      fputs(i ? ", " : "", out);
      json_write_string(out, notes[i]);
      free(notes[i]);
    }
  }
  fprintf(out, "],\n  \"failures\": [%s%s\n}\n", failures, *failures ? "]}\n  ]" : "]");
}

int ledger_check(FILE *out, const struct analysis *an, const struct zaph_ledger *ledger,
                 long now_day, int deploy, int json) {
  size_t failing = 0, ops = 0, blocked = 0, failures_length = 0;
  char *failures = NULL;
  struct failure_sink sink = {out, json, NULL, NULL, 0, 0};
  if (json && !(sink.out = open_memstream(&failures, &failures_length)))
    out_of_memory();
  unsigned char *used = xcalloc(ledger->entry_count + 1, 1);
  char *path = text_escaped(ledger->path);
  for (size_t i = 0; an && i < an->classification.op_count; i++, ops++) {
    const struct zaph_ledger_entry *e = entry_of(ledger, an, i, used);
    unsigned gate = an->assessment.ops[i].flags, flags = ledger_flags(e, an, i, now_day, deploy);
    char *label = op_label(an->classification.ops[i].op);
    sink_op(&sink, &an->classification.ops[i].op->id, label);
    for (int f = 0; f < OP_FLAG_COUNT; f++)
      if (gate & (1u << f)) {
        char *reason = check_reason(&an->view, i, f);
        sink_reason(&sink, op_flag_name(f), reason);
        free(reason);
      }
    write_ledger_failures(&sink, flags, e, an, i, path, now_day);
    failing += gate || flags;
    blocked += (flags & LEDGER_DEPLOY_FLAGS) != 0;
    free(label);
  }
  /* Entries of ops the profiles do not have: their reviews; without profiles, every entry is
   * the build's, and --deploy needs each assigned. */
  for (size_t i = 0; i < ledger->entry_count; i++) {
    const struct zaph_ledger_entry *e = &ledger->entries[i];
    if (used[i])
      continue;
    ops++;
    unsigned flags = ledger_flags(e, NULL, SIZE_MAX, now_day, deploy && !an);
    char *label = ledger_entry_label(e);
    struct zaph_identity id = {e->name, e->file, e->line, e->kind};
    sink_op(&sink, &id, label);
    write_ledger_failures(&sink, flags, e, NULL, SIZE_MAX, path, now_day);
    failing += flags != 0;
    blocked += (flags & LEDGER_DEPLOY_FLAGS) != 0;
    free(label);
  }
  free(used);
  char today[CALENDAR_DATE_SIZE];
  calendar_format(now_day, today);
  if (json) {
    if (fclose(sink.out) != 0)
      out_of_memory();
    write_verdict_json(out, an, ledger->path, today, failing, ops, deploy, blocked, failures);
    free(failures);
  } else {
    write_verdict_text(out, an, path, today, failing, ops, deploy, blocked);
  }
  free(path);
  if (deploy && blocked)
    return REPORT_EXIT_UNASSIGNED;
  return failing ? REPORT_EXIT_CHECK_FAILED : REPORT_EXIT_SUCCESS;
}

/* The decision record's measures over the ledger (and the profiles' declared tiers). */
struct ledger_measures {
  size_t per_tier[4]; /* [0] unassigned */
  size_t due;
  size_t changes, ever_assigned;
  size_t declared, agreeing;
};

static void measure_ledger(struct ledger_measures *m, const struct zaph_ledger *ledger,
                           const struct analysis *an, long now_day) {
  memset(m, 0, sizeof *m);
  for (size_t i = 0; i < ledger->entry_count; i++) {
    const struct zaph_ledger_entry *e = &ledger->entries[i];
    int assigned = e->current.status == ZAPH_LEDGER_ASSIGNED;
    m->per_tier[assigned && e->current.tier <= 3 ? e->current.tier : 0]++;
    m->due += review_due(e, now_day);
    /* Tier changes: consecutive assignments, oldest first, of different tiers. */
    unsigned last = 0;
    for (size_t h = 0; h <= e->history_count; h++) {
      const struct zaph_ledger_assignment *a = h < e->history_count ? &e->history[h] : &e->current;
      if (a->status != ZAPH_LEDGER_ASSIGNED)
        continue;
      m->changes += last && a->tier != last;
      last = a->tier;
    }
    m->ever_assigned += last != 0;
  }
  if (!an)
    return;
  unsigned char *used = xcalloc(ledger->entry_count + 1, 1);
  for (size_t i = 0; i < an->classification.op_count; i++) {
    const struct zaph_ledger_entry *e = entry_of(ledger, an, i, used);
    unsigned declared = an->classification.ops[i].op->declared_tier;
    if (!e || !declared || e->current.status != ZAPH_LEDGER_ASSIGNED)
      continue;
    m->declared++;
    m->agreeing += declared == e->current.tier;
  }
  free(used);
}

static void write_state_text(FILE *out, const struct zaph_ledger *ledger,
                             const struct ledger_measures *m, const struct analysis *an,
                             long now_day) {
  char today[CALENDAR_DATE_SIZE];
  calendar_format(now_day, today);
  char *path = text_escaped(ledger->path);
  fprintf(out, "ledger %s: %zu ops, %zu assigned, %zu unassigned\n\n", path, ledger->entry_count,
          ledger->entry_count - m->per_tier[0], m->per_tier[0]);
  free(path);
  static const struct text_column columns[] = {{"TIER", 0, 0}, {"OPS", 1, 0}};
  char *cells[8];
  for (unsigned t = 1; t <= 4; t++) {
    unsigned tier = t % 4; /* Tier 1, 2, 3, then unassigned */
    cells[(t - 1) * 2] =
        xstrdup(tier ? tier_label((enum recommended_tier)tier) : unassigned_label);
    cells[(t - 1) * 2 + 1] = xformat("%zu", m->per_tier[tier]);
  }
  text_table_print(out, columns, 2, cells, 4);
  for (size_t i = 0; i < 8; i++)
    free(cells[i]);
  fprintf(out, "\ndue for review as of %s: %zu\n", today, m->due);
  for (size_t i = 0; i < ledger->entry_count; i++) {
    const struct zaph_ledger_entry *e = &ledger->entries[i];
    if (!review_due(e, now_day))
      continue;
    char *label = ledger_entry_label(e);
    fprintf(out, "  %s: %s, review %s, assigned %s\n", label, ledger_state_label(&e->current),
            e->review, e->current.assigned);
    free(label);
  }
  fputs("reassignment rate: ", out);
  if (m->ever_assigned)
    fprintf(out, "%zu tier changes over %zu ops assigned, %.2f%% (ZAPH-DEC-04: below %d%%)\n",
            m->changes, m->ever_assigned, 100.0 * (double)m->changes / (double)m->ever_assigned,
            POLICY_MAX_REASSIGNMENT_PCT);
  else
    fputs("no op assigned yet\n", out);
  fputs("classification accuracy: ", out);
  if (m->declared)
    fprintf(out, "%zu of %zu declared tiers agree with the ledger, %.2f%% (ZAPH-DEC-04: %d%% or "
                 "more)\n",
            m->agreeing, m->declared, 100.0 * (double)m->agreeing / (double)m->declared,
            POLICY_MIN_ACCURACY_PCT);
  else if (an)
    fputs("no op of the profiles declares a tier that the ledger assigns\n", out);
  else
    fputs("no declared tiers to compare (give the build's PROFILEs)\n", out);
}

static void write_rate(FILE *out, const char *key, size_t part, size_t whole) {
  fprintf(out, "  \"%s\": ", key);
  if (whole)
    fprintf(out, "%.2f,\n", 100.0 * (double)part / (double)whole);
  else
    fputs("null,\n", out);
}

static void write_state_json(FILE *out, const struct zaph_ledger *ledger,
                             const struct ledger_measures *m, long now_day) {
  char today[CALENDAR_DATE_SIZE];
  calendar_format(now_day, today);
  fputs("{\n  \"schema\": \"zaph-report-ledger/1\",\n  \"ledger\": ", out);
  json_write_string(out, ledger->path);
  fprintf(out, ",\n  \"reviews_as_of\": \"%s\",\n  \"ops\": %zu,\n", today, ledger->entry_count);
  fprintf(out, "  \"tiers\": {\"1\": %zu, \"2\": %zu, \"3\": %zu, \"unassigned\": %zu},\n",
          m->per_tier[1], m->per_tier[2], m->per_tier[3], m->per_tier[0]);
  fputs("  \"due_for_review\": [", out);
  for (size_t i = 0, first = 1; i < ledger->entry_count; i++) {
    const struct zaph_ledger_entry *e = &ledger->entries[i];
    if (!review_due(e, now_day))
      continue;
    struct zaph_identity id = {e->name, e->file, e->line, e->kind};
    fputs(first ? "\n    {" : ",\n    {", out);
    json_write_identity(out, &id, ", ");
    fprintf(out, ", \"tier\": %u, \"review\": \"%s\"}", e->current.tier, e->review);
    first = 0;
  }
  fputs(m->due ? "\n  ],\n" : "],\n", out);
  fprintf(out, "  \"tier_changes\": %zu,\n  \"ops_assigned\": %zu,\n", m->changes,
          m->ever_assigned);
  write_rate(out, "reassignment_rate_pct", m->changes, m->ever_assigned);
  fprintf(out, "  \"declared_compared\": %zu,\n  \"declared_agreeing\": %zu,\n", m->declared,
          m->agreeing);
  write_rate(out, "classification_accuracy_pct", m->agreeing, m->declared);
  fprintf(out, "  \"policy\": {\"max_reassignment_rate_pct\": %d, \"min_accuracy_pct\": %d}\n}\n",
          POLICY_MAX_REASSIGNMENT_PCT, POLICY_MIN_ACCURACY_PCT);
}

void ledger_state(FILE *out, const struct zaph_ledger *ledger, const struct analysis *an,
                  long now_day, int json) {
  struct ledger_measures m;
  measure_ledger(&m, ledger, an, now_day);
  if (json)
    write_state_json(out, ledger, &m, now_day);
  else
    write_state_text(out, ledger, &m, an, now_day);
}

/* Whether some op of c has exactly the identity id. */
static int has_identity(const struct classification *c, const struct zaph_identity *id) {
  for (size_t i = 0; i < c->op_count; i++)
    if (zaph_identity_equal(&c->ops[i].op->id, id))
      return 1;
  return 0;
}

void ledger_pair_renames(const struct zaph_ledger *ledger, const struct classification *oc,
                         const struct classification *nc, const struct classified_op **old_of) {
  for (size_t i = 0; i < nc->op_count; i++) {
    const struct zaph_identity *id = &nc->ops[i].op->id;
    const struct zaph_ledger_entry *e = ledger_find_op(ledger, id);
    if (old_of[i] || !e || !e->previous_name_count || has_identity(oc, id))
      continue;
    const struct classified_op *found = NULL;
    size_t candidates = 0;
    for (size_t j = 0; j < oc->op_count; j++) {
      const struct zaph_identity *old = &oc->ops[j].op->id;
      if (strcmp(old->name, id->name) != 0 && ledger_find_op(ledger, old) == e &&
          !has_identity(nc, old)) {
        found = &oc->ops[j];
        candidates++;
      }
    }
    if (candidates == 1)
      old_of[i] = found;
  }
}
