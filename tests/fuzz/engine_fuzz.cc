// libFuzzer target: the complaint write path (server/core/complaint_engine.h)
// on a SQLite store in a temporary directory -- validation, the group-commit
// transaction, the lifecycle transition, the hash-chained event, the
// complaint row -- checked against the pure domain functions.
//
// Input: the step format of request_steps.h (the same seeds as lifecycle_fuzz).
// Each input submits a fresh complaint, then sends each step's request (its
// `name` set to that complaint, its `etag` cleared) through
// ComplaintEngine::Mutate with the engine's clock advanced as the step says.
// Invariants:
//   - the engine answers every request, never with INTERNAL, DATA_LOSS or
//     UNKNOWN;
//   - without a request_id (no idempotent replay), its answer is what the
//     domain predicts from the complaint as last answered: INVALID_ARGUMENT
//     when ValidateFor fails; Apply's error code when Apply fails; otherwise
//     OK with Apply's state and event count;
//   - afterwards the stored history verifies (VerifyEventChain) and has as
//     many events as the complaint says.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "server/core/complaint_engine.h"
#include "server/domain/event_hash.h"
#include "server/domain/lifecycle.h"
#include "tests/fuzz/request_steps.h"
#include "server/store/database_url.h"

namespace {

namespace v1 = redress::v1;
using redress::domain::Action;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "engine_fuzz: invariant violated: %s\n", what.c_str());
  std::abort();
}

class FuzzClock final : public redress::domain::Clock {
 public:
  absl::Time Now() const override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  void Set(absl::Time t) {
    std::lock_guard<std::mutex> l(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1790000000);  // guarded by mu_
};

// The database is a fresh SQLite file, on /dev/shm when there is one: every
// commit is fsynced (synchronous=FULL) and durability is not what is fuzzed
// here; on disk the target runs ~10 times slower.
struct World {
  std::string dir;
  FuzzClock clock;
  std::unique_ptr<redress::store::ComplaintStore> store;
  std::unique_ptr<redress::core::ComplaintEngine> engine;
};

World& TheWorld() {
  static World* w = [] {
    auto* w = new World();  // lives until exit: the committer thread uses it
    std::string tmpl = (std::filesystem::is_directory("/dev/shm")
                            ? std::filesystem::path("/dev/shm")
                            : std::filesystem::temp_directory_path()) /
                       "redress-engine-fuzz-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) Fail("mkdtemp " + tmpl);
    w->dir = tmpl;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(TheWorld().dir, ec);
    });
    auto url = redress::store::ParseDatabaseUrl("sqlite:" + w->dir + "/redress.db");
    if (!url.ok()) Fail("database url: " + url.status().ToString());
    redress::store::ComplaintStore::Options o;
    o.url = *url;
    o.readers = 1;
    auto s = redress::store::ComplaintStore::Open(o, w->clock.Now());
    if (!s.ok()) Fail("store: " + s.status().ToString());
    w->store = std::move(*s);
    w->engine = std::make_unique<redress::core::ComplaintEngine>(
        w->store.get(), &w->clock, redress::core::ComplaintEngine::Options{});
    return w;
  }();
  return *w;
}

absl::StatusOr<v1::Complaint> Mutate(Action action,
                                     std::unique_ptr<google::protobuf::Message> request) {
  std::promise<absl::StatusOr<v1::Complaint>> p;
  TheWorld().engine->Mutate(redress::core::RequestContext{"fuzz-actor"}, action, std::move(request),
                            [&p](absl::StatusOr<v1::Complaint> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

void SetString(google::protobuf::Message* m, const char* field, const std::string& value) {
  const auto* f = m->GetDescriptor()->FindFieldByName(field);
  if (f != nullptr) m->GetReflection()->SetString(m, f, value);
}

std::string GetString(const google::protobuf::Message& m, const char* field) {
  const auto* f = m.GetDescriptor()->FindFieldByName(field);
  return f == nullptr ? std::string() : m.GetReflection()->GetString(m, f);
}

bool Documented(absl::StatusCode c) {
  return c != absl::StatusCode::kInternal && c != absl::StatusCode::kDataLoss &&
         c != absl::StatusCode::kUnknown;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // "invalid UTF-8" parse errors
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  absl::Time now = w.clock.Now();

  auto submit = std::make_unique<v1::SubmitComplaintRequest>();
  auto* in = submit->mutable_complaint();
  in->mutable_complainant()->set_display_name("Ada Lovelace");
  in->mutable_complainant()->set_email("ada@example.org");
  in->set_channel(v1::CHANNEL_EMAIL);
  in->set_description("Charged twice.");
  auto current = Mutate(Action::kSubmit, std::move(submit));
  if (!current.ok()) Fail("submit: " + current.status().ToString());

  for (const redress::fuzz::Step& step : redress::fuzz::DecodeSteps(data, size)) {
    if (step.action == Action::kSubmit) continue;  // one complaint per input
    auto request = redress::fuzz::NewRequest(step.action);
    if (!request->ParseFromString(step.request)) continue;
    SetString(request.get(), "name", current->name());
    SetString(request.get(), "etag", "");
    now += absl::Hours(step.advance_hours);
    w.clock.Set(now);

    // What the domain predicts.
    absl::StatusCode want = absl::StatusCode::kOk;
    absl::StatusOr<redress::domain::Transition> t = absl::UnknownError("not applied");
    if (absl::Status v = redress::domain::ValidateFor(step.action, *request, now); !v.ok()) {
      want = v.code();
    } else {
      redress::domain::ActionContext ctx;
      ctx.actor = "fuzz-actor";
      ctx.now = now;
      t = redress::domain::Apply(step.action, *request, *current, ctx);
      want = t.status().code();
      // This world has no complaint-handling policies: there is no deadline
      // to extend (the engine checks that before the transition).
      if (want == absl::StatusCode::kOk && step.action == Action::kExtendDeadline) {
        want = absl::StatusCode::kFailedPrecondition;
      }
    }
    const bool replay = !GetString(*request, "request_id").empty();

    auto got = Mutate(step.action, std::move(request));
    const std::string rpc(redress::domain::Spec(step.action).rpc);
    if (!got.ok() && !Documented(got.status().code())) {
      Fail(rpc + ": undocumented error " + got.status().ToString());
    }
    if (replay) {
      if (got.ok() && got->name() == current->name()) current = std::move(got);
      continue;
    }
    if (got.status().code() != want) {
      Fail(rpc + ": engine says " + got.status().ToString() + ", domain predicts " +
           absl::StatusCodeToString(want) + (t.ok() ? "" : " " + t.status().ToString()));
    }
    if (got.ok()) {
      if (got->state() != t->to_state || got->event_count() != t->after.event_count()) {
        Fail(rpc + ": engine result differs from the domain's: " + got->ShortDebugString());
      }
      current = std::move(got);
    }
  }

  // The stored history is a verifying chain of event_count events.
  std::vector<v1::ComplaintEvent> events;
  v1::ListComplaintEventsRequest list;
  list.set_parent(current->name());
  list.set_page_size(1000);
  do {
    auto page = w.engine->ListEvents(list);
    if (!page.ok()) Fail("ListEvents: " + page.status().ToString());
    events.insert(events.end(), page->events().begin(), page->events().end());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  if (absl::Status st = redress::domain::VerifyEventChain(events); !st.ok()) {
    Fail("stored chain: " + st.ToString());
  }
  if (static_cast<int64_t>(events.size()) != current->event_count()) {
    Fail("event_count " + std::to_string(current->event_count()) + " but " +
         std::to_string(events.size()) + " events stored");
  }
  return 0;
}
