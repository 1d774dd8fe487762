// Output files: written to a temporary file in the same folder, fsync'ed and renamed into
// place, so a failed run leaves the previous results intact.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vivae {

// Creates `dir` (and parents) if needed and proves it writable; throws IoError naming it.
void ensure_writable_dir(const std::string& dir);
// An exclusive lock on a folder (flock on the folder itself, so no file is left behind),
// held while the value lives; the kernel drops it when the process ends, even by SIGKILL.
// Throws IoError naming `dir` and `holder` when another process holds it.
struct DirLock {
  int fd = -1;
  DirLock() = default;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  DirLock(DirLock&& o) noexcept : fd(o.fd) { o.fd = -1; }
  DirLock& operator=(DirLock&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~DirLock();
};
DirLock lock_dir(const std::string& dir, const std::string& holder);
// The rule for a program's output folder: it is new, empty, or holds an earlier run of the same
// program, which `holds_own_run(dir)` recognises by its record. Anything else (a file, another
// program's results, unrelated files, "/") is refused with IoError naming what is there.
void check_output_folder(const std::string& dir, const std::string& program,
                         const std::function<bool(const std::string&)>& holds_own_run);
// An output folder made ready for `program`: the rule of check_output_folder, then created
// (with its parents) and proved writable, then locked (lock_dir) until the value goes.
DirLock claim_output_folder(const std::string& dir, const std::string& program,
                            const std::function<bool(const std::string&)>& holds_own_run);
// Throws IoError unless each dir/name is absent or a regular file (never a directory, a
// device or a FIFO): checked before long work so a run does not fail at its very end.
void check_output_targets(const std::string& dir, const std::vector<std::string>& names);
// Atomically replaces `path` with `content`; throws IoError naming the file on any failure.
void write_file_atomic(const std::string& path, const std::string& content);
// All-or-nothing for a set of files: every temporary is written and synced before the first
// rename, so a failure (disk full, permissions) leaves every old file as it was.
void write_files_atomic(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);
// write_files_atomic for the files whose content differs from what `dir` holds (a rerun that
// changes nothing touches nothing, so make sees no new file). Returns how many were written.
size_t write_changed_files_atomic(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);
// write(2) until done; IoError naming `name` on failure (ENOSPC on a full disk, ...).
void write_fd(int fd, const std::string& content, const std::string& name);

std::string join_path(const std::string& dir, const std::string& name);
bool file_exists(const std::string& path);
// The names in a folder (not "." and ".."), sorted; none when it cannot be read.
std::vector<std::string> list_folder(const std::string& dir);
// Whether every entry of `dir` that is a file (not a sub-folder) satisfies `keep`.
bool folder_files_all(const std::string& dir, const std::function<bool(const std::string&)>& keep);
bool is_directory(const std::string& path);
// The whole file; DataError naming it when it is missing, a directory or unreadable.
std::string read_file(const std::string& path);

}  // namespace vivae
