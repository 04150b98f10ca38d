// Registry files: the whole registry (parties, agreements, catalogue, fuel
// compatibility, facilities, units) as one JSON or YAML document, and the
// facilities alone as CSV for people who keep them in a spreadsheet. All
// formats decode through the JSON mapping of codec.h, so the rules and the
// error messages are the same; these functions add the file name and, where
// the format allows, the line ("registry.yaml:42: $.units[1].draught_m: ...").
// The formats are described in docs/registry-format.md.
//
// Thread-safety: pure functions (the readers read the named file only).
#pragma once

#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/registry/registry.h"

namespace relos::codec {

enum class Format { kJson, kYaml };

// Reads a registry file, choosing the format by extension: ".json" is JSON,
// ".yaml" and ".yml" are YAML. Returns the decoded registry on success.
// Errors: InvalidArgument for any other extension, a syntax error ("FILE:LINE:
// ..."), a duplicate key, or any decoding error of codec.h prefixed with the
// file and (for YAML) the line of the offending value; NotFound if the file
// does not exist; Unavailable if it exists but cannot be read.
Result<registry::RegistryData> ReadRegistryFile(const std::string& file);

// Parses registry text already in memory; `name` stands for the file name in
// error messages. Same errors as ReadRegistryFile but NotFound/Unavailable.
Result<registry::RegistryData> ParseRegistry(const std::string& text, Format format, const std::string& name);

// The registry as a document that ReadRegistryFile reads back to an equal
// RegistryData: JSON pretty-printed with two-space indent, or block YAML.
// InvalidArgument only if a string is not valid UTF-8.
Result<std::string> WriteRegistry(const registry::RegistryData& data, Format format);

// Facilities as CSV (RFC 4180: comma separated, double quotes around cells
// that hold commas, quotes or line breaks, "" for a quote inside; LF or CRLF).
// The first row is the header; its columns are, in any order, exactly:
//   code,name,owner,kind,lat,lon,aircraft_stands,maintenance_bays,beds,
//   accommodation,berths,fuel,prices,illustrative
// Lists sit in one cell each, items separated by ';', parts by ':':
//   berths  ID:LENGTH_M:MAX_DRAUGHT_M       B1:250:10.5;B2:180:9
//   fuel    GRADE:ON_HAND:CAPACITY          F-76:1200 tonne:5000 tonne
//   prices  ITEM:UNIT_PRICE:VALID_FROM      FUEL-F76:95000.00 INR:2025-01-01
// (VALID_FROM is the rest of the item, so a full ISO time with colons is
// fine). An empty capacity cell means the facility does not offer it; an
// empty illustrative cell means true.
//
// Returns the facilities in file order. Errors: InvalidArgument
// "FILE:LINE: column COLUMN: reason" with reason() the column name (for a
// malformed row, a bad cell or a decoding error of codec.h), or
// "FILE:LINE: ..." for a bad header or unterminated quote; NotFound if the
// file does not exist; Unavailable if it cannot be read.
Result<std::vector<registry::Facility>> ReadFacilitiesCsv(const std::string& file);
Result<std::vector<registry::Facility>> ParseFacilitiesCsv(const std::string& text, const std::string& name);

// The CSV that ReadFacilitiesCsv reads back to equal facilities (LF line
// ends). InvalidArgument, naming the facility and field, if a berth id, fuel
// grade or item code contains ':' or ';', which the cell syntax cannot carry.
Result<std::string> WriteFacilitiesCsv(const std::vector<registry::Facility>& facilities);

}  // namespace relos::codec
