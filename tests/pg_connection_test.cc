// The PostgreSQL connection (pipeline/store/pg_connection.h): parameters and
// NULLs through a temporary table, Vietnamese text byte for byte,
// transactions, errors as Status without the password, and the read-only
// role. The server tests need PLANTRACE_PG_URL, PLANTRACE_PG_RO_URL and
// PGPASSFILE, which the ctest entry PgConnectionOnScratchServer (label pg)
// sets after starting a throwaway server (tests/pg/with_scratch_pg.sh);
// without them they skip. The URL checks need no server and always run.
#include "pipeline/store/pg_connection.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace plantrace {
namespace {

namespace fs = std::filesystem;

constexpr char kNoServer[] =
    "PLANTRACE_PG_URL is not set: run `ctest -L pg` (tests/pg/with_scratch_pg.sh starts a scratch "
    "PostgreSQL server with scripts/pg_scratch.sh and sets it)";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Sets (or, with nullopt, unsets) an environment variable for a scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// `url` (postgresql://user@host...) with `password` put after the user.
std::string WithPassword(const std::string& url, const std::string& password) {
  size_t at = url.find('@');
  return url.substr(0, at) + ":" + password + url.substr(at);
}

std::unique_ptr<PgConnection> ConnectOrDie(const std::string& url) {
  Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(url);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

// Precomposed (NFC) Vietnamese, and one word decomposed (NFD: o + horn +
// hook above), which the server must store as sent, not normalise.
const std::string kAgencyNfc = "S\u1edf Khoa h\u1ecdc v\u00e0 C\u00f4ng ngh\u1ec7";
const std::string kIssuerNfc = "\u1ee6y ban nh\u00e2n d\u00e2n t\u1ec9nh H\u01b0ng Y\u00ean";
const std::string kDecomposed = "So\u031b\u0309 Y t\u00ea\u0301";

struct RowCase {
  int id;
  std::optional<std::string> name, note;
  std::optional<int64_t> n;
  double score;
  std::string raw;
};

const RowCase kRows[] = {
    {1, kAgencyNfc, std::nullopt, 42, 0.8125, "plain"},
    {2, kIssuerNfc, "ghi ch\u00fa: \u0111\u00fang h\u1ea1n", std::nullopt, 1.0 / 3, std::string("a\0b\xff", 4)},
    {3, kDecomposed, "", std::numeric_limits<int64_t>::max(), -0.0, ""},
    {4, std::nullopt, "quote ' and \\ backslash", std::numeric_limits<int64_t>::min(), 1e300, "\x01\x02"},
};

TEST(PgConnectionTest, ParametersAndNullsRoundTripThroughATempTable) {
  const std::string url = Env("PLANTRACE_PG_URL");
  if (url.empty()) GTEST_SKIP() << kNoServer;
  std::unique_ptr<PgConnection> c = ConnectOrDie(url);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->ExecScript("CREATE TEMP TABLE t (id bigint PRIMARY KEY, name text, note text, n bigint, "
                            "score double precision, raw bytea NOT NULL)")
                  .ok());
  const std::string insert = "INSERT INTO t (id, name, note, n, score, raw) VALUES ($1, $2, $3, $4, $5, $6)";
  for (const RowCase& r : kRows) {
    SCOPED_TRACE("row " + std::to_string(r.id));
    PgParams p;
    p.Int(r.id).OptText(r.name).OptText(r.note).OptInt(r.n).Double(r.score).Bytes(r.raw);
    // Odd rows one-shot, even rows through the prepared statement.
    Result<PgResult> res = r.id % 2 ? c->Exec(insert, p) : c->ExecPrepared(insert, p);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->affected(), 1);
  }
  Result<PgResult> res = c->Exec(
      "SELECT id, name, note, n, score, raw, char_length(name) FROM t WHERE id >= $1 ORDER BY id", PgParams().Int(1));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->rows(), static_cast<int>(std::size(kRows)));
  ASSERT_EQ(res->columns(), 7);
  for (int i = 0; i < res->rows(); ++i) {
    const RowCase& r = kRows[i];
    SCOPED_TRACE("row " + std::to_string(r.id));
    EXPECT_EQ(res->Int(i, 0), r.id);
    EXPECT_EQ(res->OptText(i, 1), r.name);
    EXPECT_EQ(res->OptText(i, 2), r.note);
    EXPECT_EQ(res->OptInt(i, 3), r.n);
    EXPECT_EQ(res->Double(i, 4), r.score);
    EXPECT_EQ(res->Bytes(i, 5), r.raw);
    // The server counts characters of UTF-8 text, not bytes.
    if (r.name == kAgencyNfc) {
      EXPECT_EQ(res->Int(i, 6), 24);
    }
  }
  EXPECT_TRUE(res->IsNull(0, 2));
  EXPECT_EQ(res->View(0, 2), "");
  EXPECT_FALSE(res->IsNull(2, 2));  // "" is not NULL
  EXPECT_EQ(res->Int(3, 6), 0);     // char_length(NULL)

  // The prepared statement is reused; an UPDATE says how many rows it changed.
  ASSERT_TRUE(c->ExecPrepared(insert, PgParams().Int(5).Null().Null().Null().Double(0).Bytes("")).ok());
  Result<PgResult> upd = c->Exec("UPDATE t SET note = $1 WHERE name IS NULL", PgParams().Text(kAgencyNfc));
  ASSERT_TRUE(upd.ok()) << upd.status().ToString();
  EXPECT_EQ(upd->affected(), 2);
  // A parameter compared with a text column: equal byte for byte.
  Result<PgResult> eq = c->Exec("SELECT count(*) FROM t WHERE name = $1 OR note = $1", PgParams().Text(kAgencyNfc));
  ASSERT_TRUE(eq.ok()) << eq.status().ToString();
  EXPECT_EQ(eq->Int(0, 0), 3);
}

TEST(PgConnectionTest, ScratchServerFoldsDiacriticsWithItsExtensions) {
  const std::string url = Env("PLANTRACE_PG_URL");
  if (url.empty()) GTEST_SKIP() << kNoServer;
  std::unique_ptr<PgConnection> c = ConnectOrDie(url);
  ASSERT_TRUE(c);
  Result<PgResult> res = c->Exec("SELECT unaccent($1::text), lower(unaccent($2::text)), similarity('so khoa hoc', $3)",
                                 PgParams().Text(kAgencyNfc).Text("\u0110\u1eaeK L\u1eaeK").Text("so khoa hoc va cong nghe"));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->Text(0, 0), "So Khoa hoc va Cong nghe");
  EXPECT_EQ(res->Text(0, 1), "dak lak");
  EXPECT_GT(res->Double(0, 2), 0.4);
}

TEST(PgConnectionTest, TransactionsCommitAndRollBack) {
  const std::string url = Env("PLANTRACE_PG_URL");
  if (url.empty()) GTEST_SKIP() << kNoServer;
  std::unique_ptr<PgConnection> c = ConnectOrDie(url);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->ExecScript("CREATE TEMP TABLE t (id bigint PRIMARY KEY)").ok());
  auto count = [&] {
    Result<PgResult> r = c->Exec("SELECT count(*) FROM t");
    return r.ok() ? r->Int(0, 0) : -1;
  };
  {
    PgTransaction tx(c.get());
    ASSERT_TRUE(tx.Begin().ok());
    EXPECT_TRUE(c->InTransaction());
    ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (1)").ok());
    // Goes out of scope without Commit: rolled back.
  }
  EXPECT_FALSE(c->InTransaction());
  EXPECT_EQ(count(), 0);
  {
    PgTransaction tx(c.get());
    ASSERT_TRUE(tx.Begin("ISOLATION LEVEL SERIALIZABLE").ok());
    ASSERT_TRUE(c->Exec("INSERT INTO t VALUES ($1)", PgParams().Int(1)).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(count(), 1);
  // A failed statement dooms the transaction: COMMIT then rolls back, and
  // that is an error, not a success.
  {
    PgTransaction tx(c.get());
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (2)").ok());
    Status dup = c->Exec("INSERT INTO t VALUES (1)").status();
    EXPECT_FALSE(dup.ok());
    EXPECT_EQ(c->last_sqlstate(), "23505");
    EXPECT_NE(dup.message().find("[SQLSTATE 23505]"), std::string::npos) << dup.message();
    Status commit = tx.Commit();
    EXPECT_FALSE(commit.ok());
    EXPECT_NE(commit.message().find("rolled back"), std::string::npos) << commit.message();
  }
  EXPECT_FALSE(c->InTransaction());
  EXPECT_EQ(count(), 1);
  Status bad = c->ExecScript("SELEC 1");
  EXPECT_EQ(bad.code(), Status::Code::kInternal);
  EXPECT_EQ(c->last_sqlstate(), "42601");
  ASSERT_TRUE(c->Exec("SELECT 1").ok());
  EXPECT_EQ(c->last_sqlstate(), "");
}

// A pgpass file (mode 600) with one line, removed at the end of the scope.
class TempPgpass {
 public:
  explicit TempPgpass(const std::string& line)
      : path_((fs::temp_directory_path() / ("plantrace-pgpass-" + std::to_string(getpid()))).string()) {
    std::ofstream(path_) << line << "\n";
    fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write);
  }
  ~TempPgpass() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Wrong credentials from each place libpq reads them: the login fails with
// Io, and the message names the user and server but not the password.
TEST(PgConnectionTest, BadPasswordIsAnErrorWithoutThePassword) {
  const std::string url = Env("PLANTRACE_PG_URL");
  if (url.empty()) GTEST_SKIP() << kNoServer;
  const std::string kSecret = "Wr0ng-S3cret-9f2e";
  // 127.0.0.1:PORT/plantrace of the URL, for a pgpass line.
  const std::string host_port = url.substr(url.find('@') + 1, url.rfind('/') - url.find('@') - 1);
  TempPgpass wrong_pgpass(host_port + ":*:*:" + kSecret);
  struct Case {
    const char* id;
    std::string url;
    std::optional<std::string> pgpassword, pgpassfile;
  } cases[] = {
      {"password in the URL", WithPassword(url, kSecret), std::nullopt, Env("PGPASSFILE")},
      {"PGPASSWORD", url, kSecret, std::nullopt},
      {"PGPASSFILE", url, std::nullopt, wrong_pgpass.path()},
      {"no password at all", url, std::nullopt, "/nonexistent/pgpass"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.id);
    ScopedEnv pgpassword("PGPASSWORD", k.pgpassword);
    ScopedEnv pgpassfile("PGPASSFILE", k.pgpassfile);
    Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(k.url);
    ASSERT_FALSE(c.ok());
    const std::string& msg = c.status().message();
    EXPECT_EQ(c.status().code(), Status::Code::kIo) << msg;
    EXPECT_EQ(msg.find(kSecret), std::string::npos) << msg;
    EXPECT_EQ(msg.find(k.url), std::string::npos) << msg;
    EXPECT_NE(msg.find("plantrace_writer@"), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("password authentication failed") != std::string::npos ||
                msg.find("no password supplied") != std::string::npos)
        << msg;
  }
  // The right password in the URL works (and takes precedence over pgpass).
  std::string right;
  {
    std::ifstream in(Env("PGPASSFILE"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(":plantrace_writer:") != std::string::npos) right = line.substr(line.rfind(':') + 1);
    }
  }
  ASSERT_FALSE(right.empty());
  ScopedEnv pgpassfile("PGPASSFILE", wrong_pgpass.path());
  EXPECT_TRUE(PgConnection::Connect(WithPassword(url, right)).ok());
}

// URLs libpq refuses, and a server that is not there: no server needed.
TEST(PgConnectionTest, BadUrlIsAnErrorWithoutThePassword) {
  const std::string kSecret = "Zq7-hunter2-x";
  struct Case {
    const char* id;
    std::string url;
    Status::Code code;
    const char* says;
  } cases[] = {
      {"bad percent escape in the password", "postgresql://u:" + kSecret + "%zz@localhost/db",
       Status::Code::kUsage, "percent-encoded"},
      {"unknown parameter", "postgresql://u:" + kSecret + "@localhost/db?" + kSecret + "=1", Status::Code::kUsage,
       "invalid URI query parameter"},
      {"key=value without =", "host=localhost password=" + kSecret + " " + kSecret, Status::Code::kUsage,
       "missing"},
      {"nothing listens", "postgresql://u:" + kSecret + "@127.0.0.1:1/db?connect_timeout=2", Status::Code::kIo,
       "cannot connect to u@127.0.0.1:1/db"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.id);
    Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(k.url);
    ASSERT_FALSE(c.ok());
    const std::string& msg = c.status().message();
    EXPECT_EQ(c.status().code(), k.code) << msg;
    EXPECT_NE(msg.find(k.says), std::string::npos) << msg;
    EXPECT_EQ(msg.find(kSecret), std::string::npos) << msg;
    EXPECT_EQ(msg.find("hunter"), std::string::npos) << msg;
  }
}

// The auditors' role reads what the writer creates (default privileges)
// and can write nothing, even with its read-only default turned off.
TEST(PgConnectionTest, ReadOnlyRoleCannotWrite) {
  const std::string url = Env("PLANTRACE_PG_URL"), ro_url = Env("PLANTRACE_PG_RO_URL");
  if (url.empty() || ro_url.empty()) GTEST_SKIP() << kNoServer;
  std::unique_ptr<PgConnection> writer = ConnectOrDie(url);
  std::unique_ptr<PgConnection> reader = ConnectOrDie(ro_url);
  ASSERT_TRUE(writer && reader);
  const std::string table = "pg_connection_test_" + std::to_string(getpid());
  ASSERT_TRUE(writer->ExecScript("DROP TABLE IF EXISTS " + table + "; CREATE TABLE " + table + " (id bigint)").ok());
  ASSERT_TRUE(writer->Exec("INSERT INTO " + table + " VALUES ($1)", PgParams().Int(7)).ok());

  Result<PgResult> read = reader->Exec("SELECT id FROM " + table);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->rows(), 1);
  EXPECT_EQ(read->Int(0, 0), 7);

  struct Case {
    const char* id;
    std::string sql;
  } writes[] = {
      {"insert", "INSERT INTO " + table + " VALUES (8)"},
      {"update", "UPDATE " + table + " SET id = 9"},
      {"delete", "DELETE FROM " + table},
      {"create table", "CREATE TABLE ro_made (id bigint)"},
      {"create temp table", "CREATE TEMP TABLE ro_temp (id bigint)"},
  };
  for (bool guard : {true, false}) {
    if (!guard) {
      ASSERT_TRUE(reader->ExecScript("SET default_transaction_read_only = off").ok());
    }
    for (const Case& w : writes) {
      SCOPED_TRACE(std::string(w.id) + (guard ? " (read-only default)" : " (privileges alone)"));
      Status st = reader->Exec(w.sql).status();
      EXPECT_FALSE(st.ok());
      // 25006: read-only transaction; 42501: insufficient privilege.
      EXPECT_EQ(reader->last_sqlstate(), guard ? "25006" : "42501") << st.message();
    }
  }
  Result<PgResult> after = writer->Exec("SELECT count(*), min(id) FROM " + table);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->Int(0, 0), 1);
  EXPECT_EQ(after->Int(0, 1), 7);
  EXPECT_TRUE(writer->ExecScript("DROP TABLE " + table).ok());
}

}  // namespace
}  // namespace plantrace
