// Text/Markdown reader and format sniffing.
#include <gtest/gtest.h>

#include "extractors/readers.h"

namespace plantrace {
namespace {

TEST(TextReaderTest, BomAndCrlf) {
  Diagnostics d;
  auto l = ReadText("\xEF\xBB\xBFSố: 1/KH\r\nHà Nội\r\n", "a.txt", &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_EQ(l->blocks.size(), 1u);
  ASSERT_EQ(l->blocks[0].lines.size(), 2u);
  EXPECT_EQ(l->blocks[0].lines[0].text, "Số: 1/KH");
  EXPECT_EQ(l->blocks[0].lines[1].text, "Hà Nội");
  EXPECT_EQ(l->blocks[0].lines[1].line, 2);
}

TEST(TextReaderTest, BlankLinesEndBlocksAndKeepLineNumbers) {
  Diagnostics d;
  auto l = ReadText("a\n\nb\nc\n", "a.txt", &d);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->blocks.size(), 2u);
  EXPECT_EQ(l->blocks[1].lines[0].line, 3);
}

struct BadCase {
  const char* id;
  std::string bytes;
  const char* expect;  // substring of the message
};

TEST(TextReaderTest, BadInputNamesFileAndReason) {
  const BadCase cases[] = {
      {"empty", "", "empty"},
      {"invalid-utf8", std::string("Kế hoạch\n\xC3\x28 x"), "invalid UTF-8 at byte offset 13"},
      {"blank", "  \n\n \n", "blank"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics d;
    auto l = ReadDocument(c.bytes, "bad.txt", ReadLimits(), &d);
    ASSERT_FALSE(l.ok());
    EXPECT_NE(l.status().message().find("bad.txt"), std::string::npos) << l.status().message();
    EXPECT_NE(l.status().message().find(c.expect), std::string::npos) << l.status().message();
  }
}

TEST(TextReaderTest, BinaryIsRefused) {
  std::string bin("\x7F" "ELF\x02\x01\x01\x00\x00\x00", 10);
  Diagnostics d;
  auto l = ReadDocument(bin, "prog", ReadLimits(), &d);
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("prog"), std::string::npos);
}

TEST(TextReaderTest, MarkdownMarksStayOutOfText) {
  std::string md =
      "**KẾ HOẠCH**\n\n## **II- MỤC TIÊU**\n\n"
      "Quy mô kinh tế số chiếm 35% GRDP<sup>1</sup>.\n\n"
      "- Xây dựng kế hoạch (hoàn thành trước **30/6/2025**).\n\n"
      "địa chỉ: <https://theodoinq.dcs.vn>. *Báo cáo tháng*: Gửi\n";
  Diagnostics d;
  auto l = ReadText(md, "a.md", &d);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->format, Format::kMarkdown);
  std::vector<std::string> texts;
  for (const Block& b : l->blocks) {
    for (const Line& line : b.lines) texts.push_back(line.text);
  }
  ASSERT_EQ(texts.size(), 5u);
  EXPECT_EQ(texts[0], "KẾ HOẠCH");
  EXPECT_TRUE(l->blocks[0].lines[0].bold);
  EXPECT_EQ(texts[1], "II- MỤC TIÊU");
  EXPECT_EQ(l->blocks[1].lines[0].heading_level, 2);
  EXPECT_EQ(texts[2], "Quy mô kinh tế số chiếm 35% GRDP.");
  EXPECT_EQ(texts[3], "- Xây dựng kế hoạch (hoàn thành trước 30/6/2025).");
  EXPECT_EQ(texts[4], "địa chỉ: https://theodoinq.dcs.vn. Báo cáo tháng: Gửi");
}

TEST(SniffTest, FromBytesNotName) {
  EXPECT_EQ(SniffFormat("%PDF-1.6\n..."), Format::kPdf);
  EXPECT_EQ(SniffFormat(std::string("PK\x03\x04", 4) + "rest"), Format::kDocx);
  EXPECT_EQ(SniffFormat("<!DOCTYPE html><html>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("  <html lang=\"vi\">"), Format::kHtml);
  EXPECT_EQ(SniffFormat("Số: 1/KH-UBND\n"), Format::kText);
  EXPECT_EQ(SniffFormat(std::string("\x00\x01\x02", 3)), Format::kUnknown);
}

// `ascii` as UTF-16, little- or big-endian, without a byte-order mark.
std::string Utf16(std::string_view ascii, bool little) {
  std::string out;
  for (char c : ascii) out += little ? std::string{c, '\0'} : std::string{'\0', c};
  return out;
}

bool HasDiagnostic(const Diagnostics& diag, const std::string& code, const std::string& part) {
  for (const Diagnostic& d : diag.items()) {
    if (d.code == code && d.message.find(part) != std::string::npos) return true;
  }
  return false;
}

// Bytes no reader takes get a reason the user can act on: a UTF-32 text
// file (Windows "Unicode text") is to be saved as UTF-8, an OLE2 file is an
// old .doc or a password-protected DOCX. WhyUnreadable gives ingest the same.
TEST(SniffTest, UnreadableBytesSayWhatTheyAre) {
  const struct {
    const char* id;
    std::string bytes;
    const char* reason;
  } cases[] = {
      {"utf32le-bom", std::string("\xFF\xFE\0\0", 4) + "K\0\0\0", "UTF-32 text"},
      {"ole2", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") + std::string(512, '\0'), "Word 97-2003 .doc"},
      // NULs at both parities: binary, not text in any encoding.
      {"binary", std::string("\x7F" "ELF\x02\x01\x01", 7) + std::string(64, '\0') + "abcdefgh", "not a document"},
      // UTF-16 whose text is binary is judged by that text.
      {"utf16-of-binary", "\xFF\xFE" + Utf16(std::string(64, '\x01'), true), "not a document"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics diag;
    Result<Layout> l = ReadDocument(c.bytes, "in.txt", ReadLimits(), &diag);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.status().message().rfind("in.txt: ", 0), 0u) << l.status().message();
    EXPECT_NE(l.status().message().find(c.reason), std::string::npos) << l.status().message();
    EXPECT_EQ("in.txt: " + WhyUnreadable(c.bytes), l.status().message());
  }
  EXPECT_EQ(WhyUnreadable("Kế hoạch\n"), "");
  EXPECT_EQ(WhyUnreadable("\xFF\xFE" + Utf16("Ke hoach\n", true)), "");
}

// UTF-16 text (Windows "Unicode text"), with a byte-order mark or without,
// is read as the UTF-8 it decodes to, and says so.
TEST(SniffTest, Utf16TextIsDecoded) {
  const std::string plan = "Ke hoach so 12/KH-UBND\nGiao So Y te chu tri.\n";
  // "Kế hoạch" has letters outside Latin-1 (U+1EBF, U+1EA1); U+1F4C4 a pair
  // of surrogates.
  const std::string viet_le = std::string("K\0\xBF\x1E \0h\0o\0\xA1\x1E" "c\0h\0 \0\x3D\xD8\xC4\xDC\n\0", 24);
  const struct {
    const char* id;
    std::string bytes;
    const char* first_line;
  } cases[] = {
      {"utf16le-bom", "\xFF\xFE" + Utf16(plan, true), "Ke hoach so 12/KH-UBND"},
      {"utf16be-bom", "\xFE\xFF" + Utf16(plan, false), "Ke hoach so 12/KH-UBND"},
      {"utf16le-no-bom", Utf16(plan, true), "Ke hoach so 12/KH-UBND"},
      {"utf16be-no-bom", Utf16(plan, false), "Ke hoach so 12/KH-UBND"},
      {"utf16le-vietnamese", "\xFF\xFE" + viet_le, "Kế hoạch \U0001F4C4"},
      // Markdown: the mark decodes to UTF-8's, which must not hide the first
      // heading from LooksLikeMarkdown.
      {"utf16le-markdown", "\xFF\xFE" + Utf16("# Ke hoach\n\n## Muc tieu\n\n**Dieu 1.** Giao So Y te.\n", true),
       "Ke hoach"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics diag;
    Result<Layout> l = ReadDocument(c.bytes, "in.txt", ReadLimits(), &diag);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    ASSERT_FALSE(l->blocks.empty());
    ASSERT_FALSE(l->blocks[0].lines.empty());
    EXPECT_EQ(l->blocks[0].lines[0].text, c.first_line);
    EXPECT_TRUE(HasDiagnostic(diag, "read.utf16", "in.txt: UTF-16 text"));
    EXPECT_FALSE(HasDiagnostic(diag, "read.utf16_invalid", ""));
  }
  // An unpaired surrogate (a lone high one, then a lone low one) is read as
  // U+FFFD, with a warning that counts them; the text after it is kept.
  Diagnostics diag;
  const std::string bad = "\xFF\xFE" + Utf16("Ke hoach ", true) + std::string("\x00\xD8", 2) + Utf16(" so ", true) +
                          std::string("\x00\xDC", 2) + Utf16(" 12/KH-UBND\n", true);
  Result<Layout> l = ReadDocument(bad, "in.txt", ReadLimits(), &diag);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_FALSE(l->blocks.empty());
  EXPECT_EQ(l->blocks[0].lines[0].text, "Ke hoach \uFFFD so \uFFFD 12/KH-UBND");
  EXPECT_TRUE(HasDiagnostic(diag, "read.utf16_invalid", "in.txt: 2 invalid UTF-16"));
  // A mark and nothing else is blank, as a UTF-8 byte-order mark alone.
  Result<Layout> blank = ReadDocument("\xFF\xFE", "in.txt", ReadLimits(), &diag);
  ASSERT_FALSE(blank.ok());
  EXPECT_NE(blank.status().message().find("no text"), std::string::npos) << blank.status().message();
}

}  // namespace
}  // namespace plantrace
