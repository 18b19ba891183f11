// libFuzzer target: the offline audit-export verifier behind `redressctl
// audit verify` (clients/cli/audit_verify.h, VerifyExportFile): the JSON Lines
// parser (clients/cli/json.h), the record checks, the hash chains, the Merkle
// tree, inclusion and consistency proofs and the Ed25519 checkpoint
// signatures. The input is the export file's content.
//
// The seeds (corpus/audit_export) are exports from tests/audit/make_export.py
// signed with audit_export_test_key.pem, whose public key is kPublicKey, so
// that mutations reach the signature and proof checks of valid files.
//
// Invariants: a readable file always yields a result (never an error
// status); ok() exactly when there is no problem; the summary line agrees;
// the reported counts are not negative; every problem names its line; a
// prefix root is reported only for a complete export and a size asked for
// and within the number of events.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "clients/cli/audit_verify.h"

namespace {

constexpr char kPublicKey[] = "ed25519:s3DQvSUvgMV/Fw6dXKK5WM9yZE/opjicchw3vAzi1IY=";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "audit_export_fuzz: invariant violated: %s\n", what.c_str());
  std::abort();
}

const std::string& ScratchPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/redress-audit-export-fuzz-" +
           std::to_string(getpid()) + ".jsonl";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::atexit([] { std::remove(ScratchPath().c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string key = [] {
    auto k = redress::cli::LoadPublicKeyArgument(kPublicKey);
    if (!k.ok()) Fail("the built-in public key does not load: " + k.status().ToString());
    return *k;
  }();
  {
    std::ofstream out(ScratchPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) Fail("cannot write " + ScratchPath());
  }
  const std::vector<uint64_t> prefix_sizes = {1, 3, 8};
  auto v = redress::cli::VerifyExportFile(ScratchPath(), key, prefix_sizes);
  if (!v.ok()) Fail("readable file gave an error status: " + v.status().ToString());

  if (v->ok() != v->problems.empty()) Fail("ok() disagrees with problems");
  if (v->events < 0 || v->complaints < 0) Fail("negative counts");
  if (v->complaints > v->events) Fail("more complaints than events");
  const std::string summary = v->Summary();
  if (v->ok() != absl::StartsWith(summary, "verified: ")) Fail("summary disagrees: " + summary);
  for (const std::string& p : v->problems) {
    if (!absl::StartsWith(p, "line ")) Fail("problem without a line: " + p);
  }
  for (const auto& [n, root] : v->prefix_roots) {
    if (!v->complete) Fail("prefix root for an incomplete export");
    if (n != 1 && n != 3 && n != 8) Fail("prefix root for a size not asked for");
    if (n > static_cast<uint64_t>(v->events)) Fail("prefix root beyond the events");
  }
  for (const auto& c : v->checkpoints) {
    if (c.root_raw.size() != 32) Fail("checkpoint root is not 32 bytes");
  }
  return 0;
}
