// redressctl: command-line client of the Redress ComplaintService.
// Everything but the process boundary lives in redressctl_lib (run.h).
#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/run.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return redress::cli::Main(args, std::cout, std::cerr, redress::cli::ProcessEnv());
}
