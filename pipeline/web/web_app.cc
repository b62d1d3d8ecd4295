// The web view's pages. Each page is built as one string: store queries,
// then rows written through Escape. The layout is one small stylesheet in
// the page (no CDN, no build step), readable on a phone; charts are SVG
// drawn here (charts.h), page images PNG drawn by Poppler (page_view.h).
#include "pipeline/web/web_app.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/json_writer.h"
#include "pipeline/base/unicode.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/store/due.h"
#include "pipeline/store/report.h"
#include "pipeline/store/task_export.h"
#include "pipeline/web/charts.h"

namespace plantrace::web {
namespace {

// Search results shown per group; the count above each says how many
// there are in all.
constexpr size_t kShownPerGroup = 50;
// Rows a task table shows; the exports carry every row. An agency page
// has several tables, each cut shorter.
constexpr size_t kShownTasks = 500;
constexpr size_t kAgencyRows = 200;
// Source lines shown above and below a task's own line.
constexpr int kContextLines = 4;
// The dashboard's and agency page's look-ahead ("due within 30 days").
constexpr int kSoonDays = 30;
// Agencies drawn in the dashboard's bar chart (the table lists all).
constexpr size_t kChartAgencies = 20;
// Documents drawn in a lineage graph and steps followed along a task's
// lineage each way.
constexpr size_t kGraphNodes = 24;
constexpr int kLineageSteps = 12;
// Relations drawn in the lineage graph: those that change what is in force
// or carry a plan out, not plain citations.
const std::set<std::string> kLineageRelations = {"supersedes", "amends", "repeals", "implements"};

constexpr const char kStyle[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem;line-height:1.45}"
    "header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid #ccc;padding:.5rem 0}"
    "header a{font-weight:bold;text-decoration:none}form.search{display:flex;gap:.5rem;flex:1;min-width:14rem}"
    "input[type=search]{flex:1;padding:.4rem;font-size:1rem}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}"
    "th{background:#f4f4f4}.muted{color:#666}.mark{background:#fff3b0}.num{text-align:right}"
    ".flag{background:#eef;border-radius:3px;padding:0 .3rem;font-size:.85em}"
    ".late{color:#b00020;font-weight:bold}pre{white-space:pre-wrap}"
    ".figure{position:relative;max-width:52rem;border:1px solid #ccc}.figure img{display:block;width:100%;height:auto}"
    ".hl{position:absolute;background:rgba(255,200,0,.35);outline:1px solid #d08c00}"
    ".filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}"
    ".filters label{display:flex;flex-direction:column;font-size:.85em}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}"
    ".scroll{overflow-x:auto}ol.timeline li{margin-bottom:.5rem}"
    "@media(max-width:40rem){td,th{display:block;border:none}}";

std::string Param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? "" : it->second;
}

std::string Page(const std::string& title, const std::string& body, const std::string& query = "") {
  std::string out;
  out.reserve(body.size() + 2048);
  out += "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  out += Escape(title);
  out += " · plantrace</title><style>";
  out += kStyle;
  out += "</style></head><body><header><a href=\"/\">plantrace</a><a href=\"/\">Tổng quan</a>"
         "<a href=\"/docs\">Văn bản</a><a href=\"/tasks\">Nhiệm vụ</a>"
         "<form class=\"search\" action=\"/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"";
  out += Escape(query);
  out += "\" placeholder=\"Tìm nhiệm vụ, văn bản, cơ quan\" aria-label=\"Tìm kiếm\"><button>Tìm</button></form>"
         "</header><main>";
  out += body;
  out += "</main></body></html>";
  return out;
}

Response Error(int status, const std::string& message) {
  Response r;
  r.status = status;
  const std::string title = status == 404   ? "Không tìm thấy"
                            : status == 400 ? "Yêu cầu không hợp lệ"
                                            : "Lỗi";
  r.body = Page(title, "<h1>" + Escape(title) + "</h1><p>" + Escape(message) + "</p>");
  return r;
}

Response StoreError(const Status& st) {
  return Error(st.code() == Status::Code::kInvalidInput || st.code() == Status::Code::kUsage ? 400 : 500,
               st.message());
}

std::optional<int64_t> Digits(const std::string& digits) {
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(digits);
}

std::string Opt(const std::optional<std::string>& v) { return v ? Escape(*v) : "<span class=\"muted\">—</span>"; }

std::string AgencyHref(const std::string& name) { return "/agency?name=" + UrlEncode(name); }

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& a : items) {
    if (!out.empty()) out += "; ";
    out += "<a href=\"" + Escape(AgencyHref(a)) + "\">" + Escape(a) + "</a>";
  }
  return out.empty() ? "<span class=\"muted\">—</span>" : out;
}

std::string DocLabel(const DocRow& d) {
  std::string label = d.number ? *d.number : d.file_name;
  if (d.title) label += " · " + *d.title;
  return label;
}

std::string TaskLink(const TaskRow& t) {
  return "<a href=\"/task/" + std::to_string(t.id) + "\">" + Escape(t.name) + "</a>";
}

// A task table; each row carries data-task (its id) for scripts and tests.
// `roles` (may be null) adds a column saying how the agency takes part.
// `total` is how many match (when the rows were read with a limit).
std::string TaskTable(const std::vector<TaskRow>& tasks, size_t limit, const std::string& table_class,
                      const std::map<int64_t, std::string>* roles = nullptr, int64_t total = -1) {
  std::string out = "<table class=\"tasks " + Escape(table_class) +
                    "\"><tr><th>Văn bản</th><th>Số</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Phối hợp</th>"
                    "<th>Thời hạn</th><th>Hạn cuối</th>" +
                    std::string(roles ? "<th>Vai trò</th>" : "") + "</tr>";
  for (size_t i = 0; i < tasks.size() && i < limit; ++i) {
    const TaskRow& t = tasks[i];
    std::string number = t.group ? *t.group + "." + t.number.value_or("") : t.number.value_or("");
    out += "<tr data-task=\"" + std::to_string(t.id) + "\"><td><a href=\"/doc/" + std::to_string(t.doc_id) + "\">" +
           Escape(t.doc_number.value_or(t.doc_file)) + "</a></td><td>" + Escape(number) + "</td><td>" + TaskLink(t) +
           (t.via_collective ? " <span class=\"flag\">qua tập thể</span>" : "") + "</td><td>" + Joined(t.lead) +
           "</td><td>" + Joined(t.coord) + "</td><td>" + Opt(t.deadline_raw) + "</td><td>" + Opt(t.deadline_end) +
           "</td>";
    if (roles) {
      auto it = roles->find(t.id);
      out += "<td>" + Escape(it == roles->end() ? "" : it->second) + "</td>";
    }
    out += "</tr>";
  }
  out += "</table>";
  const size_t all = total >= 0 ? static_cast<size_t>(total) : tasks.size();
  const size_t shown = std::min(limit, tasks.size());
  if (all > shown) {
    out += "<p class=\"muted\">Hiển thị " + std::to_string(shown) + " trên " + std::to_string(all) +
           " nhiệm vụ; tải tệp để có đủ.</p>";
  }
  return out;
}

// Whether every word of the folded query occurs in the folded text.
bool AllWordsIn(const std::vector<std::string>& words, const std::string& folded_text) {
  const std::string padded = " " + folded_text + " ";
  for (const std::string& w : words) {
    if (padded.find(" " + w) == std::string::npos) return false;
  }
  return true;
}

std::vector<std::string> Words(const std::string& folded) {
  std::vector<std::string> out;
  std::istringstream in(folded);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool IsDate(const std::string& s) { return ParseIsoDate(s).has_value(); }

// ---- Task filters shared by /tasks, its exports and the document page.

struct TaskFilters {
  TaskQuery query;
  std::map<std::string, std::string> given;  // the filter parameters as asked, for links and the form
};

// Parses the filter parameters; a message on a bad one.
std::optional<std::string> ParseFilters(const Request& req, const std::string& today, TaskFilters* f) {
  TaskQuery& q = f->query;
  q.by_deadline = true;
  for (const char* name : {"doc", "agency", "role", "status", "as_of", "overdue", "due_within", "due_after",
                           "due_before", "q", "collectives"}) {
    std::string v = Param(req, name);
    if (!v.empty()) f->given[name] = v;
  }
  auto get = [&](const char* name) -> std::string {
    auto it = f->given.find(name);
    return it == f->given.end() ? "" : it->second;
  };
  if (!get("doc").empty()) q.doc = get("doc");
  if (!get("agency").empty()) q.agency = get("agency");
  if (!get("q").empty()) q.search = get("q");
  const std::string role = get("role");
  if (!role.empty()) {
    if (role != "lead" && role != "coord" && role != "either") return "vai trò (role) phải là lead, coord hoặc either";
    q.role = role;
  }
  const std::string status = get("status");
  if (!status.empty()) {
    if (status != "active" && status != "superseded" && status != "carried_over" && status != "all") {
      return "trạng thái (status) phải là active, superseded, carried_over hoặc all";
    }
    q.status = status;
  }
  for (const char* name : {"as_of", "due_after", "due_before"}) {
    if (!get(name).empty() && !IsDate(get(name))) return std::string(name) + " phải là ngày YYYY-MM-DD";
  }
  if (!get("due_after").empty()) q.due_after = get("due_after");
  if (!get("due_before").empty()) q.due_before = get("due_before");
  const bool overdue = get("overdue") == "1" || get("overdue") == "on";
  const std::string within = get("due_within");
  if (overdue || !within.empty()) q.as_of = get("as_of").empty() ? today : get("as_of");
  q.overdue = overdue;
  if (!within.empty()) {
    Result<DueWindow> w = ParseDueWindow(within);
    if (!w.ok()) return "due_within: " + w.status().message();
    q.due_until = WindowEnd(*q.as_of, *w);
  }
  q.include_collectives = q.agency && (get("collectives") == "1" || get("collectives") == "on");
  return std::nullopt;
}

std::string FilterQueryString(const std::map<std::string, std::string>& given) {
  std::string out;
  for (const auto& [k, v] : given) out += (out.empty() ? "?" : "&") + k + "=" + UrlEncode(v);
  return out;
}

std::string FilterForm(const std::string& action, const TaskFilters& f, bool with_doc) {
  auto get = [&](const char* name) -> std::string {
    auto it = f.given.find(name);
    return it == f.given.end() ? "" : it->second;
  };
  auto field = [&](const char* label, const char* name, const char* type) {
    return std::string("<label>") + label + "<input type=\"" + type + "\" name=\"" + name + "\" value=\"" +
           Escape(get(name)) + "\"></label>";
  };
  auto select = [&](const char* label, const char* name, std::vector<std::pair<const char*, const char*>> options) {
    std::string out = std::string("<label>") + label + "<select name=\"" + name + "\">";
    for (const auto& [value, text] : options) {
      out += std::string("<option value=\"") + value + "\"" + (get(name) == value ? " selected" : "") + ">" + text +
             "</option>";
    }
    return out + "</select></label>";
  };
  std::string out = "<form class=\"filters\" method=\"get\" action=\"" + Escape(action) + "\">";
  if (with_doc) out += field("Văn bản", "doc", "text");
  out += field("Cơ quan", "agency", "text");
  out += select("Vai trò", "role", {{"", "chủ trì hoặc phối hợp"}, {"lead", "chủ trì"}, {"coord", "phối hợp"}});
  out += select("Trạng thái", "status",
                {{"", "đang thực hiện"}, {"superseded", "đã thay thế"}, {"carried_over", "chuyển tiếp"}, {"all", "tất cả"}});
  out += field("Tính đến ngày", "as_of", "date");
  out += std::string("<label>Quá hạn<input type=\"checkbox\" name=\"overdue\" value=\"1\"") +
         (get("overdue").empty() ? "" : " checked") + "></label>";
  out += field("Hạn trong (vd. 30d)", "due_within", "text");
  out += field("Hạn từ", "due_after", "date");
  out += field("Hạn đến", "due_before", "date");
  out += field("Từ khóa", "q", "search");
  out += "<button>Lọc</button></form>";
  return out;
}

std::string ExportLinks(const std::string& base, const TaskFilters& f) {
  const std::string qs = FilterQueryString(f.given);
  std::string out = "<p>Tải về:";
  for (const char* ext : {"csv", "xlsx", "json"}) {
    out += " <a class=\"export\" href=\"" + Escape(base + "." + ext + qs) + "\">" + ext + "</a>";
  }
  return out + "</p>";
}

Response TaskExport(Store* store, const TaskFilters& f, const std::string& ext) {
  Response r;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"tasks." + ext + "\"");
  if (ext == "json") {
    JsonWriter w;
    w.BeginArray();
    Status st = store->ForEachTask(f.query, [&](const TaskRow& t) { WriteTaskJson(t, &w); });
    if (!st.ok()) return StoreError(st);
    w.EndArray();
    r.content_type = "application/json; charset=utf-8";
    r.body = w.str() + "\n";
    return r;
  }
  if (ext == "csv") {
    std::string out = CsvRow(TaskCsvHeader());
    Status st = store->ForEachTask(f.query, [&](const TaskRow& t) { out += CsvRow(TaskCsvCells(t)); });
    if (!st.ok()) return StoreError(st);
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(out);
    return r;
  }
  std::vector<std::vector<std::string>> rows;
  Status st = store->ForEachTask(f.query, [&](const TaskRow& t) { rows.push_back(TaskCsvCells(t)); });
  if (!st.ok()) return StoreError(st);
  // libxlsxwriter writes to a path; the workbook goes through a private
  // temporary file.
  static std::atomic<uint64_t> made{0};
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("plantrace-export-" + std::to_string(::getpid()) + "-" + std::to_string(made++) + ".xlsx"))
                               .string();
  st = WriteXlsx(path, {TaskSheet(rows)});
  std::ifstream in(path, std::ios::binary);
  r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!st.ok()) return StoreError(st);
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return r;
}

// ---- Pages.

Response SearchPage(Session* session, const std::string& q) {
  Store* store = session->store();
  const std::vector<std::string> words = Words(SearchKey(q));
  std::string body = "<h1>Kết quả cho “" + Escape(q) + "”</h1>";

  Result<std::shared_ptr<const std::vector<FoldedDoc>>> docs = session->Documents();
  if (!docs.ok()) return StoreError(docs.status());
  std::vector<const DocRow*> found_docs;
  for (const FoldedDoc& d : **docs) {
    if (!words.empty() && AllWordsIn(words, d.key)) found_docs.push_back(&d.doc);
  }
  std::string docs_html = "<section id=\"docs\"><h2>Văn bản (" + std::to_string(found_docs.size()) + ")</h2><ul>";
  for (size_t i = 0; i < found_docs.size() && i < kShownPerGroup; ++i) {
    docs_html += "<li><a href=\"/doc/" + std::to_string(found_docs[i]->id) + "\">" +
                 Escape(DocLabel(*found_docs[i])) + "</a></li>";
  }
  docs_html += "</ul></section>";

  TaskQuery tq;
  tq.search = q;
  tq.status = "all";
  tq.limit = kShownPerGroup;
  int64_t total = 0;
  Result<std::vector<TaskRow>> tasks = store->TasksCounted(tq, &total);
  if (!tasks.ok()) return StoreError(tasks.status());
  std::string tasks_html = "<section id=\"tasks\"><h2>Nhiệm vụ (" + std::to_string(total) + ")</h2>" +
                           TaskTable(*tasks, kShownPerGroup, "search", nullptr, total) + "</section>";

  Result<std::shared_ptr<const std::vector<FoldedAgency>>> agencies = session->Agencies();
  if (!agencies.ok()) return StoreError(agencies.status());
  std::vector<const AgencyRow*> found_agencies;
  for (const FoldedAgency& a : **agencies) {
    if (!words.empty() && AllWordsIn(words, a.key)) found_agencies.push_back(&a.agency);
  }
  std::string agencies_html =
      "<section id=\"agencies\"><h2>Cơ quan (" + std::to_string(found_agencies.size()) + ")</h2><ul>";
  for (size_t i = 0; i < found_agencies.size() && i < kShownPerGroup; ++i) {
    const AgencyRow& a = *found_agencies[i];
    agencies_html += "<li><a href=\"" + Escape(AgencyHref(a.name)) + "\">" + Escape(a.name) +
                     "</a> <span class=\"muted\">chủ trì " + std::to_string(a.lead_tasks) + ", phối hợp " +
                     std::to_string(a.coord_tasks) + "</span></li>";
  }
  agencies_html += "</ul></section>";
  Response r;
  r.body = Page("Tìm kiếm", body + tasks_html + docs_html + agencies_html, q);
  return r;
}

Response DocumentList(Session* session) {
  Result<std::shared_ptr<const std::vector<FoldedDoc>>> docs = session->Documents();
  if (!docs.ok()) return StoreError(docs.status());
  std::string body = "<h1>Văn bản đã nạp (" + std::to_string((*docs)->size()) +
                     ")</h1><table><tr><th>Số, ký hiệu</th><th>Trích yếu</th><th>Ngày</th><th>Hiệu lực</th>"
                     "<th class=\"num\">Nhiệm vụ</th><th class=\"num\">Cảnh báo</th></tr>";
  for (const FoldedDoc& f : **docs) {
    const DocRow& d = f.doc;
    body += "<tr><td><a href=\"/doc/" + std::to_string(d.id) + "\">" + Escape(d.number.value_or(d.file_name)) +
            "</a></td><td>" + Opt(d.title) + "</td><td>" + Opt(d.date) + "</td><td>" + Escape(d.status) +
            "</td><td class=\"num\">" + std::to_string(d.task_count) + "</td><td class=\"num\">" +
            std::to_string(d.warning_count) + "</td></tr>";
  }
  Response r;
  r.body = Page("Văn bản", body + "</table>");
  return r;
}

// The documents around `id` along the lineage relations (both ways), up to
// kGraphNodes, as a graph oldest first.
Result<std::string> LineageGraph(Store* store, int64_t id) {
  std::map<int64_t, DocRow> docs;
  std::vector<GraphEdge> edges;
  std::set<std::pair<int64_t, int64_t>> seen_edges;
  std::vector<int64_t> queue = {id};
  std::set<int64_t> visited;
  while (!queue.empty() && docs.size() < kGraphNodes) {
    const int64_t d = queue.back();
    queue.pop_back();
    if (!visited.insert(d).second) continue;
    Result<std::optional<DocRow>> row = store->Document(d);
    if (!row.ok()) return row.status();
    if (!*row) continue;
    docs[d] = **row;
    Result<std::vector<RelationRow>> rels = store->Relations(d);
    if (!rels.ok()) return rels.status();
    for (const RelationRow& rel : *rels) {
      if (!rel.to || !kLineageRelations.count(rel.relation)) continue;
      if (seen_edges.insert({rel.from, *rel.to}).second) edges.push_back({rel.from, *rel.to, rel.relation});
      for (int64_t other : {rel.from, *rel.to}) {
        if (!visited.count(other)) queue.push_back(other);
      }
    }
  }
  if (docs.size() < 2) return std::string();
  std::vector<const DocRow*> ordered;
  for (const auto& [doc_id, d] : docs) ordered.push_back(&d);
  // Oldest first; undated documents after the dated, by load order.
  std::stable_sort(ordered.begin(), ordered.end(), [](const DocRow* a, const DocRow* b) {
    return std::make_tuple(!a->date, a->date.value_or(""), a->id) < std::make_tuple(!b->date, b->date.value_or(""), b->id);
  });
  std::vector<GraphNode> nodes;
  for (const DocRow* d : ordered) {
    nodes.push_back({d->id, d->number.value_or(d->file_name), d->date.value_or(d->type.value_or("")),
                     "/doc/" + std::to_string(d->id), d->id == id});
  }
  return "<div class=\"scroll\" id=\"lineage-graph\">" + LineageSvg(nodes, edges) + "</div>";
}

Response Document(Session* session, int64_t id, const Request& req, const std::string& today) {
  Store* store = session->store();
  Result<std::optional<DocRow>> found = store->Document(id);
  if (!found.ok()) return StoreError(found.status());
  if (!*found) return Error(404, "Không có văn bản số " + std::to_string(id) + " trong kho.");
  const DocRow& d = **found;
  std::string body = "<h1>" + Escape(DocLabel(d)) + "</h1><table>";
  auto row = [&](const char* label, const std::string& html) {
    body += std::string("<tr><th>") + label + "</th><td>" + html + "</td></tr>";
  };
  row("Số, ký hiệu", Opt(d.number));
  row("Loại văn bản", Opt(d.type));
  row("Cơ quan ban hành", Opt(d.issuer));
  row("Nơi, ngày ban hành", Opt(d.place) + ", " + Opt(d.date));
  row("Người ký", Opt(d.signer));
  row("Hiệu lực", Escape(d.status) + (d.status_by ? " (" + Escape(*d.status_by) + ")" : ""));
  row("Khóa", Escape(d.key));
  row("Quy tắc", Escape(d.rules_hash));
  body += "</table>";

  Result<std::vector<RenditionRow>> rends = store->Renditions(id);
  if (!rends.ok()) return StoreError(rends.status());
  body += "<h2>Bản của văn bản (" + std::to_string(rends->size()) +
          ")</h2><table><tr><th>Tệp</th><th>Định dạng</th><th>SHA-256</th><th>Vai trò</th></tr>";
  for (const RenditionRow& r : *rends) {
    body += "<tr><td>" + Escape(r.file_name) + "</td><td>" + Escape(r.format) + "</td><td><code>" +
            Escape(r.sha256.substr(0, 16)) + "…</code></td><td>" +
            (r.reading ? "<a href=\"/doc/" + std::to_string(id) + "/original\">bản đọc · tải tệp gốc</a>"
                       : std::string("bản khác (so với bản đọc)")) +
            "</td></tr>";
  }
  body += "</table>";

  Result<std::vector<RelationRow>> rels = store->Relations(id);
  if (!rels.ok()) return StoreError(rels.status());
  std::string cites, cited_by;
  for (const RelationRow& rel : *rels) {
    if (rel.from == id) {
      cites += "<li>" + Escape(rel.relation) + ": " +
               (rel.to ? "<a href=\"/doc/" + std::to_string(*rel.to) + "\">" + Escape(rel.cited()) + "</a>"
                       : Escape(rel.cited()) + " <span class=\"muted\">(chưa có trong kho)</span>") +
               "</li>";
    }
    if (rel.to && *rel.to == id) {
      cited_by += "<li><a href=\"/doc/" + std::to_string(rel.from) + "\">" + Escape(rel.from_key) + "</a> " +
                  Escape(rel.relation) + "</li>";
    }
  }
  body += "<h2>Văn bản liên quan</h2><h3>Văn bản này dẫn chiếu</h3><ul>" + cites +
          "</ul><h3>Được dẫn chiếu bởi</h3><ul>" + cited_by + "</ul>";
  Result<std::string> graph = LineageGraph(store, id);
  if (!graph.ok()) return StoreError(graph.status());
  if (!graph->empty()) body += "<h3>Sơ đồ thay thế, sửa đổi, thực hiện</h3>" + *graph;

  Result<std::vector<WarningRow>> warnings = store->Warnings(id);
  if (!warnings.ok()) return StoreError(warnings.status());
  if (!warnings->empty()) {
    body += "<h2 id=\"warnings\">Cảnh báo khi trích xuất (" + std::to_string(warnings->size()) +
            ")</h2><table><tr><th>Mức</th><th>Mã</th><th>Nội dung</th><th>Trang</th></tr>";
    for (const WarningRow& w : *warnings) {
      body += "<tr><td>" + Escape(SeverityName(w.diagnostic.severity)) + "</td><td>" + Escape(w.diagnostic.code) +
              "</td><td>" + Escape(w.diagnostic.message) + "</td><td>" +
              (w.diagnostic.page > 0 ? std::to_string(w.diagnostic.page) : "") + "</td></tr>";
    }
    body += "</table>";
  }

  TaskFilters f;
  if (std::optional<std::string> bad = ParseFilters(req, today, &f)) return Error(400, *bad);
  f.query.doc = std::to_string(id);
  f.query.by_deadline = false;  // the plan's own order
  if (!f.given.count("status")) f.query.status = "all";
  f.query.limit = kShownTasks;
  int64_t total = 0;
  Result<std::vector<TaskRow>> tasks = store->TasksCounted(f.query, &total);
  if (!tasks.ok()) return StoreError(tasks.status());
  TaskFilters exported = f;
  exported.given["doc"] = std::to_string(id);
  if (!exported.given.count("status")) exported.given["status"] = "all";
  body += "<h2 id=\"tasks\">Nhiệm vụ (" + std::to_string(total) + ")</h2>" +
          FilterForm("/doc/" + std::to_string(id), f, false) + ExportLinks("/tasks", exported) +
          TaskTable(*tasks, kShownTasks, "doc", nullptr, total);
  Response r;
  r.body = Page(DocLabel(d), body);
  return r;
}

Response Original(Store* store, int64_t id) {
  Result<std::optional<DocRow>> found = store->Document(id);
  if (!found.ok()) return StoreError(found.status());
  if (!*found) return Error(404, "Không có văn bản số " + std::to_string(id) + " trong kho.");
  Result<std::string> bytes = store->Original(id);
  if (!bytes.ok()) return bytes.status().code() == Status::Code::kNotFound ? Error(404, bytes.status().message())
                                                                             : StoreError(bytes.status());
  // The stored name, reduced to characters safe in a header.
  std::string name;
  for (char c : (*found)->file_name) {
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  }
  Response r;
  r.content_type = "application/octet-stream";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.body = std::move(*bytes);
  return r;
}

// The reading rendition of a document, when it is a PDF.
Result<std::optional<RenditionRow>> PdfReading(Store* store, int64_t doc_id) {
  Result<std::vector<RenditionRow>> rends = store->Renditions(doc_id);
  if (!rends.ok()) return rends.status();
  for (const RenditionRow& r : *rends) {
    if (r.reading && r.format == "pdf") return std::optional<RenditionRow>(r);
  }
  return std::optional<RenditionRow>();
}

std::string Percent(double v, double of) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f%%", of > 0 ? 100.0 * v / of : 0.0);
  return buf;
}

// The page image with the clause's words highlighted; "" when the document
// has no PDF reading or the page cannot be shown.
std::string PageFigure(Store* store, PageCache* cache, const TaskRow& t) {
  Result<std::optional<RenditionRow>> pdf = PdfReading(store, t.doc_id);
  if (!pdf.ok() || !*pdf || t.page <= 0) return "";
  const std::string& sha = (*pdf)->sha256;
  const int64_t doc_id = t.doc_id;
  Result<std::shared_ptr<const DocWords>> words =
      cache->Words(sha, [store, doc_id]() { return store->Original(doc_id); });
  std::string marks, note;
  if (words.ok()) {
    if (const PageWords* page = (*words)->Page(t.page)) {
      std::vector<size_t> hit = FindPrinted(*page, t.name, t.line);
      if (hit.empty()) {
        note = "Không khớp được chữ của nhiệm vụ trên trang; dòng " + std::to_string(t.line) + " được đánh dấu.";
        for (size_t i = 0; i < page->words.size(); ++i) {
          if (page->words[i].line == t.line) hit.push_back(i);
        }
      }
      for (size_t i : hit) {
        const PageWord& w = page->words[i];
        marks += "<span class=\"hl\" data-word=\"" + Escape(w.text) + "\" style=\"left:" + Percent(w.x0, page->width) +
                 ";top:" + Percent(w.y0, page->height) + ";width:" + Percent(w.x1 - w.x0, page->width) +
                 ";height:" + Percent(w.y1 - w.y0, page->height) + "\"></span>";
      }
    }
  } else {
    note = "Không đọc được vị trí chữ trên trang (" + words.status().message() + ").";
  }
  std::string out = "<h3>Trang " + std::to_string(t.page) + " của bản PDF</h3>";
  if (!note.empty()) out += "<p class=\"muted\">" + Escape(note) + "</p>";
  out += "<div class=\"figure\" id=\"page-figure\"><img id=\"page-image\" src=\"/page/" + std::to_string(t.doc_id) +
         "/" + std::to_string(t.page) + ".png\" alt=\"Trang " + std::to_string(t.page) + "\">" + marks + "</div>";
  return out;
}

// The versions of task `id` across plans, oldest first, each with what
// changed from the one before.
struct Version {
  TaskRow task;
  std::vector<Change> changes;  // from the previous version to this one
  std::string relation;
};

Result<std::vector<Version>> TaskVersions(Store* store, const TaskRow& t) {
  auto one = [&](int64_t id) -> Result<std::optional<TaskRow>> {
    TaskQuery q;
    q.task_id = id;
    q.status = "all";
    Result<std::vector<TaskRow>> rows = store->Tasks(q);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<TaskRow>();
    return std::optional<TaskRow>(rows->front());
  };
  std::vector<Version> older, newer;
  std::set<int64_t> seen = {t.id};
  // Back along the chain: each step, the task this one continues.
  Version current{t, {}, ""};
  for (int64_t at = t.id, step = 0; step < kLineageSteps; ++step) {
    Result<std::vector<LineageRow>> rows = store->Lineage(at);
    if (!rows.ok()) return rows.status();
    std::optional<LineageRow> back;
    for (const LineageRow& l : *rows) {
      if (l.task == at && !seen.count(l.prev)) back = l;
    }
    if (!back) break;
    if (at == t.id) {
      current.changes = back->changes;
      current.relation = back->relation;
    } else {
      older.back().changes = back->changes;
      older.back().relation = back->relation;
    }
    Result<std::optional<TaskRow>> prev = one(back->prev);
    if (!prev.ok()) return prev.status();
    if (!*prev) break;
    seen.insert(back->prev);
    older.push_back({**prev, {}, ""});
    at = back->prev;
  }
  for (int64_t at = t.id, step = 0; step < kLineageSteps; ++step) {
    Result<std::vector<LineageRow>> rows = store->Lineage(at);
    if (!rows.ok()) return rows.status();
    std::optional<LineageRow> next;
    for (const LineageRow& l : *rows) {
      if (l.prev == at && !seen.count(l.task)) next = l;
    }
    if (!next) break;
    Result<std::optional<TaskRow>> later = one(next->task);
    if (!later.ok()) return later.status();
    if (!*later) break;
    seen.insert(next->task);
    newer.push_back({**later, next->changes, next->relation});
    at = next->task;
  }
  std::vector<Version> out(older.rbegin(), older.rend());
  out.push_back(std::move(current));
  out.insert(out.end(), newer.begin(), newer.end());
  return out;
}

Response Task(Session* session, PageCache* cache, int64_t id) {
  Store* store = session->store();
  TaskQuery tq;
  tq.task_id = id;
  tq.status = "all";
  tq.with_source = true;
  Result<std::vector<TaskRow>> tasks = store->Tasks(tq);
  if (!tasks.ok()) return StoreError(tasks.status());
  if (tasks->empty()) return Error(404, "Không có nhiệm vụ số " + std::to_string(id) + " trong kho.");
  const TaskRow& t = tasks->front();
  std::string body = "<h1 id=\"task-name\">" + Escape(t.name) + "</h1><p>Văn bản: <a href=\"/doc/" +
                     std::to_string(t.doc_id) + "\">" + Escape(t.doc_number ? *t.doc_number : t.doc_file) +
                     "</a> · " + Escape(t.ref) + " · trạng thái " + Escape(t.status) + "</p><table>";
  auto row = [&](const char* label, const std::string& html) {
    body += std::string("<tr><th>") + label + "</th><td>" + html + "</td></tr>";
  };
  row("Nhóm", Opt(t.group) + " " + Opt(t.group_title));
  row("Số thứ tự", Opt(t.number));
  row("Mã", Opt(t.code));
  row("Chủ trì", Joined(t.lead) + "<br><span class=\"muted\">như in: " + Opt(t.lead_raw) + "</span>");
  row("Phối hợp", Joined(t.coord) + "<br><span class=\"muted\">như in: " + Opt(t.coord_raw) + "</span>");
  row("Sản phẩm", Opt(t.output));
  std::string deadline = Opt(t.deadline_raw);
  if (t.deadline_kind) {
    deadline += " <span class=\"muted\">(" + Escape(*t.deadline_kind) +
                (t.deadline_start ? " " + Escape(*t.deadline_start) : "") +
                (t.deadline_end ? " – " + Escape(*t.deadline_end) : "") + ")</span>";
  }
  row("Thời hạn", deadline);
  row("Kinh phí", Opt(t.funding));
  body += "</table><h2>Nguồn gốc</h2><table>";
  row("Tệp", Escape(t.doc_file));
  row("Trang, dòng", std::to_string(t.page) + ", " + std::to_string(t.line));
  row("Mục", Escape(t.source) + " · " + Escape(t.clause));
  row("Quy tắc", Escape(t.rules) + (t.deadline_rule ? "<br>thời hạn: " + Escape(*t.deadline_rule) : ""));
  if (t.ocr_confidence) {
    char conf[32];
    std::snprintf(conf, sizeof conf, "%.0f", *t.ocr_confidence);
    row("Độ tin cậy OCR", conf);
  }
  body += "</table>";
  body += PageFigure(store, cache, t);
  Result<std::vector<SourceLine>> lines =
      store->Lines(t.doc_id, t.page, std::max(1, t.line - kContextLines), t.line + kContextLines);
  if (lines.ok() && !lines->empty()) {
    body += "<h3>Văn bản quanh điều khoản</h3><pre id=\"context\">";
    for (const SourceLine& l : *lines) {
      const bool own = l.line == t.line;
      body += (own ? "<span class=\"mark\">" : std::string()) + Escape(l.text) + (own ? "</span>" : "") + "\n";
    }
    body += "</pre>";
  }
  body += "<h3>Như in trong văn bản</h3><pre id=\"source-text\"><span class=\"mark\">" + Escape(t.source_text) +
          "</span></pre>";

  Result<std::vector<Version>> versions = TaskVersions(store, t);
  if (!versions.ok()) return StoreError(versions.status());
  if (versions->size() > 1) {
    body += "<h2>Qua các kế hoạch</h2><ol class=\"timeline\" id=\"lineage\">";
    for (const Version& v : *versions) {
      const bool self = v.task.id == t.id;
      body += "<li data-task=\"" + std::to_string(v.task.id) + "\">" + (self ? "<strong>" : std::string()) +
              "<a href=\"/task/" + std::to_string(v.task.id) + "\">" +
              Escape(v.task.doc_number.value_or(v.task.doc_file)) + "</a>" + (self ? " (nhiệm vụ này)</strong>" : "") +
              " · thời hạn " + Opt(v.task.deadline_raw) + " · chủ trì " + Escape(Join(v.task.lead, "; ")) +
              " · " + Escape(v.task.status);
      if (!v.relation.empty()) body += "<br><span class=\"muted\">" + Escape(v.relation) + "</span>";
      for (const Change& c : v.changes) {
        body += "<br>" + Escape(c.field) + ": " + Escape(c.from) + " → " + Escape(c.to);
      }
      body += "</li>";
    }
    body += "</ol>";
  }
  Response r;
  r.body = Page(t.name, body);
  return r;
}

Response PageImage(Store* store, PageCache* cache, int64_t doc_id, int page) {
  Result<std::optional<RenditionRow>> pdf = PdfReading(store, doc_id);
  if (!pdf.ok()) return StoreError(pdf.status());
  if (!*pdf) return Error(404, "Văn bản số " + std::to_string(doc_id) + " không có bản PDF để vẽ trang.");
  Result<std::string> png =
      cache->PagePng((*pdf)->sha256, page, [store, doc_id]() { return store->Original(doc_id); });
  if (!png.ok()) {
    return png.status().code() == Status::Code::kNotFound ? Error(404, png.status().message())
                                                          : StoreError(png.status());
  }
  Response r;
  r.content_type = "image/png";
  // Named by content: the image of a rendition never changes.
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  r.body = std::move(*png);
  return r;
}

Result<std::string> AgencyBody(Session* session, const std::string& name, const std::string& as_of) {
  Store* store = session->store();
  TaskQuery base;
  base.agency = name;
  base.by_deadline = true;
  Result<std::vector<std::string>> collectives = store->BindingCollectives(base);
  if (!collectives.ok()) return collectives.status();
  // One listing with the collective assignments flagged, and the lead
  // ids to tell the roles apart: overdue and due soon are cut from it here
  // by due.h, as the store's own --overdue and --due-within filters do.
  TaskQuery with = base;
  with.include_collectives = !collectives->empty();
  Result<std::vector<TaskRow>> rows = store->Tasks(with);
  if (!rows.ok()) return rows.status();
  std::set<int64_t> leads;
  TaskQuery lead = base;
  lead.role = "lead";
  Status st = store->ForEachTask(lead, [&](const TaskRow& t) { leads.insert(t.id); });
  if (!st.ok()) return st;
  const std::string soon_end = AddDays(as_of, kSoonDays).value_or(as_of);
  std::vector<TaskRow> all, overdue, due_soon, via;
  std::map<int64_t, std::string> roles;
  for (TaskRow& t : *rows) {
    if (t.via_collective) {
      via.push_back(std::move(t));
      continue;
    }
    Deadline d;
    d.kind = t.deadline_kind.value_or("");
    d.start = t.deadline_start;
    d.end = t.deadline_end;
    roles[t.id] = leads.count(t.id) ? "chủ trì" : "phối hợp";
    if (IsOverdue(d, as_of)) overdue.push_back(t);
    if (DueBetween(d, as_of, soon_end)) due_soon.push_back(t);
    all.push_back(std::move(t));
  }
  const std::string list = "/tasks?agency=" + UrlEncode(name) + "&as_of=" + UrlEncode(as_of);
  std::string body = "<h1>" + Escape(name) + "</h1>" +
                     "<form class=\"filters\" method=\"get\" action=\"/agency\"><input type=\"hidden\" name=\"name\" "
                     "value=\"" +
                     Escape(name) + "\"><label>Tính đến ngày<input type=\"date\" name=\"as_of\" value=\"" +
                     Escape(as_of) + "\"></label><button>Xem</button></form>" +
                     "<p>Đang thực hiện: <strong id=\"count-all\">" + std::to_string(all.size()) +
                     "</strong> · quá hạn: <strong class=\"late\" id=\"count-overdue\">" +
                     std::to_string(overdue.size()) + "</strong> · đến hạn trong " + std::to_string(kSoonDays) +
                     " ngày: <strong id=\"count-soon\">" + std::to_string(due_soon.size()) + "</strong></p>";
  body += "<section id=\"overdue\"><h2>Quá hạn tính đến " + Escape(as_of) + " (" + std::to_string(overdue.size()) +
          ")</h2>" + TaskTable(overdue, kAgencyRows, "overdue", &roles) + "</section>";
  body += "<section id=\"due-soon\"><h2>Đến hạn trong " + std::to_string(kSoonDays) + " ngày (" +
          std::to_string(due_soon.size()) + ")</h2>" + TaskTable(due_soon, kAgencyRows, "due-soon", &roles) +
          "</section>";
  TaskFilters exported;
  exported.given["agency"] = name;
  body += "<section id=\"all\"><h2>Nhiệm vụ chủ trì hoặc phối hợp (" + std::to_string(all.size()) + ")</h2>" +
          "<p class=\"muted\">Như <code>plantrace tasks --agency</code>: nhiệm vụ đang thực hiện giao đích danh.</p>" +
          ExportLinks("/tasks", exported) + TaskTable(all, kAgencyRows, "all", &roles) + "</section>";
  if (!collectives->empty()) {
    body += "<section id=\"collectives\"><h2>Giao cho tập thể có cơ quan này (" + std::to_string(via.size()) +
            ")</h2><p>Các tập thể: ";
    for (size_t i = 0; i < collectives->size(); ++i) body += (i ? "; " : "") + Escape((*collectives)[i]);
    body += "</p>" + TaskTable(via, kAgencyRows, "collective", nullptr) + "</section>";
  }
  body += "<p><a href=\"" + Escape(list) + "&amp;status=all\">Mọi nhiệm vụ, kể cả đã thay thế</a></p>";
  return body;
}

Response Agency(Session* session, const Request& req, const std::string& today) {
  const std::string name = Param(req, "name");
  if (name.empty()) return Error(400, "Chưa chọn cơ quan (tham số name).");
  const std::string as_of = Param(req, "as_of").empty() ? today : Param(req, "as_of");
  if (!IsDate(as_of)) return Error(400, "as_of phải là ngày YYYY-MM-DD");
  const std::string key = "agency:" + as_of + ":" + name;
  Response r;
  if (std::optional<std::string> cached = session->Cached(key)) {
    r.body = std::move(*cached);
    return r;
  }
  Result<std::string> body = AgencyBody(session, name, as_of);
  if (!body.ok()) return StoreError(body.status());
  r.body = Page(name, *body);
  session->Cache(key, r.body);
  return r;
}

Response TaskListPage(Session* session, const Request& req, const std::string& today, const std::string& ext) {
  TaskFilters f;
  if (std::optional<std::string> bad = ParseFilters(req, today, &f)) return Error(400, *bad);
  if (!ext.empty()) return TaskExport(session->store(), f, ext);
  f.query.limit = kShownTasks;
  int64_t total = 0;
  Result<std::vector<TaskRow>> tasks = session->store()->TasksCounted(f.query, &total);
  if (!tasks.ok()) return StoreError(tasks.status());
  std::string body = "<h1>Nhiệm vụ (" + std::to_string(total) + ")</h1>" + FilterForm("/tasks", f, true) +
                     ExportLinks("/tasks", f) + TaskTable(*tasks, kShownTasks, "list", nullptr, total);
  Response r;
  r.body = Page("Nhiệm vụ", body);
  return r;
}

// A page from the store's shared cache, else built by `build` and kept
// there when it is a success of reasonable size: the pages that read many
// tasks (search, task lists, dashboard, agency) are asked again and again
// with the same parameters, and the store rarely changes meanwhile.
template <typename Build>
Response CachedPage(Session* session, const std::string& key, Build build) {
  constexpr size_t kMaxCachedBytes = 512 * 1024;
  Response r;
  if (std::optional<std::string> cached = session->Cached(key)) {
    r.body = std::move(*cached);
    return r;
  }
  r = build();
  if (r.status == 200 && r.content_type.rfind("text/html", 0) == 0 && r.body.size() <= kMaxCachedBytes) {
    session->Cache(key, r.body);
  }
  return r;
}

// The request as a cache key: path, then the parameters in order.
std::string RequestKey(const Request& req, const std::string& today) {
  std::string key = req.path + "?today=" + today;
  for (const auto& [k, v] : req.params) key += "&" + UrlEncode(k) + "=" + UrlEncode(v);
  return key;
}

Response Search(Session* session, const Request& req, const std::string& q) {
  return CachedPage(session, RequestKey(req, ""), [&] { return SearchPage(session, q); });
}

Response TaskList(Session* session, const Request& req, const std::string& today, const std::string& ext) {
  if (!ext.empty()) return TaskListPage(session, req, today, ext);
  return CachedPage(session, RequestKey(req, today), [&] { return TaskListPage(session, req, today, ext); });
}


std::string MondayOf(const std::string& iso) {
  std::optional<int64_t> days = ParseIsoDate(iso);
  if (!days) return iso;
  // Day 0 of the civil count (1970-01-01) was a Thursday.
  const int64_t weekday = ((*days % 7) + 7 + 3) % 7;  // 0 = Monday
  return FormatIsoDate(*days - weekday);
}

Result<std::string> DashboardBody(Session* session, const std::string& as_of) {
  Store* store = session->store();
  DueWindow window;
  window.count = kSoonDays;
  Result<Report> report = ComputeReport(store, as_of, window, std::nullopt, /*with_overdue_tasks=*/false);
  if (!report.ok()) return report.status();
  std::string body = "<h1>Tổng quan tính đến " + Escape(as_of) +
                     "</h1><form class=\"filters\" method=\"get\" action=\"/\"><label>Tính đến ngày<input "
                     "type=\"date\" name=\"as_of\" value=\"" +
                     Escape(as_of) + "\"></label><button>Xem</button></form><div class=\"charts\">";

  // Tasks due and overdue per agency (as lead), as `plantrace report`.
  std::vector<const ReportRow*> busy;
  for (const ReportRow& r : report->rows) {
    if (r.overdue > 0 || r.due_soon > 0) busy.push_back(&r);
  }
  std::stable_sort(busy.begin(), busy.end(), [](const ReportRow* a, const ReportRow* b) {
    return std::make_pair(a->overdue, a->due_soon) > std::make_pair(b->overdue, b->due_soon);
  });
  std::vector<BarGroup> groups;
  for (size_t i = 0; i < busy.size() && i < kChartAgencies; ++i) {
    const std::string base = "/tasks?agency=" + UrlEncode(busy[i]->name) + "&role=lead&as_of=" + UrlEncode(as_of);
    groups.push_back({busy[i]->agency,
                      {busy[i]->overdue, busy[i]->due_soon},
                      {base + "&overdue=1", base + "&due_within=" + std::to_string(kSoonDays) + "d"}});
  }
  body += "<section id=\"agency-chart\"><h2>Quá hạn và sắp đến hạn theo cơ quan chủ trì</h2>";
  body += groups.empty() ? "<p class=\"muted\">Không có nhiệm vụ quá hạn hay sắp đến hạn.</p>"
                         : HorizontalBarsSvg("Quá hạn và đến hạn trong " + std::to_string(kSoonDays) + " ngày",
                                             {{"Quá hạn", "#c62828"}, {"Đến hạn trong 30 ngày", "#f9a825"}}, groups);
  body += "<table id=\"report-table\"><tr><th>Cơ quan</th><th>Loại</th><th class=\"num\">Đang thực hiện</th>"
          "<th class=\"num\">Đến hạn trong " +
          std::to_string(kSoonDays) + " ngày</th><th class=\"num\">Quá hạn</th></tr>";
  for (const ReportRow& r : report->rows) {
    body += "<tr data-agency=\"" + Escape(r.agency) + "\"><td><a href=\"" + Escape(AgencyHref(r.name)) + "\">" +
            Escape(r.agency) + "</a></td><td>" + Escape(r.kind) + "</td><td class=\"num\">" +
            std::to_string(r.active) + "</td><td class=\"num\">" + std::to_string(r.due_soon) +
            "</td><td class=\"num overdue\">" + std::to_string(r.overdue) + "</td></tr>";
  }
  body += "</table></section>";

  // Deadlines per month for the next 12 months.
  const int year = std::stoi(as_of.substr(0, 4)), month = std::stoi(as_of.substr(5, 2));
  std::vector<ColumnBar> months;
  std::vector<std::pair<std::string, std::string>> bounds;
  for (int i = 0; i < 12; ++i) {
    const int y = year + (month - 1 + i) / 12, m = (month - 1 + i) % 12 + 1;
    bounds.emplace_back(IsoDate(y, m, 1), IsoDate(y, m, DaysInMonth(y, m)));
    char label[16];
    std::snprintf(label, sizeof label, "%02d/%d", m, y);
    months.push_back({label, 0,
                      "/tasks?due_after=" + bounds.back().first + "&due_before=" + bounds.back().second});
  }
  TaskQuery ahead;
  ahead.due_after = bounds.front().first;
  ahead.due_before = bounds.back().second;
  Status st = store->ForEachTask(ahead, [&](const TaskRow& t) {
    Deadline d;
    d.kind = t.deadline_kind.value_or("");
    d.start = t.deadline_start;
    d.end = t.deadline_end;
    std::optional<std::string> due = DueDate(d);
    if (!due) return;
    for (size_t i = 0; i < bounds.size(); ++i) {
      if (*due >= bounds[i].first && *due <= bounds[i].second) ++months[i].value;
    }
  });
  if (!st.ok()) return st;
  body += "<section id=\"month-chart\"><h2>Nhiệm vụ đến hạn theo tháng (12 tháng tới)</h2>" +
          ColumnsSvg("Nhiệm vụ đến hạn theo tháng", {"Đến hạn", "#1565c0"}, months) +
          "<table><tr><th>Tháng</th><th class=\"num\">Đến hạn</th></tr>";
  for (const ColumnBar& c : months) {
    body += "<tr><td><a href=\"" + Escape(c.href) + "\">" + Escape(c.label) + "</a></td><td class=\"num\">" +
            std::to_string(c.value) + "</td></tr>";
  }
  body += "</table></section>";

  // Plans stored per week, the 12 weeks up to as_of.
  Result<std::vector<std::pair<std::string, int64_t>>> weeks = store->IngestedPerWeek();
  if (!weeks.ok()) return weeks.status();
  std::map<std::string, int64_t> per_week(weeks->begin(), weeks->end());
  const std::string last_monday = MondayOf(as_of);
  std::vector<ColumnBar> week_bars;
  for (int i = 11; i >= 0; --i) {
    const std::string monday = AddDays(last_monday, -7 * i).value_or(last_monday);
    auto it = per_week.find(monday);
    week_bars.push_back({monday.substr(8, 2) + "/" + monday.substr(5, 2), it == per_week.end() ? 0 : it->second, ""});
  }
  body += "<section id=\"week-chart\"><h2>Văn bản nạp theo tuần</h2>" +
          ColumnsSvg("Văn bản nạp theo tuần", {"Văn bản", "#2e7d32"}, week_bars) +
          "<table><tr><th>Tuần từ</th><th class=\"num\">Văn bản</th></tr>";
  for (const ColumnBar& c : week_bars) {
    body += "<tr><td>" + Escape(c.label) + "</td><td class=\"num\">" + std::to_string(c.value) + "</td></tr>";
  }
  body += "</table></section>";

  // Extraction warnings, per document.
  Result<std::vector<WarningRow>> warnings = store->Warnings(std::nullopt);
  if (!warnings.ok()) return warnings.status();
  std::map<int64_t, std::pair<std::string, int64_t>> per_doc;
  for (const WarningRow& w : *warnings) {
    auto& e = per_doc[w.doc_id];
    e.first = w.file;
    ++e.second;
  }
  body += "<section id=\"warnings\"><h2>Cảnh báo trích xuất cần xem (" + std::to_string(warnings->size()) +
          ")</h2><table><tr><th>Văn bản</th><th class=\"num\">Cảnh báo</th></tr>";
  for (const auto& [doc_id, e] : per_doc) {
    body += "<tr><td><a href=\"/doc/" + std::to_string(doc_id) + "#warnings\">" + Escape(e.first) +
            "</a></td><td class=\"num\">" + std::to_string(e.second) + "</td></tr>";
  }
  body += "</table></section></div>";
  return body;
}

Response Dashboard(Session* session, const Request& req, const std::string& today) {
  const std::string as_of = Param(req, "as_of").empty() ? today : Param(req, "as_of");
  if (!IsDate(as_of)) return Error(400, "as_of phải là ngày YYYY-MM-DD");
  const std::string key = "dashboard:" + as_of;
  Response r;
  if (std::optional<std::string> cached = session->Cached(key)) {
    r.body = *cached;
    return r;
  }
  Result<std::string> body = DashboardBody(session, as_of);
  if (!body.ok()) return StoreError(body.status());
  r.body = Page("Tổng quan", *body);
  session->Cache(key, r.body);
  return r;
}

}  // namespace

// ---- Session.

Result<std::string> Session::Stamp() {
  if (store_path_.empty()) {
    Result<int64_t> version = store_->DataVersion();
    if (!version.ok()) return version.status();
    return "v" + std::to_string(*version);
  }
  std::string stamp;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(store_path_ + suffix, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(store_path_ + suffix, ec);
    stamp += ec ? std::string("-:") : std::to_string(time.time_since_epoch().count()) + "/" + std::to_string(size) + ":";
  }
  return stamp;
}

Status Session::Fresh(std::unique_lock<std::mutex>* lock) {
  Result<std::string> stamp = Stamp();
  if (!stamp.ok()) return stamp.status();
  *lock = std::unique_lock<std::mutex>(cache_->mu);
  if (cache_->stamp != *stamp) {
    cache_->stamp = *stamp;
    cache_->docs.reset();
    cache_->agencies.reset();
    cache_->pages.clear();
  }
  return Status::Ok();
}

// The lists are read under the lock: threads that want them at once wait
// for one reading instead of each doing it.
Result<std::shared_ptr<const std::vector<FoldedDoc>>> Session::Documents() {
  std::unique_lock<std::mutex> lock;
  if (Status st = Fresh(&lock); !st.ok()) return st;
  if (!cache_->docs) {
    Result<std::vector<DocRow>> docs = store_->Documents();
    if (!docs.ok()) return docs.status();
    auto folded = std::make_shared<std::vector<FoldedDoc>>();
    for (DocRow& d : *docs) {
      std::string key = SearchKey(d.number.value_or("") + " " + d.title.value_or("") + " " + d.issuer.value_or("") +
                                  " " + d.type.value_or(""));
      folded->push_back({std::move(d), std::move(key)});
    }
    cache_->docs = std::move(folded);
  }
  return cache_->docs;
}

Result<std::shared_ptr<const std::vector<FoldedAgency>>> Session::Agencies() {
  std::unique_lock<std::mutex> lock;
  if (Status st = Fresh(&lock); !st.ok()) return st;
  if (!cache_->agencies) {
    Result<std::vector<AgencyRow>> agencies = store_->Agencies();
    if (!agencies.ok()) return agencies.status();
    auto folded = std::make_shared<std::vector<FoldedAgency>>();
    for (AgencyRow& a : *agencies) {
      std::string text = a.name;
      for (const std::string& alias : a.aliases) text += " " + alias;
      std::string key = SearchKey(text);
      folded->push_back({std::move(a), std::move(key)});
    }
    cache_->agencies = std::move(folded);
  }
  return cache_->agencies;
}

std::optional<std::string> Session::Cached(const std::string& key) {
  std::unique_lock<std::mutex> lock;
  if (!Fresh(&lock).ok()) return std::nullopt;
  auto it = cache_->pages.find(key);
  if (it == cache_->pages.end()) return std::nullopt;
  return it->second;
}

void Session::Cache(const std::string& key, std::string body) {
  // Enough for the dashboards and busy agencies people open; a crawler
  // asking for every date or name must not grow the cache without end.
  constexpr size_t kPagesKept = 64;
  std::unique_lock<std::mutex> lock;
  if (!Fresh(&lock).ok()) return;
  if (cache_->pages.size() >= kPagesKept) cache_->pages.clear();
  cache_->pages[key] = std::move(body);
}

// ---- The app.

WebApp::WebApp(WebOptions options) : options_(std::move(options)), pages_(options_.page_cache_dir) {}

std::string WebApp::Today() const {
  if (!options_.today.empty()) return options_.today;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return IsoDate(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

Response WebApp::Handle(Session* session, const Request& req) {
  const std::string& path = req.path;
  const std::string today = Today();
  if (path == "/") {
    const std::string q = Param(req, "q");
    return q.empty() ? Dashboard(session, req, today) : Search(session, req, q);
  }
  if (path == "/docs") return DocumentList(session);
  if (path == "/agency") return Agency(session, req, today);
  for (const char* ext : {"", "csv", "json", "xlsx"}) {
    if (path == std::string("/tasks") + (*ext ? "." : "") + ext) return TaskList(session, req, today, ext);
  }
  if (path.rfind("/task/", 0) == 0) {
    if (std::optional<int64_t> id = Digits(path.substr(6))) return Task(session, &pages_, *id);
  }
  if (path.rfind("/doc/", 0) == 0) {
    const std::string rest = path.substr(5);
    const size_t slash = rest.find('/');
    std::optional<int64_t> id = Digits(rest.substr(0, slash));
    if (id && slash == std::string::npos) return Document(session, *id, req, today);
    if (id && rest.substr(slash) == "/original") return Original(session->store(), *id);
  }
  if (path.rfind("/page/", 0) == 0) {
    // /page/DOC/N.png
    const std::string rest = path.substr(6);
    const size_t slash = rest.find('/');
    if (slash != std::string::npos && rest.size() > slash + 5 && rest.substr(rest.size() - 4) == ".png") {
      std::optional<int64_t> doc = Digits(rest.substr(0, slash));
      std::optional<int64_t> page = Digits(rest.substr(slash + 1, rest.size() - slash - 5));
      if (doc && page && *page > 0 && *page < 100000) {
        return PageImage(session->store(), &pages_, *doc, static_cast<int>(*page));
      }
    }
  }
  return Error(404, "Không có trang " + path + ".");
}

std::string Escape(std::string_view s) { return HtmlEscape(s); }

std::string UrlEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace plantrace::web
