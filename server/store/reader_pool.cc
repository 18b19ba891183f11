#include "server/store/reader_pool.h"

#include "server/store/db_session.h"
#include "server/store/sql_errors.h"

namespace redress::store {

ReaderPool::ReaderPool(DatabaseUrl url, size_t size) : url_(std::move(url)) {
  for (size_t i = 0; i < size; ++i) free_.push_back(std::make_unique<Slot>());
}

absl::Status ReaderPool::Run(const char* context,
                             absl::FunctionRef<absl::Status(soci::session&)> fn) {
  return WithSlot(context, [&](Slot& slot) { return fn(*slot.session); });
}

absl::Status ReaderPool::RunPrepared(const char* context,
                                     absl::FunctionRef<absl::Status(ReadStatements&)> fn) {
  return WithSlot(context, [&](Slot& slot) {
    if (!slot.statements) slot.statements = std::make_unique<ReadStatements>(*slot.session);
    return fn(*slot.statements);
  });
}

absl::Status ReaderPool::WithSlot(const char* context,
                                  absl::FunctionRef<absl::Status(Slot&)> fn) {
  std::unique_ptr<Slot> slot;
  {
    std::unique_lock<std::mutex> lock(mu_);
    slot_freed_.wait(lock, [this] { return !free_.empty(); });
    slot = std::move(free_.back());
    free_.pop_back();
  }
  absl::Status result;
  if (!slot->session) {
    auto s = OpenSession(url_);
    if (s.ok()) {
      slot->session = std::move(*s);
    } else {
      result = s.status();
    }
  }
  if (slot->session) {
    try {
      result = fn(*slot);
    } catch (...) {
      SqlErrorInfo info = ClassifyCurrentException(context);
      if (info.connection_lost) {
        slot->statements.reset();  // they belong to the lost connection
        slot->session.reset();
      }
      result = info.status;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(slot));
  }
  slot_freed_.notify_one();
  return result;
}

}  // namespace redress::store
