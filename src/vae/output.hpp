// Rendering of the Problem 2 outputs (CSV with headers): training and validation logs, image
// rows (196 values each) for reconstructions, prior samples and the latent grid.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "vae/train.hpp"

namespace vivae {

std::string log_csv(const std::vector<LogRow>& rows);  // update,recon,kl,elbo
// One row per column of `images`: the leading fields given per row, then v0…v(D−1).
std::string images_csv(const std::string& lead_header, const std::vector<std::string>& lead, const arma::mat& images);

}  // namespace vivae
