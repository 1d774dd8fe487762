// Writes the fuzzers' seed corpus: tiny valid and corrupt IDX files (raw and gzip), and a
// valid model.bin and checkpoint of the small configuration checkpoint_fuzz uses, and claims.
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "../vae/idx_writer.hpp"
#include "vae/checkpoint.hpp"
#include "vae/model_io.hpp"
#include "vae/safetensors.hpp"
#include "vae/weights.hpp"
#include "vi/claims.hpp"

#include <zip.h>

namespace {
// A .npy of a row-major float32 array, as np.save writes it (format 1.0).
std::string npy_bytes(const vivae::NamedTensor& t) {
  std::string shape = "(";
  for (uint64_t d : t.shape) shape += std::to_string(d) + ",";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "), }";
  header.append(63 - (10 + header.size()) % 64, ' ');
  header += '\n';
  std::string s = "\x93NUMPY\x01";
  s += '\0';
  s += static_cast<char>(header.size() & 0xff);
  s += static_cast<char>(header.size() >> 8);
  s += header;
  for (double v : t.values) {
    const float f = static_cast<float>(v);
    s.append(reinterpret_cast<const char*>(&f), 4);
  }
  return s;
}
// An .npz of `tensors`, written by libzip (deflated).
void write_npz(const std::string& path, const std::vector<vivae::NamedTensor>& tensors) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  std::vector<std::string> keep;
  keep.reserve(tensors.size());
  for (const auto& t : tensors) {
    keep.push_back(npy_bytes(t));
    zip_source_t* src = zip_source_buffer(z, keep.back().data(), keep.back().size(), 0);
    zip_file_add(z, (t.name + ".npy").c_str(), src, ZIP_FL_OVERWRITE);
  }
  zip_close(z);
}
}  // namespace

using namespace vivae;
using namespace vivae::testing;

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "corpus";
  mkdir(dir.c_str(), 0755);
  mkdir((dir + "/idx").c_str(), 0755);
  mkdir((dir + "/checkpoint").c_str(), 0755);
  mkdir((dir + "/claims").c_str(), 0755);
  mkdir((dir + "/safetensors").c_str(), 0755);
  mkdir((dir + "/npz").c_str(), 0755);
  mkdir((dir + "/curve").c_str(), 0755);
  write_bytes(dir + "/curve/pandas", ",step,val_recon\r\n0,0,-137.5\r\n1,100,-60.25\r\n");
  write_bytes(dir + "/curve/plain", "update,recon\n0,-137\n100,-50\n200,-40\n");
  write_bytes(dir + "/claims/homework", claims_text({"# (c), (d)", "Q2.kl = log(2^N - 1) if beta == inf",
                                                     "Q1.theta = i == 1 ? 0 : 1/2 if beta == inf",
                                                     "log_z = log(2^N - 1 + exp(-beta))", "Q1.kl = 0.5596 if N == 3"}));
  write_bytes(dir + "/claims/bad", claims_text({"Q2.kl = log(2^n", "x = 1 if"}));
  const std::string labels = idx_bytes({3}, {1, 2, 9});
  const std::string images = idx_bytes({2, 2, 2}, {0, 255, 128, 129, 7, 8, 9, 10});
  std::string bad_magic = labels;
  bad_magic[0] = 1;
  const std::vector<std::pair<std::string, std::string>> idx = {
      {"labels", labels}, {"images", images}, {"labels.gz", gzip_bytes(labels)}, {"images.gz", gzip_bytes(images)},
      {"truncated", images.substr(0, images.size() - 3)}, {"bad_magic", bad_magic}, {"empty", ""}};
  for (const auto& [name, bytes] : idx) write_bytes(dir + "/idx/" + name, bytes);

  TrainConfig cfg;
  cfg.widths.input = 9, cfg.widths.enc_hidden = 6, cfg.widths.latent = 2, cfg.widths.dec_hidden = 5;
  cfg.batch = 4, cfg.updates = 3, cfg.valid_every = 2, cfg.valid_size = 2;
  arma::fmat x(9, 12, arma::fill::zeros), held(9, 2, arma::fill::zeros);
  x(0, 0) = 1;
  TrainState<float> s = start_training<float>(cfg, 12, nullptr);
  train<float>(s, cfg, x, held, nullptr);
  write_bytes(dir + "/checkpoint/checkpoint.bin", serialise_checkpoint(s, cfg.widths, "fp"));
  write_bytes(dir + "/checkpoint/model.bin", serialise_model(s.params, cfg.widths));
  const std::vector<NamedTensor> linear = linear_tensors(s.params);
  write_bytes(dir + "/safetensors/model", serialise_safetensors(linear, "F32", {{"format", "pt"}}));
  write_bytes(dir + "/safetensors/f64", serialise_safetensors(linear, "F64", {}));
  write_npz(dir + "/npz/model", linear);
  write_bytes(dir + "/npz/member.npy", npy_bytes(linear[0]));
  return 0;
}
