// Rule-set loader and the RE2 wrapper. Parses rules/*.rules (blocks of
// "key: value" under "[id]") and rules/*.list ("kind | canonical | alias"),
// validates them before anything runs, and hashes their content.
#include "pipeline/base/rules.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
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
// pattern through its examples, which catches that).
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

Result<Pattern> Pattern::Compile(const std::string& re) {
  Pattern p;
  {
    RE2::Set parse(RE2::Quiet, RE2::UNANCHORED);
    std::string error;
    if (parse.Add(re, &error) < 0) return Status::InvalidInput("bad pattern /" + re + "/: " + error);
  }
  auto impl = std::make_shared<Impl>(re);
  p.impl_ = std::move(impl);
  p.source_ = re;
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
  std::vector<re2::StringPiece> sub(n + 1);
  if (!re.Match(whole, from, text.size(), anchor, sub.data(), n + 1)) return false;
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
    for (size_t dot = 0; dot != std::string::npos;) {
      dot = r.id.find('.', dot + 1);
      rs.categories_[r.id.substr(0, dot)].push_back(&r);
    }
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

const Rule* RuleSet::FindIn(std::string_view family, std::string_view text, Match* m) const {
  for (const Rule* r : Category(family)) {
    for (const Pattern& p : r->patterns) {
      if (p.Find(text, m)) return r;
    }
  }
  return nullptr;
}

const Rule* RuleSet::FullMatchIn(std::string_view family, std::string_view text, Match* m) const {
  for (const Rule* r : Category(family)) {
    for (const Pattern& p : r->patterns) {
      if (p.FullMatch(text, m)) return r;
    }
  }
  return nullptr;
}

const Rule* RuleSet::Find(std::string_view id) const {
  for (const Rule& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
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
