#include "vae/checkpoint.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

using namespace vivae;

namespace {
struct SmallRun {
  TrainConfig cfg;
  arma::fmat x, held;
  TrainState<float> s;
};

SmallRun small_run(long updates) {
  SmallRun r;
  r.cfg.widths.enc_hidden = 6, r.cfg.widths.latent = 2, r.cfg.widths.dec_hidden = 5, r.cfg.widths.input = 9;
  r.cfg.batch = 4, r.cfg.updates = updates, r.cfg.valid_every = 3, r.cfg.valid_size = 5;
  Rng rng = make_rng(3, 0);
  r.x.set_size(9, 12);
  r.held.set_size(9, 5);
  for (auto& v : r.x) v = uniform(rng) < 0.5f;
  for (auto& v : r.held) v = uniform(rng) < 0.5f;
  r.s = start_training<float>(r.cfg, 12, nullptr);
  train<float>(r.s, r.cfg, r.x, r.held, nullptr);
  return r;
}
}  // namespace

TEST(Checkpoint, RestoringAndContinuingEqualsAnUninterruptedRun) {
  SmallRun full = small_run(20);
  SmallRun part = small_run(7);
  const std::string bytes = serialise_checkpoint(part.s, part.cfg.widths, "fp");
  TrainState<float> resumed = start_training<float>(part.cfg, 12, nullptr);
  restore_checkpoint(resumed, bytes, "ck", part.cfg.widths, "fp", 12);
  EXPECT_EQ(resumed.update, 7);
  part.cfg.updates = 20;
  train<float>(resumed, part.cfg, part.x, part.held, nullptr);
  EXPECT_EQ(serialise_checkpoint(resumed, part.cfg.widths, "fp"), serialise_checkpoint(full.s, full.cfg.widths, "fp"));
}

TEST(Checkpoint, RefusesCorruptionAndMismatches) {
  SmallRun r = small_run(5);
  const std::string good = serialise_checkpoint(r.s, r.cfg.widths, "fp");
  TrainState<float> t = start_training<float>(r.cfg, 12, nullptr);
  std::string flipped = good;
  flipped[good.size() / 2] ^= 4;
  EXPECT_THROW(restore_checkpoint(t, flipped, "ck", r.cfg.widths, "fp", 12), DataError);
  EXPECT_THROW(restore_checkpoint(t, good.substr(0, good.size() - 9), "ck", r.cfg.widths, "fp", 12), DataError);
  EXPECT_THROW(restore_checkpoint(t, good, "ck", r.cfg.widths, "other options", 12), UsageError);
  EXPECT_THROW(restore_checkpoint(t, good, "ck", r.cfg.widths, "fp", 13), DataError);
  EXPECT_EQ(t.update, 0);  // a refused checkpoint changes nothing
  TrainState<double> d = start_training<double>(r.cfg, 12, nullptr);
  EXPECT_THROW(restore_checkpoint(d, good, "ck", r.cfg.widths, "fp", 12), UsageError);  // other precision
}

TEST(Training, NonFiniteLossStopsWithNumericError) {
  SmallRun r = small_run(1);
  r.x(0, 0) = std::numeric_limits<float>::quiet_NaN();
  r.cfg.updates = 50;
  EXPECT_THROW(train<float>(r.s, r.cfg, r.x, r.held, nullptr), NumericError);
}

TEST(Training, DivergenceIsARunOfUpdatesFarBelowChanceNotASingleSpike) {
  const double floor = divergence_floor(196);  // −13,586 nats/image
  EXPECT_NEAR(floor, -100 * 196 * std::log(2.0), 1e-9);
  std::vector<LogRow> log;
  for (int u = 1; u <= 100; ++u) log.push_back({u, 0, 0, -40.0});
  log[50].elbo = -3e6;  // one spike, as Adagrad at lr 0.1 produces, then recovery
  EXPECT_FALSE(diverged(log, floor));
  for (int u = 0; u < kDivergenceRun - 1; ++u) log.push_back({101 + u, 0, 0, -1e9});
  EXPECT_FALSE(diverged(log, floor));  // one update short
  log.push_back({200, 0, 0, -1e9});
  EXPECT_TRUE(diverged(log, floor));
  log.push_back({201, 0, 0, std::nan("")});  // NaN is not "below"; the NaN check stops it
  EXPECT_FALSE(diverged(log, floor));
}

TEST(Training, AHugeLearningRateStopsAsDiverged) {
  SmallRun r = small_run(2);
  r.cfg.updates = 500;
  r.s.opt.lr = 1e3;
  try {
    train<float>(r.s, r.cfg, r.x, r.held, nullptr);
    FAIL() << "training did not stop";
  } catch (const NumericError& e) {
    EXPECT_NE(std::string(e.what()).find("diverged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("smaller --lr"), std::string::npos) << e.what();
  }
  EXPECT_LT(r.s.update, 100);
}
