#include "relos/berth/instance.h"

#include <gtest/gtest.h>

#include <fstream>

#include "relos/berth/generator.h"

namespace relos::berth {
namespace {

// 3 ships, 2 berths; ship 3 cannot use berth 1.
constexpr char kSmall[] = R"(3
2
0 5 8
0 2
10 12
7 9
6 99999
100 90
60 70 80
1 2 3
)";

TEST(ParseInstanceTest, ReadsEverySection) {
  Result<Instance> r = ParseInstance(kSmall);
  ASSERT_TRUE(r.ok()) << r.status();
  const Instance& in = *r;
  EXPECT_EQ(in.num_ships(), 3);
  EXPECT_EQ(in.num_berths(), 2);
  EXPECT_EQ(in.arrival, (std::vector<int64_t>{0, 5, 8}));
  EXPECT_EQ(in.berth_open, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(in.handling[1], (std::vector<int64_t>{7, 9}));
  EXPECT_FALSE(in.CanUse(2, 1));
  EXPECT_TRUE(in.CanUse(2, 0));
  EXPECT_EQ(in.berth_close, (std::vector<int64_t>{100, 90}));
  EXPECT_EQ(in.latest_departure, (std::vector<int64_t>{60, 70, 80}));
  EXPECT_EQ(in.weight, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(in.EarliestStart(0, 1), 2);
  EXPECT_EQ(in.LatestStart(1, 1), 61);  // min(90, 70) - 9
}

TEST(ParseInstanceTest, WeightsDefaultToOne) {
  Result<Instance> r = ParseInstance("2 1  0 3  0  4 5  50  20 30");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->weight, (std::vector<int64_t>{1, 1}));
}

TEST(ParseInstanceTest, LargeForbiddenMarkersAreForbidden) {
  Result<Instance> r = ParseInstance("1 2  0  0 0  5 999999999999  50 50  40");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->CanUse(0, 1));
}

TEST(ParseInstanceTest, FormatRoundTrips) {
  GeneratorParams p;
  p.ships = 12;
  p.berths = 3;
  p.weighted = true;
  Instance in = GenerateInstance(p);
  Result<Instance> back = ParseInstance(FormatInstance(in));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(FormatInstance(*back), FormatInstance(in));
}

struct BadCase {
  std::string name;
  std::string text;
  std::string reason;
  std::string message_part;  // the position and what was expected
};

class MalformedInstanceTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedInstanceTest, IsInvalidArgumentNamingTokenAndReason) {
  const BadCase& c = GetParam();
  Result<Instance> r = ParseInstance(c.text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), c.reason) << r.status();
  EXPECT_NE(r.status().message().find(c.message_part), std::string::npos) << r.status();
}

INSTANTIATE_TEST_SUITE_P(
    All, MalformedInstanceTest,
    ::testing::Values(
        BadCase{"NotInteger", "2 1\n0 x3\n0\n4 5\n50\n20 30\n", "instance.not_integer",
                "token 4 (line 2, column 3) 'x3' in arrival times (entry 2 of 2): not an integer"},
        BadCase{"Decimal", "2 1 0 3 0 4.5 5 50 20 30", "instance.not_integer",
                "token 6 (line 1, column 11) '4.5' in handling times (ship 1, berth 1)"},
        BadCase{"Negative", "2 1 0 -3 0 4 5 50 20 30", "instance.negative",
                "token 4 (line 1, column 7) '-3' in arrival times (entry 2 of 2): negative value"},
        BadCase{"NegativeCount", "-2 1", "instance.negative", "token 1 (line 1, column 1) '-2' in the number of ships"},
        BadCase{"ZeroBerths", "2 0", "instance.out_of_range", "token 2 (line 1, column 3) '0' in the number of berths"},
        BadCase{"Truncated", "2 1 0 3 0 4 5 50 20", "instance.truncated",
                "the file ends after token 9 while reading latest departure times (entry 2 of 2)"},
        BadCase{"Empty", "  \n ", "instance.truncated", "the file ends after token 0 while reading the number of ships"},
        BadCase{"ShortWeights", "2 1 0 3 0 4 5 50 20 30 1", "instance.truncated", "weights (entry 2 of 2)"},
        BadCase{"ExtraTokens", "2 1 0 3 0 4 5 50 20 30 1 1 7", "instance.wrong_count",
                "token 13 (line 1, column 28) '7' in the end of the file: wrong count: 1 token(s) after the 2 weights"},
        BadCase{"ZeroWeight", "2 1 0 3 0 4 5 50 20 30 1 0", "instance.inconsistent",
                "token 12 (line 1, column 26) '0' in weights (entry 2 of 2): must be at least 1"},
        BadCase{"ZeroHandling", "2 1 0 3 0 0 5 50 20 30", "instance.inconsistent",
                "token 6 (line 1, column 11) '0' in handling times (ship 1, berth 1)"},
        BadCase{"CloseBeforeOpen", "2 1 0 3 60 4 5 50 20 30", "instance.inconsistent",
                "token 8 (line 1, column 16) '50' in berth closing times (entry 1 of 1): berth closes before it opens"},
        BadCase{"Huge", "2 1 0 30000000000 0 4 5 50 20 30", "instance.out_of_range",
                "'30000000000' in arrival times (entry 2 of 2): value above"},
        BadCase{"Overflow", "2 1 0 99999999999999999999999 0 4 5 50 20 30", "instance.out_of_range",
                "in arrival times (entry 2 of 2): value out of range"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(ReadInstanceFileTest, MissingFileIsNotFound) {
  Result<Instance> r = ReadInstanceFile("/nonexistent/berth.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(ReadInstanceFileTest, ErrorsNameThePath) {
  const std::string path = ::testing::TempDir() + "/bad_berth_instance.txt";
  std::ofstream(path) << "2 1 0 3";
  Result<Instance> r = ReadInstanceFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), "instance.truncated");
  EXPECT_EQ(r.status().message().rfind(path + ": ", 0), 0u) << r.status();
}

TEST(ValidateInstanceTest, RefusesMismatchedSizes) {
  Result<Instance> r = ParseInstance(kSmall);
  ASSERT_TRUE(r.ok());
  Instance in = *r;
  in.weight.pop_back();
  EXPECT_EQ(ValidateInstance(in).code(), StatusCode::kInvalidArgument);
  in = *r;
  in.handling[1][0] = 0;
  EXPECT_EQ(ValidateInstance(in).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateInstance(*r).ok());
}

TEST(GenerateInstanceTest, IsDeterministicAndValid) {
  GeneratorParams p;
  p.ships = 40;
  p.berths = 6;
  p.seed = 7;
  const Instance a = GenerateInstance(p);
  EXPECT_TRUE(ValidateInstance(a).ok());
  EXPECT_EQ(FormatInstance(a), FormatInstance(GenerateInstance(p)));
  p.seed = 8;
  EXPECT_NE(FormatInstance(a), FormatInstance(GenerateInstance(p)));
}

}  // namespace
}  // namespace relos::berth
