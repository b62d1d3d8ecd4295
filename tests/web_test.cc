// The web view (pipeline/web/) on a store of the corpus seeds: search,
// task, agency and error pages, escaping of hostile task text, the store
// left unchanged, and `plantrace serve` answering over HTTP.
#include "pipeline/web/web_app.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

// The runs of digits right after each `marker` in `text` (std::regex is
// avoided: GCC 12 warns inside it under the sanitizers' -O2 build).
std::set<std::string> NumbersAfter(const std::string& text, const std::string& marker) {
  std::set<std::string> out;
  for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
    size_t from = at + marker.size();
    while (from < text.size() && text[from] == ' ') ++from;
    size_t to = from;
    while (to < text.size() && text[to] >= '0' && text[to] <= '9') ++to;
    if (to > from) out.insert(text.substr(from, to - from));
  }
  return out;
}

// A store of the five seed plans, made once by `plantrace ingest`.
class WebTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("plantrace-web-" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    db_ = new std::string((*dir_ / "seeds.db").string());
    std::string out;
    ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + *db_ + " " +
                                      testing::CorpusDir() + "/seeds >/dev/null 2>&1",
                                  &out),
              0);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
    delete db_;
  }
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::OpenReadOnly(*db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  web::Response Get(const std::string& path, const std::multimap<std::string, std::string>& params = {}) {
    web::Request req;
    req.path = path;
    req.params = params;
    return web::HandleRequest(store_.get(), req);
  }
  static std::set<std::string> TaskLinks(const std::string& html) { return NumbersAfter(html, "href=\"/task/"); }

  static fs::path* dir_;
  static std::string* db_;
  std::unique_ptr<Store> store_;
};

fs::path* WebTest::dir_ = nullptr;
std::string* WebTest::db_ = nullptr;

TEST_F(WebTest, SearchIgnoresAccentsAndCaseAndLinksTheTask) {
  web::Response r = Get("/", {{"q", "KHO du lieu dung chung"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Kho dữ liệu dùng chung"), std::string::npos);
  EXPECT_NE(r.body.find("Nhiệm vụ (1)"), std::string::npos);
  ASSERT_EQ(TaskLinks(r.body).size(), 1u);
  // The task page: the fields, their provenance, the clause marked among its lines.
  web::Response t = Get("/task/" + *TaskLinks(r.body).begin());
  ASSERT_EQ(t.status, 200);
  EXPECT_NE(t.body.find("Kho dữ liệu dùng chung"), std::string::npos);
  EXPECT_NE(t.body.find("Nguồn gốc"), std::string::npos);
  EXPECT_NE(t.body.find("Trang, dòng"), std::string::npos);
  const size_t mark = t.body.find("<span class=\"mark\">");
  ASSERT_NE(mark, std::string::npos);
  EXPECT_NE(t.body.find("Kho dữ liệu dùng chung", mark), std::string::npos);
}

TEST_F(WebTest, AgencyPageListsTheTasksTheTasksCommandLists) {
  std::string cli;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " tasks --db " + *db_ +
                                    " --agency 'Sở KH&CN' --format json 2>/dev/null",
                                &cli),
            0);
  const std::set<std::string> want = NumbersAfter(cli, "\"id\":");
  ASSERT_GT(want.size(), 5u);
  web::Response r = Get("/agency", {{"name", "So KH&CN"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(TaskLinks(r.body), want);
}

TEST_F(WebTest, DocumentPageShowsMetadataRelationsAndTasks) {
  web::Response r = Get("/doc/1");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("102/KH-UBND"), std::string::npos);
  EXPECT_NE(r.body.find("Văn bản này dẫn chiếu"), std::string::npos);
  EXPECT_EQ(TaskLinks(r.body).size(), 27u);
}

TEST_F(WebTest, UnknownPagesAndIdsAreNotFoundPages) {
  for (const char* path : {"/task/999999", "/doc/0", "/doc/abc", "/task/-1", "/nope", "/task/1/x",
                                  "/doc/99999999999999999999999"}) {
    web::Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("Không"), std::string::npos) << path;
  }
}

TEST_F(WebTest, StoredTextIsEscapedNotMarkup) {
  EXPECT_EQ(web::Escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  // A query echoed in the search box and heading.
  web::Response r = Get("/", {{"q", "\"><img src=x onerror=alert(1)><script>alert(2)</script>"}});
  EXPECT_EQ(r.body.find("<img"), std::string::npos);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
}

TEST_F(WebTest, HostileTaskTextRendersInert) {
  // A plan whose task names carry markup: stored as text, shown as text.
  const fs::path plan = *dir_ / "xss.txt";
  std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/seeds/002_aceac1bad310a983.txt");
  const std::string needle = "Kho dữ liệu dùng chung";
  ASSERT_NE(text.find(needle), std::string::npos);
  text.replace(text.find(needle), needle.size(), "Kho <script>alert(1)</script>\"><img src=x onerror=alert(2)>");
  std::ofstream(plan) << text;
  const std::string db = (*dir_ / "xss.db").string();
  std::string out;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + db + " " + plan.string() +
                                    " >/dev/null 2>&1",
                                &out),
            0);
  Result<std::unique_ptr<Store>> s = Store::OpenReadOnly(db);
  ASSERT_TRUE(s.ok());
  web::Request req;
  req.path = "/";
  req.params.emplace("q", "kho");
  web::Response r = web::HandleRequest(s->get(), req);
  std::set<std::string> tasks = TaskLinks(r.body);
  ASSERT_FALSE(tasks.empty());
  bool seen = false;
  for (const std::string& id : tasks) {
    req.path = "/task/" + id;
    req.params.clear();
    web::Response t = web::HandleRequest(s->get(), req);
    seen |= t.body.find("&lt;script&gt;alert(1)") != std::string::npos;
    EXPECT_EQ(t.body.find("<script"), std::string::npos) << id;
    EXPECT_EQ(t.body.find("<img"), std::string::npos) << id;
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

TEST_F(WebTest, ReadOnlyStoreIsUnchangedAndRefusesWhatIsNoStore) {
  const std::string before = testing::ReadFileOrDie(*db_);
  for (const char* path : {"/", "/doc/1", "/doc/3", "/task/1", "/agency"}) Get(path, {{"q", "sở"}, {"name", "Sở Nội vụ"}});
  store_.reset();
  EXPECT_EQ(testing::ReadFileOrDie(*db_), before);
  const fs::path junk = *dir_ / "junk.db";
  std::ofstream(junk) << "not a database";
  EXPECT_FALSE(Store::OpenReadOnly(junk.string()).ok());
  EXPECT_FALSE(Store::OpenReadOnly((*dir_ / "absent.db").string()).ok());
  EXPECT_FALSE(fs::exists(*dir_ / "absent.db"));
}

TEST_F(WebTest, ServeAnswersOverHttpOnLocalhost) {
  const fs::path log = *dir_ / "serve.log";
  const fs::path pid = *dir_ / "serve.pid";
  std::string out;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " serve --db " + *db_ + " --port 0 >" + log.string() +
                                    " 2>&1 & echo $! >" + pid.string(),
                                &out),
            0);
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::set<std::string> ports = NumbersAfter(testing::ReadFileOrDie(log.string()), "http://127.0.0.1:");
    if (!ports.empty()) port = std::stoi(*ports.begin());
  }
  // Stopped however the test ends: a failed assertion returns early.
  struct Stop {
    std::string pid;
    ~Stop() {
      std::string ignored;
      testing::RunCommand("kill " + pid + " 2>/dev/null", &ignored);
    }
  } stop{testing::ReadFileOrDie(pid.string())};
  ASSERT_GT(port, 0) << testing::ReadFileOrDie(log.string());
  httplib::Client client("127.0.0.1", port);
  auto home = client.Get("/?q=kho+du+lieu+dung+chung");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("Kho dữ liệu dùng chung"), std::string::npos);
  EXPECT_NE(home->get_header_value("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  auto missing = client.Get("/task/999999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto huge = client.Get("/?q=" + std::string(100000, 'a'));
  ASSERT_TRUE(!huge || huge->status >= 400);
  auto after = client.Get("/");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

}  // namespace
}  // namespace plantrace
