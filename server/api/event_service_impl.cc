#include "server/api/event_service_impl.h"

#include "server/api/status_mapping.h"

namespace redress::api {

grpc::Status EventServiceImpl::WatchComplaintEvents(
    grpc::ServerContext* ctx, const redress::v1::WatchComplaintEventsRequest* req,
    grpc::ServerWriter<redress::v1::WatchComplaintEventsResponse>* writer) {
  auto rc = auth_->Check(*ctx, "redress.v1.EventService", "WatchComplaintEvents");
  if (!rc.ok()) return ToGrpcStatus(rc.status());
  absl::Status st = feed_->Watch(
      *req, [&](const auto& item) { return !ctx->IsCancelled() && writer->Write(item); },
      [&] { return ctx->IsCancelled() || stopping_.load(); });
  if (stopping_.load() && st.code() == absl::StatusCode::kCancelled) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the server is shutting down: reconnect (to another replica) and resume");
  }
  return ToGrpcStatus(st);
}

}  // namespace redress::api
