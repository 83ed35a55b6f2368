//===- communicator.cpp - barriers, failure and the launcher's C ABI ------===//
#include "communicator.h"

#include "hlox_runtime.h"

#include <chrono>
#include <cstring>

namespace hlox_rt {

Communicator::Communicator(int size, double timeoutSeconds)
    : size_(size), timeout_(timeoutSeconds), slots_(size), waitingAt_(size),
      finished_(size, false) {}

std::string Communicator::pendingLocked() const {
  std::string out;
  for (int p = 0; p < size_; ++p)
    if (waitingAt_[p].empty() && !finished_[p])
      out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out;
}

void Communicator::breakLocked(const std::string &why) {
  if (!broken_) {
    broken_ = true;
    error_ = why;
  }
  changed_.notify_all();
}

bool Communicator::barrier(int me, std::unique_lock<std::mutex> &lock,
                           const std::string &where) {
  if (broken_)
    return false;
  for (int p = 0; p < size_; ++p)
    if (finished_[p]) {
      breakLocked("partition " + std::to_string(p) + " returned without reaching " + where +
                  " (which partition " + std::to_string(me) + " reached)");
      return false;
    }
  waitingAt_[me] = where;
  uint64_t generation = generation_;
  if (++arrived_ == size_) {
    arrived_ = 0;
    ++generation_;
    for (auto &w : waitingAt_)
      w.clear();
    changed_.notify_all();
    return true;
  }
  auto done = [&] { return generation_ != generation || broken_; };
  if (timeout_ > 0) {
    auto limit = std::chrono::duration<double>(timeout_);
    if (!changed_.wait_for(lock, limit, done)) {
      breakLocked("timed out after " + std::to_string(timeout_) + " s at " + where +
                  ": partition(s) " + pendingLocked() + " never arrived");
      return false;
    }
  } else {
    changed_.wait(lock, done);
  }
  return generation_ != generation;
}

bool Communicator::meet(int me, const Slot &mine) {
  std::unique_lock<std::mutex> lock(mutex_);
  slots_[me] = mine;
  std::string where = std::string(mine.what) + " #" + std::to_string(mine.opId);
  if (!barrier(me, lock, where))
    return false;
  for (int p = 0; p < size_; ++p)
    if (slots_[p].opId != mine.opId) {
      breakLocked("the partitions reached different collectives: partition " +
                  std::to_string(me) + " " + where + ", partition " + std::to_string(p) + " " +
                  slots_[p].what + " #" + std::to_string(slots_[p].opId));
      return false;
    }
  return true;
}

bool Communicator::leave(int me) {
  std::unique_lock<std::mutex> lock(mutex_);
  return barrier(me, lock, std::string("the end of ") + slots_[me].what + " #" +
                               std::to_string(slots_[me].opId));
}

void Communicator::finish(int me) {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_[me] = true;
  if (arrived_ > 0)
    for (int p = 0; p < size_; ++p)
      if (!waitingAt_[p].empty()) {
        breakLocked("partition " + std::to_string(me) + " returned while partition " +
                    std::to_string(p) + " waits at " + waitingAt_[p]);
        return;
      }
}

void Communicator::abort(int me, const std::string &why) {
  std::lock_guard<std::mutex> lock(mutex_);
  breakLocked("partition " + std::to_string(me) + " failed: " + why);
}

std::string Communicator::error() {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

Binding &binding() {
  thread_local Binding current;
  return current;
}

int32_t failed() {
  if (std::jmp_buf *escape = binding().escape)
    std::longjmp(*escape, 1);
  return 1;
}

} // namespace hlox_rt

using namespace hlox_rt;

extern "C" {

hlox_rt_comm *hlox_rt_comm_create(int32_t size, double timeout_seconds) {
  if (size < 1)
    return nullptr;
  return reinterpret_cast<hlox_rt_comm *>(new Communicator(size, timeout_seconds));
}

void hlox_rt_comm_destroy(hlox_rt_comm *comm) {
  delete reinterpret_cast<Communicator *>(comm);
}

void hlox_rt_bind(hlox_rt_comm *comm, int32_t partition) {
  binding() = Binding{reinterpret_cast<Communicator *>(comm), partition, nullptr};
}

// Kept apart from hlox_rt_run so that no C++ object lives in the frame that
// setjmp returns to twice.
static int32_t runEscapable(void (*entry)(void *), void *args) {
  std::jmp_buf escape;
  if (setjmp(escape) != 0) {
    binding().escape = nullptr;
    return 1;
  }
  binding().escape = &escape;
  entry(args);
  binding().escape = nullptr;
  return 0;
}

int32_t hlox_rt_run(hlox_rt_comm *comm, int32_t partition, void (*entry)(void *), void *args) {
  auto *c = reinterpret_cast<Communicator *>(comm);
  if (!c || partition < 0 || partition >= c->size())
    return 1;
  binding() = Binding{c, partition, nullptr};
  int32_t status = runEscapable(entry, args);
  if (status == 0)
    c->finish(partition);
  binding() = Binding{};
  return status;
}

void hlox_rt_finish(hlox_rt_comm *comm, int32_t partition) {
  reinterpret_cast<Communicator *>(comm)->finish(partition);
}

void hlox_rt_abort(hlox_rt_comm *comm, int32_t partition, const char *why) {
  reinterpret_cast<Communicator *>(comm)->abort(partition, why ? why : "(no reason given)");
}

size_t hlox_rt_comm_error(hlox_rt_comm *comm, char *buf, size_t size) {
  std::string error = reinterpret_cast<Communicator *>(comm)->error();
  if (buf && size) {
    size_t n = error.size() < size - 1 ? error.size() : size - 1;
    std::memcpy(buf, error.data(), n);
    buf[n] = '\0';
  }
  return error.size();
}

int32_t hlox_rt_partition_id(void) { return binding().partition; }

} // extern "C"
