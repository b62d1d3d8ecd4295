// ReadFileBytes (pipeline/stages/process.cc), the way `plantrace extract`
// and `dump` read a file: regular files and pipes, no devices, nothing over
// the input limit, and errors that name the file and the reason. A link to
// /dev/zero once read without end; a 2 GB file was read whole to be refused.
#include "pipeline/stages/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace plantrace {
namespace {

namespace fs = std::filesystem;

class ReadFileBytesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "plantrace_process_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(ReadFileBytesTest, ReadsARegularFileWhole) {
  const std::string bytes = std::string("Kế hoạch") + '\0' + "\xFF tail";
  std::ofstream(Path("a.txt"), std::ios::binary) << bytes;
  Result<std::string> r = ReadFileBytes(Path("a.txt"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, bytes);
}

// `plantrace extract /dev/stdin` and process substitution read a pipe.
TEST_F(ReadFileBytesTest, ReadsAPipe) {
  ASSERT_EQ(::mkfifo(Path("fifo.txt").c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(Path("fifo.txt"), std::ios::binary) << "through a pipe"; });
  Result<std::string> r = ReadFileBytes(Path("fifo.txt"));
  // Had the reader never opened the pipe, this lets the writer's open return.
  const int fd = ::open(Path("fifo.txt").c_str(), O_RDONLY | O_NONBLOCK);
  writer.join();
  if (fd >= 0) ::close(fd);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "through a pipe");
}

TEST_F(ReadFileBytesTest, RefusesDevicesDirectoriesAndTooBig) {
  fs::create_directory(Path("dir.pdf"));
  fs::create_symlink("/dev/zero", Path("zero.txt"));
  fs::create_symlink("loop.txt", Path("loop.txt"));
  std::ofstream(Path("big.pdf"), std::ios::binary) << "%PDF-1.7\n";
  fs::resize_file(Path("big.pdf"), ReadLimits().max_bytes + 1);  // sparse
  const struct {
    const char* name;
    std::string reason;
  } cases[] = {
      {"missing.txt", "cannot open file: No such file or directory"},
      {"dir.pdf", "is a directory"},
      {"zero.txt", "not a regular file (a device or socket)"},
      {"loop.txt", "cannot open file: Too many levels of symbolic links"},
      {"big.pdf", "file of " + std::to_string(ReadLimits().max_bytes + 1) + " bytes is over the limit of " +
                      std::to_string(ReadLimits().max_bytes)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> r = ReadFileBytes(Path(c.name));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), Path(c.name) + ": " + c.reason);
  }
}

}  // namespace
}  // namespace plantrace
