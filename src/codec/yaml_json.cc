#include "yaml_json.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <regex>

#include <yaml-cpp/yaml.h>

namespace relos::codec::internal {
namespace {

constexpr int kMaxDepth = 64;

// YAML 1.2 core schema resolution of a plain scalar. Returns the string
// itself when it is none of the other types.
Json ResolvePlain(const std::string& s) {
  static const std::regex kNull("null|Null|NULL|~|");
  static const std::regex kTrue("true|True|TRUE");
  static const std::regex kFalse("false|False|FALSE");
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  static const std::regex kInf(R"([-+]?\.(inf|Inf|INF))");
  static const std::regex kNan(R"(\.(nan|NaN|NAN))");
  if (std::regex_match(s, kNull)) return nullptr;
  if (std::regex_match(s, kTrue)) return true;
  if (std::regex_match(s, kFalse)) return false;
  if (std::regex_match(s, kInt)) {
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
    // Too large for int64: fall through to a float so the decoders can say
    // "must be a whole number" instead of silently reading a string.
  }
  if (std::regex_match(s, kFloat) || std::regex_match(s, kInt)) {
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    double v = 0;
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
    return std::numeric_limits<double>::infinity();  // overflow
  }
  if (std::regex_match(s, kInf)) return s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (std::regex_match(s, kNan)) return std::numeric_limits<double>::quiet_NaN();
  return s;
}

Status LineError(const YAML::Mark& mark, const std::string& reason) {
  return InvalidArgument(std::to_string(mark.line + 1) + ": " + reason, "yaml");
}

Status Convert(const YAML::Node& node, const std::string& path, int depth, YamlDocument* doc, Json* out) {
  if (depth > kMaxDepth) return LineError(node.Mark(), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = nullptr;
      return OkStatus();
    case YAML::NodeType::Scalar:
      // "!" is the tag yaml-cpp gives quoted (non-plain) scalars.
      *out = node.Tag() == "!" ? Json(node.Scalar()) : ResolvePlain(node.Scalar());
      return OkStatus();
    case YAML::NodeType::Sequence: {
      *out = Json::array();
      size_t i = 0;
      for (const auto& item : node) {
        std::string item_path = path + "[" + std::to_string(i++) + "]";
        doc->lines.emplace(item_path, item.Mark().line + 1);
        Json v;
        RETURN_IF_ERROR(Convert(item, item_path, depth + 1, doc, &v));
        out->push_back(std::move(v));
      }
      return OkStatus();
    }
    case YAML::NodeType::Map: {
      *out = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) return LineError(kv.first.Mark(), "a mapping key must be a plain value");
        const std::string& key = kv.first.Scalar();
        if (out->contains(key)) return LineError(kv.first.Mark(), "duplicate key '" + key + "'");
        std::string member_path = path + "." + key;
        doc->lines.emplace(member_path, kv.first.Mark().line + 1);
        Json v;
        RETURN_IF_ERROR(Convert(kv.second, member_path, depth + 1, doc, &v));
        (*out)[key] = std::move(v);
      }
      return OkStatus();
    }
  }
  return OkStatus();
}

void Emit(const Json& j, YAML::Emitter& out) {
  switch (j.type()) {
    case Json::value_t::object:
      // Empty collections in flow style ("{}", "[]"): block style has no
      // spelling for them.
      if (j.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key;
        if (!ResolvePlain(k).is_string()) out << YAML::DoubleQuoted;
        out << k << YAML::Value;
        Emit(v, out);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (j.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& v : j) Emit(v, out);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (!ResolvePlain(s).is_string()) out << YAML::DoubleQuoted;
      out << s;
      return;
    }
    case Json::value_t::null:
    case Json::value_t::discarded:
      out << YAML::Null;
      return;
    case Json::value_t::boolean:
      out << (j.get<bool>() ? "true" : "false");
      return;
    default:
      // Numbers: JSON's spelling is valid YAML 1.2 and keeps the
      // shortest round-trip form of doubles ("10.5", "250.0").
      out << j.dump();
      return;
  }
}

bool ValidUtf8(const Json& j) {
  try {
    (void)j.dump();
    return true;
  } catch (const Json::type_error&) {
    return false;
  }
}

}  // namespace

int YamlDocument::LineOf(std::string path) const {
  while (!path.empty()) {
    auto it = lines.find(path);
    if (it != lines.end()) return it->second;
    size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) break;
    path.resize(cut);
  }
  return lines.empty() ? 0 : 1;
}

Result<YamlDocument> YamlToJson(const std::string& text) {
  YamlDocument doc;
  try {
    YAML::Node root = YAML::Load(text);
    doc.lines.emplace("$", root.Mark().line < 0 ? 1 : root.Mark().line + 1);
    RETURN_IF_ERROR(Convert(root, "$", 0, &doc, &doc.json));
  } catch (const YAML::Exception& e) {
    // Some yaml-cpp exceptions carry no position (line -1).
    if (e.mark.line < 0) return InvalidArgument(e.msg, "yaml");
    return LineError(e.mark, e.msg);
  }
  return doc;
}

Result<std::string> JsonToYaml(const Json& j) {
  if (!ValidUtf8(j)) return InvalidArgument("a string is not valid UTF-8", "utf8");
  YAML::Emitter out;
  out.SetIndent(2);
  Emit(j, out);
  if (!out.good()) return Internal("YAML emitter failed: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace relos::codec::internal
