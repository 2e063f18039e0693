#include "choro/geo/keys.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using choro::geo::infer_key_shape;
using choro::geo::KeyShape;
using choro::geo::normalise_key;

struct KeyCase {
    const char* raw;
    std::size_t width;
    const char* expected;
};

class NormaliseKey : public ::testing::TestWithParam<KeyCase> {};

TEST_P(NormaliseKey, MatchesTable) {
    const auto& c = GetParam();
    EXPECT_EQ(normalise_key(c.raw, KeyShape{c.width}), c.expected) << "raw '" << c.raw << "' width " << c.width;
}

// Expected values worked out by hand from the rules in keys.hpp.
INSTANTIATE_TEST_SUITE_P(Table,
                         NormaliseKey,
                         ::testing::Values(KeyCase{"1001", 5, "01001"},
                                           KeyCase{"01001", 5, "01001"},
                                           KeyCase{"1001.0", 5, "01001"},
                                           KeyCase{"1001.00", 5, "01001"},
                                           KeyCase{" 1001.0 ", 5, "01001"},
                                           KeyCase{"\xC2\xA0"
                                                   "1001\xC2\xA0",
                                                   5,
                                                   "01001"},  // U+00A0 both sides
                                           KeyCase{"\t6\r\n", 2, "06"},
                                           KeyCase{"6", 2, "06"},
                                           KeyCase{"6.0", 2, "06"},
                                           KeyCase{"6", 0, "6"},            // no shape: no padding
                                           KeyCase{"6.0", 0, "6"},          // .0 is stripped regardless
                                           KeyCase{"1001.5", 5, "1001.5"},  // a real fraction is kept
                                           KeyCase{"1001.", 5, "1001."},
                                           KeyCase{"123456", 5, "123456"},  // longer than the width: unchanged
                                           KeyCase{"Autauga", 5, "Autauga"},
                                           KeyCase{" Autauga County ", 5, "Autauga County"},
                                           KeyCase{"-12", 5, "-12"},
                                           KeyCase{"", 5, ""},
                                           KeyCase{"   ", 5, ""}));

TEST(InferKeyShape, FixedWidthDigits) {
    const std::vector<std::string> counties{"01001", "06037", "", "56045"};
    EXPECT_EQ(infer_key_shape(counties).numeric_width, 5u);
    const std::vector<std::string> states{"01", "02", "72"};
    EXPECT_EQ(infer_key_shape(states).numeric_width, 2u);
}

TEST(InferKeyShape, MixedOrTextGivesNoWidth) {
    const std::vector<std::string> mixed{"01", "001"};
    EXPECT_EQ(infer_key_shape(mixed).numeric_width, 0u);
    const std::vector<std::string> text{"01001", "Autauga"};
    EXPECT_EQ(infer_key_shape(text).numeric_width, 0u);
    const std::vector<std::string> none;
    EXPECT_EQ(infer_key_shape(none).numeric_width, 0u);
    const std::vector<std::string> blanks{"", ""};
    EXPECT_EQ(infer_key_shape(blanks).numeric_width, 0u);
}

}  // namespace
