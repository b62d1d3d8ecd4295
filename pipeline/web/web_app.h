// The auditors' web view: pages over a store opened read-only, drawn on
// the server as HTML and SVG (Vietnamese labels, no script needed to read
// them). The app knows nothing of sockets: `plantrace serve`
// (pipeline/cli/cmd_serve.cc) puts it behind cpp-httplib, and the tests
// call it directly. Every value from the store is HTML-escaped on output.
#ifndef PLANTRACE_PIPELINE_WEB_WEB_APP_H_
#define PLANTRACE_PIPELINE_WEB_WEB_APP_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/store/store.h"
#include "pipeline/web/page_view.h"

namespace plantrace::web {

struct Request {
  std::string path;                                // "/task/12", without the query
  std::multimap<std::string, std::string> params;  // decoded query parameters
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the content type
  std::string body;
};

struct WebOptions {
  // Where page images are kept ("" keeps none: each is drawn on request).
  std::string page_cache_dir;
  // The date pages take as "today" when a request names none (ISO); ""
  // means the server's clock, in UTC.
  std::string today;
};

struct FoldedDoc {
  DocRow doc;
  std::string key;  // SearchKey of number, title, issuer and type
};
struct FoldedAgency {
  AgencyRow agency;
  std::string key;  // SearchKey of the name and its printed forms
};

// What the app keeps of a store between requests (the document and agency
// lists folded for search, whole pages that take long to build), shared by
// the threads that serve it and dropped when the store changes.
struct StoreCache {
  std::mutex mu;
  std::string stamp;  // the store's content when this was read
  std::shared_ptr<const std::vector<FoldedDoc>> docs;
  std::shared_ptr<const std::vector<FoldedAgency>> agencies;
  std::map<std::string, std::string> pages;
};

// One thread's way to the store: its connection, and the cache it shares.
class Session {
 public:
  // A cache of its own, stamped by the connection's data_version (the
  // tests, one store per session).
  explicit Session(Store* store) : store_(store), cache_(std::make_shared<StoreCache>()) {}
  // A cache shared by every thread serving the SQLite file `store_path`,
  // stamped by the file's and its write-ahead log's size and time: every
  // commit, by any process, changes one of them. (data_version cannot be
  // compared between connections.)
  Session(Store* store, std::shared_ptr<StoreCache> cache, std::string store_path)
      : store_(store), cache_(std::move(cache)), store_path_(std::move(store_path)) {}
  Store* store() const { return store_; }

  Result<std::shared_ptr<const std::vector<FoldedDoc>>> Documents();
  Result<std::shared_ptr<const std::vector<FoldedAgency>>> Agencies();
  // A page body cached under `key` for the store as it is now.
  std::optional<std::string> Cached(const std::string& key);
  void Cache(const std::string& key, std::string body);

 private:
  Result<std::string> Stamp();
  // Locks the cache and drops it when the store changed since.
  Status Fresh(std::unique_lock<std::mutex>* lock);
  Store* store_;
  std::shared_ptr<StoreCache> cache_;
  std::string store_path_;
};

class WebApp {
 public:
  explicit WebApp(WebOptions options = {});
  // Routes (GET):
  //   /                    dashboard (?as_of=); with ?q= search
  //   /docs                documents
  //   /doc/ID              document: metadata, relations, lineage graph,
  //                        tasks with filters and exports
  //   /doc/ID/original     the stored original file
  //   /task/ID             task: fields with provenance, page image with
  //                        the clause highlighted (PDF) or source lines
  //   /page/ID/N.png       page N of document ID's PDF
  //   /agency?name=        tasks led and coordinated, due and overdue
  //   /tasks[.csv|.json|.xlsx]?filters   task list and its exports
  // Anything else is a 404 page; a bad parameter a 400 page; a store
  // error a 500 page naming it.
  Response Handle(Session* session, const Request& req);

 private:
  std::string Today() const;
  WebOptions options_;
  PageCache pages_;
};

// `s` with & < > " ' written as entities.
std::string Escape(std::string_view s);
// `s` percent-encoded for a query value.
std::string UrlEncode(std::string_view s);

}  // namespace plantrace::web

#endif  // PLANTRACE_PIPELINE_WEB_WEB_APP_H_
