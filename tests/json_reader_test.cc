// Tests for pipeline/base/json_reader: valid documents and their tree (member
// order, numbers as written, nesting, escapes), and errors as Status.
#include "pipeline/base/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

TEST(JsonReaderTest, ScalarsObjectsAndArrays) {
  auto v = ParseJson(R"( {"doc": "a.md", "n": 12, "x": -0.50, "e": 1E3, "ok": true, "no": false,
                         "none": null, "list": [1, "two", [], {}]} )");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_TRUE(v->is_object());
  // Members keep document order (the DOM of nlohmann::json would sort them).
  std::vector<std::string> keys;
  for (const auto& [k, unused] : v->members) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"doc", "n", "x", "e", "ok", "no", "none", "list"}));
  EXPECT_EQ((*v)["doc"].text, "a.md");
  EXPECT_EQ((*v)["n"].type, JsonValue::Type::kNumber);
  EXPECT_EQ((*v)["n"].text, "12");
  EXPECT_EQ((*v)["x"].text, "-0.50");  // as written, not reprinted
  EXPECT_EQ((*v)["e"].text, "1E3");
  EXPECT_EQ((*v)["ok"].type, JsonValue::Type::kBool);
  EXPECT_TRUE((*v)["ok"].boolean);
  EXPECT_FALSE((*v)["no"].boolean);
  EXPECT_TRUE((*v)["none"].is_null());
  EXPECT_TRUE((*v).Has("none"));
  EXPECT_FALSE((*v).Has("absent"));
  EXPECT_TRUE((*v)["absent"].is_null());
  const JsonValue& list = (*v)["list"];
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.items.size(), 4u);
  EXPECT_EQ(list.items[1].text, "two");
  EXPECT_TRUE(list.items[2].is_array());
  EXPECT_TRUE(list.items[3].is_object());
}

TEST(JsonReaderTest, Nested) {
  auto v = ParseJson(R"({"tasks": [{"lead": ["Sở Tư pháp"], "deadline": {"kind": "month", "end": "2025-09-30"}}]})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  const JsonValue& task = (*v)["tasks"].items.at(0);
  EXPECT_EQ(task["lead"].items.at(0).text, "Sở Tư pháp");
  EXPECT_EQ(task["deadline"]["end"].text, "2025-09-30");
  EXPECT_TRUE(task["deadline"]["kind"]["deeper"].is_null());  // [] on a non-object
}

TEST(JsonReaderTest, StringEscapes) {
  struct Case {
    const char* id;
    std::string json, want;
  };
  const std::vector<Case> cases = {
      {"simple", R"("a\"b\\c\/d")", "a\"b\\c/d"},
      {"controls", R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {"bmp", R"("S\u1edf T\u01b0 ph\u00e1p")", "Sở Tư pháp"},
      {"surrogate-pair", R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},
      {"raw-utf8", "\"Quý IV/2025\"", "Quý IV/2025"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    auto v = ParseJson(c.json);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_TRUE(v->is_string());
    EXPECT_EQ(v->text, c.want);
  }
}

TEST(JsonReaderTest, ErrorsAreStatusWithAPosition) {
  struct Case {
    const char* id;
    std::string json;
  };
  const std::vector<Case> cases = {
      {"empty", ""},
      {"trailing", "{} x"},
      {"unterminated-string", R"({"a": "b)"},
      {"missing-colon", R"({"a" 1})"},
      {"trailing-comma", "[1, 2,]"},
      {"bad-literal", "tru"},
      {"bad-escape", R"("\q")"},
      {"lone-surrogate", R"("\ud83d")"},
      {"too-deep", std::string(300, '[') + std::string(300, ']')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    auto v = ParseJson(c.json);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().message().rfind("JSON: ", 0), 0u) << v.status().message();
  }
  auto v = ParseJson(R"({"a" 1})");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("line 1, column 6"), std::string::npos) << v.status().message();
  EXPECT_NE(v.status().message().find("(byte 6)"), std::string::npos) << v.status().message();
  // Nesting within the limit parses.
  EXPECT_TRUE(ParseJson(std::string(200, '[') + std::string(200, ']')).ok());
}

}  // namespace
}  // namespace plantrace
