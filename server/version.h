// The build's version (CMake project version) and git revision (12 hex
// characters, "-dirty" with uncommitted changes, "unknown" outside git),
// generated at build time by scripts/version.cmake. Linked by redressd and
// redressctl for --version.
#ifndef REDRESS_SERVER_VERSION_H_
#define REDRESS_SERVER_VERSION_H_

#include <string>

namespace redress {

extern const char kVersion[];
extern const char kGitRevision[];

// "<program> <version> (git <revision>)".
inline std::string VersionLine(const std::string& program) {
  return program + " " + kVersion + " (git " + kGitRevision + ")";
}

}  // namespace redress

#endif  // REDRESS_SERVER_VERSION_H_
