// checkpoint.bin: everything needed to continue a training run exactly (issue: exact resume).
//   8 bytes  magic "VIVAECK1"; u32 version (1); u32 element size (4 or 8)
//   string   fingerprint: the options and data digests that must match to resume
//   u32 × 4  widths; then the weights as in model.bin (u32 rows, u32 cols, elements)
//   i64      updates done; u64 position in the epoch; u64 n + u32 × n: the epoch's order
//   3 × 4 u64  RNG states: shuffle, noise, evaluation
//   i64      optimiser step; 8 + 8 tensors: Adam m and v (Adagrad: v = Σg²)
//   u64 n + n × (i64 update, f64 recon, f64 kl, f64 elbo): training log; the same for validation
//   u64      FNV-1a hash of every byte before it
// Strings are u32 length + bytes. A file that fails its checksum, or whose fingerprint or
// shapes differ from the current run, is refused with DataError/UsageError.
#pragma once
#include <string>

#include "vae/train.hpp"

namespace vivae {

template <class T>
std::string serialise_checkpoint(const TrainState<T>& s, const Widths& w, const std::string& fingerprint);

// Replaces s with the checkpoint's state; `train_count` is the size of the training set.
template <class T>
void restore_checkpoint(TrainState<T>& s, const std::string& bytes, const std::string& name, const Widths& w,
                        const std::string& fingerprint, size_t train_count);

}  // namespace vivae
