#include "vae/evaluate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>

#include "common/fastmath.hpp"
#include "vae/gemm.hpp"
#include "common/parallel.hpp"
#include "vae/kernels.hpp"
#include "vae/layers.hpp"
#include "vae/vae.hpp"

namespace vivae {

// Named, not anonymous: a lambda of the templates below captures Scratch, and in a unity build
// this file is an include (GCC's -Wsubobject-linkage).
namespace evaluate_detail {
// Decoder columns per GEMM: a chunk's hidden layer and logits (~300 KB in float) stay in the
// core's L2 cache between the products and the elementwise passes.
constexpr int kChunk = 200;

template <class T>
struct Scratch {
  std::vector<T> eps, z, h, a;
  std::vector<double> ll;
};

std::vector<int> group_sizes(int k) {
  std::vector<int> g;
  for (int j = 1; j <= k; j *= 10)
    for (int m : {1, 2, 5})
      if (m * j <= k) g.push_back(m * j);
  return g;
}

// The encoder's raw output e = [μ; log σ² before the clamp] for every image (2·latent × n);
// a model whose second half is log σ or σ has it converted to log σ².
template <class T>
arma::Mat<T> encode_raw(const Params<T>& p, const arma::Mat<T>& x) {
  const int n = static_cast<int>(x.n_cols);
  arma::Mat<T> h(p.w1.n_rows, x.n_cols), e(p.w2.n_rows, x.n_cols);
  matmul(h.memptr(), x.memptr(), p.w1, n);
  tanh_bias(h.memptr(), p.b1.memptr(), static_cast<int>(h.n_rows), n);
  dense_forward(e.memptr(), h.memptr(), p.w2, p.b2, n);
  if (p.scale != HeadScale::log_var) {
    const arma::uword latent = p.w3.n_cols;
    e.rows(latent, 2 * latent - 1).transform([&](T s) { return head_log_var(s, p.scale); });
  }
  return e;
}

// log_w[l] = log p(x|z_l) + log N(z_l; 0, I) − log N(z_l; μ, σ²) for the k samples of one
// image, z_l = μ + σ ⊙ ε_l; returns the image's KL (analytic). The 2π terms cancel.
template <class T>
double image_weights(double* log_w, Scratch<T>& s, const Params<T>& p, const T* e, const T* x, int k, Rng rng) {
  const int latent = static_cast<int>(p.w3.n_cols), dec = static_cast<int>(p.w3.n_rows);
  const int d = static_cast<int>(p.w4.n_rows);
  const size_t zs = static_cast<size_t>(latent) * k;
  s.eps.resize(zs);
  s.z.resize(zs);
  s.h.resize(static_cast<size_t>(dec) * kChunk);
  s.a.resize(static_cast<size_t>(d) * kChunk);
  s.ll.resize(static_cast<size_t>(k));
  fill_normal(s.eps.data(), zs, rng);
  const double kl = reparameterise_kl(s.z.data(), e, s.eps.data(), latent, 1, k);
  for (int first = 0; first < k; first += kChunk) {
    const int cols = std::min(kChunk, k - first);
    matmul(s.h.data(), s.z.data() + static_cast<size_t>(first) * latent, p.w3, cols);
    tanh_bias(s.h.data(), p.b3.memptr(), dec, cols);
    // Logits transposed, (W4·h)ᵀ = hᵀ·W4ᵀ (cols × d), so the likelihood runs along samples.
    gemm('T', 'T', cols, d, dec, T(1), s.h.data(), dec, p.w4.memptr(), d, T(0), s.a.data(), cols);
    bernoulli_samples(s.ll.data() + first, s.a.data(), p.b4.memptr(), x, d, cols);
  }
  double lv_sum = 0;
  for (int j = 0; j < latent; ++j) lv_sum += std::clamp(e[latent + j], T(-kLogVarLimit), T(kLogVarLimit));
  for (int l = 0; l < k; ++l) {
    const T* z = s.z.data() + static_cast<size_t>(l) * latent;
    const T* eps = s.eps.data() + static_cast<size_t>(l) * latent;
    double q = 0;  // Σⱼ z² − ε², so log prior − log q = −½(q − Σ log σ²)
    for (int j = 0; j < latent; ++j) q += static_cast<double>(z[j]) * z[j] - static_cast<double>(eps[j]) * eps[j];
    log_w[l] = s.ll[static_cast<size_t>(l)] - 0.5 * (q - lv_sum);
  }
  return kl;
}
}  // namespace evaluate_detail

using namespace evaluate_detail;

template <class T>
SetEval evaluate_set(const Params<T>& p, const arma::Mat<T>& x, const EvalOptions& o) {
  const arma::uword n = x.n_cols;
  const int k = o.k;
  const std::vector<int> groups = group_sizes(k);
  const size_t g_count = groups.size();
  const arma::Mat<T> e = encode_raw(p, x);
  // Per image: recon, kl, iwae and the curve, summed in image order at the end.
  std::vector<double> recon(n), kl(n), iwae(n), curve(n * g_count);
  const int threads = std::max(1, o.threads);
  std::vector<Scratch<T>> scratch(static_cast<size_t>(threads));
  std::vector<std::vector<double>> log_w(static_cast<size_t>(threads), std::vector<double>(static_cast<size_t>(k)));
  std::atomic<size_t> done{0};
  std::mutex progress_mutex;
  parallel_for(static_cast<int>(n), threads, [&](int image, int worker) {
    const auto i = static_cast<size_t>(image);
    double* w = log_w[static_cast<size_t>(worker)].data();
    kl[i] = image_weights(w, scratch[static_cast<size_t>(worker)], p, e.colptr(i), x.colptr(i), k,
                          make_rng(o.seed, eval_stream(o.set, i)));
    double r = 0;
    for (int l = 0; l < k; ++l) r += scratch[static_cast<size_t>(worker)].ll[static_cast<size_t>(l)];
    recon[i] = r / k;
    iwae[i] = log_mean_exp(w, static_cast<size_t>(k));
    for (size_t g = 0; g < g_count; ++g)
      curve[i * g_count + g] = mean_group_log_mean_exp(w, static_cast<size_t>(k), static_cast<size_t>(groups[g]));
    const size_t now = ++done;
    if (o.progress && (now == n || now % 100 == 0)) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(now, n);
    }
  });
  SetEval out;
  std::vector<double> curve_sum(g_count, 0.0);
  for (size_t i = 0; i < n; ++i) {
    out.recon += recon[i];
    out.kl += kl[i];
    out.iwae += iwae[i];
    for (size_t g = 0; g < g_count; ++g) curve_sum[g] += curve[i * g_count + g];
  }
  const auto count = static_cast<double>(n);
  out.recon /= count;
  out.kl /= count;
  out.iwae /= count;
  out.elbo = out.recon - out.kl;
  for (size_t g = 0; g < g_count; ++g) out.iwae_curve.emplace_back(groups[g], curve_sum[g] / count);
  return out;
}

template <class T>
std::vector<double> image_log_weights(const Params<T>& p, const arma::Mat<T>& x, arma::uword image, int k, uint64_t seed,
                                      uint64_t set) {
  const arma::Mat<T> e = encode_raw(p, arma::Mat<T>(x.col(image)));
  Scratch<T> s;
  std::vector<double> w(static_cast<size_t>(k));
  image_weights(w.data(), s, p, e.memptr(), x.colptr(image), k, make_rng(seed, eval_stream(set, image)));
  return w;
}

template SetEval evaluate_set<float>(const Params<float>&, const arma::fmat&, const EvalOptions&);
template SetEval evaluate_set<double>(const Params<double>&, const arma::mat&, const EvalOptions&);
template std::vector<double> image_log_weights<float>(const Params<float>&, const arma::fmat&, arma::uword, int,
                                                      uint64_t, uint64_t);
template std::vector<double> image_log_weights<double>(const Params<double>&, const arma::mat&, arma::uword, int,
                                                       uint64_t, uint64_t);

}  // namespace vivae
