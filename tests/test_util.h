// Shared test helpers: where the source tree, corpus and rules are.
#ifndef PLANTRACE_TESTS_TEST_UTIL_H_
#define PLANTRACE_TESTS_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>

#include "pipeline/base/rules.h"

namespace plantrace::testing {

std::string SourceDir();             // repository root
std::string CorpusDir();             // <root>/corpus
// <root>/../shared: real plans, their gold and the shared corpus, kept
// beside the checkout; may be absent, so tests that read it skip then.
std::string SharedDir();
std::string ReadFileOrDie(const std::string& path);
const RuleSet& Rules();              // rules/ loaded once; aborts the test binary if invalid
std::string PlantraceBin();          // $PLANTRACE_BIN or <root>/build/plantrace
// Runs a shell command, returns its exit status and captures stdout.
int RunCommand(const std::string& cmd, std::string* out);
// A zip archive (built in memory with libzip) holding `entries` (name ->
// bytes), deflated or stored. Names are written as given ("../x" too); an
// entry libzip refuses (an empty name) is left out.
std::string MakeZip(const std::map<std::string, std::string>& entries, bool deflate = true);

// $PLANTRACE_PG_URL (a writer of a scratch server, tests/pg/with_scratch_pg.sh)
// or "" when unset: tests of the PostgreSQL store skip then.
std::string PgUrl();
// A new empty schema on PgUrl()'s database, as a URL whose connections
// use it (search_path; pg_trgm stays reachable in public). Fails the test
// and returns "" when the schema cannot be made.
std::string FreshPgSchemaUrl();
// The read-only role's URL ($PLANTRACE_PG_RO_URL) on the schema of
// `schema_url` (a FreshPgSchemaUrl()); "" when that variable is unset.
std::string PgReadOnlyUrl(const std::string& schema_url);
// The store the store tests run on: ":memory:" (SQLite), or with
// PLANTRACE_TEST_STORE=postgresql (ctest label pg) a FreshPgSchemaUrl().
std::string TestStoreDb();

}  // namespace plantrace::testing

#endif  // PLANTRACE_TESTS_TEST_UTIL_H_
