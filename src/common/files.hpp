// Output files: written to a temporary file in the same folder, flushed, fsync'ed and renamed
// into place, so a failed run leaves the previous results intact.
#pragma once
#include <string>

namespace vivae {

// Creates `dir` (and parents) if needed and proves it writable; throws IoError naming it.
void ensure_writable_dir(const std::string& dir);
// Atomically replaces `path` with `content`; throws IoError naming the file on any failure.
void write_file_atomic(const std::string& path, const std::string& content);
std::string join_path(const std::string& dir, const std::string& name);
bool file_exists(const std::string& path);
std::string read_file(const std::string& path);  // throws DataError

}  // namespace vivae
