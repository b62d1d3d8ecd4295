// HTML reader: chrome removal, layout vs data tables, spans, broken markup,
// charsets, repeated copies, and size limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/dump.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

std::string Fixture(const std::string& name) {
  return testing::ReadFileOrDie(testing::SourceDir() + "/tests/data/html/" + name);
}

// Every printed line (block lines and cell lines) in reading order.
std::vector<std::string> AllText(const Layout& layout) {
  std::vector<std::string> out;
  for (const Block& b : layout.blocks) {
    for (const Line& l : b.lines) out.push_back(l.text);
    for (const Row& r : b.table.rows) {
      for (const Cell& c : r.cells) {
        for (const Line& l : c.lines) out.push_back(l.text);
      }
    }
  }
  return out;
}

std::string Joined(const Layout& layout) {
  std::string s;
  for (const std::string& l : AllText(layout)) s += l + "\n";
  return s;
}

const Table* FirstTable(const Layout& layout) {
  for (const Block& b : layout.blocks) {
    if (b.kind == Block::Kind::kTable) return &b.table;
  }
  return nullptr;
}

// The dump without its first line (which names the format).
std::string Body(const Layout& layout) {
  std::string d = DumpLayout(layout);
  return d.substr(d.find('\n') + 1);
}

TEST(HtmlReader, PortalPageGivesTheCleanDocument) {
  Diagnostics diag;
  Result<Layout> clean = ReadHtml(Fixture("clean.html"), "clean.html", ReadLimits{}, &diag);
  Result<Layout> portal = ReadHtml(Fixture("portal.html"), "portal.html", ReadLimits{}, &diag);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  EXPECT_EQ(Body(*clean), Body(*portal));
}

struct ContentCase {
  const char* id;
  const char* fixture;            // file under tests/data/html, or "" to use `html`
  const char* html;
  std::vector<std::string> present;  // substrings that must be in the text
  std::vector<std::string> absent;   // substrings that must not
};

TEST(HtmlReader, Content) {
  const std::vector<ContentCase> cases = {
      {"portal.chrome_dropped", "portal.html", "",
       {"KẾ HOẠCH", "Nơi nhận: như trên.", "Sở Nội vụ"},
       {"Đăng nhập", "Đăng ký", "Đăng xuất", "Trang chủ", "Tin tức", "Khuyến mãi", "Văn bản liên quan",
        "Quyết định 12", "Bản quyền", "quảng cáo", "Bản in ẩn", "Tìm kiếm", "Không phải nội dung", "JavaScript",
        "Cổng thông tin"}},
      {"malformed.recovered", "malformed.html", "",
       {"Đoạn một chưa đóng thẻ", "Đoạn hai có chữ đậm lồng sai thứ tự", "ế", "Đoạn lạc trong bảng",
        "Ô ngoài bảng", "Cuối văn bản không đóng", "Nhiệm vụ thiếu thẻ đóng", "Sở Y tế"},
       {"<", "</"}},
      {"entities.decoded", "", "<p>A &amp; B &lt;C&gt; &#7871; &#x1EBF; &quot;x&quot;</p>", {"A & B <C> ế ế \"x\""}, {}},
      {"script.style.dropped", "", "<p>Giữ lại</p><script>var a='Bỏ đi';</script><style>p{}</style>",
       {"Giữ lại"}, {"Bỏ đi", "p{}"}},
      {"short.repeat.kept", "",
       "<p>- Cơ quan chủ trì: Sở Nội vụ.</p><p>- Thời gian: Năm 2025.</p><p>a) Việc một</p>"
       "<p>- Cơ quan chủ trì: Sở Nội vụ.</p><p>- Thời gian: Năm 2025.</p><p>b) Việc hai</p>",
       {"- Cơ quan chủ trì: Sở Nội vụ.\n- Thời gian: Năm 2025.\na) Việc một\n- Cơ quan chủ trì: Sở Nội vụ."}, {}},
      {"link.inside.text.kept", "", "<p>Căn cứ <a href='/vb/57'>Nghị quyết số 57-NQ/TW</a>;</p>",
       {"Căn cứ Nghị quyết số 57-NQ/TW;"}, {}},
      {"ordered.list.numbered", "", "<ol type='a'><li>Một</li><li>Hai</li></ol><ul><li>Ba</li></ul>",
       {"a. Một\nb. Hai\n- Ba"}, {}},
  };
  for (const ContentCase& c : cases) {
    SCOPED_TRACE(c.id);
    std::string html = *c.fixture ? Fixture(c.fixture) : std::string(c.html);
    Diagnostics diag;
    Result<Layout> r = ReadHtml(html, c.id, ReadLimits{}, &diag);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::string text = Joined(*r);
    for (const std::string& p : c.present) EXPECT_NE(text.find(p), std::string::npos) << "missing: " << p << "\n" << text;
    for (const std::string& a : c.absent) EXPECT_EQ(text.find(a), std::string::npos) << "kept: " << a << "\n" << text;
  }
}

TEST(HtmlReader, TableSpansHeadersAndLayoutTables) {
  Diagnostics diag;
  Result<Layout> r = ReadHtml(Fixture("clean.html"), "clean.html", ReadLimits{}, &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The two-column letter head is text, not a table.
  ASSERT_FALSE(r->blocks.empty());
  EXPECT_EQ(r->blocks[0].kind, Block::Kind::kLines);
  EXPECT_EQ(r->blocks[0].lines[0].text, "ỦY BAN NHÂN DÂN");
  const Table* t = FirstTable(*r);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 5u);
  struct Expect {
    const char* id;
    size_t row, cell;
    const char* text;
    int row_span, col_span;
    bool header;
  };
  const std::vector<Expect> cases = {
      {"thead.th", 0, 0, "TT", 1, 1, true},
      {"group.colspan", 1, 1, "Hoàn thiện thể chế", 1, 3, false},
      {"lead.rowspan", 2, 2, "Sở Nội vụ", 2, 1, false},
      {"two.paragraphs", 2, 1, "Xây dựng quy chế / phối hợp liên ngành", 1, 1, false},
      {"covered.cell.omitted", 3, 2, "Năm 2025", 1, 1, false},
  };
  for (const Expect& e : cases) {
    SCOPED_TRACE(e.id);
    ASSERT_LT(e.cell, t->rows[e.row].cells.size());
    const Cell& c = t->rows[e.row].cells[e.cell];
    EXPECT_EQ(c.Text(" / "), e.text);
    EXPECT_EQ(c.row_span, e.row_span);
    EXPECT_EQ(c.col_span, e.col_span);
    EXPECT_EQ(c.header, e.header);
  }
  EXPECT_TRUE(t->rows[0].header);
  EXPECT_EQ(t->rows[3].cells.size(), 3u);
  // Bold, heading and running line numbers.
  std::vector<const Line*> lines;
  for (const Block& b : r->blocks) {
    for (const Line& l : b.lines) lines.push_back(&l);
  }
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_LT(lines[i - 1]->line, lines[i]->line);
  for (const Line* l : lines) {
    if (l->text == "KẾ HOẠCH") {
      EXPECT_TRUE(l->bold);
    }
    if (l->text == "Triển khai chuyển đổi số năm 2025") {
      EXPECT_EQ(l->heading_level, 2);
    }
    if (l->text == "Số: 45/KH-UBND") {
      EXPECT_FALSE(l->bold);
    }
  }
}

struct CharsetCase {
  const char* id;
  std::string bytes;
  const char* expect;  // NFC text of the first line
};

TEST(HtmlReader, Charsets) {
  // "Kế hoạch" in windows-1258: e-circumflex + combining acute, a + combining dot below.
  const std::string cp1258 = "K\xEA\xEC ho\x61\xF2\x63h";
  const std::vector<CharsetCase> cases = {
      {"utf8.nometa", "<p>Kế hoạch</p>", "Kế hoạch"},
      {"utf8.bom", "\xEF\xBB\xBF<p>Kế hoạch</p>", "Kế hoạch"},
      {"cp1258.sniffed", "<html><body><p>" + cp1258 + "</p></body></html>", "Kế hoạch"},
      {"cp1258.meta", "<html><head><meta charset=\"windows-1258\"></head><body><p>" + cp1258 + "</p></body></html>",
       "Kế hoạch"},
      {"cp1258.http_equiv",
       "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\"><p>" + cp1258 + "</p>",
       "Kế hoạch"},
      {"unknown.charset.sniffed", "<meta charset=\"x-no-such-charset\"><p>Kế hoạch</p>", "Kế hoạch"},
      {"utf8.meta.but.cp1258.bytes", "<meta charset=\"utf-8\"><p>" + cp1258 + "</p>", "Kế hoạch"},
      // A byte-order mark promises UTF-8; bytes that are not were passed on
      // into the text as they were (a fuzz finding).
      {"utf8.bom.but.cp1258.bytes", "\xEF\xBB\xBF<p>" + cp1258 + "</p>", "Kế hoạch"},
      // 0x8A is no windows-1258 character: the conversion stopped there and
      // the rest of the page was lost.
      {"cp1258.undefined.byte", "<p>" + cp1258 + " \x8A " + cp1258 + "</p>", "Kế hoạch \uFFFD Kế hoạch"},
      // A Latin-1 label means windows-1252, as browsers read it.
      {"latin1.is.cp1252", "<meta charset=\"iso-8859-1\"><p>\x93" "Caf\xE9\x94</p>", "\u201CCafé\u201D"},
      // A page decoded from UTF-16 keeps its <meta charset="utf-16">.
      {"utf16.meta.in.utf8", "<meta charset=\"utf-16\"><p>Kế hoạch</p>", "Kế hoạch"},
  };
  for (const CharsetCase& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics diag;
    Result<Layout> r = ReadHtml(c.bytes, c.id, ReadLimits{}, &diag);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_FALSE(AllText(*r).empty());
    EXPECT_EQ(ToNfc(AllText(*r)[0]), c.expect);
  }
}

// A byte the declared charset leaves undefined costs that byte, not the rest
// of the page (libxml2's conversion stopped there), and is counted in a
// warning; windows-1258's combining tone marks come out composed (NFC).
TEST(HtmlReader, UndefinedBytesInACharsetKeepTheRest) {
  const std::string cp1258 = "K\xEA\xEC ho\x61\xF2\x63h";  // "Kế hoạch", tones as combining marks
  const struct {
    const char* id;
    std::string bytes;
    const char* first;
    const char* last;
    const char* warning;  // "" for none
  } cases[] = {
      {"cp1258",
       "<html><head><meta charset=\"windows-1258\"></head><body><p>" + cp1258 + " m\xF4\x81t</p><p>" + cp1258 +
           " hai \x8A\x8D</p><p>Ba " + cp1258 + "</p></body></html>",
       "Kế hoạch m\u00F4\uFFFDt", "Ba Kế hoạch",
       "3 byte sequence(s) undefined in windows-1258, read as U+FFFD"},
      {"cp1252",
       "<meta charset=\"windows-1252\"><p>Caf\xE9 \x81 one</p><p>two \x93quoted\x94</p>",
       "Café \uFFFD one", "two \u201Cquoted\u201D", "1 byte sequence(s) undefined in windows-1252, read as U+FFFD"},
      {"shift_jis.invalid",
       "<meta charset=\"shift_jis\"><p>\x82\xA0 \x85\x40 one</p><p>two</p>",
       "\u3042 \uFFFD one", "two", "byte sequence(s) undefined in shift_jis, read as U+FFFD"},
      {"cp1258.clean", "<meta charset=\"windows-1258\"><p>" + cp1258 + "</p><p>end</p>", "Kế hoạch", "end", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics diag;
    Result<Layout> r = ReadHtml(c.bytes, c.id, ReadLimits{}, &diag);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const std::vector<std::string> text = AllText(*r);
    ASSERT_GE(text.size(), 2u);
    EXPECT_EQ(text.front(), c.first);  // not normalised here: the reader gives NFC
    EXPECT_EQ(text.back(), c.last);
    bool warned = false;
    for (const Diagnostic& d : diag.items()) {
      if (d.code != "html.charset_substituted") continue;
      warned = true;
      EXPECT_NE(d.message.find(std::string(c.id) + ": "), std::string::npos) << d.message;
      EXPECT_NE(d.message.find(c.warning), std::string::npos) << d.message;
    }
    EXPECT_EQ(warned, *c.warning != '\0');
  }
}

TEST(HtmlReader, Errors) {
  struct Case {
    const char* id;
    std::string bytes;
    size_t max_bytes;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {"empty", "", 1 << 20, "empty"},
      {"no.text", "<html><body><script>x()</script></body></html>", 1 << 20, "no text"},
      {"over.limit", std::string(4096, 'a'), 1024, "exceeds"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    ReadLimits limits;
    limits.max_bytes = c.max_bytes;
    Diagnostics diag;
    Result<Layout> r = ReadHtml(c.bytes, c.id, limits, &diag);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(c.id), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos) << r.status().message();
  }
}

TEST(HtmlReader, DeepNestingIsBounded) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "Nội dung sâu";
  html += "</body></html>";
  Diagnostics diag;
  Result<Layout> r = ReadHtml(html, "deep.html", ReadLimits{}, &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(Joined(*r).find("Nội dung sâu"), std::string::npos);
}

// A generated 50 MB page: read within the default limits, with a bounded result.
TEST(HtmlReader, FiftyMegabytePage) {
  std::string html = "<html><head><meta charset=\"utf-8\"></head><body><div class=\"content\">";
  html.reserve(51u << 20);
  int n = 0;
  while (html.size() < (50u << 20)) {
    ++n;
    if (n % 50 == 0) {
      html += "<table border=\"1\"><tr><th>TT</th><th>Nội dung</th><th>Chủ trì</th></tr>";
      for (int i = 1; i <= 10; ++i) {
        html += "<tr><td>" + std::to_string(i) + "</td><td>Nhiệm vụ " + std::to_string(n) +
                "</td><td>Sở Khoa học và Công nghệ</td></tr>";
      }
      html += "</table>";
    } else {
      html += "<p>Dòng " + std::to_string(n) + ": tổ chức triển khai các mục tiêu <b>nhiệm vụ</b> giải pháp.</p>\n";
    }
  }
  html += "</div></body></html>";
  Diagnostics diag;
  Result<Layout> r = ReadHtml(html, "big.html", ReadLimits{}, &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  size_t lines = 0, tables = 0;
  for (const Block& b : r->blocks) {
    lines += b.lines.size();
    tables += b.kind == Block::Kind::kTable;
  }
  EXPECT_GT(lines, static_cast<size_t>(n / 2));
  EXPECT_EQ(tables, static_cast<size_t>(n / 50));
}

}  // namespace
}  // namespace plantrace
