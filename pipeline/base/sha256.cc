// SHA-256 through OpenSSL's libcrypto; this is the one file that includes it.
#include "pipeline/base/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace plantrace {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // EVP_Digest fails only when it cannot allocate its context (out of
  // memory, where std::string would throw too). An empty hash would make
  // distinct documents share an identity, so that case stops the program.
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) std::abort();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace plantrace
