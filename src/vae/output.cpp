#include "vae/output.hpp"

#include "common/format.hpp"

namespace vivae {

std::string log_csv(const std::vector<LogRow>& rows) {
  std::string s = "update,recon,kl,elbo\n";
  for (const LogRow& r : rows)
    s += std::to_string(r.update) + "," + fmt(r.recon) + "," + fmt(r.kl) + "," + fmt(r.elbo) + "\n";
  return s;
}

std::string images_csv(const std::string& lead_header, const std::vector<std::string>& lead, const arma::mat& images) {
  std::string s = lead_header;
  for (arma::uword i = 0; i < images.n_rows; ++i) s += ",v" + std::to_string(i);
  s += "\n";
  for (arma::uword c = 0; c < images.n_cols; ++c) {
    s += lead[c];
    for (arma::uword i = 0; i < images.n_rows; ++i) s += "," + fmt_fixed(images(i, c), 6);
    s += "\n";
  }
  return s;
}

}  // namespace vivae
