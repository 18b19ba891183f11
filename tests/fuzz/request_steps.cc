#include "tests/fuzz/request_steps.h"

#include <algorithm>

#include "redress/v1/audit_service.pb.h"
#include "redress/v1/complaint_service.pb.h"
#include "server/domain/lifecycle.h"

namespace redress::fuzz {

namespace v1 = redress::v1;
using domain::Action;

namespace {

// The actions ordered by event type: index i is the pre-declaration
// Action enum value i, so the committed seed corpus keeps its meaning.
const std::vector<Action>& ActionsByEventType() {
  static const std::vector<Action>* actions = [] {
    auto* out = new std::vector<Action>();
    for (const domain::ActionSpec& spec : domain::ActionTable()) out->push_back(spec.action);
    std::sort(out->begin(), out->end());
    return out;
  }();
  return *actions;
}

}  // namespace

std::vector<Step> DecodeSteps(const uint8_t* data, size_t size) {
  std::vector<Step> steps;
  size_t i = 0;
  while (size - i >= 4) {
    Step s;
    s.action = ActionsByEventType()[data[i] % ActionsByEventType().size()];
    s.advance_hours = data[i + 1];
    const size_t n = data[i + 2] | (static_cast<size_t>(data[i + 3]) << 8);
    i += 4;
    if (size - i < n) break;
    s.request.assign(reinterpret_cast<const char*>(data + i), n);
    i += n;
    steps.push_back(std::move(s));
  }
  return steps;
}

std::string EncodeSteps(const std::vector<Step>& steps) {
  std::string out;
  for (const Step& s : steps) {
    const auto& actions = ActionsByEventType();
    out.push_back(static_cast<char>(
        std::find(actions.begin(), actions.end(), s.action) - actions.begin()));
    out.push_back(static_cast<char>(s.advance_hours));
    out.push_back(static_cast<char>(s.request.size() & 0xff));
    out.push_back(static_cast<char>((s.request.size() >> 8) & 0xff));
    out += s.request;
  }
  return out;
}

std::unique_ptr<google::protobuf::Message> NewRequest(Action action) {
  const domain::ActionSpec* spec = domain::FindAction(action);
  if (spec == nullptr) return nullptr;
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(spec->request)->New());
}

}  // namespace redress::fuzz
