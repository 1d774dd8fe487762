#include "vae/model_io.hpp"

#include <cstring>

#include "common/binary.hpp"
#include "common/errors.hpp"

namespace vivae {

namespace {
constexpr char kModelMagic[8] = {'V', 'I', 'V', 'A', 'E', 'M', 'B', '1'};
}

template <class T>
void put_tensors(BinaryWriter& w, const Params<T>& p) {
  for (const arma::Mat<T>* m : tensors(p)) {
    w.put<uint32_t>(static_cast<uint32_t>(m->n_rows));
    w.put<uint32_t>(static_cast<uint32_t>(m->n_cols));
    w.put_raw(m->memptr(), m->n_elem * sizeof(T));
  }
}

template <class T>
void get_tensors(BinaryReader& r, Params<T>& p, int element_bytes) {
  for (arma::Mat<T>* m : tensors(p)) {
    const uint32_t rows = r.get<uint32_t>(), cols = r.get<uint32_t>();
    if (rows != m->n_rows || cols != m->n_cols) throw DataError("'" + r.name + "': tensor shape does not match the widths");
    for (arma::uword i = 0; i < m->n_elem; ++i)
      (*m)(i) = element_bytes == 4 ? static_cast<T>(r.get<float>()) : static_cast<T>(r.get<double>());
    if (!m->is_finite()) throw DataError("'" + r.name + "': non-finite weights");
  }
}

template <class T>
std::string serialise_model(const Params<T>& p, const Widths& w) {
  BinaryWriter out;
  out.put_raw(kModelMagic, 8);
  out.put<uint32_t>(1);
  out.put<uint32_t>(sizeof(T));
  for (int v : {w.input, w.enc_hidden, w.latent, w.dec_hidden}) out.put<uint32_t>(static_cast<uint32_t>(v));
  put_tensors(out, p);
  return out.finish();
}

LoadedModel parse_model(const std::string& bytes, const std::string& name) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "' is not a valid model file: " + why); };
  if (bytes.size() < 8 + 8 + 16 + 8 || std::memcmp(bytes.data(), kModelMagic, 8) != 0) throw fail("bad magic");
  if (!checksum_ok(bytes)) throw fail("checksum mismatch (corrupt or truncated)");
  BinaryReader r{bytes, name, 8};
  if (r.get<uint32_t>() != 1) throw fail("unsupported format version");
  LoadedModel out;
  out.element_bytes = static_cast<int>(r.get<uint32_t>());
  if (out.element_bytes != 4 && out.element_bytes != 8) throw fail("element size must be 4 or 8");
  read_widths(r, out.widths);
  // Check the size the widths imply before allocating anything (a tiny file must not be able
  // to ask for gigabytes): header, 8 × (rows, cols) and the elements, and the checksum.
  const Widths& w = out.widths;
  const size_t expected = r.at + 8 * 8 + parameter_count(w) * static_cast<size_t>(out.element_bytes) + 8;
  if (bytes.size() != expected)
    throw fail("its size (" + std::to_string(bytes.size()) + " bytes) does not match its widths (" +
               std::to_string(expected) + " bytes)");
  out.params = zeros_like<double>(out.widths);
  get_tensors(r, out.params, out.element_bytes);
  if (r.at + 8 != bytes.size()) throw fail("unexpected trailing bytes");
  return out;
}

void read_widths(BinaryReader& r, Widths& w) {
  for (int* v : {&w.input, &w.enc_hidden, &w.latent, &w.dec_hidden}) {
    const uint32_t x = r.get<uint32_t>();
    if (x == 0 || x > 100000) throw DataError("'" + r.name + "': implausible width " + std::to_string(x));
    *v = static_cast<int>(x);
  }
  if (parameter_count(w) > (size_t{1} << 28)) throw DataError("'" + r.name + "': implausibly many parameters");
}

template std::string serialise_model<float>(const Params<float>&, const Widths&);
template std::string serialise_model<double>(const Params<double>&, const Widths&);
template void put_tensors<float>(BinaryWriter&, const Params<float>&);
template void put_tensors<double>(BinaryWriter&, const Params<double>&);
template void get_tensors<float>(BinaryReader&, Params<float>&, int);
template void get_tensors<double>(BinaryReader&, Params<double>&, int);

}  // namespace vivae
