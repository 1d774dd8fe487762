#include "vae/evaluate.hpp"

#include <algorithm>
#include <cmath>

#include "common/fastmath.hpp"
#include "vae/vae.hpp"

namespace vivae {

template <class T>
SetEval evaluate_set(const Params<T>& p, const arma::Mat<T>& x, int k, Rng& rng) {
  const arma::uword latent = p.w3.n_cols, n = x.n_cols;
  const arma::uword chunk = std::max<arma::uword>(1, 20000 / static_cast<arma::uword>(k));
  const double log_2pi = std::log(2 * M_PI);
  SetEval out;
  std::vector<int> group_sizes;
  for (int j = 1; j <= k; j *= 10)
    for (int m : {1, 2, 5})
      if (m * j <= k) group_sizes.push_back(m * j);
  std::vector<double> curve(group_sizes.size(), 0.0);
  std::vector<double> log_w(k);
  arma::Mat<T> mu, log_var, eps, z, h, a, y;
  for (arma::uword first = 0; first < n; first += chunk) {
    const arma::uword c = std::min(chunk, n - first);
    const arma::Mat<T> xc = x.cols(first, first + c - 1);
    encode(mu, log_var, p, xc);
    eps.set_size(latent, c * k);
    for (arma::uword i = 0; i < eps.n_elem; ++i) eps(i) = static_cast<T>(normal(rng));
    reparameterise(z, mu, log_var, eps);
    dense_forward(h, z, p.w3, p.b3);
    tanh_forward(h, h);
    dense_forward(a, h, p.w4, p.b4);
    const arma::Row<T> ll = bernoulli_log_lik(y, a, xc);
    const arma::Row<T> kl = kl_gauss(mu, log_var);
    for (arma::uword b = 0; b < c; ++b) {
      double recon = 0;
      for (int l = 0; l < k; ++l) {
        const arma::uword col = static_cast<arma::uword>(l) * c + b;
        double log_prior = 0, log_q = 0;  // log N(z; 0, I) and log N(z; μ, σ²), z = μ + σε
        for (arma::uword j = 0; j < latent; ++j) {
          const double zj = z(j, col), ej = eps(j, col);
          log_prior += -0.5 * (zj * zj + log_2pi);
          log_q += -0.5 * (ej * ej + log_var(j, b) + log_2pi);
        }
        recon += ll(col);
        log_w[l] = ll(col) + log_prior - log_q;
      }
      out.recon += recon / k;
      out.kl += kl(b);
      out.iwae += log_mean_exp(log_w.data(), k);
      for (size_t g = 0; g < group_sizes.size(); ++g) {
        const int j = group_sizes[g], groups = k / j;
        double s = 0;
        for (int q = 0; q < groups; ++q) s += log_mean_exp(log_w.data() + static_cast<size_t>(q) * j, j);
        curve[g] += s / groups;
      }
    }
  }
  out.recon /= static_cast<double>(n);
  out.kl /= static_cast<double>(n);
  out.iwae /= static_cast<double>(n);
  out.elbo = out.recon - out.kl;
  for (size_t g = 0; g < group_sizes.size(); ++g) out.iwae_curve.emplace_back(group_sizes[g], curve[g] / static_cast<double>(n));
  return out;
}

template SetEval evaluate_set<float>(const Params<float>&, const arma::fmat&, int, Rng&);
template SetEval evaluate_set<double>(const Params<double>&, const arma::mat&, int, Rng&);

}  // namespace vivae
