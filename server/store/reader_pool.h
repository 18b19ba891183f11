// A fixed pool of read-only sessions. On SQLite (WAL) readers never wait for
// the writer; on PostgreSQL each replica keeps its own small pool.
//
// Thread-safe. Run() blocks while every session is busy. A session that lost
// its connection is reopened on its next use.
#ifndef REDRESS_SERVER_STORE_READER_POOL_H_
#define REDRESS_SERVER_STORE_READER_POOL_H_

#include <soci/soci.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/store/database_url.h"
#include "server/store/read_statements.h"

namespace redress::store {

class ReaderPool {
 public:
  ReaderPool(DatabaseUrl url, size_t size);

  // Runs `fn` with a session. Database exceptions thrown by `fn` are caught
  // and classified (UNAVAILABLE, INTERNAL, ...); `context` names the read in
  // error messages.
  absl::Status Run(const char* context, absl::FunctionRef<absl::Status(soci::session&)> fn);

  // As Run, with the session's prepared hot statements (ReadStatements).
  absl::Status RunPrepared(const char* context,
                           absl::FunctionRef<absl::Status(ReadStatements&)> fn);

 private:
  struct Slot {
    std::unique_ptr<soci::session> session;  // null until first use / after loss
    std::unique_ptr<ReadStatements> statements;  // of `session`; declared after it
  };
  absl::Status WithSlot(const char* context, absl::FunctionRef<absl::Status(Slot&)> fn);

  const DatabaseUrl url_;
  std::mutex mu_;
  std::condition_variable slot_freed_;  // notified when free_ gains a slot
  std::vector<std::unique_ptr<Slot>> free_;  // guarded by mu_
};

}  // namespace redress::store

#endif  // REDRESS_SERVER_STORE_READER_POOL_H_
