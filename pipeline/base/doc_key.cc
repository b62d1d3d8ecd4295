// Document number keys and stored-document keys (doc_key.h).
#include "pipeline/base/doc_key.h"

#include <cctype>

#include "pipeline/base/unicode.h"

namespace plantrace {

std::string DocNumberKey(std::string_view number) {
  std::string up = ToUpper(ToNfc(number));
  static constexpr std::string_view kDashes[] = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"};
  std::string out;
  out.reserve(up.size());
  for (size_t i = 0; i < up.size();) {
    bool dash = false;
    for (std::string_view d : kDashes) {
      if (up.compare(i, d.size(), d) == 0) {
        out += '-';
        i += d.size();
        dash = true;
        break;
      }
    }
    if (dash) continue;
    unsigned char c = static_cast<unsigned char>(up[i]);
    if (!std::isspace(c)) out += up[i];
    ++i;
  }
  static constexpr std::string_view kSo = "SỐ";
  if (out.compare(0, kSo.size(), kSo) == 0) {
    out.erase(0, kSo.size());
    while (!out.empty() && (out[0] == ':' || out[0] == '.')) out.erase(0, 1);
  }
  return out;
}

std::optional<DocNumberParts> ParseDocNumber(std::string_view key) {
  size_t i = 0;
  while (i < key.size() && std::isdigit(static_cast<unsigned char>(key[i]))) ++i;
  if (i == 0 || i >= key.size() || (key[i] != '/' && key[i] != '-')) return std::nullopt;
  DocNumberParts p;
  p.serial = std::string(key.substr(0, i));
  std::string_view rest = key.substr(i + 1);
  if (rest.size() > 5 && std::isdigit(static_cast<unsigned char>(rest[0])) && rest[4] == '/') {
    bool year = true;
    for (size_t k = 0; k < 4; ++k) year &= std::isdigit(static_cast<unsigned char>(rest[k])) != 0;
    if (year) {
      p.year = std::string(rest.substr(0, 4));
      rest = rest.substr(5);
    }
  }
  if (rest.empty()) return std::nullopt;
  p.code = std::string(rest);
  size_t sep = rest.find_first_of("-/");
  if (sep != std::string_view::npos) p.issuer_code = std::string(rest.substr(sep + 1));
  return p;
}

std::string DocumentKey(const std::optional<std::string>& number, const std::optional<std::string>& date,
                        std::string_view sha256) {
  std::string key = number && !number->empty() ? DocNumberKey(*number) : "unnumbered";
  key += '@';
  key += date && !date->empty() ? *date : "-";
  key += '#';
  key += sha256.substr(0, 8);
  return key;
}

}  // namespace plantrace
