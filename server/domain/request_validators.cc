#include "server/domain/request_validators.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace redress::domain {
namespace {

std::map<const google::protobuf::Descriptor*, RequestValidator>& Registry() {
  static auto* registry = new std::map<const google::protobuf::Descriptor*, RequestValidator>();
  return *registry;
}

}  // namespace

bool RegisterRequestValidator(const google::protobuf::Descriptor* request,
                              RequestValidator validator) {
  if (!Registry().emplace(request, validator).second) {
    std::fprintf(stderr, "redress: two validators for %s\n", std::string(request->full_name()).c_str());
    std::abort();
  }
  return true;
}

RequestValidator FindRequestValidator(const google::protobuf::Descriptor* request) {
  LinkRegisteredValidators();
  auto it = Registry().find(request);
  return it == Registry().end() ? nullptr : it->second;
}

}  // namespace redress::domain
