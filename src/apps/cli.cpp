#include "apps/cli.hpp"

#include <boost/program_options.hpp>
#include <iostream>
#include <map>

#include "common/errors.hpp"

namespace po = boost::program_options;

namespace vivae {

struct Cli::Impl {
  po::options_description desc;
  std::string epilogue;
  std::map<std::string, std::string> values;  // by long name
  std::map<std::string, std::vector<std::string>> lists;
  po::variables_map vm;
  std::vector<std::string> stray;  // words that are not options (refused)
  explicit Impl(const std::string& caption) : desc(caption + "\n\nOptions") {}
};

static std::string long_name(const std::string& name) { return name.substr(0, name.find(',')); }

Cli::Cli(const std::string& caption, const std::string& epilogue) : impl_(std::make_unique<Impl>(caption)) {
  impl_->epilogue = epilogue;
  impl_->desc.add_options()("help,h", "print this help and exit");
}
Cli::~Cli() = default;

void Cli::option(const std::string& name, const std::string& default_value, const std::string& help) {
  std::string& slot = impl_->values[long_name(name)];
  impl_->desc.add_options()(name.c_str(), po::value(&slot)->default_value(default_value), help.c_str());
}

void Cli::flag(const std::string& name, const std::string& help) {
  impl_->desc.add_options()(name.c_str(), help.c_str());
}

void Cli::repeatable(const std::string& name, const std::string& help) {
  std::vector<std::string>& slot = impl_->lists[long_name(name)];
  impl_->desc.add_options()(name.c_str(), po::value(&slot)->composing(), help.c_str());
}

bool Cli::parse(int argc, char** argv) {
  try {
    // Every word must belong to an option: a stray one is collected here and refused below.
    po::options_description all;
    all.add(impl_->desc).add_options()("vivae-stray", po::value(&impl_->stray));
    po::positional_options_description words;
    words.add("vivae-stray", -1);
    po::store(po::command_line_parser(argc, argv).options(all).positional(words).run(), impl_->vm);
    if (impl_->vm.count("help")) {
      std::cout << impl_->desc << impl_->epilogue;
      return false;
    }
    po::notify(impl_->vm);
    if (!impl_->stray.empty())
      throw UsageError("unexpected word '" + impl_->stray.front() + "' on the command line (options start with --; see --help)");
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see --help)");
  }
  return true;
}

const std::string& Cli::operator[](const std::string& name) const { return impl_->values.at(name); }

bool Cli::has(const std::string& flag) const { return impl_->vm.count(flag) > 0; }

const std::vector<std::string>& Cli::all(const std::string& name) const { return impl_->lists.at(name); }

int run_main(const char* program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const BadInput& e) {  // UsageError, DataError, IoError
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  } catch (const NumericError& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 3;
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  }
}

std::string command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

}  // namespace vivae
