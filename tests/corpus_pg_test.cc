// The corpus in a SQLite store and in a PostgreSQL one, through the
// command line: what export, tasks and report print is byte-identical, and
// stays so after a reprocess. Skips unless PLANTRACE_PG_URL is set (ctest
// -L pg runs it against a scratch server, tests/pg/with_scratch_pg.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

int RunPlantrace(const std::string& args, std::string* out) {
  return testing::RunCommand(testing::PlantraceBin() + " " + args + " 2>&1", out);
}

TEST(CorpusPgTest, SqliteAndPostgresPrintTheSame) {
  if (testing::PgUrl().empty()) GTEST_SKIP() << "PLANTRACE_PG_URL is not set (ctest -L pg starts a scratch server)";
  const fs::path dir = fs::temp_directory_path() / ("plantrace_corpus_pg_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string lite = (dir / "t.db").string();
  const std::string pg = "'" + testing::FreshPgSchemaUrl() + "'";
  ASSERT_NE(pg, "''");
  std::string inputs = testing::CorpusDir() + "/seeds";
  if (fs::is_directory(testing::SharedDir() + "/corpus")) inputs += " " + testing::SharedDir() + "/corpus";
  std::string out;
  for (const std::string& db : {lite, pg}) {
    ASSERT_EQ(RunPlantrace("ingest --quiet --db " + db + " " + inputs, &out), 0) << out;
  }
  const char* commands[] = {"export", "tasks --format json", "report --as-of 2026-06-30 --format json",
                            "docs --format json", "warnings --format json", "agencies --format json",
                            "tasks --search 'du lieu' --format json", "lineage 1", "trace 1:3"};
  auto compare = [&](const std::string& when) {
    for (const char* c : commands) {
      SCOPED_TRACE(when + ": " + c);
      std::string a, b;
      ASSERT_EQ(RunPlantrace(std::string(c) + " --db " + lite, &a), 0) << a;
      ASSERT_EQ(RunPlantrace(std::string(c) + " --db " + pg, &b), 0) << b;
      EXPECT_GT(a.size(), 100u);
      EXPECT_TRUE(a == b) << "outputs differ (" << a.size() << " and " << b.size() << " bytes)";
    }
  };
  compare("after ingest");
  // The auditors' read-only role reads the same, and cannot load a plan
  // (the error names neither the URL nor its password).
  const std::string ro = testing::PgReadOnlyUrl(pg.substr(1, pg.size() - 2));
  if (!ro.empty()) {
    for (const char* c : commands) {
      SCOPED_TRACE(std::string("read-only role: ") + c);
      std::string a, b;
      ASSERT_EQ(RunPlantrace(std::string(c) + " --db " + pg, &a), 0) << a;
      ASSERT_EQ(RunPlantrace(std::string(c) + " --db '" + ro + "'", &b), 0) << b;
      EXPECT_TRUE(a == b) << "outputs differ (" << a.size() << " and " << b.size() << " bytes)";
    }
    const std::string doc = testing::CorpusDir() + "/seeds/000_5765c50382b6d008.txt";
    for (const std::string& write : {"ingest --force " + doc, std::string("reprocess --all")}) {
      SCOPED_TRACE("read-only role: " + write);
      EXPECT_NE(RunPlantrace(write + " --db '" + ro + "'", &out), 0) << out;
      EXPECT_EQ(out.find("postgresql://"), std::string::npos) << out;
      EXPECT_EQ(out.find("password"), std::string::npos) << out;
      EXPECT_NE(out.find("writer role"), std::string::npos) << out;
    }
  }
  // Re-extraction rewrites documents in place and deletes merged ones: ids
  // must still be allocated alike. On PostgreSQL it goes through the work
  // queue, one document per item: it reports the same changes.
  std::string reprocessed[2];
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(RunPlantrace("reprocess --quiet --all --format json --db " + (i ? pg : lite), &reprocessed[i]), 0)
        << reprocessed[i];
  }
  EXPECT_GT(reprocessed[0].size(), 100u);
  EXPECT_TRUE(reprocessed[0] == reprocessed[1]) << "reprocess reports differ:\n" << reprocessed[0] << "\n"
                                               << reprocessed[1];
  compare("after reprocess");
  fs::remove_all(dir);
}

// Inputs that fail or are skipped (tests/data/bad: broken, hostile, not
// plans) fail and load alike: PostgreSQL's stricter text (no NUL, valid
// UTF-8 only) turns none of them into a store error.
TEST(CorpusPgTest, BadInputsFailAlike) {
  if (testing::PgUrl().empty()) GTEST_SKIP() << "PLANTRACE_PG_URL is not set (ctest -L pg starts a scratch server)";
  const fs::path dir = fs::temp_directory_path() / ("plantrace_bad_pg_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string lite = (dir / "t.db").string();
  const std::string pg = "'" + testing::FreshPgSchemaUrl() + "'";
  ASSERT_NE(pg, "''");
  const std::string inputs = testing::SourceDir() + "/tests/data/bad";
  std::string a, b;
  const int rc_lite = RunPlantrace("ingest --quiet --db " + lite + " " + inputs, &a);
  const int rc_pg = RunPlantrace("ingest --quiet --db " + pg + " " + inputs, &b);
  EXPECT_EQ(rc_lite, rc_pg);
  EXPECT_EQ(b.find("postgresql"), std::string::npos) << b;
  std::string ea, eb;
  ASSERT_EQ(RunPlantrace("export --db " + lite, &ea), 0) << ea;
  ASSERT_EQ(RunPlantrace("export --db " + pg, &eb), 0) << eb;
  EXPECT_TRUE(ea == eb) << "exports differ (" << ea.size() << " and " << eb.size() << " bytes)";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace plantrace
