// The store commands' shared option parsing, store opening and output
// helpers (cli_internal.h).
#include "pipeline/cli/cli_internal.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <utility>

#include "pipeline/base/budget.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/process.h"
#include "pipeline/store/identity.h"

namespace plantrace {
namespace {

// Options without a value, and the field each sets.
constexpr std::pair<std::string_view, bool Args::*> kFlags[] = {
    {"overdue", &Args::overdue},
    {"collectives", &Args::collectives},
    {"no-collectives", &Args::no_collectives},
    {"all", &Args::all},
    {"dry-run", &Args::dry_run},
    {"force", &Args::force},
    {"quiet", &Args::quiet},
    {"timing", &Args::timing},
    {"queue", &Args::queue},
    {"until-empty", &Args::until_empty},
};

// The field of flag `name`, or null when `name` takes a value.
bool Args::*FlagField(std::string_view name) {
  for (const auto& [flag, field] : kFlags) {
    if (flag == name) return field;
  }
  return nullptr;
}

// `allowed` lists the value options this command takes (e.g. "db,format").
// Hand-written rather than CLI11 (tried with 2.1.2): CLI11 accepts
// `--force=true` (here a usage error), rejects a repeated `--db` unless told
// otherwise, words its errors itself ("The following argument was not
// expected") without handing back the argument our messages name, and adds
// ~20 s of compile per including file; matching this parser's behaviour
// would take as much code as the parser.
bool Parse(const char* cmd, const std::vector<std::string>& args, const std::vector<std::string>& allowed,
           bool takes_files, const char* usage, Args* out) {
  auto allows = [&](const std::string& name) {
    for (const std::string& a : allowed) {
      if (a == name) return true;
    }
    return false;
  };
  bool only_files = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (only_files || a.empty() || a[0] != '-' || a == "-") {
      if (!takes_files) return UsageError(cmd, "unexpected argument '" + a + "'", usage);
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_files = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      out->help = true;
      return true;
    }
    std::string name, value;
    bool has_value = false;
    if (a.rfind("-j", 0) == 0 && a.size() > 2 && a[2] != '-') {
      name = "jobs";
      value = a.substr(2);
      has_value = true;
    } else if (a == "-j") {
      name = "jobs";
    } else if (a.rfind("--", 0) == 0) {
      name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
    } else {
      return UsageError(cmd, "unknown option '" + a + "'", usage);
    }
    if (!allows(name)) return UsageError(cmd, "unknown option '" + a + "'", usage);
    if (bool Args::*flag = FlagField(name)) {
      if (has_value) return UsageError(cmd, "option '--" + name + "' takes no value", usage);
      out->*flag = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return UsageError(cmd, "option '" + a + "' needs a value", usage);
      value = args[++i];
    }
    if (name == "db") {
      out->db = value;
    } else if (name == "rules") {
      out->rules = value;
    } else if (name == "doc") {
      out->doc = value;
    } else if (name == "agency") {
      out->agency = value;
    } else if (name == "search") {
      out->search = value;
    } else if (name == "format") {
      out->format = value;
    } else if (name == "role") {
      out->role = value;
    } else if (name == "status") {
      out->status = value;
    } else if (name == "due-before") {
      out->due_before = value;
    } else if (name == "due-after") {
      out->due_after = value;
    } else if (name == "as-of") {
      out->as_of = value;
    } else if (name == "due-within") {
      out->due_within = value;
    } else if (name == "out") {
      out->out = value;
    } else if (name == "jobs") {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 1 || n > 256) {
        return UsageError(cmd, "-j needs a number from 1 to 256, not '" + value + "'", usage);
      }
      out->jobs = static_cast<int>(n);
    } else if (name == "max-seconds") {
      std::optional<double> secs = ParseNumber(value);
      if (!secs || *secs < 0) return UsageError(cmd, "--max-seconds needs a number of seconds, not '" + value + "'", usage);
      out->max_seconds = *secs;
    } else if (name == "lease") {
      std::optional<double> secs = ParseNumber(value);
      if (!secs || *secs < 1) return UsageError(cmd, "--lease needs seconds (1 or more), not '" + value + "'", usage);
      out->lease_seconds = *secs;
    } else if (name == "max-attempts") {
      std::optional<int64_t> n = ParseInt(value);
      if (!n || *n < 1 || *n > 1000) {
        return UsageError(cmd, "--max-attempts needs a number from 1 to 1000, not '" + value + "'", usage);
      }
      out->max_attempts = static_cast<int>(*n);
    } else if (name == "ocr") {
      if (!ParseOcrMode(value, &out->ocr)) return UsageError(cmd, "--ocr needs auto, never or always, not '" + value + "'", usage);
    } else if (name == "max-memory") {
      std::optional<int64_t> mb = ParseInt(value);
      if (!mb || *mb < 256) return UsageError(cmd, "--max-memory needs megabytes (256 or more), not '" + value + "'", usage);
      out->max_memory_mb = static_cast<size_t>(*mb);
      if (Status st = LimitMemory(out->max_memory_mb); !st.ok()) return UsageError(cmd, st.message(), usage);
    }
  }
  if (out->db.empty()) {
    const char* env = std::getenv("PLANTRACE_DB");
    out->db = env && *env ? env : "plantrace.db";
  }
  return true;
}

}  // namespace

bool UsageError(const char* cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "plantrace %s: %s\n%s", cmd, msg.c_str(), usage);
  return false;
}

std::optional<int> ParseCommand(const char* cmd, const std::vector<std::string>& argv,
                                const std::vector<std::string>& allowed, bool takes_files, const char* usage,
                                Args* out) {
  if (!Parse(cmd, argv, allowed, takes_files, usage, out)) return 2;
  if (out->help) {
    std::fputs(usage, stdout);
    return 0;
  }
  return std::nullopt;
}

bool CheckFormat(const char* cmd, const std::string& format, const std::vector<std::string>& allowed,
                 const char* usage) {
  if (std::find(allowed.begin(), allowed.end(), format) != allowed.end()) return true;
  return UsageError(cmd, "unknown format '" + format + "'", usage);
}

std::unique_ptr<Store> OpenExisting(const char* cmd, const std::string& path, bool writer) {
  std::error_code ec;
  if (path != ":memory:" && !Store::IsDatabaseUrl(path) && !std::filesystem::exists(path, ec)) {
    std::fprintf(stderr, "plantrace %s: no store at %s (load one with 'plantrace ingest')\n", cmd, path.c_str());
    return nullptr;
  }
  Result<std::unique_ptr<Store>> store = writer ? Store::Open(path) : Store::OpenForReading(path);
  if (!store.ok()) {
    std::fprintf(stderr, "plantrace %s: %s\n", cmd, store.status().message().c_str());
    return nullptr;
  }
  return std::move(store).value();
}

std::optional<int64_t> FindOneDocument(const char* cmd, Store* store, const std::string& ref) {
  Result<std::vector<int64_t>> ids = store->FindDocuments(ref);
  if (!ids.ok() || ids->size() != 1) {
    std::fprintf(stderr, "plantrace %s: %s document '%s'\n", cmd, ids.ok() && ids->size() > 1 ? "more than one" : "no",
                 ref.c_str());
    return std::nullopt;
  }
  return (*ids)[0];
}

int OpenWithRules(const char* cmd, const Args& args, bool create, StoreRules* out) {
  Result<RuleSet> rules = RuleSet::Load(args.rules ? *args.rules : DefaultRulesDir());
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, rules.status().message().c_str());
    return 2;
  }
  out->rules = std::make_unique<RuleSet>(std::move(rules).value());
  Result<LinkRules> links = LinkRules::Load(*out->rules);
  if (!links.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, links.status().message().c_str());
    return 2;
  }
  out->links = std::make_unique<LinkRules>(std::move(links).value());
  if (create) {
    Result<std::unique_ptr<Store>> store = Store::Open(args.db);
    if (!store.ok()) {
      std::fprintf(stderr, "plantrace %s: %s\n", cmd, store.status().message().c_str());
      return 1;
    }
    out->store = std::move(store).value();
  } else {
    out->store = OpenExisting(cmd, args.db, true);
    if (!out->store) return 1;
  }
  const LinkRules* l = out->links.get();
  // Stores written before renditions (or loaded without identity rules)
  // hold one document per file: merge them before anything is loaded.
  Result<IdentityRules> identity = IdentityRules::Load(*out->rules);
  if (!identity.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, identity.status().message().c_str());
    return 2;
  }
  // A dry run writes nothing, merging included.
  Result<int> merged = args.dry_run ? Result<int>(0) : out->store->MergeDuplicates(*identity);
  if (!merged.ok()) {
    std::fprintf(stderr, "plantrace %s: store: %s\n", cmd, merged.status().message().c_str());
    return 1;
  }
  if (*merged > 0) std::fprintf(stderr, "plantrace %s: merged %d duplicate documents into renditions\n", cmd, *merged);
  Status gz =
      out->store->SetGazetteer(out->rules->List("agencies"), [l](std::string_view s) { return l->CoveredKinds(s); });
  if (!gz.ok()) {
    std::fprintf(stderr, "plantrace %s: store: %s\n", cmd, gz.message().c_str());
    return 1;
  }
  return 0;
}

std::string WorkerName() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "worker") + ":" + std::to_string(getpid());
}

std::string Cut(const std::string& s, size_t width) {
  if (Utf8Length(s) <= width) return s;
  size_t cps = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == width - 1) break;
      ++cps;
    }
  }
  return s.substr(0, i) + "…";
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

// An aligned text table; cells longer than their column's limit are cut.
std::string RenderTable(const std::vector<std::string>& headers, const std::vector<size_t>& limits,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(headers);
  for (const auto& r : rows) {
    std::vector<std::string> c;
    for (size_t i = 0; i < r.size(); ++i) c.push_back(Cut(OneLine(r[i]), limits[i]));
    cells.push_back(std::move(c));
  }
  std::vector<size_t> widths(headers.size(), 0);
  for (const auto& r : cells) {
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], Utf8Length(r[i]));
  }
  std::string out;
  for (const auto& r : cells) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) line += "  ";
      line += r[i];
      if (i + 1 < r.size()) line.append(widths[i] - Utf8Length(r[i]), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int m = std::atoi(s.substr(5, 2).c_str()), d = std::atoi(s.substr(8, 2).c_str());
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

std::string ScoreText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace plantrace
