// Rule-set loader and the RE2 wrapper. Parses rules/*.rules (blocks of
// "key: value" under "[id]") and rules/*.list ("kind | canonical | alias"),
// validates them before anything runs, and hashes their content.
#include "pipeline/base/rules.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "pipeline/base/rule_schema.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/text_util.h"

namespace plantrace {

// Compiled on first use: a rule set has some 300 patterns and one document
// uses a part of them, while compiling all took 8% of extracting a 417-page
// PDF. Load still parses each one (RE2::Set::Add, a fifth of the cost), so a
// pattern that does not parse fails the load; one that parses but is over
// RE2's memory budget would match nothing (the rules tests run every
// pattern through its examples, which catches that). `source` is the
// pattern as RE2 reads it (ExpandLetterClasses).
struct Pattern::Impl {
  explicit Impl(std::string re) : source(std::move(re)) {}
  const RE2& re2() const {
    std::call_once(once, [this] { compiled = std::make_unique<RE2>(source, RE2::Quiet); });
    return *compiled;
  }
  const std::string source;
  mutable std::once_flag once;
  mutable std::unique_ptr<RE2> compiled;
};

const std::string& Match::Group(size_t i, const std::string& fallback) const {
  if (i == 0 || i > groups.size() || !groups[i - 1]) return fallback;
  return *groups[i - 1];
}

int Pattern::groups() const { return impl_ ? impl_->re2().NumberOfCapturingGroups() : 0; }

namespace {

// The letters a rule's \p{L}, \p{Lu} and \p{Ll} stand for: those of the
// Latin, Greek and Cyrillic blocks (ICU's categories), which hold every
// letter of Vietnamese text in NFC. RE2 builds the UTF-8 automaton of a
// Unicode class each time a pattern is compiled, forwards and again
// backwards: \p{L} alone took 1.3 ms against 0.01 ms for these ranges, and
// the rule set's letter classes were 8% of extracting the 417-page bench PDF.
constexpr char kLetterScope[] = "[\\u0000-\\u052F\\u1E00-\\u1FFF]";

// `category` (L, Lu or Ll) within kLetterScope as RE2 class ranges, without
// brackets; empty for any other category.
const std::string& LetterRanges(std::string_view category) {
  static const std::map<std::string, std::string, std::less<>> kRanges = [] {
    std::map<std::string, std::string, std::less<>> out;
    for (const char* cat : {"L", "Lu", "Ll"}) {
      UErrorCode err = U_ZERO_ERROR;
      icu::UnicodeSet set(icu::UnicodeString::fromUTF8(std::string("[[:") + cat + ":]&" + kLetterScope + "]"), err);
      if (U_FAILURE(err)) continue;  // out[cat] stays absent: the class is left as written
      std::string ranges;
      char buf[32];
      for (int32_t i = 0; i < set.getRangeCount(); ++i) {
        const UChar32 a = set.getRangeStart(i), b = set.getRangeEnd(i);
        std::snprintf(buf, sizeof buf, a == b ? "\\x{%X}" : "\\x{%X}-\\x{%X}", a, b);
        ranges += buf;
      }
      out[cat] = std::move(ranges);
    }
    return out;
  }();
  static const std::string kNone;
  auto it = kRanges.find(category);
  return it == kRanges.end() ? kNone : it->second;
}

}  // namespace

std::string ExpandLetterClasses(std::string_view re) {
  std::string out;
  out.reserve(re.size());
  bool in_class = false;
  size_t class_start = 0;  // offset in `out` just past the class's '[' or '[^'
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c != '\\') {
      if (!in_class && c == '[') {
        in_class = true;
        out += c;
        if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
        class_start = out.size();
        continue;
      }
      if (in_class && c == '[' && i + 1 < re.size() && re[i + 1] == ':') {  // [:alpha:]
        size_t close = re.find(":]", i + 2);
        if (close != std::string_view::npos) {
          out.append(re.substr(i, close + 2 - i));
          i = close + 1;
          continue;
        }
      }
      // A ']' first in a class is a literal one.
      if (in_class && c == ']' && out.size() > class_start) in_class = false;
      out += c;
      continue;
    }
    if (i + 1 >= re.size()) {
      out += c;
      break;
    }
    const char e = re[i + 1];
    if (e == 'Q') {  // \Q...\E: literal text, copied as it is
      size_t end = re.find("\\E", i + 2);
      end = end == std::string_view::npos ? re.size() : end + 2;
      out.append(re.substr(i, end - i));
      i = end - 1;
      continue;
    }
    if (e != 'p' && e != 'P') {
      out += c;
      out += e;
      ++i;
      continue;
    }
    // \pL or \p{Name}
    size_t end = i + 3;
    std::string_view name;
    if (i + 2 < re.size() && re[i + 2] == '{') {
      size_t close = re.find('}', i + 3);
      if (close == std::string_view::npos) {
        out.append(re.substr(i));
        break;
      }
      name = re.substr(i + 3, close - i - 3);
      end = close + 1;
    } else {
      name = re.substr(i + 2, 1);
    }
    bool negated = e == 'P';
    if (!name.empty() && name[0] == '^') {
      negated = !negated;
      name.remove_prefix(1);
    }
    const std::string& ranges = LetterRanges(name);
    if (ranges.empty() || (negated && in_class)) {
      out.append(re.substr(i, end - i));  // as written: full Unicode
    } else if (in_class) {
      out += ranges;
    } else {
      out += negated ? "[^" : "[";
      out += ranges;
      out += ']';
    }
    i = end - 1;
  }
  return out;
}

Result<Pattern> Pattern::Compile(const std::string& written) {
  Pattern p;
  const std::string re = ExpandLetterClasses(written);
  {
    RE2::Set parse(RE2::Quiet, RE2::UNANCHORED);
    std::string error;
    if (parse.Add(re, &error) < 0) return Status::InvalidInput("bad pattern /" + written + "/: " + error);
  }
  auto impl = std::make_shared<Impl>(re);
  p.impl_ = std::move(impl);
  p.source_ = written;
  return p;
}

namespace {

bool RunMatch(const RE2& re, std::string_view text, size_t from, RE2::Anchor anchor, Match* m) {
  re2::StringPiece whole(text.data(), text.size());
  // Only whether it matches: RE2 then answers from its DFA alone, without
  // the slower engines that find submatches (extract of a damaged 74-page
  // PDF whose table judges long cells: 2.1 s before, 1.5 s after).
  if (!m) return re.Match(whole, from, text.size(), anchor, nullptr, 0);
  int n = re.NumberOfCapturingGroups();
  // Rule patterns have a few groups: their pieces go on the stack.
  re2::StringPiece small[16];
  std::vector<re2::StringPiece> large;
  re2::StringPiece* sub = small;
  if (n + 1 > 16) {
    large.resize(n + 1);
    sub = large.data();
  }
  if (!re.Match(whole, from, text.size(), anchor, sub, n + 1)) return false;
  m->begin = sub[0].data() - text.data();
  m->end = m->begin + sub[0].size();
  m->groups.assign(n, std::nullopt);
  m->group_spans.assign(n, {std::string::npos, std::string::npos});
  for (int i = 1; i <= n; ++i) {
    if (sub[i].data() == nullptr) continue;
    m->groups[i - 1] = std::string(sub[i].data(), sub[i].size());
    size_t b = sub[i].data() - text.data();
    m->group_spans[i - 1] = {b, b + sub[i].size()};
  }
  return true;
}

}  // namespace

bool Pattern::FullMatch(std::string_view text, Match* m) const {
  if (!impl_) return false;
  return RunMatch(impl_->re2(), text, 0, RE2::ANCHOR_BOTH, m);
}

bool Pattern::Find(std::string_view text, Match* m, size_t from) const {
  if (!impl_ || from > text.size()) return false;
  return RunMatch(impl_->re2(), text, from, RE2::UNANCHORED, m);
}

std::vector<Match> Pattern::FindAll(std::string_view text) const {
  std::vector<Match> out;
  size_t from = 0;
  Match m;
  while (from <= text.size() && Find(text, &m, from)) {
    out.push_back(m);
    from = m.end > m.begin ? m.end : m.end + 1;
  }
  return out;
}

std::string Rule::Get(std::string_view key, std::string fallback) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return v;
  }
  return fallback;
}

std::vector<std::string> Rule::GetAll(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == key) out.push_back(v);
  }
  return out;
}

const Pattern* Rule::NamedPattern(std::string_view key) const {
  for (const auto& [k, p] : named_patterns) {
    if (k == key) return &p;
  }
  return nullptr;
}

std::string Rule::Ref(const std::string& hash) const { return id + "@" + hash.substr(0, 12); }

namespace {

std::string Where(const std::string& file, int line, const std::string& id) {
  return file + ":" + std::to_string(line) + (id.empty() ? "" : " " + id);
}

Status ParseRulesFile(const std::string& name, const std::string& content, std::vector<Rule>* out) {
  std::istringstream in(content);
  std::string raw;
  int lineno = 0;
  Rule* cur = nullptr;
  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = TrimWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        return Status::InvalidInput(Where(name, lineno, "") + ": malformed rule header '" + line + "'");
      }
      out->push_back(Rule{});
      cur = &out->back();
      cur->id = line.substr(1, line.size() - 2);
      cur->file = name;
      cur->line = lineno;
      continue;
    }
    if (!cur) return Status::InvalidInput(Where(name, lineno, "") + ": field before any [id] header");
    size_t colon = line.find(':');
    if (colon == std::string::npos) {
      return Status::InvalidInput(Where(name, lineno, cur->id) + ": expected 'key: value'");
    }
    std::string key = TrimWhitespace(line.substr(0, colon));
    std::string value = TrimWhitespace(line.substr(colon + 1));
    if (key == "example") {
      size_t arrow = value.find("=>");
      if (arrow == std::string::npos) {
        return Status::InvalidInput(Where(name, lineno, cur->id) + ": example needs 'input => expected'");
      }
      cur->examples.push_back({TrimWhitespace(value.substr(0, arrow)), TrimWhitespace(value.substr(arrow + 2)), lineno});
    } else if (key == "negative") {
      cur->negatives.push_back({value, "", lineno});
    } else {
      if (key == "pattern" || key.ends_with("_pattern")) {
        auto p = Pattern::Compile(value);
        if (!p.ok()) return Status::InvalidInput(Where(name, lineno, cur->id) + ": " + p.status().message());
        if (key == "pattern") {
          cur->patterns.push_back(*p);
        } else {
          cur->named_patterns.emplace_back(key, *p);
        }
      }
      cur->fields.emplace_back(key, value);
      cur->field_lines.push_back(lineno);
    }
  }
  return Status::Ok();
}

Status ParseListFile(const std::string& name, const std::string& content, std::vector<ListEntry>* out) {
  std::istringstream in(content);
  std::string raw;
  int lineno = 0;
  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = TrimWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t bar = line.find('|', start);
      parts.push_back(TrimWhitespace(line.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
      return Status::InvalidInput(Where(name, lineno, "") + ": expected 'kind | canonical | alias ...'");
    }
    ListEntry e;
    e.file = name;
    e.line = lineno;
    e.kind = parts[0];
    e.canonical = parts[1];
    for (size_t i = 2; i < parts.size(); ++i) {
      if (!parts[i].empty()) e.aliases.push_back(parts[i]);
    }
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

}  // namespace

// The stages ask most lines whether any rule of a family matches (a
// doctype, a signature title, a place and date...), and the answer is
// mostly no: one pass of a set's DFA answers for all the family's patterns
// where running them one by one cost 4% of extracting the bench PDF.
struct RuleSet::FamilySets {
  struct Entry {
    const Rule* rule;
    const Pattern* pattern;
  };
  std::vector<Entry> order;
  std::once_flag find_once, full_once;
  std::unique_ptr<RE2::Set> find, full;  // null when the set could not be built

  static std::unique_ptr<RE2::Set> Build(const std::vector<Entry>& order, RE2::Anchor anchor) {
    auto set = std::make_unique<RE2::Set>(RE2::Quiet, anchor);
    for (const Entry& e : order) {
      if (set->Add(e.pattern->impl_->source, nullptr) < 0) return nullptr;
    }
    if (!set->Compile()) return nullptr;
    return set;
  }
};

RuleSet::RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

Result<RuleSet> RuleSet::FromFiles(const std::map<std::string, std::string>& files) {
  RuleSet rs;
  std::string all;
  for (const auto& [name, content] : files) {  // std::map: sorted, so the hash is stable
    all += name;
    all.push_back('\0');
    all += content;
    all.push_back('\0');
    if (name.size() > 6 && name.ends_with(".rules")) {
      PLANTRACE_RETURN_IF_ERROR(ParseRulesFile(name, content, &rs.rules_));
    } else if (name.size() > 5 && name.ends_with(".list")) {
      std::string list = name.substr(0, name.size() - 5);
      PLANTRACE_RETURN_IF_ERROR(ParseListFile(name, content, &rs.lists_[list]));
    }
  }
  std::set<std::string> seen;
  for (const Rule& r : rs.rules_) {
    if (!seen.insert(r.id).second) {
      return Status::InvalidInput(Where(r.file, r.line, r.id) + ": duplicate rule id");
    }
    PLANTRACE_RETURN_IF_ERROR(CheckRuleSchema(r));
    // A rule without examples cannot be checked; negative lists carry negatives instead.
    if (r.examples.empty() && r.negatives.empty()) {
      return Status::InvalidInput(Where(r.file, r.line, r.id) + ": rule has no example");
    }
  }
  for (const Rule& r : rs.rules_) {
    rs.by_id_.emplace(r.id, &r);
    for (size_t dot = 0; dot != std::string::npos;) {
      dot = r.id.find('.', dot + 1);
      rs.categories_[r.id.substr(0, dot)].push_back(&r);
    }
  }
  for (const auto& [family, members] : rs.categories_) {
    auto sets = std::make_unique<FamilySets>();
    for (const Rule* r : members) {
      for (const Pattern& p : r->patterns) sets->order.push_back({r, &p});
    }
    rs.family_sets_.emplace(family, std::move(sets));
  }
  rs.hash_ = Sha256Hex(all);
  return rs;
}

Result<RuleSet> RuleSet::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("rules directory '" + dir + "' not found");
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!(name.ends_with(".rules") || name.ends_with(".list"))) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return Status::Io("cannot read " + entry.path().string());
    std::ostringstream ss;
    ss << in.rdbuf();
    files[name] = ss.str();
  }
  if (files.empty()) return Status::NotFound("no rule files in '" + dir + "'");
  auto rs = FromFiles(files);
  if (!rs.ok()) return rs.status().Annotate(dir);
  return rs;
}

const std::vector<const Rule*>& RuleSet::Category(std::string_view prefix) const {
  static const std::vector<const Rule*> kNone;
  auto it = categories_.find(prefix);
  return it == categories_.end() ? kNone : it->second;
}

int RuleSet::FirstInFamily(std::string_view family, std::string_view text, bool whole) const {
  auto it = family_sets_.find(family);
  if (it == family_sets_.end()) return -1;
  FamilySets& fs = *it->second;
  if (fs.order.size() < 2) return -2;  // one pattern: nothing to gain
  std::once_flag& once = whole ? fs.full_once : fs.find_once;
  std::unique_ptr<RE2::Set>& set = whole ? fs.full : fs.find;
  std::call_once(once, [&] { set = FamilySets::Build(fs.order, whole ? RE2::ANCHOR_BOTH : RE2::UNANCHORED); });
  if (!set) return -2;
  std::vector<int> hits;
  RE2::Set::ErrorInfo error;
  if (!set->Match(re2::StringPiece(text.data(), text.size()), &hits, &error)) {
    return error.kind == RE2::Set::kNoError ? -1 : -2;
  }
  return hits.empty() ? -2 : *std::min_element(hits.begin(), hits.end());
}

const Rule* RuleSet::FindIn(std::string_view family, std::string_view text, Match* m) const {
  const int first = FirstInFamily(family, text, false);
  if (first == -1) return nullptr;
  const auto& order = family_sets_.find(family)->second->order;
  for (size_t i = first >= 0 ? first : 0; i < order.size(); ++i) {
    if (order[i].pattern->Find(text, m)) return order[i].rule;
  }
  return nullptr;
}

const Rule* RuleSet::FullMatchIn(std::string_view family, std::string_view text, Match* m) const {
  const int first = FirstInFamily(family, text, true);
  if (first == -1) return nullptr;
  const auto& order = family_sets_.find(family)->second->order;
  for (size_t i = first >= 0 ? first : 0; i < order.size(); ++i) {
    if (order[i].pattern->FullMatch(text, m)) return order[i].rule;
  }
  return nullptr;
}

const Rule* RuleSet::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

const std::vector<ListEntry>& RuleSet::List(std::string_view name) const {
  static const std::vector<ListEntry> kEmpty;
  auto it = lists_.find(std::string(name));
  return it == lists_.end() ? kEmpty : it->second;
}

std::string DefaultRulesDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("PLANTRACE_RULES"); env && *env) return env;
  std::error_code ec;
  if (fs::is_directory("rules", ec) && fs::exists("rules/README.md", ec)) return "rules";
  return std::string(PLANTRACE_SOURCE_DIR) + "/rules";
}

}  // namespace plantrace
