// CpuBudget and the pipeline's use of it: a document that spends its CPU
// allowance fails with the stage it was in, instead of stalling a batch.
#include "pipeline/base/budget.h"

#include <gtest/gtest.h>

#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

TEST(BudgetTest, UnlimitedNeverSpent) {
  CpuBudget budget(0);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(budget.Spent());
  EXPECT_TRUE(budget.Check().ok());
}

TEST(BudgetTest, SpentAfterAllowanceNamesStage) {
  CpuBudget budget(0.02);
  budget.Enter("segment");
  volatile double sink = 0;
  int asked = 0;
  while (!budget.Spent() && asked < 100000000) {
    for (int k = 0; k < 1000; ++k) sink = sink + k;
    ++asked;
  }
  ASSERT_TRUE(budget.Spent());
  EXPECT_GE(budget.Used(), 0.02);
  Status st = budget.Check();
  EXPECT_EQ(st.code(), Status::Code::kOverBudget);
  EXPECT_EQ(st.message(), "took over 0.02 s of CPU at stage segment");
}

TEST(BudgetTest, DefaultGrowsWithSize) {
  EXPECT_EQ(DefaultCpuSeconds(1000), 60);
  EXPECT_GT(DefaultCpuSeconds(50u << 20), DefaultCpuSeconds(10u << 20));
}

// A document given no time at all fails, naming the file and the stage; the
// same document with the default allowance goes through.
TEST(BudgetTest, DocumentOverBudgetFails) {
  const std::string path = testing::CorpusDir() + "/rendered/002_aceac1bad310a983.pdf";
  const std::string bytes = testing::ReadFileOrDie(path);
  ReadLimits tight;
  tight.max_cpu_seconds = 1e-6;
  Result<Record> rec = ProcessDocument(bytes, path, testing::Rules(), tight);
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.status().code(), Status::Code::kOverBudget);
  EXPECT_NE(rec.status().message().find(path + ": took over 1e-06 s of CPU at stage "), std::string::npos)
      << rec.status().message();
  EXPECT_TRUE(ProcessDocument(bytes, path, testing::Rules()).ok());
}

}  // namespace
}  // namespace plantrace
