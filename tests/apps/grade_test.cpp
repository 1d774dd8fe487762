// Grading as a course team meets it: a folder of generated submissions graded through the job
// file and GNU parallel (as make grade runs them) and collected into grades.csv, the scores in
// the order a grader would put them, with the reasons; and run_autograder against a simulated
// Gradescope root: a results.json that fits Gradescope's schema for every submission, for
// hostile files, a crashing or hanging check, and a grader that cannot run at all.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>

#include "../grade/gradescope_schema.hpp"
#include "../vae/idx_writer.hpp"
#include "../vae/torch_like.hpp"
#include "app_runner.hpp"
#include "common/files.hpp"
#include "grade/rubric.hpp"
#include "grade/score.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {

const std::string kRight =
    "Q2.theta = 0\nQ2.kl = log(2^N - 1)\nQ1.theta = i == 1 ? 0 : 1/2\nQ1.kl = log(2 - 2^(1-N))\n";

struct World {
  std::string dir, reference, rubric, submissions, good_model;
};

void train(const std::string& out, int seed) {
  const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() +
                                               " --per-digit 5 --heldout 30 --valid-size 10 --batch 10 --updates 300 --iwae-k 50"
                                               " --quiet --seed " + std::to_string(seed) + " --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
}

void put(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The reference (two seeds), a rubric for the small fake data, and the submissions.
const World& world() {
  static const World w = [] {
    World x;
    x.dir = temp_dir();
    x.reference = x.dir + "/reference";
    train(x.reference + "/p2", 11);
    train(x.reference + "/p2-seeds/seed-12", 12);
    train(x.dir + "/good", 13);
    x.good_model = x.dir + "/good/model.safetensors";
    const std::string path = std::string(VIVAE_SOURCE_DIR) + "/src/grade/rubric.json";
    Rubric r = parse_rubric(read_file(path), path);
    r.claims_n = "1:10";
    r.per_digit = 5, r.heldout = 30, r.iwae_k = 50;
    r.min_sd = 1.0, r.zero_beyond_sd = 30;  // two seeds of a tiny model: full within 10 nats, none beyond 30
    r.max_file_mb = 1;
    r.claims_time_limit_s = 20, r.model_time_limit_s = 60;
    x.rubric = x.dir + "/rubric.json";
    put(x.rubric, rubric_text(r));
    x.submissions = x.dir + "/submissions";
    auto make = [&](const std::string& name, const std::string& claims, const std::string& model_from) {
      const std::string d = x.submissions + "/" + name;
      ensure_writable_dir(d);
      if (!claims.empty()) put(d + "/p1_claims.txt", claims);
      if (!model_from.empty()) put(d + "/vae.safetensors", read_file(model_from));
    };
    make("a-right", kRight, x.good_model);
    make("b-q2-half", "Q2.theta = 1/2\nQ2.kl = log(2^N - 1)\nQ1.theta = i == 1 ? 0 : 1/2\nQ1.kl = log(2 - 2^(1-N))\n", x.good_model);
    make("c-q1-off-by-one", "Q2.theta = 0\nQ2.kl = log(2^N - 1)\nQ1.theta = i == 1 ? 0 : 1/2\nQ1.kl = log(2 - 2^(-N))\n",
         x.good_model);
    make("d-untrained", kRight, "");
    EXPECT_EQ(torch_like("--data " + fake_mnist_dir() + " --out " + x.submissions + "/d-untrained/vae.safetensors --naming examples").code, 0);
    make("e-transposed", kRight, "");
    EXPECT_EQ(torch_like("--data " + fake_mnist_dir() + " --out " + x.submissions + "/e-transposed/vae.safetensors --from-safetensors " +
                         x.good_model + " --naming head --transpose enc1.weight").code, 0);
    make("f-garbage", kRight, "");
    put(x.submissions + "/f-garbage/vae.safetensors", std::string(5000, '\x7f'));
    make("g-empty", "", "");
    return x;
  }();
  return w;
}

std::string grade_cmd() {
  const World& w = world();
  return std::string(VIVAE_BIN_DIR) + "/grade --rubric " + w.rubric + " --bin " + VIVAE_BIN_DIR + " --data-dir " +
         fake_mnist_dir() + " --reference " + w.reference;
}

GradeRecord grade_of(const std::string& out, const std::string& name) {
  const std::string path = out + "/" + name + "/grade.json";
  return parse_grade_json(slurp(path), path);
}

std::string reason(const GradeRecord& g, const std::string& id) {
  for (const ItemScore& s : g.items)
    if (s.item.id == id) return s.reason;
  return "(no item " + id + ")";
}

}  // namespace

TEST(Grade, AFolderOfSubmissionsIsGradedInTheOrderAGraderWouldPutThem) {
  const World& w = world();
  const std::string out = temp_dir() + "/grade";
  const RunResult jobs = run_app("grade", "--jobs " + out + "/jobs.txt --submissions " + w.submissions + " --out " + out +
                                              " --rubric " + w.rubric + " --grade-cmd '" + grade_cmd() + "'");
  ASSERT_EQ(jobs.code, 0) << jobs.err;
  EXPECT_EQ(count_lines(slurp(out + "/jobs.txt")), 7);
  ASSERT_EQ(std::system(("parallel --will-cite --jobs 2 --halt never < " + out + "/jobs.txt > " + out + "/log 2>&1").c_str()), 0)
      << slurp(out + "/log");
  const RunResult collect = run_app("grade", "--collect " + out + " --submissions " + w.submissions + " --rubric " + w.rubric +
                                                 " --csv " + out + "/grades.csv");
  ASSERT_EQ(collect.code, 0) << collect.err;
  const std::string csv = slurp(out + "/grades.csv");
  EXPECT_EQ(count_lines(csv), 8) << csv;

  std::map<std::string, double> total;
  for (const char* n : {"a-right", "b-q2-half", "c-q1-off-by-one", "d-untrained", "e-transposed", "f-garbage", "g-empty"})
    total[n] = grade_of(out, n).total;
  EXPECT_EQ(total["a-right"], 70) << csv;
  EXPECT_GT(total["a-right"], total["b-q2-half"]);
  EXPECT_GT(total["b-q2-half"], total["c-q1-off-by-one"]);  // (d)'s formula is worth more than (c)'s minimiser
  EXPECT_GT(total["c-q1-off-by-one"], total["d-untrained"]);
  EXPECT_GT(total["d-untrained"], total["e-transposed"]);   // an untrained model loads; a transposed one does not
  EXPECT_EQ(total["e-transposed"], total["f-garbage"]);
  EXPECT_GT(total["f-garbage"], total["g-empty"]);
  EXPECT_EQ(total["g-empty"], 0);
  // The reasons a student reads, from the checks themselves.
  EXPECT_NE(reason(grade_of(out, "b-q2-half"), "1c-theta").find("where p = 0, so KL(q||p) = +inf"), std::string::npos);
  EXPECT_NE(reason(grade_of(out, "c-q1-off-by-one"), "1d-kl").find("fails at N = 1, beta = inf: claimed 0.405465"),
            std::string::npos) << reason(grade_of(out, "c-q1-off-by-one"), "1d-kl");
  EXPECT_NE(reason(grade_of(out, "d-untrained"), "2ii-elbo").find("nats below the reference mean"), std::string::npos);
  EXPECT_NE(reason(grade_of(out, "d-untrained"), "2ii-model").find("loads as the homework's VAE"), std::string::npos);
  EXPECT_NE(reason(grade_of(out, "e-transposed"), "2ii-model").find("is it transposed?"), std::string::npos)
      << reason(grade_of(out, "e-transposed"), "2ii-model");
  EXPECT_NE(reason(grade_of(out, "f-garbage"), "2ii-model").find("'vae.safetensors' is not a valid safetensors file"),
            std::string::npos) << reason(grade_of(out, "f-garbage"), "2ii-model");
  EXPECT_NE(reason(grade_of(out, "g-empty"), "1c-kl").find("no p1_claims.txt in the submission"), std::string::npos);
  EXPECT_NE(csv.find("b-q2-half,5,0,10,10,10,15,15,65,70,"), std::string::npos) << csv;

  // A second pass grades nothing again; a changed file is graded again.
  const RunResult again = run_app("grade", grade_cmd().substr(grade_cmd().find(' ') + 1) + " --submission " + w.submissions +
                                               "/b-q2-half --out " + out + "/b-q2-half");
  EXPECT_NE(again.out.find("already graded"), std::string::npos) << again.out << again.err;
  const std::string copy = temp_dir() + "/b";
  ASSERT_EQ(std::system(("cp -r " + w.submissions + "/b-q2-half " + copy).c_str()), 0);
  const std::string args = grade_cmd().substr(grade_cmd().find(' ') + 1) + " --submission " + copy + " --out " + out + "/copy";
  ASSERT_EQ(run_app("grade", args).code, 0);
  put(copy + "/p1_claims.txt", kRight);
  const RunResult changed = run_app("grade", args);
  EXPECT_EQ(changed.out.find("already graded"), std::string::npos) << changed.out;
  EXPECT_EQ(grade_of(out, "copy").total, 70);
}

TEST(Grade, RunAutograderAlwaysWritesResultsThatFitGradescopesSchema) {
  const World& w = world();
  const std::string root = temp_dir();
  const std::string src = root + "/source";
  ASSERT_EQ(std::system(("mkdir -p " + src + "/build " + src + "/src/grade " + src + "/data && cp -r " + fake_mnist_dir() + " " +
                         src + "/data/mnist && cp -r " + w.reference + " " + src + "/reference && cp " + w.rubric + " " + src +
                         "/src/grade/rubric.json && cp " + VIVAE_SOURCE_DIR + "/src/grade/autograder/run_autograder " + src +
                         "/ && for p in grade vi_verify vae_eval; do ln -s " + VIVAE_BIN_DIR + "/$p " + src + "/build/$p; done")
                            .c_str()),
            0);
  auto autograde = [&](const std::string& submission_setup) {
    EXPECT_EQ(std::system(("rm -rf " + root + "/submission " + root + "/results && mkdir -p " + root + "/submission && " +
                           submission_setup + " && AUTOGRADER_ROOT=" + root + " " + src + "/run_autograder >/dev/null 2>&1")
                              .c_str()),
              0);
    return slurp(root + "/results/results.json");
  };
  for (const char* n : {"a-right", "b-q2-half", "d-untrained", "e-transposed", "f-garbage", "g-empty"}) {
    const std::string results = autograde("cp -r " + w.submissions + "/" + n + "/. " + root + "/submission/");
    EXPECT_EQ(gradescope_problems(results), "") << n << ": " << results;
    const Json j = parse_json(results, "results.json");
    EXPECT_EQ(j["tests"].size(), 13u) << n;  // one test per rubric item
    double sum = 0;
    for (const Json& t : j["tests"]) sum += t["score"].get<double>();
    EXPECT_DOUBLE_EQ(sum, j["score"].get<double>()) << n;
    if (std::string(n) == "a-right") {
      EXPECT_EQ(j["score"].get<double>(), 70);
    }
    if (std::string(n) == "b-q2-half") {
      EXPECT_NE(results.find("KL(q||p) = +inf"), std::string::npos);
    }
  }
  // Hostile files: links to endless or secret files, a file over the size limit, binary claims.
  const std::string hostile = autograde("ln -s /dev/zero " + root + "/submission/p1_claims.txt && ln -s /etc/shadow " + root +
                                        "/submission/vae.npz && head -c 2000000 /dev/urandom > " + root +
                                        "/submission/vae.safetensors && printf 'logvar\\n' > " + root + "/submission/vae_scale.txt");
  EXPECT_EQ(gradescope_problems(hostile), "") << hostile;
  EXPECT_NE(hostile.find("p1_claims.txt is a symbolic link"), std::string::npos) << hostile;
  EXPECT_NE(hostile.find("over the limit of 1 MB"), std::string::npos) << hostile;
  // A check that crashes, and one that hangs past its time limit.
  const std::string real = src + "/build/vi_verify";
  ASSERT_EQ(std::system(("rm " + real + " && printf '#!/bin/sh\\nkill -SEGV $$\\n' > " + real + " && chmod +x " + real).c_str()), 0);
  const std::string crashed = autograde("printf '" + std::string("Q2.kl = 1") + "\\n' > " + root + "/submission/p1_claims.txt");
  EXPECT_EQ(gradescope_problems(crashed), "") << crashed;
  EXPECT_NE(crashed.find("vi_verify crashed (signal 11)"), std::string::npos) << crashed;
  Rubric quick = parse_rubric(slurp(w.rubric), "rubric");
  quick.claims_time_limit_s = 1;
  put(src + "/src/grade/rubric.json", rubric_text(quick));
  ASSERT_EQ(std::system(("printf '#!/bin/sh\\nsleep 30\\n' > " + real).c_str()), 0);
  const std::string hung = autograde("printf 'Q2.kl = 1\\n' > " + root + "/submission/p1_claims.txt");
  EXPECT_EQ(gradescope_problems(hung), "") << hung;
  EXPECT_NE(hung.find("vi_verify ran over the time limit of 1 s"), std::string::npos) << hung;
  // The grader itself cannot run (no reference): still a valid results.json saying so.
  ASSERT_EQ(std::system(("rm -rf " + src + "/reference").c_str()), 0);
  const std::string broken = autograde("true");
  EXPECT_EQ(gradescope_problems(broken), "") << broken;
  EXPECT_NE(broken.find("could not grade this submission"), std::string::npos) << broken;
  // Everything it wrote is under the root's results; the submission is as it was.
  struct stat st {};
  EXPECT_EQ(stat((root + "/submission").c_str(), &st), 0);
}
