// Unit tests of sha256.cc: the FIPS 180-4 test vectors, so the move to
// libcrypto (or any later one) cannot change a stored document identity.
#include "pipeline/base/sha256.h"

#include <string>

#include <gtest/gtest.h>

namespace plantrace {
namespace {

TEST(Sha256Test, KnownVectors) {
  struct Case {
    const char* id;
    std::string input;
    const char* hex;
  };
  const Case cases[] = {
      {"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"two-blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"million-a", std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
      {"nul-byte", std::string("a\0b", 3), "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(Sha256Hex(c.input), c.hex);
  }
}

}  // namespace
}  // namespace plantrace
