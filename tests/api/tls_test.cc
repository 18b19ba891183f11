// TLS and mutual TLS: certificates are made with the openssl tool for the
// test; a client certificate's subject authenticates as a principal.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "redress/v1/audit_service.grpc.pb.h"
#include "redress/v1/complaint_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/api/grpc_server.h"
#include "tests/testing/test_db.h"

namespace redress::api {
namespace {

namespace v1 = redress::v1;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    // A CA, a server certificate for 127.0.0.1, and two client certificates.
    const std::string script = R"(set -e
cd ")" + dir_ + R"("
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Test CA" -keyout ca.key -out ca.pem 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
for who in alice mallory; do
  openssl req -newkey rsa:2048 -nodes -subj "/O=Example Bank/CN=$who" -keyout $who.key -out $who.csr 2>/dev/null
  openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out $who.pem 2>/dev/null
done
)";
    ASSERT_EQ(std::system(("bash -c '" + Escape(script) + "'").c_str()), 0) << "openssl failed";

    store::ComplaintStore::Options o;
    o.url = db_.url();
    store_ = std::move(*store::ComplaintStore::Open(o, clock_.Now()));
    engine_ = std::make_unique<core::ComplaintEngine>(store_.get(), &clock_, core::ComplaintEngine::Options{});
    auto policy = domain::AccessPolicy::Parse(
        "principals { name: \"alice\" roles: ROLE_SUPERVISOR client_cert_subjects: "
        "\"CN=alice,O=Example Bank\" }");
    ASSERT_TRUE(policy.ok()) << policy.status();
    auth_ = std::make_unique<Authenticator>(std::move(*policy), Authenticator::Options{});
    GrpcServerOptions so;
    so.listen = "127.0.0.1:0";
    so.log_sink = [](const std::string&) {};
    so.tls_cert_pem = Read(dir_ + "/server.pem");
    so.tls_key_pem = Read(dir_ + "/server.key");
    so.client_ca_pem = Read(dir_ + "/ca.pem");
    auto s = GrpcServer::Start(so, auth_.get(), engine_.get());
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(absl::Seconds(1));
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  static std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '\'') out += "'\\''";
      else out += c;
    }
    return out;
  }

  std::unique_ptr<v1::ComplaintService::Stub> Stub(const std::string& client) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Read(dir_ + "/ca.pem");
    if (!client.empty()) {
      ssl.pem_private_key = Read(dir_ + "/" + client + ".key");
      ssl.pem_cert_chain = Read(dir_ + "/" + client + ".pem");
    }
    return v1::ComplaintService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::SslCredentials(ssl)));
  }

  grpc::Status Submit(v1::ComplaintService::Stub* stub, v1::Complaint* out) {
    v1::SubmitComplaintRequest r;
    r.mutable_complaint()->mutable_complainant()->set_display_name("X");
    r.mutable_complaint()->set_channel(v1::CHANNEL_WEB);
    r.mutable_complaint()->set_description("d");
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return stub->SubmitComplaint(&ctx, r, out);
  }

  std::string dir_;
  testing::TestDatabase db_{testing::Backend::kSqlite};
  domain::FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<store::ComplaintStore> store_;
  std::unique_ptr<core::ComplaintEngine> engine_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<GrpcServer> server_;
};

TEST_F(TlsTest, ClientCertificateSubjectAuthenticatesAsItsPrincipal) {
  auto stub = Stub("alice");
  v1::Complaint c;
  grpc::Status st = Submit(stub.get(), &c);
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  v1::ListComplaintEventsRequest r;
  r.set_parent(c.name());
  v1::ListComplaintEventsResponse events;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->ListComplaintEvents(&ctx, r, &events).ok());
  EXPECT_EQ(events.events(0).actor(), "alice");
}

TEST_F(TlsTest, UnknownSubjectIsUnauthenticated) {
  auto stub = Stub("mallory");  // valid certificate, not a principal
  v1::Complaint c;
  EXPECT_EQ(Submit(stub.get(), &c).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, NoClientCertificateOrPlaintextIsRefused) {
  v1::Complaint c;
  auto anonymous = Stub("");
  EXPECT_EQ(Submit(anonymous.get(), &c).error_code(), grpc::StatusCode::UNAVAILABLE);
  auto plaintext = v1::ComplaintService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(Submit(plaintext.get(), &c).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ((*store_->CountRows())["complaints"], 0);
}

}  // namespace
}  // namespace redress::api
