// One walk job, off the JS thread: validate the CSR, build first-order alias
// tables, lay out the start nodes, run the walks on `threads` threads, pack the
// corpus. No N-API here (walk.cc owns that), so the job is plain C++.
//
// Determinism: walk k (k = round * S + i, S start nodes) starts at the i-th
// node of round `round`'s seeded shuffle of the start list and draws from its
// own generator seeded by (seed, start node, k). Threads (and the interleaving
// of walks within a thread) only decide who runs which walk when, never what a
// walk draws, so the corpus is identical for any thread count. Walk k is written at token slot k * walkLength of one buffer
// (so no per-thread buffers and no copy), then compacted in place if some
// walks ended early and the allocation shrunk to the packed size.
#pragma once
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rng.h"
#include "walk_first_order.h"
#include "walk_node2vec.h"

namespace graphprof {

struct WalkSettings {
  double p = 1.0;
  double q = 1.0;
  uint32_t walkLength = 80;
  uint32_t walksPerNode = 10;
  uint64_t seed = 42;
  uint32_t threads = 1;
  // False promises every arc u->v has a mirror v->u of the same weight (the
  // CSR's `directed` flag); the walker then reads arcs v->t off the walk.
  bool directed = true;
};

// The packed corpus; buffers come from malloc and are owned by the receiver.
struct WalkCorpusBuffers {
  uint32_t* tokens = nullptr;
  uint64_t tokenCount = 0;
  uint32_t* lengths = nullptr;
  uint64_t walkCount = 0;
};

enum class JobStatus { kDone, kCancelled, kFailed };

// Runs body(threadIndex) on `threads` threads; the calling thread waits and
// calls tick() about every 100 ms (progress reporting) until all are done.
inline void RunThreads(uint32_t threads, const std::function<void(uint32_t)>& body,
                       const std::function<void()>& tick) {
  std::mutex m;
  std::condition_variable cv;
  uint32_t finished = 0;
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (uint32_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      body(t);
      std::lock_guard<std::mutex> lock(m);
      ++finished;
      cv.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(m);
    while (finished < threads) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      tick();
      lock.lock();
    }
  }
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

template <typename Off>
class WalkJob {
 public:
  WalkJob(const CsrView<Off>& g, uint64_t targetsLength, const uint32_t* starts, uint64_t startCount,
          const WalkSettings& settings, const std::atomic<bool>& cancel)
      : g_(g), targetsLength_(targetsLength), starts_(starts), startCount_(startCount), s_(settings),
        cancel_(cancel) {}

  uint64_t WalkCount() const { return startCount_ * s_.walksPerNode; }
  uint64_t WalksDone() const { return walksDone_.load(std::memory_order_relaxed); }

  JobStatus Run(const std::function<void()>& tick, WalkCorpusBuffers& out, std::string& error) {
    if (!Prepare(tick, error)) return JobStatus::kFailed;
    const uint64_t walks = WalkCount();
    const uint64_t slots = walks * s_.walkLength;
    tokens_ = static_cast<uint32_t*>(std::malloc(std::max<uint64_t>(slots, 1) * sizeof(uint32_t)));
    lengths_ = static_cast<uint32_t*>(std::malloc(std::max<uint64_t>(walks, 1) * sizeof(uint32_t)));
    if (tokens_ == nullptr || lengths_ == nullptr) {
      error = "cannot allocate the walk corpus (" + std::to_string(slots * 4) + " bytes)";
      return JobStatus::kFailed;
    }
    PlaceStarts(tick);
    if (cancel_.load()) return JobStatus::kCancelled;
    Walk(tick);
    if (cancel_.load()) return JobStatus::kCancelled;
    out.tokenCount = Pack();
    out.walkCount = walks;
    out.tokens = tokens_;
    out.lengths = lengths_;
    tokens_ = nullptr;
    lengths_ = nullptr;
    return JobStatus::kDone;
  }

  ~WalkJob() {
    std::free(tokens_);
    std::free(lengths_);
  }

 private:
  // Validates rows, sums row weights and, for weighted graphs, builds alias tables.
  bool Prepare(const std::function<void()>& tick, std::string& error) {
    if (!CheckOffsets(g_, targetsLength_, error)) return false;
    for (uint64_t i = 0; i < startCount_; ++i) {
      if (starts_[i] >= g_.nodeCount) {
        error = "start node " + std::to_string(starts_[i]) + " is not a node index (< " +
                std::to_string(g_.nodeCount) + ")";
        return false;
      }
    }
    rowWeight_.reset(new double[std::max<uint32_t>(g_.nodeCount, 1)]);
    std::atomic<bool> allUniform{true};
    FirstError failure;
    BlockCounter rows(g_.nodeCount, 4096);
    RunThreads(
        s_.threads,
        [&](uint32_t) {
          uint64_t b, e;
          bool uniform = true;
          while (!failure.Failed() && rows.Take(b, e)) {
            std::string message;
            for (uint64_t v = b; v < e; ++v) {
              bool rowUniform;
              if (!CheckRow(g_, static_cast<uint32_t>(v), rowUniform, rowWeight_[v], message)) {
                failure.Set(message);
                return;
              }
              uniform = uniform && rowUniform;
            }
          }
          if (!uniform) allUniform.store(false);
        },
        tick);
    if (failure.Failed()) {
      error = failure.Message();
      return false;
    }
    if (!allUniform.load()) BuildAliasTables(tick);
    return true;
  }

  void BuildAliasTables(const std::function<void()>& tick) {
    aliasSlots_.reset(new AliasSlot[std::max<uint64_t>(g_.ArcCount(), 1)]);
    BlockCounter rows(g_.nodeCount, 4096);
    RunThreads(
        s_.threads,
        [&](uint32_t) {
          std::vector<double> prob;
          std::vector<uint32_t> small, large;
          uint64_t b, e;
          while (rows.Take(b, e)) {
            for (uint64_t v = b; v < e; ++v) {
              const uint32_t node = static_cast<uint32_t>(v);
              BuildAliasRow(g_, node, rowWeight_[node], aliasSlots_.get() + g_.Begin(node), prob, small, large);
            }
          }
        },
        tick);
  }

  // Round r's start order is a Fisher-Yates shuffle seeded by (seed, r); rounds
  // are independent, so threads shuffle whole rounds in parallel.
  void PlaceStarts(const std::function<void()>& tick) {
    BlockCounter rounds(s_.walksPerNode, 1);
    RunThreads(
        s_.threads,
        [&](uint32_t) {
          std::vector<uint32_t> order(startCount_);
          uint64_t r, rEnd;
          while (!cancel_.load(std::memory_order_relaxed) && rounds.Take(r, rEnd)) {
            std::memcpy(order.data(), starts_, startCount_ * sizeof(uint32_t));
            Xoshiro256ss rng(DeriveSeed(s_.seed, 0x73687566666c65ULL, r));
            for (uint64_t i = startCount_; i > 1; --i) {
              const uint64_t j = rng.Below(static_cast<uint32_t>(i));
              std::swap(order[i - 1], order[j]);
            }
            uint32_t* slot = tokens_ + r * startCount_ * s_.walkLength;
            for (uint64_t i = 0; i < startCount_; ++i) slot[i * s_.walkLength] = order[i];
          }
        },
        tick);
  }

  void Walk(const std::function<void()>& tick) {
    const Node2VecParams params = Node2VecParams::From(s_.p, s_.q);
    switch (params.mode) {
      case StepMode::kFirstOrder:
        WalkAll<StepMode::kFirstOrder>(params, tick);
        break;
      case StepMode::kRejection:
        WalkAll<StepMode::kRejection>(params, tick);
        break;
      case StepMode::kReturnSplit:
        WalkAll<StepMode::kReturnSplit>(params, tick);
        break;
    }
  }

  template <StepMode kMode>
  void WalkAll(const Node2VecParams& params, const std::function<void()>& tick) {
    BlockCounter walks(WalkCount(), 256);
    RunThreads(
        s_.threads,
        [&](uint32_t) {
          WalkRunner<kMode, Off> runner(g_, aliasSlots_.get(), rowWeight_.get(), params, !s_.directed,
                                        s_.walkLength, s_.seed, tokens_, lengths_);
          runner.Run([&](uint64_t& b, uint64_t& e) { return walks.Take(b, e); }, cancel_, walksDone_);
        },
        tick);
  }

  // Moves walks that ended early down so walks are back to back; returns the
  // token count and gives the unused tail back to the allocator.
  uint64_t Pack() {
    const uint64_t walks = WalkCount();
    const uint64_t length = s_.walkLength;
    uint64_t used = 0;
    for (uint64_t k = 0; k < walks; ++k) {
      if (used != k * length) std::memmove(tokens_ + used, tokens_ + k * length, lengths_[k] * sizeof(uint32_t));
      used += lengths_[k];
    }
    if (used < walks * length && used > 0) {
      void* shrunk = std::realloc(tokens_, used * sizeof(uint32_t));
      if (shrunk != nullptr) tokens_ = static_cast<uint32_t*>(shrunk);
    }
    return used;
  }

  const CsrView<Off> g_;
  const uint64_t targetsLength_;
  const uint32_t* starts_;
  const uint64_t startCount_;
  const WalkSettings s_;
  const std::atomic<bool>& cancel_;
  std::atomic<uint64_t> walksDone_{0};
  std::unique_ptr<double[]> rowWeight_;
  std::unique_ptr<AliasSlot[]> aliasSlots_;
  uint32_t* tokens_ = nullptr;
  uint32_t* lengths_ = nullptr;
};

}  // namespace graphprof
