// The rubric's scoring rules on hand-made check outcomes: claims (all points, half, none),
// the model's shape, the partial credit by distance from the reference band (computed here
// from the rubric's numbers), and the three file formats of a grade.
#include "grade/score.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "gradescope_schema.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {

Rubric tracked_rubric() {
  const std::string path = std::string(VIVAE_SOURCE_DIR) + "/src/grade/rubric.json";
  return parse_rubric(read_file(path), path);
}

ClaimRecord claim(const std::string& quantity, bool holds, int checked, int line) {
  ClaimRecord c;
  c.claim = quantity + " = something";
  c.quantity = quantity;
  c.holds = holds;
  c.checked = checked;
  c.line = line;
  if (!holds) c.first_failure = ClaimFailure{3, INFINITY, {0.5}, {0}, "the reason"};
  return c;
}

// A reference of seeds with held-out ELBO m - 1, m, m + 1 (sample sd 1) and L = ELBO + 1.
ReferenceBand band(double m) {
  ReferenceBand r;
  for (double d : {-1.0, 0.0, 1.0}) {
    RunSummary s;
    s.heldout.elbo = m + d;
    s.heldout.iwae = m + d + 1;
    r.runs.push_back(s);
  }
  return r;
}

ModelOutcome model(double elbo, int latent = 8) {
  ModelOutcome m;
  m.file = "vae.safetensors";
  RunSummary s;
  s.heldout.elbo = elbo;
  s.heldout.iwae = elbo + 1;
  s.options.enc_hidden = 128, s.options.latent = latent, s.options.dec_hidden = 128;
  m.summary = s;
  return m;
}

const ItemScore& item(const GradeRecord& g, const std::string& id) {
  for (const ItemScore& s : g.items)
    if (s.item.id == id) return s;
  throw DataError("no item " + id);
}

}  // namespace

TEST(Score, TheTrackedRubricHasTheHomeworksPoints) {
  const Rubric r = tracked_rubric();
  double auto_points = 0, all = 0;
  for (const RubricItem& i : r.items) {
    all += i.points;
    auto_points += i.automatic() ? i.points : 0;
    EXPECT_FALSE(i.earns.empty()) << i.id;
  }
  EXPECT_EQ(all, 100);          // Problem 1: 40, Problem 2: 60
  EXPECT_EQ(auto_points, 70);   // (c) 10, (d) 20, (ii) 40; proofs and plots by hand
  EXPECT_EQ(parse_rubric(rubric_text(r), "again").items.size(), r.items.size());
}

TEST(Score, AClaimEarnsAllOnTheWholeGridHalfOnPartOfItAndNothingWhenOneFails) {
  const Rubric r = tracked_rubric();
  ClaimsOutcome c;
  c.present = true;
  c.grid_points = 14;
  c.grid = "N = 1:14, beta = inf";
  c.records = {claim("Q2.kl", true, 14, 1), claim("Q2.theta", true, 1, 2), claim("Q1.kl", true, 14, 3),
               claim("Q1.kl", false, 14, 4)};
  const GradeRecord g = grade_submission(r, c, model(-33.8), band(-33.8));
  EXPECT_EQ(item(g, "1c-kl").points, 5);
  EXPECT_EQ(item(g, "1c-theta").points, 2.5);
  EXPECT_NE(item(g, "1c-theta").reason.find("only at the 1 of 14 points"), std::string::npos);
  EXPECT_EQ(item(g, "1d-kl").points, 0);  // a failing claim beside a holding one
  EXPECT_NE(item(g, "1d-kl").reason.find("line 4: 'Q1.kl = something' fails at N = 3, beta = inf: the reason"),
            std::string::npos) << item(g, "1d-kl").reason;
  EXPECT_EQ(item(g, "1d-theta").points, 0);
  EXPECT_NE(item(g, "1d-theta").reason.find("no claim of Q1.theta"), std::string::npos);
  c.problem = "p1_claims.txt:2:9: unknown name 'n'";
  const GradeRecord bad = grade_submission(r, c, model(-33.8), band(-33.8));
  EXPECT_EQ(item(bad, "1c-kl").reason, c.problem);
  EXPECT_EQ(item(bad, "1c-kl").points, 0);
}

TEST(Score, TheBoundsEarnCreditFallingLinearlyWithDistanceFromTheBand) {
  Rubric r = tracked_rubric();
  ClaimsOutcome none;
  // sd 1 over the three seeds; full credit within 10 sd below the mean, none beyond 100 sd.
  for (const auto& [below, expected] : std::vector<std::pair<double, double>>{
           {-3, 15}, {0, 15}, {10, 15}, {55, 7.5}, {100, 0}, {250, 0}, {32.5, 11.25}}) {
    const GradeRecord g = grade_submission(r, none, model(-200 - below), band(-200));
    EXPECT_NEAR(item(g, "2ii-elbo").points, expected, 1e-9) << below;
    EXPECT_NEAR(item(g, "2ii-iwae").points, expected, 1e-9) << below;  // L is ELBO + 1 on both sides
  }
  // The seed spread is floored at min_sd: with sd 0 -> 0.5, full within 5 nats, none beyond
  // 50, so 27.5 below earns half.
  ReferenceBand flat = band(-50);
  for (RunSummary& s : flat.runs) s.heldout.elbo = -50;
  r.min_sd = 0.5;
  EXPECT_NEAR(item(grade_submission(r, none, model(-77.5), flat), "2ii-elbo").points, 7.5, 1e-9);
  // The model's shape: all, half for other widths, none when it did not load.
  EXPECT_EQ(item(grade_submission(r, none, model(-33), band(-33)), "2ii-model").points, 10);
  EXPECT_EQ(item(grade_submission(r, none, model(-33, 20), band(-33)), "2ii-model").points, 5);
  ModelOutcome broken;
  broken.file = "vae.npz";
  broken.problem = "vae_eval: 'vae.npz' is not a valid .npz file: not a zip archive";
  const GradeRecord g = grade_submission(r, none, broken, band(-33));
  EXPECT_EQ(item(g, "2ii-model").reason, broken.problem);
  EXPECT_EQ(item(g, "2ii-elbo").points, 0);
  EXPECT_EQ(g.total, 0);
  EXPECT_THROW(grade_submission(r, none, broken, ReferenceBand{}), DataError);
}

TEST(Score, GradesReadBackAndFitGradescopesSchema) {
  const Rubric r = tracked_rubric();
  ClaimsOutcome c;
  c.present = true;
  c.grid_points = 14;
  c.records = {claim("Q2.kl", true, 14, 1)};
  GradeRecord g = grade_submission(r, c, model(-34, 8), band(-33.8));
  g.submission = "student, with \"quotes\"";
  g.key = "k";
  const GradeRecord back = parse_grade_json(grade_json(g), "grade.json");
  EXPECT_EQ(back.total, g.total);
  EXPECT_EQ(back.items.size(), g.items.size());
  EXPECT_EQ(back.items[2].reason, g.items[2].reason);
  EXPECT_EQ(gradescope_problems(gradescope_json(g)), "");
  const std::string csv = grades_csv(r, {g});
  EXPECT_NE(csv.find("\"student, with \"\"quotes\"\"\""), std::string::npos) << csv;
  EXPECT_NE(csv.find(",total,max,reasons for lost points\n"), std::string::npos);
  // The schema check itself refuses what Gradescope would.
  EXPECT_NE(gradescope_problems("{\"score\": \"ten\"}"), "");
  EXPECT_NE(gradescope_problems("{\"score\": 1, \"tests\": [{\"status\": \"ok\"}]}"), "");
  EXPECT_NE(gradescope_problems("{\"score\": 1, \"bogus\": 1}"), "");
}
