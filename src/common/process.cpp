#include "common/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/errors.hpp"

namespace vivae {

namespace {
void drain(int fd, std::string& into, size_t max, bool& open) {
  char buf[65536];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    if (into.size() < max) into.append(buf, std::min(static_cast<size_t>(n), max - into.size()));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    open = false;
  }
}
}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, double time_limit_s, size_t max_output) {
  if (argv.empty()) throw IoError("run_process: no program");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw IoError("cannot start '" + argv[0] + "': " + std::strerror(errno));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw IoError("cannot start '" + argv[0] + "': " + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    const int null_in = open("/dev/null", O_RDONLY);
    if (null_in >= 0) dup2(null_in, 0);
    execv(args[0], args.data());
    const char* msg = "cannot run the program\n";
    (void)!write(2, msg, std::strlen(msg));
    _exit(127);
  }
  setpgid(pid, pid);
  close(out_pipe[1]);
  close(err_pipe[1]);
  ProcessResult r;
  bool out_open = true, err_open = true;
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  while (out_open || err_open) {
    const double left = time_limit_s - elapsed();
    if (left <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    const int ready = poll(fds, 2, static_cast<int>(std::min(left, 1.0) * 1000) + 1);
    if (ready < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) drain(out_pipe[0], r.out, max_output, out_open);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) drain(err_pipe[0], r.err, max_output, err_open);
  }
  int status = 0;
  // The pipes closed (or the time ran out): wait for the exit, killing the group at the limit.
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (!r.timed_out && elapsed() > time_limit_s) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
    }
    if (r.timed_out) {
      waitpid(pid, &status, 0);
      break;
    }
    usleep(2000);
  }
  if (r.timed_out) kill(-pid, SIGKILL);  // anything it left behind in its group
  close(out_pipe[0]);
  close(err_pipe[0]);
  r.seconds = elapsed();
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace vivae
