// The auditors' web view: pages over a store opened read-only, drawn on
// the server as HTML (Vietnamese labels, no script needed to read them).
// HandleRequest knows nothing of sockets: `plantrace serve`
// (pipeline/cli/cmd_serve.cc) puts it behind cpp-httplib, and the tests
// call it directly. Every value from the store is HTML-escaped on output.
#ifndef PLANTRACE_PIPELINE_WEB_WEB_APP_H_
#define PLANTRACE_PIPELINE_WEB_WEB_APP_H_

#include <map>
#include <string>
#include <string_view>

#include "pipeline/store/store.h"

namespace plantrace::web {

struct Request {
  std::string path;                           // "/task/12", without the query
  std::multimap<std::string, std::string> params;  // decoded query parameters
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
};

// Routes: "/" (search: ?q=), "/doc/ID", "/task/ID", "/agency?name=".
// Anything else is a 404 page; a store error is a 500 page naming it.
Response HandleRequest(Store* store, const Request& req);

// `s` with & < > " ' written as entities.
std::string Escape(std::string_view s);
// `s` percent-encoded for a query value.
std::string UrlEncode(std::string_view s);

}  // namespace plantrace::web

#endif  // PLANTRACE_PIPELINE_WEB_WEB_APP_H_
