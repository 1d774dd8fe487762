#include "vae/summary.hpp"

#include "common/errors.hpp"
#include "common/json.hpp"

namespace vivae {

namespace {

Json eval_json(const SetEval& e) {
  Json j;
  j["elbo"] = json_number(e.elbo);
  j["recon"] = json_number(e.recon);
  j["kl"] = json_number(e.kl);
  j["iwae"] = json_number(e.iwae);
  return j;
}

SetEval eval_from(const Json& j, const std::string& key, const std::string& name) {
  SetEval e;
  e.elbo = number_at(j, key + ".elbo", name);
  e.recon = number_at(j, key + ".recon", name);
  e.kl = number_at(j, key + ".kl", name);
  e.iwae = number_at(j, key + ".iwae", name);
  return e;
}

Json options_json(const RunOptions& o, bool training) {
  Json j;
  j["data_dir"] = o.data_dir;
  j["out"] = o.out;
  j["per_digit"] = o.per_digit;
  j["heldout"] = o.heldout;
  if (training) {
    j["batch"] = o.batch;
    j["samples"] = o.samples;
    j["updates"] = o.updates;
    j["valid_every"] = o.valid_every;
    j["valid_size"] = o.valid_size;
    j["optim"] = o.optim;
    j["lr"] = json_number(o.lr);
  }
  j["seed"] = o.seed;
  j["iwae_k"] = o.iwae_k;
  j["enc_hidden"] = o.enc_hidden;
  j["dec_hidden"] = o.dec_hidden;
  j["latent"] = o.latent;
  j["precision"] = o.precision;
  if (training) {
    j["load"] = o.load;
    j["checkpoint_every"] = o.checkpoint_every;
    j["resume"] = o.resume;
  } else {
    j["scale"] = o.scale;
  }
  j["threads"] = o.threads;
  j["train_eval"] = o.train_eval;
  return j;
}

RunOptions options_from(const Json& j) {
  RunOptions o;
  o.data_dir = j.value("data_dir", "");
  o.out = j.value("out", "");
  o.optim = j.value("optim", "adam");
  o.precision = j.value("precision", "float");
  o.load = j.value("load", "");
  o.scale = j.value("scale", "logvar");
  for (auto [key, slot] : std::initializer_list<std::pair<const char*, long*>>{
           {"per_digit", &o.per_digit}, {"heldout", &o.heldout}, {"batch", &o.batch}, {"samples", &o.samples},
           {"updates", &o.updates}, {"valid_every", &o.valid_every}, {"valid_size", &o.valid_size},
           {"iwae_k", &o.iwae_k}, {"enc_hidden", &o.enc_hidden}, {"dec_hidden", &o.dec_hidden}, {"latent", &o.latent},
           {"checkpoint_every", &o.checkpoint_every}, {"threads", &o.threads}, {"train_eval", &o.train_eval}})
    *slot = j.value(key, *slot);
  o.lr = j.contains("lr") ? number_at(j, "lr", "options") : 0.0;
  o.seed = j.value("seed", uint64_t{0});
  o.resume = j.value("resume", false);
  return o;
}

}  // namespace

std::string summary_text(const RunSummary& s) {
  const bool training = s.program == "vae_train";
  Json j;
  j["program"] = s.program;
  j["status"] = s.status;
  j["run"] = s.run;
  if (s.train) j["train"] = eval_json(*s.train);
  j["heldout"] = eval_json(s.heldout);
  if (training) j["updates_done"] = s.updates_done;
  j["train_eval_images"] = s.train_eval_images;
  if (training) {
    j["wall_s"] = json_number(s.wall_s);
    j["updates_per_s"] = json_number(s.updates_per_s);
  }
  j["eval_s"] = json_number(s.eval_s);
  if (training) j["resumed_at"] = s.resumed_at;
  j["seed"] = s.seed;
  j["train_images"] = s.train_images;
  j["heldout_images"] = s.heldout_images;
  j["parameters"] = s.parameters;
  j["latent_grid_dim_a"] = s.latent_grid_dim_a;
  j["latent_grid_dim_b"] = s.latent_grid_dim_b;
  j["blas_core"] = s.blas_core;
  j["blas_threads"] = s.blas_threads;
  j["below_floor"] = s.below_floor;
  j["options"] = options_json(s.options, training);
  if (s.weights) {
    const WeightsRecord& w = *s.weights;
    Json wj;
    wj["file"] = w.file;
    wj["format"] = w.format;
    wj["dtype"] = w.dtype;
    wj["scale"] = w.scale;
    Json layers = Json::object();
    for (const auto& [role, tensor] : w.layers) layers[role] = tensor;
    wj["layers"] = layers;
    wj["notes"] = w.notes;
    j["weights"] = wj;
  }
  j["command"] = s.command;
  return json_text(j);
}

RunSummary parse_summary(const std::string& text, const std::string& name) {
  const Json j = parse_json(text, name);
  if (!j.is_object()) throw DataError("'" + name + "' is not a run's summary.json");
  RunSummary s;
  try {
    s.program = j.value("program", "vae_train");
    s.status = string_at(j, "status", name);
    if (s.status != "complete") throw DataError("'" + name + "' records a run that is not complete (" + s.status + ")");
    s.run = string_at(j, "run", name);
    if (j.contains("train")) s.train = eval_from(j, "train", name);
    s.heldout = eval_from(j, "heldout", name);
    s.updates_done = j.value("updates_done", 0L);
    s.train_eval_images = j.value("train_eval_images", 0L);
    s.resumed_at = j.value("resumed_at", 0L);
    s.train_images = j.value("train_images", 0L);
    s.heldout_images = j.value("heldout_images", 0L);
    s.parameters = j.value("parameters", 0L);
    s.wall_s = j.contains("wall_s") ? number_at(j, "wall_s", name) : 0.0;
    s.updates_per_s = j.contains("updates_per_s") ? number_at(j, "updates_per_s", name) : 0.0;
    s.eval_s = j.contains("eval_s") ? number_at(j, "eval_s", name) : 0.0;
    s.seed = j.value("seed", uint64_t{0});
    s.latent_grid_dim_a = j.value("latent_grid_dim_a", 0L);
    s.latent_grid_dim_b = j.value("latent_grid_dim_b", 0L);
    s.blas_core = j.value("blas_core", "");
    s.blas_threads = j.value("blas_threads", 1L);
    s.below_floor = j.value("below_floor", false);
    if (j.contains("options")) s.options = options_from(j["options"]);
    if (j.contains("weights")) {
      const Json& wj = j["weights"];
      WeightsRecord w;
      w.file = wj.value("file", "");
      w.format = wj.value("format", "");
      w.dtype = wj.value("dtype", "");
      w.scale = wj.value("scale", "logvar");
      if (wj.contains("layers"))
        for (const auto& [role, tensor] : wj["layers"].items()) w.layers.emplace_back(role, tensor.get<std::string>());
      if (wj.contains("notes")) w.notes = wj["notes"].get<std::vector<std::string>>();
      s.weights = w;
    }
    s.command = j.value("command", "");
  } catch (const Json::exception& e) {
    throw DataError("'" + name + "' is not a run's summary.json (" + e.what() + ")");
  }
  return s;
}

std::string diverged_text(const DivergedRecord& d) {
  Json j;
  j["status"] = "diverged";
  j["update"] = d.update;
  j["message"] = d.message;
  j["run"] = d.run;
  j["command"] = d.command;
  return json_text(j);
}

DivergedRecord parse_diverged(const std::string& text, const std::string& name) {
  const Json j = parse_json(text, name);
  DivergedRecord d;
  if (!j.is_object() || j.value("status", "") != "diverged") throw DataError("'" + name + "' is not a diverged.json");
  try {
    d.update = j.value("update", 0L);
    d.message = string_at(j, "message", name);
    d.run = j.value("run", "");
    d.command = j.value("command", "");
  } catch (const Json::exception& e) {
    throw DataError("'" + name + "' is not a diverged.json (" + e.what() + ")");
  }
  return d;
}

std::string record_run_key(const std::string& text) {
  try {
    const Json j = Json::parse(text);
    return j.is_object() && j.contains("run") && j["run"].is_string() ? j["run"].get<std::string>() : "";
  } catch (const Json::exception&) {
    return "";
  }
}

}  // namespace vivae
