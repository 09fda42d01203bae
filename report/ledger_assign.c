/* assign: each op of the analysis against its ledger entry (zaph_ledger_find: same name or a
 * previous one, same file by trailing components). An op whose data passes every data gate gets
 * its measured tier; one that fails is "Unassigned - Profiling" with the gates' names, unless it
 * already has a tier, which bad data never takes away. A tier that differs from the ledger's is
 * recorded only with --approve, the old assignment moving to the history. Entries of ops not in
 * the profiles are kept as they are. */
#include "ledger.h"

#include "calendar.h"
#include "confidence.h"
#include "ledger_write.h"
#include "output.h"
#include "text_table.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct zaph_ledger *ledger_load(const char *path, int missing_ok, char **error) {
  char message[1024];
  struct stat st;
  struct zaph_ledger *ledger;
  *error = NULL;
  if (missing_ok && stat(path, &st) != 0 && errno == ENOENT) {
    static const char empty[] = "zaph_ledger = 1\n";
    ledger = zaph_ledger_parse(path, empty, sizeof empty - 1, message, sizeof message);
  } else {
    ledger = zaph_ledger_read(path, message, sizeof message);
  }
  if (!ledger)
    *error = xstrdup(message);
  return ledger;
}

/* The ledger assign writes: copies of the old entries, changed in place, and the new ones. */
struct built_ledger {
  struct zaph_ledger ledger;
  size_t capacity;
};

static char **copy_strings(char *const *strings, size_t count) {
  char **copy = xcalloc(count + 1, sizeof *copy);
  for (size_t i = 0; i < count; i++)
    copy[i] = xstrdup(strings[i]);
  return copy;
}

static void free_strings(char **strings, size_t count) {
  for (size_t i = 0; strings && i < count; i++)
    free(strings[i]);
  free(strings);
}

static void copy_assignment(struct zaph_ledger_assignment *to,
                            const struct zaph_ledger_assignment *from) {
  *to = *from;
  to->source = xstrdup(from->source ? from->source : "");
  to->approved_by = xstrdup(from->approved_by ? from->approved_by : "");
  to->reasons = copy_strings(from->reasons, from->reason_count);
}

static void free_assignment(struct zaph_ledger_assignment *a) {
  free(a->source);
  free(a->approved_by);
  free_strings(a->reasons, a->reason_count);
  memset(a, 0, sizeof *a);
}

static struct zaph_ledger_entry *add_entry(struct built_ledger *b) {
  if (b->ledger.entry_count == b->capacity) {
    b->capacity = b->capacity ? b->capacity * 2 : 16;
    b->ledger.entries = xreallocarray(b->ledger.entries, b->capacity, sizeof *b->ledger.entries);
  }
  struct zaph_ledger_entry *e = &b->ledger.entries[b->ledger.entry_count++];
  memset(e, 0, sizeof *e);
  return e;
}

static void copy_entry(struct zaph_ledger_entry *to, const struct zaph_ledger_entry *from) {
  *to = *from;
  to->name = xstrdup(from->name);
  to->file = xstrdup(from->file);
  to->previous_names = copy_strings(from->previous_names, from->previous_name_count);
  copy_assignment(&to->current, &from->current);
  to->history = xcalloc(from->history_count + 1, sizeof *to->history);
  for (size_t i = 0; i < from->history_count; i++)
    copy_assignment(&to->history[i], &from->history[i]);
}

static void built_free(struct built_ledger *b) {
  for (size_t i = 0; i < b->ledger.entry_count; i++) {
    struct zaph_ledger_entry *e = &b->ledger.entries[i];
    free(e->name);
    free(e->file);
    free_strings(e->previous_names, e->previous_name_count);
    free_assignment(&e->current);
    for (size_t h = 0; h < e->history_count; h++)
      free_assignment(&e->history[h]);
    free(e->history);
  }
  free(b->ledger.entries);
}

/* A value as the reports round it, read back from that text, so that the number written and the
 * number read again are one double. */
static double decimal(double value, int digits) {
  char text[64];
  snprintf(text, sizeof text, "%.*f", digits, value);
  return strtod(text, NULL);
}

/* The op's file as the entry records it: relative to the ledger's directory when the profile
 * names it by an absolute path inside that directory, else as the profile names it. */
static char *entry_file(const char *file, const char *ledger_path) {
  if (file[0] != '/')
    return xstrdup(file);
  const char *slash = strrchr(ledger_path, '/');
  char *directory = slash ? xformat("%.*s", (int)(slash - ledger_path), ledger_path)
                          : xstrdup(".");
  char *real = realpath(*directory ? directory : "/", NULL);
  free(directory);
  char *result = NULL;
  size_t len = real ? strlen(real) : 0;
  if (real && strncmp(file, real, len) == 0 && file[len] == '/')
    result = xstrdup(file + len + 1);
  free(real);
  return result ? result : xstrdup(file);
}

const struct zaph_ledger_entry *ledger_find_op(const struct zaph_ledger *ledger,
                                               const struct zaph_identity *id) {
  /* A profile's line is at most ZAPH_PROFILE_MAX_LINE_NUMBER, which an unsigned holds. */
  return zaph_ledger_find(ledger, id->name, id->file, (unsigned)id->line, id->kind);
}

int ledger_data_passes(const struct analysis *an, size_t i) {
  const struct op_assessment *a = &an->assessment.ops[i];
  return !(a->flags & LEDGER_DATA_FLAGS) && a->confident && a->measured != TIER_NONE;
}

/* Fills a with op i's data and state as of today. */
static void measure(struct zaph_ledger_assignment *a, const struct analysis *an, size_t i,
                    const char *today, const char *approve) {
  const struct classified_op *op = &an->classification.ops[i];
  const struct op_assessment *oa = &an->assessment.ops[i];
  char frequency[HUNDREDTHS_TEXT_SIZE];
  memset(a, 0, sizeof *a);
  a->status = ledger_data_passes(an, i) ? ZAPH_LEDGER_ASSIGNED : ZAPH_LEDGER_UNASSIGNED;
  a->tier = a->status == ZAPH_LEDGER_ASSIGNED ? (unsigned)oa->measured : 0;
  snprintf(a->assigned, sizeof a->assigned, "%s", today);
  snprintf(a->period_start, sizeof a->period_start, "%s", an->merged.start);
  snprintf(a->period_end, sizeof a->period_end, "%s", an->merged.end);
  a->requests = an->classification.denominator;
  a->requests_touching = op->requests_touching;
  a->frequency_pct = strtod(hundredths_text(frequency, op->has_frequency, op->frequency_pct, "0"),
                            NULL);
  if (oa->has_interval) {
    a->interval_low_pct = decimal(oa->low_pct, 2);
    a->interval_high_pct = decimal(oa->high_pct, 2);
    a->confidence_pct = decimal(level_shown(oa->level_pct), 1);
  }
  a->source = xstrdup(an->assessment.effective_source);
  a->approved_by = xstrdup(approve ? approve : "");
  if (a->status == ZAPH_LEDGER_UNASSIGNED) {
    a->reasons = xcalloc(OP_FLAG_COUNT + 1, sizeof *a->reasons);
    for (int f = 0; f < OP_FLAG_COUNT; f++)
      if (oa->flags & LEDGER_DATA_FLAGS & (1u << f))
        a->reasons[a->reason_count++] = xstrdup(op_flag_name(f));
  }
}

/* A re-measurement that records no new state keeps the day of the old one and its approval. */
static void keep_record(struct zaph_ledger_assignment *now,
                        const struct zaph_ledger_assignment *old) {
  memcpy(now->assigned, old->assigned, sizeof now->assigned);
  free(now->approved_by);
  now->approved_by = xstrdup(old->approved_by ? old->approved_by : "");
}

/* A quarter after the profiling date, as doc's Next Review, and never before the day the
 * assignment is recorded (data older than a quarter passes the gates only under a loosened
 * --max-age). */
static void set_review(struct zaph_ledger_entry *e, const struct analysis *an) {
  long review = an->assessment.review_day, today = an->assessment.policy.now_day;
  if (e->current.status == ZAPH_LEDGER_ASSIGNED)
    calendar_format(review > today ? review : today, e->review);
  else
    e->review[0] = '\0';
}

enum outcome { ASSIGNED, UNASSIGNED, CONFIRMED, CHANGED, REFUSED, KEPT };

/* One op against its entry (NULL for none); says what it did on out. */
static enum outcome assign_op(FILE *out, struct built_ledger *b, struct zaph_ledger_entry *e,
                              const struct analysis *an, size_t i, const char *today,
                              const char *approve, const char *ledger_path) {
  const struct merged_op *op = an->classification.ops[i].op;
  struct zaph_ledger_assignment now;
  measure(&now, an, i, today, approve);
  enum outcome outcome;
  char *label = op_label(op);
  char *reasons = ledger_reasons_text(&now);
  const char *measured = tier_label(an->assessment.ops[i].measured);
  if (!e || e->current.status == ZAPH_LEDGER_UNASSIGNED) {
    if (!e) {
      e = add_entry(b);
      e->name = xstrdup(op->id.name);
      e->file = entry_file(op->id.file, ledger_path);
      e->kind = op->id.kind;
      e->previous_names = xcalloc(1, sizeof *e->previous_names);
      e->history = xcalloc(1, sizeof *e->history);
    } else {
      if (now.status == ZAPH_LEDGER_UNASSIGNED)
        keep_record(&now, &e->current);
      free_assignment(&e->current);
    }
    e->line = (unsigned)op->id.line;
    e->current = now;
    memset(&now, 0, sizeof now);
    set_review(e, an);
    outcome = e->current.status == ZAPH_LEDGER_ASSIGNED ? ASSIGNED : UNASSIGNED;
    if (outcome == ASSIGNED)
      fprintf(out, "assigned: %s: %s, review %s\n", label, measured, e->review);
    else
      fprintf(out, "unassigned: %s: %s (%s)\n", label, ledger_state_label(&e->current), reasons);
  } else if (now.status != ZAPH_LEDGER_ASSIGNED) {
    outcome = KEPT;
    fprintf(out, "kept: %s: %s; this data fails %s\n", label, ledger_state_label(&e->current),
            reasons);
  } else if (now.tier == e->current.tier) {
    outcome = CONFIRMED;
    e->line = (unsigned)op->id.line;
    keep_record(&now, &e->current);
    free_assignment(&e->current);
    e->current = now;
    memset(&now, 0, sizeof now);
    set_review(e, an);
    fprintf(out, "confirmed: %s: %s, review %s\n", label, measured, e->review);
  } else if (!approve) {
    outcome = REFUSED;
    fprintf(out, "refused: %s: measured %s, the ledger assigns %s; a tier change needs "
                 "re-profiling approval (--approve TEXT)\n",
            label, measured, ledger_state_label(&e->current));
  } else {
    outcome = CHANGED;
    char *previous = xstrdup(ledger_state_label(&e->current));
    e->history = xreallocarray(e->history, e->history_count + 1, sizeof *e->history);
    struct zaph_ledger_assignment *old = &e->history[e->history_count++];
    *old = e->current;
    snprintf(old->until, sizeof old->until, "%s", today);
    e->line = (unsigned)op->id.line;
    e->current = now;
    memset(&now, 0, sizeof now);
    set_review(e, an);
    char *approval = text_escaped(approve);
    fprintf(out, "changed: %s: %s -> %s, approved by '%s', review %s\n", label, previous,
            measured, approval, e->review);
    free(approval);
    free(previous);
  }
  free_assignment(&now);
  free(reasons);
  free(label);
  return outcome;
}

/* The bytes of the file at path, or NULL when it cannot be read. */
static char *read_whole(const char *path, size_t *length) {
  FILE *in = fopen(path, "rb");
  if (!in)
    return NULL;
  char *text = NULL;
  size_t used = 0, capacity = 0, n;
  do {
    if (capacity - used < 4096)
      text = xreallocarray(text, capacity = capacity * 2 + 4096, 1);
    n = fread(text + used, 1, capacity - used, in);
    used += n;
  } while (n > 0);
  int failed = ferror(in);
  fclose(in);
  if (failed) {
    free(text);
    return NULL;
  }
  *length = used;
  return text;
}

int ledger_assign(FILE *out, const struct analysis *an, const struct zaph_ledger *old,
                  const char *path, const char *approve, struct assign_summary *summary,
                  char **error) {
  const struct classification *c = &an->classification;
  struct built_ledger b = {{NULL, NULL, 0}, 0};
  char today[CALENDAR_DATE_SIZE];
  calendar_format(an->assessment.policy.now_day, today);
  memset(summary, 0, sizeof *summary);
  for (size_t i = 0; i < old->entry_count; i++)
    copy_entry(add_entry(&b), &old->entries[i]);
  unsigned char *used = xcalloc(old->entry_count + 1, 1);
  for (size_t i = 0; i < c->op_count; i++) {
    const struct zaph_ledger_entry *found = ledger_find_op(old, &c->ops[i].op->id);
    size_t at = found ? (size_t)(found - old->entries) : 0;
    /* Two ops of the profiles never share one entry: the second is new. */
    struct zaph_ledger_entry *e = found && !used[at]++ ? &b.ledger.entries[at] : NULL;
    switch (assign_op(out, &b, e, an, i, today, approve, path)) {
    case ASSIGNED: summary->assigned++; break;
    case UNASSIGNED: summary->unassigned++; break;
    case CONFIRMED: summary->confirmed++; break;
    case CHANGED: summary->changed++; break;
    case REFUSED: summary->refused++; break;
    case KEPT: summary->kept++; break;
    }
  }
  free(used);
  size_t length, old_length;
  char *text = ledger_format(&b.ledger, &length, error);
  built_free(&b);
  if (!text) {
    char *message = xformat("%s: %s", path, *error);
    free(*error);
    *error = message;
    return -1;
  }
  /* What the reader would refuse is never written: the reader's checks are the schema. */
  char message[1024];
  struct zaph_ledger *check = zaph_ledger_parse(path, text, length, message, sizeof message);
  if (!check) {
    *error = xformat("%s: not written: the reader refuses the new ledger: %s", path, message);
    free(text);
    return -1;
  }
  zaph_ledger_free(check);
  char *before = read_whole(path, &old_length);
  summary->written = !(before && old_length == length && memcmp(before, text, length) == 0);
  free(before);
  int rc = summary->written ? ledger_write_file(path, text, length, error) : 0;
  free(text);
  if (rc == 0) {
    char *shown = text_escaped(path);
    fprintf(out, "assign: %s: %zu assigned, %zu unassigned, %zu confirmed, %zu changed, "
                 "%zu refused, %zu kept (%s)\n",
            shown, summary->assigned, summary->unassigned, summary->confirmed, summary->changed,
            summary->refused, summary->kept, summary->written ? "written" : "unchanged");
    free(shown);
  }
  return rc;
}
