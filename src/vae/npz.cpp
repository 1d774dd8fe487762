#include "vae/npz.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>

#include "common/errors.hpp"

namespace vivae {

namespace {

constexpr uint64_t kMaxMember = uint64_t{64} << 20;  // bytes, inflated: 300× the homework's model
constexpr uint64_t kMaxTotal = uint64_t{64} << 20;
constexpr uint64_t kMaxMembers = 10000;

DataError npz_error(const std::string& name, const std::string& why) {
  return DataError("'" + name + "' is not a valid .npz file: " + why);
}

// The npy header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (128, 196), }.
struct NpyHeader {
  std::string descr;
  bool fortran = false, has_descr = false, has_order = false, has_shape = false;
  std::vector<uint64_t> shape;
};

struct DictReader {
  const std::string& s;
  size_t at = 0;
  void skip() {
    while (at < s.size() && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r')) ++at;
  }
  bool eat(char c) {
    skip();
    if (at < s.size() && s[at] == c) {
      ++at;
      return true;
    }
    return false;
  }
  bool string(std::string& out) {
    skip();
    if (at >= s.size() || (s[at] != '\'' && s[at] != '"')) return false;
    const char q = s[at++];
    const size_t end = s.find(q, at);
    if (end == std::string::npos) return false;
    out = s.substr(at, end - at);
    at = end + 1;
    return true;
  }
  bool word(const char* w) {
    skip();
    const size_t n = std::strlen(w);
    if (s.compare(at, n, w) != 0) return false;
    at += n;
    return true;
  }
  bool integer(uint64_t& v) {
    skip();
    const size_t from = at;
    v = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      if (v > (UINT64_MAX - 9) / 10) return false;
      v = v * 10 + static_cast<uint64_t>(s[at++] - '0');
    }
    if (at < s.size() && s[at] == 'L') ++at;  // Python 2's long
    return at > from;
  }
  bool tuple(std::vector<uint64_t>& out) {
    if (!eat('(')) return false;
    while (!eat(')')) {
      uint64_t v;
      if (!integer(v)) return false;
      out.push_back(v);
      if (!eat(',') && !(skip(), at < s.size() && s[at] == ')')) return false;
    }
    return true;
  }
};

NpyHeader parse_header(const std::string& text, const std::string& where) {
  NpyHeader h;
  DictReader r{text};
  auto bad = [&](const std::string& why) { return DataError(where + ": " + why); };
  if (!r.eat('{')) throw bad("its header is not a dict");
  while (!r.eat('}')) {
    std::string key;
    if (!r.string(key) || !r.eat(':')) throw bad("its header is not a dict of 'key': value");
    if (key == "descr") {
      if (!r.string(h.descr)) throw bad("'descr' is not a string (a structured dtype?)");
      h.has_descr = true;
    } else if (key == "fortran_order") {
      if (r.word("True")) h.fortran = true;
      else if (!r.word("False")) throw bad("'fortran_order' is not True or False");
      h.has_order = true;
    } else if (key == "shape") {
      if (!r.tuple(h.shape)) throw bad("'shape' is not a tuple of integers");
      h.has_shape = true;
    } else {
      throw bad("its header has an unknown key '" + key + "'");
    }
    if (!r.eat(',') && !(r.skip(), r.at < text.size() && text[r.at] == '}')) throw bad("its header is not a dict");
  }
  if (!h.has_descr || !h.has_order || !h.has_shape) throw bad("its header lacks descr, fortran_order or shape");
  return h;
}

}  // namespace

NamedTensor parse_npy(const std::string& b, const std::string& member, const std::string& name) {
  const std::string where = "'" + name + "': member '" + member + "'";
  auto bad = [&](const std::string& why) { return DataError(where + ": " + why); };
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) throw bad("not a .npy array (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(b[6]);
  size_t len = 0, at = 0;
  if (major == 1) {
    len = static_cast<unsigned char>(b[8]) | (static_cast<size_t>(static_cast<unsigned char>(b[9])) << 8);
    at = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) throw bad("truncated header");
    uint32_t l;
    std::memcpy(&l, b.data() + 8, 4);
    len = l;
    at = 12;
  } else {
    throw bad("npy format version " + std::to_string(major) + " is not 1, 2 or 3");
  }
  if (len > b.size() - at) throw bad("its header runs past the end of the member");
  const NpyHeader h = parse_header(b.substr(at, len), where);
  at += len;
  const std::string& d = h.descr;
  if (d == "|O" || d == "O") throw bad("holds Python objects (pickled), not numbers");
  if (d.size() < 3 || (d[0] != '<' && d[0] != '>' && d[0] != '=' && d[0] != '|') || d[1] != 'f' ||
      (d.substr(2) != "8" && d.substr(2) != "4" && d.substr(2) != "2"))
    throw bad("its dtype '" + d + "' is not a float of 8, 4 or 2 bytes (weights must be floats)");
  const size_t size = static_cast<size_t>(d[2] - '0');
  const bool swap = d[0] == '>';
  NamedTensor t;
  t.name = member;
  t.shape = h.shape;
  t.dtype = size == 8 ? "F64" : size == 4 ? "F32" : "F16";
  uint64_t count = 1;
  for (uint64_t dim : t.shape) {
    if (dim != 0 && count > UINT64_MAX / dim) throw bad("its shape's size overflows");
    count *= dim;
  }
  if (count > (b.size() - at) / size || count * size != b.size() - at)
    throw bad("holds " + std::to_string(b.size() - at) + " data bytes, but its shape " + shape_text(t.shape) + " of " +
              std::to_string(size) + "-byte floats needs " + (count <= UINT64_MAX / size ? std::to_string(count * size) : "more"));
  t.values.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    char e[8];
    std::memcpy(e, b.data() + at + i * size, size);
    if (swap) std::reverse(e, e + size);
    if (size == 8) std::memcpy(&t.values[i], e, 8);
    else if (size == 4) {
      float f;
      std::memcpy(&f, e, 4);
      t.values[i] = f;
    } else {
      uint16_t hbits;
      std::memcpy(&hbits, e, 2);
      t.values[i] = half_to_float(hbits);
    }
  }
  if (h.fortran && t.shape.size() == 2) {  // column-major (rows, cols) → row-major
    const uint64_t rows = t.shape[0], cols = t.shape[1];
    std::vector<double> c(count);
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t k = 0; k < cols; ++k) c[r * cols + k] = t.values[k * rows + r];
    t.values = std::move(c);
  } else if (h.fortran && t.shape.size() > 2) {
    throw bad("a Fortran-ordered array of more than 2 dimensions");
  }
  return t;
}

TensorFile parse_npz(const std::string& bytes, const std::string& name) {
  if (bytes.empty()) throw npz_error(name, "the file is empty, not a zip archive");
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) throw npz_error(name, zip_error_strerror(&err));
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!za) {
    const std::string why = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    throw npz_error(name, "not a zip archive (" + why + ")");
  }
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive(za, [](zip_t* z) { zip_discard(z); });
  const zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0 || static_cast<uint64_t>(n) > kMaxMembers) throw npz_error(name, "implausibly many members");
  TensorFile out;
  out.format = "npz";
  std::set<std::string> names;
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE))
      throw npz_error(name, "cannot read member " + std::to_string(i) + " (" + zip_strerror(za) + ")");
    std::string member = st.name;
    if (!member.empty() && member.back() == '/') continue;  // a folder entry
    if (member.size() < 5 || member.compare(member.size() - 4, 4, ".npy") != 0)
      throw npz_error(name, "member '" + member + "' is not a .npy array");
    member.resize(member.size() - 4);
    if (!names.insert(member).second) throw npz_error(name, "member '" + member + ".npy' appears twice");
    if (st.size > kMaxMember || total + st.size > kMaxTotal)
      throw npz_error(name, "member '" + member + ".npy' inflates to " + std::to_string(st.size) +
                                " bytes, over the bound of " + std::to_string(kMaxTotal) + " for a model (a zip bomb?)");
    total += st.size;
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0), zip_fclose);
    if (!f) throw npz_error(name, "cannot open member '" + member + ".npy' (" + zip_strerror(za) + ")");
    std::string data(static_cast<size_t>(st.size) + 1, '\0');
    zip_uint64_t got = 0;
    while (got < data.size()) {
      const zip_int64_t r = zip_fread(f.get(), data.data() + got, data.size() - got);
      if (r < 0) throw npz_error(name, "member '" + member + ".npy' is corrupt (" + zip_file_strerror(f.get()) + ")");
      if (r == 0) break;
      got += static_cast<zip_uint64_t>(r);
    }
    if (got != st.size)
      throw npz_error(name, "member '" + member + ".npy' inflates to other than its declared " + std::to_string(st.size) +
                                " bytes");
    data.resize(static_cast<size_t>(st.size));
    out.tensors.push_back(parse_npy(data, member, name));
  }
  if (out.tensors.empty()) throw npz_error(name, "it holds no arrays");
  return out;
}

}  // namespace vivae
