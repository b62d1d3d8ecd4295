// plantrace serve: the auditors' web view (pipeline/web/) over HTTP, with
// cpp-httplib (Debian libcpp-httplib-dev): a small, well-kept server that
// needs no framework and no build step. The store is opened read-only, one
// connection per server thread (a Store serves one thread at a time).
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/cli/commands.h"
#include "pipeline/store/store.h"
#include "pipeline/web/web_app.h"

namespace plantrace {
namespace {

constexpr const char kServeUsage[] =
    "usage: plantrace serve [--db FILE] [--port N] [--bind ADDRESS]\n"
    "Serves the store read-only as web pages: search, documents, tasks with\n"
    "their source clause, agencies. Binds to 127.0.0.1:8080 unless told\n"
    "otherwise. The store defaults to $PLANTRACE_DB, else ./plantrace.db.\n";

// A request's URL and headers must fit in this; a GET carries no body.
constexpr size_t kMaxPayload = 64 * 1024;
constexpr time_t kReadTimeoutSeconds = 5;

bool ServeUsageError(const std::string& msg) {
  std::fprintf(stderr, "plantrace serve: %s\n%s", msg.c_str(), kServeUsage);
  return false;
}

struct ServeArgs {
  std::string db, bind = "127.0.0.1";
  int port = 8080;
  bool help = false;
};

bool ParseServeArgs(const std::vector<std::string>& args, ServeArgs* out) {
  if (const char* env = std::getenv("PLANTRACE_DB"); env != nullptr && *env != '\0') out->db = env;
  if (out->db.empty()) out->db = "plantrace.db";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out->help = true;
      continue;
    }
    if (a != "--db" && a != "--port" && a != "--bind") return ServeUsageError("unknown option " + a);
    if (i + 1 >= args.size()) return ServeUsageError(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--db") {
      out->db = v;
    } else if (a == "--bind") {
      out->bind = v;
    } else {
      char* end = nullptr;
      const long port = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || port < 0 || port > 65535) {
        return ServeUsageError("--port wants 0..65535, not " + v);
      }
      out->port = static_cast<int>(port);
    }
  }
  return true;
}

}  // namespace

int CmdServe(const std::vector<std::string>& args) {
  ServeArgs sa;
  if (!ParseServeArgs(args, &sa)) return 2;
  if (sa.help) {
    std::fputs(kServeUsage, stdout);
    return 0;
  }
  // Checked once here so that a bad path fails at start, not per request.
  {
    Result<std::unique_ptr<Store>> probe = Store::OpenReadOnly(sa.db);
    if (!probe.ok()) {
      std::fprintf(stderr, "plantrace serve: %s\n", probe.status().message().c_str());
      return 1;
    }
  }
  const std::string db = sa.db;
  httplib::Server server;
  server.set_payload_max_length(kMaxPayload);
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.Get(".*", [db](const httplib::Request& req, httplib::Response& res) {
    thread_local std::unique_ptr<Store> store;
    web::Response page;
    if (!store) {
      Result<std::unique_ptr<Store>> opened = Store::OpenReadOnly(db);
      if (opened.ok()) store = std::move(*opened);
    }
    if (!store) {
      page.status = 503;
      page.content_type = "text/plain; charset=utf-8";
      page.body = "the store cannot be opened";
    } else {
      web::Request wr;
      wr.path = req.path;
      for (const auto& [k, v] : req.params) wr.params.emplace(k, v);
      page = web::HandleRequest(store.get(), wr);
    }
    res.status = page.status;
    // The pages are built on the server; they need no script from elsewhere.
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(page.body, page.content_type);
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("internal error", "text/plain; charset=utf-8");
  });
  int port = sa.port;
  if (port == 0) {
    port = server.bind_to_any_port(sa.bind);
  } else if (!server.bind_to_port(sa.bind, port)) {
    port = -1;
  }
  if (port < 0) {
    std::fprintf(stderr, "plantrace serve: cannot listen on %s:%d\n", sa.bind.c_str(), sa.port);
    return 1;
  }
  // Tests and scripts read the address from this line.
  std::printf("plantrace serve: http://%s:%d/ (store %s, read-only)\n", sa.bind.c_str(), port, db.c_str());
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace plantrace
