#include "vi/claim_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

#include "common/parallel.hpp"
#include "vi/closed_form.hpp"
#include "vi/exact.hpp"
#include "vi/mean_field.hpp"

namespace vivae {

namespace {

std::string num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "+inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string beta_name(double beta) { return std::isinf(beta) ? "inf" : num(beta); }

// θ as "(0, 0.5, 0.5)", runs of equal values shortened: "(0, 0.5 (x13))".
std::string theta_text(const std::vector<double>& t) {
  if (t.size() == 1) return num(t[0]);
  std::string s = "(";
  for (size_t i = 0; i < t.size();) {
    size_t j = i;
    while (j < t.size() && num(t[j]) == num(t[i])) ++j;
    s += (i ? ", " : "") + num(t[i]);
    if (j - i > 3) s += " (x" + std::to_string(j - i) + ")";
    else
      for (size_t k = i + 1; k < j; ++k) s += ", " + num(t[i]);
    i = j;
  }
  return s + ")";
}

// A family's minimum over q: the KL and a minimiser, both from enumeration.
struct FamilyMin {
  std::vector<double> theta;
  double kl = 0;
};

// Everything exact at one (N, beta) that a claim may be compared with.
struct Reference {
  int n = 0;
  double beta = 0;
  PStats p;
  FamilyMin q2, q1;
};

FamilyMin least_of(const Energy& e, double beta, double lz, std::vector<std::vector<double>> candidates) {
  FamilyMin best;
  best.kl = std::numeric_limits<double>::infinity();
  for (auto& theta : candidates) {
    const double kl = q_stats(e, beta, lz, theta).kl;
    if (best.theta.empty() || kl < best.kl) best = {std::move(theta), kl};
  }
  return best;
}

Reference reference(int n, double beta, bool q2, bool q1, const ClaimCheckConfig& cfg) {
  Reference r;
  r.n = n;
  r.beta = beta;
  const Energy e = product_energy(n);
  r.p = p_stats(e, beta);
  const double lz = r.p.log_z;
  const bool inf = std::isinf(beta);
  // The closed form (or fixed point) first: where the numeric optimum ties it, its θ is exact.
  if (q2)
    r.q2 = least_of(e, beta, lz, {inf ? theta_q2_inf(n) : q2_fixed_point(n, beta, lz).theta, minimise_q2(e, beta, lz).theta});
  if (q1)
    r.q1 = least_of(e, beta, lz, {inf ? theta_q1_inf(n) : q1_fixed_point(n, beta, lz).theta,
                                  minimise_q1(e, beta, lz, cfg.seed, cfg.q1_starts).theta});
  return r;
}

// The exact value in words where it has a closed form: "log(2^3 - 1) = 1.94591".
std::string exact_text(Quantity q, int n, double beta, double x) {
  const std::string N = std::to_string(n);
  std::string form;
  const bool inf = std::isinf(beta);
  const std::string tail = inf ? "" : " + exp(-" + beta_name(beta) + ")";
  switch (q) {
    case Quantity::log_z: form = "log(2^" + N + " - 1" + tail + ")"; break;
    case Quantity::z: form = "2^" + N + " - 1" + tail; break;
    case Quantity::mean_phi: form = inf ? "" : "exp(-" + beta_name(beta) + ")/(2^" + N + " - 1" + tail + ")"; break;
    case Quantity::q2_kl: form = inf ? "log(2^" + N + " - 1)" : ""; break;
    case Quantity::q1_kl: form = inf ? "log(2 - 2^(1-" + N + "))" : ""; break;
    default: break;
  }
  return form.empty() ? num(x) : form + " = " + num(x);
}

double exact_value(Quantity q, const Reference& r) {
  switch (q) {
    case Quantity::log_z: return r.p.log_z;
    case Quantity::z: return std::exp(r.p.log_z);
    case Quantity::mean_phi: return r.p.mean_phi;
    case Quantity::q2_kl: return r.q2.kl;
    case Quantity::q1_kl: return r.q1.kl;
    case Quantity::q2_free_energy: return r.p.log_z - r.q2.kl;
    case Quantity::q1_free_energy: return r.p.log_z - r.q1.kl;
    default: return 0;
  }
}

bool within(double claimed, double exact, const ClaimTolerance& tol, bool hand) {
  if (std::isnan(claimed)) return false;
  if (std::isinf(claimed) || std::isinf(exact)) return claimed == exact;
  const double d = std::fabs(claimed - exact);
  return d <= tol.exact * std::max(1.0, std::fabs(exact)) || (hand && d <= tol.hand * std::fabs(exact));
}

void judge_value(ClaimPoint& pt, const Claim& c, const Reference& r, const ClaimTolerance& tol) {
  const double x = exact_value(c.quantity, r), v = pt.claimed[0];
  pt.exact = {x};
  pt.error = v - x;
  pt.holds = within(v, x, tol, c.hand_number);
  if (std::isnan(v)) {
    pt.why = "the formula is not a number here (nan); exact " + exact_text(c.quantity, r.n, r.beta, x);
    return;
  }
  pt.why = "claimed " + num(v) + ", exact " + exact_text(c.quantity, r.n, r.beta, x);
  if (!pt.holds) pt.why += ", off by " + num(pt.error);
}

void judge_theta(ClaimPoint& pt, const Claim& c, const Reference& r, const ClaimTolerance& tol) {
  const bool q2 = c.quantity == Quantity::q2_theta;
  const FamilyMin& best = q2 ? r.q2 : r.q1;
  const std::string family = q2 ? "Q2" : "Q1";
  std::vector<double> theta = pt.claimed;
  if (q2) theta.assign(static_cast<size_t>(r.n), pt.claimed[0]);
  pt.exact = q2 ? std::vector<double>{best.theta[0]} : best.theta;
  pt.min_kl = best.kl;
  const std::string minimum = "the minimum over " + family + " is " +
                              exact_text(q2 ? Quantity::q2_kl : Quantity::q1_kl, r.n, r.beta, best.kl) +
                              ", at theta = " + theta_text(pt.exact);
  for (size_t i = 0; i < theta.size(); ++i) {
    if (theta[i] >= 0 && theta[i] <= 1) continue;
    const std::string which = q2 ? "theta" : "theta_" + std::to_string(i + 1);
    pt.claimed_kl = pt.error = std::numeric_limits<double>::quiet_NaN();
    pt.why = which + (std::isnan(theta[i]) ? ": the formula is not a number here (nan)"
                                           : " = " + num(theta[i]) + " is not a probability (it must be in [0, 1])") +
             "; " + minimum;
    return;
  }
  const Energy e = product_energy(r.n);
  pt.claimed_kl = q_stats(e, r.beta, r.p.log_z, theta).kl;
  pt.error = pt.claimed_kl - best.kl;
  if (std::isinf(pt.claimed_kl)) {
    double mass = 1;
    for (double t : theta) mass *= t;
    const std::string ones = r.n == 1 ? "1" : r.n <= 4 ? std::string(static_cast<size_t>(r.n), '1') : "1...1";
    pt.why = "q puts mass " + num(mass) + (q2 ? " (theta^" + std::to_string(r.n) + ")" : " (the product of the theta_i, i = 1..N)") +
             " on w = " + ones + ", where p = 0, so KL(q||p) = +inf; " + minimum;
    return;
  }
  pt.holds = pt.claimed_kl <= best.kl + tol.exact * std::max(1.0, std::fabs(best.kl));
  if (!pt.holds && c.hand_number) {  // a rounded θ: compare it with the minimiser's, sorted
    std::vector<double> a = theta, b = best.theta;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    pt.holds = true;
    for (size_t i = 0; i < a.size(); ++i) pt.holds = pt.holds && std::fabs(a[i] - b[i]) <= tol.hand * std::fabs(b[i]);
  }
  if (pt.holds) {
    pt.why = "KL(q||p) = " + num(pt.claimed_kl) + ", the minimum over " + family;
    return;
  }
  pt.why = "this q has KL(q||p) = " + num(pt.claimed_kl) + ", above the minimum by " + num(pt.error) + "; " + minimum;
}

// One claim's values at one point, evaluated serially (a formula's variables are its own).
ClaimPoint claimed_at(const Claim& c, int n, double beta) {
  ClaimPoint pt;
  pt.n = n;
  pt.beta = beta;
  if (c.quantity == Quantity::q1_theta)
    for (int i = 1; i <= n; ++i) pt.claimed.push_back(c.evaluate(n, beta, i));
  else
    pt.claimed = {c.evaluate(n, beta)};
  return pt;
}

}  // namespace

std::vector<ClaimVerdict> check_claims(const std::vector<Claim>& claims, const ClaimCheckConfig& cfg) {
  std::vector<int> ns = cfg.n_values;
  std::vector<double> betas = cfg.betas;
  std::sort(ns.begin(), ns.end());
  ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
  std::sort(betas.begin(), betas.end());
  betas.erase(std::unique(betas.begin(), betas.end()), betas.end());

  // The points each claim is checked at, with its claimed values, grouped by (N, beta).
  struct Pair {
    int n;
    double beta;
    bool q2 = false, q1 = false;
    std::vector<std::pair<size_t, ClaimPoint>> jobs;  // (claim, point)
  };
  std::vector<Pair> pairs;
  for (int n : ns)
    for (double b : betas) pairs.push_back(Pair{n, b, false, false, {}});
  for (size_t k = 0; k < claims.size(); ++k)
    for (auto& pr : pairs) {
      if (!claims[k].applies(pr.n, pr.beta)) continue;
      const Quantity q = claims[k].quantity;
      pr.q2 = pr.q2 || q == Quantity::q2_kl || q == Quantity::q2_free_energy || q == Quantity::q2_theta;
      pr.q1 = pr.q1 || is_q1(q);
      pr.jobs.emplace_back(k, claimed_at(claims[k], pr.n, pr.beta));
    }
  // The exact side and the comparisons, one (N, beta) a piece, largest N first.
  std::vector<size_t> order;
  for (size_t i = 0; i < pairs.size(); ++i)
    if (!pairs[i].jobs.empty()) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pairs[a].n > pairs[b].n; });
  std::mutex progress_mutex;
  size_t done = 0;
  parallel_for(static_cast<int>(order.size()), cfg.threads, [&](int piece, int) {
    Pair& pr = pairs[order[static_cast<size_t>(piece)]];
    const Reference r = reference(pr.n, pr.beta, pr.q2, pr.q1, cfg);
    for (auto& [k, pt] : pr.jobs)
      (is_theta(claims[k].quantity) ? judge_theta : judge_value)(pt, claims[k], r, cfg.tol);
    if (!cfg.progress) return;
    std::lock_guard<std::mutex> lock(progress_mutex);
    cfg.progress(++done, order.size());
  });

  std::vector<ClaimVerdict> out(claims.size());
  for (size_t k = 0; k < claims.size(); ++k) out[k].claim = &claims[k];
  for (auto& pr : pairs)
    for (auto& [k, pt] : pr.jobs) {
      ClaimVerdict& v = out[k];
      ++v.checked;
      v.held += pt.holds;
      if (!pt.holds && v.first_failure < 0) v.first_failure = static_cast<int>(v.points.size());
      v.points.push_back(std::move(pt));
    }
  return out;
}

std::string claim_place(const Claim& c) { return c.line > 0 ? c.source + ":" + std::to_string(c.line) : c.source; }

std::string verdict_line(const ClaimVerdict& v) {
  if (v.checked == 0) return "not checked: its condition holds at no N and beta asked for";
  if (v.holds()) return "holds at " + std::to_string(v.checked) + (v.checked == 1 ? " point" : " points");
  const ClaimPoint& f = v.points[static_cast<size_t>(v.first_failure)];
  std::string s = "fails at N = " + std::to_string(f.n) + ", beta = " + beta_name(f.beta);
  if (v.held > 0) s += " (holds at " + std::to_string(v.held) + " of " + std::to_string(v.checked) + " points)";
  return s + ": " + f.why;
}

}  // namespace vivae
