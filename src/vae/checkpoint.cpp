#include "vae/checkpoint.hpp"

#include <cstring>

#include "common/binary.hpp"
#include "common/errors.hpp"
#include "vae/model_io.hpp"

namespace vivae {

namespace {
constexpr char kCheckpointMagic[8] = {'V', 'I', 'V', 'A', 'E', 'C', 'K', '1'};

template <class T>
void put_mats(BinaryWriter& w, const std::vector<arma::Mat<T>>& ms) {
  for (const auto& m : ms) {
    w.put<uint32_t>(static_cast<uint32_t>(m.n_rows));
    w.put<uint32_t>(static_cast<uint32_t>(m.n_cols));
    w.put_raw(m.memptr(), m.n_elem * sizeof(T));
  }
}

template <class T>
void get_mats(BinaryReader& r, std::vector<arma::Mat<T>>& ms) {
  for (auto& m : ms) {
    const uint32_t rows = r.get<uint32_t>(), cols = r.get<uint32_t>();
    if (rows != m.n_rows || cols != m.n_cols) throw DataError("'" + r.name + "': optimiser state has the wrong shape");
    r.get_raw(m.memptr(), m.n_elem * sizeof(T));
  }
}

void put_rng(BinaryWriter& w, const Rng& rng) {
  for (uint64_t x : rng.s) w.put<uint64_t>(x);
}
void get_rng(BinaryReader& r, Rng& rng) {
  for (uint64_t& x : rng.s) x = r.get<uint64_t>();
}

void put_log(BinaryWriter& w, const std::vector<LogRow>& log) {
  w.put<uint64_t>(log.size());
  for (const LogRow& row : log) {
    w.put<int64_t>(row.update);
    w.put<double>(row.recon);
    w.put<double>(row.kl);
    w.put<double>(row.elbo);
  }
}
std::vector<LogRow> get_log(BinaryReader& r, uint64_t max_rows) {
  const uint64_t n = r.get<uint64_t>();
  constexpr size_t kRowBytes = 8 + 3 * 8;
  if (n > max_rows || n > (r.bytes.size() - r.at) / kRowBytes) throw DataError("'" + r.name + "': implausible log length");
  std::vector<LogRow> log(n);
  for (LogRow& row : log) {
    row.update = r.get<int64_t>();
    row.recon = r.get<double>();
    row.kl = r.get<double>();
    row.elbo = r.get<double>();
  }
  return log;
}
}  // namespace

template <class T>
std::string serialise_checkpoint(const TrainState<T>& s, const Widths& w, const std::string& fingerprint) {
  BinaryWriter out;
  out.put_raw(kCheckpointMagic, 8);
  out.put<uint32_t>(1);
  out.put<uint32_t>(sizeof(T));
  out.put_string(fingerprint);
  for (int v : {w.input, w.enc_hidden, w.latent, w.dec_hidden}) out.put<uint32_t>(static_cast<uint32_t>(v));
  put_tensors(out, s.params);
  out.put<int64_t>(s.update);
  out.put<uint64_t>(s.pos);
  out.put<uint64_t>(s.order.size());
  for (arma::uword i : s.order) out.put<uint32_t>(static_cast<uint32_t>(i));
  put_rng(out, s.shuffle);
  put_rng(out, s.noise);
  put_rng(out, s.eval);
  out.put<int64_t>(s.opt.step);
  put_mats(out, s.opt.m);
  put_mats(out, s.opt.v);
  put_log(out, s.train_log);
  put_log(out, s.valid_log);
  return out.finish();
}

template <class T>
void restore_checkpoint(TrainState<T>& s, const std::string& bytes, const std::string& name, const Widths& w,
                        const std::string& fingerprint, size_t train_count) {
  auto fail = [&](const std::string& why) { return DataError("checkpoint '" + name + "' " + why); };
  if (bytes.size() < 16 || std::memcmp(bytes.data(), kCheckpointMagic, 8) != 0) throw fail("is not a vivae checkpoint (bad magic)");
  if (!checksum_ok(bytes)) throw fail("fails its checksum (corrupt or truncated); delete it to start over");
  BinaryReader r{bytes, name, 8};
  if (r.get<uint32_t>() != 1) throw fail("has an unsupported version");
  if (r.get<uint32_t>() != sizeof(T)) throw UsageError("checkpoint '" + name + "' was written with another --precision");
  if (r.get_string(1 << 16) != fingerprint)
    throw UsageError("checkpoint '" + name + "' was written with different options or data; use the same options, or delete it");
  Widths cw;
  read_widths(r, cw);
  if (cw.input != w.input || cw.enc_hidden != w.enc_hidden || cw.latent != w.latent || cw.dec_hidden != w.dec_hidden)
    throw UsageError("checkpoint '" + name + "' has other widths than the options");
  TrainState<T> t = s;  // fill a copy; s changes only if everything parses
  get_tensors(r, t.params, sizeof(T));
  t.update = r.get<int64_t>();
  t.pos = r.get<uint64_t>();
  const uint64_t n = r.get<uint64_t>();
  if (t.update < 0 || n != train_count || t.pos > n) throw fail("does not match the training set");
  std::vector<char> seen(n, 0);
  for (auto& i : t.order) {
    const uint32_t v = r.get<uint32_t>();
    if (v >= n || seen[v]) throw fail("has an invalid data order");
    seen[v] = 1;
    i = v;
  }
  get_rng(r, t.shuffle);
  get_rng(r, t.noise);
  get_rng(r, t.eval);
  t.opt.step = r.get<int64_t>();
  get_mats(r, t.opt.m);
  get_mats(r, t.opt.v);
  t.train_log = get_log(r, static_cast<uint64_t>(t.update));
  t.valid_log = get_log(r, static_cast<uint64_t>(t.update) + 1);
  if (t.train_log.size() != static_cast<size_t>(t.update)) throw fail("has a training log of the wrong length");
  if (r.at + 8 != bytes.size()) throw fail("has trailing bytes");
  s = std::move(t);
}

template std::string serialise_checkpoint<float>(const TrainState<float>&, const Widths&, const std::string&);
template std::string serialise_checkpoint<double>(const TrainState<double>&, const Widths&, const std::string&);
template void restore_checkpoint<float>(TrainState<float>&, const std::string&, const std::string&, const Widths&,
                                        const std::string&, size_t);
template void restore_checkpoint<double>(TrainState<double>&, const std::string&, const std::string&, const Widths&,
                                         const std::string&, size_t);

}  // namespace vivae
