// Linked into every test executable: a test suite whose SetUpTestSuite failed ends the process
// with exit code 1 before its first test runs.
//
// Why: googletest then runs each of the suite's tests as skipped, and ctest (whose
// gtest_discover_tests marks any "[  SKIPPED ]" output as a skip) reported a broken fixture as
// skips, not as a failure. A skip that a test asks for (GTEST_SKIP, e.g. data not present) is
// not a failure and is left alone.
#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>

namespace {

class SuiteSetUpGuard final : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo& info) override {
        const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
        if (suite != nullptr && suite->ad_hoc_test_result().Failed()) {
            std::fflush(stdout);
            std::fprintf(stderr,
                         "[  FAILED  ] %s: the suite's set-up failed (see above); %s.%s cannot run\n",
                         info.test_suite_name(),
                         info.test_suite_name(),
                         info.name());
            std::_Exit(1);
        }
    }
};

// googletest owns listeners once appended.
const bool registered = [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new SuiteSetUpGuard);
    return true;
}();

}  // namespace
