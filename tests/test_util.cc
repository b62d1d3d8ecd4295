// Shared test helpers.
#include "tests/test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <gtest/gtest.h>

#include "pipeline/store/pg_connection.h"

namespace plantrace::testing {

std::string PgUrl() {
  const char* url = std::getenv("PLANTRACE_PG_URL");
  return url ? url : "";
}

std::string FreshPgSchemaUrl() {
  const std::string url = PgUrl();
  if (url.empty()) {
    ADD_FAILURE() << "PLANTRACE_PG_URL is not set (run through tests/pg/with_scratch_pg.sh)";
    return "";
  }
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status().ToString();
    return "";
  }
  static int n = 0;
  const std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(++n);
  Status st = (*conn)->ExecScript("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  if (!st.ok()) {
    ADD_FAILURE() << st.ToString();
    return "";
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema + "%2Cpublic";
}

std::string PgReadOnlyUrl(const std::string& schema_url) {
  const char* ro = std::getenv("PLANTRACE_PG_RO_URL");
  const size_t options = schema_url.find("options=");
  if (!ro || !*ro || options == std::string::npos) return "";
  const std::string url = ro;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + schema_url.substr(options);
}

std::string TestStoreDb() {
  const char* backend = std::getenv("PLANTRACE_TEST_STORE");
  if (backend && std::string(backend) == "postgresql") return FreshPgSchemaUrl();
  return ":memory:";
}

std::string SourceDir() { return PLANTRACE_SOURCE_DIR; }
std::string CorpusDir() { return SourceDir() + "/corpus"; }
std::string SharedDir() { return SourceDir() + "/../shared"; }

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::abort();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const RuleSet& Rules() {
  static const RuleSet* rules = [] {
    auto r = RuleSet::Load(SourceDir() + "/rules");
    if (!r.ok()) {
      std::cerr << "rules do not load: " << r.status().ToString() << "\n";
      std::abort();
    }
    return new RuleSet(std::move(r).value());
  }();
  return *rules;
}

std::string PlantraceBin() {
  if (const char* b = std::getenv("PLANTRACE_BIN"); b && *b) return b;
  return SourceDir() + "/build/plantrace";
}

int RunCommand(const std::string& cmd, std::string* out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[65536];
  size_t n;
  if (out) out->clear();
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
    if (out) out->append(buf, n);
  }
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string MakeZip(const std::map<std::string, std::string>& entries, bool deflate) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_t* za = buf ? zip_open_from_source(buf, ZIP_TRUNCATE, &err) : nullptr;
  if (za == nullptr) {
    std::cerr << "libzip: " << zip_error_strerror(&err) << "\n";
    std::abort();
  }
  zip_source_keep(buf);  // zip_close frees the archive, not the bytes we read after
  for (const auto& [name, data] : entries) {
    zip_source_t* src = zip_source_buffer(za, data.data(), data.size(), 0);
    zip_int64_t at = src ? zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8) : -1;
    if (at < 0) {
      if (src) zip_source_free(src);
      continue;
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(at), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
  }
  if (zip_close(za) != 0) {
    std::cerr << "libzip: " << zip_strerror(za) << "\n";
    std::abort();
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buf, &st) == 0 && zip_source_open(buf) == 0) {
    out.resize(st.size);
    zip_int64_t n = zip_source_read(buf, out.data(), st.size);
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    zip_source_close(buf);
  }
  zip_source_free(buf);
  return out;
}

}  // namespace plantrace::testing
