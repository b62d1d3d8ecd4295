// The web view's pages. Each page is built as one string: a store query,
// then rows written through Escape. The layout is one small stylesheet in
// the page (no CDN, no build step), readable on a phone.
#include "pipeline/web/web_app.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"

namespace plantrace::web {
namespace {

// Search results shown per group; the count above each says how many
// there are in all.
constexpr size_t kShownPerGroup = 50;
// Source lines shown above and below a task's own line.
constexpr int kContextLines = 4;

constexpr const char kStyle[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:0 1rem;line-height:1.45}"
    "header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid #ccc;padding:.5rem 0}"
    "header a{font-weight:bold;text-decoration:none}form{display:flex;gap:.5rem;flex:1}"
    "input[type=search]{flex:1;padding:.4rem;font-size:1rem}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}"
    "th{background:#f4f4f4}.muted{color:#666}.mark{background:#fff3b0}"
    "pre{white-space:pre-wrap}@media(max-width:40rem){td,th{display:block;border:none}}";

std::string Param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? "" : it->second;
}

std::string Page(const std::string& title, const std::string& body, const std::string& query = "") {
  std::string out;
  out.reserve(body.size() + 1024);
  out += "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  out += Escape(title);
  out += " · plantrace</title><style>";
  out += kStyle;
  out += "</style></head><body><header><a href=\"/\">plantrace</a>"
         "<form action=\"/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"";
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
  const std::string title = status == 404 ? "Không tìm thấy" : "Lỗi";
  r.body = Page(title, "<h1>" + Escape(title) + "</h1><p>" + Escape(message) + "</p>");
  return r;
}

std::optional<int64_t> IdAfter(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string digits = path.substr(prefix.size());
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(digits);
}

std::string Opt(const std::optional<std::string>& v) { return v ? Escape(*v) : "<span class=\"muted\">—</span>"; }

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& a : items) {
    if (!out.empty()) out += "; ";
    out += "<a href=\"/agency?name=" + Escape(UrlEncode(a)) + "\">" + Escape(a) + "</a>";
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

std::string TaskTable(const std::vector<TaskRow>& tasks, size_t limit) {
  std::string out = "<table><tr><th>Số</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Phối hợp</th><th>Thời hạn</th></tr>";
  for (size_t i = 0; i < tasks.size() && i < limit; ++i) {
    const TaskRow& t = tasks[i];
    out += "<tr><td>" + Opt(t.number) + "</td><td>" + TaskLink(t) + "</td><td>" + Joined(t.lead) + "</td><td>" +
           Joined(t.coord) + "</td><td>" + Opt(t.deadline_raw) + "</td></tr>";
  }
  return out + "</table>";
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

Response Home(Store* store, const Request& req) {
  const std::string q = Param(req, "q");
  Response r;
  if (q.empty()) {
    Result<std::vector<DocRow>> docs = store->Documents();
    if (!docs.ok()) return Error(500, docs.status().message());
    std::string body = "<h1>Văn bản đã nạp (" + std::to_string(docs->size()) + ")</h1><ul>";
    for (const DocRow& d : *docs) {
      body += "<li><a href=\"/doc/" + std::to_string(d.id) + "\">" + Escape(DocLabel(d)) + "</a> <span class=\"muted\">" +
              std::to_string(d.task_count) + " nhiệm vụ</span></li>";
    }
    r.body = Page("Trang chủ", body + "</ul>");
    return r;
  }
  const std::vector<std::string> words = Words(SearchKey(q));
  std::string body = "<h1>Kết quả cho “" + Escape(q) + "”</h1>";

  Result<std::vector<DocRow>> docs = store->Documents();
  if (!docs.ok()) return Error(500, docs.status().message());
  std::vector<const DocRow*> found_docs;
  for (const DocRow& d : *docs) {
    const std::string text = SearchKey((d.number ? *d.number : "") + " " + (d.title ? *d.title : "") + " " +
                                       (d.issuer ? *d.issuer : "") + " " + (d.type ? *d.type : ""));
    if (!words.empty() && AllWordsIn(words, text)) found_docs.push_back(&d);
  }
  body += "<section><h2>Văn bản (" + std::to_string(found_docs.size()) + ")</h2><ul>";
  for (size_t i = 0; i < found_docs.size() && i < kShownPerGroup; ++i) {
    body += "<li><a href=\"/doc/" + std::to_string(found_docs[i]->id) + "\">" + Escape(DocLabel(*found_docs[i])) +
            "</a></li>";
  }
  body += "</ul></section>";

  TaskQuery tq;
  tq.search = q;
  tq.status = "all";
  Result<std::vector<TaskRow>> tasks = store->Tasks(tq);
  if (!tasks.ok()) return Error(500, tasks.status().message());
  body += "<section><h2>Nhiệm vụ (" + std::to_string(tasks->size()) + ")</h2>" + TaskTable(*tasks, kShownPerGroup) +
          "</section>";

  Result<std::vector<AgencyRow>> agencies = store->Agencies();
  if (!agencies.ok()) return Error(500, agencies.status().message());
  std::vector<const AgencyRow*> found_agencies;
  for (const AgencyRow& a : *agencies) {
    std::string text = a.name;
    for (const std::string& alias : a.aliases) text += " " + alias;
    if (!words.empty() && AllWordsIn(words, SearchKey(text))) found_agencies.push_back(&a);
  }
  body += "<section><h2>Cơ quan (" + std::to_string(found_agencies.size()) + ")</h2><ul>";
  for (size_t i = 0; i < found_agencies.size() && i < kShownPerGroup; ++i) {
    const AgencyRow& a = *found_agencies[i];
    body += "<li><a href=\"/agency?name=" + Escape(UrlEncode(a.name)) + "\">" + Escape(a.name) +
            "</a> <span class=\"muted\">chủ trì " + std::to_string(a.lead_tasks) + ", phối hợp " +
            std::to_string(a.coord_tasks) + "</span></li>";
  }
  body += "</ul></section>";
  r.body = Page("Tìm kiếm", body, q);
  return r;
}

Response Document(Store* store, int64_t id) {
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!docs.ok()) return Error(500, docs.status().message());
  auto it = std::find_if(docs->begin(), docs->end(), [&](const DocRow& d) { return d.id == id; });
  if (it == docs->end()) return Error(404, "Không có văn bản số " + std::to_string(id) + " trong kho.");
  const DocRow& d = *it;
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
  row("Tệp", Escape(d.file_name) + " · " + Escape(d.format) + " · " + std::to_string(d.renditions) + " bản");
  row("Khóa", Escape(d.key));
  body += "</table>";

  Result<std::vector<RelationRow>> rels = store->Relations();
  if (!rels.ok()) return Error(500, rels.status().message());
  std::string cites, cited_by;
  for (const RelationRow& rel : *rels) {
    if (rel.from == id) {
      cites += "<li>" + Escape(rel.relation) + ": " +
               (rel.to ? "<a href=\"/doc/" + std::to_string(*rel.to) + "\">" + Escape(rel.cited()) + "</a>"
                       : Escape(rel.cited()) + " <span class=\"muted\">(chưa có trong kho)</span>") +
               "</li>";
    } else if (rel.to && *rel.to == id) {
      cited_by += "<li><a href=\"/doc/" + std::to_string(rel.from) + "\">" + Escape(rel.from_key) + "</a> " +
                  Escape(rel.relation) + "</li>";
    }
  }
  body += "<h2>Văn bản liên quan</h2><h3>Văn bản này dẫn chiếu</h3><ul>" + cites +
          "</ul><h3>Được dẫn chiếu bởi</h3><ul>" + cited_by + "</ul>";

  TaskQuery tq;
  tq.doc = std::to_string(id);
  tq.status = "all";
  Result<std::vector<TaskRow>> tasks = store->Tasks(tq);
  if (!tasks.ok()) return Error(500, tasks.status().message());
  body += "<h2>Nhiệm vụ (" + std::to_string(tasks->size()) + ")</h2>" + TaskTable(*tasks, tasks->size());
  Response r;
  r.body = Page(DocLabel(d), body);
  return r;
}

Response Task(Store* store, int64_t id) {
  TaskQuery tq;
  tq.task_id = id;
  tq.status = "all";
  Result<std::vector<TaskRow>> tasks = store->Tasks(tq);
  if (!tasks.ok()) return Error(500, tasks.status().message());
  if (tasks->empty()) return Error(404, "Không có nhiệm vụ số " + std::to_string(id) + " trong kho.");
  const TaskRow& t = tasks->front();
  std::string body = "<h1>" + Escape(t.name) + "</h1><p>Văn bản: <a href=\"/doc/" + std::to_string(t.doc_id) +
                     "\">" + Escape(t.doc_number ? *t.doc_number : t.doc_file) + "</a> · " + Escape(t.ref) +
                     " · trạng thái " + Escape(t.status) + "</p><table>";
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
  row("Trang, dòng", std::to_string(t.page) + ", " + std::to_string(t.line));
  row("Mục", Escape(t.source) + " · " + Escape(t.clause));
  row("Quy tắc", Escape(t.rules) + (t.deadline_rule ? "<br>thời hạn: " + Escape(*t.deadline_rule) : ""));
  if (t.ocr_confidence) {
    char conf[32];
    std::snprintf(conf, sizeof conf, "%.0f", *t.ocr_confidence);
    row("Độ tin cậy OCR", conf);
  }
  body += "</table><h3>Văn bản gốc quanh điều khoản</h3><pre>";
  Result<std::vector<SourceLine>> lines =
      store->Lines(t.doc_id, t.page, std::max(1, t.line - kContextLines), t.line + kContextLines);
  if (lines.ok()) {
    for (const SourceLine& l : *lines) {
      const bool own = l.line == t.line;
      body += (own ? "<span class=\"mark\">" : std::string()) + Escape(l.text) + (own ? "</span>" : "") + "\n";
    }
  }
  body += "</pre><h3>Như in trong văn bản</h3><pre>" + Escape(t.source_text) + "</pre>";

  Result<std::vector<LineageRow>> lineage = store->Lineage(id);
  if (lineage.ok() && !lineage->empty()) {
    body += "<h2>Qua các kế hoạch</h2><ul>";
    for (const LineageRow& l : *lineage) {
      const int64_t other = l.task == id ? l.prev : l.task;
      body += "<li>" + std::string(l.task == id ? "Tiếp nối" : "Được tiếp nối bởi") + " <a href=\"/task/" +
              std::to_string(other) + "\">nhiệm vụ " + std::to_string(other) + "</a> (" + Escape(l.relation) + ")";
      for (const Change& c : l.changes) {
        body += "<br>" + Escape(c.field) + ": " + Escape(c.from) + " → " + Escape(c.to);
      }
      body += "</li>";
    }
    body += "</ul>";
  }
  Response r;
  r.body = Page(t.name, body);
  return r;
}

Response Agency(Store* store, const Request& req) {
  const std::string name = Param(req, "name");
  if (name.empty()) return Error(404, "Chưa chọn cơ quan.");
  std::string body = "<h1>" + Escape(name) + "</h1>";
  for (const char* role : {"lead", "coord"}) {
    TaskQuery tq;
    tq.agency = name;
    tq.role = role;
    Result<std::vector<TaskRow>> tasks = store->Tasks(tq);
    if (!tasks.ok()) return Error(500, tasks.status().message());
    body += std::string("<h2>") + (std::string(role) == "lead" ? "Chủ trì" : "Phối hợp") + " (" +
            std::to_string(tasks->size()) + ")</h2>" + TaskTable(*tasks, tasks->size());
  }
  Response r;
  r.body = Page(name, body);
  return r;
}

}  // namespace

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

Response HandleRequest(Store* store, const Request& req) {
  if (req.path == "/") return Home(store, req);
  if (req.path == "/agency") return Agency(store, req);
  if (std::optional<int64_t> id = IdAfter(req.path, "/doc/")) return Document(store, *id);
  if (std::optional<int64_t> id = IdAfter(req.path, "/task/")) return Task(store, *id);
  return Error(404, "Không có trang " + req.path + ".");
}

}  // namespace plantrace::web
