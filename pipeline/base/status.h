// Status and Result<T>: the only things that cross a stage boundary besides
// the handoff structs. A non-OK Status means "this document cannot go on";
// everything non-fatal goes to Diagnostics (diagnostics.h).
#ifndef PLANTRACE_PIPELINE_BASE_STATUS_H_
#define PLANTRACE_PIPELINE_BASE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace plantrace {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidInput, kUnsupported, kNotFound, kIo, kInternal, kUsage, kOverBudget };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(Code::kInvalidInput, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Io(std::string msg) { return Status(Code::kIo, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status Usage(std::string msg) { return Status(Code::kUsage, std::move(msg)); }
  // A document that used up its CPU-time or memory allowance (budget.h).
  static Status OverBudget(std::string msg) { return Status(Code::kOverBudget, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid input: <message>" style text for users.
  std::string ToString() const;
  // Prefixes the message, e.g. with the file name: "a.pdf: page 3: ...".
  Status Annotate(const std::string& prefix) const {
    if (ok()) return *this;
    return Status(code_, prefix + ": " + message_);
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

#define PLANTRACE_RETURN_IF_ERROR(expr)      \
  do {                                       \
    ::plantrace::Status _st = (expr);        \
    if (!_st.ok()) return _st;               \
  } while (0)

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_STATUS_H_
