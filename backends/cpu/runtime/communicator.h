//===- communicator.h - N participants of one launch, meeting at barriers -===//
//
// Internal to the runtime library (the C ABI is hlox_runtime.h). One
// Communicator per execute_sharded call; each participant is a thread bound to
// it (thread-local Binding). A collective is meet() (publish this
// participant's Slot, wait for all, check they reached the same op), the
// work, then leave() (wait until all are done with each other's buffers).
// Any failure breaks the communicator for good: every wait returns false.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_RUNTIME_COMMUNICATOR_H
#define HLOX_RUNTIME_COMMUNICATOR_H

#include <condition_variable>
#include <csetjmp>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace hlox_rt {

struct Slot {
  int64_t opId = -1;
  const char *what = "";  // the collective's name, for messages
  const void *send = nullptr;
  void *recv = nullptr;
};

// Gathers `bytes` from each of `local` partitions of every process into
// recv (process order): the cross-process step (an MPI allgather). 0 = ok.
typedef int32_t (*Transport)(void *context, const void *send, int64_t bytes, void *recv);

class Communicator {
public:
  Communicator(int size, double timeoutSeconds);
  // World mode: this process's `size` partitions are first..first+size-1 of
  // `globalSize`, the others are in other processes, reached by `transport`.
  Communicator(int size, int globalSize, int first, Transport transport, void *context,
               double timeoutSeconds);

  int size() const { return size_; }          // partitions in this process
  int globalSize() const { return global_; }  // partitions in all processes
  int first() const { return first_; }        // this process's first partition
  bool world() const { return transport_ != nullptr; }
  // Publishes `mine` and waits for every participant; false if broken.
  bool meet(int me, const Slot &mine);
  // Waits until every participant is done with the others' buffers.
  bool leave(int me);
  const Slot &slot(int participant) const { return slots_[participant]; }
  // World mode, after meet(): every partition's `bytes` of send data from all
  // processes (checking they reached the same op); then worldSend(p).
  bool gatherWorld(int me, int64_t bytes);
  const void *worldSend(int partition) const {
    return world_.data() + partition * (worldBytes_ + 8) + 8;
  }

  void finish(int me);
  void abort(int me, const std::string &why);
  std::string error();

private:
  bool barrier(int me, std::unique_lock<std::mutex> &lock, const std::string &where,
               bool timed = true);
  void breakLocked(const std::string &why);
  std::string pendingLocked() const;

  const int size_;
  const int global_;
  const int first_;
  const Transport transport_ = nullptr;
  void *const context_ = nullptr;
  const double timeout_;
  std::vector<char> packed_, world_;
  int64_t worldBytes_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;
  std::vector<std::string> waitingAt_;  // "" when not at a barrier
  std::vector<bool> finished_;
  int arrived_ = 0;
  uint64_t generation_ = 0;
  bool broken_ = false;
  std::string error_;
};

// What the running thread is: a participant of a communicator (or alone).
struct Binding {
  Communicator *comm = nullptr;
  int partition = 0;  // global partition id (comm's participant partition - first)
  std::jmp_buf *escape = nullptr;  // set inside hlox_rt_run
};
Binding &binding();

// A collective failed on this thread: inside hlox_rt_run, jump back out of the
// generated code (called from frames that hold no C++ objects); else return 1.
int32_t failed();

} // namespace hlox_rt

#endif // HLOX_RUNTIME_COMMUNICATOR_H
