#include "relos/berth/schedule.h"

#include <gtest/gtest.h>

namespace relos::berth {
namespace {

// Two berths. Berth 1 open [0, 100], berth 2 open [10, 50].
// Ship 1: arrives 0, handling 10 | 20, leaves by 100, weight 1.
// Ship 2: arrives 5, handling 8  | forbidden, leaves by 100, weight 2.
// Ship 3: arrives 12, handling 6 | 4, leaves by 30, weight 1.
Instance Port() {
  Instance in;
  in.arrival = {0, 5, 12};
  in.berth_open = {0, 10};
  in.berth_close = {100, 50};
  in.handling = {{10, 20}, {8, kForbiddenHandling}, {6, 4}};
  in.latest_departure = {100, 100, 30};
  in.weight = {1, 2, 1};
  return in;
}

Schedule Feasible() { return Schedule{{{0, 0}, {0, 10}, {1, 12}}}; }

TEST(ValidateScheduleTest, AcceptsAFeasibleSchedule) {
  EXPECT_TRUE(ValidateSchedule(Port(), Feasible()).ok());
  // Service times: 10, 2 * (18 - 5), 16 - 12.
  EXPECT_EQ(WeightedServiceTime(Port(), Feasible()), 10 + 26 + 4);
}

TEST(ValidateScheduleTest, AcceptsBackToBackShips) {
  Schedule s{{{0, 0}, {0, 10}, {0, 18}}};  // ship 2 ends at 18 exactly when ship 3 starts
  EXPECT_TRUE(ValidateSchedule(Port(), s).ok()) << ValidateSchedule(Port(), s);
}

struct Broken {
  std::string name;
  Schedule schedule;
  std::string reason;
  std::string message_part;
};

class InfeasibleScheduleTest : public ::testing::TestWithParam<Broken> {};

TEST_P(InfeasibleScheduleTest, IsRefusedWithTheRule) {
  const Broken& c = GetParam();
  Status s = ValidateSchedule(Port(), c.schedule);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), c.reason) << s;
  EXPECT_NE(s.message().find(c.message_part), std::string::npos) << s;
}

INSTANTIATE_TEST_SUITE_P(
    All, InfeasibleScheduleTest,
    ::testing::Values(
        Broken{"MissingShip", Schedule{{{0, 0}, {0, 10}}}, "schedule.size", "2 ships, the instance 3"},
        Broken{"UnknownBerth", Schedule{{{2, 0}, {0, 10}, {1, 12}}}, "schedule.berth", "unknown berth index 2"},
        Broken{"ForbiddenBerth", Schedule{{{0, 0}, {1, 10}, {1, 30}}}, "schedule.berth", "ship 2 cannot use berth 2"},
        Broken{"BeforeArrival", Schedule{{{0, 0}, {0, 10}, {1, 11}}}, "schedule.early", "before it arrives at 12"},
        Broken{"BeforeOpening", Schedule{{{1, 5}, {0, 5}, {0, 13}}}, "schedule.early", "before berth 2 opens at 10"},
        Broken{"AfterClosing", Schedule{{{1, 31}, {0, 5}, {0, 13}}}, "schedule.late", "after berth 2 closes at 50"},
        Broken{"AfterLatestDeparture", Schedule{{{0, 0}, {0, 10}, {1, 27}}}, "schedule.late",
               "after its latest departure 30"},
        Broken{"Overlap", Schedule{{{0, 0}, {0, 9}, {1, 12}}}, "schedule.overlap",
               "ship 2 starts at 9 at berth 1 while ship 1 is there until 10"},
        Broken{"SameStart", Schedule{{{1, 12}, {0, 5}, {1, 12}}}, "schedule.overlap", "at berth 2 while ship"}),
    [](const ::testing::TestParamInfo<Broken>& info) { return info.param.name; });

TEST(TrivialLowerBoundTest, ServesEveryShipAtOnceOnItsFastestBerth) {
  // Ship 1: 10 at berth 1. Ship 2: 2 * 8. Ship 3: berth 2 opens at 10 but it
  // arrives at 12, so 4.
  EXPECT_EQ(TrivialLowerBound(Port()), 10 + 16 + 4);
}

}  // namespace
}  // namespace relos::berth
