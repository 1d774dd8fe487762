#include "vae/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "common/binary.hpp"
#include "common/errors.hpp"
#include "common/json.hpp"

namespace vivae {

namespace {

constexpr uint64_t kMaxHeader = 100000000;  // the format's own limit

// Bytes per element of every dtype the format defines (0: not a dtype of the format).
uint64_t dtype_size(const std::string& d) {
  static const std::map<std::string, uint64_t> sizes = {
      {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"I16", 2},  {"U16", 2}, {"F16", 2},
      {"BF16", 2}, {"I32", 4}, {"U32", 4}, {"F32", 4},     {"F64", 8},     {"I64", 8},  {"U64", 8}};
  const auto it = sizes.find(d);
  return it == sizes.end() ? 0 : it->second;
}

double element_at(const char* p, const std::string& dtype) {
  if (dtype == "F64") {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  if (dtype == "F32") {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  uint16_t h;
  std::memcpy(&h, p, 2);
  return dtype == "F16" ? half_to_float(h) : bfloat16_to_float(h);
}

uint64_t checked_product(const std::vector<uint64_t>& v, uint64_t factor, bool& overflow) {
  uint64_t n = factor;
  for (uint64_t d : v) {
    if (d != 0 && n > UINT64_MAX / d) overflow = true;
    n *= d;
  }
  return n;
}

struct Entry {
  std::string name, dtype;
  std::vector<uint64_t> shape;
  uint64_t begin = 0, end = 0;
};

}  // namespace

TensorFile parse_safetensors(const std::string& bytes, const std::string& name) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "' is not a valid safetensors file: " + why); };
  if (bytes.size() < 8) throw fail("shorter than its 8-byte header length (" + std::to_string(bytes.size()) + " bytes)");
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  if (n > kMaxHeader) throw fail("header length " + std::to_string(n) + " is over the format's limit of 100,000,000 bytes");
  if (n > bytes.size() - 8)
    throw fail("header length " + std::to_string(n) + " runs past the end of the file (" + std::to_string(bytes.size()) +
               " bytes)");
  const std::string header = bytes.substr(8, n);
  if (header.empty() || header[0] != '{') throw fail("the header does not start with '{'");
  std::set<std::string> seen;
  std::string duplicate;
  Json j;
  try {
    j = Json::parse(header, [&](int depth, Json::parse_event_t event, Json& parsed) {
      if (event == Json::parse_event_t::key && depth == 1 && !seen.insert(parsed.get<std::string>()).second)
        duplicate = parsed.get<std::string>();
      return true;
    });
  } catch (const Json::exception& e) {
    throw fail(std::string("the header is not JSON (") + e.what() + ")");
  }
  if (!duplicate.empty()) throw fail("the name '" + duplicate + "' appears twice in the header");
  if (!j.is_object()) throw fail("the header is not a JSON object");

  TensorFile out;
  out.format = "safetensors";
  std::vector<Entry> entries;
  for (const auto& [key, v] : j.items()) {
    if (key == "__metadata__") {
      if (!v.is_object()) throw fail("__metadata__ is not an object of strings");
      for (const auto& [mk, mv] : v.items()) {
        if (!mv.is_string()) throw fail("__metadata__ entry '" + mk + "' is not a string");
        out.metadata[mk] = mv.get<std::string>();
      }
      continue;
    }
    const std::string what = "tensor '" + key + "'";
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
      throw fail(what + " lacks dtype, shape or data_offsets");
    Entry e;
    e.name = key;
    if (!v["dtype"].is_string() || dtype_size(v["dtype"].get<std::string>()) == 0) throw fail(what + " has no known dtype");
    e.dtype = v["dtype"].get<std::string>();
    if (!v["shape"].is_array()) throw fail(what + ": shape is not a list");
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) throw fail(what + ": shape has an entry that is not a non-negative integer");
      e.shape.push_back(d.get<uint64_t>());
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      throw fail(what + ": data_offsets is not a pair of non-negative integers");
    e.begin = off[0].get<uint64_t>();
    e.end = off[1].get<uint64_t>();
    entries.push_back(std::move(e));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  uint64_t at = 0;
  for (const Entry& e : entries) {
    const std::string what = "tensor '" + e.name + "'";
    if (e.begin != at)
      throw fail(what + " starts at byte " + std::to_string(e.begin) + " of the data, not " + std::to_string(at) +
                 (e.begin < at ? " (it overlaps the tensor before it)" : " (a gap before it)"));
    if (e.end < e.begin) throw fail(what + " ends before it begins");
    bool overflow = false;
    const uint64_t want = checked_product(e.shape, dtype_size(e.dtype), overflow);
    if (overflow) throw fail(what + ": its shape's size overflows");
    if (e.end - e.begin != want)
      throw fail(what + " holds " + std::to_string(e.end - e.begin) + " bytes, but its shape " + shape_text(e.shape) +
                 " of " + e.dtype + " needs " + std::to_string(want));
    at = e.end;
  }
  const uint64_t data_size = bytes.size() - 8 - n;
  if (at > data_size)
    throw fail("the tensors' data runs past the end of the file (to byte " + std::to_string(at) + " of a " +
               std::to_string(data_size) + "-byte buffer; truncated?)");
  if (at < data_size)
    throw fail("the tensors' data ends at byte " + std::to_string(at) + " of a " + std::to_string(data_size) +
               "-byte buffer (trailing bytes, or a tensor missing from the header)");
  const char* data = bytes.data() + 8 + n;
  // In the header's order (a writer's order, which names the tensors as the user wrote them).
  std::vector<std::string> header_order;
  for (const auto& [key, v] : j.items())
    if (key != "__metadata__") header_order.push_back(key);
  for (const std::string& key : header_order) {
    const Entry& e = *std::find_if(entries.begin(), entries.end(), [&](const Entry& x) { return x.name == key; });
    if (e.dtype != "F64" && e.dtype != "F32" && e.dtype != "F16" && e.dtype != "BF16")
      throw DataError("'" + name + "': tensor '" + e.name + "' is " + e.dtype +
                      "; a model's weights must be F32 or F64 (or F16, BF16)");
    NamedTensor t;
    t.name = e.name;
    t.shape = e.shape;
    t.dtype = e.dtype;
    const uint64_t count = t.elements(), size = dtype_size(e.dtype);
    t.values.resize(count);
    for (uint64_t i = 0; i < count; ++i) t.values[i] = element_at(data + e.begin + i * size, e.dtype);
    out.tensors.push_back(std::move(t));
  }
  return out;
}

std::string serialise_safetensors(const std::vector<NamedTensor>& tensors, const std::string& dtype,
                                  const std::map<std::string, std::string>& metadata) {
  const uint64_t size = dtype == "F64" ? 8 : 4;
  // Every tensor has the same dtype here, so the writer's order is the order by name.
  std::vector<const NamedTensor*> order;
  for (const NamedTensor& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const NamedTensor* a, const NamedTensor* b) { return a->name < b->name; });
  Json header = Json::object();
  if (!metadata.empty()) {
    Json m = Json::object();
    for (const auto& [k, v] : metadata) m[k] = v;
    header["__metadata__"] = m;
  }
  BinaryWriter data;
  for (const NamedTensor* t : order) {
    const uint64_t begin = data.bytes.size();
    for (double v : t->values) {
      if (size == 8) data.put<double>(v);
      else data.put<float>(static_cast<float>(v));
    }
    Json info;
    info["dtype"] = dtype;
    info["shape"] = t->shape;
    info["data_offsets"] = {begin, static_cast<uint64_t>(data.bytes.size())};
    header[t->name] = info;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  BinaryWriter out;
  out.put<uint64_t>(text.size());
  out.put_raw(text.data(), text.size());
  out.put_raw(data.bytes.data(), data.bytes.size());
  return out.bytes;
}

}  // namespace vivae
