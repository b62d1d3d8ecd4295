// Deadline normalisation: interprets the rules of rules/deadlines.rules
// (pattern, kind, groups, fixed, every, find) to turn printed time phrases
// into Deadline values. No Vietnamese vocabulary lives here.
#include "pipeline/stages/deadline.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// Text with Markdown emphasis removed and whitespace collapsed, remembering
// for every byte where it came from in the original.
struct CleanText {
  std::string text;
  std::vector<size_t> origin;  // origin[i] = offset in the original of text[i]
};

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  unsigned char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // NBSP
    *len = 2;
    return true;
  }
  return false;
}

CleanText Clean(std::string_view s) {
  CleanText out;
  out.text.reserve(s.size());
  out.origin.reserve(s.size());
  bool pending_space = false;
  size_t space_at = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = 0;
    if (IsSpaceAt(s, i, &len)) {
      if (!pending_space) space_at = i;
      pending_space = true;
      i += len;
      continue;
    }
    if (s[i] == '*' || s[i] == '`') {
      ++i;
      continue;
    }
    if (pending_space && !out.text.empty()) {
      out.text.push_back(' ');
      out.origin.push_back(space_at);
    }
    pending_space = false;
    out.text.push_back(s[i]);
    out.origin.push_back(i);
    ++i;
  }
  return out;
}

bool IsTrimmable(char c) {
  return c == ' ' || c == '.' || c == ',' || c == ';' || c == ':';
}

// Trims spaces and clause punctuation at both ends; also a bullet at the start.
std::string_view TrimPhrase(std::string_view s) {
  while (!s.empty() && (IsTrimmable(s.front()) || s.front() == '-' || s.front() == '+')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsTrimmable(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<int> ParseNumber(const std::string& s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Quarters print as Roman (I..IV) or Arabic numerals.
std::optional<int> ParseQuarter(const std::string& s) {
  std::string u;
  for (char c : s) u.push_back((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
  if (u == "I") return 1;
  if (u == "II") return 2;
  if (u == "III") return 3;
  if (u == "IV") return 4;
  auto n = ParseNumber(u);
  if (n && *n >= 1 && *n <= 4) return n;
  return std::nullopt;
}

bool ValidYear(int y) { return y >= 1900 && y <= 2200; }

// `iso` ("2026-04-10") plus `months` (the day kept, or the month's last) and
// then `days`; std::nullopt when `iso` is not a date.
std::optional<std::string> AddToIsoDate(const std::string& iso, int days, int months) {
  std::optional<std::string> moved = AddMonths(iso, months);
  return moved ? AddDays(*moved, days) : std::nullopt;
}

// The named parts a rule's groups and fixed values give.
using Parts = std::map<std::string, std::string>;

Parts CollectParts(const Rule& rule, const Match& m) {
  Parts parts;
  std::vector<std::string> names = SplitWords(rule.Get("groups"));
  for (size_t i = 0; i < names.size() && i < m.groups.size(); ++i) {
    if (names[i] == "-" || !m.groups[i]) continue;
    parts[names[i]] = *m.groups[i];
  }
  for (const std::string& kv : SplitWords(rule.Get("fixed"))) {
    size_t eq = kv.find('=');
    if (eq != std::string::npos) parts.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return parts;
}

// A calendar unit: the span of a day, month, quarter or year.
struct Unit {
  int year = 0, first_month = 1, last_month = 12, first_day = 1, last_day = 31;
};

// Reads the unit named by the parts with `suffix` ("" for the start, "2" for
// the end). `fallback_year` applies when the parts give none; `like` (the
// start, when reading the end) is the unit to repeat when the end gives only a year.
std::optional<Unit> ReadUnit(const Parts& parts, const std::string& suffix,
                             std::optional<int> fallback_year, const Unit* like) {
  auto get = [&](const std::string& name) -> const std::string* {
    auto it = parts.find(name + suffix);
    return it == parts.end() ? nullptr : &it->second;
  };
  std::optional<int> year = fallback_year;
  if (const std::string* y = get("year")) {
    year = ParseNumber(*y);
    if (!year) return std::nullopt;
  }
  if (!year || !ValidYear(*year)) return std::nullopt;
  Unit u;
  u.year = *year;
  const std::string* day = get("day");
  const std::string* month = get("month");
  const std::string* quarter = get("quarter");
  if (like && !day && !month && !quarter) {
    // "Quý IV/2025 - 2026": the end is the same kind of unit in its own year.
    Unit same = *like;
    same.year = u.year;
    same.last_day = std::min(same.last_day, DaysInMonth(same.year, same.last_month));
    return same;
  }
  if (month) {
    auto mo = ParseNumber(*month);
    if (!mo || *mo < 1 || *mo > 12) return std::nullopt;
    u.first_month = u.last_month = *mo;
  } else if (quarter) {
    auto q = ParseQuarter(*quarter);
    if (!q) return std::nullopt;
    u.first_month = 3 * *q - 2;
    u.last_month = 3 * *q;
  } else if (day) {
    return std::nullopt;  // a day needs its month
  }
  u.last_day = DaysInMonth(u.year, u.last_month);
  if (day) {
    auto d = ParseNumber(*day);
    if (!d || *d < 1 || *d > DaysInMonth(u.year, u.first_month)) return std::nullopt;
    u.first_day = u.last_day = *d;
  }
  return u;
}

std::string StartOf(const Unit& u) { return IsoDate(u.year, u.first_month, u.first_day); }
std::string EndOf(const Unit& u) { return IsoDate(u.year, u.last_month, u.last_day); }

// Builds the deadline a rule's match describes; std::nullopt when the parts
// do not make a valid date (e.g. 31/02, no year anywhere, end before start).
std::optional<Deadline> Build(const Rule& rule, const Match& m, const DeadlineContext& ctx) {
  Deadline d;
  d.kind = rule.Get("kind");
  d.rule = rule.id;
  std::string every = rule.Get("every");
  if (!every.empty()) d.every = every;
  if (d.kind == "recurring" || d.kind == "ongoing" || d.kind == "conditional") return d;
  Parts parts = CollectParts(rule, m);
  if (parts.count("after_days") || parts.count("after_months")) {
    // Counted from the document's issue: a date, or nothing without one.
    if (d.kind != "date" || !ctx.issued) return std::nullopt;
    std::optional<std::string> due = AddToIsoDate(*ctx.issued, ParseNumber(parts["after_days"]).value_or(0),
                                                  ParseNumber(parts["after_months"]).value_or(0));
    if (!due) return std::nullopt;
    d.start = d.end = *due;
    return d;
  }
  if (auto before = parts.find("before_year"); before != parts.end()) {
    // "trước năm 2027": the last day of the year before.
    std::optional<int> y = ParseNumber(before->second);
    if (d.kind != "date" || !y || !ValidYear(*y - 1)) return std::nullopt;
    d.start = d.end = IsoDate(*y - 1, 12, 31);
    return d;
  }
  auto start = ReadUnit(parts, "", ctx.year, nullptr);
  if (!start) return std::nullopt;
  if (d.kind == "open_from") {
    d.start = StartOf(*start);
    return d;
  }
  if (d.kind == "range") {
    bool has_end = false;
    for (const char* n : {"day2", "month2", "quarter2", "year2"}) has_end |= parts.count(n) > 0;
    if (!has_end) return std::nullopt;
    auto end = ReadUnit(parts, "2", start->year, &*start);
    if (!end) return std::nullopt;
    d.start = StartOf(*start);
    d.end = EndOf(*end);
    if (*d.end < *d.start) return std::nullopt;
    return d;
  }
  if (d.kind == "date" && !parts.count("day")) return std::nullopt;
  if (d.kind == "month" && !parts.count("month")) return std::nullopt;
  if (d.kind == "quarter" && !parts.count("quarter")) return std::nullopt;
  if (d.kind != "date" && d.kind != "month" && d.kind != "quarter" && d.kind != "year") {
    return std::nullopt;  // a kind this interpreter does not know builds nothing
  }
  d.start = StartOf(*start);
  d.end = EndOf(*start);
  return d;
}

bool Findable(const Rule& r) { return r.Get("find") == "yes"; }

// Index of the group named `name` in the rule's groups, or -1.
int GroupIndex(const Rule& rule, std::string_view name) {
  std::vector<std::string> names = SplitWords(rule.Get("groups"));
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Show(const std::optional<std::string>& s) { return s ? *s : "-"; }

std::string Describe(const Deadline& d) {
  std::string out = d.kind + " " + Show(d.start) + " " + Show(d.end);
  if (d.every) out += " " + *d.every;
  return out;
}

std::string Normalise(std::string_view expected) {
  std::string out;
  for (const std::string& w : SplitWords(expected)) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

// The first rule of the family whose pattern matches all of `phrase` and
// builds a deadline; with `tail_only`, only rules that may close a clause.
std::optional<Deadline> MatchWhole(std::string_view phrase, const RuleSet& rules, const DeadlineContext& ctx,
                                   bool tail_only) {
  if (phrase.empty()) return std::nullopt;
  for (const Rule* rule : rules.Category("deadline")) {
    if (tail_only && !Findable(*rule) && rule->Get("tail") != "yes") continue;
    for (const Pattern& p : rule->patterns) {
      Match m;
      if (!p.FullMatch(phrase, &m)) continue;
      if (auto d = Build(*rule, m, ctx)) return d;
    }
  }
  return std::nullopt;
}

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

// Cells longer than this are not searched clause by clause (the search is
// quadratic in words).
constexpr size_t kMaxLeadSearch = 600;

// A cell no rule reads as a whole often states its deadline in its first
// clause and goes on with follow-up work ("Ban hành trong quý I năm 2026.
// Thực hiện rà soát ...", "Triển khai từ năm 2026 và thực hiện thường xuyên").
// Each prefix of the cell ending at a clause boundary (". ", "; ", ", ",
// " và ", " (", "(", the end), shortest first, is read as a whole, or else by
// a `find`/`tail` rule matching its last words; the first reading wins.
std::optional<Deadline> MatchLeadingClause(std::string_view phrase, const RuleSet& rules,
                                           const DeadlineContext& ctx) {
  if (phrase.size() > kMaxLeadSearch) return std::nullopt;
  std::vector<size_t> cuts;
  for (size_t i = 0; i < phrase.size(); ++i) {
    char c = phrase[i];
    bool cut = ((c == '.' || c == ';' || c == ',') && i + 1 < phrase.size() && phrase[i + 1] == ' ') ||
               c == '(' || (c == ' ' && phrase.substr(i).starts_with(" và "));
    if (cut) cuts.push_back(i);
  }
  cuts.push_back(phrase.size());
  for (size_t cut : cuts) {
    std::string_view prefix = TrimPhrase(phrase.substr(0, cut));
    if (prefix.empty()) continue;
    if (prefix.size() < phrase.size()) {  // the whole cell was tried already
      if (auto d = MatchWhole(prefix, rules, ctx, false)) return d;
    }
    for (size_t s = 1; s < prefix.size(); ++s) {
      if (prefix[s - 1] != ' ' || !IsWordByte(prefix[s])) continue;
      if (auto d = MatchWhole(prefix.substr(s), rules, ctx, true)) return d;
    }
  }
  return std::nullopt;
}

std::string_view CellPhrase(const CleanText& clean) {
  std::string_view phrase = TrimPhrase(clean.text);
  while (phrase.size() >= 2 && phrase.front() == '(' && phrase.back() == ')') {
    phrase = TrimPhrase(phrase.substr(1, phrase.size() - 2));
  }
  return phrase;
}

}  // namespace

std::optional<Deadline> ParseDeadline(std::string_view text, const RuleSet& rules,
                                      const DeadlineContext& ctx) {
  std::string nfc = ToNfc(text);
  CleanText clean = Clean(nfc);
  std::string_view phrase = CellPhrase(clean);
  if (auto d = MatchWhole(phrase, rules, ctx, false)) return d;
  return MatchLeadingClause(phrase, rules, ctx);
}

std::vector<DeadlineMention> FindDeadlines(std::string_view text, const RuleSet& rules,
                                           const DeadlineContext& ctx) {
  CleanText clean = Clean(text);
  struct Candidate {
    size_t begin, end, order;
    Deadline deadline;
  };
  std::vector<Candidate> found;
  size_t order = 0;
  for (const Rule* rule : rules.Category("deadline")) {
    if (!Findable(*rule)) continue;
    int raw_group = GroupIndex(*rule, "raw");
    for (const Pattern& p : rule->patterns) {
      for (const Match& m : p.FindAll(clean.text)) {
        auto d = Build(*rule, m, ctx);
        if (!d) continue;
        size_t b = m.begin, e = m.end;
        if (raw_group >= 0 && static_cast<size_t>(raw_group) < m.group_spans.size() &&
            m.group_spans[raw_group].first != std::string::npos) {
          std::tie(b, e) = m.group_spans[raw_group];
        }
        while (b < e && IsTrimmable(clean.text[b])) ++b;
        while (e > b && IsTrimmable(clean.text[e - 1])) --e;
        if (b == e) continue;
        found.push_back({b, e, order++, std::move(*d)});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.order < b.order;
  });
  std::vector<const Candidate*> kept;
  for (const Candidate& c : found) {
    bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Candidate* k) {
      return c.begin < k->end && k->begin < c.end;
    });
    if (!overlaps) kept.push_back(&c);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate* a, const Candidate* b) { return a->begin < b->begin; });
  std::vector<DeadlineMention> out;
  for (const Candidate* c : kept) {
    DeadlineMention mention;
    mention.begin = clean.origin[c->begin];
    mention.end = clean.origin[c->end - 1] + 1;
    mention.raw = clean.text.substr(c->begin, c->end - c->begin);
    mention.deadline = c->deadline;
    out.push_back(std::move(mention));
  }
  return out;
}

std::string CheckDeadlineExample(const Rule& rule, const RuleExample& ex, const RuleSet& rules) {
  DeadlineContext ctx;
  ctx.year = kDeadlineExampleYear;
  ctx.issued = kDeadlineExampleIssued;
  std::string expected = ex.expected;
  std::optional<std::string> raw;
  if (size_t bar = expected.find('|'); bar != std::string::npos) {
    raw = std::string(TrimPhrase(expected.substr(bar + 1)));
    expected = expected.substr(0, bar);
  }
  expected = Normalise(expected);
  if (!raw) {
    auto d = ParseDeadline(ex.input, rules, ctx);
    if (!d) return "no deadline parsed";
    if (d->rule != rule.id) return "parsed by rule " + d->rule + " (" + Describe(*d) + ")";
    if (Describe(*d) != expected) return "got '" + Describe(*d) + "', want '" + expected + "'";
    return "";
  }
  std::string seen;
  for (const DeadlineMention& m : FindDeadlines(ex.input, rules, ctx)) {
    if (m.raw != *raw) {
      seen += " '" + m.raw + "'";
      continue;
    }
    if (m.deadline.rule != rule.id) return "found by rule " + m.deadline.rule;
    if (Describe(m.deadline) != expected) {
      return "got '" + Describe(m.deadline) + "', want '" + expected + "'";
    }
    return "";
  }
  return "no mention '" + *raw + "' found; found:" + (seen.empty() ? " nothing" : seen);
}

std::string CheckDeadlineNegative(const RuleExample& neg, const RuleSet& rules) {
  DeadlineContext ctx;
  ctx.year = kDeadlineExampleYear;
  ctx.issued = kDeadlineExampleIssued;
  // A negative is text no pattern of the family reads: the whole text, and
  // mentions in prose. (A cell's leading clause may still hold a deadline.)
  CleanText clean = Clean(ToNfc(neg.input));
  if (auto d = MatchWhole(CellPhrase(clean), rules, ctx, false)) {
    return "parsed as " + Describe(*d) + " by " + d->rule;
  }
  auto found = FindDeadlines(neg.input, rules, ctx);
  if (!found.empty()) return "found '" + found[0].raw + "' by " + found[0].deadline.rule;
  return "";
}

}  // namespace plantrace
