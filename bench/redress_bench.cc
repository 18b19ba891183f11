// redress-bench: load generator and ceiling probes for Redress (issue #7).
//
// One process, one scenario per invocation, one JSON object on stdout (and a
// readable summary on stderr). bench/run_bench.sh drives it and
// bench/report.py turns the JSON lines into bench/RESULTS.md.
//
// gRPC scenarios (callback API; `--concurrency N` slots each keep one call in
// flight, spread over `--channels` separate HTTP/2 connections):
//   noop       grpc.health.v1.Health/Check on the same server: the ceiling of
//              a unary call through the same server set-up and client
//   intake     SubmitComplaint
//   lifecycle  submit, acknowledge, assess, start investigation, respond,
//              record decision ACCEPTED: 6 durable writes; a complaint counts
//              as completed when the decision (closure) is answered
//   reads      GetComplaint, ListComplaints (filtered), ListComplaintEvents,
//              in turn, on complaints already stored
//   mix        70 % reads (as above), 30 % the next lifecycle write
//   export     AuditService/ExportAuditTrail, every record written to --out
//              (length-delimited binary), once
// Database scenario (no server; the project's own session set-up, so the
// pragmas are the server's):
//   commit     INSERT of one ~300-byte row per statement, `--batch` rows per
//              transaction, into a table of its own in --database
//
// Every loop is bounded by --seconds and --max-ops. Only the targets given
// are contacted (the scripts pass loopback addresses).
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/store/database_url.h"
#include "server/store/db_session.h"

namespace {

namespace v1 = ::redress::v1;
using Clock = std::chrono::steady_clock;

constexpr char kUsage[] = R"(usage: redress-bench --scenario S [flags]

scenarios: noop intake lifecycle reads mix export (gRPC)   commit (database)

flags:
  --target HOST:PORT[,HOST:PORT...]  servers (replicas); channels go round-robin
  --concurrency N        calls in flight (default 1)
  --channels N           HTTP/2 connections (default ceil(N/64))
  --seconds S            measured time (default 5)
  --warmup S             unmeasured time before it (default 1)
  --max-ops N            stop issuing after N calls (default 10000000)
  --actor NAME           x-redress-actor (default bench)
  --server-pid PID[,PID] sample CPU and RSS of these processes (/proc)
  --read-pool N          complaint ids the read scenarios pick from (default 1000)
  --filter F             ListComplaints filter of the read scenarios
                         (default: state = CLOSED AND category = "billing")
  --out PATH             export: where the stream goes
  --database URL         commit: sqlite:PATH or postgresql://...
  --batch N              commit: rows per transaction (default 1)
  --label TEXT           copied into the JSON (e.g. sqlite, pg-2-replicas)
)";

[[noreturn]] void Usage(const std::string& msg) {
  std::cerr << "redress-bench: " << msg << "\n" << kUsage;
  std::exit(2);
}

struct Config {
  std::string scenario;
  std::vector<std::string> targets;
  int concurrency = 1;
  int channels = 0;
  double seconds = 5;
  double warmup = 1;
  int64_t max_ops = 10'000'000;
  std::string actor = "bench";
  std::vector<int> server_pids;
  int read_pool = 1000;
  std::string filter = "state = CLOSED AND category = \"billing\"";
  std::string out;
  std::string database;
  int batch = 1;
  std::string label;
};

Config ParseArgs(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (a.rfind("--", 0) != 0) Usage("unexpected argument " + a);
    std::string name = a.substr(2), value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= argc) Usage("--" + name + " needs a value");
      value = argv[++i];
    }
    auto num = [&](auto* out, double lo, double hi) {
      double d = 0;
      if (!absl::SimpleAtod(value, &d) || d < lo || d > hi) {
        Usage(absl::StrCat("--", name, ": expected a number in [", lo, ", ", hi, "]"));
      }
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(d);
    };
    if (name == "scenario") c.scenario = value;
    else if (name == "target") c.targets = absl::StrSplit(value, ',', absl::SkipEmpty());
    else if (name == "concurrency") num(&c.concurrency, 1, 100000);
    else if (name == "channels") num(&c.channels, 1, 1024);
    else if (name == "seconds") num(&c.seconds, 0.1, 86400);
    else if (name == "warmup") num(&c.warmup, 0, 3600);
    else if (name == "max-ops") num(&c.max_ops, 1, 1e12);
    else if (name == "actor") c.actor = value;
    else if (name == "server-pid") {
      for (absl::string_view p : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        int pid = 0;
        if (!absl::SimpleAtoi(p, &pid) || pid <= 0) Usage("--server-pid: expected PIDs");
        c.server_pids.push_back(pid);
      }
    } else if (name == "read-pool") num(&c.read_pool, 1, 1000000);
    else if (name == "filter") c.filter = value;
    else if (name == "out") c.out = value;
    else if (name == "database") c.database = value;
    else if (name == "batch") num(&c.batch, 1, 100000);
    else if (name == "label") c.label = value;
    else Usage("unknown flag --" + name);
  }
  static const std::vector<std::string> kScenarios = {"noop", "intake", "lifecycle", "reads",
                                                      "mix", "export", "commit"};
  if (std::find(kScenarios.begin(), kScenarios.end(), c.scenario) == kScenarios.end()) {
    Usage("--scenario: one of noop intake lifecycle reads mix export commit");
  }
  if (c.scenario == "commit" ? c.database.empty() : c.targets.empty()) {
    Usage(c.scenario == "commit" ? "--database is required" : "--target is required");
  }
  if (c.scenario == "export" && c.out.empty()) Usage("--out is required for export");
  if (c.channels == 0) c.channels = std::max(1, (c.concurrency + 63) / 64);
  return c;
}

// --- process sampling (/proc) ------------------------------------------------

struct ProcSample {
  double cpu_seconds = 0;  // utime + stime
  double rss_mib = 0;      // VmRSS
  double hwm_mib = 0;      // VmHWM
};

ProcSample SampleProcess(int pid) {
  ProcSample s;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (std::getline(stat, line)) {
    // Fields after the ")" that closes the command name; utime and stime are
    // fields 14 and 15 of the whole line (11 and 12 after the state field).
    auto close = line.rfind(')');
    std::vector<std::string> f = absl::StrSplit(line.substr(close + 2), ' ');
    if (f.size() > 12) {
      const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
      s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / tick;
    }
  }
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  while (std::getline(status, line)) {
    auto kib = [&](const char* key) { return std::stod(line.substr(std::string(key).size())) / 1024; };
    if (line.rfind("VmRSS:", 0) == 0) s.rss_mib = kib("VmRSS:");
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_mib = kib("VmHWM:");
  }
  return s;
}

double SelfCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// --- helpers -----------------------------------------------------------------

std::string NewUuid(std::mt19937_64& rng) {
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                          // version 4
  lo = (lo & ~(0xC000000000000000ULL)) | 0x8000000000000000ULL;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

enum class Op { kHealth, kSubmit, kAck, kAssess, kInvestigate, kRespond, kDecide, kGet, kList, kEvents };

bool IsWrite(Op op) { return op >= Op::kSubmit && op <= Op::kDecide; }
constexpr int kOps = 10;
constexpr const char* kOpNames[kOps] = {"Health.Check",       "SubmitComplaint",
                                        "AcknowledgeComplaint", "AssessComplaint",
                                        "StartInvestigation", "RespondToComplaint",
                                        "RecordComplainantDecision", "GetComplaint",
                                        "ListComplaints",     "ListComplaintEvents"};

struct Result {
  int64_t ops = 0;          // answered OK in the window
  int64_t transitions = 0;  // durable writes answered OK in the window
  int64_t completed = 0;    // complaints closed in the window
  int64_t errors = 0;       // calls answered with an error (whole run)
  std::string first_error;
  std::vector<uint32_t> latency_us;  // OK calls in the window
  std::vector<std::vector<uint32_t>> by_op = std::vector<std::vector<uint32_t>>(kOps);
};

double Percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k] / 1000.0;
}

// --- gRPC load -----------------------------------------------------------------


class Load;

// One call in flight at a time. The request and response messages live here
// because a callback call needs them until its completion.
class Slot {
 public:
  Slot(Load* load, int index, v1::ComplaintService::Stub* stub, grpc::health::v1::Health::Stub* health,
       uint64_t seed)
      : load_(load), index_(index), stub_(stub), health_(health), rng_(seed) {}
  void Start() { Next(); }
  Result& result() { return result_; }

 private:
  void Next();
  void Issue(Op op);
  void Done(Op op, const grpc::Status& status);
  Op PickRead();
  void SetTarget(auto* req) {
    req->set_name(name_);
    req->set_etag(etag_);
    req->set_request_id(NewUuid(rng_));
  }

  Load* load_;
  int index_;
  v1::ComplaintService::Stub* stub_;
  grpc::health::v1::Health::Stub* health_;
  std::mt19937_64 rng_;
  std::unique_ptr<grpc::ClientContext> ctx_;
  Clock::time_point started_;
  int read_turn_ = 0;
  // Lifecycle position: the next write of this slot's current complaint.
  Op next_write_ = Op::kSubmit;
  std::string name_, etag_;
  Result result_;

  grpc::health::v1::HealthCheckRequest health_req_;
  grpc::health::v1::HealthCheckResponse health_resp_;
  v1::SubmitComplaintRequest submit_;
  v1::AcknowledgeComplaintRequest ack_;
  v1::AssessComplaintRequest assess_;
  v1::StartInvestigationRequest investigate_;
  v1::RespondToComplaintRequest respond_;
  v1::RecordComplainantDecisionRequest decide_;
  v1::GetComplaintRequest get_;
  v1::ListComplaintsRequest list_;
  v1::ListComplaintEventsRequest events_;
  v1::Complaint complaint_;
  v1::ListComplaintsResponse list_resp_;
  v1::ListComplaintEventsResponse events_resp_;
};

class Load {
 public:
  Load(const Config& cfg, std::vector<std::string> pool) : cfg_(cfg), pool_(std::move(pool)) {
    for (int i = 0; i < cfg.channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
      args.SetInt("redress.bench.channel", i);
      auto ch = grpc::CreateCustomChannel(cfg.targets[i % cfg.targets.size()],
                                          grpc::InsecureChannelCredentials(), args);
      stubs_.push_back(v1::ComplaintService::NewStub(ch));
      health_.push_back(grpc::health::v1::Health::NewStub(ch));
      channels_.push_back(std::move(ch));
    }
    std::random_device rd;
    for (int i = 0; i < cfg.concurrency; ++i) {
      slots_.push_back(std::make_unique<Slot>(this, i, stubs_[i % stubs_.size()].get(),
                                              health_[i % health_.size()].get(),
                                              (uint64_t{rd()} << 32) ^ rd() ^ i));
    }
  }

  const Config& cfg() const { return cfg_; }
  const std::vector<std::string>& pool() const { return pool_; }
  Clock::time_point window_start() const { return window_start_; }
  Clock::time_point window_end() const { return window_end_; }

  // May another call start? Counts it if so.
  bool MayIssue() {
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (Clock::now() >= window_end_) return false;
    if (issued_.fetch_add(1, std::memory_order_relaxed) >= cfg_.max_ops) {
      stop_ = true;
      return false;
    }
    return true;
  }
  void TooManyErrors() { stop_ = true; }
  void SlotFinished() {
    std::lock_guard<std::mutex> l(mu_);
    if (++finished_ == static_cast<int>(slots_.size())) cv_.notify_all();
  }

  // Runs every slot until the window ends; returns the merged result and the
  // measured window in seconds.
  Result Run(double* window_seconds, std::vector<ProcSample>* before, std::vector<ProcSample>* after,
             double* client_cpu) {
    const auto now = Clock::now();
    window_start_ = now + std::chrono::microseconds(static_cast<int64_t>(cfg_.warmup * 1e6));
    window_end_ = window_start_ + std::chrono::microseconds(static_cast<int64_t>(cfg_.seconds * 1e6));
    for (auto& s : slots_) s->Start();
    std::this_thread::sleep_until(window_start_);
    double c0 = SelfCpuSeconds();
    for (int pid : cfg_.server_pids) before->push_back(SampleProcess(pid));
    const auto started = Clock::now();
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait_until(l, window_end_, [&] { return finished_ == static_cast<int>(slots_.size()); });
    }
    const auto ended = std::min(Clock::now(), window_end_);
    for (int pid : cfg_.server_pids) after->push_back(SampleProcess(pid));
    *client_cpu = SelfCpuSeconds() - c0;
    {
      // Drain: calls in flight at the window's end finish (not counted).
      std::unique_lock<std::mutex> l(mu_);
      stop_ = true;
      cv_.wait_for(l, std::chrono::seconds(30),
                   [&] { return finished_ == static_cast<int>(slots_.size()); });
      if (finished_ != static_cast<int>(slots_.size())) {
        std::cerr << "redress-bench: calls still in flight 30 s after the window\n";
        std::_Exit(3);
      }
    }
    *window_seconds = std::chrono::duration<double>(ended - started).count();
    Result total;
    for (auto& s : slots_) {
      Result& r = s->result();
      total.ops += r.ops;
      total.transitions += r.transitions;
      total.completed += r.completed;
      total.errors += r.errors;
      if (total.first_error.empty()) total.first_error = r.first_error;
      total.latency_us.insert(total.latency_us.end(), r.latency_us.begin(), r.latency_us.end());
      for (int i = 0; i < kOps; ++i) {
        total.by_op[i].insert(total.by_op[i].end(), r.by_op[i].begin(), r.by_op[i].end());
      }
    }
    return total;
  }

 private:
  const Config& cfg_;
  std::vector<std::string> pool_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::ComplaintService::Stub>> stubs_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> health_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> issued_{0};
  Clock::time_point window_start_, window_end_;
  std::mutex mu_;
  std::condition_variable cv_;
  int finished_ = 0;
};

Op Slot::PickRead() {
  static constexpr Op kReads[] = {Op::kGet, Op::kList, Op::kEvents};
  return kReads[read_turn_++ % 3];
}

void Slot::Next() {
  if (!load_->MayIssue()) {
    load_->SlotFinished();
    return;
  }
  const std::string& s = load_->cfg().scenario;
  if (s == "noop") return Issue(Op::kHealth);
  if (s == "intake") return Issue(Op::kSubmit);
  if (s == "lifecycle") return Issue(next_write_);
  if (s == "reads") return Issue(PickRead());
  // mix: 70 % reads.
  if (std::uniform_int_distribution<int>(0, 99)(rng_) < 70) return Issue(PickRead());
  return Issue(next_write_);
}

void Slot::Issue(Op op) {
  ctx_ = std::make_unique<grpc::ClientContext>();
  ctx_->AddMetadata("x-redress-actor", load_->cfg().actor);
  ctx_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  started_ = Clock::now();
  auto done = [this, op](grpc::Status st) { Done(op, st); };
  auto* async = stub_->async();
  const auto& pool = load_->pool();
  const std::string& random_id =
      pool.empty() ? name_ : pool[std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng_)];
  switch (op) {
    case Op::kHealth:
      health_->async()->Check(ctx_.get(), &health_req_, &health_resp_, done);
      return;
    case Op::kSubmit: {
      submit_.Clear();
      v1::Complaint* c = submit_.mutable_complaint();
      c->mutable_complainant()->set_display_name("Ada Lovelace");
      c->mutable_complainant()->set_email("ada@example.org");
      c->set_channel(v1::CHANNEL_EMAIL);
      c->set_category("billing");
      c->set_description("Charged twice for one card payment on 3 November.");
      c->set_remedy_sought("Refund the duplicate charge");
      submit_.set_request_id(NewUuid(rng_));
      async->SubmitComplaint(ctx_.get(), &submit_, &complaint_, done);
      return;
    }
    case Op::kAck:
      SetTarget(&ack_);
      ack_.set_message("Thank you, we are looking into it.");
      async->AcknowledgeComplaint(ctx_.get(), &ack_, &complaint_, done);
      return;
    case Op::kAssess: {
      SetTarget(&assess_);
      v1::Assessment* a = assess_.mutable_assessment();
      a->set_severity(v1::LEVEL_MEDIUM);
      a->set_priority(v1::LEVEL_HIGH);
      a->set_complexity(v1::LEVEL_LOW);
      a->set_impact(v1::LEVEL_MEDIUM);
      async->AssessComplaint(ctx_.get(), &assess_, &complaint_, done);
      return;
    }
    case Op::kInvestigate:
      SetTarget(&investigate_);
      investigate_.set_plan("Check the card processor's settlement file");
      async->StartInvestigation(ctx_.get(), &investigate_, &complaint_, done);
      return;
    case Op::kRespond: {
      SetTarget(&respond_);
      v1::Response* r = respond_.mutable_response();
      r->set_decision(v1::Response::DECISION_UPHELD);
      r->set_text("We have refunded the duplicate charge.");
      r->set_communicated_via(v1::CHANNEL_EMAIL);
      r->mutable_redress_amount()->set_amount_minor(4250);
      r->mutable_redress_amount()->set_currency_code("GBP");
      async->RespondToComplaint(ctx_.get(), &respond_, &complaint_, done);
      return;
    }
    case Op::kDecide:
      SetTarget(&decide_);
      decide_.mutable_decision()->set_outcome(v1::ComplainantDecision::OUTCOME_ACCEPTED);
      decide_.mutable_decision()->set_comment("Thanks");
      async->RecordComplainantDecision(ctx_.get(), &decide_, &complaint_, done);
      return;
    case Op::kGet:
      get_.set_name(random_id);
      async->GetComplaint(ctx_.get(), &get_, &complaint_, done);
      return;
    case Op::kList:
      list_.set_filter(load_->cfg().filter);
      list_.set_page_size(20);
      async->ListComplaints(ctx_.get(), &list_, &list_resp_, done);
      return;
    case Op::kEvents:
      events_.set_parent(random_id);
      async->ListComplaintEvents(ctx_.get(), &events_, &events_resp_, done);
      return;
  }
}

void Slot::Done(Op op, const grpc::Status& st) {
  const auto end = Clock::now();
  const bool in_window = started_ >= load_->window_start() && end <= load_->window_end();
  if (!st.ok()) {
    ++result_.errors;
    if (result_.first_error.empty()) {
      result_.first_error = absl::StrCat(kOpNames[static_cast<int>(op)], ": ", st.error_code(), " ",
                                         st.error_message());
    }
    if (result_.errors > 100) load_->TooManyErrors();
    if (IsWrite(op)) next_write_ = Op::kSubmit;  // start over with a new complaint
    return Next();
  }
  if (in_window) {
    ++result_.ops;
    const auto us = static_cast<uint32_t>(std::min<int64_t>(
        UINT32_MAX, std::chrono::duration_cast<std::chrono::microseconds>(end - started_).count()));
    result_.latency_us.push_back(us);
    result_.by_op[static_cast<int>(op)].push_back(us);
    if (IsWrite(op)) ++result_.transitions;
    if (op == Op::kDecide) ++result_.completed;
  }
  if (IsWrite(op)) {
    name_ = complaint_.name();
    etag_ = complaint_.etag();
    switch (op) {
      case Op::kSubmit: next_write_ = Op::kAck; break;
      case Op::kAck: next_write_ = Op::kAssess; break;
      case Op::kAssess: next_write_ = Op::kInvestigate; break;
      case Op::kInvestigate: next_write_ = Op::kRespond; break;
      case Op::kRespond: next_write_ = Op::kDecide; break;
      default: next_write_ = Op::kSubmit; break;
    }
  }
  Next();
}

// Complaint names to read: the oldest `want` complaints (ListComplaints
// pages); if there are fewer, submits complaints until there are `want`.
std::vector<std::string> ReadPool(const Config& cfg) {
  auto ch = grpc::CreateChannel(cfg.targets[0], grpc::InsecureChannelCredentials());
  auto stub = v1::ComplaintService::NewStub(ch);
  std::vector<std::string> pool;
  std::string token;
  auto ctx = [&] {
    auto c = std::make_unique<grpc::ClientContext>();
    c->AddMetadata("x-redress-actor", cfg.actor);
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return c;
  };
  do {
    v1::ListComplaintsRequest req;
    req.set_page_size(std::min(1000, cfg.read_pool - static_cast<int>(pool.size())));
    req.set_page_token(token);
    v1::ListComplaintsResponse resp;
    auto c = ctx();
    grpc::Status st = stub->ListComplaints(c.get(), req, &resp);
    if (!st.ok()) {
      std::cerr << "redress-bench: ListComplaints: " << st.error_message() << "\n";
      std::exit(1);
    }
    for (const auto& x : resp.complaints()) pool.push_back(x.name());
    token = resp.next_page_token();
  } while (!token.empty() && static_cast<int>(pool.size()) < cfg.read_pool);
  std::mt19937_64 rng(42);
  while (static_cast<int>(pool.size()) < cfg.read_pool) {
    v1::SubmitComplaintRequest req;
    v1::Complaint* x = req.mutable_complaint();
    x->mutable_complainant()->set_display_name("Read Pool");
    x->set_channel(v1::CHANNEL_WEB);
    x->set_category("billing");
    x->set_description("Complaint for the read benchmark.");
    req.set_request_id(NewUuid(rng));
    v1::Complaint resp;
    auto c = ctx();
    grpc::Status st = stub->SubmitComplaint(c.get(), req, &resp);
    if (!st.ok()) {
      std::cerr << "redress-bench: SubmitComplaint: " << st.error_message() << "\n";
      std::exit(1);
    }
    pool.push_back(resp.name());
  }
  return pool;
}

void PrintJson(const Config& cfg, const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out = "{";
  auto esc = [](const std::string& s) {
    std::string r;
    for (char ch : s) {
      if (ch == '"' || ch == '\\') r += '\\';
      if (static_cast<unsigned char>(ch) < 0x20) {
        r += ' ';
        continue;
      }
      r += ch;
    }
    return r;
  };
  out += absl::StrCat("\"scenario\":\"", cfg.scenario, "\",\"label\":\"", esc(cfg.label), "\"");
  for (const auto& [k, v] : kv) absl::StrAppend(&out, ",\"", k, "\":", v);
  out += "}";
  std::cout << out << std::endl;
}

std::string Str(const std::string& s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    r += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
  }
  return r + "\"";
}
std::string Num(double d) { return absl::StrFormat("%.10g", d); }

int RunLoad(const Config& cfg) {
  std::vector<std::string> pool;
  if (cfg.scenario == "reads" || cfg.scenario == "mix") pool = ReadPool(cfg);
  Load load(cfg, std::move(pool));
  double secs = 0, client_cpu = 0;
  std::vector<ProcSample> before, after;
  Result r = load.Run(&secs, &before, &after, &client_cpu);
  double server_cpu = 0, rss = 0, hwm = 0;
  for (size_t i = 0; i < before.size() && i < after.size(); ++i) {
    server_cpu += after[i].cpu_seconds - before[i].cpu_seconds;
    rss += after[i].rss_mib;
    hwm += after[i].hwm_mib;
  }
  const double p50 = Percentile(r.latency_us, 0.50), p90 = Percentile(r.latency_us, 0.90),
               p99 = Percentile(r.latency_us, 0.99);
  const double max = r.latency_us.empty() ? 0 : *std::max_element(r.latency_us.begin(), r.latency_us.end()) / 1000.0;
  std::string per_rpc = "{";
  for (int i = 0; i < kOps; ++i) {
    auto& v = r.by_op[i];
    if (v.empty()) continue;
    if (per_rpc.size() > 1) per_rpc += ",";
    const double n = v.size();
    absl::StrAppend(&per_rpc, "\"", kOpNames[i], "\":{\"ops_per_s\":", Num(n / secs), ",\"p50_ms\":",
                    Num(Percentile(v, 0.5)), ",\"p99_ms\":", Num(Percentile(v, 0.99)), "}");
  }
  per_rpc += "}";
  const double work = cfg.scenario == "lifecycle" || cfg.scenario == "intake" ? r.transitions : r.ops;
  PrintJson(cfg, {{"concurrency", Num(cfg.concurrency)},
                  {"channels", Num(cfg.channels)},
                  {"targets", Num(cfg.targets.size())},
                  {"seconds", Num(secs)},
                  {"ops", Num(r.ops)},
                  {"ops_per_s", Num(r.ops / secs)},
                  {"transitions", Num(r.transitions)},
                  {"transitions_per_s", Num(r.transitions / secs)},
                  {"completed", Num(r.completed)},
                  {"completed_per_s", Num(r.completed / secs)},
                  {"errors", Num(r.errors)},
                  {"first_error", Str(r.first_error)},
                  {"p50_ms", Num(p50)},
                  {"p90_ms", Num(p90)},
                  {"p99_ms", Num(p99)},
                  {"max_ms", Num(max)},
                  {"server_cpu_cores", Num(server_cpu / secs)},
                  {"server_cpu_us_per_op", Num(work > 0 ? server_cpu * 1e6 / work : 0)},
                  {"server_rss_mib", Num(rss)},
                  {"server_hwm_mib", Num(hwm)},
                  {"client_cpu_cores", Num(client_cpu / secs)},
                  {"pool", Num(load.pool().size())},
                  {"per_rpc", per_rpc}});
  std::cerr << absl::StrFormat(
      "%-9s %-14s c=%-4d %9.0f ops/s %9.0f transitions/s %8.0f completed/s  p50 %.2f p90 %.2f "
      "p99 %.2f max %.2f ms  errors %d  server %.2f cores %.0f MiB\n",
      cfg.scenario, cfg.label, cfg.concurrency, r.ops / secs, r.transitions / secs, r.completed / secs,
      p50, p90, p99, max, r.errors, server_cpu / secs, rss);
  if (!r.first_error.empty()) std::cerr << "  first error: " << r.first_error << "\n";
  return 0;
}

// --- export --------------------------------------------------------------------

int RunExport(const Config& cfg) {
  auto ch = grpc::CreateChannel(cfg.targets[0], grpc::InsecureChannelCredentials());
  auto stub = v1::AuditService::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-redress-actor", cfg.actor);
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::microseconds(static_cast<int64_t>(cfg.seconds * 1e6)));
  std::ofstream out(cfg.out, std::ios::binary | std::ios::trunc);
  if (!out) Usage("cannot write " + cfg.out);
  std::vector<ProcSample> before, after;
  for (int pid : cfg.server_pids) before.push_back(SampleProcess(pid));
  const double c0 = SelfCpuSeconds();
  const auto t0 = Clock::now();
  v1::ExportAuditTrailRequest req;
  auto reader = stub->ExportAuditTrail(&ctx, req);
  v1::ExportAuditTrailResponse resp;
  int64_t entries = 0, records = 0, bytes = 0;
  std::string buf;
  while (reader->Read(&resp)) {
    ++records;
    if (resp.has_entry()) ++entries;
    buf.clear();
    resp.SerializeToString(&buf);
    uint32_t n = buf.size();
    out.write(reinterpret_cast<const char*>(&n), sizeof n);
    out.write(buf.data(), buf.size());
    bytes += sizeof n + buf.size();
  }
  grpc::Status st = reader->Finish();
  out.close();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  for (int pid : cfg.server_pids) after.push_back(SampleProcess(pid));
  double server_cpu = 0, hwm = 0;
  for (size_t i = 0; i < before.size() && i < after.size(); ++i) {
    server_cpu += after[i].cpu_seconds - before[i].cpu_seconds;
    hwm += after[i].hwm_mib;
  }
  PrintJson(cfg, {{"seconds", Num(secs)},
                  {"events", Num(entries)},
                  {"records", Num(records)},
                  {"bytes", Num(bytes)},
                  {"events_per_s", Num(entries / secs)},
                  {"errors", Num(st.ok() ? 0 : 1)},
                  {"first_error", Str(st.ok() ? "" : st.error_message())},
                  {"server_cpu_cores", Num(server_cpu / secs)},
                  {"server_hwm_mib", Num(hwm)},
                  {"client_cpu_cores", Num((SelfCpuSeconds() - c0) / secs)}});
  std::cerr << absl::StrFormat("export: %d events (%d records, %.1f MiB) in %.2f s: %.0f events/s%s\n",
                               entries, records, bytes / 1048576.0, secs, entries / secs,
                               st.ok() ? "" : " ERROR " + st.error_message());
  return st.ok() ? 0 : 1;
}

// --- raw durable commit rate ---------------------------------------------------

int RunCommit(const Config& cfg) {
  auto url = redress::store::ParseDatabaseUrl(cfg.database);
  if (!url.ok()) Usage(std::string(url.status().message()));
  auto session = redress::store::OpenSession(*url);
  if (!session.ok()) {
    std::cerr << "redress-bench: " << session.status() << "\n";
    return 1;
  }
  soci::session& sql = **session;
  const bool pg = url->dialect == redress::store::Dialect::kPostgresql;
  try {
    sql << "DROP TABLE IF EXISTS bench_commit";
    sql << (pg ? "CREATE TABLE bench_commit (id BIGINT PRIMARY KEY, k TEXT NOT NULL, payload TEXT NOT NULL)"
               : "CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, k TEXT NOT NULL, payload TEXT NOT NULL)");
    sql << "CREATE INDEX bench_commit_k ON bench_commit (k)";
  } catch (const std::exception& e) {
    std::cerr << "redress-bench: " << e.what() << "\n";
    return 1;
  }
  // Roughly one audit event: a 64-character hash and a payload.
  long long id = 0;
  std::string k, payload(240, 'x');
  soci::statement insert = (sql.prepare << "INSERT INTO bench_commit (id, k, payload) VALUES (:id, :k, :p)",
                            soci::use(id), soci::use(k), soci::use(payload));
  std::vector<uint32_t> lat;
  std::mt19937_64 rng(7);
  const auto deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>((cfg.seconds + cfg.warmup) * 1e6));
  const auto measure_from = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(cfg.warmup * 1e6));
  int64_t txns = 0, rows = 0;
  Clock::time_point t0{};
  const double c0 = SelfCpuSeconds();
  double c_start = c0;
  int64_t issued = 0;
  while (Clock::now() < deadline && issued < cfg.max_ops) {
    const auto start = Clock::now();
    const bool measured = start >= measure_from;
    if (measured && t0 == Clock::time_point{}) {
      t0 = start;
      c_start = SelfCpuSeconds();
    }
    sql.begin();
    for (int i = 0; i < cfg.batch; ++i) {
      ++id;
      k = absl::StrFormat("%016x%016x", rng(), rng());
      insert.execute(true);
    }
    sql.commit();
    ++issued;
    if (measured) {
      ++txns;
      rows += cfg.batch;
      lat.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count()));
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = SelfCpuSeconds() - c_start;
  try {
    sql << "DROP TABLE bench_commit";
  } catch (const std::exception&) {
  }
  const double p50 = Percentile(lat, 0.5), p99 = Percentile(lat, 0.99);
  PrintJson(cfg, {{"batch", Num(cfg.batch)},
                  {"seconds", Num(secs)},
                  {"transactions", Num(txns)},
                  {"rows", Num(rows)},
                  {"commits_per_s", Num(txns / secs)},
                  {"rows_per_s", Num(rows / secs)},
                  {"p50_ms", Num(p50)},
                  {"p99_ms", Num(p99)},
                  {"cpu_cores", Num(cpu / secs)},
                  {"errors", Num(0)}});
  std::cerr << absl::StrFormat("commit %-10s batch=%-3d %8.0f commits/s %9.0f rows/s  p50 %.3f ms p99 %.3f ms\n",
                               cfg.label, cfg.batch, txns / secs, rows / secs, p50, p99);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Config cfg = ParseArgs(argc, argv);
  try {
    if (cfg.scenario == "commit") return RunCommit(cfg);
    if (cfg.scenario == "export") return RunExport(cfg);
    return RunLoad(cfg);
  } catch (const std::exception& e) {
    std::cerr << "redress-bench: " << e.what() << "\n";
    return 1;
  }
}
