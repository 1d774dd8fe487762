// A consumer of vivae::vae: a VAE of the homework's shape written as model.safetensors, read
// back (layers found by shape), and evaluated on 20 random binary images: the ELBO is finite
// and below L_k, as a lower bound of a tighter bound must be.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "vae/evaluate.hpp"
#include "vae/safetensors.hpp"
#include "vae/weights.hpp"

int main() {
  vivae::Rng rng = vivae::make_rng(1, vivae::kInit);
  const vivae::Params<float> p = vivae::init_params<float>(vivae::Widths{}, rng);
  {
    std::ofstream out("model.safetensors", std::ios::binary);
    out << vivae::serialise_safetensors(vivae::linear_tensors(p), "F32", {{"format", "pt"}});
  }
  std::ifstream in("model.safetensors", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const vivae::LoadedWeights w = vivae::load_weights(bytes.str(), "model.safetensors", vivae::HeadScale::log_var, 196);
  arma::fmat x(196, 20);
  for (arma::uword i = 0; i < x.n_elem; ++i) x(i) = vivae::uniform(rng) < 0.2 ? 1.0f : 0.0f;
  vivae::EvalOptions o;
  o.k = 50;
  const vivae::SetEval e = vivae::evaluate_set(vivae::convert<float>(w.params), x, o);
  const bool ok = std::isfinite(e.elbo) && e.iwae >= e.elbo - 1e-6 && w.widths.latent == 8;
  std::printf("eval_model: widths %d/%d/%d/%d, ELBO %.3f, L_50 %.3f nats/image: %s\n", w.widths.input, w.widths.enc_hidden,
              w.widths.latent, w.widths.dec_hidden, e.elbo, e.iwae, ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
