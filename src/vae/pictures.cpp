#include "vae/pictures.hpp"

#include "common/format.hpp"
#include "vae/train.hpp"
#include "vae/vae.hpp"

namespace vivae {

template <class T>
ImageSet reconstruction_pairs(const Params<T>& p, const Dataset& held, arma::uword count) {
  const arma::uword shown = std::min<arma::uword>(count, held.x.n_cols);
  const arma::Mat<T> x = arma::conv_to<arma::Mat<T>>::from(held.x.cols(0, shown - 1));
  arma::Mat<T> mu, log_var;
  encode(mu, log_var, p, x);
  ImageSet out;
  out.lead_header = "image,label,kind";
  out.images = arma::join_rows(held.x.cols(0, shown - 1), arma::conv_to<arma::mat>::from(decode(p, mu)));
  for (const char* kind : {"original", "reconstruction"})
    for (arma::uword i = 0; i < shown; ++i)
      out.lead.push_back(std::to_string(i) + "," + std::to_string(held.labels[i]) + "," + kind);
  return out;
}

template <class T>
ImageSet prior_samples(const Params<T>& p, int count, Rng& rng) {
  arma::Mat<T> z(p.w3.n_cols, static_cast<arma::uword>(count));
  fill_normal(z, rng);
  ImageSet out;
  out.lead_header = "sample";
  out.images = arma::conv_to<arma::mat>::from(decode(p, z));
  for (int i = 0; i < count; ++i) out.lead.push_back(std::to_string(i));
  return out;
}

template <class T>
LatentGrid latent_grid(const Params<T>& p, const arma::Mat<T>& held_x, int grid, double range) {
  arma::Mat<T> mu, log_var;
  encode(mu, log_var, p, held_x);
  // Average KL per latent coordinate: −½(1 + log σ² − μ² − σ²), averaged over images.
  const arma::vec kl_dim = arma::conv_to<arma::vec>::from(
      arma::mean(-T(0.5) * (1 + log_var - arma::square(mu) - arma::exp(log_var)), 1));
  const arma::uvec rank = arma::sort_index(kl_dim, "descend");
  LatentGrid g;
  g.kl_per_dim = kl_dim;
  g.dim_a = rank(0);
  g.dim_b = rank(std::min<arma::uword>(1, rank.n_elem - 1));
  g.z.zeros(p.w3.n_cols, static_cast<arma::uword>(grid * grid));
  g.set.lead_header = "row,col,z_a,z_b";
  for (int r = 0; r < grid; ++r)
    for (int c = 0; c < grid; ++c) {
      const double za = -range + 2 * range * c / (grid - 1), zb = range - 2 * range * r / (grid - 1);
      const arma::uword col = static_cast<arma::uword>(r * grid + c);
      g.z(g.dim_a, col) = za;
      if (g.dim_b != g.dim_a) g.z(g.dim_b, col) = zb;
      g.set.lead.push_back(std::to_string(r) + "," + std::to_string(c) + "," + fmt(za) + "," + fmt(zb));
    }
  g.set.images = arma::conv_to<arma::mat>::from(decode(p, arma::Mat<T>(arma::conv_to<arma::Mat<T>>::from(g.z))));
  return g;
}

template ImageSet reconstruction_pairs<float>(const Params<float>&, const Dataset&, arma::uword);
template ImageSet reconstruction_pairs<double>(const Params<double>&, const Dataset&, arma::uword);
template ImageSet prior_samples<float>(const Params<float>&, int, Rng&);
template ImageSet prior_samples<double>(const Params<double>&, int, Rng&);
template LatentGrid latent_grid<float>(const Params<float>&, const arma::fmat&, int, double);
template LatentGrid latent_grid<double>(const Params<double>&, const arma::mat&, int, double);

}  // namespace vivae
