#include "common/files.hpp"

#include <fcntl.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/errors.hpp"

namespace vivae {

static std::string errno_text() { return std::strerror(errno); }

void ensure_writable_dir(const std::string& dir) {
  if (dir.empty()) throw IoError("output folder is empty");
  std::string partial;
  std::stringstream ss(dir);
  std::string part;
  if (dir[0] == '/') partial = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    partial += part + "/";
    struct stat st {};
    if (stat(partial.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw IoError("output folder '" + dir + "': '" + partial + "' is not a directory");
      continue;
    }
    if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
      throw IoError("cannot create output folder '" + dir + "': " + errno_text());
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw IoError("output folder '" + dir + "' is not writable: " + errno_text());
}

DirLock::~DirLock() {
  if (fd >= 0) close(fd);
}

DirLock lock_dir(const std::string& dir, const std::string& holder) {
  DirLock lock;
  lock.fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock.fd < 0) throw IoError("cannot open output folder '" + dir + "': " + errno_text());
  if (flock(lock.fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      throw IoError("output folder '" + dir + "' is in use by another " + holder +
                    "; wait for it to end, or choose another folder");
    throw IoError("cannot lock output folder '" + dir + "': " + errno_text());
  }
  return lock;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_folder(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

bool folder_files_all(const std::string& dir, const std::function<bool(const std::string&)>& keep) {
  for (const std::string& n : list_folder(dir))
    if (!is_directory(join_path(dir, n)) && !keep(n)) return false;
  return true;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string read_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) throw DataError("'" + path + "' does not exist");
    throw DataError("cannot open '" + path + "': " + errno_text());
  }
  if (S_ISDIR(st.st_mode)) throw DataError("'" + path + "' is a directory, not a file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw DataError("cannot open '" + path + "': " + errno_text());
  const std::streamoff size = in.tellg();
  in.seekg(0);
  std::string bytes;
  if (size > 0) {  // one read of the known size (a stream copy doubled MNIST's load time)
    bytes.resize(static_cast<size_t>(size));
    in.read(bytes.data(), size);
  }
  if (in.bad() || (size > 0 && !in)) throw DataError("cannot read '" + path + "'");
  std::ostringstream rest;  // anything past the size seen at open (a growing file, a pipe)
  rest << in.rdbuf();
  if (in.bad()) throw DataError("cannot read '" + path + "'");
  if (rest.tellp() > 0) bytes += rest.str();
  return bytes;
}

void check_output_folder(const std::string& dir, const std::string& program,
                         const std::function<bool(const std::string&)>& holds_own_run) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) return;  // new
  if (!S_ISDIR(st.st_mode)) throw IoError("output folder '" + dir + "' is a file, not a folder");
  bool empty = true;
  for (const std::string& n : list_folder(dir)) {
    // The temporary of a write that was killed (NAME.tmp.PID, below) is no one's result.
    const size_t tmp = n.rfind(".tmp.");
    const bool leftover = tmp != std::string::npos && tmp + 5 < n.size() &&
                          n.find_first_not_of("0123456789", tmp + 5) == std::string::npos;
    empty = empty && leftover;
  }
  if (empty || holds_own_run(dir)) return;
  throw IoError("output folder '" + dir + "' is not empty and holds no earlier " + program +
                " run; choose a new or empty folder");
}

DirLock claim_output_folder(const std::string& dir, const std::string& program,
                            const std::function<bool(const std::string&)>& holds_own_run) {
  check_output_folder(dir, program, holds_own_run);
  ensure_writable_dir(dir);
  return lock_dir(dir, program);
}

void check_output_targets(const std::string& dir, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const std::string path = join_path(dir, name);
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) throw IoError("cannot write '" + path + "': it is a directory");
    if (!S_ISREG(st.st_mode)) throw IoError("cannot write '" + path + "': it is not a regular file");
  }
}

void write_fd(int fd, const std::string& content, const std::string& name) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError("cannot write '" + name + "': " + errno_text());
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

namespace {
std::string temp_name(const std::string& path) { return path + ".tmp." + std::to_string(getpid()); }

// Writes and syncs the temporary for `path`; returns its name.
std::string write_temp(const std::string& path, const std::string& content) {
  const std::string tmp = temp_name(path);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot write '" + path + "': " + errno_text());
  try {
    write_fd(fd, content, path);
    if (fsync(fd) != 0) throw IoError("cannot write '" + path + "': " + errno_text());
  } catch (...) {
    close(fd);
    unlink(tmp.c_str());
    throw;
  }
  if (close(fd) != 0) {
    const std::string why = errno_text();
    unlink(tmp.c_str());
    throw IoError("cannot write '" + path + "': " + why);
  }
  return tmp;
}

void sync_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);  // best effort: makes the rename durable
    close(fd);
  }
}
}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) check_output_targets(".", {path});
  else check_output_targets(path.substr(0, slash), {path.substr(slash + 1)});
  const std::string tmp = write_temp(path, content);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    unlink(tmp.c_str());
    throw IoError("cannot write '" + path + "': " + why);
  }
  sync_dir(path);
}

void write_files_atomic(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.first);
  check_output_targets(dir, names);
  std::vector<std::string> temps;
  try {
    for (const auto& [name, content] : files) temps.push_back(write_temp(join_path(dir, name), content));
  } catch (...) {
    for (const auto& t : temps) unlink(t.c_str());
    throw;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string path = join_path(dir, files[i].first);
    if (rename(temps[i].c_str(), path.c_str()) != 0) {
      const std::string why = errno_text();
      for (size_t j = i; j < temps.size(); ++j) unlink(temps[j].c_str());
      throw IoError("cannot write '" + path + "': " + why);
    }
  }
  sync_dir(join_path(dir, "x"));
}

size_t write_changed_files_atomic(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::pair<std::string, std::string>> changed;
  for (const auto& f : files) {
    const std::string path = join_path(dir, f.first);
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) == f.second.size() &&
        read_file(path) == f.second)
      continue;
    changed.push_back(f);
  }
  if (!changed.empty()) write_files_atomic(dir, changed);
  return changed.size();
}

}  // namespace vivae
