// The JSON files the programs write (summary.json) and read back, through nlohmann/json:
// objects keep their keys in insertion order, numbers print in their shortest form that reads
// back exactly, and a double that JSON cannot hold (±∞, NaN) is written as the string "inf",
// "-inf" or "nan" and read back as that value.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace vivae {

using Json = nlohmann::ordered_json;

// x as a JSON value: a number, or "inf", "-inf", "nan".
Json json_number(double x);
// Two-space indented text with a final newline.
std::string json_text(const Json& j);

// DataError naming `name` (a file) when the text is not JSON.
Json parse_json(const std::string& text, const std::string& name);
Json read_json(const std::string& path);

// The value at a dotted path of nested objects ("heldout.elbo"); DataError naming `name` and
// the path when it is absent or of another type. number_at accepts the strings above.
double number_at(const Json& j, const std::string& path, const std::string& name);
std::string string_at(const Json& j, const std::string& path, const std::string& name);

}  // namespace vivae
