// Input format of the lifecycle fuzz target (lifecycle_fuzz.cc) and of its
// seed generator (make_request_seeds.cc): a sequence of steps, each
//
//   byte 0     action: the (byte % number of actions)-th action in event-type
//              order (ActionTable() sorted by event type)
//   byte 1     hours the clock advances before the step
//   bytes 2-3  n, little endian
//   n bytes    the RPC's request message, protobuf wire format
//
// A truncated last step is dropped.
#ifndef REDRESS_TESTS_FUZZ_REQUEST_STEPS_H_
#define REDRESS_TESTS_FUZZ_REQUEST_STEPS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "server/domain/action.h"

namespace redress::fuzz {

struct Step {
  domain::Action action;
  int advance_hours = 0;
  std::string request;  // serialized request message
};

std::vector<Step> DecodeSteps(const uint8_t* data, size_t size);
std::string EncodeSteps(const std::vector<Step>& steps);

// An empty request message of the type `action`'s RPC takes.
std::unique_ptr<google::protobuf::Message> NewRequest(domain::Action action);

}  // namespace redress::fuzz

#endif  // REDRESS_TESTS_FUZZ_REQUEST_STEPS_H_
