//===- communicator.cpp - barriers, failure and the launcher's C ABI ------===//
#include "communicator.h"

#include "hlox_runtime.h"

#include <chrono>
#include <cstring>

namespace hlox_rt {

Communicator::Communicator(int size, double timeoutSeconds)
    : size_(size), global_(size), first_(0), timeout_(timeoutSeconds), slots_(size),
      waitingAt_(size), finished_(size, false) {}

Communicator::Communicator(int size, int globalSize, int first, Transport transport,
                           void *context, double timeoutSeconds)
    : size_(size), global_(globalSize), first_(first), transport_(transport), context_(context),
      timeout_(timeoutSeconds), slots_(size), waitingAt_(size), finished_(size, false) {}

bool Communicator::gatherWorld(int me, int64_t bytes) {
  if (me == 0) {  // the leader exchanges for its process; the others wait below
    int64_t stride = bytes + 8;
    packed_.assign(size_ * stride, 0);
    world_.assign(global_ * stride, 0);
    worldBytes_ = bytes;
    for (int p = 0; p < size_; ++p) {
      std::memcpy(packed_.data() + p * stride, &slots_[p].opId, 8);
      std::memcpy(packed_.data() + p * stride + 8, slots_[p].send, bytes);
    }
    std::string where = std::string(slots_[0].what) + " #" + std::to_string(slots_[0].opId);
    if (transport_(context_, packed_.data(), size_ * stride, world_.data()) != 0) {
      abort(me, "the exchange between processes failed at " + where);
    } else {
      for (int p = 0; p < global_; ++p) {
        int64_t opId;
        std::memcpy(&opId, world_.data() + p * stride, 8);
        if (opId != slots_[0].opId) {
          abort(me, "the partitions reached different collectives: partition " +
                        std::to_string(first_) + " " + where + ", partition " +
                        std::to_string(p) + " #" + std::to_string(opId));
          break;
        }
      }
    }
  }
  // Untimed: the leader always comes back (the transport has its own timeout).
  std::unique_lock<std::mutex> lock(mutex_);
  return barrier(me, lock, "the exchange between processes", /*timed=*/false);
}

std::string Communicator::pendingLocked() const {
  std::string out;
  for (int p = 0; p < size_; ++p)
    if (waitingAt_[p].empty() && !finished_[p])
      out += (out.empty() ? "" : ", ") + std::to_string(first_ + p);
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
                           const std::string &where, bool timed) {
  if (broken_)
    return false;
  for (int p = 0; p < size_; ++p)
    if (finished_[p]) {
      breakLocked("partition " + std::to_string(first_ + p) + " returned without reaching " +
                  where + " (which partition " + std::to_string(first_ + me) + " reached)");
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
  if (timed && timeout_ > 0) {
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
                  std::to_string(first_ + me) + " " + where + ", partition " +
                  std::to_string(first_ + p) + " " +
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
        breakLocked("partition " + std::to_string(first_ + me) + " returned while partition " +
                    std::to_string(first_ + p) + " waits at " + waitingAt_[p]);
        return;
      }
}

void Communicator::abort(int me, const std::string &why) {
  std::lock_guard<std::mutex> lock(mutex_);
  breakLocked("partition " + std::to_string(first_ + me) + " failed: " + why);
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
  if (!c || partition < c->first() || partition >= c->first() + c->size())
    return 1;
  binding() = Binding{c, partition, nullptr};
  int32_t status = runEscapable(entry, args);
  if (status == 0)
    c->finish(partition - c->first());
  binding() = Binding{};
  return status;
}

void hlox_rt_finish(hlox_rt_comm *comm, int32_t partition) {
  auto *c = reinterpret_cast<Communicator *>(comm);
  c->finish(partition - c->first());
}

void hlox_rt_abort(hlox_rt_comm *comm, int32_t partition, const char *why) {
  auto *c = reinterpret_cast<Communicator *>(comm);
  c->abort(partition - c->first(), why ? why : "(no reason given)");
}

hlox_rt_comm *hlox_rt_comm_create_world(int32_t local_size, int32_t global_size,
                                        int32_t first_partition, hlox_rt_transport transport,
                                        void *context, double timeout_seconds) {
  if (local_size < 1 || global_size < local_size || first_partition < 0 ||
      first_partition + local_size > global_size || !transport)
    return nullptr;
  return reinterpret_cast<hlox_rt_comm *>(new Communicator(
      local_size, global_size, first_partition, transport, context, timeout_seconds));
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
