#include "csv.h"

namespace relos::codec::internal {

Result<std::vector<CsvRecord>> ParseCsv(const std::string& text) {
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string cell;
  int line = 1;
  current.line = 1;
  bool in_quotes = false;
  bool quoted_cell = false;   // the current cell was quoted: only a separator may follow
  bool record_has_text = false;
  int quote_line = 0;

  auto end_record = [&]() {
    current.cells.push_back(std::move(cell));
    cell.clear();
    if (record_has_text || current.cells.size() > 1) records.push_back(std::move(current));
    current = CsvRecord();
    quoted_cell = false;
    record_has_text = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF: the LF ends it
    if (c == '\n') {
      end_record();
      ++line;
      current.line = line;
      continue;
    }
    if (c == ',') {
      current.cells.push_back(std::move(cell));
      cell.clear();
      quoted_cell = false;
      record_has_text = true;
      continue;
    }
    if (quoted_cell) return InvalidArgument(std::to_string(line) + ": text after a closing quote", "csv");
    if (c == '"') {
      if (!cell.empty()) return InvalidArgument(std::to_string(line) + ": a quote inside an unquoted cell", "csv");
      in_quotes = true;
      quoted_cell = true;
      record_has_text = true;
      quote_line = line;
      continue;
    }
    cell += c;
    record_has_text = true;
  }
  if (in_quotes) return InvalidArgument(std::to_string(quote_line) + ": unterminated quoted cell", "csv");
  if (record_has_text || !cell.empty()) end_record();
  return records;
}

std::string CsvCell(const std::string& value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace relos::codec::internal
