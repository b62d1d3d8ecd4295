// plantrace serve: the auditors' web view (pipeline/web/) over HTTP, with
// cpp-httplib (Debian libcpp-httplib-dev): a small, well-kept server that
// needs no framework and no build step. The store is opened read-only, one
// connection per server thread (a Store serves one thread at a time).
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/base/civil_date.h"
#include "pipeline/cli/commands.h"
#include "pipeline/store/store.h"
#include "pipeline/web/web_app.h"

namespace plantrace {
namespace {

constexpr const char kServeUsage[] =
    "usage: plantrace serve [--db FILE] [--port N] [--bind ADDRESS] [--cache-dir DIR]\n"
    "                       [--today DATE] [--rate-limit N]\n"
    "Serves the store read-only as web pages: dashboard, search, documents,\n"
    "tasks with their source clause on the page image, agencies, exports.\n"
    "Binds to 127.0.0.1:8080 unless told otherwise. The store defaults to\n"
    "$PLANTRACE_DB, else ./plantrace.db. Page images are kept in --cache-dir\n"
    "(default $XDG_CACHE_HOME/plantrace/pages or ~/.cache/plantrace/pages).\n"
    "--today sets the date pages use when a request names none (default: the\n"
    "clock, UTC). --rate-limit: requests per second one client address may\n"
    "make, with bursts of three times that (default 40; 0: no limit).\n";

// A request's URL and headers must fit in this; a GET carries no body.
constexpr size_t kMaxPayload = 64 * 1024;
constexpr time_t kReadTimeoutSeconds = 5;
// Requests one client address may make by default: a burst, refilled at a
// steady rate. Enough for a person clicking and for a page with its image;
// a script hammering the server is told 429 instead of taking every thread.
constexpr double kRequestsPerSecond = 40;
constexpr double kBurstSeconds = 3;

// Token buckets per client address. Addresses seen once are dropped when
// the table grows, so a scan of many addresses cannot grow it without end.
class RateLimiter {
 public:
  explicit RateLimiter(double per_second) : per_second_(per_second), burst_(per_second * kBurstSeconds) {}
  bool Allow(const std::string& address) {
    if (per_second_ <= 0) return true;
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (buckets_.size() > 10000) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(address, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      const double seconds = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + seconds * per_second_);
      b.last = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  const double per_second_, burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

bool ServeUsageError(const std::string& msg) {
  std::fprintf(stderr, "plantrace serve: %s\n%s", msg.c_str(), kServeUsage);
  return false;
}

struct ServeArgs {
  std::string db, bind = "127.0.0.1", cache_dir, today;
  double rate_limit = kRequestsPerSecond;
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
    if (a != "--db" && a != "--port" && a != "--bind" && a != "--cache-dir" && a != "--today" &&
        a != "--rate-limit") {
      return ServeUsageError("unknown option " + a);
    }
    if (i + 1 >= args.size()) return ServeUsageError(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--db") {
      out->db = v;
    } else if (a == "--bind") {
      out->bind = v;
    } else if (a == "--cache-dir") {
      out->cache_dir = v;
    } else if (a == "--rate-limit") {
      char* end = nullptr;
      const double rate = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(rate >= 0) || rate > 1e6) {
        return ServeUsageError("--rate-limit wants requests per second (0: none), not " + v);
      }
      out->rate_limit = rate;
    } else if (a == "--today") {
      if (!ParseIsoDate(v)) return ServeUsageError("--today wants a date YYYY-MM-DD, not " + v);
      out->today = v;
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
  web::WebOptions options;
  options.page_cache_dir = sa.cache_dir.empty() ? web::DefaultPageCacheDir() : sa.cache_dir;
  options.today = sa.today;
  web::WebApp app(options);
  RateLimiter limiter(sa.rate_limit);
  auto cache = std::make_shared<web::StoreCache>();
  httplib::Server server;
  server.set_payload_max_length(kMaxPayload);
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.Get(".*", [&db, &app, &limiter, &cache](const httplib::Request& req, httplib::Response& res) {
    thread_local std::unique_ptr<Store> store;
    thread_local std::unique_ptr<web::Session> session;
    web::Response page;
    if (!store) {
      Result<std::unique_ptr<Store>> opened = Store::OpenReadOnly(db);
      if (opened.ok()) {
        store = std::move(*opened);
        // A database has no file to stamp: the session asks DataVersion().
        session = std::make_unique<web::Session>(store.get(), cache, Store::IsDatabaseUrl(db) ? "" : db);
      }
    }
    if (!limiter.Allow(req.remote_addr)) {
      page.status = 429;
      page.content_type = "text/plain; charset=utf-8";
      page.body = "too many requests; try again in a moment";
      res.set_header("Retry-After", "1");
    } else if (!store) {
      page.status = 503;
      page.content_type = "text/plain; charset=utf-8";
      page.body = "the store cannot be opened";
    } else {
      web::Request wr;
      wr.path = req.path;
      for (const auto& [k, v] : req.params) wr.params.emplace(k, v);
      page = app.Handle(session.get(), wr);
    }
    for (const auto& [name, value] : page.headers) res.set_header(name, value);
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
  std::printf("plantrace serve: http://%s:%d/ (store %s, read-only)\n", sa.bind.c_str(), port,
              Store::IsDatabaseUrl(db) ? "PostgreSQL" : db.c_str());
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace plantrace
