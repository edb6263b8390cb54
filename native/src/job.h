// What every native job shares, in plain C++ (no N-API): the outcome of a run,
// the progress counters the one progress loop (job_worker.h) polls, a thread
// pool that runs one body per thread, a block counter that hands out work, and
// the first error any thread met.
//
// Cancellation has one meaning for every job: the caller's cancel() sets an
// atomic flag; work polls it between blocks and returns kCancelled; the
// promise then rejects with a cancellation (see job_worker.h).
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace graphprof {

enum class JobStatus { kDone, kCancelled, kFailed };

// A snapshot of a job's counters. `phase` is a static string; done/total are
// in the phase's own units (walks, corpus tokens). Skip-gram jobs also count
// the (center, context) pairs trained and their summed loss, so the progress
// loop can report the mean loss since its previous report.
struct JobProgress {
  const char* phase = "";
  uint64_t done = 0;
  uint64_t total = 0;
  uint64_t pairs = 0;
  double lossSum = 0.0;
};

// Runs body(threadIndex) on `threads` threads and waits for all of them; one
// thread runs on the caller's own.
inline void RunThreads(uint32_t threads, const std::function<void(uint32_t)>& body) {
  if (threads <= 1) {
    body(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (std::thread& th : pool) th.join();
}

// Hands out [begin, end) blocks of `total` items to threads.
class BlockCounter {
 public:
  BlockCounter(uint64_t total, uint64_t block) : total_(total), block_(block) {}
  bool Take(uint64_t& begin, uint64_t& end) {
    begin = next_.fetch_add(block_, std::memory_order_relaxed);
    if (begin >= total_) return false;
    end = std::min(total_, begin + block_);
    return true;
  }

 private:
  std::atomic<uint64_t> next_{0};
  const uint64_t total_;
  const uint64_t block_;
};

// Keeps the first error reported by any thread.
class FirstError {
 public:
  void Set(const std::string& message) {
    std::lock_guard<std::mutex> lock(m_);
    if (!failed_.load()) message_ = message;
    failed_.store(true);
  }
  bool Failed() const { return failed_.load(std::memory_order_relaxed); }
  const std::string& Message() const { return message_; }

 private:
  std::mutex m_;
  std::atomic<bool> failed_{false};
  std::string message_;
};

}  // namespace graphprof
