// `make study`: how much the answers of Problem 2 depend on the seed and on the homework's
// choices, swept as Kingma & Welling swept them. Each run is one vae_train command writing its
// own folder RUNS/<config>/seed-<s>/; the list of commands is a plain job file that any engine
// (GNU parallel here, parallel --sshloginfile or a Slurm array elsewhere) runs; collecting only
// reads the run folders, so results copied back from anywhere are collected the same way.
#pragma once
#include <string>
#include <vector>

#include "common/json.hpp"
#include "common/read.hpp"
#include "report/sections.hpp"
#include "vae/summary.hpp"

namespace vivae {

// One configuration: the vae_train options that differ from the homework's, and its label.
struct StudyConfig {
  std::string name;     // folder name, e.g. "latent-2"
  std::string options;  // e.g. "--latent 2"
  std::string label;    // e.g. "2" (in its sweep's table)
};

// A sweep: one axis of the study and its settings (the homework's own among them).
struct StudySweep {
  std::string name;   // latent, optim, samples, size
  std::string axis;   // what varies, for tables
  std::vector<StudyConfig> configs;
};

struct StudyPlan {
  std::vector<StudySweep> sweeps;
  std::vector<long long> seeds;
  std::string common;  // options every run shares (updates, evaluation, ...)
  int iwae_k = 1000;   // the k of L_k in `common`
};

// "full": the study of the issue (13 configurations × 5 seeds); "tiny": two short runs, for the
// tests of the machinery.
StudyPlan study_plan(const std::string& name);
// Every configuration once, in sweep order (the homework's configuration is in several sweeps).
std::vector<StudyConfig> unique_configs(const StudyPlan& plan);

// The job file: one shell command per run, in a fixed order. `vae_train` and `data_dir` as the
// commands should name them (paths relative to where the jobs run).
std::string study_jobs(const StudyPlan& plan, const std::string& runs_dir, const std::string& vae_train,
                       const std::string& data_dir);

// What one run's folder says.
struct RunRecord {
  std::string config;
  long long seed = 0;
  std::string status;  // complete, diverged, missing
  RunSummary summary;  // summary.json (complete)
  DivergedRecord diverged;  // diverged.json (diverged)
  Table valid;         // valid.csv (complete)
};
std::vector<RunRecord> collect_runs(const StudyPlan& plan, const std::string& runs_dir);

// Tables, macros, sentences and plot data for report/study.tex.
std::vector<GeneratedFile> study_generated(const StudyPlan& plan, const std::vector<RunRecord>& runs);

}  // namespace vivae
