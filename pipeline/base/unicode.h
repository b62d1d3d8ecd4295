// Unicode helpers for Vietnamese text. The only file that includes ICU is
// unicode.cc. Stored text is NFC with the document's own spelling; the Key
// functions are for matching and search only.
#ifndef PLANTRACE_PIPELINE_BASE_UNICODE_H_
#define PLANTRACE_PIPELINE_BASE_UNICODE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plantrace {

// Byte offset of the first invalid UTF-8 sequence, or npos if valid.
size_t FindInvalidUtf8(std::string_view s);

// NFC normalisation. Invalid UTF-8 is replaced by U+FFFD.
std::string ToNfc(std::string_view s);

// NFD normalisation: "ệ" -> e, U+0323, U+0302. Invalid UTF-8 is replaced
// by U+FFFD.
std::string ToNfd(std::string_view s);

// The five tone marks of Vietnamese as NFD writes them: grave U+0300
// (huyền), acute U+0301 (sắc), hook above U+0309 (hỏi), tilde U+0303 (ngã),
// dot below U+0323 (nặng).
bool IsToneMark(char32_t c);

// `s` without its tone marks, NFC: "đổi", "đối" and "đồi" give "đôi";
// "dữ" and "đữ", "có" and "cơ" stay apart. OCR misreads a tone mark far
// more often than a vowel's hat or horn.
std::string WithoutTone(std::string_view s);

// Character classes (ICU): a letter (general category L*), a lower-case
// letter, a combining mark (M*: the marks NFD splits off), a
// punctuation mark (P*: ".,;:!?\"'()[]{}-" and “ ” … – —, not the ASCII
// symbols $ + < = > ^ ` | ~).
bool IsLetter(char32_t c);
bool IsLowerCaseLetter(char32_t c);
bool IsCombiningMark(char32_t c);
bool IsPunctuation(char32_t c);

// Old-style tone placement ("hoà", "uỷ", "thuỷ") rewritten to the new style
// ("hòa", "ủy", "thủy"); NFC in and out; marks and case kept.
std::string NewStyleTones(std::string_view s);

// Matching key: NFC, new-style tones, lower case, whitespace collapsed,
// punctuation kept. "Uỷ ban" and "Ủy Ban" give the same key.
std::string MatchKey(std::string_view s);

// Search key: lower case, every diacritic removed, "đ" -> "d", runs of
// non-alphanumerics -> one space. "Sở Khoa học" -> "so khoa hoc".
std::string SearchKey(std::string_view s);

// `s` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view s);
// `s` for HTML text or a quoted attribute: invalid UTF-8 replaced (as
// above), & < > " ' written as entities.
std::string HtmlEscape(std::string_view s);

// Collapses whitespace runs to one space and trims.
std::string CollapseSpaces(std::string_view s);

// `items` with `sep` between them.
std::string Join(const std::vector<std::string>& items, std::string_view sep);

std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);

// True when every letter in `s` is upper case (and there is at least one).
bool IsAllUpper(std::string_view s);
// True when the first letter of `s` is upper case / lower case (leading
// spaces, quotes and brackets skipped; a digit first gives false).
bool StartsUpper(std::string_view s);
bool StartsLowerCase(std::string_view s);

// `bytes` in `charset` (an ICU converter name or alias: "windows-1258",
// "UTF-16LE", "shift_jis"...) as UTF-8, or nullopt when ICU knows no such
// charset. A byte-order mark is kept (as U+FEFF). What cannot be decoded (a
// byte the charset leaves undefined, a malformed sequence, an unpaired
// surrogate) becomes U+FFFD and is counted in *substituted; so is a C1
// control (U+0080-U+009F): ICU's windows-125x tables give one for each byte
// those code pages leave undefined, and no text holds them.
std::optional<std::string> DecodeToUtf8(std::string_view bytes, const std::string& charset, size_t* substituted);
// True when DecodeToUtf8 knows `charset`.
bool IsKnownCharset(const std::string& charset);

// Code point count.
size_t Utf8Length(std::string_view s);

// The code point starting at s[*i], advancing *i past it (a byte that starts
// no valid sequence is taken as itself).
char32_t NextCodePoint(std::string_view s, size_t* i);
// Appends `cp` encoded as UTF-8.
void AppendUtf8(std::string* out, char32_t cp);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_UNICODE_H_
