// Random request ids (RFC 4122 version 4 UUIDs) for idempotent retries.
#ifndef REDRESS_CLIENTS_CLI_UUID_H_
#define REDRESS_CLIENTS_CLI_UUID_H_

#include <string>

namespace redress::cli {

// A new random UUID v4 in lower-case canonical form
// (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx), from OpenSSL's CSPRNG.
std::string NewUuidV4();

// Whether `s` is a canonical lower- or upper-case UUID of version 4, RFC 4122
// variant.
bool IsUuidV4(const std::string& s);

}  // namespace redress::cli

#endif  // REDRESS_CLIENTS_CLI_UUID_H_
