// Hostile inputs through the plantrace binary: each file of tests/data/bad/
// (small ones, written by scripts/make_bad_inputs.py) and the big or special
// ones this test makes in a temporary folder (a 2 GB sparse file, a PDF of a
// million objects, deep HTML, a zip bomb, symlink loops, a device...) must give
// `plantrace extract` the exit code and message tests/data/bad/EXPECTED
// names, promptly; and `plantrace ingest` of the whole folder, into a store
// holding one good plan, must report each, go on, exit 1 and leave the
// store's content as it was. Slow (label "corpus"): it runs the binary
// about 80 times and writes a few hundred MB.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

// One line of tests/data/bad/EXPECTED.
struct Expected {
  std::string name;
  int extract_exit = 0;
  std::string message;  // in what extract prints, and in ingest's FAIL line
  // FAIL, SKIP, "SKIP: <the walk's reason>", or "-" (a folder: walked into, not reported)
  std::string ingest;
  int line = 0;
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<Expected> ReadManifest(const std::string& path) {
  std::vector<Expected> out;
  std::istringstream in(testing::ReadFileOrDie(path));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (Trim(line).empty() || Trim(line)[0] == '#') continue;
    std::vector<std::string> f;
    for (size_t at = 0;;) {
      size_t bar = line.find(" | ", at);
      f.push_back(Trim(line.substr(at, bar == std::string::npos ? std::string::npos : bar - at)));
      if (bar == std::string::npos) break;
      at = bar + 3;
    }
    EXPECT_EQ(f.size(), 4u) << "EXPECTED:" << n << ": want NAME | EXIT | MESSAGE | INGEST";
    if (f.size() != 4) continue;
    EXPECT_TRUE(f[3] == "FAIL" || f[3] == "SKIP" || f[3].starts_with("SKIP: ") || f[3] == "-")
        << "EXPECTED:" << n << ": ingest " << f[3];
    EXPECT_FALSE(f[2].empty()) << "EXPECTED:" << n << ": no message";
    out.push_back({f[0], std::stoi(f[1]), f[2], f[3], n});
  }
  return out;
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << p;
}

// A PDF of a million objects: a page tree whose root lists a million pages,
// with an uncompressed cross-reference stream (4 bytes an object) so that it
// stays under the 64 MB input limit and is refused for its page count.
std::string MillionObjectPdf() {
  constexpr int kPages = 1000000;
  std::string pdf = "%PDF-1.7\n";
  std::vector<size_t> offsets(kPages + 4, 0);
  offsets[1] = pdf.size();
  pdf += "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n";
  offsets[2] = pdf.size();
  pdf += "2 0 obj<</Type/Pages/Count " + std::to_string(kPages) + "/Kids[";
  for (int i = 0; i < kPages; ++i) pdf += std::to_string(i + 3) + " 0 R ";
  pdf += "]>>endobj\n";
  for (int i = 0; i < kPages; ++i) {
    offsets[i + 3] = pdf.size();
    pdf += std::to_string(i + 3) + " 0 obj<</Type/Page>>endobj\n";
  }
  const int xref = kPages + 3;
  offsets[xref] = pdf.size();
  std::string table;
  for (int i = 0; i <= xref; ++i) {
    const size_t off = offsets[i];
    table.push_back(i == 0 ? '\0' : '\1');
    for (int shift = 24; shift >= 0; shift -= 8) table.push_back(static_cast<char>((off >> shift) & 0xFF));
  }
  pdf += std::to_string(xref) + " 0 obj<</Type/XRef/Size " + std::to_string(xref + 1) +
         "/W[1 4 0]/Root 1 0 R/Length " + std::to_string(table.size()) + ">>stream\n" + table +
         "\nendstream endobj\nstartxref\n" + std::to_string(offsets[xref]) + "\n%%EOF\n";
  return pdf;
}

// Sets the uncompressed size a zip of one entry declares, in its local header
// and its central directory entry.
void Declare(std::string* zip, uint32_t size) {
  auto put = [&](size_t at) {
    for (int i = 0; i < 4; ++i) (*zip)[at + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  };
  ASSERT_EQ(zip->rfind("PK\x03\x04", 0), 0u);
  put(22);
  const size_t central = zip->find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  put(central + 24);
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The files too big or too special to commit, made in `dir`.
const std::map<std::string, std::function<void(const fs::path&)>>& Generated() {
  static const auto* kMakers = new std::map<std::string, std::function<void(const fs::path&)>>{
      {"sparse-2gb.pdf",
       [](const fs::path& p) {
         // Sparse: no disk used. extract and ingest refuse it from its
         // size, before reading it.
         WriteFile(p, "%PDF-1.7\n");
         fs::resize_file(p, std::uintmax_t{2} << 30);
       }},
      {"million-objects.pdf", [](const fs::path& p) { WriteFile(p, MillionObjectPdf()); }},
      {"deep-nested.html",
       [](const fs::path& p) {
         WriteFile(p, "<html><body>" + Repeat("<div>", 200000) + "deep" + Repeat("</div>", 200000) + "</body></html>");
       }},
      {"deep-nested-tables.html",
       [](const fs::path& p) {
         WriteFile(p, "<html><body>" + Repeat("<table><tr><td>", 20000) + "deep" +
                          Repeat("</td></tr></table>", 20000) + "</body></html>");
       }},
      {"long-line.txt", [](const fs::path& p) { WriteFile(p, Repeat("lorem ipsum dolor sit amet ", 300000)); }},
      {"many-lines.txt", [](const fs::path& p) { WriteFile(p, Repeat("a b c\n", 400000)); }},
      {"wide-pipe-table.md",
       [](const fs::path& p) {
         WriteFile(p, "# Lorem\n\n" + Repeat("| a ", 5000) + "|\n" + Repeat("|---", 5000) + "|\n" +
                          Repeat(Repeat("| x ", 5000) + "|\n", 3));
       }},
      {"zip-bomb.docx",
       [](const fs::path& p) {
         WriteFile(p, testing::MakeZip({{"word/document.xml", std::string(100u << 20, ' ')}}));
       }},
      {"zip-bomb-lying.docx",
       [](const fs::path& p) {
         // Declares 1000 bytes and inflates to 100 MB: the reader must count
         // what it inflates, not trust the header.
         std::string zip = testing::MakeZip({{"word/document.xml", std::string(100u << 20, ' ')}});
         Declare(&zip, 1000);
         WriteFile(p, zip);
       }},
      {"many-entries.docx",
       [](const fs::path& p) {
         std::map<std::string, std::string> entries;
         for (int i = 0; i < 3000; ++i) entries["word/media/x" + std::to_string(i)] = "x";
         entries["word/document.xml"] = "<w:document/>";
         WriteFile(p, testing::MakeZip(entries, /*deflate=*/false));
       }},
      {"truncated-plan.pdf",
       [](const fs::path& p) {
         // A real plan cut short: 95% of it, as an interrupted download.
         std::string plan = testing::ReadFileOrDie(testing::CorpusDir() + "/rendered/001_6b90af762a2f7b89.pdf");
         WriteFile(p, plan.substr(0, plan.size() * 95 / 100));
       }},
      {"self-loop.txt", [](const fs::path& p) { fs::create_symlink(p.filename(), p); }},
      {"loop-dir", [](const fs::path& p) { fs::create_directory_symlink(".", p); }},
      {"dangling.pdf", [](const fs::path& p) { fs::create_symlink("no-such-file.pdf", p); }},
      {"dev-zero.txt", [](const fs::path& p) { fs::create_symlink("/dev/zero", p); }},
      {"directory.pdf", [](const fs::path& p) { fs::create_directory(p); }},
  };
  return *kMakers;
}

// The store's content, table by table: the CREATE statement and every row
// (all columns, sorted), as `sqlite3 .dump` would show it modulo ordering.
std::map<std::string, std::string> DumpStore(const std::string& path) {
  std::map<std::string, std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* tables = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                               &tables, nullptr),
            SQLITE_OK);
  while (sqlite3_step(tables) == SQLITE_ROW) {
    const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(tables, 0));
    const unsigned char* sql = sqlite3_column_text(tables, 1);
    std::string& dump = out[name];
    dump = sql ? reinterpret_cast<const char*>(sql) : "";
    dump += "\n";
    sqlite3_stmt* rows = nullptr;
    std::string select = "SELECT * FROM \"" + name + "\"";
    if (sqlite3_prepare_v2(db, select.c_str(), -1, &rows, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << name << ": " << sqlite3_errmsg(db);
      continue;
    }
    std::vector<std::string> lines;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(rows); ++c) {
        const int type = sqlite3_column_type(rows, c);
        const char* bytes = static_cast<const char*>(sqlite3_column_blob(rows, c));
        row += type == SQLITE_NULL ? "NULL" : std::to_string(type) + ":" + std::string(bytes ? bytes : "",
                                                                                      sqlite3_column_bytes(rows, c));
        row += "|";
      }
      lines.push_back(row);
    }
    sqlite3_finalize(rows);
    std::sort(lines.begin(), lines.end());
    for (const std::string& l : lines) dump += l + "\n";
  }
  sqlite3_finalize(tables);
  sqlite3_close(db);
  return out;
}

// A dump of sqlite_stat1 without the rows of the run log's tables.
std::string WithoutRunLog(const std::string& stat) {
  std::istringstream in(stat);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("3:ingest_runs|") && !line.starts_with("3:run_files|")) out += line + "\n";
  }
  return out;
}

class CorpusBadInputsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("plantrace_bad_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(bad());
    manifest_ = new std::vector<Expected>(ReadManifest(Source() + "/EXPECTED"));
    for (const auto& e : fs::directory_iterator(Source())) {
      if (e.path().filename() != "EXPECTED") fs::copy_file(e.path(), bad() / e.path().filename());
    }
    for (const auto& [name, make] : Generated()) make(bad() / name);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete manifest_;
  }
  static std::string Source() { return testing::SourceDir() + "/tests/data/bad"; }
  static fs::path bad() { return *dir_ / "bad"; }

  // Runs plantrace; a run over `limit` seconds is killed and fails the test
  // (a hang is what this corpus is for).
  static int Run(const std::string& args, std::string* out, int limit = 120) {
    const auto start = std::chrono::steady_clock::now();
    int rc = testing::RunCommand("timeout -k 5 " + std::to_string(limit) + " " + testing::PlantraceBin() + " " +
                                     args + " 2>&1 </dev/null",
                                 out);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_NE(rc, 124) << "plantrace " << args << " ran over " << limit << " s";
    EXPECT_LT(took, limit);
    return rc;
  }

  static fs::path* dir_;
  static std::vector<Expected>* manifest_;
};

fs::path* CorpusBadInputsTest::dir_ = nullptr;
std::vector<Expected>* CorpusBadInputsTest::manifest_ = nullptr;

// Every committed file and every generated one has its line, and only those.
TEST_F(CorpusBadInputsTest, ManifestNamesEveryFile) {
  std::map<std::string, int> listed;
  for (const Expected& e : *manifest_) EXPECT_EQ(++listed[e.name], 1) << "twice in EXPECTED: " << e.name;
  std::set<std::string> present;
  for (const auto& e : fs::directory_iterator(Source())) present.insert(e.path().filename().string());
  present.erase("EXPECTED");
  for (const auto& [name, make] : Generated()) {
    EXPECT_FALSE(present.count(name)) << name << " is both committed and generated";
    present.insert(name);
  }
  for (const std::string& name : present) EXPECT_TRUE(listed.count(name)) << name << " has no line in EXPECTED";
  for (const auto& [name, n] : listed) EXPECT_TRUE(present.count(name)) << "EXPECTED names a missing file: " << name;
  EXPECT_GE(present.size(), 40u);
}

// Each file alone: the exit code and a message that names the file and
// gives the reason, on one line when the file fails.
TEST_F(CorpusBadInputsTest, ExtractGivesEachItsExitAndReason) {
  for (const Expected& e : *manifest_) {
    SCOPED_TRACE("EXPECTED:" + std::to_string(e.line) + " " + e.name);
    const std::string path = (bad() / e.name).string();
    std::string out;
    EXPECT_EQ(Run("extract " + path, &out, 60), e.extract_exit) << out;
    EXPECT_NE(out.find(e.name), std::string::npos) << out;
    EXPECT_NE(out.find(e.message), std::string::npos) << out;
    if (e.extract_exit != 0) {
      EXPECT_EQ(out.rfind("plantrace extract: " + path + ": ", 0), 0u) << out;
      EXPECT_EQ(out.find('\n'), out.size() - 1) << "not one line: " << out;
    }
  }
}

// The whole folder into a store holding one good plan: every file reported
// (FAIL with its reason, or SKIP: one extract fails on with the same reason,
// one that is no file with the walk's), the batch goes on, exit 1, and
// every table but the run log is as it was; the run log only gains this run.
TEST_F(CorpusBadInputsTest, IngestReportsEachAndLeavesTheStoreAsItWas) {
  const std::string db = (*dir_ / "store.db").string();
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db + " " + testing::CorpusDir() + "/rendered/004_e3670e579c2a1ce4.docx", &out), 0)
      << out;
  const std::map<std::string, std::string> before = DumpStore(db);
  ASSERT_GT(before.size(), 10u);

  EXPECT_EQ(Run("ingest --db " + db + " " + bad().string(), &out, 300), 1) << out;
  std::map<std::string, std::string> lines;  // file name -> its report line
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    EXPECT_FALSE(line.starts_with("OK")) << line;
    for (const char* kind : {"FAIL  ", "SKIP  "}) {
      if (!line.starts_with(kind)) continue;
      const std::string rest = line.substr(6);
      const std::string prefix = bad().string() + "/";
      ASSERT_EQ(rest.rfind(prefix, 0), 0u) << line;
      const std::string name = rest.substr(prefix.size(), rest.find(": ") - prefix.size());
      EXPECT_TRUE(lines.emplace(name, line).second) << "reported twice: " << line;
    }
  }
  for (const Expected& e : *manifest_) {
    SCOPED_TRACE("EXPECTED:" + std::to_string(e.line) + " " + e.name);
    auto it = lines.find(e.name);
    if (e.ingest == "-") {
      EXPECT_EQ(it, lines.end()) << it->second;
      continue;
    }
    ASSERT_NE(it, lines.end()) << "not reported:\n" << out;
    EXPECT_TRUE(it->second.starts_with(e.ingest.substr(0, 4) + "  ")) << it->second;
    EXPECT_NE(it->second.find(": ", 6), std::string::npos) << "no reason: " << it->second;
    if (e.ingest.starts_with("SKIP: ")) {
      EXPECT_TRUE(it->second.ends_with(": " + e.ingest.substr(6))) << it->second;
    } else if (e.ingest == "FAIL" || e.extract_exit != 0) {
      EXPECT_NE(it->second.find(e.message), std::string::npos) << it->second;
    }
  }
  EXPECT_NE(out.find("total: "), std::string::npos) << out;

  std::map<std::string, std::string> after = DumpStore(db);
  for (const char* log : {"ingest_runs", "run_files"}) {
    SCOPED_TRACE(log);
    ASSERT_TRUE(before.count(log) && after.count(log));
    // Rows sort by run id first: the earlier run's rows come first, unchanged.
    EXPECT_EQ(after[log].rfind(before.at(log), 0), 0u);
    EXPECT_GT(after[log].size(), before.at(log).size());
    after.erase(log);
  }
  std::map<std::string, std::string> content = before;
  content.erase("ingest_runs");
  content.erase("run_files");
  // The planner's statistics (ANALYZE) count the run log's rows too.
  for (auto* dump : {&content, &after}) {
    if (dump->count("sqlite_stat1")) (*dump)["sqlite_stat1"] = WithoutRunLog((*dump)["sqlite_stat1"]);
  }
  ASSERT_EQ(after.size(), content.size());
  for (const auto& [table, dump] : content) {
    SCOPED_TRACE(table);
    EXPECT_EQ(after[table], dump);
  }
}

}  // namespace
}  // namespace plantrace
