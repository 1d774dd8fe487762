#include "vae/model_io.hpp"

#include <cstring>

#include "common/errors.hpp"

namespace vivae {

uint64_t fnv1a(const char* data, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<uint8_t>(data[i]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {
constexpr char kMagic[8] = {'V', 'I', 'V', 'A', 'E', 'M', 'B', '1'};

template <class U>
void put(std::string& s, U v) {
  char buf[sizeof(U)];
  std::memcpy(buf, &v, sizeof(U));  // x86-64 and aarch64 are little-endian
  s.append(buf, sizeof(U));
}

struct Reader {
  const std::string& s;
  const std::string& name;
  size_t at = 0;
  template <class U>
  U get() {
    if (at + sizeof(U) > s.size()) throw DataError("'" + name + "' is truncated at byte " + std::to_string(at));
    U v;
    std::memcpy(&v, s.data() + at, sizeof(U));
    at += sizeof(U);
    return v;
  }
};
}  // namespace

template <class T>
std::string serialise_model(const Params<T>& p, const Widths& w) {
  std::string s(kMagic, 8);
  put<uint32_t>(s, 1);
  put<uint32_t>(s, sizeof(T));
  for (int v : {w.input, w.enc_hidden, w.latent, w.dec_hidden}) put<uint32_t>(s, static_cast<uint32_t>(v));
  for (const arma::Mat<T>* m : tensors(p)) {
    put<uint32_t>(s, static_cast<uint32_t>(m->n_rows));
    put<uint32_t>(s, static_cast<uint32_t>(m->n_cols));
    s.append(reinterpret_cast<const char*>(m->memptr()), m->n_elem * sizeof(T));
  }
  put<uint64_t>(s, fnv1a(s.data(), s.size()));
  return s;
}
template std::string serialise_model<float>(const Params<float>&, const Widths&);
template std::string serialise_model<double>(const Params<double>&, const Widths&);

LoadedModel parse_model(const std::string& bytes, const std::string& name) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "' is not a valid model file: " + why); };
  if (bytes.size() < 8 + 8 + 16 + 8 || std::memcmp(bytes.data(), kMagic, 8) != 0) throw fail("bad magic");
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  if (fnv1a(bytes.data(), bytes.size() - 8) != stored) throw fail("checksum mismatch (corrupt or truncated)");
  Reader r{bytes, name, 8};
  if (r.get<uint32_t>() != 1) throw fail("unsupported format version");
  LoadedModel out;
  out.element_bytes = static_cast<int>(r.get<uint32_t>());
  if (out.element_bytes != 4 && out.element_bytes != 8) throw fail("element size must be 4 or 8");
  int* widths[] = {&out.widths.input, &out.widths.enc_hidden, &out.widths.latent, &out.widths.dec_hidden};
  for (int* v : widths) {
    const uint32_t x = r.get<uint32_t>();
    if (x == 0 || x > 100000) throw fail("implausible width " + std::to_string(x));
    *v = static_cast<int>(x);
  }
  out.params = zeros_like<double>(out.widths);
  for (arma::mat* m : tensors(out.params)) {
    const uint32_t rows = r.get<uint32_t>(), cols = r.get<uint32_t>();
    if (rows != m->n_rows || cols != m->n_cols) throw fail("tensor shape does not match the widths");
    for (arma::uword i = 0; i < m->n_elem; ++i)
      (*m)(i) = out.element_bytes == 4 ? static_cast<double>(r.get<float>()) : r.get<double>();
  }
  if (r.at + 8 != bytes.size()) throw fail("unexpected trailing bytes");
  for (const arma::mat* m : tensors(out.params))
    if (!m->is_finite()) throw fail("non-finite weights");
  return out;
}

}  // namespace vivae
