// The PostgreSQL engine of the store (store_db.h).
#include <string>

#include "pipeline/store/store_db.h"

namespace plantrace {
namespace store_internal {

bool IsPostgresUrl(std::string_view db) { return db.starts_with("postgresql://") || db.starts_with("postgres://"); }

Result<std::unique_ptr<Engine>> OpenPostgres(const std::string&, bool) {
  return Status::Unsupported("the PostgreSQL store is not implemented yet");
}

}  // namespace store_internal
}  // namespace plantrace
