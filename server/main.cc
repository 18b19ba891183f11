// redressd: the Redress complaint-handling server.
//
// Parses flags into Options, opens the store (applying migrations), wires the
// engine and the gRPC server, serves until SIGTERM/SIGINT, then shuts down
// gracefully: health NOT_SERVING, in-flight calls finish, queued writes
// commit, the database closes.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>
#include <iostream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/api/authenticator.h"
#include "server/api/grpc_server.h"
#include "server/api/request_log.h"
#include "server/core/audit_engine.h"
#include "server/core/checkpoint_sealer.h"
#include "server/core/complaint_engine.h"
#include "server/core/deadline_sweeper.h"
#include "server/core/event_feed.h"
#include "server/domain/access_policy.h"
#include "server/domain/checkpoint_signer.h"
#include "server/domain/ids.h"
#include "server/domain/clock.h"
#include "server/domain/policy.h"
#include "server/domain/policy_presets.h"
#include "server/store/complaint_store.h"
#include "server/store/database_url.h"

namespace {

constexpr char kUsage[] = R"(usage: redressd [flags]

Redress complaint-handling server (gRPC, redress.v1.ComplaintService).

flags:
  --listen HOST:PORT          address to serve on (default 127.0.0.1:50051;
                              port 0 picks a free port)
  --database URL              sqlite:PATH (default sqlite:var/redress.db) or
                              postgresql://host=H port=P dbname=D user=U
  --port-file PATH            write the bound port to PATH once serving
  --readers N                 read sessions in the pool (default 4)
  --max-batch N               most writes committed in one transaction
                              (group commit; default 256)
  --dispute-window-days N     closed complaints can be disputed for N days
                              (default 183)
  --reopen-window-days N      closed complaints can be reopened for N days
                              (default 56)
  --shutdown-grace-seconds N  how long in-flight calls may finish on
                              SIGTERM/SIGINT (default 10)
  --signing-key PATH          Ed25519 key that signs audit checkpoints
                              (default var/redress-signing-key.pem; created
                              if missing)
  --checkpoint-events N       seal a checkpoint every N new events
                              (default 1000)
  --checkpoint-interval-seconds N
                              or when unsealed events are N seconds old
                              (default 60)
  --export-digest-key PATH    key of the keyed digests that redact personal
                              data in exports (default
                              var/redress-export-digest.key; created if missing)
  --dev-allow-personal-data   development mode only: return complainants'
                              personal data and allow ExportAuditTrail,
                              EraseComplainantData and SweepRetention (all
                              refused in development mode without it)
  --allow-personal-data-export
                              development mode only: allow exports with
                              personal data in clear (implies
                              --dev-allow-personal-data; with --access-config
                              this needs GRANT_EXPORT_PERSONAL_DATA)
  --retention-days N          personal data of complaints closed longer ago
                              is erased by the retention sweep (default 1095)
  --access-config PATH        principals, tokens (SHA-256), certificate
                              subjects and roles (redress.v1.AccessConfig,
                              text format); reloaded on SIGHUP. Without it
                              the server is in development mode: the caller
                              named in x-redress-actor (required on every
                              call) is trusted with every role, but sees no
                              personal data (loopback only)
  --tls-cert PATH, --tls-key PATH
                              serve TLS with this certificate chain and key
  --client-ca PATH            require client certificates signed by this CA
                              (mutual TLS)
  --insecure                  allow plaintext and development mode on a
                              non-loopback address (never in production)
  --rate-limit-per-second N   default per-principal request rate (default 200)
  --max-concurrent-streams N  per connection (default 100)
  --policy-file PATH          complaint-handling policies, calendars and pause
                              windows (redress.v1.PolicySet, text format) in
                              addition to the built-in presets; repeatable
  --deadline-sweep-interval-seconds N
                              how often deadlines are checked for AT_RISK /
                              BREACHED alerts and escalations (default 60;
                              0 turns the sweeper off on this replica)
  --help                      this text
)";

struct Options {
  std::string listen = "127.0.0.1:50051";
  std::string database = "sqlite:var/redress.db";
  std::string port_file;
  int readers = 4;
  int max_batch = 256;
  int dispute_window_days = 183;
  int reopen_window_days = 56;
  int shutdown_grace_seconds = 10;
  std::string signing_key = "var/redress-signing-key.pem";
  int checkpoint_events = 1000;
  int checkpoint_interval_seconds = 60;
  std::string export_digest_key = "var/redress-export-digest.key";
  bool allow_personal_data_export = false;
  bool dev_allow_personal_data = false;
  int retention_days = 1095;
  std::string access_config;
  std::string tls_cert, tls_key, client_ca;
  bool insecure = false;
  int rate_limit_per_second = 200;
  int max_concurrent_streams = 100;
  std::vector<std::string> policy_files;
  int deadline_sweep_interval_seconds = 60;
};

[[noreturn]] void UsageError(const std::string& msg) {
  std::cerr << "redressd: " << msg << "\n(see redressd --help)\n";
  std::exit(2);
}

int IntFlag(absl::string_view name, const std::string& value, int min, int max) {
  int v = 0;
  if (!absl::SimpleAtoi(value, &v) || v < min || v > max) {
    UsageError(absl::StrCat("--", name, " must be an integer from ", min, " to ", max));
  }
  return v;
}

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) UsageError(absl::StrCat("unexpected argument ", arg));
    if (arg == "--allow-personal-data-export") {
      o.allow_personal_data_export = true;
      continue;
    }
    if (arg == "--insecure") {
      o.insecure = true;
      continue;
    }
    if (arg == "--dev-allow-personal-data") {
      o.dev_allow_personal_data = true;
      continue;
    }
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= argc) UsageError(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    if (name == "listen") o.listen = value;
    else if (name == "database") o.database = value;
    else if (name == "port-file") o.port_file = value;
    else if (name == "readers") o.readers = IntFlag(name, value, 1, 64);
    else if (name == "max-batch") o.max_batch = IntFlag(name, value, 1, 10000);
    else if (name == "dispute-window-days") o.dispute_window_days = IntFlag(name, value, 0, 3650);
    else if (name == "reopen-window-days") o.reopen_window_days = IntFlag(name, value, 0, 3650);
    else if (name == "shutdown-grace-seconds") o.shutdown_grace_seconds = IntFlag(name, value, 0, 3600);
    else if (name == "signing-key") o.signing_key = value;
    else if (name == "checkpoint-events") o.checkpoint_events = IntFlag(name, value, 1, 100000000);
    else if (name == "checkpoint-interval-seconds") o.checkpoint_interval_seconds = IntFlag(name, value, 1, 86400);
    else if (name == "export-digest-key") o.export_digest_key = value;
    else if (name == "retention-days") o.retention_days = IntFlag(name, value, 1, 36500);
    else if (name == "access-config") o.access_config = value;
    else if (name == "tls-cert") o.tls_cert = value;
    else if (name == "tls-key") o.tls_key = value;
    else if (name == "client-ca") o.client_ca = value;
    else if (name == "rate-limit-per-second") o.rate_limit_per_second = IntFlag(name, value, 1, 1000000);
    else if (name == "max-concurrent-streams") o.max_concurrent_streams = IntFlag(name, value, 1, 100000);
    else if (name == "policy-file") o.policy_files.push_back(value);
    else if (name == "deadline-sweep-interval-seconds") o.deadline_sweep_interval_seconds = IntFlag(name, value, 0, 86400);
    else UsageError(absl::StrCat("unknown flag --", name));
  }
  return o;
}

// The built-in presets and calendars plus `files` (PolicySet text format),
// validated together.
absl::StatusOr<redress::domain::PolicyRegistry> LoadPolicies(const std::vector<std::string>& files) {
  auto builtin = redress::domain::BuiltinPolicySet();
  if (!builtin.ok()) return builtin.status();
  std::vector<redress::v1::PolicySet> sets = {*builtin};
  for (const std::string& path : files) {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
    std::stringstream text;
    text << in.rdbuf();
    auto set = redress::domain::ParsePolicySetText(text.str(), path);
    if (!set.ok()) return set.status();
    sets.push_back(std::move(*set));
  }
  return redress::domain::PolicyRegistry::Create(redress::domain::MergePolicySets(sets));
}

// Reads a 32-byte secret kept as hex in `path`, creating it (mode 0600) if
// the file does not exist.
absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path, bool* created) {
  *created = false;
  std::ifstream in(path);
  if (in) {
    std::string hex;
    in >> hex;
    if (hex.size() != 64 || absl::HexStringToBytes(hex).size() != 32) {
      return absl::FailedPreconditionError(absl::StrCat(path, ": expected 64 hex characters"));
    }
    return absl::HexStringToBytes(hex);
  }
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  const std::string hex = redress::domain::RandomHex(32);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat(path, ": cannot create"));
  const std::string line = hex + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return absl::UnavailableError(absl::StrCat(path, ": cannot write"));
  *created = true;
  return absl::HexStringToBytes(hex);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool IsLoopback(const std::string& listen) {
  const std::string host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace redress;
  const Options opts = ParseFlags(argc, argv);
  const api::LogSink log = api::StderrSink;

  // Block the shutdown signals in every thread; main waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Transport security: off loopback, TLS and an access configuration are
  // required unless the operator explicitly says --insecure.
  const bool loopback = IsLoopback(opts.listen);
  if (opts.tls_cert.empty() != opts.tls_key.empty()) UsageError("--tls-cert and --tls-key go together");
  if (!opts.client_ca.empty() && opts.tls_cert.empty()) UsageError("--client-ca needs --tls-cert");
  if (!loopback && !opts.insecure && (opts.tls_cert.empty() || opts.access_config.empty())) {
    UsageError(absl::StrCat("refusing to serve ", opts.listen,
                            " without TLS and --access-config (use a loopback address, or "
                            "--insecure if you really mean it)"));
  }
  if (!loopback && opts.insecure) {
    api::LogEvent(log, "warning",
                  absl::StrCat("--insecure: serving ", opts.listen,
                               opts.tls_cert.empty() ? " in PLAINTEXT" : "",
                               opts.access_config.empty() ? " trusting x-redress-actor" : "",
                               " -- never do this in production"));
  }
  std::shared_ptr<const domain::AccessPolicy> access;
  if (!opts.access_config.empty()) {
    auto p = domain::AccessPolicy::LoadFile(opts.access_config);
    if (!p.ok()) UsageError(std::string(p.status().message()));
    access = std::move(*p);
    api::LogEvent(log, "info", absl::StrCat("access config ", opts.access_config, ": ",
                                            access->principal_count(), " principals"));
  } else {
    api::LogEvent(
        log, "warning",
        absl::StrCat("no --access-config: development mode, every caller is trusted as the "
                     "principal named in its x-redress-actor metadata; personal data is ",
                     opts.dev_allow_personal_data || opts.allow_personal_data_export
                         ? "SERVED to every local caller (--dev-allow-personal-data)"
                         : "withheld and export, erasure and retention sweeps are refused",
                     ". For bearer tokens, see README \"Security\" (--access-config)"));
  }
  if (!opts.access_config.empty() && opts.dev_allow_personal_data) {
    UsageError("--dev-allow-personal-data is for development mode only; with --access-config, "
               "give principals GRANT_READ_PERSONAL_DATA instead");
  }
  api::Authenticator::Options auth_opts;
  auth_opts.default_rate_per_second = opts.rate_limit_per_second;
  auth_opts.dev_allow_personal_data = opts.dev_allow_personal_data;
  auth_opts.dev_allow_personal_data_export = opts.allow_personal_data_export;
  api::Authenticator auth(access, auth_opts);

  auto url = store::ParseDatabaseUrl(opts.database);
  if (!url.ok()) UsageError(std::string(url.status().message()));

  domain::SystemClock clock;
  store::ComplaintStore::Options store_opts;
  store_opts.url = *url;
  store_opts.readers = opts.readers;
  store_opts.commit.max_batch = opts.max_batch;
  auto store = store::ComplaintStore::Open(store_opts, clock.Now());
  if (!store.ok()) {
    api::LogEvent(log, "error", absl::StrCat("cannot open the database ", url->Describe(), ": ",
                                             store.status().ToString()));
    return 1;
  }
  api::LogEvent(log, "info", absl::StrCat("database ", url->Describe(), " at schema version ",
                                          (*store)->schema_version()));

  auto policies = LoadPolicies(opts.policy_files);
  if (!policies.ok()) {
    api::LogEvent(log, "error", absl::StrCat("policies: ", policies.status().message()));
    return 1;
  }
  api::LogEvent(log, "info", absl::StrCat("policies: ", policies->policy_set().policies_size(),
                                          " policy versions, ",
                                          policies->policy_set().calendars_size(), " calendars, ",
                                          policies->policy_set().pause_windows_size(),
                                          " pause windows"));
  core::ComplaintEngine::Options engine_opts;
  engine_opts.policy.dispute_window = absl::Hours(24) * opts.dispute_window_days;
  engine_opts.policy.reopen_window = absl::Hours(24) * opts.reopen_window_days;
  engine_opts.policies = &*policies;
  core::ComplaintEngine engine(store->get(), &clock, engine_opts);
  core::DeadlineSweeper::Options sweep_opts;
  sweep_opts.interval = absl::Seconds(opts.deadline_sweep_interval_seconds);
  core::DeadlineSweeper sweeper(store->get(), &clock, &*policies, sweep_opts);
  if (opts.deadline_sweep_interval_seconds > 0) sweeper.Start();

  bool created = false;
  auto signer = domain::CheckpointSigner::LoadOrCreate(opts.signing_key, &created);
  if (!signer.ok()) {
    api::LogEvent(log, "error", absl::StrCat("signing key: ", signer.status().ToString()));
    return 1;
  }
  api::LogEvent(log, created ? "warning" : "info",
                absl::StrCat(created ? "created a new checkpoint signing key in " : "checkpoint signing key ",
                             opts.signing_key, " (", (*signer)->public_key(), ", key id ",
                             (*signer)->key_id(), ")"));
  core::CheckpointSealer::Options seal_opts;
  seal_opts.every_events = opts.checkpoint_events;
  seal_opts.every = absl::Seconds(opts.checkpoint_interval_seconds);
  core::CheckpointSealer sealer(store->get(), signer->get(), &clock, seal_opts);
  if (absl::Status st = sealer.Start(); !st.ok()) {
    api::LogEvent(log, "error", absl::StrCat("checkpoint sealer: ", st.ToString()));
    return 1;
  }
  auto digest_key = LoadOrCreateSecret(opts.export_digest_key, &created);
  if (!digest_key.ok()) {
    api::LogEvent(log, "error", absl::StrCat("export digest key: ", digest_key.status().ToString()));
    return 1;
  }
  if (created) {
    api::LogEvent(log, "warning",
                  absl::StrCat("created a new export digest key in ", opts.export_digest_key));
  }
  core::AuditEngine::Options audit_opts;
  audit_opts.retention = absl::Hours(24) * opts.retention_days;
  audit_opts.export_digest_key = *digest_key;
  core::AuditEngine audit(store->get(), &engine, &sealer, &clock, audit_opts);

  api::GrpcServerOptions server_opts;
  server_opts.listen = opts.listen;
  server_opts.log_sink = log;
  server_opts.max_concurrent_streams = opts.max_concurrent_streams;
  for (auto [flag, path, out] : {std::tuple{"--tls-cert", opts.tls_cert, &server_opts.tls_cert_pem},
                                 std::tuple{"--tls-key", opts.tls_key, &server_opts.tls_key_pem},
                                 std::tuple{"--client-ca", opts.client_ca, &server_opts.client_ca_pem}}) {
    if (path.empty()) continue;
    auto pem = ReadFile(path);
    if (!pem.ok()) UsageError(absl::StrCat(flag, ": ", pem.status().message()));
    *out = *pem;
  }
  core::EventFeed feed(store->get(), &clock, core::EventFeed::Options{});
  auto server = api::GrpcServer::Start(server_opts, &auth, &engine, &audit, &feed);
  if (!server.ok()) {
    api::LogEvent(log, "error", std::string(server.status().message()));
    return 1;
  }
  const int port = (*server)->port();
  if (!opts.port_file.empty()) {
    const std::string tmp = opts.port_file + ".tmp";
    { std::ofstream(tmp) << port << "\n"; }
    std::rename(tmp.c_str(), opts.port_file.c_str());
  }
  const std::string host = opts.listen.substr(0, opts.listen.rfind(':'));
  api::LogEvent(log, "info", absl::StrCat("serving redress.v1.ComplaintService on ", host, ":", port));

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    if (opts.access_config.empty()) {
      api::LogEvent(log, "info", "SIGHUP: no --access-config to reload");
      continue;
    }
    auto p = domain::AccessPolicy::LoadFile(opts.access_config);
    if (!p.ok()) {
      api::LogEvent(log, "error", absl::StrCat("SIGHUP: keeping the previous access config: ",
                                               p.status().message()));
      continue;
    }
    const size_t n = (*p)->principal_count();
    auth.Reload(std::shared_ptr<const domain::AccessPolicy>(std::move(*p)));
    api::LogEvent(log, "info", absl::StrCat("SIGHUP: reloaded ", opts.access_config, ": ", n,
                                            " principals"));
  }
  api::LogEvent(log, "info", absl::StrCat("received ", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                                          ", shutting down"));
  (*server)->Shutdown(absl::Seconds(opts.shutdown_grace_seconds));
  sweeper.Stop();
  sealer.Stop();
  (*store)->Shutdown();
  const auto stats = (*store)->commit_stats();
  api::LogEvent(log, "info", absl::StrCat("stopped cleanly; ", stats.batches, " commits, ",
                                          stats.items, " writes"));
  store->reset();
  return 0;
}
