#include "apps/cli.hpp"

#include <boost/program_options.hpp>
#include <iostream>

#include "common/errors.hpp"

namespace vivae {

int run_main(const char* program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const boost::program_options::error& e) {
    std::cerr << program << ": " << e.what() << " (see --help)\n";
    return 2;
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
