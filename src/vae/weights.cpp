#include "vae/weights.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

#include "common/errors.hpp"
#include "vae/model_io.hpp"
#include "vae/npz.hpp"
#include "vae/safetensors.hpp"

namespace vivae {

namespace {

// One dense layer of the file: a (out, in) weight and its (out,) bias.
struct Linear {
  std::string name;  // the weight's name without ".weight"
  const NamedTensor* w = nullptr;
  const NamedTensor* b = nullptr;
  uint64_t out = 0, in = 0;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string strip_suffix(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0
             ? s.substr(0, s.size() - suffix.size())
             : s;
}

bool has_extension(const std::string& name, const std::string& ext) {
  const std::string n = lower(name);
  return n.size() >= ext.size() && n.compare(n.size() - ext.size(), ext.size(), ext) == 0;
}

std::string layer_list(const std::vector<Linear>& layers) {
  std::string s;
  for (const Linear& l : layers) s += (s.empty() ? "" : ", ") + ("'" + l.w->name + "' " + shape_text(l.w->shape));
  return s;
}

// Pairs every 2-D weight with its 1-D bias: by name (x.weight with x.bias) first, then by size.
std::vector<Linear> pair_layers(const TensorFile& f, const std::string& name) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "': " + why); };
  std::vector<const NamedTensor*> weights, biases;
  for (const NamedTensor& t : f.tensors) {
    if (t.shape.size() == 2) weights.push_back(&t);
    else if (t.shape.size() == 1) biases.push_back(&t);
    else
      throw fail("tensor '" + t.name + "' has shape " + shape_text(t.shape) +
                 ": a dense layer's tensors are a weight (out, in) and a bias (out,)");
  }
  std::vector<Linear> layers;
  std::vector<bool> used(biases.size(), false);
  for (const NamedTensor* w : weights) {
    Linear l;
    l.w = w;
    l.out = w->shape[0];
    l.in = w->shape[1];
    l.name = strip_suffix(w->name, ".weight");
    const size_t at = w->name.rfind("weight");
    const std::string bias_name = at == std::string::npos ? "" : w->name.substr(0, at) + "bias" + w->name.substr(at + 6);
    for (size_t k = 0; k < biases.size(); ++k) {
      if (used[k] || biases[k]->name != bias_name) continue;
      if (biases[k]->shape[0] == l.out) l.b = biases[k], used[k] = true;
      else if (biases[k]->shape[0] == l.in)
        throw fail("weight '" + w->name + "' is " + shape_text(w->shape) + " but its bias '" + bias_name + "' has " +
                   std::to_string(l.in) + " entries: nn.Linear stores a weight as (out, in); is it transposed?");
    }
    layers.push_back(l);
  }
  for (Linear& l : layers) {
    if (l.b) continue;
    std::vector<size_t> fits;
    for (size_t k = 0; k < biases.size(); ++k)
      if (!used[k] && biases[k]->shape[0] == l.out) fits.push_back(k);
    size_t same_out = 0;
    for (const Linear& o : layers) same_out += !o.b && o.out == l.out;
    if (fits.empty()) {
      for (size_t k = 0; k < biases.size(); ++k)
        if (!used[k] && biases[k]->shape[0] == l.in)
          throw fail("weight '" + l.w->name + "' is " + shape_text(l.w->shape) + " and no bias has " + std::to_string(l.out) +
                     " entries, but '" + biases[k]->name + "' has " + std::to_string(l.in) +
                     ": nn.Linear stores a weight as (out, in); is it transposed?");
      throw fail("no bias of size " + std::to_string(l.out) + " for weight '" + l.w->name + "'");
    }
    if (fits.size() > 1 && same_out > 1)
      throw fail("cannot tell which bias belongs to weight '" + l.w->name + "': '" + biases[fits[0]]->name + "' or '" +
                 biases[fits[1]]->name + "' (name them NAME.weight and NAME.bias)");
    l.b = biases[fits[0]];
    used[fits[0]] = true;
  }
  for (size_t k = 0; k < biases.size(); ++k)
    if (!used[k]) throw fail("tensor '" + biases[k]->name + "' " + shape_text(biases[k]->shape) + " is the bias of no weight");
  return layers;
}

enum Role { kEnc1, kHead, kMu, kScale, kDec1, kDec2 };
const char* role_name(Role r) {
  static const char* names[] = {"enc1", "enc2", "mu", "scale", "dec1", "dec2"};
  return names[r];
}

// The roles in chain order, for one head or two.
std::vector<Role> roles_for(size_t layers) {
  if (layers == 4) return {kEnc1, kHead, kDec1, kDec2};
  return {kEnc1, kMu, kScale, kDec1, kDec2};
}

// perm[k] is the layer that plays roles[k].
bool chains(const std::vector<Linear>& l, const std::vector<Role>& roles, const std::vector<size_t>& perm, uint64_t d) {
  std::map<Role, const Linear*> at;
  for (size_t k = 0; k < roles.size(); ++k) at[roles[k]] = &l[perm[k]];
  const Linear& e1 = *at[kEnc1];
  uint64_t latent = 0;
  if (roles.size() == 4) {
    const Linear& h = *at[kHead];
    if (h.in != e1.out || h.out % 2 != 0) return false;
    latent = h.out / 2;
  } else {
    const Linear &mu = *at[kMu], &sc = *at[kScale];
    if (mu.in != e1.out || sc.in != e1.out || mu.out != sc.out) return false;
    latent = mu.out;
  }
  const Linear &d1 = *at[kDec1], &d2 = *at[kDec2];
  return e1.in == d && latent > 0 && d1.in == latent && d2.in == d1.out && d2.out == d;
}

std::vector<std::vector<size_t>> chain_assignments(const std::vector<Linear>& l, const std::vector<Role>& roles,
                                                   uint64_t d) {
  std::vector<std::vector<size_t>> out;
  std::vector<size_t> perm(l.size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  do {
    if (chains(l, roles, perm, d)) out.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return out;
}

// How well a layer's name fits a role: enc/dec, and mu/mean/loc against var/std/sigma/scale.
int name_score(Role r, const std::string& layer) {
  const std::string n = lower(layer);
  auto has = [&](const char* s) { return n.find(s) != std::string::npos; };
  int s = 0;
  const bool encoder_role = r == kEnc1 || r == kHead || r == kMu || r == kScale;
  if (has("enc")) s += encoder_role ? 1 : -1;
  if (has("dec")) s += encoder_role ? -1 : 1;
  const bool mu_like = has("mu") || has("mean") || has("loc");
  const bool scale_like = has("var") || has("std") || has("sigma") || has("scale");
  if (r == kMu) s += 2 * (mu_like - scale_like);
  if (r == kScale) s += 2 * (scale_like - mu_like);
  return s;
}

// The last number in a name ("fc21" → 21), or −1.
long last_number(const std::string& s) {
  long v = -1;
  for (size_t i = 0; i < s.size();) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    v = std::stol(s.substr(i, std::min<size_t>(j - i, 9)));
    i = j;
  }
  return v;
}

void copy_into(arma::mat& m, const NamedTensor& t, arma::uword row0) {
  const arma::uword cols = m.n_cols;
  if (t.shape.size() == 2)
    for (arma::uword r = 0; r < t.shape[0]; ++r)
      for (arma::uword c = 0; c < cols; ++c) m(row0 + r, c) = t.values[r * cols + c];
  else
    for (arma::uword r = 0; r < t.shape[0]; ++r) m(row0 + r, 0) = t.values[r];
}

std::string widest_dtype(const TensorFile& f) {
  int rank = -1;
  std::string best;
  for (const NamedTensor& t : f.tensors) {
    const int r = t.dtype == "F64" ? 3 : t.dtype == "F32" ? 2 : 1;
    if (r > rank) rank = r, best = t.dtype;
  }
  return best;
}

}  // namespace

LoadedWeights match_layers(const TensorFile& f, const std::string& name, HeadScale scale, int input) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "': " + why); };
  for (const NamedTensor& t : f.tensors)
    for (double v : t.values)
      if (!std::isfinite(v)) throw fail("tensor '" + t.name + "' has a non-finite value");
  std::vector<Linear> layers = pair_layers(f, name);
  const uint64_t d = static_cast<uint64_t>(input);
  if (layers.size() != 4 && layers.size() != 5)
    throw fail("expected the homework's VAE, 4 dense layers (one head of 2 x latent rows) or 5 (two heads), found " +
               std::to_string(layers.size()) + (layers.empty() ? "" : ": " + layer_list(layers)));
  const std::vector<Role> roles = roles_for(layers.size());
  std::vector<std::vector<size_t>> found = chain_assignments(layers, roles, d);
  if (found.empty()) {
    for (Linear& l : layers) {  // would one tensor fit transposed?
      std::swap(l.out, l.in);
      const bool fits = !chain_assignments(layers, roles, d).empty();
      std::swap(l.out, l.in);
      if (fits)
        throw fail("weight '" + l.w->name + "' is " + shape_text(l.w->shape) + " but fits the model only as (" +
                   std::to_string(l.in) + ", " + std::to_string(l.out) +
                   "): nn.Linear stores a weight as (out, in); is it transposed?");
    }
    bool takes_input = false;
    for (const Linear& l : layers) takes_input = takes_input || l.in == d;
    if (!takes_input)
      throw fail("no layer takes the images' " + std::to_string(d) + " inputs (14 x 14); the layers are " + layer_list(layers));
    throw fail("the layers do not chain as the homework's VAE (" + std::to_string(d) +
               " -> hidden -> 2 x latent, or two latent heads, -> hidden -> " + std::to_string(d) + "): " + layer_list(layers));
  }
  LoadedWeights out;
  if (found.size() > 1) {  // shapes alone leave a choice: names decide
    std::vector<int> score(found.size(), 0);
    for (size_t a = 0; a < found.size(); ++a)
      for (size_t k = 0; k < roles.size(); ++k) score[a] += name_score(roles[k], layers[found[a][k]].name);
    const int best = *std::max_element(score.begin(), score.end());
    std::vector<std::vector<size_t>> top;
    for (size_t a = 0; a < found.size(); ++a)
      if (score[a] == best) top.push_back(found[a]);
    std::string how = "by their names";
    if (top.size() == 2 && roles.size() == 5) {
      // The same but for which head is μ: the lower number (fc21 before fc22) is μ.
      std::vector<size_t> a = top[0], b = top[1];
      std::swap(b[1], b[2]);
      const long na = last_number(layers[top[0][1]].name), nb = last_number(layers[top[0][2]].name);
      if (a == b && na >= 0 && nb >= 0 && na != nb) {
        top = {na < nb ? top[0] : top[1]};
        how = "by the numbers in their names";
      }
    }
    if (top.size() > 1) {
      std::string alt;
      for (size_t k = 0; k < roles.size(); ++k)
        if (top[0][k] != top[1][k])
          alt += (alt.empty() ? "" : "; ") + std::string(role_name(roles[k])) + ": '" + layers[top[0][k]].name + "' or '" +
                 layers[top[1][k]].name + "'";
      throw fail("the layers' shapes and names leave a choice (" + alt +
                 "); name the heads mu and logvar (or fc21, fc22), the encoder enc and the decoder dec");
    }
    found = top;
    if (roles.size() == 5) {
      const std::vector<size_t>& p = found[0];
      out.notes.push_back("two heads " + shape_text(layers[p[1]].w->shape) + ": '" + layers[p[1]].name + "' read as mu and '" +
                          layers[p[2]].name + "' as the " + scale_name(scale) + " head, " + how);
    } else {
      out.notes.push_back("layers with equal shapes told apart " + how);
    }
  }
  const std::vector<size_t>& p = found[0];
  std::map<Role, const Linear*> at;
  for (size_t k = 0; k < roles.size(); ++k) at[roles[k]] = &layers[p[k]];
  const Linear& e1 = *at[kEnc1];
  Widths& w = out.widths;
  w.input = input;
  w.enc_hidden = static_cast<int>(e1.out);
  w.latent = static_cast<int>(roles.size() == 4 ? at[kHead]->out / 2 : at[kMu]->out);
  w.dec_hidden = static_cast<int>(at[kDec1]->out);
  if (parameter_count(w) > (size_t{1} << 28)) throw fail("implausibly many parameters");
  Params<double>& q = out.params;
  q = zeros_like<double>(w);
  q.scale = scale;
  copy_into(q.w1, *e1.w, 0);
  copy_into(q.b1, *e1.b, 0);
  if (roles.size() == 4) {
    copy_into(q.w2, *at[kHead]->w, 0);
    copy_into(q.b2, *at[kHead]->b, 0);
    out.layers.emplace_back("enc2 (mu; " + scale_name(scale) + ")", at[kHead]->name);
  } else {
    copy_into(q.w2, *at[kMu]->w, 0);
    copy_into(q.b2, *at[kMu]->b, 0);
    copy_into(q.w2, *at[kScale]->w, static_cast<arma::uword>(w.latent));
    copy_into(q.b2, *at[kScale]->b, static_cast<arma::uword>(w.latent));
    out.layers.emplace_back("mu", at[kMu]->name);
    out.layers.emplace_back(scale_name(scale), at[kScale]->name);
  }
  copy_into(q.w3, *at[kDec1]->w, 0);
  copy_into(q.b3, *at[kDec1]->b, 0);
  copy_into(q.w4, *at[kDec2]->w, 0);
  copy_into(q.b4, *at[kDec2]->b, 0);
  out.layers.insert(out.layers.begin(), {"enc1", e1.name});
  out.layers.emplace_back("dec1", at[kDec1]->name);
  out.layers.emplace_back("dec2", at[kDec2]->name);
  out.format = f.format;
  out.dtype = widest_dtype(f);
  out.element_bytes = out.dtype == "F64" ? 8 : 4;
  return out;
}

LoadedWeights load_weights(const std::string& bytes, const std::string& name, HeadScale scale, int input) {
  if (bytes.empty()) throw DataError("'" + name + "' is empty");
  if (bytes.compare(0, 8, "VIVAEMB1") == 0 || (has_extension(name, ".bin") && bytes.compare(0, 2, "PK") != 0)) {
    const LoadedModel m = parse_model(bytes, name);
    if (m.widths.input != input)
      throw DataError("'" + name + "' is a model of " + std::to_string(m.widths.input) + " inputs; the images have " +
                      std::to_string(input));
    LoadedWeights out;
    out.widths = m.widths;
    out.params = m.params;
    out.params.scale = scale;
    out.format = "model.bin";
    out.element_bytes = m.element_bytes;
    out.dtype = m.element_bytes == 8 ? "F64" : "F32";
    for (const char* role : {"enc1", "enc2", "dec1", "dec2"}) out.layers.emplace_back(role, std::string("model.bin ") + role);
    return out;
  }
  if (bytes.compare(0, 2, "PK") == 0 || has_extension(name, ".npz")) return match_layers(parse_npz(bytes, name), name, scale, input);
  if (has_extension(name, ".safetensors") || (bytes.size() > 8 && bytes[8] == '{'))
    return match_layers(parse_safetensors(bytes, name), name, scale, input);
  throw DataError("'" + name + "' is not a model.bin, .safetensors or .npz file (by its first bytes)");
}

template <class T>
std::vector<NamedTensor> linear_tensors(const Params<T>& p) {
  std::vector<NamedTensor> out;
  auto put = [&](const std::string& name, const arma::Mat<T>& m, bool bias) {
    NamedTensor t;
    t.name = name;
    t.dtype = sizeof(T) == 8 ? "F64" : "F32";
    if (bias) t.shape = {m.n_rows};
    else t.shape = {m.n_rows, m.n_cols};
    for (arma::uword r = 0; r < m.n_rows; ++r)
      for (arma::uword c = 0; c < (bias ? 1 : m.n_cols); ++c) t.values.push_back(static_cast<double>(m(r, c)));
    out.push_back(std::move(t));
  };
  put("enc1.weight", p.w1, false);
  put("enc1.bias", p.b1, true);
  put("enc2.weight", p.w2, false);
  put("enc2.bias", p.b2, true);
  put("dec1.weight", p.w3, false);
  put("dec1.bias", p.b3, true);
  put("dec2.weight", p.w4, false);
  put("dec2.bias", p.b4, true);
  return out;
}

template std::vector<NamedTensor> linear_tensors<float>(const Params<float>&);
template std::vector<NamedTensor> linear_tensors<double>(const Params<double>&);

}  // namespace vivae
