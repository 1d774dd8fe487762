#include "vae/evaluation.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "common/format.hpp"
#include "vae/blas_info.hpp"
#include "vae/evaluate.hpp"
#include "vae/output.hpp"

namespace vivae {

const std::vector<std::string> kEvaluationOutputs = {"reconstructions.csv", "samples.csv", "latent_grid.csv", "iwae_k.csv",
                                                     "latent_kl.csv"};

template <class T>
ModelEvaluation evaluate_model(const Params<T>& p, const Dataset& train, const Dataset& heldout, const EvalConfig& cfg) {
  ModelEvaluation out;
  const auto t0 = Clock::now();
  const arma::uword n_train = cfg.train_eval < 0 ? train.x.n_cols
                                                 : std::min<arma::uword>(train.x.n_cols, static_cast<arma::uword>(cfg.train_eval));
  out.train_images = static_cast<long>(n_train);
  EvalOptions eo;
  eo.k = cfg.k;
  eo.seed = cfg.seed;
  eo.threads = cfg.threads;
  if (n_train > 0) out.train = evaluate_set(p, arma::conv_to<arma::Mat<T>>::from(train.x.cols(0, n_train - 1)), eo);
  eo.set = 1;
  const arma::Mat<T> held_x = arma::conv_to<arma::Mat<T>>::from(heldout.x);
  out.heldout = evaluate_set(p, held_x, eo);
  out.seconds = seconds_since(t0);
  out.pairs = reconstruction_pairs(p, heldout, 8);  // (iv)
  Rng sample_rng = make_rng(cfg.seed, kEval + 200);
  out.samples = prior_samples(p, 64, sample_rng);   // (v)
  out.grid = latent_grid(p, held_x, 12, 2.5);
  return out;
}

void record_evaluation(RunSummary& s, const ModelEvaluation& e, const Widths& w, const Dataset& train, const Dataset& heldout,
                       uint64_t seed) {
  if (e.train_images > 0) s.train = e.train;
  s.heldout = e.heldout;
  s.train_eval_images = e.train_images;
  s.eval_s = e.seconds;
  s.seed = seed;
  s.train_images = static_cast<long>(train.x.n_cols);
  s.heldout_images = static_cast<long>(heldout.x.n_cols);
  s.parameters = static_cast<long>(parameter_count(w));
  s.latent_grid_dim_a = static_cast<long>(e.grid.dim_a);
  s.latent_grid_dim_b = static_cast<long>(e.grid.dim_b);
  s.blas_core = blas_core_name();
  s.blas_threads = blas_threads();
  s.below_floor = e.heldout.elbo < uniform_pixel_elbo(w.input);
}

OutputFiles evaluation_files(const ModelEvaluation& e) {
  OutputFiles files;
  files.emplace_back("reconstructions.csv", images_csv(e.pairs.lead_header, e.pairs.lead, e.pairs.images));
  files.emplace_back("samples.csv", images_csv(e.samples.lead_header, e.samples.lead, e.samples.images));
  files.emplace_back("latent_grid.csv", images_csv(e.grid.set.lead_header, e.grid.set.lead, e.grid.set.images));
  std::string curve = "k,iwae,elbo\n";
  for (const auto& [k, value] : e.heldout.iwae_curve) curve += std::to_string(k) + "," + fmt(value) + "," + fmt(e.heldout.elbo) + "\n";
  files.emplace_back("iwae_k.csv", curve);
  std::string kl_dims = "dim,kl\n";
  for (arma::uword d = 0; d < e.grid.kl_per_dim.n_elem; ++d) kl_dims += std::to_string(d) + "," + fmt(e.grid.kl_per_dim(d)) + "\n";
  files.emplace_back("latent_kl.csv", kl_dims);
  return files;
}

template ModelEvaluation evaluate_model<float>(const Params<float>&, const Dataset&, const Dataset&, const EvalConfig&);
template ModelEvaluation evaluate_model<double>(const Params<double>&, const Dataset&, const Dataset&, const EvalConfig&);

}  // namespace vivae
