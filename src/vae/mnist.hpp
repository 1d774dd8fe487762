// The Problem 2 dataset: MNIST subsets, 2×2 block-averaged to 14×14 and binarised.
//   training: the first `per_digit` images of each digit, in file order, from the training file;
//   held-out: the first `heldout` images of the t10k file (never from the training set).
// Downsampling averages each 2×2 block of the 0–255 values; a pixel is 1 if that average is
// > 128, else 0 (the homework's threshold applied after averaging).
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "vae/idx.hpp"

namespace vivae {

struct Dataset {
  arma::mat x;              // 196 × count, one binarised image per column (row-major pixels)
  std::vector<int> labels;
  int side = 14;
};

struct MnistFiles {
  std::string train_images, train_labels, test_images, test_labels;
};
// Finds the four files in `dir` (raw name, or name + ".gz"); DataError naming what is missing.
MnistFiles locate_mnist(const std::string& dir);

// Average 2×2 blocks, then threshold: > 128 → 1.
arma::vec downsample_binarise(const uint8_t* image, int rows, int cols);
// Indices of the first `per_digit` images of each digit 0..9, in file order.
std::vector<size_t> first_per_digit(const std::vector<uint8_t>& labels, int per_digit);
Dataset make_dataset(const Images& images, const std::vector<uint8_t>& labels, const std::vector<size_t>& indices);

Dataset load_training_set(const MnistFiles& f, int per_digit);
Dataset load_heldout_set(const MnistFiles& f, int count);

}  // namespace vivae
