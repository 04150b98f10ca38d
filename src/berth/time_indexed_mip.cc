#include "relos/berth/time_indexed_mip.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

// COIN-OR headers are not warning-clean under our flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wdeprecated-copy"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CbcSOS.hpp>
#include <CbcSimpleInteger.hpp>
#include <CoinPackedVector.hpp>
#include <CoinWarmStartBasis.hpp>
#include <CbcSolver.hpp>
#include <CoinMessageHandler.hpp>
#include <OsiClpSolverInterface.hpp>
#pragma GCC diagnostic pop

#include "berth/packing_cuts.h"

namespace relos::berth {

namespace {

using Clock = std::chrono::steady_clock;

// Cells of the berth-time grid beyond which the model is refused: a window of
// a billion time units would otherwise allocate before any column check.
constexpr int64_t kMaxGridCells = 50'000'000;
// Tolerances for turning LP values into integer bounds: far above CLP's own
// (1e-7 per column) summed over a few hundred ships.
constexpr double kEps = 1e-4;
constexpr double kPruneMargin = 1e-3;
// Models up to this many columns spend at most a few tenths of a second at
// CBC's root and between its clock checks (measured: 0.1 s per root cut
// round at 8-10k columns).
constexpr size_t kSmallModelColumns = 40'000;
// The root's packing-cut rounds stop by this, or by a fifth of the time
// left if sooner (measured: 0.1-0.5 s on the small instances, rounds of
// 0.3-0.5 s each on 25,000 columns).
constexpr double kMaxCutSeconds = 3.0;

using Column = internal::StartColumn;

// The model's columns and rows, independent of any solver object.
struct Model {
  std::vector<Column> columns;
  int rows = 0;  // ships first, then berth-time capacity rows
  // The berth and time each berth-time row stands for (-1 for ship rows).
  std::vector<int> row_berth;
  std::vector<int64_t> row_time;
  // For column c: the rows it covers, in [row_begin[c], row_begin[c+1]).
  std::vector<CoinBigIndex> row_begin;
  std::vector<int> row_index;
};

double SecondsLeft(Clock::time_point deadline) {
  return std::chrono::duration<double>(deadline - Clock::now()).count();
}

// Per ship, the cost of its cheapest column: serving it at once on its
// fastest fitting berth. Their sum is a lower bound.
std::vector<int64_t> CheapestService(const Instance& in) {
  std::vector<int64_t> best(in.num_ships(), 0);
  for (int i = 0; i < in.num_ships(); ++i) {
    int64_t v = std::numeric_limits<int64_t>::max();
    for (int b = 0; b < in.num_berths(); ++b) {
      if (in.Fits(i, b)) v = std::min(v, in.weight[i] * (in.EarliestStart(i, b) + in.handling[i][b] - in.arrival[i]));
    }
    best[i] = v == std::numeric_limits<int64_t>::max() ? 0 : v;
  }
  return best;
}

// Latest start of (i, b) worth a column: beyond it the ship alone would push
// the total above `budget_i`, the cost left for it once every other ship is
// served as cheaply as possible.
int64_t LastUsefulStart(const Instance& in, int i, int b, const std::optional<int64_t>& budget_i) {
  int64_t last = in.LatestStart(i, b);
  if (budget_i) {
    // cost = w * (t + h - a) <= budget  <=>  t <= a - h + budget / w
    last = std::min(last, in.arrival[i] - in.handling[i][b] + *budget_i / in.weight[i]);
  }
  return last;
}

// Builds the time-indexed model, without columns that cannot beat
// `upper_bound` when one is given. Returns false (model untouched) if it
// would exceed the column limit.
bool BuildModel(const Instance& in, const std::optional<int64_t>& upper_bound, int64_t max_columns, Model* model) {
  const int n = in.num_ships();
  const int m = in.num_berths();
  const std::vector<int64_t> cheapest = CheapestService(in);
  int64_t cheapest_total = 0;
  for (int64_t c : cheapest) cheapest_total += c;

  std::vector<std::optional<int64_t>> budget(n);
  if (upper_bound) {
    for (int i = 0; i < n; ++i) budget[i] = *upper_bound - (cheapest_total - cheapest[i]);
  }
  int64_t count = 0;
  for (int i = 0; i < n; ++i) {
    for (int b = 0; b < m; ++b) {
      if (!in.Fits(i, b)) continue;
      const int64_t last = LastUsefulStart(in, i, b, budget[i]);
      if (last >= in.EarliestStart(i, b)) count += last - in.EarliestStart(i, b) + 1;
    }
  }
  if (count > max_columns) return false;

  // Berth-time rows are needed only where two different ships could be at
  // the berth at once; elsewhere the ship rows already allow one column.
  std::vector<int64_t> grid_begin(m, std::numeric_limits<int64_t>::max());
  std::vector<int64_t> grid_end(m, std::numeric_limits<int64_t>::min());
  for (int i = 0; i < n; ++i) {
    for (int b = 0; b < m; ++b) {
      if (!in.Fits(i, b)) continue;
      const int64_t last = LastUsefulStart(in, i, b, budget[i]);
      if (last < in.EarliestStart(i, b)) continue;
      grid_begin[b] = std::min(grid_begin[b], in.EarliestStart(i, b));
      grid_end[b] = std::max(grid_end[b], last + in.handling[i][b]);
    }
  }
  // A berth that no ship can use keeps its empty range (begin > end); its
  // width is 0 (the subtraction of the sentinels would overflow).
  auto width = [&](int b) { return grid_end[b] > grid_begin[b] ? grid_end[b] - grid_begin[b] : int64_t{0}; };
  int64_t cells = 0;
  for (int b = 0; b < m; ++b) cells += width(b);
  if (cells > kMaxGridCells) return false;

  std::vector<std::vector<int>> cover(m);  // ships covering each cell, then row ids
  for (int b = 0; b < m; ++b) cover[b].assign(width(b) + 1, 0);
  for (int i = 0; i < n; ++i) {
    for (int b = 0; b < m; ++b) {
      if (!in.Fits(i, b)) continue;
      const int64_t last = LastUsefulStart(in, i, b, budget[i]);
      if (last < in.EarliestStart(i, b)) continue;
      cover[b][in.EarliestStart(i, b) - grid_begin[b]] += 1;
      cover[b][last + in.handling[i][b] - grid_begin[b]] -= 1;
    }
  }
  int rows = n;
  model->row_berth.assign(n, -1);
  model->row_time.assign(n, -1);
  for (int b = 0; b < m; ++b) {
    int running = 0;
    for (size_t u = 0; u < cover[b].size(); ++u) {
      running += cover[b][u];
      cover[b][u] = running >= 2 ? rows++ : -1;
      if (cover[b][u] < 0) continue;
      model->row_berth.push_back(b);
      model->row_time.push_back(grid_begin[b] + static_cast<int64_t>(u));
    }
  }
  model->rows = rows;
  model->columns.clear();
  model->columns.reserve(count);
  model->row_begin.assign(1, 0);
  model->row_index.clear();
  for (int i = 0; i < n; ++i) {
    for (int b = 0; b < m; ++b) {
      if (!in.Fits(i, b)) continue;
      const int64_t h = in.handling[i][b];
      const int64_t last = LastUsefulStart(in, i, b, budget[i]);
      for (int64_t t = in.EarliestStart(i, b); t <= last; ++t) {
        const double cost = static_cast<double>(in.weight[i] * (t + h - in.arrival[i]));
        model->columns.push_back({i, b, t, cost});
        model->row_index.push_back(i);
        for (int64_t u = t; u < t + h; ++u) {
          const int row = cover[b][u - grid_begin[b]];
          if (row >= 0) model->row_index.push_back(row);
        }
        model->row_begin.push_back(static_cast<CoinBigIndex>(model->row_index.size()));
      }
    }
  }
  return true;
}

// The same model with only the columns whose flag is set.
Model Restrict(const Model& full, const std::vector<char>& keep) {
  Model out;
  out.rows = full.rows;
  out.row_berth = full.row_berth;
  out.row_time = full.row_time;
  out.row_begin.assign(1, 0);
  for (size_t c = 0; c < full.columns.size(); ++c) {
    if (!keep[c]) continue;
    out.columns.push_back(full.columns[c]);
    out.row_index.insert(out.row_index.end(), full.row_index.begin() + full.row_begin[c],
                         full.row_index.begin() + full.row_begin[c + 1]);
    out.row_begin.push_back(static_cast<CoinBigIndex>(out.row_index.size()));
  }
  return out;
}

void LoadInto(const Model& model, int num_ships, bool integer, OsiClpSolverInterface* solver) {
  const int cols = static_cast<int>(model.columns.size());
  std::vector<double> ones(model.row_index.size(), 1.0);
  std::vector<double> lower(cols, 0.0);
  // Without an explicit upper bound every LP reduced cost is non-negative,
  // which the reduced-cost pruning relies on; the ship rows bound x by 1.
  std::vector<double> upper(cols, integer ? 1.0 : solver->getInfinity());
  std::vector<double> cost(cols);
  for (int c = 0; c < cols; ++c) cost[c] = model.columns[c].cost;
  std::vector<double> row_lower(model.rows, -solver->getInfinity());
  std::vector<double> row_upper(model.rows, 1.0);
  for (int i = 0; i < num_ships; ++i) row_lower[i] = 1.0;
  solver->loadProblem(cols, model.rows, model.row_begin.data(), model.row_index.data(), ones.data(), lower.data(),
                      upper.data(), cost.data(), row_lower.data(), row_upper.data());
  if (integer) {
    for (int c = 0; c < cols; ++c) solver->setInteger(c);
  }
}

void Silence(OsiClpSolverInterface* solver) {
  solver->messageHandler()->setLogLevel(0);
  solver->getModelPtr()->messageHandler()->setLogLevel(0);
  solver->setHintParam(OsiDoReducePrint, true, OsiHintTry);
}


Result<Schedule> Decode(const Instance& in, const Model& model, const double* x) {
  Schedule s;
  s.ships.assign(in.num_ships(), {});
  std::vector<int> taken(in.num_ships(), 0);
  for (size_t c = 0; c < model.columns.size(); ++c) {
    if (x[c] < 0.5) continue;
    const Column& col = model.columns[c];
    s.ships[col.ship] = {col.berth, col.start};
    ++taken[col.ship];
  }
  for (int i = 0; i < in.num_ships(); ++i) {
    if (taken[i] != 1) {
      return Internal("CBC's solution serves ship " + std::to_string(i + 1) + " " + std::to_string(taken[i]) +
                          " times",
                      "berth.invalid_schedule");
    }
  }
  if (Status valid = ValidateSchedule(in, s); !valid.ok()) {
    return Internal("CBC's solution fails validation: " + valid.message(), "berth.invalid_schedule");
  }
  return s;
}

// Stops CBC's search once `abort` says so. CBC honours the stop at nodes of
// its tree; during the root's cut rounds it is only asked (measured: the
// rounds go on to the end of the root).
class AbortHandler : public CbcEventHandler {
 public:
  explicit AbortHandler(std::function<bool()> abort) : abort_(std::move(abort)) {}
  CbcAction event(CbcEvent which) override {
    return (which == node || which == treeStatus || which == generatedCuts) && abort_() ? stop : noAction;
  }
  CbcAction event(CbcEvent which, void* /*data*/) override { return event(which); }
  CbcEventHandler* clone() const override { return new AbortHandler(*this); }

 private:
  std::function<bool()> abort_;
};

// Branching on a single column (x = 0 or 1) barely moves a time-indexed
// LP: the ship shifts its weight to the next start. Each ship's columns form
// a special ordered set of type 1 (its row allows one) ordered by start time,
// so CBC can also branch "ship i starts by t" against "after t", at every
// berth at once. Measured with the cut choice of RunCbc on the congested
// 45-60 ship instances: six of eleven unproved at 10 s became proved in
// 2.6-8.2 s.
void AddShipStartSets(const Model& model, int num_ships, CbcModel* cbc) {
  std::vector<std::vector<std::pair<double, int>>> by_ship(num_ships);
  for (size_t c = 0; c < model.columns.size(); ++c) {
    const Column& col = model.columns[c];
    // The berth only breaks ties: CBC wants distinct weights.
    by_ship[col.ship].emplace_back(static_cast<double>(col.start) + 1e-3 * col.berth, static_cast<int>(c));
  }
  std::vector<CbcObject*> sets;
  for (int i = 0; i < num_ships; ++i) {
    auto& members = by_ship[i];
    if (members.size() < 2) continue;
    std::sort(members.begin(), members.end());
    std::vector<int> columns;
    std::vector<double> weights;
    for (const auto& [weight, column] : members) {
      weights.push_back(weight);
      columns.push_back(column);
    }
    sets.push_back(new CbcSOS(cbc, static_cast<int>(columns.size()), columns.data(), weights.data(), i, 1));
  }
  cbc->addObjects(static_cast<int>(sets.size()), sets.data());  // copies them
  for (CbcObject* set : sets) delete set;
}

// Branching priorities (CBC branches on the lowest number first).
constexpr int kBerthChoicePriority = 100;
constexpr int kStartSetPriority = 200;
constexpr int kColumnPriority = 1000;  // CBC's default

// One more integer column per ship and berth it may use, y[i,b] = sum over t
// of x[i,b,t], appended after the model's columns with a row each. They leave
// the LP unchanged but give CBC a branch that moves it: "ship i at berth b"
// against "ship i elsewhere" (with priority over the start-time sets).
// Measured on the three small instances that the start-time sets alone left
// unproved at 30 s (s55x5, sh18, s60x10w): proved in 11-15 s on one thread.
void AddBerthChoices(const Model& model, int num_ships, int num_berths, OsiClpSolverInterface* solver) {
  std::vector<std::vector<int>> members(static_cast<size_t>(num_ships) * num_berths);
  for (size_t c = 0; c < model.columns.size(); ++c) {
    members[static_cast<size_t>(model.columns[c].ship) * num_berths + model.columns[c].berth].push_back(
        static_cast<int>(c));
  }
  std::vector<CoinPackedVector> rows;
  for (const auto& columns : members) {
    if (columns.empty()) continue;
    const std::vector<double> ones(columns.size(), 1.0);
    rows.emplace_back(static_cast<int>(columns.size()), columns.data(), ones.data());
  }
  const int first_row = solver->getNumRows();
  const int added = static_cast<int>(rows.size());
  std::vector<const CoinPackedVectorBase*> row_pointers;
  for (const auto& row : rows) row_pointers.push_back(&row);
  const std::vector<double> zeros(added, 0.0);
  solver->addRows(added, row_pointers.data(), zeros.data(), zeros.data());
  // Column k of the choices has -1 in row first_row + k.
  std::vector<CoinBigIndex> starts(added + 1);
  std::vector<int> row_index(added);
  for (int k = 0; k <= added; ++k) starts[k] = k;
  for (int k = 0; k < added; ++k) row_index[k] = first_row + k;
  const std::vector<double> minus_ones(added, -1.0);
  const std::vector<double> ones(added, 1.0);
  const int first_column = solver->getNumCols();
  solver->addCols(added, starts.data(), row_index.data(), minus_ones.data(), zeros.data(), ones.data(), zeros.data());
  for (int k = 0; k < added; ++k) solver->setInteger(first_column + k);
}

void SetBerthChoicePriorities(int first_choice_column, CbcModel* cbc) {
  OsiObject** objects = cbc->objects();
  for (int k = 0; k < cbc->numberObjects(); ++k) {
    if (auto* simple = dynamic_cast<CbcSimpleInteger*>(objects[k])) {
      simple->setPriority(simple->columnNumber() >= first_choice_column ? kBerthChoicePriority : kColumnPriority);
    } else if (auto* set = dynamic_cast<CbcSOS*>(objects[k])) {
      set->setPriority(kStartSetPriority);
    }
  }
}

// CbcMain1 searches a copy of the model it is given, made after its own
// setup, and takes no user data with its callback: what the callback needs
// reaches it through these pointers, set around the call on the calling
// thread.
struct SearchSetup {
  const Model* model = nullptr;
  int num_ships = 0;
  bool ship_start_sets = false;
  bool berth_choices = false;
  const std::function<bool()>* abort = nullptr;
};
thread_local const SearchSetup* current_setup = nullptr;

// CbcMain1's callback; where == 3 is "just before branch and bound", with the
// model that will be searched.
int BeforeBranchAndBound(CbcModel* model, int where) {
  if (where != 3 || current_setup == nullptr) return 0;
  if (current_setup->ship_start_sets) AddShipStartSets(*current_setup->model, current_setup->num_ships, model);
  if (current_setup->berth_choices) {
    SetBerthChoicePriorities(static_cast<int>(current_setup->model->columns.size()), model);
  }
  if (current_setup->abort != nullptr && *current_setup->abort) {
    AbortHandler handler(*current_setup->abort);
    model->passInEventHandler(&handler);  // copied into the model
  }
  return 0;
}

// A basis: the status of each column and each row of a model, or empty.
struct StartingBasis {
  std::vector<CoinWarmStartBasis::Status> column_status;
  std::vector<CoinWarmStartBasis::Status> row_status;
};

// Once reduced-cost pruning has removed most columns, most berth-time rows
// are implied by others, and CBC (its preprocessing off, see RunCbc) would
// carry them in every node's LP. On one berth the columns are intervals and
// each row says "at most one of the intervals covering time u": only the
// rows of the largest such sets are needed. The set covering u contains the
// one covering u + 1 unless some interval starts at u + 1, and the one
// covering u - 1 unless some interval ends at u - 1; so a row is needed only
// where an interval starts and none other starts before the next interval
// ends. A row that one ship alone covers is implied by that ship's row.
// Rows that the starting basis has tight stay, so that its basis stays
// optimal (a dropped row leaves with its basic slack).
void DropImpliedRows(const Instance& in, Model* model, StartingBasis* basis) {
  const int num_ships = in.num_ships();
  const int rows = model->rows;
  std::vector<char> starts_here(rows, 0);
  std::vector<char> ends_here(rows, 0);  // an interval's last time unit
  std::vector<int> first_ship(rows, -1);
  std::vector<char> two_ships(rows, 0);
  for (size_t c = 0; c < model->columns.size(); ++c) {
    const Column& col = model->columns[c];
    int last_row = -1;
    for (CoinBigIndex k = model->row_begin[c]; k < model->row_begin[c + 1]; ++k) {
      const int r = model->row_index[k];
      if (r < num_ships) continue;
      if (model->row_time[r] == col.start) starts_here[r] = 1;
      last_row = std::max(last_row, r);
      if (first_ship[r] < 0) {
        first_ship[r] = col.ship;
      } else if (first_ship[r] != col.ship) {
        two_ships[r] = 1;
      }
    }
    // The interval's last time unit may have no row (one ship there); the
    // scan below treats the gap that follows a row as an end, too.
    if (last_row >= 0 && model->row_time[last_row] == col.start + in.handling[col.ship][col.berth] - 1) {
      ends_here[last_row] = 1;
    }
  }
  std::vector<char> maximal(rows, 0);
  bool start_ahead = false;  // a start after this row, before the next end
  for (int r = rows - 1; r >= num_ships; --r) {
    const bool adjacent = r + 1 < rows && model->row_berth[r + 1] == model->row_berth[r] &&
                          model->row_time[r + 1] == model->row_time[r] + 1;
    if (ends_here[r] || !adjacent) start_ahead = false;
    maximal[r] = starts_here[r] && !start_ahead;
    start_ahead = start_ahead || starts_here[r];
  }
  const bool has_basis = !basis->row_status.empty();
  std::vector<int> new_id(rows, -1);
  int kept = 0;
  for (int r = 0; r < rows; ++r) {
    const bool needed = r < num_ships || (maximal[r] && two_ships[r]) ||
                        (has_basis && basis->row_status[r] != CoinWarmStartBasis::basic);
    if (needed) new_id[r] = kept++;
  }
  std::vector<int> row_index;
  row_index.reserve(model->row_index.size());
  std::vector<CoinBigIndex> row_begin(1, 0);
  for (size_t c = 0; c < model->columns.size(); ++c) {
    for (CoinBigIndex k = model->row_begin[c]; k < model->row_begin[c + 1]; ++k) {
      if (const int r = new_id[model->row_index[k]]; r >= 0) row_index.push_back(r);
    }
    row_begin.push_back(static_cast<CoinBigIndex>(row_index.size()));
  }
  std::vector<int> row_berth;
  std::vector<int64_t> row_time;
  std::vector<CoinWarmStartBasis::Status> row_status;
  for (int r = 0; r < rows; ++r) {
    if (new_id[r] < 0) continue;
    row_berth.push_back(model->row_berth[r]);
    row_time.push_back(model->row_time[r]);
    if (has_basis) row_status.push_back(basis->row_status[r]);
  }
  model->rows = kept;
  model->row_index = std::move(row_index);
  model->row_begin = std::move(row_begin);
  model->row_berth = std::move(row_berth);
  model->row_time = std::move(row_time);
  if (has_basis) basis->row_status = std::move(row_status);
}

struct CutOutcome {
  bool solved = false;  // the LP with the cuts reached optimality
  double bound = 0;     // its value
  int rounds = 0;
  int rows_added = 0;   // cuts kept as rows of the model
};

// Cut rounds at the root: at most this many, of at most this many cuts each,
// until the bound gains less than kCutStall over three rounds. Measured on
// the 46 small instances: 5-8 rounds of 10-40 cuts each, 0.1-0.5 s; the
// proof times hardly change with a stall of 0.5 or 0.01, or 30 cuts a round.
constexpr int kMaxCutRounds = 30;
constexpr size_t kCutsPerRound = 100;
constexpr double kCutStall = 0.05;

// Strengthens the model's LP relaxation with packing cuts (see
// packing_cuts.h) in rounds, each re-solved by the dual simplex from the last
// basis, until none is violated, the bound stalls or `deadline` passes. The
// cuts tight at the end become rows of the model (slack ones would only
// slow CBC's node LPs); the columns whose reduced cost now closes the gap to
// `upper_bound` - 1 are pruned as after the first LP; `basis` becomes the
// final optimal basis. On failure (the LP not optimal in time) the model and
// basis are left as they were.
CutOutcome AddPackingCuts(const Instance& in, int64_t upper_bound, Clock::time_point deadline, Model* model,
                          StartingBasis* basis) {
  CutOutcome out;
  OsiClpSolverInterface lp;
  LoadInto(*model, in.num_ships(), /*integer=*/false, &lp);
  Silence(&lp);
  lp.getModelPtr()->setMaximumSeconds(std::max(0.01, SecondsLeft(deadline)));
  if (!basis->column_status.empty()) {
    CoinWarmStartBasis start;
    start.setSize(lp.getNumCols(), lp.getNumRows());
    for (int c = 0; c < lp.getNumCols(); ++c) start.setStructStatus(c, basis->column_status[c]);
    for (int r = 0; r < lp.getNumRows(); ++r) start.setArtifStatus(r, basis->row_status[r]);
    lp.setWarmStart(&start);
    lp.resolve();
  } else {
    lp.initialSolve();
  }
  if (!lp.isProvenOptimal()) return out;
  std::vector<std::vector<int>> cut_columns;
  std::vector<double> bounds = {lp.getObjValue()};
  double slowest_round = 0;
  for (int round = 0; round < kMaxCutRounds; ++round) {
    // A round is not begun that would likely not end in time.
    if (SecondsLeft(deadline) < slowest_round) break;
    const auto round_started = Clock::now();
    const std::vector<internal::PackingCut> cuts =
        internal::SeparatePackingCuts(in, model->columns, lp.getColSolution(), kCutsPerRound);
    if (cuts.empty()) break;
    std::vector<CoinPackedVector> rows;
    for (const internal::PackingCut& cut : cuts) {
      const std::vector<double> ones(cut.columns.size(), 1.0);
      rows.emplace_back(static_cast<int>(cut.columns.size()), cut.columns.data(), ones.data());
    }
    std::vector<const CoinPackedVectorBase*> pointers;
    for (const CoinPackedVector& row : rows) pointers.push_back(&row);
    const std::vector<double> lower(rows.size(), -lp.getInfinity());
    const std::vector<double> upper(rows.size(), 1.0);
    const int rows_before = lp.getNumRows();
    const std::unique_ptr<CoinWarmStart> before(lp.getWarmStart());
    lp.addRows(static_cast<int>(rows.size()), pointers.data(), lower.data(), upper.data());
    lp.getModelPtr()->setMaximumSeconds(std::max(0.01, SecondsLeft(deadline)));
    lp.resolve();
    if (!lp.isProvenOptimal()) {
      // Out of time mid-round: back to the last round's optimum (its basis
      // without the new rows, solved again in no iterations).
      std::vector<int> added(rows.size());
      for (size_t k = 0; k < added.size(); ++k) added[k] = rows_before + static_cast<int>(k);
      lp.deleteRows(static_cast<int>(added.size()), added.data());
      lp.setWarmStart(before.get());
      lp.getModelPtr()->setMaximumSeconds(-1);
      lp.resolve();
      if (!lp.isProvenOptimal()) return out;
      break;
    }
    for (const internal::PackingCut& cut : cuts) cut_columns.push_back(cut.columns);
    slowest_round = std::max(slowest_round, std::chrono::duration<double>(Clock::now() - round_started).count());
    out.rounds = round + 1;
    bounds.push_back(lp.getObjValue());
    if (bounds.back() > static_cast<double>(upper_bound) - 1 + kEps) break;  // the incumbent is optimal
    if (bounds.size() > 3 && bounds.back() - bounds[bounds.size() - 4] < kCutStall) break;
  }
  out.solved = true;
  out.bound = lp.getObjValue();

  const std::unique_ptr<CoinWarmStart> warm(lp.getWarmStart());
  const auto* final_basis = dynamic_cast<const CoinWarmStartBasis*>(warm.get());
  const int old_rows = model->rows;
  std::vector<int> new_row(cut_columns.size(), -1);
  int rows = old_rows;
  for (size_t k = 0; k < cut_columns.size(); ++k) {
    const bool tight = final_basis == nullptr ||
                       final_basis->getArtifStatus(old_rows + static_cast<int>(k)) != CoinWarmStartBasis::basic;
    if (tight) new_row[k] = rows++;
  }
  std::vector<std::vector<int>> cut_rows_of(model->columns.size());
  for (size_t k = 0; k < cut_columns.size(); ++k) {
    if (new_row[k] < 0) continue;
    for (int c : cut_columns[k]) cut_rows_of[c].push_back(new_row[k]);
  }
  // Any schedule better than the incumbent costs at least this LP's value
  // plus its columns' reduced costs (the cuts' duals are non-positive, their
  // slacks non-negative), as after the first LP.
  const double gap = static_cast<double>(upper_bound - 1) - out.bound + kPruneMargin;
  const double* reduced_cost = lp.getReducedCost();
  Model next;
  next.rows = rows;
  next.row_berth = model->row_berth;
  next.row_time = model->row_time;
  next.row_berth.resize(rows, -1);
  next.row_time.resize(rows, -1);
  next.row_begin.assign(1, 0);
  StartingBasis next_basis;
  for (size_t c = 0; c < model->columns.size(); ++c) {
    const auto status = final_basis != nullptr ? final_basis->getStructStatus(static_cast<int>(c))
                                               : CoinWarmStartBasis::atLowerBound;
    if (status != CoinWarmStartBasis::basic && reduced_cost[c] > gap) continue;
    next.columns.push_back(model->columns[c]);
    next.row_index.insert(next.row_index.end(), model->row_index.begin() + model->row_begin[c],
                          model->row_index.begin() + model->row_begin[c + 1]);
    next.row_index.insert(next.row_index.end(), cut_rows_of[c].begin(), cut_rows_of[c].end());
    next.row_begin.push_back(static_cast<CoinBigIndex>(next.row_index.size()));
    if (final_basis != nullptr) next_basis.column_status.push_back(status);
  }
  if (final_basis != nullptr) {
    for (int r = 0; r < old_rows; ++r) next_basis.row_status.push_back(final_basis->getArtifStatus(r));
    for (size_t k = 0; k < cut_columns.size(); ++k) {
      if (new_row[k] >= 0) next_basis.row_status.push_back(final_basis->getArtifStatus(old_rows + static_cast<int>(k)));
    }
  }
  out.rows_added = rows - old_rows;
  *model = std::move(next);
  *basis = std::move(next_basis);
  return out;
}

struct CbcOutcome {
  std::optional<Schedule> schedule;
  bool search_finished = false;
  double best_possible = -std::numeric_limits<double>::infinity();
};

// Runs CBC's default strategy (cuts, heuristics, and preprocessing when
// asked) on the model, as the cbc command line would, accepting only
// schedules that cost at most `cutoff` when given.
Result<CbcOutcome> RunCbc(const Instance& in, const Model& model, std::optional<double> cutoff, double seconds,
                          int threads, const StartingBasis& basis, const MipOptions& options) {
  const auto hard_deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  OsiClpSolverInterface solver;
  LoadInto(model, in.num_ships(), /*integer=*/true, &solver);
  // CBC's preprocessing renumbers columns, which the sets and priorities
  // refer to.
  const bool own_branching = options.tuned_search && !options.cbc_preprocess;
  const int first_choice_column = solver.getNumCols();
  const int first_choice_row = solver.getNumRows();
  if (own_branching) AddBerthChoices(model, in.num_ships(), in.num_berths(), &solver);
  if (!basis.column_status.empty()) {
    // The LP relaxation's optimal basis, extended by the berth choices
    // (basic, their rows' equalities at bound), is optimal for this model too.
    CoinWarmStartBasis start;
    start.setSize(solver.getNumCols(), solver.getNumRows());
    for (int c = 0; c < first_choice_column; ++c) start.setStructStatus(c, basis.column_status[c]);
    for (int c = first_choice_column; c < solver.getNumCols(); ++c) start.setStructStatus(c, CoinWarmStartBasis::basic);
    for (int r = 0; r < first_choice_row; ++r) start.setArtifStatus(r, basis.row_status[r]);
    for (int r = first_choice_row; r < solver.getNumRows(); ++r) start.setArtifStatus(r, CoinWarmStartBasis::atLowerBound);
    solver.setWarmStart(&start);
  }
  Silence(&solver);
  // CbcMain1's own first solve ignores a warm start (measured: 5,762
  // iterations, 0.8-1.2 s on s55x5, against none from the basis); solved
  // here, the model reaches CBC optimal.
  if (!basis.column_status.empty()) solver.resolve();
  CbcModel cbc(solver);
  cbc.messageHandler()->setLogLevel(0);
  CbcSolverUsefulData data;
  CbcMain0(cbc, data);
  data.noPrinting_ = true;
  data.useSignalHandler_ = false;
  // CBC checks its clock between nodes and not inside preprocessing or its
  // root's cut rounds, so it gets a little less than what is left to keep
  // the caller's limit: a tenth on large models, whose root can overrun by
  // seconds; on small ones (tens of milliseconds per node) that tenth would
  // be a second lost to the proof.
  const double margin = model.columns.size() <= kSmallModelColumns ? 0.3 : 0.1 * seconds + 0.2;
  const std::string sec = std::to_string(std::max(0.5, seconds - margin));
  std::vector<std::string> args = {"relos", "-log", "0", "-slog", "0", "-timeMode", "elapsed", "-sec", sec};
  if (cutoff) {
    // With a cutoff only strictly better schedules count, and CBC's primal
    // heuristics then mostly rediscover worse ones: measured on 55-60 ship
    // instances, switching them off shortens the proof by a third.
    args.insert(args.end(), {"-cutoff", std::to_string(*cutoff), "-heuristics", "off"});
  }
  if (!options.cbc_preprocess) {
    // CBC 2.10.8's CglPreProcess::postProcess dereferences a null pointer
    // when it maps back a solution found on some preprocessed models
    // (segfaults on two of twenty generated 40-55 ship instances), and
    // without it the remaining proofs were no slower there.
    args.insert(args.end(), {"-preprocess", "off"});
  }
  if (options.tuned_search) {
    // At the root of sh07 (45 ships, 5 berths) probing and Gomory cuts took
    // 2.5 s and raised the bound by nothing; the clique cuts did all of it
    // (1947.8 to 1963.8). Without the generators that never helped here the
    // root ends sooner and CBC's time limit, checked only between its cut
    // rounds and nodes, is overrun less.
    args.insert(args.end(), {"-probing", "off", "-gomory", "off", "-knapsack", "off", "-mixed", "off", "-flow",
                             "off", "-twoMir", "off"});
    // The clique cuts' later rounds at the root raise the bound by a tenth
    // each (s55x5: 1877.3 after 10 rounds, 1880.1 after 31, 3.6 s), and in
    // the tree they slow every node; the branching closes the gap sooner.
    // Measured on one thread on s55x5 with the optimum as incumbent: 10.7 s
    // to the proof with 10 rounds, 10.6 s with cuts at the root only, 13.0 s
    // with CBC's default of both.
    args.insert(args.end(), {"-passCuts", "10", "-clique", "root"});
  }
  if (threads > 1) args.insert(args.end(), {"-threads", std::to_string(threads)});
  args.push_back("-solve");
  args.push_back("-quit");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  SearchSetup setup;
  setup.model = &model;
  setup.num_ships = in.num_ships();
  setup.ship_start_sets = own_branching;
  setup.berth_choices = own_branching;
  // CBC's own clock stops it between nodes; this stops it, too, should that
  // check be passed by (one run in about forty of s60x10w with two threads
  // took twice its limit, not reproduced since).
  const std::function<bool()> abort = [&] {
    return Clock::now() > hard_deadline || (options.abort_search && options.abort_search());
  };
  setup.abort = &abort;
  current_setup = &setup;
  CbcMain1(static_cast<int>(argv.size()), argv.data(), cbc, BeforeBranchAndBound, data);
  current_setup = nullptr;

  CbcOutcome out;
  out.search_finished = cbc.status() == 0 && !cbc.isSecondsLimitReached();
  out.best_possible = cbc.getBestPossibleObjValue();
  const double* x = cbc.bestSolution();
  if (x != nullptr && cbc.getObjValue() < 1e40) {
    ASSIGN_OR_RETURN(Schedule s, Decode(in, model, x));
    // With a cutoff CBC may still report a solution at or above it (found
    // before the cutoff applied); only a strictly better one is news.
    if (!cutoff || static_cast<double>(WeightedServiceTime(in, s)) <= *cutoff) out.schedule = std::move(s);
  }
  return out;
}

struct LpResult {
  bool optimal = false;
  double value = 0;
  std::vector<double> reduced_cost;  // for every column of the full model
  // The optimal basis over the full model (columns never in the LP are at
  // their lower bound); empty if Clp gave none.
  StartingBasis basis;
};

// Solves the LP relaxation of `model` by column generation: a restricted LP
// holding the incumbent's columns and the earliest few starts of each ship at
// each berth, then repeatedly adding the columns the current duals price
// negatively. Only a fraction of the columns ever enters the LP, which makes
// it several times faster than solving the full LP; the final duals are
// feasible for the full LP, so the bound and the reduced costs of every
// column are exact. `optimal` is false if the deadline came first.
LpResult SolveLpByPricing(const Instance& in, const Model& model, const Schedule& incumbent,
                          Clock::time_point deadline) {
  constexpr int kFirstStarts = 4;
  constexpr double kPricingTolerance = 1e-7;
  const size_t total = model.columns.size();
  std::vector<char> in_lp(total, 0);
  int run = 0;
  for (size_t c = 0; c < total; ++c) {
    const Column& col = model.columns[c];
    const bool same_run = c > 0 && model.columns[c - 1].ship == col.ship && model.columns[c - 1].berth == col.berth;
    run = same_run ? run + 1 : 0;
    const ShipAssignment& a = incumbent.ships[col.ship];
    if (run < kFirstStarts || (a.berth == col.berth && a.start == col.start)) in_lp[c] = 1;
  }
  OsiClpSolverInterface lp;
  std::vector<size_t> lp_column;  // the full model's column of each LP column
  for (size_t c = 0; c < total; ++c) {
    if (in_lp[c]) lp_column.push_back(c);
  }
  LoadInto(Restrict(model, in_lp), in.num_ships(), /*integer=*/false, &lp);
  Silence(&lp);
  // After columns are added the basis stays primal feasible: primal simplex
  // continues from it.
  lp.setHintParam(OsiDoDualInResolve, false, OsiHintDo);
  LpResult out;
  out.reduced_cost.assign(total, 0.0);
  bool first = true;
  while (true) {
    const double left = SecondsLeft(deadline);
    if (left <= 0) return out;
    lp.getModelPtr()->setMaximumSeconds(left);
    if (first) {
      lp.initialSolve();
      first = false;
    } else {
      lp.resolve();
    }
    if (!lp.isProvenOptimal()) return out;
    const double* y = lp.getRowPrice();
    std::vector<std::pair<double, size_t>> entering;
    for (size_t c = 0; c < total; ++c) {
      double rc = model.columns[c].cost;
      for (CoinBigIndex k = model.row_begin[c]; k < model.row_begin[c + 1]; ++k) rc -= y[model.row_index[k]];
      out.reduced_cost[c] = rc;
      if (!in_lp[c] && rc < -kPricingTolerance) entering.emplace_back(rc, c);
    }
    if (entering.empty()) break;
    const size_t most = std::max<size_t>(500, 4 * static_cast<size_t>(in.num_ships()));
    if (entering.size() > most) {
      std::nth_element(entering.begin(), entering.begin() + most, entering.end());
      entering.resize(most);
    }
    std::vector<CoinBigIndex> starts(1, 0);
    std::vector<int> rows;
    std::vector<double> costs;
    for (const auto& [rc, c] : entering) {
      in_lp[c] = 1;
      lp_column.push_back(c);
      rows.insert(rows.end(), model.row_index.begin() + model.row_begin[c], model.row_index.begin() + model.row_begin[c + 1]);
      starts.push_back(static_cast<CoinBigIndex>(rows.size()));
      costs.push_back(model.columns[c].cost);
    }
    const int added = static_cast<int>(entering.size());
    std::vector<double> ones(rows.size(), 1.0);
    std::vector<double> lower(added, 0.0);
    std::vector<double> upper(added, lp.getInfinity());
    lp.addCols(added, starts.data(), rows.data(), ones.data(), lower.data(), upper.data(), costs.data());
  }
  out.optimal = true;
  out.value = lp.getObjValue();
  const std::unique_ptr<CoinWarmStart> warm(lp.getWarmStart());
  const auto* basis = dynamic_cast<const CoinWarmStartBasis*>(warm.get());
  if (basis != nullptr && basis->getNumStructural() == static_cast<int>(lp_column.size())) {
    out.basis.column_status.assign(total, CoinWarmStartBasis::atLowerBound);
    for (size_t k = 0; k < lp_column.size(); ++k) out.basis.column_status[lp_column[k]] = basis->getStructStatus(k);
    for (int r = 0; r < basis->getNumArtificial(); ++r) out.basis.row_status.push_back(basis->getArtifStatus(r));
  }
  return out;
}

// Raises the outcome's lower bound to a relaxation's value rounded up
// (objective values are integers); true, with the incumbent proved optimal,
// once it reaches `upper_bound`.
bool RaiseLowerBound(double relaxation, int64_t upper_bound, MipOutcome* out) {
  const int64_t rounded_up = static_cast<int64_t>(std::ceil(relaxation - kEps));
  out->lower_bound = std::max(out->lower_bound, std::min(rounded_up, upper_bound));
  out->proven_optimal = rounded_up >= upper_bound;
  return out->proven_optimal;
}

}  // namespace

Result<MipOutcome> SolveTimeIndexedMip(const Instance& in, const MipOptions& options) {
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::microseconds(static_cast<int64_t>(
                                           std::max(0.0, options.time_limit_seconds) * 1e6));
  MipOutcome out;
  std::optional<int64_t> upper_bound;
  if (options.incumbent) {
    out.schedule = options.incumbent;
    out.objective = WeightedServiceTime(in, *options.incumbent);
    upper_bound = out.objective;
  }
  const int64_t trivial = TrivialLowerBound(in);
  out.lower_bound = trivial;
  for (int i = 0; i < in.num_ships(); ++i) {
    bool fits = false;
    for (int b = 0; b < in.num_berths(); ++b) fits = fits || in.Fits(i, b);
    if (!fits) {
      out.proven_infeasible = true;
      return out;
    }
  }
  if (upper_bound && *upper_bound <= trivial) {
    out.proven_optimal = true;
    out.lower_bound = *upper_bound;
    return out;
  }

  Model model;
  if (!BuildModel(in, upper_bound, options.max_columns, &model)) {
    out.too_large = true;
    return out;
  }
  out.columns_before_lp = static_cast<int64_t>(model.columns.size());

  const bool prune = upper_bound && options.reduced_cost_fixing;
  StartingBasis basis;
  if (prune) {
    const double lp_limit = options.lp_time_limit_seconds > 0
                                ? std::min(options.lp_time_limit_seconds, SecondsLeft(deadline))
                                : SecondsLeft(deadline);
    const auto lp_deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(lp_limit * 1e6));
    LpResult lp = SolveLpByPricing(in, model, *options.incumbent, lp_deadline);
    out.lp_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (!lp.optimal) {
      // Out of LP time: the model is too big to help within this budget.
      out.lp_timed_out = true;
      return out;
    }
    out.lp_bound = lp.value;
    if (RaiseLowerBound(lp.value, *upper_bound, &out)) return out;
    // Any schedule strictly better than the incumbent costs at most UB - 1
    // and at least LP + (its columns' reduced costs), all of which are
    // non-negative: a column whose reduced cost alone exceeds the gap is in
    // no such schedule. The margin is far above the LP tolerances so that an
    // inexact dual never prunes a column that an improvement needs.
    const double gap = static_cast<double>(*upper_bound - 1) - out.lp_bound + kPruneMargin;
    std::vector<char> keep(model.columns.size());
    for (size_t c = 0; c < keep.size(); ++c) keep[c] = lp.reduced_cost[c] <= gap;
    model = Restrict(model, keep);
    // Basic columns have reduced cost 0 and are all kept.
    if (!lp.basis.column_status.empty()) {
      for (size_t c = 0; c < keep.size(); ++c) {
        if (keep[c]) basis.column_status.push_back(lp.basis.column_status[c]);
      }
      basis.row_status = std::move(lp.basis.row_status);
    }
  }
  out.columns = static_cast<int64_t>(model.columns.size());
  out.model_rows = model.rows;
  if (options.drop_implied_rows) DropImpliedRows(in, &model, &basis);
  out.rows = model.rows;
  if (prune && options.packing_cuts && !model.columns.empty() && model.columns.size() <= kSmallModelColumns) {
    // A fifth of what is left at most: the search needs the rest.
    const auto cut_deadline =
        Clock::now() + std::chrono::microseconds(static_cast<int64_t>(
                           std::min(kMaxCutSeconds, 0.2 * SecondsLeft(deadline)) * 1e6));
    const CutOutcome cuts = AddPackingCuts(in, *upper_bound, cut_deadline, &model, &basis);
    if (cuts.solved) {
      out.cut_bound = cuts.bound;
      out.cut_rounds = cuts.rounds;
      out.cut_rows = cuts.rows_added;
      out.columns = static_cast<int64_t>(model.columns.size());
      out.rows = model.rows;
      if (RaiseLowerBound(cuts.bound, *upper_bound, &out)) return out;
    }
  }
  if (SecondsLeft(deadline) <= 0.05) return out;

  std::optional<double> cutoff;
  if (upper_bound) cutoff = static_cast<double>(*upper_bound) - 0.5;
  if (model.columns.empty()) {
    // Every column was pruned: nothing beats the incumbent.
    out.proven_optimal = upper_bound.has_value();
    out.proven_infeasible = !upper_bound.has_value();
    if (upper_bound) out.lower_bound = *upper_bound;
    return out;
  }
  const auto cbc_started = Clock::now();
  out.lp_seconds = std::chrono::duration<double>(cbc_started - started).count();
  out.cbc_threads = 1;
  if (options.threads > 1 && out.columns <= options.parallel_max_columns) {
    out.cbc_threads = options.threads;
    if (options.before_parallel_search) options.before_parallel_search();
  }
  ASSIGN_OR_RETURN(CbcOutcome cbc, RunCbc(in, model, cutoff, SecondsLeft(deadline), out.cbc_threads, basis, options));
  out.cbc_seconds = std::chrono::duration<double>(Clock::now() - cbc_started).count();
  if (cbc.schedule) {
    const int64_t objective = WeightedServiceTime(in, *cbc.schedule);
    if (!out.schedule || objective < out.objective) {
      out.schedule = std::move(cbc.schedule);
      out.objective = objective;
    }
  }
  if (cbc.search_finished) {
    if (out.schedule) {
      out.proven_optimal = true;
      out.lower_bound = out.objective;
    } else {
      out.proven_infeasible = true;
    }
    return out;
  }
  // CBC's bound covers schedules below the cutoff; the incumbent covers the
  // rest, so the smaller of the two is valid overall.
  if (std::isfinite(cbc.best_possible) && cbc.best_possible < 1e40) {
    int64_t cbc_bound = static_cast<int64_t>(std::ceil(cbc.best_possible - kEps));
    if (out.schedule) cbc_bound = std::min(cbc_bound, out.objective);
    out.lower_bound = std::max(out.lower_bound, cbc_bound);
  }
  if (out.schedule && out.lower_bound >= out.objective) out.proven_optimal = true;
  return out;
}

}  // namespace relos::berth
