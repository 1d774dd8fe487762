// numpy .npz, as np.savez and np.savez_compressed write it: a zip archive (stored or deflated,
// zip64 when large) of NAME.npy members, read with libzip. Each .npy member is
//   "\x93NUMPY", major, minor; a u16 (1.0) or u32 (2.0, 3.0) little-endian header length;
//   the header, a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (128, 196)};
//   the data (row-major, or column-major when fortran_order is True).
// Float arrays of 8, 4 or 2 bytes of either byte order are read; anything else (integers,
// Python objects) is refused with the member's name. A zip bomb cannot get far: every member's
// declared size, and their sum, must stay under a bound before anything is inflated, and a
// member must inflate to exactly its declared size (libzip also checks its CRC).
#pragma once
#include <string>

#include "vae/tensor_file.hpp"

namespace vivae {

// Throws DataError "'NAME' is not a valid .npz file: why".
TensorFile parse_npz(const std::string& bytes, const std::string& name);
// One .npy member (for tests and the fuzzer); `member` names it in messages.
NamedTensor parse_npy(const std::string& bytes, const std::string& member, const std::string& name);

}  // namespace vivae
