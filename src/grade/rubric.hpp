// The grading rubric (src/grade/rubric.json, tracked): what each item is worth and what earns
// it, how the checks run (the claims' N and beta, the model's data and k, time limits), and how
// the model's distance from the reference band turns into partial credit. Items graded by hand
// (the proofs, the plots) are listed with their points and earn none from the autograder.
#pragma once
#include <string>
#include <vector>

namespace vivae {

struct RubricItem {
  std::string id, name, graded_by, check, quantity, earns;  // graded_by: "autograder" | "hand"
  double points = 0;                                         // check: claim | model | elbo | iwae
  bool automatic() const { return graded_by == "autograder"; }
};

struct Rubric {
  std::string homework;
  std::string claims_file = "p1_claims.txt", claims_n = "1:14", claims_beta = "inf";
  double claims_time_limit_s = 60;
  std::vector<std::string> model_files = {"vae.safetensors", "vae.npz"};
  std::string scale_file = "vae_scale.txt", curve_file = "valid_curve.csv";
  std::vector<int> widths = {196, 128, 8, 128};
  int per_digit = 1000, heldout = 1000, iwae_k = 1000;
  long long seed = 546;
  double model_time_limit_s = 300;
  std::string band_why;
  double full_within_sd = 10, zero_beyond_sd = 100, min_sd = 0.05;
  double max_file_mb = 64;
  std::vector<RubricItem> items;
};

// DataError naming `name` for anything missing or of the wrong type.
Rubric parse_rubric(const std::string& text, const std::string& name);
std::string rubric_text(const Rubric& r);

}  // namespace vivae
