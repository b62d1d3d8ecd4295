// Ingest: read each file, process it (in worker threads when asked) and load
// it into the store in input order, one transaction per document.
#include "pipeline/store/ingest.h"

#include <chrono>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "extractors/readers.h"
#include "pipeline/base/sha256.h"
#include "pipeline/stages/process.h"
#include "pipeline/store/identity.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

bool Hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Why a folder walk reads nothing from `e`, an entry that is no folder
// itself; "" for a regular file or a link to one. A link to a folder is not
// followed (a link to "." would loop forever), and a pipe or device would
// block or never end.
std::string WalkSkipReason(const fs::directory_entry& e) {
  std::error_code ec;
  const fs::file_status target = fs::status(e.path(), ec);
  if (ec == std::errc::too_many_symbolic_link_levels) return "a symbolic link loop";
  std::error_code link_ec;
  if (ec == std::errc::no_such_file_or_directory && fs::is_symlink(e.symlink_status(link_ec))) {
    return "a broken symbolic link (what it points to does not exist)";
  }
  if (ec) return "cannot open file: " + ec.message();
  switch (target.type()) {
    case fs::file_type::regular: return "";
    case fs::file_type::directory: return "a link to a folder (a folder walk does not follow them)";
    case fs::file_type::fifo: return "not a regular file (a named pipe)";
    default: return "not a regular file (a device or socket)";
  }
}

// "a/b.pdf: empty file" -> "empty file": the report adds the path itself.
std::string Reason(const Status& st, const std::string& path) {
  std::string msg = st.message();
  for (const std::string& prefix : {path + ": ", fs::path(path).filename().string() + ": "}) {
    if (msg.rfind(prefix, 0) == 0) return msg.substr(prefix.size());
  }
  return msg;
}

// One file after the parallel part: read, hashed and (unless already
// stored) processed.
struct Prepared {
  bool ready = false;
  bool skipped = false;
  std::string skip_reason;  // "" when skipped as already stored
  std::string bytes;
  std::string sha256;
  Status status;
  std::optional<Processed> record;
};

// PrepareFile's steps once the bytes are read: skipped when already
// stored or (unless `force`) unreadable when `walked` or no plan document,
// else processed.
Prepared PrepareBytes(Prepared p, const std::string& path, bool walked, const std::unordered_set<std::string>& stored,
                      const ProcessFn& process, bool force) {
  p.sha256 = Sha256Hex(p.bytes);
  if (stored.count(p.sha256)) {
    p.skipped = true;
    p.bytes.clear();
    return p;
  }
  if (!force && walked) {
    p.skip_reason = WhyUnreadable(p.bytes);
    if (!p.skip_reason.empty()) {
      p.skipped = true;
      p.bytes.clear();
      return p;
    }
  }
  try {
    Result<Processed> rec = process(p.bytes, path);
    if (rec.ok() && !force && !IsPlanDocument(rec->record)) {
      p.skipped = true;
      p.skip_reason = "not a plan document (no header, title or tasks)";
      p.bytes.clear();
    } else if (rec.ok()) {
      p.record = std::move(rec).value();
    } else {
      p.status = rec.status();
    }
  } catch (const std::exception& e) {
    p.status = Status::Internal(std::string("exception: ") + e.what());
  }
  return p;
}

Prepared PrepareFile(const std::string& path, const std::unordered_set<std::string>& stored,
                     const ProcessFn& process, const IngestOptions& options) {
  Prepared p;
  const auto walked = options.walked.find(path);
  if (walked != options.walked.end() && !walked->second.empty()) {
    p.skipped = true;
    p.skip_reason = walked->second;
    return p;
  }
  // ReadFileBytes refuses devices and files over the size limit before
  // reading them (a 2 GB sparse file was read whole, /dev/zero forever).
  Result<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) {
    p.status = bytes.status();
    return p;
  }
  p.bytes = std::move(bytes).value();
  return PrepareBytes(std::move(p), path, walked != options.walked.end(), stored, process, options.force);
}

// Runs PrepareFile over the inputs on `jobs` threads, handing results to the
// caller strictly in input order; at most 8 * jobs results wait in memory,
// so that a slow file at the head of the line does not idle the workers.
class Pipeline {
 public:
  Pipeline(const std::vector<std::string>& files, const std::unordered_set<std::string>& stored,
           const ProcessFn& process, const IngestOptions& options, int jobs)
      : files_(files), stored_(stored), process_(process), options_(options), slots_(files.size()),
        window_(8 * jobs) {
    for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // The result for file `i`; call with i = 0, 1, 2, ... in turn.
  Prepared Take(size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return slots_[i].ready; });
    Prepared p = std::move(slots_[i]);
    slots_[i] = Prepared();
    taken_ = i + 1;
    cv_.notify_all();
    return p;
  }

 private:
  void Work() {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || next_ >= files_.size() || next_ < taken_ + window_; });
        if (stop_ || next_ >= files_.size()) return;
        i = next_++;
      }
      Prepared p = PrepareFile(files_[i], stored_, process_, options_);
      p.ready = true;
      {
        std::lock_guard<std::mutex> lock(mu_);
        slots_[i] = std::move(p);
      }
      cv_.notify_all();
    }
  }

  const std::vector<std::string>& files_;
  const std::unordered_set<std::string>& stored_;
  const ProcessFn& process_;
  const IngestOptions& options_;
  std::vector<Prepared> slots_;
  const size_t window_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t next_ = 0;
  size_t taken_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

void AddTableRows(const std::vector<Node>& nodes, int part, std::vector<SourceLine>* out) {
  for (const Node& n : nodes) {
    if (n.kind == Node::Kind::kTable) {
      for (const GridRow& row : n.grid.rows) {
        std::string text;
        for (const GridCell& c : row.cells) {
          if (c.from_span || c.blank) continue;
          if (!text.empty()) text += " | ";
          text += c.text;
        }
        if (!text.empty()) out->push_back(SourceLine{text, row.page, row.line, part});
      }
    }
    AddTableRows(n.children, part, out);
  }
}

// The document's normalised lines with each table row as one line (cells
// joined by " | "), in page and line order.
std::vector<SourceLine> DocumentLines(const DocTree& tree) {
  std::vector<SourceLine> lines = tree.lines;
  for (size_t i = 0; i < tree.parts.size(); ++i) AddTableRows(tree.parts[i].nodes, static_cast<int>(i), &lines);
  std::stable_sort(lines.begin(), lines.end(), [](const SourceLine& a, const SourceLine& b) {
    return std::make_pair(a.page, a.line) < std::make_pair(b.page, b.line);
  });
  return lines;
}

// Loads one prepared file into `store` and records it as file `index` of
// run `run_id`; `sum` (may be null) counts it. Not OK only when the store
// itself failed.
Result<FileOutcome> LoadPrepared(Prepared* p, const std::string& path, Store* store, const std::string& rules_hash,
                                 int64_t run_id, int index, IngestSummary* sum) {
  FileOutcome o;
  o.path = path;
  o.sha256 = p->sha256;
  if (p->skipped) {
    o.kind = FileOutcome::Kind::kSkipped;
    o.skip_reason = p->skip_reason;
    if (!p->skip_reason.empty() && sum) sum->skipped.emplace_back(path, p->skip_reason);
  } else if (!p->status.ok()) {
    o.message = Reason(p->status, path);
  } else {
    o.number = p->record->record.meta.number;
    o.seconds = p->record->seconds;
    o.pages = p->record->pages;
    p->record->extras.run_id = run_id;
    Status st = store->LoadDocument(p->record->record, p->bytes, path, rules_hash, p->record->extras, &o.load);
    if (!st.ok()) {
      o.message = Reason(st, path);
    } else {
      o.kind = o.load.unchanged ? FileOutcome::Kind::kSkipped : FileOutcome::Kind::kOk;
      for (const Diagnostic& d : p->record->record.warnings) {
        if (d.severity != Severity::kInfo) o.warnings.push_back(d);
      }
      if (o.load.same_document) {
        if (sum) ++sum->renditions;
        Result<std::vector<WarningRow>> rows = store->Warnings(o.load.doc_id);
        if (!rows.ok()) return rows.status();
        const std::string file = p->record->record.doc;
        for (WarningRow& w : *rows) {
          if (w.diagnostic.code.rfind("rendition.", 0) != 0) continue;
          if (o.load.reread || w.file == file) o.differences.push_back(std::move(w));
        }
      }
    }
  }
  if (sum) ++sum->counters.files;
  RunFile rf;
  rf.path = o.path;
  rf.sha256 = o.sha256;
  rf.message = o.kind == FileOutcome::Kind::kSkipped ? o.skip_reason : o.message;
  switch (o.kind) {
    case FileOutcome::Kind::kOk:
      if (sum) ++sum->counters.ok;
      rf.status = "ok";
      rf.doc_id = o.load.doc_id;
      break;
    case FileOutcome::Kind::kSkipped:
      if (sum) ++sum->counters.skipped;
      rf.status = "skipped";
      break;
    case FileOutcome::Kind::kFailed:
      if (sum) ++sum->counters.failed;
      rf.status = "failed";
      break;
  }
  PLANTRACE_RETURN_IF_ERROR(store->RecordRunFile(run_id, index, rf));
  return o;
}

}  // namespace

Result<Processed> ProcessForStore(std::string_view bytes, const std::string& path, const RuleSet& rules,
                                  const LinkRules& link_rules, const ReadLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  DocTree tree;
  Result<Record> rec = ProcessDocument(bytes, path, rules, limits, &tree);
  if (!rec.ok()) return rec.status();
  Processed p;
  p.record = std::move(rec).value();
  p.extras.lines = DocumentLines(tree);
  for (const SourceLine& l : p.extras.lines) p.pages = std::max(p.pages, l.page);
  p.extras.facts = FindLinkFacts(p.extras.lines, link_rules);
  // The identity rules are pointers into `rules`: loading them is cheap.
  Result<IdentityRules> identity = IdentityRules::Load(rules);
  if (!identity.ok()) return identity.status();
  p.extras.identity = IdentityOf(p.record.meta, p.extras.lines, &*identity);
  p.extras.rank = identity->Rank(FactsOf(p.record));
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return p;
}

std::vector<std::string> CollectInputs(const std::vector<std::string>& args,
                                       std::unordered_map<std::string, std::string>* walked) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::pair<std::string, std::string>> found;  // path, WalkSkipReason
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      // The entry itself, not what a link points to: the iterator does not
      // follow links to folders, and a loop must not stop the walk.
      std::error_code entry_ec;
      const bool folder = it->symlink_status(entry_ec).type() == fs::file_type::directory;
      if (Hidden(it->path())) {
        if (folder) it.disable_recursion_pending();
        continue;
      }
      if (!folder) found.emplace_back(it->path().string(), WalkSkipReason(*it));
    }
    if (ec) {
      // Keep the directory itself so that it fails visibly.
      out.push_back(arg);
    }
    std::sort(found.begin(), found.end());
    for (auto& [path, reason] : found) {
      out.push_back(path);
      if (walked) (*walked)[path] = std::move(reason);
    }
  }
  return out;
}

Status Ingest(const std::vector<std::string>& files, const ProcessFn& process, const std::string& rules_hash,
              const IngestOptions& options, Store* store,
              const std::function<void(size_t index, const FileOutcome&)>& on_file, IngestSummary* summary) {
  IngestSummary sum;
  std::unordered_set<std::string> stored;
  {
    Result<std::vector<DocRow>> docs = store->Documents();
    if (!docs.ok()) return docs.status();
    for (const DocRow& d : *docs) {
      Result<std::vector<RenditionRow>> rends = store->Renditions(d.id);
      if (!rends.ok()) return rends.status();
      stored.insert(d.sha256);
      for (const RenditionRow& r : *rends) stored.insert(r.sha256);
    }
  }
  Result<int64_t> run = store->BeginRun(rules_hash);
  if (!run.ok()) return run.status();
  sum.run_id = *run;

  store->DeferLinks();
  const int jobs = std::max(1, options.jobs);
  std::optional<Pipeline> pipeline;
  if (jobs > 1 && files.size() > 1) pipeline.emplace(files, stored, process, options, jobs);

  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const Clock::time_point batch_start = Clock::now();
  for (size_t i = 0; i < files.size(); ++i) {
    Clock::time_point waited = Clock::now();
    Prepared p = pipeline ? pipeline->Take(i) : PrepareFile(files[i], stored, process, options);
    if (pipeline) sum.wait_seconds += since(waited);
    if (p.record) sum.extract_seconds += p.record->seconds;
    const Clock::time_point stored_at = Clock::now();
    Result<FileOutcome> loaded = LoadPrepared(&p, files[i], store, rules_hash, sum.run_id, static_cast<int>(i), &sum);
    if (!loaded.ok()) return loaded.status();
    FileOutcome& o = *loaded;
    sum.store_seconds += since(stored_at);
    if (on_file) on_file(i, o);
  }
  const Clock::time_point linking = Clock::now();
  PLANTRACE_RETURN_IF_ERROR(store->FinishLinks());
  sum.link_seconds = since(linking);
  sum.store_seconds += sum.link_seconds;
  sum.wall_seconds = since(batch_start);
  PLANTRACE_RETURN_IF_ERROR(store->FinishRun(sum.run_id, sum.counters));
  if (summary) *summary = sum;
  return Status::Ok();
}

Result<FileOutcome> IngestBytes(std::string bytes, const std::string& path, const ProcessFn& process,
                                const std::string& rules_hash, bool force, Store* store, int64_t run_id, int index) {
  Prepared p;
  p.bytes = std::move(bytes);
  p = PrepareBytes(std::move(p), path, /*walked=*/false, {}, process, force);
  return LoadPrepared(&p, path, store, rules_hash, run_id, index, nullptr);
}

}  // namespace plantrace
