#include "vi/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include "vi/closed_form.hpp"
#include "vi/enumerate.hpp"
#include "vi/exact.hpp"
#include "vi/mean_field.hpp"

namespace vivae {

double theta_error(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  double err = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) err = std::max(err, std::fabs(a[i] - b[i]));
  return err;
}

namespace {

struct Task {
  int n;
  double beta;
  std::vector<MeanFieldRow> mean_field;
  std::vector<CheckRow> checks;
};

MeanFieldRow compare(const Energy& e, double beta, double lz, const std::string& family, const MeanField& m,
                     std::vector<double> theta_exact, double kl_exact, const SweepConfig& cfg) {
  MeanFieldRow r;
  r.n = e.n;
  r.beta = beta;
  r.family = family;
  r.log_z = lz;
  r.theta = m.theta;
  r.kl_search = m.kl;
  r.kl_numeric = q_stats(e, beta, lz, m.theta).kl;
  r.kl_exact = kl_exact;
  r.abs_err = abs_diff(r.kl_numeric, r.kl_exact);
  r.theta_exact = std::move(theta_exact);
  r.theta_err = theta_error(r.theta, r.theta_exact);
  r.starts = m.starts;
  r.tol = cfg.tol * std::max(1.0, std::fabs(kl_exact));
  r.pass = std::isfinite(r.kl_numeric) && r.abs_err <= r.tol && r.theta_err <= cfg.theta_tol;
  return r;
}

void run_task(Task& t, const SweepConfig& cfg) {
  const Energy e = product_energy(t.n);
  const PStats p = p_stats(e, t.beta);
  const double lz = p.log_z;
  const MeanField q2 = minimise_q2(e, t.beta, lz);
  const MeanField q1 = minimise_q1(e, t.beta, lz, cfg.seed, cfg.q1_starts);
  if (std::isinf(t.beta)) {
    t.mean_field.push_back(compare(e, t.beta, lz, "Q2", q2, theta_q2_inf(t.n), kl_q2_inf(t.n), cfg));
    t.mean_field.push_back(compare(e, t.beta, lz, "Q1", q1, theta_q1_inf(t.n), kl_q1_inf(t.n), cfg));
  } else {
    const FixedPoint f2 = q2_fixed_point(t.n, t.beta, lz);
    const FixedPoint f1 = q1_fixed_point(t.n, t.beta, lz);
    t.mean_field.push_back(compare(e, t.beta, lz, "Q2", q2, f2.theta, f2.kl, cfg));
    MeanFieldRow r1 = compare(e, t.beta, lz, "Q1", q1, f1.theta, f1.kl, cfg);
    r1.low_count = f1.low_count;
    t.mean_field.push_back(r1);
  }
  auto add = [&](std::vector<CheckRow> rows) { t.checks.insert(t.checks.end(), rows.begin(), rows.end()); };
  add(check_identity_2_and_3(e, t.beta, p, cfg.seed, cfg.random_q, cfg.tol));
  if (std::isfinite(t.beta)) add(check_identity_4(e, t.beta, p, cfg.fd_tol));
  if (std::isfinite(t.beta) && t.n <= cfg.ising_max_n) {
    const Energy ising = ising_energy(t.n, cfg.seed);
    const PStats p_ising = p_stats(ising, t.beta);
    add(check_identity_2_and_3(ising, t.beta, p_ising, cfg.seed, cfg.random_q, cfg.tol));
    add(check_identity_4(ising, t.beta, p_ising, cfg.fd_tol));
  }
}

}  // namespace

SweepResult run_sweep(const SweepConfig& cfg) {
  std::vector<Task> tasks;
  for (int n : cfg.n_values)
    for (double b : cfg.betas) tasks.push_back(Task{n, b, {}, {}});
  // Largest n first, so the two workers finish together; each task owns its slot.
  std::vector<size_t> order(tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tasks[a].n > tasks[b].n; });
  const uint64_t states_before = states_enumerated();
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  size_t done = 0;
  auto worker = [&] {
    for (size_t k; (k = next.fetch_add(1)) < order.size();) {
      run_task(tasks[order[k]], cfg);
      if (!cfg.progress) continue;
      std::lock_guard<std::mutex> lock(progress_mutex);
      cfg.progress(++done, order.size());
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < std::max(1, cfg.threads); ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();

  SweepResult out;
  out.states = states_enumerated() - states_before;
  for (auto& t : tasks) {
    out.mean_field.insert(out.mean_field.end(), t.mean_field.begin(), t.mean_field.end());
    out.checks.insert(out.checks.end(), t.checks.begin(), t.checks.end());
  }
  return out;
}

}  // namespace vivae
