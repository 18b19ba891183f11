// Thin gRPC adapter for redress.v1.EventService over core::EventFeed. Sync
// API: one blocking writer per stream, with gRPC flow control.
#ifndef REDRESS_SERVER_API_EVENT_SERVICE_IMPL_H_
#define REDRESS_SERVER_API_EVENT_SERVICE_IMPL_H_

#include <atomic>

#include "redress/v1/event_service.grpc.pb.h"
#include "server/api/authenticator.h"
#include "server/core/event_feed.h"

namespace redress::api {

class EventServiceImpl final : public redress::v1::EventService::Service {
 public:
  // Not owned; both must outlive the service.
  EventServiceImpl(core::EventFeed* feed, Authenticator* auth) : feed_(feed), auth_(auth) {}

  grpc::Status WatchComplaintEvents(
      grpc::ServerContext* ctx, const redress::v1::WatchComplaintEventsRequest* req,
      grpc::ServerWriter<redress::v1::WatchComplaintEventsResponse>* writer) override;

  // Ends every open stream (server shutdown). Thread-safe.
  void StopAll() { stopping_ = true; }

 private:
  core::EventFeed* const feed_;
  Authenticator* const auth_;
  std::atomic<bool> stopping_{false};
};

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_EVENT_SERVICE_IMPL_H_
