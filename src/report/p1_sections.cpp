#include <algorithm>
#include <cmath>
#include <set>

#include "common/format.hpp"
#include "common/json.hpp"
#include "report/sections.hpp"
#include "report/tex.hpp"

namespace vivae {

namespace {
struct Row {
  int n;
  double beta;
  std::string family;
  double kl_numeric, kl_exact, abs_err, theta_err;
  std::string theta;
};

std::vector<Row> rows_of(const Table& t) {
  std::vector<Row> out;
  for (size_t i = 0; i < t.rows.size(); ++i)
    out.push_back({static_cast<int>(t.num(i, "n")), t.num(i, "beta"), t.rows[i][t.col("family")], t.num(i, "kl_numeric"),
                   t.num(i, "kl_exact"), t.num(i, "abs_err"), t.num(i, "theta_err"), t.rows[i][t.col("theta")]});
  return out;
}

const Row* find(const std::vector<Row>& rows, int n, double beta, const std::string& family) {
  for (const Row& r : rows)
    if (r.n == n && r.family == family && (r.beta == beta || (std::isinf(r.beta) && std::isinf(beta)))) return &r;
  return nullptr;
}

std::vector<double> thetas(const std::string& s) {
  std::vector<double> v;
  size_t at = 0;
  while (at < s.size()) {
    size_t next = s.find(' ', at);
    if (next == std::string::npos) next = s.size();
    v.push_back(std::atof(s.substr(at, next - at).c_str()));
    at = next + 1;
  }
  return v;
}

std::string beta_tex(double b) { return std::isinf(b) ? "$\\infty$" : "$" + fmt(b) + "$"; }
}  // namespace

std::vector<GeneratedFile> p1_generated(const Table& mean_field, const Table& identities, const std::string& summary_text) {
  const Json summary = parse_json(summary_text, "results/p1/summary.json");
  const std::vector<Row> rows = rows_of(mean_field);
  std::set<int> ns;
  std::set<double> betas;
  for (const Row& r : rows) {
    ns.insert(r.n);
    betas.insert(r.beta);
  }
  std::vector<GeneratedFile> out;

  // Table: β = ∞ against the closed forms, for a spread of n.
  std::vector<std::vector<std::string>> inf_rows;
  for (int n : ns) {
    if (!(n <= 6 || n % 4 == 0 || n == *ns.rbegin())) continue;
    const Row* q2 = find(rows, n, INFINITY, "Q2");
    const Row* q1 = find(rows, n, INFINITY, "Q1");
    if (!q2 || !q1) continue;
    inf_rows.push_back({tex_int(n), tex_fixed(q2->kl_numeric, 10), tex_sci(q2->abs_err), tex_fixed(q1->kl_numeric, 10),
                        tex_sci(q1->abs_err), tex_sci(std::max(q1->theta_err, q2->theta_err))});
  }
  out.push_back({"p1_inf_table.tex",
                 tex_tabular("rrrrrr",
                             {"$N$", "$\\mathrm{KL}^*_{Q_2}$ (numeric)", "$|\\cdot - \\log(2^N-1)|$",
                              "$\\mathrm{KL}^*_{Q_1}$ (numeric)", "$|\\cdot - \\log(2-2^{1-N})|$", "max $|\\theta-\\theta^*|$"},
                             inf_rows)});

  // Table: finite β for one n, with the optimisers' θ.
  const int n_show = ns.count(3) ? 3 : *ns.begin();
  std::vector<std::vector<std::string>> fin_rows;
  for (double b : betas) {
    const Row* q2 = find(rows, n_show, b, "Q2");
    const Row* q1 = find(rows, n_show, b, "Q1");
    if (!q2 || !q1) continue;
    std::vector<double> t1 = thetas(q1->theta);
    std::sort(t1.begin(), t1.end());
    std::string t1s;
    for (size_t i = 0; i < t1.size(); ++i) t1s += (i ? ", " : "") + fmt_fixed(t1[i], 4);
    fin_rows.push_back({beta_tex(b), tex_fixed(thetas(q2->theta)[0], 4), tex_fixed(q2->kl_numeric, 6), "(" + t1s + ")",
                        tex_fixed(q1->kl_numeric, 6), tex_sci(std::max(q1->abs_err, q2->abs_err))});
  }
  out.push_back({"p1_finite_table.tex",
                 tex_tabular("rrrcrr",
                             {"$\\beta$", "$\\theta^*_{Q_2}$", "$\\mathrm{KL}^*_{Q_2}$", "$\\theta^*_{Q_1}$ (sorted)",
                              "$\\mathrm{KL}^*_{Q_1}$", "max error vs.\\ fixed point"},
                             fin_rows)});

  // Table: every kind of check, its count and worst error.
  std::vector<std::vector<std::string>> check_rows;
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"mean_field_Q2", "Q2 optimum vs.\\ closed form / fixed point"},
      {"mean_field_Q1", "Q1 optimum vs.\\ closed form / fixed point"},
      {"identity_2_product", "identity (2), $\\Phi=\\prod w_i$"},
      {"identity_2_ising", "identity (2), random Ising $\\Phi$"},
      {"bound_3_product", "bound (3) $F(q)\\le\\log Z$, $\\Phi=\\prod w_i$"},
      {"bound_3_ising", "bound (3), random Ising $\\Phi$"},
      {"equality_3_product", "$F(p)=\\log Z$, $\\Phi=\\prod w_i$"},
      {"equality_3_ising", "$F(p)=\\log Z$, random Ising $\\Phi$"},
      {"fd_4_best_product", "identity (4) by central differences, $\\Phi=\\prod w_i$"},
      {"fd_4_best_ising", "identity (4) by central differences, Ising $\\Phi$"}};
  for (const auto& [key, label] : kinds) {
    const double count = number_at(summary, "checks_by_kind." + key, "results/p1/summary.json");
    const double worst = number_at(summary, "worst_abs_err." + key, "results/p1/summary.json");
    check_rows.push_back({label, tex_int(static_cast<long long>(count)), tex_sci(worst)});
  }
  out.push_back({"p1_checks_table.tex", tex_tabular("lrr", {"check", "count", "worst abs.\\ error"}, check_rows)});

  std::string m;
  m += tex_macro("POneChecks", tex_int(static_cast<long long>(number_at(summary, "checks", "p1 summary"))));
  m += tex_macro("POneStates", tex_sci(number_at(summary, "states_enumerated", "p1 summary"), 1));
  m += tex_macro("POnePassed", tex_int(static_cast<long long>(number_at(summary, "passed", "p1 summary"))));
  m += tex_macro("POneNRange", std::to_string(*ns.begin()) + ",\\dots," + std::to_string(*ns.rbegin()));
  m += tex_macro("POneNMax", tex_int(*ns.rbegin()));
  m += tex_macro("POneNShow", tex_int(n_show));
  std::string bl;
  for (double b : betas) bl += (bl.empty() ? "" : ", ") + (std::isinf(b) ? std::string("\\infty") : fmt(b));
  m += tex_macro("POneBetas", bl);
  m += tex_macro("POneSeed", tex_int(static_cast<long long>(number_at(summary, "options.seed", "p1 summary"))));
  m += tex_macro("POneTol", tex_sci(number_at(summary, "options.tol", "p1 summary"), 0));
  m += tex_macro("POneStarts", tex_int(static_cast<long long>(number_at(summary, "options.q1_starts", "p1 summary"))));
  m += tex_macro("POneRandomQ", tex_int(static_cast<long long>(number_at(summary, "options.random_q", "p1 summary"))));
  m += tex_macro("POneThetaTol", tex_sci(number_at(summary, "options.theta_tol", "p1 summary"), 0));
  m += tex_macro("POneFdTol", tex_sci(number_at(summary, "options.fd_tol", "p1 summary"), 0));
  m += tex_macro("POneThetaWorst", tex_sci(number_at(summary, "worst_abs_err.theta", "p1 summary")));
  out.push_back({"p1_numbers.tex", m});

  // Plot data: KL* against β for a few n (finite β), with the β = ∞ closed forms.
  std::string kb = "# blocks per n: beta kl_q2 kl_q1 kl_q2_inf kl_q1_inf n\n";
  std::string kb_ns;
  for (int n : {2, 3, 5, 10}) {
    if (!ns.count(n)) continue;
    kb_ns += (kb_ns.empty() ? "" : " ") + std::to_string(n);
    const Row* i2 = find(rows, n, INFINITY, "Q2");
    const Row* i1 = find(rows, n, INFINITY, "Q1");
    for (double b : betas) {
      const Row* q2 = find(rows, n, b, "Q2");
      const Row* q1 = find(rows, n, b, "Q1");
      if (!q2 || !q1 || std::isinf(b)) continue;
      kb += fmt(b) + " " + fmt(q2->kl_numeric) + " " + fmt(q1->kl_numeric) + " " + (i2 ? fmt(i2->kl_exact) : "NaN") + " " +
            (i1 ? fmt(i1->kl_exact) : "NaN") + " " + std::to_string(n) + "\n";
    }
    kb += "\n\n";
  }
  out.push_back({"p1_kl_beta.dat", kb});
  out.push_back({"p1_kl_beta_titles.gp", "kl_ns = \"" + kb_ns + "\"\n"});

  // Plot data: finite-difference error of (4) against h for a few cases.
  std::string fd = "# blocks: h abs_err   (energy n beta in the comment line)\n";
  std::string fd_titles;
  int blocks = 0;
  for (const std::string energy : {"product", "ising"}) {
    std::set<std::pair<int, double>> cases;
    for (size_t i = 0; i < identities.rows.size(); ++i)
      if (identities.rows[i][identities.col("check")] == "fd_4" && identities.rows[i][identities.col("energy")] == energy)
        cases.insert({static_cast<int>(identities.num(i, "n")), identities.num(i, "beta")});
    std::vector<std::pair<int, double>> picked;
    for (const auto& c : cases)
      if ((c.first == 10 && c.second == 1) || (c.first == *ns.rbegin() && c.second == 8)) picked.push_back(c);
    for (const auto& [n, b] : picked) {
      fd += "# " + energy + " " + std::to_string(n) + " " + fmt(b) + "\n";
      for (size_t i = 0; i < identities.rows.size(); ++i)
        if (identities.rows[i][identities.col("check")] == "fd_4" && identities.rows[i][identities.col("energy")] == energy &&
            identities.num(i, "n") == n && identities.num(i, "beta") == b)
          fd += fmt(identities.num(i, "h")) + " " + fmt(std::max(identities.num(i, "abs_err"), 1e-17)) + "\n";
      fd += "\n\n";
      fd_titles += (fd_titles.empty() ? "" : "|") + energy + ", N=" + std::to_string(n) + ", {/Symbol b}=" + fmt(b);
      ++blocks;
    }
  }
  out.push_back({"p1_fd.dat", fd});
  out.push_back({"p1_fd_titles.gp", "fd_titles = \"" + fd_titles + "\"\nfd_blocks = " + std::to_string(blocks) + "\n"});
  return out;
}

}  // namespace vivae
