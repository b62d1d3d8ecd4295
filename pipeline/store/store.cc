// The SQLite store's connection: opening (Store::Open), the prepared
// statement cache, SQL text without parameters, and the small helpers the
// store*.cc files share (store_internal.h).
#include "pipeline/store/store.h"

#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <memory>

#include "pipeline/base/doc_key.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::Internal("sqlite: " + what + ": " + sqlite3_errmsg(db));
}

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

Query& BindDiagnostic(Query& q, int first, const Diagnostic& d) {
  return q.Text(first, d.code)
      .Text(first + 1, d.message)
      .Int(first + 2, d.page)
      .Int(first + 3, d.line)
      .Text(first + 4, d.clause)
      .Text(first + 5, d.rule);
}

SqliteStore::~SqliteStore() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Query SqliteStore::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Query(db_, it->second, Status::Ok());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqlError(db_, "prepare " + sql.substr(0, 60));
    sqlite3_finalize(stmt);
    return Query(db_, nullptr, st);
  }
  cache_.emplace(sql, stmt);
  return Query(db_, stmt, Status::Ok());
}

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  std::string what(sql);
  if (what.size() > 40) what = what.substr(0, 40) + "...";
  for (char& c : what) {
    if (c == '\n') c = ' ';
  }
  return Status::Internal("sqlite: " + what + ": " + msg);
}

Status SqliteStore::Init() {
  sqlite3_extended_result_codes(db_, 1);
  if (sqlite3_busy_timeout(db_, 10000) != SQLITE_OK) return SqlError(db_, "busy_timeout");
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys = ON"));
  // In-memory stores answer "memory"; that is fine.
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = WAL"));
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = NORMAL"));
  // Queries read pages through a memory map instead of a read() call each.
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA mmap_size = 1073741824"));
  PLANTRACE_RETURN_IF_ERROR(Migrate());
  // A batch that stopped before its end left links pending.
  return FinishLinks();
}

Status SqliteStore::InitReadOnly() {
  sqlite3_extended_result_codes(db_, 1);
  if (sqlite3_busy_timeout(db_, 10000) != SQLITE_OK) return SqlError(db_, "busy_timeout");
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA query_only = ON"));
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA mmap_size = 1073741824"));
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

// Opens the SQLite file with `flags`, then readies it with `init` (Init or
// InitReadOnly). No per-call mutex: a Store is used by one thread at a time
// (store.h), and SQLite's serialized mode locks on every column read of a
// long listing.
Result<std::unique_ptr<Store>> OpenWith(const std::string& path, int flags,
                                        Status (store_internal::SqliteStore::*init)()) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Io(path + ": cannot open store: " + msg);
  }
  auto store = std::make_unique<store_internal::SqliteStore>(db);
  Status st = ((*store).*init)();
  if (!st.ok()) return st.Annotate(path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  return OpenWith(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &store_internal::SqliteStore::Init);
}

Result<std::unique_ptr<Store>> Store::OpenReadOnly(const std::string& path) {
  return OpenWith(path, SQLITE_OPEN_READONLY, &store_internal::SqliteStore::InitReadOnly);
}

}  // namespace plantrace
