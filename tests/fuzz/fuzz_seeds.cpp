// Writes the fuzzers' seed corpus: tiny valid and corrupt IDX files (raw and gzip), and a
// valid model.bin and checkpoint of the small configuration checkpoint_fuzz uses, and claims.
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "../vae/idx_writer.hpp"
#include "vae/checkpoint.hpp"
#include "vae/model_io.hpp"
#include "vi/claims.hpp"

using namespace vivae;
using namespace vivae::testing;

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "corpus";
  mkdir(dir.c_str(), 0755);
  mkdir((dir + "/idx").c_str(), 0755);
  mkdir((dir + "/checkpoint").c_str(), 0755);
  mkdir((dir + "/claims").c_str(), 0755);
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
  return 0;
}
