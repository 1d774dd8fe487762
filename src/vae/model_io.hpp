// model.bin: the trained weights, little-endian.
//   8 bytes   magic "VIVAEMB1"
//   u32       format version (1)
//   u32       element size in bytes (4 = float32, 8 = float64)
//   u32 × 4   widths: input, encoder hidden, latent, decoder hidden
//   8 tensors w1 b1 w2 b2 w3 b3 w4 b4, each: u32 rows, u32 cols, rows·cols elements
//             in column-major order (encoder: w1 128×196 … decoder: w4 196×128)
//   u64       FNV-1a hash of every byte before it
#pragma once
#include <string>

#include "common/binary.hpp"
#include "vae/model.hpp"

namespace vivae {

template <class T>
std::string serialise_model(const Params<T>& p, const Widths& w);

struct LoadedModel {
  Widths widths;
  Params<double> params;
  int element_bytes = 8;
};
// Throws DataError naming the file and the problem (magic, version, sizes, checksum).
LoadedModel parse_model(const std::string& bytes, const std::string& name);

// Pieces shared with the checkpoint format (vae/checkpoint.hpp).
template <class T>
void put_tensors(BinaryWriter& w, const Params<T>& p);
template <class T>
void get_tensors(BinaryReader& r, Params<T>& p, int element_bytes);  // validates shapes, finiteness
void read_widths(BinaryReader& r, Widths& w);

}  // namespace vivae
