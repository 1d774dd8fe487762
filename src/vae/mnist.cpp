#include "vae/mnist.hpp"

#include "common/errors.hpp"
#include "common/files.hpp"

namespace vivae {

MnistFiles locate_mnist(const std::string& dir) {
  auto find = [&](const std::string& name) {
    for (const std::string& candidate : {name, name + ".gz"}) {
      const std::string p = join_path(dir, candidate);
      if (file_exists(p)) return p;
    }
    throw DataError("MNIST file '" + name + "' (or " + name + ".gz) not found in '" + dir +
                    "' (run 'make data' or pass --data-dir)");
  };
  return {find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"), find("t10k-images-idx3-ubyte"),
          find("t10k-labels-idx1-ubyte")};
}

arma::vec downsample_binarise(const uint8_t* image, int rows, int cols) {
  const int r2 = rows / 2, c2 = cols / 2;
  arma::vec out(static_cast<arma::uword>(r2) * c2);
  for (int r = 0; r < r2; ++r)
    for (int c = 0; c < c2; ++c) {
      const int sum = image[(2 * r) * cols + 2 * c] + image[(2 * r) * cols + 2 * c + 1] +
                      image[(2 * r + 1) * cols + 2 * c] + image[(2 * r + 1) * cols + 2 * c + 1];
      out(r * c2 + c) = sum > 4 * 128 ? 1.0 : 0.0;  // mean > 128, in integers
    }
  return out;
}

std::vector<size_t> first_per_digit(const std::vector<uint8_t>& labels, int per_digit) {
  std::vector<int> taken(10, 0);
  std::vector<size_t> idx;
  for (size_t i = 0; i < labels.size(); ++i)
    if (taken[labels[i]] < per_digit) {
      ++taken[labels[i]];
      idx.push_back(i);
    }
  for (int d = 0; d < 10; ++d)
    if (taken[d] < per_digit)
      throw DataError("the training file has only " + std::to_string(taken[d]) + " images of digit " + std::to_string(d) +
                      ", fewer than --per-digit " + std::to_string(per_digit));
  return idx;
}

Dataset make_dataset(const Images& im, const std::vector<uint8_t>& labels, const std::vector<size_t>& indices) {
  if (im.rows % 2 || im.cols % 2) throw DataError("image size " + std::to_string(im.rows) + "x" + std::to_string(im.cols) + " is not even");
  Dataset d;
  d.side = im.rows / 2;
  d.x.set_size(static_cast<arma::uword>(im.rows / 2) * (im.cols / 2), indices.size());
  const size_t stride = static_cast<size_t>(im.rows) * im.cols;
  for (size_t k = 0; k < indices.size(); ++k) {
    d.x.col(k) = downsample_binarise(im.pixels.data() + indices[k] * stride, im.rows, im.cols);
    d.labels.push_back(labels[indices[k]]);
  }
  return d;
}

// The homework's pipeline starts from MNIST's own 28×28 images (and sub-samples them itself):
// any other size would silently change the model's input.
static void check_size(const Images& im, const std::string& name) {
  if (im.rows != 28 || im.cols != 28)
    throw DataError("'" + name + "' holds " + std::to_string(im.rows) + "x" + std::to_string(im.cols) +
                    " images; the homework's pipeline takes MNIST's 28x28 images and sub-samples them to 14x14 itself");
}

static void check_pair(const Images& im, const std::vector<uint8_t>& labels, const std::string& name) {
  if (static_cast<size_t>(im.count) != labels.size())
    throw DataError(name + ": " + std::to_string(im.count) + " images but " + std::to_string(labels.size()) + " labels");
}

Dataset load_training_set(const MnistFiles& f, int per_digit) {
  const Images im = read_images(f.train_images);
  check_size(im, f.train_images);
  const std::vector<uint8_t> labels = read_labels(f.train_labels);
  check_pair(im, labels, f.train_images);
  return make_dataset(im, labels, first_per_digit(labels, per_digit));
}

Dataset load_heldout_set(const MnistFiles& f, int count) {
  const Images im = read_images(f.test_images);
  check_size(im, f.test_images);
  const std::vector<uint8_t> labels = read_labels(f.test_labels);
  check_pair(im, labels, f.test_images);
  if (count > im.count)
    throw DataError("--heldout " + std::to_string(count) + " exceeds the " + std::to_string(im.count) + " images of '" + f.test_images + "'");
  std::vector<size_t> idx(count);
  for (int i = 0; i < count; ++i) idx[i] = static_cast<size_t>(i);
  return make_dataset(im, labels, idx);
}

}  // namespace vivae
