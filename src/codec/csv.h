// A small RFC 4180 reader and writer: comma separated; a cell in double
// quotes may hold commas, line breaks and "" for a quote; records end with
// LF or CRLF. Written here because Debian ships no CSV library worth a
// dependency for one flat file format.
#pragma once

#include <string>
#include <vector>

#include "relos/core/status.h"

namespace relos::codec::internal {

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

// Splits text into records. A blank line is skipped. Errors: InvalidArgument
// "LINE: reason" for an unterminated quote or text after a closing quote.
Result<std::vector<CsvRecord>> ParseCsv(const std::string& text);

// One cell, quoted only when it must be (comma, quote, CR, LF, or leading or
// trailing space, which spreadsheets tend to trim).
std::string CsvCell(const std::string& value);

}  // namespace relos::codec::internal
