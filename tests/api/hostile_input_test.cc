// The catalogue of malformed and hostile requests (security issue): each one
// gets the right status code; a refused request writes nothing; an accepted
// one is stored verbatim (injection strings are data, never code).
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <map>
#include <mutex>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/grpc_server.h"
#include "server/domain/ids.h"
#include "tests/testing/test_db.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;
using Mutator = std::function<void(v1::SubmitComplaintRequest&, const std::string&)>;

// The field path of the machine-readable detail of an INVALID_ARGUMENT
// (grpc-status-details-bin: google.rpc.Status holding one google.rpc.BadRequest
// with one field violation), checked against the readable message
// "<field>: <description>". "" if the detail is missing or inconsistent.
std::string ViolatedField(const grpc::Status& st) {
  google::rpc::Status rpc;
  google::rpc::BadRequest bad;
  if (st.error_details().empty() || !rpc.ParseFromString(st.error_details())) return "";
  if (rpc.code() != st.error_code() || rpc.message() != st.error_message()) return "";
  if (rpc.details_size() != 1 || !rpc.details(0).UnpackTo(&bad)) return "";
  if (bad.field_violations_size() != 1) return "";
  const auto& fv = bad.field_violations(0);
  if (fv.field() + ": " + fv.description() != st.error_message()) return "";
  return fv.field();
}

struct TextField {
  const char* name;
  size_t limit;
  Mutator set;
  bool free_text;   // accepts quotes, angle brackets, semicolons
  bool multi_line;  // not used for control characters: \x07 is refused everywhere
};

std::vector<TextField> Fields() {
  auto c = [](v1::SubmitComplaintRequest& r) { return r.mutable_complaint(); };
  return {
      {"complaint.complainant.display_name", 256,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_display_name(v); }, true, false},
      {"complaint.complainant.email", 254,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_email(v); }, false, false},
      {"complaint.complainant.phone", 32,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_phone(v); }, false, false},
      {"complaint.complainant.customer_id", 128,
       [c](auto& r, const std::string& v) { c(r)->mutable_complainant()->set_customer_id(v); }, true, false},
      {"complaint.product", 256, [c](auto& r, const std::string& v) { c(r)->set_product(v); }, true, false},
      {"complaint.category", 128, [c](auto& r, const std::string& v) { c(r)->set_category(v); }, false, false},
      {"complaint.description", 65536, [c](auto& r, const std::string& v) { c(r)->set_description(v); }, true, true},
      {"complaint.remedy_sought", 4096, [c](auto& r, const std::string& v) { c(r)->set_remedy_sought(v); }, true, true},
      {"complaint.external_reference", 256,
       [c](auto& r, const std::string& v) { c(r)->set_external_reference(v); }, true, false},
      {"complaint.labels[k]", 256,
       [c](auto& r, const std::string& v) { (*c(r)->mutable_labels())["k"] = v; }, true, false},
      {"complaint.attachments[0].content_type", 128,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_content_type(v); }, true, false},
      {"complaint.attachments[0].uri", 2048,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_uri(v); }, true, false},
      {"complaint.attachments[0].file_name", 256,
       [c](auto& r, const std::string& v) { c(r)->mutable_attachments(0)->set_file_name(v); }, true, false},
  };
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ComplaintStore::Options o;
    o.url = db_.url();
    store_ = std::move(*store::ComplaintStore::Open(o, clock_.Now()));
    engine_ = std::make_unique<core::ComplaintEngine>(store_.get(), &clock_, core::ComplaintEngine::Options{});
    Authenticator::Options auth_options;
    auth_options.default_rate_per_second = 1e9;
    auth_options.dev_allow_personal_data = true;  // stored verbatim includes the complainant
    auth_ = std::make_unique<Authenticator>(nullptr, auth_options);
    GrpcServerOptions so;
    so.listen = "127.0.0.1:0";
    so.log_sink = [this](const std::string& line) {
      std::lock_guard<std::mutex> l(mu_);
      log_ += line + "\n";
    };
    server_ = std::move(*GrpcServer::Start(so, auth_.get(), engine_.get()));
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ComplaintService::NewStub(channel_);
  }
  void TearDown() override { server_->Shutdown(absl::Seconds(1)); }

  static v1::SubmitComplaintRequest Good() {
    v1::SubmitComplaintRequest r;
    auto* c = r.mutable_complaint();
    c->mutable_complainant()->set_display_name("Ada");
    c->set_channel(v1::CHANNEL_WEB);
    c->set_description("d");
    auto* a = c->add_attachments();
    a->set_file_name("f.pdf");
    a->set_sha256(std::string(64, 'a'));
    return r;
  }

  grpc::Status Submit(const v1::SubmitComplaintRequest& r, v1::Complaint* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub_->SubmitComplaint(&ctx, r, out);
  }

  grpc::Status Raw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer req(&slice, 1), resp;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&ctx, method, grpc::StubOptions(), &req, &resp,
                      [&done](grpc::Status st) { done.set_value(st); });
    return done.get_future().get();
  }

  std::map<std::string, int64_t> Counts() { return *store_->CountRows(); }

  testing::TestDatabase db_{testing::Backend::kSqlite};
  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<core::ComplaintEngine> engine_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::mutex mu_;
  std::string log_;
};

TEST_F(HostileInputTest, EveryTextFieldAgainstEveryHostileString) {
  const std::string sql = "x'; DROP TABLE complaints; --";
  const std::string script = "<script>alert(document.cookie)</script>";
  int cases = 0;
  for (const TextField& f : Fields()) {
    struct Case {
      std::string label, value;
      bool accepted;
    };
    std::vector<Case> hostile = {
        {"oversized", std::string(f.limit + 1, 'x'), false},
        {"bell control character", "a\x07" "b", false},
        {"ANSI escape", "\x1b[31mred", false},
        {"NUL byte", std::string("a\0b", 3), false},
        {"SQL injection", sql, f.free_text},
        {"script injection", script, f.free_text && std::string(f.name).find("file_name") == std::string::npos},
    };
    for (const Case& h : hostile) {
      SCOPED_TRACE(std::string(f.name) + " <- " + h.label);
      ++cases;
      v1::SubmitComplaintRequest r = Good();
      f.set(r, h.value);
      const auto before = Counts();
      v1::Complaint out;
      grpc::Status st = Submit(r, &out);
      if (h.accepted) {
        ASSERT_TRUE(st.ok()) << st.error_message();
        // Stored verbatim: the database holds the text as data.
        v1::GetComplaintRequest get;
        get.set_name(out.name());
        v1::Complaint back;
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-redress-actor", "catalogue");
        ASSERT_TRUE(stub_->GetComplaint(&ctx, get, &back).ok());
        // Setting the field to the hostile value again changes nothing: the
        // stored complaint already holds it, byte for byte.
        v1::SubmitComplaintRequest probe;
        *probe.mutable_complaint() = back;
        f.set(probe, h.value);
        EXPECT_EQ(probe.complaint().SerializeAsString(), back.SerializeAsString());
        EXPECT_EQ(back.description(), r.complaint().description());
        auto after = Counts();
        EXPECT_EQ(after["complaints"], before.at("complaints") + 1);
        EXPECT_EQ(after["complaint_events"], before.at("complaint_events") + 1);
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
        EXPECT_EQ(st.error_message().rfind(f.name, 0), 0u) << st.error_message();
        EXPECT_EQ(ViolatedField(st), f.name) << st.error_message();
        EXPECT_EQ(Counts(), before);
      }
    }
  }
  EXPECT_EQ(cases, 78);
}

TEST_F(HostileInputTest, StructuralAbuse) {
  struct Case {
    const char* label;
    std::function<void(v1::SubmitComplaintRequest&)> mutate;
    grpc::StatusCode code;
    std::string field;  // of the field violation ("" for other codes)
  };
  const std::vector<Case> cases = {
      {"channel out of range", [](auto& r) { r.mutable_complaint()->set_channel(static_cast<v1::Channel>(99)); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.channel"},
      {"negative enum", [](auto& r) { r.mutable_complaint()->set_channel(static_cast<v1::Channel>(-1)); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.channel"},
      {"10000 labels",
       [](auto& r) {
         for (int i = 0; i < 10000; ++i) (*r.mutable_complaint()->mutable_labels())["k" + std::to_string(i)] = "v";
       },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.labels"},
      {"5000 attachments",
       [](auto& r) {
         for (int i = 0; i < 5000; ++i) *r.mutable_complaint()->add_attachments() = r.complaint().attachments(0);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.attachments"},
      {"5 MiB description (over the 4 MiB message limit)",
       [](auto& r) { r.mutable_complaint()->set_description(std::string(5 << 20, 'x')); },
       grpc::StatusCode::RESOURCE_EXHAUSTED, ""},
      {"request id not a UUID", [](auto& r) { r.set_request_id("1; DROP TABLE idempotency_records"); },
       grpc::StatusCode::INVALID_ARGUMENT, "request_id"},
      {"occurrence in year 10000",
       [](auto& r) { r.mutable_complaint()->mutable_occurrence_time()->set_seconds(253402300800LL); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.occurrence_time"},
      {"negative nanos",
       [](auto& r) { r.mutable_complaint()->mutable_occurrence_time()->set_nanos(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.occurrence_time"},
      {"label key with path", [](auto& r) { (*r.mutable_complaint()->mutable_labels())["../etc"] = "v"; },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.labels[../etc]"},
      {"attachment size negative", [](auto& r) { r.mutable_complaint()->mutable_attachments(0)->set_size_bytes(-5); },
       grpc::StatusCode::INVALID_ARGUMENT, "complaint.attachments[0].size_bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::SubmitComplaintRequest r = Good();
    c.mutate(r);
    const auto before = Counts();
    v1::Complaint out;
    const grpc::Status st = Submit(r, &out);
    EXPECT_EQ(st.error_code(), c.code) << st.error_message();
    EXPECT_EQ(ViolatedField(st), c.field) << st.error_message();
    EXPECT_EQ(Counts(), before);
  }
}

TEST_F(HostileInputTest, RawBytesOverTheChannel) {
  const std::string submit = "/redress.v1.ComplaintService/SubmitComplaint";
  std::string valid;
  ASSERT_TRUE(Good().SerializeToString(&valid));
  // A string field holding invalid UTF-8, encoded by hand (field 11 of
  // Complaint = description, inside field 1 of the request).
  std::string bad_utf8_complaint = std::string("\x5a\x03", 2) + "\xc3\x28\xff";
  std::string bad_utf8 = std::string("\x0a", 1) + static_cast<char>(bad_utf8_complaint.size()) + bad_utf8_complaint;
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"truncated in the middle", valid.substr(0, valid.size() / 2)},
      {"truncated by one byte", valid.substr(0, valid.size() - 1)},
      {"garbage", std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)},
      {"length larger than the message", std::string("\x0a\xff\xff\x03", 4)},
      {"wrong wire type for a message field", std::string("\x08\x96\x01", 3)},
      {"invalid UTF-8 in a string", bad_utf8},
  };
  for (const auto& [label, bytes] : cases) {
    SCOPED_TRACE(label);
    const auto before = Counts();
    grpc::Status st = Raw(submit, bytes);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    // Bytes that do not parse name no field; bytes that parse (a wrong wire
    // type is kept as an unknown field) fail validation with a consistent
    // field violation.
    if (st.error_details().empty()) {
      EXPECT_THAT(st.error_message(), ::testing::HasSubstr("not a valid encoding"));
    } else {
      EXPECT_NE(ViolatedField(st), "") << st.error_message();
    }
    EXPECT_EQ(Counts(), before);
  }
  // Unknown fields are ignored (forward compatibility), never stored.
  std::string with_unknown = valid + std::string("\xf8\x3e\x2a", 3);  // field 999, varint 42
  const auto before = Counts();
  EXPECT_TRUE(Raw(submit, with_unknown).ok());
  EXPECT_EQ(Counts()["complaints"], before.at("complaints") + 1);
  // Unknown method.
  EXPECT_EQ(Raw("/redress.v1.ComplaintService/DropTables", valid).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // The log shows the corrected code.
  std::lock_guard<std::mutex> l(mu_);
  EXPECT_THAT(log_, ::testing::HasSubstr(R"("code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(log_, ::testing::Not(::testing::HasSubstr(R"("code":"INTERNAL")")));
}

TEST_F(HostileInputTest, HostileNamesFiltersAndTokens) {
  const auto before = Counts();
  v1::Complaint out;
  for (const char* name : {"complaints/../../etc/passwd", "complaints/' OR 1=1 --", "", "complaints/",
                           "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/events/1"}) {
    SCOPED_TRACE(name);
    v1::AcknowledgeComplaintRequest ack;
    ack.set_name(name);
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    const grpc::Status st = stub_->AcknowledgeComplaint(&ctx, ack, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedField(st), "name") << st.error_message();
  }
  for (const char* filter : {"state = RECEIVED; DROP TABLE complaints", "1=1", "category = a OR 1=1",
                             "create_time >= \"'; DELETE FROM complaints; --\""}) {
    SCOPED_TRACE(filter);
    v1::ListComplaintsRequest list;
    list.set_filter(filter);
    v1::ListComplaintsResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", "catalogue");
    const grpc::Status st = stub_->ListComplaints(&ctx, list, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedField(st), "filter") << st.error_message();
  }
  // (Header values with control characters are refused by the client library
  // itself and never reach the server.)
  for (const std::string& actor : {std::string("a b"), std::string(200, 'a'), std::string("")}) {
    v1::SubmitComplaintRequest r = Good();
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-redress-actor", actor);
    EXPECT_EQ(stub_->SubmitComplaint(&ctx, r, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Counts(), before);
}

}  // namespace
}  // namespace redress::api
