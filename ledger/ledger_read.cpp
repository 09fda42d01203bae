// The tier ledger's reader (include/zaph_ledger.h): zaph-tiers.toml parsed by Debian's toml++
// and checked against the schema of docs/ledger.md, every check made here. Compiled without
// exceptions (toml::parse then returns a toml::parse_result), as C++17, into zaph-report (a C
// program) and both compiler plugins. Every message is "PATH:LINE:COLUMN: what is wrong", at
// the position toml++ recorded for the offending key, value or table.
#include "zaph_ledger.h"
#include "zaph_paths.h"
#include "zaph_profile.h"

#include <toml++/toml.h>

#if TOML_EXCEPTIONS
#error "ledger_read.cpp is compiled with -fno-exceptions, so toml::parse returns a parse_result"
#endif

#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

// What a key must hold.
enum class Value { String, Integer, Number, Date, Time, Strings, Numbers, Tables };

// Where a key may stand: the top level, an [[op]] entry, an [[op.history]] entry.
enum Place : unsigned { TOP = 1, ENTRY = 2, HISTORY = 4 };

struct Key {
  const char *name;
  Value value;
  unsigned places;
};

// The schema's keys (docs/ledger.md), in the order of the file. An [[op]] entry holds the op's
// identity, its current assignment and its history; an [[op.history]] entry the same data keys
// as a current assignment, and the day it was replaced.
constexpr Key schema[] = {
    {"zaph_ledger", Value::Integer, TOP},
    {"op", Value::Tables, TOP},
    {"name", Value::String, ENTRY},
    {"file", Value::String, ENTRY},
    {"line", Value::Integer, ENTRY},
    {"kind", Value::String, ENTRY},
    {"previous_names", Value::Strings, ENTRY},
    {"status", Value::String, ENTRY | HISTORY},
    {"tier", Value::Integer, ENTRY | HISTORY},
    {"assigned", Value::Date, ENTRY | HISTORY},
    {"until", Value::Date, HISTORY},
    {"period_start", Value::Time, ENTRY | HISTORY},
    {"period_end", Value::Time, ENTRY | HISTORY},
    {"requests", Value::Integer, ENTRY | HISTORY},
    {"requests_touching", Value::Integer, ENTRY | HISTORY},
    {"frequency_pct", Value::Number, ENTRY | HISTORY},
    {"interval_pct", Value::Numbers, ENTRY | HISTORY},
    {"confidence_pct", Value::Number, ENTRY | HISTORY},
    {"source", Value::String, ENTRY | HISTORY},
    {"review", Value::Date, ENTRY},
    {"approved_by", Value::String, ENTRY | HISTORY},
    {"reasons", Value::Strings, ENTRY | HISTORY},
    {"history", Value::Tables, ENTRY},
};

const char *place_name(Place place) {
  return place == TOP ? "the ledger" : place == ENTRY ? "[[op]]" : "[[op.history]]";
}

const char *value_name(Value value) {
  switch (value) {
  case Value::String: return "a string";
  case Value::Integer: return "an integer";
  case Value::Number: return "a number";
  case Value::Date: return "a date (YYYY-MM-DD)";
  case Value::Time: return "a date-time (YYYY-MM-DDTHH:MM:SSZ)";
  case Value::Strings: return "an array of strings";
  case Value::Numbers: return "an array of numbers";
  case Value::Tables: return "an array of tables";
  }
  return "?";
}

const char *type_name(const toml::node &node) {
  switch (node.type()) {
  case toml::node_type::table: return "a table";
  case toml::node_type::array: return "an array";
  case toml::node_type::string: return "a string";
  case toml::node_type::integer: return "an integer";
  case toml::node_type::floating_point: return "a float";
  case toml::node_type::boolean: return "a boolean";
  case toml::node_type::date: return "a date";
  case toml::node_type::time: return "a time";
  case toml::node_type::date_time: return "a date-time";
  default: return "nothing";
  }
}

char *copy(std::string_view text) {
  char *c = static_cast<char *>(malloc(text.size() + 1));
  if (c) {
    memcpy(c, text.data(), text.size());
    c[text.size()] = '\0';
  }
  return c;
}

void free_strings(char **strings, size_t count) {
  for (size_t i = 0; i < count; i++)
    free(strings[i]);
  free(strings);
}

void free_assignment(zaph_ledger_assignment &a) {
  free(a.source);
  free(a.approved_by);
  free_strings(a.reasons, a.reason_count);
}

void free_entry(zaph_ledger_entry &e) {
  free(e.name);
  free(e.file);
  free_strings(e.previous_names, e.previous_name_count);
  free_assignment(e.current);
  for (size_t i = 0; i < e.history_count; i++)
    free_assignment(e.history[i]);
  free(e.history);
}

class Reader {
public:
  Reader(const char *name, char *error, size_t error_size)
      : name_(name), error_(error), error_size_(error_size) {}

  zaph_ledger *read(std::string_view text);

private:
  // Writes "NAME:LINE:COLUMN: message" and returns false, for `return fail(...)`.
  bool fail(const toml::source_position &at, const char *format, ...)
      __attribute__((format(printf, 3, 4)));
  bool out_of_memory() {
    failed_ = true;
    snprintf(error_, error_size_, "%s: cannot read: out of memory", name_);
    return false;
  }

  bool known_keys(const toml::table &table, Place place);
  const toml::node *get(const toml::table &table, Place place, const char *key, bool required);

  bool string(const toml::node *node, const char *key, bool empty_allowed, char **out);
  bool strings(const toml::node *node, const char *key, char ***out, size_t *count);
  bool integer(const toml::node *node, const char *key, int64_t low, int64_t high, int64_t *out);
  bool percent(const toml::node *node, const char *key, double *out);
  void date(const toml::node *node, char *out);
  bool date_time(const toml::node *node, const char *key, char *out);

  bool assignment(const toml::table &table, Place place, zaph_ledger_assignment &a,
                  const toml::node **assigned_node);
  bool entry(const toml::table &table, zaph_ledger_entry &e);

  const char *name_;
  char *error_;
  size_t error_size_;
  bool failed_ = false;
};

bool Reader::fail(const toml::source_position &at, const char *format, ...) {
  failed_ = true;
  int n = snprintf(error_, error_size_, "%s:%u:%u: ", name_, static_cast<unsigned>(at.line),
                   static_cast<unsigned>(at.column));
  if (n >= 0 && static_cast<size_t>(n) < error_size_) {
    va_list args;
    va_start(args, format);
    vsnprintf(error_ + n, error_size_ - n, format, args);
    va_end(args);
  }
  return false;
}

// Every key of the table is one of the schema's: a misspelt key is refused, never ignored. The
// first unknown key in the file is named (toml++'s tables are ordered by key, not position).
bool Reader::known_keys(const toml::table &table, Place place) {
  const toml::key *first = nullptr;
  for (auto &&[key, node] : table) {
    (void)node;
    bool known = false;
    for (const Key &k : schema)
      known = known || ((k.places & place) && key.str() == k.name);
    if (known)
      continue;
    const toml::source_position &at = key.source().begin;
    if (!first || at.line < first->source().begin.line ||
        (at.line == first->source().begin.line && at.column < first->source().begin.column))
      first = &key;
  }
  if (!first)
    return true;
  std::string key(first->str());
  return fail(first->source().begin, "unknown key '%s' in %s", key.c_str(), place_name(place));
}

// The key's node, checked against the schema's type; nullptr when absent (an error when
// required, which fail() has then said) or of the wrong type (always an error).
const toml::node *Reader::get(const toml::table &table, Place place, const char *key,
                              bool required) {
  const Key *k = nullptr;
  for (const Key &candidate : schema)
    if ((candidate.places & place) && strcmp(candidate.name, key) == 0)
      k = &candidate;
  const toml::node *node = table.get(key);
  if (!node) {
    if (required)
      fail(table.source().begin, "%s has no '%s'", place_name(place), key);
    return nullptr;
  }
  bool ok = false;
  switch (k->value) {
  case Value::String: ok = node->is_string(); break;
  case Value::Integer: ok = node->is_integer(); break;
  case Value::Number: ok = node->is_integer() || node->is_floating_point(); break;
  case Value::Date: ok = node->is_date(); break;
  case Value::Time: ok = node->is_date_time(); break;
  case Value::Strings:
  case Value::Numbers:
    ok = node->is_array();
    break;
  case Value::Tables: ok = node->is_array_of_tables(); break;
  }
  if (!ok) {
    fail(node->source().begin, "'%s' must be %s, not %s", key, value_name(k->value),
         type_name(*node));
    return nullptr;
  }
  return node;
}

bool Reader::string(const toml::node *node, const char *key, bool empty_allowed, char **out) {
  const std::string &text = node->as_string()->get();
  if (!empty_allowed && text.empty())
    return fail(node->source().begin, "'%s' must not be empty", key);
  if (text.find('\0') != std::string::npos)
    return fail(node->source().begin, "'%s' must not contain a NUL character", key);
  return (*out = copy(text)) != nullptr || out_of_memory();
}

bool Reader::strings(const toml::node *node, const char *key, char ***out, size_t *count) {
  const toml::array &array = *node->as_array();
  *out = static_cast<char **>(calloc(array.size() ? array.size() : 1, sizeof(char *)));
  if (!*out)
    return out_of_memory();
  for (const toml::node &element : array) {
    if (!element.is_string())
      return fail(element.source().begin, "'%s' must hold strings, not %s", key,
                  type_name(element));
    std::string item = std::string(key) + " item";
    if (!string(&element, item.c_str(), false, &(*out)[*count]))
      return false;
    ++*count;
  }
  return true;
}

bool Reader::integer(const toml::node *node, const char *key, int64_t low, int64_t high,
                     int64_t *out) {
  int64_t value = node->as_integer()->get();
  if (value < low || value > high) {
    if (high == INT64_MAX)
      return fail(node->source().begin, "'%s' must be at least %" PRId64 ", not %" PRId64, key,
                  low, value);
    return fail(node->source().begin,
                "'%s' must be between %" PRId64 " and %" PRId64 ", not %" PRId64, key, low, high,
                value);
  }
  *out = value;
  return true;
}

double number_of(const toml::node &node) {
  if (node.is_integer())
    return static_cast<double>(node.as_integer()->get());
  return node.as_floating_point()->get();
}

// A percentage: a TOML float or integer from 0 to 100 (nan and inf are refused too).
bool Reader::percent(const toml::node *node, const char *key, double *out) {
  double value = number_of(*node);
  if (!(value >= 0 && value <= 100))
    return fail(node->source().begin, "'%s' must be between 0 and 100, not %g", key, value);
  *out = value;
  return true;
}

// toml++ has checked the date (the days of each month, leap years) while parsing.
void Reader::date(const toml::node *node, char *out) {
  const toml::date &d = node->as_date()->get();
  snprintf(out, ZAPH_LEDGER_DATE_SIZE, "%04u-%02u-%02u", static_cast<unsigned>(d.year) % 10000,
           static_cast<unsigned>(d.month) % 100, static_cast<unsigned>(d.day) % 100);
}

// A period bound: an offset date-time in UTC, in whole seconds, as the profiles record it.
bool Reader::date_time(const toml::node *node, const char *key, char *out) {
  const toml::date_time &t = node->as_date_time()->get();
  if (!t.offset)
    return fail(node->source().begin, "'%s' must be a date-time in UTC, ending in Z, not a local "
                "date-time", key);
  if (t.offset->minutes != 0)
    return fail(node->source().begin, "'%s' must be a date-time in UTC, ending in Z, not at "
                "offset %+03d:%02d", key, t.offset->minutes / 60, abs(t.offset->minutes % 60));
  if (t.time.nanosecond != 0)
    return fail(node->source().begin, "'%s' must be in whole seconds", key);
  snprintf(out, ZAPH_LEDGER_TIME_SIZE, "%04u-%02u-%02uT%02u:%02u:%02uZ",
           static_cast<unsigned>(t.date.year) % 10000, static_cast<unsigned>(t.date.month) % 100,
           static_cast<unsigned>(t.date.day) % 100, static_cast<unsigned>(t.time.hour) % 100,
           static_cast<unsigned>(t.time.minute) % 100, static_cast<unsigned>(t.time.second) % 100);
  return true;
}

// An assignment's keys, shared by [[op]] (the current one) and [[op.history]]. The dates are
// fixed-width, so comparing them as strings compares them as dates.
bool Reader::assignment(const toml::table &table, Place place, zaph_ledger_assignment &a,
                        const toml::node **assigned_node) {
  const char *where = place_name(place);
  bool history = place == HISTORY;
  const toml::node *node = get(table, place, "status", true);
  if (!node)
    return false;
  const std::string &status = node->as_string()->get();
  if (status == "assigned")
    a.status = ZAPH_LEDGER_ASSIGNED;
  else if (status == "unassigned")
    a.status = ZAPH_LEDGER_UNASSIGNED;
  else
    return fail(node->source().begin, "'status' must be \"assigned\" or \"unassigned\", not "
                "\"%s\"", status.c_str());
  bool assigned = a.status == ZAPH_LEDGER_ASSIGNED;

  const toml::node *tier = get(table, place, "tier", false);
  if (!tier && failed_)
    return false;
  if (assigned && !tier)
    return fail(table.source().begin, "%s is assigned but has no 'tier'", where);
  if (!assigned && tier)
    return fail(tier->source().begin, "'tier' is given, but the status is \"unassigned\"");
  if (tier) {
    int64_t value = tier->as_integer()->get();
    if (value < 1 || value > 3)
      return fail(tier->source().begin, "'tier' must be 1, 2 or 3, not %" PRId64, value);
    a.tier = static_cast<unsigned>(value);
  }

  if (!(node = get(table, place, "assigned", true)))
    return false;
  date(node, a.assigned);
  *assigned_node = node;
  if (history) {
    if (!(node = get(table, place, "until", true)))
      return false;
    date(node, a.until);
    if (strcmp(a.until, a.assigned) < 0)
      return fail(node->source().begin, "'until' (%s) is before 'assigned' (%s)", a.until,
                  a.assigned);
  }

  if (!(node = get(table, place, "period_start", true)) ||
      !date_time(node, "period_start", a.period_start))
    return false;
  if (!(node = get(table, place, "period_end", true)) ||
      !date_time(node, "period_end", a.period_end))
    return false;
  if (strcmp(a.period_end, a.period_start) < 0)
    return fail(node->source().begin, "'period_end' (%s) is before 'period_start' (%s)",
                a.period_end, a.period_start);

  int64_t requests = 0, touching = 0;
  if (!(node = get(table, place, "requests", true)) ||
      !integer(node, "requests", 0, INT64_MAX, &requests))
    return false;
  if (!(node = get(table, place, "requests_touching", true)) ||
      !integer(node, "requests_touching", 0, INT64_MAX, &touching))
    return false;
  if (touching > requests)
    return fail(node->source().begin, "'requests_touching' (%" PRId64 ") exceeds 'requests' (%"
                PRId64 ")", touching, requests);
  a.requests = static_cast<uint64_t>(requests);
  a.requests_touching = static_cast<uint64_t>(touching);

  if (!(node = get(table, place, "frequency_pct", true)) ||
      !percent(node, "frequency_pct", &a.frequency_pct))
    return false;
  if (!(node = get(table, place, "interval_pct", true)))
    return false;
  const toml::array &interval = *node->as_array();
  if (interval.size() != 2)
    return fail(node->source().begin, "'interval_pct' must be [LOW, HIGH], 2 numbers, not %zu",
                interval.size());
  for (const toml::node &bound : interval)
    if (!bound.is_integer() && !bound.is_floating_point())
      return fail(bound.source().begin, "'interval_pct' must hold numbers, not %s",
                  type_name(bound));
  if (!percent(interval.get(0), "interval_pct", &a.interval_low_pct) ||
      !percent(interval.get(1), "interval_pct", &a.interval_high_pct))
    return false;
  if (a.interval_low_pct > a.interval_high_pct)
    return fail(node->source().begin, "'interval_pct' is [LOW, HIGH], but %g exceeds %g",
                a.interval_low_pct, a.interval_high_pct);
  if (!(node = get(table, place, "confidence_pct", true)) ||
      !percent(node, "confidence_pct", &a.confidence_pct))
    return false;

  if (!(node = get(table, place, "source", true)) ||
      !string(node, "source", false, &a.source))
    return false;
  node = get(table, place, "approved_by", false);
  if (!node && failed_)
    return false;
  if (node ? !string(node, "approved_by", true, &a.approved_by)
           : !(a.approved_by = copy("")) && !out_of_memory())
    return false;

  node = get(table, place, "reasons", false);
  if (!node && failed_)
    return false;
  if (assigned && node)
    return fail(node->source().begin, "'reasons' is given, but the status is \"assigned\"");
  if (!assigned && !node)
    return fail(table.source().begin, "%s is unassigned but has no 'reasons'", where);
  if (node) {
    if (node->as_array()->empty())
      return fail(node->source().begin, "'reasons' must name at least one failed gate");
    if (!strings(node, "reasons", &a.reasons, &a.reason_count))
      return false;
  }
  return true;
}

bool Reader::entry(const toml::table &table, zaph_ledger_entry &e) {
  if (!known_keys(table, ENTRY))
    return false;
  const toml::node *node;
  if (!(node = get(table, ENTRY, "name", true)) ||
      !string(node, "name", false, &e.name))
    return false;
  if (!(node = get(table, ENTRY, "file", true)) ||
      !string(node, "file", false, &e.file))
    return false;
  int64_t line = 0;
  if (!(node = get(table, ENTRY, "line", true)) ||
      !integer(node, "line", 0, UINT_MAX, &line))
    return false;
  e.line = static_cast<unsigned>(line);
  if (!(node = get(table, ENTRY, "kind", true)))
    return false;
  const std::string &kind = node->as_string()->get();
  if (kind == "op")
    e.kind = ZAPH_KIND_OP;
  else if (kind == "request")
    e.kind = ZAPH_KIND_REQUEST;
  else
    return fail(node->source().begin, "'kind' must be \"op\" or \"request\", not \"%s\"",
                kind.c_str());
  node = get(table, ENTRY, "previous_names", false);
  if (!node && failed_)
    return false;
  if (node && !strings(node, "previous_names", &e.previous_names, &e.previous_name_count))
    return false;

  const toml::node *assigned_node = nullptr;
  if (!assignment(table, ENTRY, e.current, &assigned_node))
    return false;
  node = get(table, ENTRY, "review", false);
  if (!node && failed_)
    return false;
  bool assigned = e.current.status == ZAPH_LEDGER_ASSIGNED;
  if (assigned && !node)
    return fail(table.source().begin, "[[op]] is assigned but has no 'review'");
  if (!assigned && node)
    return fail(node->source().begin, "'review' is given, but the status is \"unassigned\"");
  if (node) {
    date(node, e.review);
    if (strcmp(e.review, e.current.assigned) < 0)
      return fail(node->source().begin, "'review' (%s) is before 'assigned' (%s)", e.review,
                  e.current.assigned);
  }

  node = get(table, ENTRY, "history", false);
  if (!node && failed_)
    return false;
  if (!node)
    return true;
  const toml::array &history = *node->as_array();
  e.history = static_cast<zaph_ledger_assignment *>(
      calloc(history.size() ? history.size() : 1, sizeof *e.history));
  if (!e.history)
    return out_of_memory();
  const char *previous_until = nullptr;
  for (const toml::node &element : history) {
    const toml::table &past = *element.as_table();
    zaph_ledger_assignment &a = e.history[e.history_count++];
    const toml::node *past_assigned = nullptr;
    if (!known_keys(past, HISTORY) || !assignment(past, HISTORY, a, &past_assigned))
      return false;
    if (previous_until && strcmp(a.assigned, previous_until) < 0)
      return fail(past_assigned->source().begin, "'assigned' (%s) is before the 'until' (%s) of "
                  "the history entry before it: history is oldest first", a.assigned,
                  previous_until);
    previous_until = a.until;
  }
  if (previous_until && strcmp(e.current.assigned, previous_until) < 0)
    return fail(assigned_node->source().begin, "'assigned' (%s) is before the 'until' (%s) of "
                "the last history entry", e.current.assigned, previous_until);
  return true;
}

zaph_ledger *Reader::read(std::string_view text) {
  if (error_size_)
    error_[0] = '\0';
  toml::parse_result parsed = toml::parse(text, std::string_view(name_));
  if (!parsed) {
    std::string description(parsed.error().description());
    fail(parsed.error().source().begin, "%s", description.c_str());
    return nullptr;
  }
  const toml::table &top = parsed.table();
  if (!known_keys(top, TOP))
    return nullptr;
  const toml::node *version = get(top, TOP, "zaph_ledger", false);
  if (!version) {
    if (!failed_)
      fail(toml::source_position{1, 1}, "not a zaph ledger: no 'zaph_ledger = %d' key",
           ZAPH_LEDGER_VERSION);
    return nullptr;
  }
  int64_t v = version->as_integer()->get();
  if (v > ZAPH_LEDGER_VERSION) {
    fail(version->source().begin, "ledger version %" PRId64 " is newer than this zaph reads (%d)",
         v, ZAPH_LEDGER_VERSION);
    return nullptr;
  }
  if (v < 1) {
    fail(version->source().begin, "'zaph_ledger' must be %d, not %" PRId64, ZAPH_LEDGER_VERSION,
         v);
    return nullptr;
  }

  zaph_ledger *ledger = static_cast<zaph_ledger *>(calloc(1, sizeof *ledger));
  if (!ledger || !(ledger->path = copy(name_))) {
    free(ledger);
    out_of_memory();
    return nullptr;
  }
  const toml::node *ops = get(top, TOP, "op", false);
  if (!ops && failed_) {
    zaph_ledger_free(ledger);
    return nullptr;
  }
  if (!ops)
    return ledger;
  const toml::array &array = *ops->as_array();
  ledger->entries = static_cast<zaph_ledger_entry *>(
      calloc(array.size() ? array.size() : 1, sizeof *ledger->entries));
  if (!ledger->entries) {
    zaph_ledger_free(ledger);
    out_of_memory();
    return nullptr;
  }
  for (const toml::node &element : array) {
    const toml::table &table = *element.as_table();
    zaph_ledger_entry &e = ledger->entries[ledger->entry_count++];
    bool ok = entry(table, e);
    // One op, one entry: two entries of the same name, file, line and kind could not be told
    // apart by a lookup.
    for (size_t i = 0; ok && i + 1 < ledger->entry_count; i++) {
      const zaph_ledger_entry &other = ledger->entries[i];
      if (other.kind == e.kind && other.line == e.line && strcmp(other.name, e.name) == 0 &&
          strcmp(other.file, e.file) == 0) {
        const toml::source_position &first = array.get(i)->source().begin;
        ok = fail(table.source().begin, "a second entry for '%s' (%s:%u), first at %u:%u", e.name,
                  e.file, e.line, static_cast<unsigned>(first.line),
                  static_cast<unsigned>(first.column));
      }
    }
    if (!ok) {
      zaph_ledger_free(ledger);
      return nullptr;
    }
  }
  return ledger;
}

} // namespace

extern "C" {

zaph_ledger *zaph_ledger_parse(const char *name, const char *text, size_t length, char *error,
                               size_t error_size) {
  return Reader(name, error, error_size).read(std::string_view(text, length));
}

zaph_ledger *zaph_ledger_read(const char *path, char *error, size_t error_size) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    snprintf(error, error_size, "%s: cannot read: %s", path, strerror(errno));
    return nullptr;
  }
  std::string text;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  if (ferror(file)) {
    int saved = errno;
    fclose(file);
    snprintf(error, error_size, "%s: cannot read: %s", path, strerror(saved));
    return nullptr;
  }
  fclose(file);
  return zaph_ledger_parse(path, text.data(), text.size(), error, error_size);
}

void zaph_ledger_free(zaph_ledger *ledger) {
  if (!ledger)
    return;
  for (size_t i = 0; i < ledger->entry_count; i++)
    free_entry(ledger->entries[i]);
  free(ledger->entries);
  free(ledger->path);
  free(ledger);
}

// Among the entries of the kind that carry the name (current or previous), the best is the one
// whose file shares the most trailing components with file; then one that carries it as its
// current name over one that carries it as a previous name (a new op given a renamed op's old
// name is the new op); then the nearest line. Two equally good candidates: NULL.
const zaph_ledger_entry *zaph_ledger_find(const zaph_ledger *ledger, const char *name,
                                          const char *file, unsigned line, int kind) {
  if (!ledger || !name || !file)
    return nullptr;
  const zaph_ledger_entry *best = nullptr;
  bool tie = false;
  unsigned best_shared = 0, best_distance = 0;
  bool best_current = false;
  for (size_t i = 0; i < ledger->entry_count; i++) {
    const zaph_ledger_entry &e = ledger->entries[i];
    if (e.kind != kind)
      continue;
    bool current = strcmp(e.name, name) == 0, previous = false;
    for (size_t j = 0; !current && !previous && j < e.previous_name_count; j++)
      previous = strcmp(e.previous_names[j], name) == 0;
    if (!current && !previous)
      continue;
    unsigned shared = zaph_path_common_suffix(e.file, file);
    if (shared == 0)
      continue;
    unsigned distance = e.line > line ? e.line - line : line - e.line;
    bool better;
    if (!best)
      better = true;
    else if (shared != best_shared)
      better = shared > best_shared;
    else if (current != best_current)
      better = current;
    else if (distance != best_distance)
      better = distance < best_distance;
    else {
      tie = true;
      continue;
    }
    if (better) {
      best = &e;
      best_shared = shared;
      best_current = current;
      best_distance = distance;
      tie = false;
    }
  }
  return tie ? nullptr : best;
}

} // extern "C"
