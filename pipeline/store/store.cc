// Opening a store (Store::Open: SQLite or PostgreSQL by the --db value) and
// the small helpers the store*.cc files share (store_internal.h).
#include "pipeline/store/store.h"

#include <cctype>
#include <charconv>
#include <memory>

#include "pipeline/base/doc_key.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void AppendId(std::string* ids, int64_t id) {
  if (ids->size() > 1) *ids += ',';
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, id);
  ids->append(buf, end);
}

std::string FtsWords(std::string_view folded) {
  std::string out;
  size_t i = 0;
  while (i < folded.size()) {
    size_t j = folded.find(' ', i);
    if (j == std::string_view::npos) j = folded.size();
    if (j > i) {
      if (!out.empty()) out += ' ';
      out.append(folded.substr(i, j - i));
    }
    i = j + 1;
  }
  return out;
}

std::string FtsDoc(const FtsRow& r) {
  std::string doc = " ";
  for (const std::string* col : {&r.name, &r.lead, &r.coord, &r.output}) {
    if (col != &r.name) doc += " | ";
    doc += FtsWords(*col);
  }
  return doc + " ";
}

Query& BindDiagnostic(Query& q, int first, const Diagnostic& d) {
  return q.Text(first, d.code)
      .Text(first + 1, d.message)
      .Int(first + 2, d.page)
      .Int(first + 3, d.line)
      .Text(first + 4, d.clause)
      .Text(first + 5, d.rule);
}

Status SqlStore::Init() {
  PLANTRACE_RETURN_IF_ERROR(Migrate());
  // A batch that stopped before its end left links pending.
  return FinishLinks();
}

Status SqlStore::InitReadOnly() {
  Result<int> version = SchemaVersion();
  if (!version.ok()) return Status::InvalidInput("not a plantrace store (" + version.status().message() + ")");
  if (*version != LatestSchemaVersion()) {
    return Status::Unsupported("store schema version " + std::to_string(*version) + ", this program reads version " +
                               std::to_string(LatestSchemaVersion()) + " (open it once with a writing command)");
  }
  return Status::Ok();
}

}  // namespace store_internal

std::string NumberKey(std::string_view number) { return DocNumberKey(number); }

Result<std::vector<TaskRow>> Store::Tasks(const TaskQuery& q) {
  std::vector<TaskRow> rows;
  Status st = ForEachTask(q, [&](const TaskRow& t) { rows.push_back(t); });
  if (!st.ok()) return st;
  return rows;
}

namespace {

// Opens the store's engine (a postgresql:// URL or a SQLite file path), then
// readies it with `init` (Init or InitReadOnly).
Result<std::unique_ptr<Store>> OpenWith(const std::string& db, bool read_only,
                                        Status (store_internal::SqlStore::*init)()) {
  const bool pg = store_internal::IsPostgresUrl(db);
  Result<std::unique_ptr<store_internal::Engine>> engine =
      pg ? store_internal::OpenPostgres(db, read_only) : store_internal::OpenSqlite(db, read_only);
  if (!engine.ok()) return engine.status();
  auto store = std::make_unique<store_internal::SqlStore>(std::move(*engine));
  Status st = ((*store).*init)();
  // A URL is never repeated in a message (it may carry a password).
  if (!st.ok()) return pg ? st : st.Annotate(db);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace

bool Store::IsDatabaseUrl(std::string_view db) { return store_internal::IsPostgresUrl(db); }

Result<std::unique_ptr<Store>> Store::Open(const std::string& db) {
  return OpenWith(db, false, &store_internal::SqlStore::Init);
}

Result<std::unique_ptr<Store>> Store::OpenReadOnly(const std::string& db) {
  return OpenWith(db, true, &store_internal::SqlStore::InitReadOnly);
}

Result<std::unique_ptr<Store>> Store::OpenForReading(const std::string& db) {
  // A private in-memory store exists only once created.
  if (db == ":memory:") return Open(db);
  Result<std::unique_ptr<Store>> reader = OpenReadOnly(db);
  if (reader.ok()) {
    Result<bool> pending = static_cast<store_internal::SqlStore&>(**reader).LinksPending();
    if (!pending.ok()) return pending.status();
    if (!*pending) return reader;
  } else if (reader.status().code() != Status::Code::kUnsupported) {
    return reader.status();
  }
  Result<std::unique_ptr<Store>> writer = Open(db);
  if (writer.ok()) return writer;
  // No write rights: an older schema cannot be read (the reader's message
  // says so); pending links are read as the store holds them.
  return reader;
}

}  // namespace plantrace
