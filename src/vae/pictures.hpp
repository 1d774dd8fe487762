// The images the homework asks for, as decoder outputs (one 196-value column per image):
//   (iv) held-out images beside their reconstructions at the posterior mean z = μ(x);
//   (v)  decoder means for draws z ~ N(0, I);
//   and a latent grid: z over a square grid in the two latent directions with the largest
//   average KL on held-out data (the ones the encoder uses most), other coordinates 0.
// Each comes with the leading CSV fields of its rows.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "vae/mnist.hpp"
#include "vae/model.hpp"

namespace vivae {

struct ImageSet {
  arma::mat images;                // D × count
  std::vector<std::string> lead;   // per image: the fields before v0…
  std::string lead_header;
};

template <class T>
ImageSet reconstruction_pairs(const Params<T>& p, const Dataset& held, arma::uword count);

template <class T>
ImageSet prior_samples(const Params<T>& p, int count, Rng& rng);

struct LatentGrid {
  ImageSet set;
  arma::uword dim_a = 0, dim_b = 0;  // latent coordinates along columns and rows
  arma::mat z;                       // latent × grid², the codes decoded
  arma::vec kl_per_dim;              // average KL of each latent coordinate on held_x
};
template <class T>
LatentGrid latent_grid(const Params<T>& p, const arma::Mat<T>& held_x, int grid, double range);

}  // namespace vivae
