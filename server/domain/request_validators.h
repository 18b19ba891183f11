// The registry behind ValidateFor() (lifecycle.h): request message type ->
// its validation function. validation.cc registers one line per mutating
// request (REDRESS_REGISTER_VALIDATOR), next to the functions, so that a new
// action's validation is written in one place (docs/how-to-add-action.md).
//
// Thread-safety: registration happens during static initialisation; lookups
// afterwards are read-only and safe from any thread.
#ifndef REDRESS_SERVER_DOMAIN_REQUEST_VALIDATORS_H_
#define REDRESS_SERVER_DOMAIN_REQUEST_VALIDATORS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace redress::domain {

// Validates a request of the registered type (the caller checked the type).
using RequestValidator = absl::Status (*)(const google::protobuf::Message& request,
                                          absl::Time now);

// Registers `validator` for requests of type `request`; returns true. A second
// registration of the same type aborts (a build defect).
bool RegisterRequestValidator(const google::protobuf::Descriptor* request,
                              RequestValidator validator);

// The validator of `request`'s type, or null.
RequestValidator FindRequestValidator(const google::protobuf::Descriptor* request);

// Defined in validation.cc, which holds the registrations; called by
// FindRequestValidator() so that every binary that validates links them.
void LinkRegisteredValidators();

}  // namespace redress::domain

// Registers `Validate(const Request&)` (REDRESS_REGISTER_VALIDATOR) or
// `Validate(const Request&, absl::Time now)` (REDRESS_REGISTER_VALIDATOR_AT)
// as the validator of Request. Use at namespace scope in redress::domain,
// after the Validate overload is declared.
#define REDRESS_VALIDATOR_CAT2(a, b) a##b
#define REDRESS_VALIDATOR_CAT(a, b) REDRESS_VALIDATOR_CAT2(a, b)
#define REDRESS_REGISTER_VALIDATOR_IMPL(Request, ...)                                   \
  [[maybe_unused]] const bool REDRESS_VALIDATOR_CAT(kValidatorRegistered_, __LINE__) = \
      ::redress::domain::RegisterRequestValidator(                                     \
          Request::descriptor(),                                                       \
          [](const ::google::protobuf::Message& m, ::absl::Time now) -> ::absl::Status { \
            (void)now;                                                                 \
            return Validate(static_cast<const Request&>(m) __VA_ARGS__);               \
          });
#define REDRESS_REGISTER_VALIDATOR(Request) REDRESS_REGISTER_VALIDATOR_IMPL(Request)
#define REDRESS_REGISTER_VALIDATOR_AT(Request) REDRESS_REGISTER_VALIDATOR_IMPL(Request, , now)

#endif  // REDRESS_SERVER_DOMAIN_REQUEST_VALIDATORS_H_
