#include "relos/berth/instance.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace relos::berth {

int64_t Instance::EarliestStart(int ship, int berth) const {
  return std::max(arrival[ship], berth_open[berth]);
}

int64_t Instance::LatestStart(int ship, int berth) const {
  return std::min(berth_close[berth], latest_departure[ship]) - handling[ship][berth];
}

bool Instance::Fits(int ship, int berth) const {
  return CanUse(ship, berth) && EarliestStart(ship, berth) <= LatestStart(ship, berth);
}

namespace {

Status InstanceError(const std::string& message) {
  return InvalidArgument(message, "berth.instance");
}

bool InRange(int64_t v) { return v >= 0 && v <= kMaxValue; }

struct Token {
  std::string_view text;
  int line = 0;
  int column = 0;
};

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  int line = 1;
  int column = 1;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++i;
      continue;
    }
    size_t begin = i;
    int begin_column = column;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      ++column;
    }
    tokens.push_back({text.substr(begin, i - begin), line, begin_column});
  }
  return tokens;
}

// Reads the token stream section by section, keeping enough position
// information that every error names the exact token at fault.
class TokenReader {
 public:
  explicit TokenReader(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  size_t remaining() const { return tokens_.size() - next_; }

  // Reads one integer of section `what`. `allow_forbidden` lets values at or
  // above kForbiddenHandling through (handling matrix markers).
  Result<int64_t> Next(const std::string& what, bool allow_forbidden = false) {
    if (next_ >= tokens_.size()) {
      return InvalidArgument("truncated: the file ends after token " + std::to_string(tokens_.size()) +
                                 " while reading " + what,
                             "instance.truncated");
    }
    const Token& tok = tokens_[next_++];
    int64_t value = 0;
    const char* first = tok.text.data();
    const char* last = first + tok.text.size();
    if (!tok.text.empty() && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) {
      return Error(tok, what, "value out of range", "instance.out_of_range");
    }
    if (ec != std::errc() || ptr != last || first == last) {
      return Error(tok, what, "not an integer", "instance.not_integer");
    }
    if (value < 0) return Error(tok, what, "negative value", "instance.negative");
    if (value > kMaxValue && !(allow_forbidden && value >= kForbiddenHandling)) {
      return Error(tok, what, "value above " + std::to_string(kMaxValue), "instance.out_of_range");
    }
    return value;
  }

  // Error about the token most recently read.
  Status ErrorAtLast(const std::string& what, const std::string& problem, const std::string& reason) const {
    return Error(tokens_[next_ - 1], what, problem, reason);
  }

  Status ErrorAtNext(const std::string& what, const std::string& problem, const std::string& reason) const {
    return Error(tokens_[next_], what, problem, reason);
  }

 private:
  Status Error(const Token& tok, const std::string& what, const std::string& problem,
               const std::string& reason) const {
    size_t index = static_cast<size_t>(&tok - tokens_.data()) + 1;
    std::string shown(tok.text.substr(0, 40));
    return InvalidArgument("token " + std::to_string(index) + " (line " + std::to_string(tok.line) +
                               ", column " + std::to_string(tok.column) + ") '" + shown + "' in " + what + ": " +
                               problem,
                           reason);
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
};

// Reads `count` integers of one section, each at least `min_value`.
Result<std::vector<int64_t>> ReadVector(TokenReader& reader, int count, const std::string& what,
                                        int64_t min_value = 0) {
  std::vector<int64_t> values;
  values.reserve(count);
  for (int k = 0; k < count; ++k) {
    const std::string entry = what + " (entry " + std::to_string(k + 1) + " of " + std::to_string(count) + ")";
    ASSIGN_OR_RETURN(int64_t v, reader.Next(entry));
    if (v < min_value) {
      return reader.ErrorAtLast(entry, "must be at least " + std::to_string(min_value), "instance.inconsistent");
    }
    values.push_back(v);
  }
  return values;
}

// Counts are capped so that a corrupt header cannot make us reserve
// gigabytes before the (then inevitable) truncation error.
constexpr int64_t kMaxShips = 100'000;
constexpr int64_t kMaxBerths = 10'000;

}  // namespace

Status ValidateInstance(const Instance& in) {
  const int n = in.num_ships();
  const int m = in.num_berths();
  if (n < 1 || m < 1) return InstanceError("an instance needs at least one ship and one berth");
  if (static_cast<int>(in.berth_close.size()) != m) return InstanceError("berth_close has the wrong size");
  if (static_cast<int>(in.handling.size()) != n || static_cast<int>(in.latest_departure.size()) != n ||
      static_cast<int>(in.weight.size()) != n) {
    return InstanceError("per-ship vectors have different sizes");
  }
  for (int b = 0; b < m; ++b) {
    if (!InRange(in.berth_open[b]) || !InRange(in.berth_close[b])) {
      return InstanceError("berth " + std::to_string(b + 1) + " has a window outside [0, kMaxValue]");
    }
    if (in.berth_close[b] < in.berth_open[b]) {
      return InstanceError("berth " + std::to_string(b + 1) + " closes before it opens");
    }
  }
  for (int i = 0; i < n; ++i) {
    const std::string ship = "ship " + std::to_string(i + 1);
    if (!InRange(in.arrival[i]) || !InRange(in.latest_departure[i])) {
      return InstanceError(ship + " has a time outside [0, kMaxValue]");
    }
    if (in.weight[i] < 1 || in.weight[i] > kMaxValue) return InstanceError(ship + " has a weight outside [1, kMaxValue]");
    if (static_cast<int>(in.handling[i].size()) != m) return InstanceError(ship + " has a handling row of the wrong size");
    for (int b = 0; b < m; ++b) {
      if (in.handling[i][b] < 1) return InstanceError(ship + " has a handling time below 1");
    }
  }
  return OkStatus();
}

Result<Instance> ParseInstance(std::string_view text) {
  TokenReader reader(Tokenize(text));
  ASSIGN_OR_RETURN(int64_t n, reader.Next("the number of ships"));
  if (n < 1 || n > kMaxShips) {
    return reader.ErrorAtLast("the number of ships", "must be between 1 and " + std::to_string(kMaxShips),
                              "instance.out_of_range");
  }
  ASSIGN_OR_RETURN(int64_t m, reader.Next("the number of berths"));
  if (m < 1 || m > kMaxBerths) {
    return reader.ErrorAtLast("the number of berths", "must be between 1 and " + std::to_string(kMaxBerths),
                              "instance.out_of_range");
  }
  const int ships = static_cast<int>(n);
  const int berths = static_cast<int>(m);
  Instance in;
  ASSIGN_OR_RETURN(in.arrival, ReadVector(reader, ships, "arrival times"));
  ASSIGN_OR_RETURN(in.berth_open, ReadVector(reader, berths, "berth opening times"));
  in.handling.assign(ships, std::vector<int64_t>(berths, 0));
  for (int i = 0; i < ships; ++i) {
    for (int b = 0; b < berths; ++b) {
      const std::string what = "handling times (ship " + std::to_string(i + 1) + ", berth " + std::to_string(b + 1) + ")";
      ASSIGN_OR_RETURN(int64_t h, reader.Next(what, /*allow_forbidden=*/true));
      if (h == 0) return reader.ErrorAtLast(what, "a handling time must be at least 1", "instance.inconsistent");
      // Any marker at or above the threshold means the same thing; storing one
      // value keeps arithmetic on handling times far from overflow.
      in.handling[i][b] = std::min(h, kForbiddenHandling);
    }
  }
  for (int b = 0; b < berths; ++b) {
    const std::string what = "berth closing times (entry " + std::to_string(b + 1) + " of " + std::to_string(berths) + ")";
    ASSIGN_OR_RETURN(int64_t close, reader.Next(what));
    if (close < in.berth_open[b]) {
      return reader.ErrorAtLast(what, "berth closes before it opens at " + std::to_string(in.berth_open[b]),
                                "instance.inconsistent");
    }
    in.berth_close.push_back(close);
  }
  ASSIGN_OR_RETURN(in.latest_departure, ReadVector(reader, ships, "latest departure times"));
  if (reader.remaining() == 0) {
    in.weight.assign(ships, 1);
  } else {
    ASSIGN_OR_RETURN(in.weight, ReadVector(reader, ships, "weights", /*min_value=*/1));
    if (reader.remaining() > 0) {
      return reader.ErrorAtNext("the end of the file",
                                "wrong count: " + std::to_string(reader.remaining()) +
                                    " token(s) after the " + std::to_string(ships) + " weights",
                                "instance.wrong_count");
    }
  }
  RELOS_CHECK(ValidateInstance(in).ok(), "the parser let through an inconsistent instance");
  return in;
}

Result<Instance> ReadInstanceFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound("cannot open instance file " + path, "instance.file");
  std::ostringstream buffer;
  buffer << file.rdbuf();
  Result<Instance> parsed = ParseInstance(buffer.str());
  if (!parsed.ok()) return parsed.status().WithContext(path);
  return parsed;
}

std::string FormatInstance(const Instance& in) {
  std::ostringstream out;
  auto line = [&out](const std::vector<int64_t>& values) {
    for (size_t k = 0; k < values.size(); ++k) out << (k ? " " : "") << values[k];
    out << "\n";
  };
  out << in.num_ships() << "\n" << in.num_berths() << "\n";
  line(in.arrival);
  line(in.berth_open);
  for (const auto& row : in.handling) line(row);
  line(in.berth_close);
  line(in.latest_departure);
  line(in.weight);
  return out.str();
}

}  // namespace relos::berth
