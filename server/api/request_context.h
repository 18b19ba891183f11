// Builds the engine's RequestContext from a gRPC call: the acting principal
// comes from call metadata (x-redress-actor until authentication exists),
// never from the request body.
#ifndef REDRESS_SERVER_API_REQUEST_CONTEXT_H_
#define REDRESS_SERVER_API_REQUEST_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "server/core/complaint_engine.h"

namespace redress::api {

// Metadata key carrying the acting principal until authentication exists.
inline constexpr char kActorMetadataKey[] = "x-redress-actor";

inline core::RequestContext ContextFrom(const grpc::ServerContextBase& ctx) {
  core::RequestContext rc;
  const auto& md = ctx.client_metadata();
  auto it = md.find(kActorMetadataKey);
  if (it != md.end()) rc.actor.assign(it->second.data(), it->second.size());
  return rc;
}

}  // namespace redress::api

#endif  // REDRESS_SERVER_API_REQUEST_CONTEXT_H_
