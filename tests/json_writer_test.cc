// The command-output encoders: JSON (layout, escapes, UTF-8 validation,
// piecewise output) and CSV.
#include "pipeline/base/json_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

constexpr const char kReplacement[] = "\xEF\xBF\xBD";

TEST(JsonWriterTest, Encodes) {
  struct Case {
    const char* id;
    int indent;
    void (*build)(JsonWriter*);
    const char* want;
  };
  const Case cases[] = {
      {"empty-object", 2, [](JsonWriter* w) { w->BeginObject().EndObject(); }, "{}"},
      {"empty-array-in-object", 2, [](JsonWriter* w) { w->BeginObject().Key("a").BeginArray().EndArray().EndObject(); },
       "{\n  \"a\": []\n}"},
      {"insertion-order", 2,
       [](JsonWriter* w) { w->BeginObject().Field("z", 1).Field("a", true).Key("m").Null().EndObject(); },
       "{\n  \"z\": 1,\n  \"a\": true,\n  \"m\": null\n}"},
      {"nested", 2,
       [](JsonWriter* w) {
         w->BeginObject().Key("t").BeginArray().BeginObject().Field("k", "v").EndObject().Int(-3).EndArray().EndObject();
       },
       "{\n  \"t\": [\n    {\n      \"k\": \"v\"\n    },\n    -3\n  ]\n}"},
      {"compact", 0,
       [](JsonWriter* w) { w->BeginObject().Field("a", 1).Key("b").Strings({"x", "y"}).EndObject(); },
       "{\"a\":1,\"b\":[\"x\",\"y\"]}"},
      {"utf8-kept", 0, [](JsonWriter* w) { w->String("Sở Khoa học – “x”"); }, "\"Sở Khoa học – “x”\""},
      {"escapes", 0, [](JsonWriter* w) { w->String("a\"b\\c\nd\te\x01"); }, "\"a\\\"b\\\\c\\nd\\te\\u0001\""},
      {"invalid-utf8", 0, [](JsonWriter* w) { w->String("a\xff" "b\xc3"); }, "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\""},
      {"astral-kept", 0, [](JsonWriter* w) { w->String("𝔸 ≤ 😀"); }, "\"𝔸 ≤ 😀\""},
      {"optional", 0,
       [](JsonWriter* w) {
         w->BeginArray().OptString(std::nullopt).OptString(std::string("x")).OptInt(std::nullopt).EndArray();
       },
       "[null,\"x\",null]"},
      {"raw", 0, [](JsonWriter* w) { w->BeginObject().Key("t").Raw("{\"2025\":\"80\"}").EndObject(); },
       "{\"t\":{\"2025\":\"80\"}}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    JsonWriter w(c.indent);
    c.build(&w);
    EXPECT_EQ(w.str(), c.want);
  }
}

// Every lead byte and second byte, followed by continuation bytes up to 2,
// 3 or 4 bytes in all: kept exactly when ICU finds the bytes valid, so
// overlong forms, surrogates and code points above U+10FFFF become U+FFFD.
TEST(JsonWriterTest, Utf8ValidationAgreesWithIcu) {
  int checked = 0;
  for (size_t length = 2; length <= 4; ++length) {
    for (int lead = 0x80; lead <= 0xFF; ++lead) {
      for (int second = 0; second <= 0xFF; ++second) {
        std::string s = {static_cast<char>(lead), static_cast<char>(second)};
        s.resize(length, '\x80');
        const bool valid = FindInvalidUtf8(s) == std::string_view::npos;
        const bool kept = JsonQuote(s).find(kReplacement) == std::string::npos;
        ASSERT_EQ(kept, valid) << std::hex << lead << " " << second << " length " << length;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3 * 128 * 256);
}

TEST(JsonWriterTest, FlushedPiecesMakeTheWholeText) {
  auto write = [](JsonWriter* w, std::FILE* f) {
    w->BeginArray();
    for (int i = 0; i < 3; ++i) {
      w->BeginObject().Field("n", i).Key("names").Strings({"Sở Y tế", "a\"b"}).EndObject();
      if (f) w->Flush(f);
    }
    w->EndArray();
    if (f) w->Flush(f);
  };
  JsonWriter whole;
  write(&whole, nullptr);
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  JsonWriter pieces;
  write(&pieces, f);
  EXPECT_EQ(pieces.size(), 0u);
  std::rewind(f);
  std::string got;
  for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) got += static_cast<char>(c);
  std::fclose(f);
  EXPECT_EQ(got, whole.str());
}

TEST(CsvTest, QuotesPerRfc4180) {
  struct Case {
    const char* id;
    std::vector<std::string> fields;
    const char* want;
  };
  const Case cases[] = {
      {"plain", {"1", "Sở Y tế", ""}, "1,Sở Y tế,\r\n"},
      {"comma", {"Các sở, ban, ngành"}, "\"Các sở, ban, ngành\"\r\n"},
      {"quote", {"Dự án \"A\""}, "\"Dự án \"\"A\"\"\"\r\n"},
      {"newline", {"dòng 1\ndòng 2", "x"}, "\"dòng 1\ndòng 2\",x\r\n"},
      {"cr", {"a\rb"}, "\"a\rb\"\r\n"},
      {"edge-spaces", {" a"}, "\" a\"\r\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(CsvRow(c.fields), c.want);
  }
}

}  // namespace
}  // namespace plantrace
