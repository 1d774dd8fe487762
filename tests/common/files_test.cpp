#include "common/files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "../apps/app_runner.hpp"
#include "common/errors.hpp"

using namespace vivae;
using namespace vivae::testing;

TEST(Files, AFullDiskIsAClearError) {
  const int fd = open("/dev/full", O_WRONLY);
  ASSERT_GE(fd, 0);
  try {
    write_fd(fd, std::string(1 << 16, 'x'), "out.csv");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("out.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("No space left"), std::string::npos) << e.what();
  }
  close(fd);
}

TEST(Files, NeverReplacesDirectoriesOrDevices) {
  const std::string dir = temp_dir();
  mkdir((dir + "/a.csv").c_str(), 0755);
  EXPECT_THROW(write_file_atomic(dir + "/a.csv", "x"), IoError);
  EXPECT_THROW(write_file_atomic("/dev/null", "x"), IoError);
  EXPECT_THROW(check_output_targets(dir, {"ok.csv", "a.csv"}), IoError);
}

TEST(Files, AFailedSetLeavesEveryOldFileIntact) {
  const std::string dir = temp_dir();
  write_file_atomic(dir + "/one.csv", "old one");
  write_file_atomic(dir + "/two.csv", "old two");
  mkdir((dir + "/three.csv").c_str(), 0755);
  EXPECT_THROW(write_files_atomic(dir, {{"one.csv", "new"}, {"two.csv", "new"}, {"three.csv", "new"}}), IoError);
  EXPECT_EQ(slurp(dir + "/one.csv"), "old one");
  EXPECT_EQ(slurp(dir + "/two.csv"), "old two");
  write_files_atomic(dir, {{"one.csv", "new one"}, {"two.csv", "new two"}});
  EXPECT_EQ(slurp(dir + "/two.csv"), "new two");
  for (const auto& entry : std::filesystem::directory_iterator(dir))  // no temporaries left behind
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST(Files, UnwritableFolderIsNamed) {
  try {
    ensure_writable_dir("/proc/vivae/x");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/vivae/x"), std::string::npos);
  }
}

TEST(Files, AFolderLockIsExclusiveUntilItsHolderLetsGo) {
  const std::string dir = temp_dir();
  {
    const DirLock held = lock_dir(dir, "test");
    try {
      (void)lock_dir(dir, "vae_train");  // a second open of the folder: flock is per open file
      FAIL() << "a held folder was locked twice";
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("in use by another vae_train"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW((void)lock_dir(dir, "test"));  // released with its holder
  EXPECT_THROW((void)lock_dir(dir + "/missing", "test"), IoError);
}
