// Unicode helpers over ICU: NFC, tone-placement normalisation and the
// folding keys used for matching and search.
#include "pipeline/base/unicode.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/utf16.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <iterator>
#include <memory>
#include <string>

namespace plantrace {
namespace {

const icu::Normalizer2* Nfc() {
  UErrorCode err = U_ZERO_ERROR;
  return icu::Normalizer2::getNFCInstance(err);
}
const icu::Normalizer2* Nfd() {
  UErrorCode err = U_ZERO_ERROR;
  return icu::Normalizer2::getNFDInstance(err);
}

std::string ToUtf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Writes U+FFFD for what the converter cannot decode and counts it in the
// callback's context (a size_t).
void SubstituteAndCount(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                        UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to decode
  ++*static_cast<size_t*>(const_cast<void*>(context));
  *err = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

Converter OpenConverter(const std::string& charset) {
  UErrorCode err = U_ZERO_ERROR;
  Converter c(ucnv_open(charset.c_str(), &err));
  if (U_FAILURE(err)) return nullptr;
  return c;
}

}  // namespace

bool IsKnownCharset(const std::string& charset) { return !charset.empty() && OpenConverter(charset) != nullptr; }

std::optional<std::string> DecodeToUtf8(std::string_view bytes, const std::string& charset, size_t* substituted) {
  *substituted = 0;
  if (charset.empty()) return std::nullopt;  // ICU's default converter, not a charset
  Converter cnv = OpenConverter(charset);
  if (cnv == nullptr) return std::nullopt;
  UErrorCode err = U_ZERO_ERROR;
  ucnv_setToUCallBack(cnv.get(), SubstituteAndCount, substituted, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return std::nullopt;
  std::string out;
  out.reserve(bytes.size());
  auto emit = [&](UChar32 c) {
    if (c >= 0x80 && c <= 0x9F) {
      ++*substituted;
      c = 0xFFFD;
    }
    AppendUtf8(&out, static_cast<char32_t>(c));
  };
  // In pieces, so that a big input needs no UTF-16 copy of itself; a pair
  // of surrogates split between two pieces is joined.
  UChar buf[8192];
  UChar lead = 0;
  const char* src = bytes.data();
  const char* const end = src + bytes.size();
  do {
    UChar* target = buf;
    err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv.get(), &target, buf + std::size(buf), &src, end, nullptr, /*flush=*/true, &err);
    if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR) return std::nullopt;
    for (const UChar* p = buf; p < target; ++p) {
      if (lead != 0) {
        const UChar first = lead;
        lead = 0;
        if (U16_IS_TRAIL(*p)) {
          emit(U16_GET_SUPPLEMENTARY(first, *p));
          continue;
        }
        ++*substituted;
        emit(0xFFFD);
      }
      if (U16_IS_LEAD(*p)) {
        lead = *p;
      } else if (U16_IS_TRAIL(*p)) {
        ++*substituted;
        emit(0xFFFD);
      } else {
        emit(*p);
      }
    }
  } while (err == U_BUFFER_OVERFLOW_ERROR);
  if (lead != 0) {
    ++*substituted;
    emit(0xFFFD);
  }
  return out;
}

size_t FindInvalidUtf8(std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::string_view::npos;
}

bool IsToneMark(char32_t c) {
  // grave, acute, tilde, hook above, dot below
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const size_t bad = FindInvalidUtf8(s);
    out.append(s.substr(0, bad));
    if (bad == std::string_view::npos) break;
    out += "\xEF\xBF\xBD";
    s.remove_prefix(bad + 1);
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : ReplaceInvalidUtf8(s)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string WithoutTone(std::string_view s) {
  const std::string nfd = ToNfd(s);
  std::string out;
  for (size_t i = 0; i < nfd.size();) {
    const size_t from = i;
    const char32_t c = NextCodePoint(nfd, &i);
    if (!IsToneMark(c)) out.append(nfd, from, i - from);
  }
  return ToNfc(out);
}

bool IsLetter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)); }
bool IsLowerCaseLetter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)) && u_islower(static_cast<UChar32>(c)); }

bool IsCombiningMark(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0; }

bool IsPunctuation(char32_t c) { return u_ispunct(static_cast<UChar32>(c)); }

std::string ToNfd(std::string_view s) {
  bool ascii = true;
  for (char c : s) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString out = Nfd()->normalize(u, err);
  if (U_FAILURE(err)) return ToUtf8(u);
  return ToUtf8(out);
}

std::string ToNfc(std::string_view s) {
  bool ascii = true;
  for (char c : s) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(s);
  UErrorCode qerr = U_ZERO_ERROR;
  if (Nfc()->isNormalizedUTF8(icu::StringPiece(s.data(), s.size()), qerr) && U_SUCCESS(qerr)) {
    return std::string(s);
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString out = Nfc()->normalize(u, err);
  if (U_FAILURE(err)) return std::string(s);
  return ToUtf8(out);
}

// In NFD, the old style puts the tone on the second vowel of "oa", "oe",
// "uy" when nothing follows ("hoà", "uỷ"); the new style puts it on the
// first ("hòa", "ủy"). Only open syllables differ, so the rewrite checks
// that no letter follows the pair.
std::string NewStyleTones(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString d = Nfd()->normalize(u, err);
  if (U_FAILURE(err)) return std::string(s);
  icu::UnicodeString out;
  int32_t n = d.length();
  for (int32_t i = 0; i < n;) {
    UChar32 a = d.char32At(i);
    int32_t ia = i + U16_LENGTH(a);
    UChar32 b = ia < n ? d.char32At(ia) : 0;
    int32_t ib = ia + (b ? U16_LENGTH(b) : 0);
    UChar32 mark = ib < n ? d.char32At(ib) : 0;
    int32_t after = ib + (mark ? U16_LENGTH(mark) : 0);
    UChar32 next = after < n ? d.char32At(after) : 0;
    UChar32 la = u_tolower(a), lb = u_tolower(b);
    bool pair = (la == 'o' && (lb == 'a' || lb == 'e')) || (la == 'u' && lb == 'y');
    bool prev_is_q = false;
    if (i > 0) {
      UChar32 p = d.char32At(i - 1);
      prev_is_q = u_tolower(p) == 'q' || u_tolower(p) == 'g';  // "quý", "giá": tone stays on the second
    }
    if (pair && !prev_is_q && IsToneMark(mark) && !(next && (u_isalpha(next) || IsToneMark(next)))) {
      out.append(a);
      out.append(mark);
      out.append(b);
      i = after;
      continue;
    }
    out.append(a);
    i = ia;
  }
  icu::UnicodeString nfc = Nfc()->normalize(out, err);
  if (U_FAILURE(err)) return std::string(s);
  return ToUtf8(nfc);
}

namespace {

// Made once: an icu::Locale built per call was a third of MatchKey's time.
const icu::Locale& Vietnamese() {
  static const icu::Locale kVi("vi");
  return kVi;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Whether NewStyleTones could change `nfc` (NFC text): its rewrite needs an
// "o" or "u" right before a toned vowel, which NFC prints as one non-ASCII
// letter. Most keys have none, and skip the two normalisations.
bool MayHaveOldStyleTone(std::string_view nfc) {
  for (size_t i = 0; i + 1 < nfc.size(); ++i) {
    const char c = nfc[i];
    if ((c == 'o' || c == 'O' || c == 'u' || c == 'U') && static_cast<unsigned char>(nfc[i + 1]) >= 0x80) return true;
  }
  return false;
}

}  // namespace

std::string ToLower(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  u.toLower(Vietnamese());
  return ToUtf8(u);
}

std::string ToUpper(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  u.toUpper(Vietnamese());
  return ToUtf8(u);
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string MatchKey(std::string_view s) {
  std::string nfc = ToNfc(s);
  if (MayHaveOldStyleTone(nfc)) nfc = NewStyleTones(nfc);
  return CollapseSpaces(ToLower(nfc));
}

std::string SearchKey(std::string_view s) {
  if (IsAscii(s)) {  // the same key, without ICU: ASCII letters and digits, lower-cased
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (char c : s) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
        if (space && !out.empty()) out.push_back(' ');
        space = false;
        out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
      } else {
        space = true;
      }
    }
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString d = Nfd()->normalize(u, err);
  if (U_FAILURE(err)) d = u;
  d.toLower(Vietnamese());
  icu::UnicodeString out;
  bool space = false;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x0111 || c == 0x0110) c = 'd';  // đ has no decomposition
    if (u_isalnum(c)) {
      if (space && out.length() > 0) out.append(UChar32(' '));
      space = false;
      out.append(c);
    } else {
      space = true;
    }
  }
  return ToUtf8(out);
}

bool IsAllUpper(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  bool any = false;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalpha(c)) {
      if (u_islower(c)) return false;
      any = true;
    }
  }
  return any;
}

bool StartsUpper(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalpha(c)) return u_isupper(c);
  }
  return false;
}

bool StartsLowerCase(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalpha(c)) return u_islower(c);
    if (u_isdigit(c)) return false;
  }
  return false;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

char32_t NextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  if (*i + n > s.size()) n = 1;
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return cp;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace plantrace
