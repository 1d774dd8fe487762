#include "common/format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vivae {

std::string fmt(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  for (int prec = 6; prec <= 17; ++prec) {  // shortest form that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

std::string fmt_fixed(double x, int digits) {
  if (!std::isfinite(x)) return fmt(x);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double x) { return std::isfinite(x) ? fmt(x) : json_escape(fmt(x)); }

Json& Json::num(const std::string& k, double x) { fields.emplace_back(k, json_number(x)); return *this; }
Json& Json::integer(const std::string& k, long long x) { fields.emplace_back(k, std::to_string(x)); return *this; }
Json& Json::str(const std::string& k, const std::string& s) { fields.emplace_back(k, json_escape(s)); return *this; }
Json& Json::boolean(const std::string& k, bool b) { fields.emplace_back(k, b ? "true" : "false"); return *this; }
Json& Json::obj(const std::string& k, const Json& j) { fields.emplace_back(k, "\x01" + j.render(0)); return *this; }

std::string Json::render(int indent) const {
  // Nested objects are stored pre-rendered at indent 0 and re-indented here.
  const std::string pad(indent + 2, ' ');
  std::string out = "{\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string v = fields[i].second;
    if (!v.empty() && v[0] == '\x01') {
      std::string nested;
      for (char c : v.substr(1)) {
        nested += c;
        if (c == '\n') nested += pad;
      }
      v = nested;
    }
    out += pad + json_escape(fields[i].first) + ": " + v + (i + 1 < fields.size() ? ",\n" : "\n");
  }
  return out + std::string(indent, ' ') + "}";
}

}  // namespace vivae
