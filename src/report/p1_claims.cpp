#include "common/errors.hpp"
#include "report/sections.hpp"
#include "report/tex.hpp"
#include "vi/claims_output.hpp"

namespace vivae {

std::vector<GeneratedFile> p1_claims_generated(const std::string& claims_json, const std::string& command) {
  const std::vector<ClaimRecord> claims = parse_claims_json(claims_json, "results/p1-claims/claims.json");
  long long held = 0, points = 0;
  std::vector<std::vector<std::string>> rows;
  for (const ClaimRecord& c : claims) {
    held += c.holds;
    points += c.checked;
    rows.push_back({"\\texttt{" + tex_escape(c.claim) + "}", tex_int(c.checked), c.holds ? "holds" : "fails"});
  }
  std::string m;
  m += tex_macro("POneClaims", tex_int(static_cast<long long>(claims.size())));
  m += tex_macro("POneClaimsHeld", tex_int(held));
  m += tex_macro("POneClaimPoints", tex_int(points));
  m += tex_macro("POneClaimsCommand", "\\texttt{" + tex_escape(command) + "}");
  return {{"p1_claims_numbers.tex", m}, {"p1_claims_table.tex", tex_tabular("lrl", {"claim", "points", "verdict"}, rows)}};
}

}  // namespace vivae
