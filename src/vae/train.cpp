#include "vae/train.hpp"

#include <cmath>

#include "common/errors.hpp"
#include "common/format.hpp"

namespace vivae {

namespace {
void shuffle_order(std::vector<arma::uword>& order, Rng& rng) {
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_index(rng, i)]);  // Fisher-Yates
}

}  // namespace

bool diverged(const std::vector<LogRow>& log, double floor) {
  if (log.size() < static_cast<size_t>(kDivergenceRun)) return false;
  for (size_t i = log.size() - kDivergenceRun; i < log.size(); ++i)
    if (!(log[i].elbo < floor)) return false;
  return true;
}

template <class T>
TrainState<T> start_training(const TrainConfig& cfg, size_t train_count, const Params<T>* initial) {
  TrainState<T> s;
  Rng init = make_rng(cfg.seed, kInit);
  s.params = initial ? *initial : init_params<T>(cfg.widths, init);
  s.opt = make_optimiser(cfg.optim, cfg.lr, s.params);
  s.shuffle = make_rng(cfg.seed, kShuffle);
  s.noise = make_rng(cfg.seed, kNoise);
  s.eval = make_rng(cfg.seed, kEval);
  s.order.resize(train_count);
  for (size_t i = 0; i < train_count; ++i) s.order[i] = i;
  shuffle_order(s.order, s.shuffle);
  return s;
}

template <class T>
static LogRow validate(const TrainState<T>& s, const TrainConfig& cfg, const arma::Mat<T>& valid_x, Rng& eval) {
  const arma::Mat<T> x = valid_x.cols(0, static_cast<arma::uword>(cfg.valid_size) - 1);
  arma::Mat<T> eps(static_cast<arma::uword>(cfg.widths.latent), x.n_cols * static_cast<arma::uword>(cfg.samples));
  fill_normal(eps, eval);
  StepBuffers<T> buffers;
  const ElboTerms t = elbo_forward(s.params, x, eps, buffers, cfg.threads);
  return {s.update, t.recon, t.kl, t.elbo()};
}

template <class T>
void train(TrainState<T>& s, const TrainConfig& cfg, const arma::Mat<T>& train_x, const arma::Mat<T>& valid_x,
           const std::function<bool(long)>& progress) {
  const arma::uword b = static_cast<arma::uword>(cfg.batch);
  StepBuffers<T> buffers;
  Params<T> grad = zeros_like<T>(cfg.widths);
  arma::Mat<T> x(train_x.n_rows, b);
  arma::Mat<T> eps(static_cast<arma::uword>(cfg.widths.latent), b * static_cast<arma::uword>(cfg.samples));
  arma::uvec cols(b);
  const double floor = divergence_floor(cfg.widths.input);
  if (s.update == 0 && s.valid_log.empty()) s.valid_log.push_back(validate(s, cfg, valid_x, s.eval));
  while (s.update < cfg.updates) {
    if (s.pos + b > s.order.size()) {  // new epoch
      shuffle_order(s.order, s.shuffle);
      s.pos = 0;
    }
    for (arma::uword i = 0; i < b; ++i) cols(i) = s.order[s.pos + i];
    x = train_x.cols(cols);
    fill_normal(eps, s.noise);
    const ElboTerms t = train_step(s.params, grad, s.opt, x, eps, buffers, cfg.threads);
    if (!std::isfinite(t.elbo())) {
      s.failed_at = s.update + 1;
      throw NumericError("the loss or its gradient became NaN/Inf at update " + std::to_string(s.update + 1) +
                         " (try a smaller --lr)");
    }
    s.pos += b;
    ++s.update;
    s.train_log.push_back({s.update, t.recon, t.kl, t.elbo()});
    if (diverged(s.train_log, floor)) {
      s.failed_at = s.update;
      throw NumericError("training diverged at update " + std::to_string(s.update) + ": the mini-batch ELBO has been below " +
                         fmt_fixed(floor, 0) + " nats/image (100 times worse than predicting 1/2 for every pixel) for " +
                         std::to_string(kDivergenceRun) + " updates (try a smaller --lr)");
    }
    if (s.update % cfg.valid_every == 0) s.valid_log.push_back(validate(s, cfg, valid_x, s.eval));
    if (progress && !progress(s.update)) return;
  }
}

template TrainState<float> start_training<float>(const TrainConfig&, size_t, const Params<float>*);
template TrainState<double> start_training<double>(const TrainConfig&, size_t, const Params<double>*);
template void train<float>(TrainState<float>&, const TrainConfig&, const arma::fmat&, const arma::fmat&,
                           const std::function<bool(long)>&);
template void train<double>(TrainState<double>&, const TrainConfig&, const arma::mat&, const arma::mat&,
                            const std::function<bool(long)>&);
}  // namespace vivae
