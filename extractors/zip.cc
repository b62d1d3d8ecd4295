// libzip behind ZipReader: opens an archive held in memory, checks entry
// count and declared sizes up front, and counts inflated bytes while reading.
#include "extractors/zip.h"

#include <zip.h>

namespace plantrace {

struct ZipReader::Impl {
  zip_t* archive = nullptr;
  std::string source;
  ZipLimits limits;
  size_t read_total = 0;
  ~Impl() {
    if (archive != nullptr) zip_discard(archive);
  }
};

namespace {

std::string ZipErrorText(zip_error_t* err) {
  const char* s = zip_error_strerror(err);
  return s != nullptr ? s : "unknown error";
}

}  // namespace

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::~ZipReader() = default;

Result<std::unique_ptr<ZipReader>> ZipReader::Open(std::string_view bytes, const std::string& source,
                                                   const ZipLimits& limits) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) {
    std::string msg = ZipErrorText(&err);
    zip_error_fini(&err);
    return Status::Internal(source + ": cannot read zip: " + msg);
  }
  zip_t* archive = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (archive == nullptr) {
    std::string msg = ZipErrorText(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return Status::InvalidInput(source + ": not a readable zip archive (truncated or damaged?): " + msg);
  }
  zip_error_fini(&err);
  auto impl = std::make_unique<Impl>();
  impl->archive = archive;
  impl->source = source;
  impl->limits = limits;
  zip_int64_t n = zip_get_num_entries(archive, 0);
  if (n < 0 || static_cast<size_t>(n) > limits.max_entries) {
    return Status::InvalidInput(source + ": zip has " + std::to_string(n) + " entries (limit " +
                                std::to_string(limits.max_entries) + ")");
  }
  size_t declared = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    if ((st.valid & ZIP_STAT_SIZE) == 0) continue;
    if (st.size > limits.max_declared_total - declared) {
      return Status::InvalidInput(source + ": zip entries declare more than " +
                                  std::to_string(limits.max_declared_total) + " bytes in total");
    }
    declared += st.size;
  }
  return std::unique_ptr<ZipReader>(new ZipReader(std::move(impl)));
}

bool ZipReader::Has(const std::string& name) const {
  return zip_name_locate(impl_->archive, name.c_str(), 0) >= 0;
}

Result<std::string> ZipReader::Read(const std::string& name) {
  const std::string where = impl_->source + ": " + name;
  zip_int64_t index = zip_name_locate(impl_->archive, name.c_str(), 0);
  if (index < 0) return Status::NotFound(where + ": no such zip entry");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(impl_->archive, static_cast<zip_uint64_t>(index), 0, &st) == 0 &&
      (st.valid & ZIP_STAT_SIZE) != 0 && st.size > impl_->limits.max_entry_bytes) {
    return Status::InvalidInput(where + ": entry declares " + std::to_string(st.size) + " bytes (limit " +
                                std::to_string(impl_->limits.max_entry_bytes) + ")");
  }
  zip_file_t* f = zip_fopen_index(impl_->archive, static_cast<zip_uint64_t>(index), 0);
  if (f == nullptr) {
    return Status::InvalidInput(where + ": cannot open zip entry: " + ZipErrorText(zip_get_error(impl_->archive)));
  }
  std::string out;
  char buf[1 << 16];
  Status status;
  for (;;) {
    zip_int64_t got = zip_fread(f, buf, sizeof(buf));
    if (got < 0) {
      status = Status::InvalidInput(where + ": damaged zip entry: " + ZipErrorText(zip_file_get_error(f)));
      break;
    }
    if (got == 0) break;
    size_t g = static_cast<size_t>(got);
    if (out.size() + g > impl_->limits.max_entry_bytes) {
      status = Status::InvalidInput(where + ": entry inflates beyond " +
                                    std::to_string(impl_->limits.max_entry_bytes) + " bytes (zip bomb?)");
      break;
    }
    if (impl_->read_total + g > impl_->limits.max_read_total) {
      status = Status::InvalidInput(where + ": zip inflates beyond " +
                                    std::to_string(impl_->limits.max_read_total) + " bytes in total");
      break;
    }
    impl_->read_total += g;
    out.append(buf, g);
  }
  zip_fclose(f);
  if (!status.ok()) return status;
  return out;
}

}  // namespace plantrace
