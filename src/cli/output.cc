#include "cli/output.h"

#include <fmt/format.h>

#include <algorithm>

namespace relos::cli {

void PrintJson(std::ostream& out, const codec::Json& j) { out << j.dump(2) << "\n"; }

void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

void PrintOrder(std::ostream& out, const orders::Order& o) {
  out << fmt::format("Order {}  (id {}, version {})\n", o.number, o.id, o.version);
  out << fmt::format("  state       {}\n", orders::Name(o.state));
  out << fmt::format("  agreement   {}   purpose {}   settlement {}\n", o.agreement, registry::Name(o.purpose),
                     registry::Name(o.settlement));
  out << fmt::format("  requester   {} (unit {})   supplier {} (facility {})\n", o.requester, o.unit, o.supplier,
                     o.facility);
  if (!o.exercise.empty()) out << fmt::format("  exercise    {}\n", o.exercise);
  std::vector<std::vector<std::string>> rows = {
      {"  line", "item", "requested", "approved", "unit price", "delivered", "receipt", "window"}};
  for (const auto& l : o.lines) {
    std::string receipt = std::string(orders::Name(l.verdict));
    if (l.receipted && l.verdict != orders::ReceiptVerdict::kPending) receipt += " " + l.receipted->AmountString();
    rows.push_back({"  " + std::to_string(l.line_no), l.item, l.requested.ToString(),
                    l.approved ? l.approved->AmountString() : "-", l.unit_price ? l.unit_price->ToString() : "-",
                    l.delivered ? l.delivered->AmountString() : "-", receipt,
                    l.window_start.ToIso8601() + " .. " + l.window_end.ToIso8601()});
  }
  PrintTable(out, rows);
  for (const auto& l : o.lines) {
    if (!l.discrepancy.empty()) out << fmt::format("  line {} discrepancy: {}\n", l.line_no, l.discrepancy);
    if (!l.dispute_reason.empty()) out << fmt::format("  line {} disputed: {}\n", l.line_no, l.dispute_reason);
  }
  out << "  history\n";
  for (const auto& h : o.history) {
    out << fmt::format("    {}  {:<10} {}{}\n", h.at.ToIso8601(), orders::Name(h.to), h.actor.ToString(),
                       h.remark.empty() ? "" : "  \"" + h.remark + "\"");
  }
}

void PrintOrderTable(std::ostream& out, const std::vector<orders::Order>& list) {
  std::vector<std::vector<std::string>> rows = {
      {"id", "number", "state", "requester", "supplier", "facility", "unit", "purpose", "lines"}};
  for (const auto& o : list) {
    rows.push_back({std::to_string(o.id), o.number, std::string(orders::Name(o.state)), o.requester, o.supplier,
                    o.facility, o.unit, std::string(registry::Name(o.purpose)), std::to_string(o.lines.size())});
  }
  PrintTable(out, rows);
  out << list.size() << " order(s)\n";
}

}  // namespace relos::cli
