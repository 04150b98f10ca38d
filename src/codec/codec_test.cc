#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "relos/codec/codec.h"
#include "relos/codec/registry_file.h"
#include "storage/sample_data.h"

namespace relos::codec {
namespace {

using testing::SampleAgreement;
using testing::SampleCatalogItem;
using testing::SampleEvent;
using testing::SampleFacility;
using testing::SampleFuelCompatibility;
using testing::SampleOrder;
using testing::SampleParty;
using testing::SampleRegistry;
using testing::SampleUnit;

void ExpectSameRegistry(const registry::RegistryData& a, const registry::RegistryData& b) {
  EXPECT_EQ(a.parties, b.parties);
  EXPECT_EQ(a.agreements, b.agreements);
  EXPECT_EQ(a.catalogue, b.catalogue);
  EXPECT_EQ(a.fuel_compatibility, b.fuel_compatibility);
  EXPECT_EQ(a.facilities, b.facilities);
  EXPECT_EQ(a.units, b.units);
}

// Encodes, prints canonically, parses the text back and decodes: the full
// path a stored document takes.
template <typename T, typename Decoder>
T RoundTrip(const T& v, Decoder decode) {
  std::string text = Canonical(ToJson(v));
  auto back = decode(Json::parse(text), "$");
  EXPECT_TRUE(back.ok()) << back.status();
  return back.ok() ? *back : T{};
}

TEST(CodecTest, EveryTypeRoundTrips) {
  EXPECT_EQ(RoundTrip(SampleParty(), PartyFromJson), SampleParty());
  EXPECT_EQ(RoundTrip(SampleAgreement(), AgreementFromJson), SampleAgreement());
  EXPECT_EQ(RoundTrip(SampleAgreement().terms, AgreementTermsFromJson), SampleAgreement().terms);
  EXPECT_EQ(RoundTrip(SampleCatalogItem(), CatalogItemFromJson), SampleCatalogItem());
  EXPECT_EQ(RoundTrip(SampleFuelCompatibility(), FuelCompatibilityFromJson), SampleFuelCompatibility());
  EXPECT_EQ(RoundTrip(SampleFacility(), FacilityFromJson), SampleFacility());
  EXPECT_EQ(RoundTrip(SampleUnit(), UnitFromJson), SampleUnit());
  EXPECT_EQ(RoundTrip(SampleOrder(), OrderFromJson), SampleOrder());
  EXPECT_EQ(RoundTrip(SampleOrder().lines[0], OrderLineFromJson), SampleOrder().lines[0]);
  EXPECT_EQ(RoundTrip(SampleOrder().history[1].actor, ActorFromJson), SampleOrder().history[1].actor);
  EXPECT_EQ(RoundTrip(SampleEvent(7), EventFromJson), SampleEvent(7));
  auto data = RegistryDataFromJson(ToJson(SampleRegistry()), "$");
  ASSERT_TRUE(data.ok()) << data.status();
  ExpectSameRegistry(*data, SampleRegistry());
}

TEST(CodecTest, SpellsValuesAsTheSchemaSays) {
  Json f = ToJson(SampleFacility());
  EXPECT_EQ(f["kind"], "naval-base");
  EXPECT_EQ(f["capacities"], Json::parse(R"({"aircraft-stands": 4, "beds": 120})"));
  EXPECT_EQ(f["position"], Json::parse(R"({"lat": 43.1056, "lon": 131.8735})"));
  EXPECT_EQ(f["prices"][0]["unit_price"], "95000.00 RUB");
  EXPECT_EQ(f["prices"][1]["valid_from"], "2025-07-01T12:30:00Z");
  EXPECT_EQ(f["fuel"][0]["on_hand"], "1200.5 tonne");
  Json t = ToJson(SampleAgreement().terms);
  EXPECT_EQ(t["min_notice_hours"], Json::parse(R"({"exercise": 720, "port-call": 168})"));
  EXPECT_EQ(t["annual_ceiling"]["IN"], "500000000.00 USD");
  EXPECT_EQ(t["settlement_modes"], Json::parse(R"(["cash", "replacement-in-kind"])"));
  // Empty optionals are left out, set ones written.
  Json lines = ToJson(SampleOrder())["lines"];
  EXPECT_EQ(lines[0]["approved"], "200 tonne");
  EXPECT_FALSE(lines[1].contains("approved"));
  EXPECT_FALSE(ToJson(SampleRegistry().catalogue[1]).contains("fuel_grade"));
}

TEST(CodecTest, CanonicalIsCompactSortedAndStable) {
  Json j = Json::parse(R"({"b": [1, 2.5, "x"], "a": {"z": true, "c": null}})");
  EXPECT_EQ(Canonical(j), R"({"a":{"c":null,"z":true},"b":[1,2.5,"x"]})");
  // The same value built in another order prints the same.
  Json k;
  k["a"]["z"] = true;
  k["a"]["c"] = nullptr;
  k["b"] = Json::array({1, 2.5, "x"});
  EXPECT_EQ(Canonical(k), Canonical(j));
  EXPECT_EQ(Canonical(ToJson(SampleOrder())), Canonical(Json::parse(Canonical(ToJson(SampleOrder())))));
}

TEST(CodecTest, OptionalMembersMayBeOmitted) {
  auto f = FacilityFromJson(Json::parse(R"({"code": "X", "name": "X", "owner": "IN", "kind": "port",
                                             "position": {"lat": 1, "lon": 2}})"),
                            "$");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->illustrative);
  EXPECT_TRUE(f->berths.empty());
  auto terms = AgreementTermsFromJson(Json::parse(R"({"settlement_currency": "INR", "max_stay_days": null})"), "$");
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->payment_term_days, 30);
  EXPECT_EQ(terms->rik_return_days, 365);
}

// Decodes `text` as a registry file and returns the status.
Status DecodeRegistry(const std::string& text) { return RegistryDataFromJson(Json::parse(text), "$").status(); }

void ExpectInvalid(const Status& s, const std::string& message, const std::string& reason) {
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message().substr(0, message.size()), message) << s;
  EXPECT_EQ(s.reason(), reason) << s;
}

// A facility document with one member replaced (or added).
Json FacilityWith(const std::string& pointer, const Json& value) {
  Json f = ToJson(SampleFacility());
  f[Json::json_pointer(pointer)] = value;
  return Json{{"facilities", Json::array({ToJson(SampleFacility("A")), f})}};
}

Status DecodeFacilityWith(const std::string& pointer, const Json& value) {
  return RegistryDataFromJson(FacilityWith(pointer, value), "$").status();
}

TEST(CodecTest, RefusesEachClassOfBadInputNamingThePath) {
  // Unknown key.
  ExpectInvalid(DecodeFacilityWith("/berths/0/colour", "grey"), "$.facilities[1].berths[0].colour: unknown key", "colour");
  ExpectInvalid(DecodeRegistry(R"({"partys": []})"), "$.partys: unknown key", "partys");
  // Wrong type.
  ExpectInvalid(DecodeFacilityWith("/berths/0/max_draught_m", "10.5"),
                "$.facilities[1].berths[0].max_draught_m: must be a number > 0", "max_draught_m");
  ExpectInvalid(DecodeFacilityWith("/berths", Json::object()), "$.facilities[1].berths: must be an array", "berths");
  ExpectInvalid(DecodeFacilityWith("/illustrative", "yes"), "$.facilities[1].illustrative: must be true or false",
                "illustrative");
  ExpectInvalid(DecodeFacilityWith("/capacities/beds", 1.5), "$.facilities[1].capacities.beds: must be a whole number",
                "capacities");
  // Out of range.
  ExpectInvalid(DecodeFacilityWith("/berths/0/max_draught_m", 0),
                "$.facilities[1].berths[0].max_draught_m: must be a number > 0", "max_draught_m");
  ExpectInvalid(DecodeFacilityWith("/capacities/beds", -1), "$.facilities[1].capacities.beds: must be a whole number >= 0",
                "capacities");
  // Bad money.
  ExpectInvalid(DecodeFacilityWith("/prices/1/unit_price", "12.345 RUB"), "$.facilities[1].prices[1].unit_price: ",
                "unit_price");
  ExpectInvalid(DecodeFacilityWith("/prices/1/unit_price", "12.34 XYZ"), "$.facilities[1].prices[1].unit_price: ",
                "unit_price");
  // Bad unit.
  ExpectInvalid(DecodeFacilityWith("/fuel/0/on_hand", "12 gallon"), "$.facilities[1].fuel[0].on_hand: ", "on_hand");
  // Bad enum.
  ExpectInvalid(DecodeFacilityWith("/kind", "castle"), "$.facilities[1].kind: ", "kind");
  ExpectInvalid(DecodeFacilityWith("/capacities/hangars", 1), "$.facilities[1].capacities.hangars: ", "capacities");
  // Bad date.
  ExpectInvalid(DecodeFacilityWith("/prices/0/valid_from", "2025-02-30"), "$.facilities[1].prices[0].valid_from: ",
                "valid_from");
  // Bad latitude: range checked by GeoPosition::Make.
  ExpectInvalid(DecodeFacilityWith("/position/lat", 91), "$.facilities[1].position.lat: ", "lat");
  ExpectInvalid(DecodeFacilityWith("/position/lon", "east"), "$.facilities[1].position.lon: must be a number", "lon");
  // Missing required member.
  Json f = ToJson(SampleFacility());
  f.erase("owner");
  ExpectInvalid(FacilityFromJson(f, "$.facilities[3]").status(), "$.facilities[3].owner: is required", "owner");
  // Not an object at all.
  ExpectInvalid(PartyFromJson(Json::array(), "$.parties[0]").status(), "$.parties[0]: must be an object", "parties");
}

TEST(CodecTest, RefusesBadOrdersAndEvents) {
  Json o = ToJson(SampleOrder());
  o["lines"][1]["verdict"] = "maybe";
  ExpectInvalid(OrderFromJson(o, "$").status(), "$.lines[1].verdict: unknown receipt verdict", "verdict");
  o = ToJson(SampleOrder());
  o["history"][0]["actor"]["role"] = "admiral";
  ExpectInvalid(OrderFromJson(o, "$").status(), "$.history[0].actor.role: ", "role");
  o = ToJson(SampleOrder());
  o["state"] = "lost";
  ExpectInvalid(OrderFromJson(o, "$").status(), "$.state: ", "state");
  Json e = ToJson(SampleEvent());
  e["seq"] = 0;
  ExpectInvalid(EventFromJson(e, "$").status(), "$.seq: must be a whole number > 0", "seq");
  e = ToJson(SampleEvent());
  e["at"] = "yesterday";
  ExpectInvalid(EventFromJson(e, "$").status(), "$.at: ", "at");
  // A set lists each element once.
  Json a = ToJson(SampleAgreement());
  a["terms"]["eligible_purposes"] = Json::array({"exercise", "exercise"});
  ExpectInvalid(AgreementFromJson(a, "$").status(), "$.terms.eligible_purposes[1]: is listed twice",
                "eligible_purposes");
}

TEST(CodecTest, AMisspeltKeyIsReportedBeforeTheMissingOne) {
  Json u = ToJson(SampleUnit());
  u.erase("owner");
  u["ownr"] = "IN";
  ExpectInvalid(UnitFromJson(u, "$").status(), "$.ownr: unknown key (expected one of: code, name, owner", "ownr");
}

// ---- Files.

class RegistryFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("relos_codec_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(RegistryFileTest, JsonAndYamlRoundTrip) {
  for (Format format : {Format::kJson, Format::kYaml}) {
    auto text = WriteRegistry(SampleRegistry(), format);
    ASSERT_TRUE(text.ok()) << text.status();
    std::string path = Write(format == Format::kJson ? "r.json" : "r.yaml", *text);
    auto back = ReadRegistryFile(path);
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << *text;
    ExpectSameRegistry(*back, SampleRegistry());
  }
}

TEST_F(RegistryFileTest, YamlStringsThatLookLikeOtherTypesStayStrings) {
  registry::RegistryData d;
  d.parties = {registry::Party{"NO", "true", Currency::FromCode("INR").value()}};
  d.catalogue = {registry::CatalogItem{"123", "1.5", registry::SupportCategory::kSupplies, UnitOfMeasure::kEach, "~"}};
  // Strings YAML gives meaning to in other ways: indicators, comments,
  // leading spaces, line breaks, the empty string, non-ASCII.
  for (const char* tricky : {"a: b", "#x", " lead", "trail ", "multi\nline", "", "- dash", "[x", "'q'", "Владивосток",
                             "null", "1e3", ".inf", "0x1F", "-"}) {
    d.fuel_compatibility.push_back(
        registry::FuelCompatibility{tricky, "F-76", registry::FuelCompatibilityLevel::kFull, tricky});
  }
  auto text = WriteRegistry(d, Format::kYaml);
  ASSERT_TRUE(text.ok()) << text.status();
  auto back = ParseRegistry(*text, Format::kYaml, "r.yaml");
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << *text;
  ExpectSameRegistry(*back, d);
}

TEST_F(RegistryFileTest, YamlErrorsNameFileAndLine) {
  std::string yaml =
      "parties:\n"                      // 1
      "  - code: IN\n"                  // 2
      "    name: India\n"               // 3
      "    currency: INR\n"             // 4
      "units:\n"                        // 5
      "  - code: IN-A\n"                // 6
      "    name: A\n"                   // 7
      "    owner: IN\n"                 // 8
      "    kind: ship\n"                // 9
      "  - code: IN-B\n"                // 10
      "    name: B\n"                   // 11
      "    owner: IN\n"                 // 12
      "    kind: ship\n"                // 13
      "    draught_m: deep\n";          // 14
  std::string path = Write("registry.yaml", yaml);
  Status s = ReadRegistryFile(path).status();
  ExpectInvalid(s, path + ":14: $.units[1].draught_m: must be a number >= 0", "draught_m");
  // A missing member is reported at the object that lacks it.
  Status missing = ParseRegistry("parties:\n  - code: IN\n    currency: INR\n", Format::kYaml, "r.yaml").status();
  ExpectInvalid(missing, "r.yaml:2: $.parties[0].name: is required", "name");
  // Quoted numbers are strings, plain ones numbers.
  Status quoted = ParseRegistry("units:\n  - {code: A, name: A, owner: IN, kind: ship, beam_m: \"3\"}\n",
                                Format::kYaml, "r.yaml")
                      .status();
  ExpectInvalid(quoted, "r.yaml:2: $.units[0].beam_m: must be a number", "beam_m");
}

TEST_F(RegistryFileTest, SyntaxErrorsNameFileAndLine) {
  Status yaml = ParseRegistry("parties:\n  - code: IN\n    name: [unclosed\n", Format::kYaml, "r.yaml").status();
  EXPECT_EQ(yaml.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(yaml.message().substr(0, 7), "r.yaml:") << yaml;
  Status dup = ParseRegistry("parties:\n  - code: IN\n    code: RU\n", Format::kYaml, "r.yaml").status();
  ExpectInvalid(dup, "r.yaml:3: duplicate key 'code'", "yaml");
  Status json = ParseRegistry("{\n  \"parties\": [\n    {\"code\": \"IN\",}\n  ]\n}\n", Format::kJson, "r.json").status();
  ExpectInvalid(json, "r.json:3: ", "json");
  Status json_dup = ParseRegistry(R"({"parties": [{"code": "IN"}, {"code": "RU", "code": "IN"}]})", Format::kJson,
                                  "r.json")
                        .status();
  ExpectInvalid(json_dup, "r.json: $.parties[1].code: duplicate key", "json");
}

TEST_F(RegistryFileTest, FileErrors) {
  EXPECT_EQ(ReadRegistryFile((dir_ / "absent.json").string()).status().code(), StatusCode::kNotFound);
  ExpectInvalid(ReadRegistryFile(Write("r.toml", "")).status(), (dir_ / "r.toml").string() + ": unknown registry file type",
                "file");
  Status decode = ReadRegistryFile(Write("r.json", R"({"parties": [{"code": "IN"}]})")).status();
  ExpectInvalid(decode, (dir_ / "r.json").string() + ": $.parties[0].name: is required", "name");
}

TEST_F(RegistryFileTest, FacilitiesCsvRoundTrips) {
  std::vector<registry::Facility> facilities = SampleRegistry().facilities;
  facilities[0].name = "Quote \" and, comma\nand a line break";
  auto csv = WriteFacilitiesCsv(facilities);
  ASSERT_TRUE(csv.ok()) << csv.status();
  auto back = ReadFacilitiesCsv(Write("f.csv", *csv));
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << *csv;
  EXPECT_EQ(*back, facilities);
}

TEST_F(RegistryFileTest, FacilitiesCsvReadsHandWrittenRows) {
  std::string csv =
      "name,code,owner,kind,lat,lon,aircraft_stands,maintenance_bays,beds,accommodation,berths,fuel,prices,illustrative\r\n"
      "\"Mumbai, \"\"Naval Dockyard\"\"\",IN-MUM,IN,naval-base,18.9333,72.85,,2,,,B1:250:10.5;B2:180:9,"
      "F-76:1200 tonne:5000 tonne,FUEL-F76:95000.00 INR:2025-01-01;FUEL-F76:96000.00 INR:2025-06-01T12:00:00Z,\r\n";
  auto back = ParseFacilitiesCsv(csv, "f.csv");
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  const registry::Facility& f = (*back)[0];
  EXPECT_EQ(f.name, "Mumbai, \"Naval Dockyard\"");
  EXPECT_EQ(f.code, "IN-MUM");
  EXPECT_EQ(f.capacities, (std::map<registry::CapacityKind, int64_t>{{registry::CapacityKind::kMaintenanceBays, 2}}));
  EXPECT_EQ(f.berths, (std::vector<registry::Berth>{{"B1", 250, 10.5}, {"B2", 180, 9}}));
  ASSERT_EQ(f.prices.size(), 2u);
  EXPECT_EQ(f.prices[1].valid_from, testing::T("2025-06-01T12:00:00Z"));
  EXPECT_TRUE(f.illustrative);
}

TEST_F(RegistryFileTest, FacilitiesCsvErrorsNameLineAndColumn) {
  const std::string header =
      "code,name,owner,kind,lat,lon,aircraft_stands,maintenance_bays,beds,accommodation,berths,fuel,prices,illustrative\n";
  const std::string good = "A,A,IN,port,1,2,,,,,,,,\n";
  auto parse = [&](const std::string& row) { return ParseFacilitiesCsv(header + good + row, "f.csv").status(); };
  ExpectInvalid(parse("B,B,IN,port,1,2,,,,,B1:250:0,,,\n"),
                "f.csv:3: column berths: $.berths[0].max_draught_m: must be a number > 0", "berths");
  ExpectInvalid(parse("B,B,IN,port,1,2,,,,,B1:250,,,\n"), "f.csv:3: column berths: item 1 'B1:250' must be", "berths");
  ExpectInvalid(parse("B,B,IN,port,95,2,,,,,,,,\n"), "f.csv:3: column lat: $.position.lat: ", "lat");
  ExpectInvalid(parse("B,B,IN,port,north,2,,,,,,,,\n"), "f.csv:3: column lat: 'north' must be a number", "lat");
  ExpectInvalid(parse("B,B,IN,port,1,2,x,,,,,,,\n"), "f.csv:3: column aircraft_stands: 'x' must be a whole number",
                "aircraft_stands");
  ExpectInvalid(parse("B,B,IN,port,1,2,,,-3,,,,,\n"), "f.csv:3: column beds: $.capacities.beds: ", "beds");
  ExpectInvalid(parse("B,B,IN,port,1,2,,,,,,F-76:1 gallon:2 tonne,,\n"), "f.csv:3: column fuel: $.fuel[0].on_hand: ",
                "fuel");
  ExpectInvalid(parse("B,B,IN,castle,1,2,,,,,,,,\n"), "f.csv:3: column kind: $.kind: ", "kind");
  ExpectInvalid(parse("B,B,IN,port,1,2,,,,,,,,maybe\n"), "f.csv:3: column illustrative: ", "illustrative");
  ExpectInvalid(parse("B,B,IN,port,1,2\n"), "f.csv:3: expected 14 cells, found 6", "csv");
  ExpectInvalid(parse("B,\"unterminated,IN,port\n"), "f.csv:3: unterminated quoted cell", "csv");
  ExpectInvalid(parse("B,\"x\"y,IN,port,1,2,,,,,,,,\n"), "f.csv:3: text after a closing quote", "csv");
  // A quoted cell with a line break moves the line count on.
  ExpectInvalid(parse("B,\"two\nlines\",IN,port,1,2,,,,,,,,\nC,C,IN,port,1,2,,,,,,,,nope\n"),
                "f.csv:5: column illustrative: ", "illustrative");
  ExpectInvalid(ParseFacilitiesCsv("code,name\n", "f.csv").status(), "f.csv:1: missing column 'owner'", "owner");
  ExpectInvalid(ParseFacilitiesCsv(header.substr(0, header.size() - 1) + ",colour\n", "f.csv").status(),
                "f.csv:1: unknown column 'colour'", "colour");
}

TEST_F(RegistryFileTest, FacilitiesCsvRefusesWhatTheCellSyntaxCannotCarry) {
  registry::Facility f = SampleFacility();
  f.berths[0].id = "B:1";
  ExpectInvalid(WriteFacilitiesCsv({f}).status(), "facility RU-VLD: berth id 'B:1'", "berth id");
}

}  // namespace
}  // namespace relos::codec
