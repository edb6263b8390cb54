// Node2vec walks as plain C++ (no N-API; walk_binding.cc and
// node2vec_binding.cc own that): a WalkPlan validates the CSR, copies its
// offsets and targets onto huge pages (walk_memory.h), builds first-order alias
// tables, lays out the start node of every walk and runs any range of walks;
// WalkCorpusJob materialises the whole corpus.
//
// Determinism: walk k (k = round * S + i, S start nodes) starts at the i-th
// node of round `round`'s seeded shuffle of the start list and draws from its
// own generator seeded by (seed, start node, k) (walk_node2vec.h). Threads (and
// the interleaving of walks within a thread) only decide who runs which walk
// when, never what a walk draws, so a walk is a function of (graph, settings,
// k): the corpus is identical for any thread count, and any range of walks can
// be produced on its own, in any order, as often as needed (the streamed
// skip-gram re-walks a chunk instead of storing it).
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "job.h"
#include "rng.h"
#include "walk_first_order.h"
#include "walk_memory.h"
#include "walk_neighbour_sets.h"
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

// Seed domain of the start-order shuffles, apart from the walks' own streams.
constexpr uint64_t kShuffleStream = 0x73687566666c65ULL;

template <typename Off>
class WalkPlan {
 public:
  WalkPlan(const CsrView<Off>& g, uint64_t targetsLength, const uint32_t* starts, uint64_t startCount,
           const WalkSettings& settings, const std::atomic<bool>& cancel)
      : input_(g), g_(g), targetsLength_(targetsLength), starts_(starts), startCount_(startCount), s_(settings),
        params_(Node2VecParams::From(settings.p, settings.q)), cancel_(cancel) {}

  uint64_t WalkCount() const { return startCount_ * s_.walksPerNode; }
  uint64_t WalksDone() const { return walksDone_.load(std::memory_order_relaxed); }
  uint32_t WalkLength() const { return s_.walkLength; }
  const WalkSettings& Settings() const { return s_; }
  bool Cancelled() const { return cancel_.load(std::memory_order_relaxed); }

  // Validates rows, sums row weights, copies offsets and targets onto huge
  // pages (the walks read those copies) and, for weighted graphs, builds alias
  // tables.
  bool Prepare(std::string& error) {
    if (!CheckOffsets(input_, targetsLength_, error)) return false;
    for (uint64_t i = 0; i < startCount_; ++i) {
      if (starts_[i] >= input_.nodeCount) {
        error = "start node " + std::to_string(starts_[i]) + " is not a node index (< " +
                std::to_string(input_.nodeCount) + ")";
        return false;
      }
    }
    rowWeight_.reset(new double[std::max<uint32_t>(input_.nodeCount, 1)]);
    offsets_ = AllocateHugeArray<Off>(static_cast<uint64_t>(input_.nodeCount) + 1);
    targets_ = AllocateHugeArray<uint32_t>(input_.ArcCount());
    if (offsets_ == nullptr || targets_ == nullptr) {
      error = "cannot allocate the walker's copy of the graph (" +
              std::to_string((input_.nodeCount + 1ULL) * sizeof(Off) + input_.ArcCount() * 4) + " bytes)";
      return false;
    }
    offsets_[input_.nodeCount] = input_.offsets[input_.nodeCount];
    std::atomic<bool> allUniform{true};
    FirstError failure;
    BlockCounter rows(input_.nodeCount, 4096);
    RunThreads(s_.threads, [&](uint32_t) {
      uint64_t b, e;
      bool uniform = true;
      std::string message;
      while (!failure.Failed() && rows.Take(b, e)) {
        for (uint64_t v = b; v < e; ++v) {
          bool rowUniform;
          if (!CheckRow(input_, static_cast<uint32_t>(v), rowUniform, rowWeight_[v], message)) {
            failure.Set(message);
            return;
          }
          uniform = uniform && rowUniform;
        }
        const uint64_t first = input_.Begin(static_cast<uint32_t>(b));
        std::memcpy(offsets_.get() + b, input_.offsets + b, (e - b) * sizeof(Off));
        std::memcpy(targets_.get() + first, input_.targets + first,
                    (input_.Begin(static_cast<uint32_t>(e)) - first) * sizeof(uint32_t));
      }
      if (!uniform) allUniform.store(false);
    });
    if (failure.Failed()) {
      error = failure.Message();
      return false;
    }
    g_.offsets = offsets_.get();
    g_.targets = targets_.get();
    if (!allUniform.load() && !BuildAliasTables(error)) return false;
    if (NeedsMembership()) {
      sets_ = std::make_unique<NeighbourSets>();
      if (!sets_->Build(g_, s_.threads)) {
        error = "cannot allocate the neighbour hash sets (" + std::to_string(g_.ArcCount() * 8) + " bytes)";
        return false;
      }
    }
    return true;
  }

  // Round r's start order is a Fisher-Yates shuffle seeded by (seed, r); walk
  // k's start node is written at slots[k * stride]. Rounds are independent, so
  // threads shuffle whole rounds in parallel.
  void PlaceStarts(uint32_t* slots, uint64_t stride) {
    BlockCounter rounds(s_.walksPerNode, 1);
    RunThreads(s_.threads, [&](uint32_t) {
      std::vector<uint32_t> order(startCount_);
      uint64_t r, rEnd;
      while (!Cancelled() && rounds.Take(r, rEnd)) {
        std::memcpy(order.data(), starts_, startCount_ * sizeof(uint32_t));
        Xoshiro256ss rng(DeriveSeed(s_.seed, kShuffleStream, r));
        for (uint64_t i = startCount_; i > 1; --i) {
          const uint64_t j = rng.Below(static_cast<uint32_t>(i));
          std::swap(order[i - 1], order[j]);
        }
        uint32_t* slot = slots + r * startCount_ * stride;
        for (uint64_t i = 0; i < startCount_; ++i) slot[i * stride] = order[i];
      }
    });
  }

  // Every walk on `threads` threads. Walk k reads its start node at
  // tokens[k * walkLength] and writes its nodes from there, its length at lengths[k].
  void WalkAll(uint32_t* tokens, uint32_t* lengths) {
    BlockCounter walks(WalkCount(), 256);
    RunThreads(s_.threads, [&](uint32_t) {
      RunWalks([&](uint64_t& b, uint64_t& e) { return walks.Take(b, e); }, tokens, lengths);
    });
  }

  // Walks [first, end) on the calling thread. out[(k - first) * walkLength]
  // holds walk k's start node (see StartOf); walk k is written from there and
  // its length at lengths[k - first].
  void WalkRange(uint64_t first, uint64_t end, uint32_t* out, uint32_t* lengths) {
    bool given = false;
    // The runner addresses walk k at base + k * walkLength; shifting the bases
    // by `first` walks makes walk `first` land at out[0]. Only the slots of
    // [first, end) are ever touched.
    uint32_t* tokenBase = Shift(out, first * s_.walkLength);
    uint32_t* lengthBase = Shift(lengths, first);
    RunWalks(
        [&](uint64_t& b, uint64_t& e) {
          if (given) return false;
          given = true;
          b = first;
          e = end;
          return true;
        },
        tokenBase, lengthBase);
  }

 private:
  static uint32_t* Shift(uint32_t* p, uint64_t elements) {
    return reinterpret_cast<uint32_t*>(reinterpret_cast<uintptr_t>(p) - elements * sizeof(uint32_t));
  }

  template <typename TakeBlock>
  void RunWalks(TakeBlock&& take, uint32_t* tokens, uint32_t* lengths) {
    switch (params_.mode) {
      case StepMode::kFirstOrder:
        Runner<StepMode::kFirstOrder>(tokens, lengths).Run(take, cancel_, walksDone_);
        break;
      case StepMode::kRejection:
        Runner<StepMode::kRejection>(tokens, lengths).Run(take, cancel_, walksDone_);
        break;
      case StepMode::kReturnSplit:
        Runner<StepMode::kReturnSplit>(tokens, lengths).Run(take, cancel_, walksDone_);
        break;
    }
  }

  template <StepMode kMode>
  WalkRunner<kMode, Off> Runner(uint32_t* tokens, uint32_t* lengths) const {
    return WalkRunner<kMode, Off>(g_, aliasSlots_.get(), rowWeight_.get(), sets_.get(), params_, !s_.directed,
                                  s_.walkLength, s_.seed, tokens, lengths);
  }

  // Whether steps ever ask "does t have an arc to x": only second-order walks
  // with q != 1 (t's neighbours and the rest then differ in alpha).
  bool NeedsMembership() const { return params_.mode != StepMode::kFirstOrder && params_.lowAlpha < params_.highAlpha; }

  bool BuildAliasTables(std::string& error) {
    aliasSlots_ = AllocateHugeArray<AliasSlot>(g_.ArcCount());
    if (aliasSlots_ == nullptr) {
      error = "cannot allocate the alias tables (" + std::to_string(g_.ArcCount() * sizeof(AliasSlot)) + " bytes)";
      return false;
    }
    BlockCounter rows(g_.nodeCount, 4096);
    RunThreads(s_.threads, [&](uint32_t) {
      std::vector<double> prob;
      std::vector<uint32_t> small, large;
      uint64_t b, e;
      while (rows.Take(b, e)) {
        for (uint64_t v = b; v < e; ++v) {
          const uint32_t node = static_cast<uint32_t>(v);
          BuildAliasRow(g_, node, rowWeight_[node], aliasSlots_.get() + g_.Begin(node), prob, small, large);
        }
      }
    });
    return true;
  }

  const CsrView<Off> input_;  // the caller's arrays
  CsrView<Off> g_;            // what the walks read: the copies below once prepared, the caller's weights
  HugeArray<Off> offsets_;
  HugeArray<uint32_t> targets_;
  const uint64_t targetsLength_;
  const uint32_t* starts_;
  const uint64_t startCount_;
  const WalkSettings s_;
  const Node2VecParams params_;
  const std::atomic<bool>& cancel_;
  std::atomic<uint64_t> walksDone_{0};
  std::unique_ptr<double[]> rowWeight_;
  HugeArray<AliasSlot> aliasSlots_;
  std::unique_ptr<NeighbourSets> sets_;  // hash sets of long rows, when steps test membership
};

// The whole corpus in memory: walk k written at token slot k * walkLength of
// one buffer (no per-thread buffers, no copy), then compacted in place if some
// walks ended early and the allocation shrunk to the packed size.
template <typename Off>
class WalkCorpusJob {
 public:
  WalkCorpusJob(const CsrView<Off>& g, uint64_t targetsLength, const uint32_t* starts, uint64_t startCount,
                const WalkSettings& settings, const std::atomic<bool>& cancel)
      : plan_(g, targetsLength, starts, startCount, settings, cancel) {}

  ~WalkCorpusJob() {
    std::free(tokens_);
    std::free(lengths_);
  }

  uint64_t WalkCount() const { return plan_.WalkCount(); }
  uint64_t WalksDone() const { return plan_.WalksDone(); }

  JobStatus Run(WalkCorpusBuffers& out, std::string& error) {
    if (!plan_.Prepare(error)) return JobStatus::kFailed;
    const uint64_t walks = WalkCount();
    const uint64_t slots = walks * plan_.WalkLength();
    // Plain pages for the corpus: it is written in order, so TLB misses are
    // rare, and on this project's VMs faulting fresh huge pages measured no
    // cheaper in kernel time than 4 KiB ones.
    tokens_ = static_cast<uint32_t*>(std::malloc(std::max<uint64_t>(slots, 1) * sizeof(uint32_t)));
    lengths_ = static_cast<uint32_t*>(std::malloc(std::max<uint64_t>(walks, 1) * sizeof(uint32_t)));
    if (tokens_ == nullptr || lengths_ == nullptr) {
      error = "cannot allocate the walk corpus (" + std::to_string(slots * 4) + " bytes)";
      return JobStatus::kFailed;
    }
    plan_.PlaceStarts(tokens_, plan_.WalkLength());
    if (plan_.Cancelled()) return JobStatus::kCancelled;
    plan_.WalkAll(tokens_, lengths_);
    if (plan_.Cancelled()) return JobStatus::kCancelled;
    out.tokenCount = Pack();
    out.walkCount = walks;
    out.tokens = tokens_;
    out.lengths = lengths_;
    tokens_ = nullptr;
    lengths_ = nullptr;
    return JobStatus::kDone;
  }

 private:
  // Moves walks that ended early down so walks are back to back; returns the
  // token count and gives the unused tail back to the allocator.
  //
  // One walk ending early shifts every later walk, so this moves nearly the
  // whole corpus (on the 1M-edge bench graph 170 length-1 walks of isolated
  // nodes moved 320 MB serially, ~10% of the p = q = 1 walk time); it runs on
  // the walk threads. Thread r moves its range of walks [a, b) in place, in
  // order: walk k goes to dest(k) <= k * length, past the previous walk.
  // Those moves stay inside the range's own slots except for the range's
  // first walks, whose destinations reach back into range r - 1's slots
  // (below a * length) that range r - 1 may still be reading; those few walks
  // (at most the tokens missing before a, plus one walk) are copied aside
  // first and written after all threads are done. When walks ending early
  // are so many that the copies would pass 1/16 of the corpus, the move
  // stays serial.
  uint64_t Pack() {
    const uint64_t walks = WalkCount();
    const uint64_t length = plan_.WalkLength();
    uint64_t first = 0;  // walks before the first short one stay where they are
    while (first < walks && lengths_[first] == length) ++first;
    if (first == walks) return walks * length;
    const uint32_t threads = std::max<uint32_t>(1, std::min<uint64_t>(plan_.Settings().threads, (walks - first) / 1024));
    // ranges[r] = first walk of range r; dest[r] = where it goes.
    std::vector<uint64_t> ranges(threads + 1), dest(threads + 1);
    uint64_t used = first * length;
    for (uint32_t r = 0; r < threads; ++r) {
      ranges[r] = first + (walks - first) * r / threads;
      ranges[r + 1] = first + (walks - first) * (r + 1) / threads;
      dest[r] = used;
      for (uint64_t k = ranges[r]; k < ranges[r + 1]; ++k) used += lengths_[k];
    }
    dest[threads] = used;
    // Tokens copied aside by range r: at most its deficit plus one walk.
    const uint64_t aside = ranges[threads - 1] * length - dest[threads - 1] + length;
    if (threads == 1 || aside > std::max<uint64_t>(walks * length / 16, 1 << 16)) {
      MoveRange(first, walks, dest[0], nullptr, 0);
    } else {
      std::vector<std::vector<uint32_t>> saved(threads);
      RunThreads(threads, [&](uint32_t r) {
        MoveRange(ranges[r], ranges[r + 1], dest[r], &saved[r], r == 0 ? 0 : ranges[r] * length);
      });
      for (uint32_t r = 0; r < threads; ++r) {
        if (!saved[r].empty()) std::memcpy(tokens_ + dest[r], saved[r].data(), saved[r].size() * sizeof(uint32_t));
      }
    }
    if (used < walks * length && used > 0) {
      void* shrunk = std::realloc(tokens_, used * sizeof(uint32_t));
      if (shrunk != nullptr) tokens_ = static_cast<uint32_t*>(shrunk);
    }
    return used;
  }

  // Moves walks [a, b) to start at token `to`, in order. The leading walks
  // whose destination starts below `floor` are appended to `aside` instead
  // (their destination is written later).
  void MoveRange(uint64_t a, uint64_t b, uint64_t to, std::vector<uint32_t>* aside, uint64_t floor) {
    const uint64_t length = plan_.WalkLength();
    uint64_t k = a;
    for (; k < b && to < floor; ++k) {
      aside->insert(aside->end(), tokens_ + k * length, tokens_ + k * length + lengths_[k]);
      to += lengths_[k];
    }
    for (; k < b; ++k) {
      if (to != k * length) std::memmove(tokens_ + to, tokens_ + k * length, lengths_[k] * sizeof(uint32_t));
      to += lengths_[k];
    }
  }

  WalkPlan<Off> plan_;
  uint32_t* tokens_ = nullptr;
  uint32_t* lengths_ = nullptr;
};

}  // namespace graphprof
