// The web view (pipeline/web/) on a store of the corpus seeds: search,
// task, agency and error pages, escaping of hostile task text, the store
// left unchanged, and `plantrace serve` answering over HTTP.
#include "pipeline/web/web_app.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "pipeline/base/unicode.h"
#include "pipeline/web/charts.h"
#include "pipeline/web/page_view.h"

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
    session_ = std::make_unique<web::Session>(store_.get());
  }
  static web::WebOptions Options() {
    web::WebOptions o;
    o.page_cache_dir = (*dir_ / "pages").string();
    o.today = "2026-12-04";
    return o;
  }
  web::Response Get(const std::string& path, const std::multimap<std::string, std::string>& params = {}) {
    return GetFrom(session_.get(), path, params);
  }
  web::Response GetFrom(web::Session* session, const std::string& path,
                        const std::multimap<std::string, std::string>& params = {}) {
    web::Request req;
    req.path = path;
    req.params = params;
    return app_.Handle(session, req);
  }
  // The part of `html` inside the element that opens with `open`.
  static std::string Section(const std::string& html, const std::string& open, const std::string& close = "</section>") {
    const size_t from = html.find(open);
    if (from == std::string::npos) return "";
    const size_t to = html.find(close, from);
    return html.substr(from, to == std::string::npos ? std::string::npos : to - from);
  }
  static std::set<std::string> TaskLinks(const std::string& html) { return NumbersAfter(html, "href=\"/task/"); }

  static fs::path* dir_;
  static std::string* db_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<web::Session> session_;
  web::WebApp app_{Options()};
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
  EXPECT_EQ(TaskLinks(Section(r.body, "<section id=\"all\">")), want);
  // Overdue and due soon as of the date asked, as `tasks --overdue --as-of`.
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " tasks --db " + *db_ +
                                    " --agency 'Sở KH&CN' --overdue --as-of 2026-06-30 --format json 2>/dev/null",
                                &cli),
            0);
  r = Get("/agency", {{"name", "Sở KH&CN"}, {"as_of", "2026-06-30"}});
  EXPECT_EQ(TaskLinks(Section(r.body, "<section id=\"overdue\">")), NumbersAfter(cli, "\"id\":"));
  EXPECT_FALSE(NumbersAfter(cli, "\"id\":").empty());
  // The collectives that bind a Sở are named, their tasks flagged.
  const std::string collectives = Section(r.body, "<section id=\"collectives\">");
  ASSERT_FALSE(collectives.empty());
  EXPECT_NE(collectives.find("qua tập thể"), std::string::npos);
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
  web::Session session(s->get());
  web::Response r = app_.Handle(&session, req);
  std::set<std::string> tasks = TaskLinks(r.body);
  ASSERT_FALSE(tasks.empty());
  bool seen = false;
  for (const std::string& id : tasks) {
    req.path = "/task/" + id;
    req.params.clear();
    web::Response t = app_.Handle(&session, req);
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
  session_.reset();
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

TEST_F(WebTest, BadParametersAreBadRequestPages) {
  for (const auto& [path, key, value] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"/", "as_of", "2026-13-40"},
                                                                       {"/agency", "as_of", "yesterday"},
                                                                       {"/tasks", "role", "boss"},
                                                                       {"/tasks", "status", "x"},
                                                                       {"/tasks", "due_within", "forever"},
                                                                       {"/tasks.csv", "due_after", "1/1/2025"},
                                                                       {"/doc/1", "status", "<b>"}}) {
    web::Response r = Get(path, {{key, value}, {"name", "Sở Nội vụ"}});
    EXPECT_EQ(r.status, 400) << path << " " << key;
    EXPECT_EQ(r.body.find("<b>"), std::string::npos);
  }
}

TEST_F(WebTest, ExportsEqualTheTasksCommand) {
  for (const char* format : {"csv", "json"}) {
    std::string cli;
    ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " tasks --db " + *db_ + " --agency 'Sở KH&CN' --format " +
                                      format + " 2>/dev/null",
                                  &cli),
              0);
    web::Response r = Get(std::string("/tasks.") + format, {{"agency", "Sở KH&CN"}});
    ASSERT_EQ(r.status, 200) << format;
    EXPECT_EQ(r.body, cli) << format;
    bool attachment = false;
    for (const auto& [name, value] : r.headers) attachment |= name == "Content-Disposition";
    EXPECT_TRUE(attachment);
  }
  web::Response x = Get("/tasks.xlsx", {{"doc", "1"}});
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");  // a zip: the workbook
  // The document page's export links carry its filters.
  web::Response d = Get("/doc/1", {{"agency", "Sở Nội vụ"}});
  EXPECT_NE(d.body.find("/tasks.csv?agency=S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5&amp;doc=1&amp;status=all"),
            std::string::npos);
  EXPECT_LT(TaskLinks(Section(d.body, "<h2 id=\"tasks\">", "</table>")).size(), 27u);
}

TEST_F(WebTest, DashboardNumbersEqualTheReport) {
  std::string csv;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " report --db " + *db_ +
                                    " --as-of 2026-06-30 --format csv 2>/dev/null",
                                &csv),
            0);
  web::Response r = Get("/", {{"as_of", "2026-06-30"}});
  ASSERT_EQ(r.status, 200);
  const std::string table = Section(r.body, "<table id=\"report-table\">", "</table>");
  // Each CSV row (agency, kind, active, due soon, overdue) is the table row
  // of that agency, with the same numbers.
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  int rows = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++rows;
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.emplace_back();
      } else {
        fields.back() += c;
      }
    }
    ASSERT_EQ(fields.size(), 5u) << line;
    const std::string row = Section(table, "<tr data-agency=\"" + web::Escape(fields[0]) + "\">", "</tr>");
    ASSERT_FALSE(row.empty()) << fields[0];
    EXPECT_NE(row.find("<td class=\"num\">" + fields[2] + "</td><td class=\"num\">" + fields[3] +
                       "</td><td class=\"num overdue\">" + fields[4] + "</td>"),
              std::string::npos)
        << line;
  }
  EXPECT_GT(rows, 10);
  // The bar chart's overdue bars carry the same counts and link to the list.
  EXPECT_NE(r.body.find("<svg"), std::string::npos);
  EXPECT_NE(r.body.find("data-series=\"Quá hạn\""), std::string::npos);
  EXPECT_NE(r.body.find("/tasks?agency="), std::string::npos);
  EXPECT_NE(r.body.find("id=\"month-chart\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"week-chart\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"warnings\""), std::string::npos);
}

TEST_F(WebTest, LineageGraphAndTaskTimeline) {
  // Seed 002 implements 102/KH-UBND (seed 000): both in one graph.
  web::Response d = Get("/doc/3");
  ASSERT_EQ(d.status, 200);
  const std::string graph = Section(d.body, "<div class=\"scroll\" id=\"lineage-graph\">", "</svg>");
  ASSERT_FALSE(graph.empty());
  EXPECT_NE(graph.find("data-doc=\"1\""), std::string::npos);
  EXPECT_NE(graph.find("data-doc=\"3\""), std::string::npos);
  EXPECT_NE(graph.find("data-from=\"3\" data-to=\"1\" data-relation=\"implements\""), std::string::npos);
  // A task of 002's PHỤ LỤC I continues one of 000: its page shows both.
  TaskQuery q;
  q.doc = "3";
  q.status = "all";
  Result<std::vector<TaskRow>> tasks = store_->Tasks(q);
  ASSERT_TRUE(tasks.ok());
  int timelines = 0;
  for (const TaskRow& t : *tasks) {
    Result<std::vector<LineageRow>> rows = store_->Lineage(t.id);
    ASSERT_TRUE(rows.ok());
    if (rows->empty()) continue;
    web::Response page = Get("/task/" + std::to_string(t.id));
    const std::string timeline = Section(page.body, "<ol class=\"timeline\" id=\"lineage\">", "</ol>");
    ASSERT_FALSE(timeline.empty()) << t.id;
    EXPECT_NE(timeline.find("data-task=\"" + std::to_string(rows->front().prev) + "\""), std::string::npos);
    EXPECT_NE(timeline.find("102/KH-UBND"), std::string::npos);
    ++timelines;
  }
  EXPECT_GE(timelines, 2);
}

TEST_F(WebTest, TasksCountedReadsTheFirstRowsAndCountsAll) {
  TaskQuery q;
  q.search = "so";
  q.status = "all";
  Result<std::vector<TaskRow>> all = store_->Tasks(q);
  ASSERT_TRUE(all.ok());
  ASSERT_GT(all->size(), 10u);
  q.limit = 7;
  int64_t matched = 0;
  Result<std::vector<TaskRow>> first = store_->TasksCounted(q, &matched);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(matched, static_cast<int64_t>(all->size()));
  ASSERT_EQ(first->size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ((*first)[i].id, (*all)[i].id);
    EXPECT_EQ((*first)[i].lead, (*all)[i].lead);  // agencies read for the kept rows
  }
  q.agency = "Sở Nội vụ";
  q.limit = 2;
  first = store_->TasksCounted(q, &matched);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 2u);
  EXPECT_GT(matched, 2);
}

// serve's threads share what they read of the store; a document stored
// meanwhile (by another process) shows on the next request.
TEST_F(WebTest, SharedCacheSeesAStoreChangedMeanwhile) {
  const std::string db = (*dir_ / "changing.db").string();
  std::string out;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + db + " " + testing::CorpusDir() +
                                    "/seeds/000_5765c50382b6d008.txt >/dev/null 2>&1",
                                &out),
            0);
  Result<std::unique_ptr<Store>> a = Store::OpenReadOnly(db);
  Result<std::unique_ptr<Store>> b = Store::OpenReadOnly(db);
  ASSERT_TRUE(a.ok() && b.ok());
  auto cache = std::make_shared<web::StoreCache>();
  web::Session first(a->get(), cache, db), second(b->get(), cache, db);
  EXPECT_NE(GetFrom(&first, "/docs").body.find("Văn bản đã nạp (1)"), std::string::npos);
  EXPECT_NE(GetFrom(&second, "/docs").body.find("Văn bản đã nạp (1)"), std::string::npos);
  const std::string dashboard = GetFrom(&second, "/", {{"as_of", "2026-06-30"}}).body;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + db + " " + testing::CorpusDir() +
                                    "/seeds/003_47b38050f79059a8.txt >/dev/null 2>&1",
                                &out),
            0);
  EXPECT_NE(GetFrom(&first, "/docs").body.find("Văn bản đã nạp (2)"), std::string::npos);
  EXPECT_NE(GetFrom(&second, "/", {{"q", "nghe an"}}).body.find("348/KH-UBND"), std::string::npos);
  EXPECT_NE(GetFrom(&second, "/", {{"as_of", "2026-06-30"}}).body, dashboard);
}

TEST(WebPageViewTest, FindPrintedMatchesTheClauseNearItsLine) {
  web::PageWords page;
  page.width = 600;
  page.height = 800;
  int line = 1;
  for (const char* text : {"1.", "Xây", "dựng", "kho", "dữ", "liệu", "2.", "Xây", "dựng", "kho", "dữ", "liệu",
                           "dùng", "chung", "tỉnh", "Ghi", "chú"}) {
    web::PageWord w;
    w.text = text;
    w.key = SearchKey(text);
    w.line = std::string(text) == "2." ? (line = 5) : line;
    page.words.push_back(w);
  }
  // The second, whole printing is chosen over the first, partial one.
  std::vector<size_t> hit = web::FindPrinted(page, "Xây dựng Kho dữ liệu dùng chung tỉnh", 5);
  ASSERT_EQ(hit.size(), 8u);
  EXPECT_EQ(page.words[hit.front()].text, "Xây");
  EXPECT_EQ(page.words[hit.front()].line, 5);
  // Two equal printings: the one nearer the task's line.
  hit = web::FindPrinted(page, "Xây dựng kho dữ liệu", 1);
  ASSERT_EQ(hit.size(), 5u);
  EXPECT_EQ(hit.front(), 1u);
  hit = web::FindPrinted(page, "Xây dựng kho dữ liệu", 5);
  EXPECT_EQ(hit.front(), 7u);
  // Words not on the page: nothing, rather than a wrong highlight.
  EXPECT_TRUE(web::FindPrinted(page, "Đào tạo nguồn nhân lực số chất lượng cao", 1).empty());
  EXPECT_TRUE(web::FindPrinted(page, "", 1).empty());
}

TEST(WebChartsTest, LabelsAreEscapedAndValuesReadable) {
  std::string svg = web::HorizontalBarsSvg("<t>", {{"Quá hạn", "red"}},
                                           {{"Sở <script>", {3}, {"/tasks?agency=a&b=\"c\""}}});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("data-value=\"3\""), std::string::npos);
  EXPECT_NE(svg.find("href=\"/tasks?agency=a&amp;b=&quot;c&quot;\""), std::string::npos);
  svg = web::LineageSvg({{1, "1/KH", "2025", "/doc/1", true}, {2, "<b>", "", "/doc/2", false}}, {{2, 1, "supersedes"}});
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("data-from=\"2\" data-to=\"1\""), std::string::npos);
}

// The corpus PDFs: the task page shows the page image with the task's words
// highlighted over it.
TEST_F(WebTest, PageImageHighlightsTheTaskWords) {
  const std::string db = (*dir_ / "pdf.db").string();
  std::string out;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + db + " " + testing::CorpusDir() +
                                    "/rendered/*.pdf >/dev/null 2>&1",
                                &out),
            0);
  Result<std::unique_ptr<Store>> s = Store::OpenReadOnly(db);
  ASSERT_TRUE(s.ok());
  web::Session session(s->get());
  web::Response found = GetFrom(&session, "/", {{"q", "kho du lieu dung chung"}});
  ASSERT_EQ(TaskLinks(found.body).size(), 1u);
  web::Response t = GetFrom(&session, "/task/" + *TaskLinks(found.body).begin());
  ASSERT_EQ(t.status, 200);
  const std::string figure = Section(t.body, "<div class=\"figure\" id=\"page-figure\">", "</div>");
  ASSERT_FALSE(figure.empty()) << t.body;
  std::string highlighted;
  for (size_t at = figure.find("data-word=\""); at != std::string::npos; at = figure.find("data-word=\"", at + 1)) {
    const size_t from = at + 11;
    highlighted += figure.substr(from, figure.find('"', from) - from) + " ";
  }
  EXPECT_EQ(SearchKey(highlighted), SearchKey("Triển khai xây dựng và tích hợp Kho dữ liệu dùng chung tỉnh Hưng Yên"));
  // The image: drawn once, then read from the cache.
  const size_t src = figure.find("src=\"") + 5;
  const std::string image = figure.substr(src, figure.find('"', src) - src);
  web::Response png = GetFrom(&session, image);
  ASSERT_EQ(png.status, 200) << image;
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
  size_t cached = 0;
  for (const auto& e : fs::directory_iterator(*dir_ / "pages")) cached += e.path().extension() == ".png";
  EXPECT_EQ(cached, 1u);
  EXPECT_EQ(GetFrom(&session, image).body, png.body);
  EXPECT_EQ(GetFrom(&session, "/page/1/9999.png").status, 404);
  // The original file, by id only.
  web::Response original = GetFrom(&session, "/doc/1/original");
  EXPECT_EQ(original.status, 200);
  EXPECT_EQ(original.body.substr(0, 5), "%PDF-");
}

// "a%20b+c" -> "a b c" (a query value as a browser sends it).
std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

web::Request ParseHref(std::string href) {
  for (size_t at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at + 1)) {
    href.replace(at, 5, "&");
  }
  web::Request req;
  const size_t q = href.find('?');
  req.path = href.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream in(href.substr(q + 1));
    for (std::string pair; std::getline(in, pair, '&');) {
      const size_t eq = pair.find('=');
      req.params.emplace(UrlDecode(pair.substr(0, eq)), eq == std::string::npos ? "" : UrlDecode(pair.substr(eq + 1)));
    }
  }
  return req;
}

// Every link reachable from the home page of the corpus PDFs' store, each
// page once: none answers with a server error. Page images are drawn for
// the first few only (each takes a Poppler render).
TEST_F(WebTest, CrawlOfEveryLinkFindsNoServerError) {
  const std::string db = (*dir_ / "crawl.db").string();
  std::string out;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " ingest --quiet --db " + db + " " + testing::CorpusDir() +
                                    "/rendered/*.pdf " + testing::CorpusDir() + "/seeds >/dev/null 2>&1",
                                &out),
            0);
  Result<std::unique_ptr<Store>> s = Store::OpenReadOnly(db);
  ASSERT_TRUE(s.ok());
  web::Session session(s->get());
  std::vector<std::string> queue = {"/", "/docs", "/tasks", "/?as_of=2026-06-30"};
  std::set<std::string> seen(queue.begin(), queue.end());
  std::map<int, int> statuses;
  int images = 0;
  for (size_t i = 0; i < queue.size(); ++i) {
    const std::string href = queue[i];
    web::Request req = ParseHref(href);
    if (req.path.rfind("/page/", 0) == 0 && ++images > 6) continue;
    web::Response r = app_.Handle(&session, req);
    ++statuses[r.status];
    EXPECT_LT(r.status, 500) << href << "\n" << r.body.substr(0, 2000);
    if (r.content_type.rfind("text/html", 0) != 0) continue;
    for (const char* attr : {"href=\"", "src=\""}) {
      for (size_t at = r.body.find(attr); at != std::string::npos; at = r.body.find(attr, at + 1)) {
        const size_t from = at + std::strlen(attr);
        const std::string link = r.body.substr(from, r.body.find('"', from) - from);
        if (link.empty() || link[0] != '/' || link.find('#') != std::string::npos) continue;
        if (seen.insert(link).second) queue.push_back(link);
      }
    }
  }
  std::printf("crawl: %zu links;", seen.size());
  for (const auto& [status, n] : statuses) std::printf(" %d x%d", status, n);
  std::printf("\n");
  EXPECT_GT(seen.size(), 400u);
  EXPECT_GT(statuses[200], 400);
}

// Random bytes, huge values and odd paths in every parameter of every
// route: pages, never a crash or a server error (run under ASan in CI).
TEST_F(WebTest, FuzzedQueryStringsGiveNoServerError) {
  std::mt19937 rng(20261204);
  const std::vector<std::string> paths = {"/", "/docs", "/doc/1", "/doc/3/original", "/task/5", "/agency",
                                          "/tasks", "/tasks.csv", "/tasks.json", "/tasks.xlsx", "/page/1/1.png",
                                          "/doc/1/x", "/page/x/1.png", "/page/1/.png", "/page//1.png"};
  const std::vector<std::string> keys = {"q", "name", "as_of", "doc", "agency", "role", "status", "overdue",
                                         "due_within", "due_after", "due_before", "collectives"};
  auto random_value = [&]() {
    std::string v;
    switch (rng() % 6) {
      case 0: v = std::string(rng() % 200000, static_cast<char>('a' + rng() % 26)); break;
      case 1: for (int i = rng() % 64; i > 0; --i) v += static_cast<char>(rng() % 256); break;
      case 2: v = "2026-" + std::to_string(rng() % 100) + "-" + std::to_string(rng() % 100); break;
      case 3: v = std::to_string(static_cast<int64_t>(rng()) * (rng() % 2 ? -1 : 1)) + "d"; break;
      case 4: v = "\"><script>alert(1)</script>' OR 1=1 --"; break;
      default: v = "Sở KH&CN"; break;
    }
    return v;
  };
  for (int i = 0; i < 600; ++i) {
    web::Request req;
    req.path = paths[rng() % paths.size()];
    if (rng() % 8 == 0) {
      req.path += std::string(1, static_cast<char>(rng() % 256));
    }
    for (int k = rng() % 4; k >= 0; --k) req.params.emplace(keys[rng() % keys.size()], random_value());
    if (req.path.find(".xlsx") != std::string::npos && i % 10 != 0) continue;  // a workbook each time is slow
    web::Response r = Get(req.path, req.params);
    ASSERT_LT(r.status, 500) << req.path << "\n" << r.body.substr(0, 1000);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos) << req.path;
  }
}

}  // namespace
}  // namespace plantrace
