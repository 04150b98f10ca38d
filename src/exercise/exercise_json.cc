// The JSON document of an exercise, through the codec's readers so that
// errors name the JSON path and the field as registry files do.
#include "codec/json_decode.h"
#include "codec/yaml_json.h"
#include "relos/exercise/exercise.h"

namespace relos::exercise {

using codec::Json;
using codec::internal::ObjectReader;
using codec::internal::Path;

std::string_view Name(ExerciseStatus s) {
  switch (s) {
    case ExerciseStatus::kPlanned: return "planned";
    case ExerciseStatus::kActive: return "active";
    case ExerciseStatus::kCompleted: return "completed";
    case ExerciseStatus::kCancelled: return "cancelled";
  }
  return "?";
}

Result<ExerciseStatus> ParseExerciseStatus(std::string_view s) {
  for (auto v : {ExerciseStatus::kPlanned, ExerciseStatus::kActive, ExerciseStatus::kCompleted,
                 ExerciseStatus::kCancelled}) {
    if (Name(v) == s) return v;
  }
  return InvalidArgument("status: unknown exercise status '" + std::string(s) +
                             "' (planned, active, completed, cancelled)",
                         "status");
}

namespace {

Json Enc(const Timestamp& t) { return t.ToIso8601(); }

Json ToJson(const PlannedLine& l) {
  Json j{{"item", l.item}, {"quantity", l.quantity.ToString()}, {"note", l.note}};
  if (l.start) j["start"] = Enc(*l.start);
  if (l.end) j["end"] = Enc(*l.end);
  return j;
}

Json ToJson(const PortCall& c) {
  Json lines = Json::array();
  for (const auto& l : c.lines) lines.push_back(ToJson(l));
  Json j{{"unit", c.unit},         {"facility", c.facility}, {"arrive", Enc(c.arrive)},
         {"depart", Enc(c.depart)}, {"priority", c.priority}, {"lines", lines}};
  if (c.latest_departure) j["latest_departure"] = Enc(*c.latest_departure);
  return j;
}

Json ToJson(const Exercise& e) {
  Json calls = Json::array();
  for (const auto& c : e.calls) calls.push_back(ToJson(c));
  return Json{{"code", e.code},
              {"name", e.name},
              {"purpose", std::string(registry::Name(e.purpose))},
              {"description", e.description},
              {"agreement", e.agreement},
              {"start", Enc(e.start)},
              {"end", Enc(e.end)},
              {"parties", e.parties},
              {"units", e.units},
              {"facilities", e.facilities},
              {"calls", calls},
              {"status", std::string(Name(e.status))},
              {"version", e.version},
              {"created_at", Enc(e.created_at)},
              {"updated_at", Enc(e.updated_at)}};
}

}  // namespace

// Found by argument-dependent lookup from the codec's container decoders.
Status Decode(const Json& j, const Path& at, ExerciseStatus* out) {
  if (!j.is_string()) return at.Error("must be a string");
  auto s = ParseExerciseStatus(j.get<std::string>());
  if (!s.ok()) return at.Error(s.status().message());
  *out = *s;
  return OkStatus();
}

Status Decode(const Json& j, const Path& at, PlannedLine* out) {
  ObjectReader r(j, at);
  r.Required("item", &out->item);
  r.Required("quantity", &out->quantity);
  r.Optional("start", &out->start);
  r.Optional("end", &out->end);
  r.Optional("note", &out->note);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, PortCall* out) {
  ObjectReader r(j, at);
  r.Required("unit", &out->unit);
  r.Required("facility", &out->facility);
  r.Required("arrive", &out->arrive);
  r.Required("depart", &out->depart);
  r.Optional("latest_departure", &out->latest_departure);
  r.Count("priority", codec::internal::Range::kPositive, &out->priority, false);
  r.Optional("lines", &out->lines);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, Exercise* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("name", &out->name);
  r.Required("purpose", &out->purpose);
  r.Optional("description", &out->description);
  r.Required("agreement", &out->agreement);
  r.Required("start", &out->start);
  r.Required("end", &out->end);
  r.Required("parties", &out->parties);
  r.Optional("units", &out->units);
  r.Optional("facilities", &out->facilities);
  r.Optional("calls", &out->calls);
  r.Optional("status", &out->status);
  r.Count("version", codec::internal::Range::kNonNegative, &out->version, false);
  r.Optional("created_at", &out->created_at);
  r.Optional("updated_at", &out->updated_at);
  return r.Finish();
}

std::string ToJsonText(const Exercise& e) { return codec::Canonical(ToJson(e)); }

namespace {

Result<Exercise> FromJson(const Json& j, const std::string& source) {
  Exercise e;
  Status s = Decode(j, codec::internal::RootPath("$"), &e);
  if (!s.ok()) return InvalidArgument(source + ": " + s.message(), s.reason());
  return e;
}

}  // namespace

Result<Exercise> ExerciseFromJsonText(const std::string& json, const std::string& source) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument(source + ": not a JSON document", "json");
  return FromJson(j, source);
}

Result<Exercise> ParseExerciseFile(const std::string& text, bool yaml, const std::string& source) {
  if (!yaml) return ExerciseFromJsonText(text, source);
  auto doc = codec::internal::YamlToJson(text);
  if (!doc.ok()) return InvalidArgument(source + ":" + doc.status().message(), "yaml");
  auto e = FromJson(doc->json, source);
  if (!e.ok()) {
    // Name the line as registry files do: the path is the message's first word.
    const std::string m = e.status().message();  // status() returns a copy
    const std::string path = m.substr(source.size() + 2, m.find(':', source.size() + 2) - source.size() - 2);
    const int line = doc->LineOf(path);
    if (line > 0) {
      return InvalidArgument(source + ":" + std::to_string(line) + ": " + m.substr(source.size() + 2),
                             e.status().reason());
    }
  }
  return e;
}

}  // namespace relos::exercise
