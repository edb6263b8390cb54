// Hash sets of the targets of long CSR rows, for node2vec's "does t have an
// arc to x" test (walk_node2vec.h).
//
// A sorted row of d arcs answers by binary search: about log2(d) dependent
// loads, most of them cache misses once d spans many cache lines, and hubs
// (where walks spend much of their time in power-law graphs) have the longest
// rows. Measured on the 1M-edge bench graph at p = 0.25, q = 4: a third of the
// walker's time sat in those searches. Here a row longer than kHashedRow gets
// an open-addressing table (linear probing, load <= 1/2) that answers with one
// cache line almost always, and whose line is known as soon as x is, so the
// walker prefetches it and runs other walks until it arrives.
//
// Layout: the table of row v has 2 * d(v) slots and starts at slot
// 2 * offsets[v] of one pool, so a walk finds it from the row bounds it holds
// anyway (no per-node index to load). A slot holds target + 1 (0 = empty;
// targets are < nodeCount <= 2^32 - 1). Slots of short rows are never
// written, so the pool's resident memory is about 8 bytes per arc of the long
// rows (at most 8 bytes per arc, twice the targets array).
//
// Measured on that graph (2 threads, alternating A/B in one run, a busy
// machine, steps per CPU-second): without the sets the walker is 25% slower;
// hashing rows over 128 arcs rather than over 64 is 2-5% faster (the walker
// fetches rows up to 128 arcs whole instead, walk_node2vec.h) and touches
// 3.0 instead of 4.5 MB of pool; over 16 or 32 arcs is 5-15% slower.
#pragma once
#include <cstdint>
#include <cstring>

#include "job.h"
#include "walk_first_order.h"
#include "walk_memory.h"

namespace graphprof {

class NeighbourSets {
 public:
  // Rows up to this many arcs are searched in place (the walker prefetches
  // them whole, walk_node2vec.h); longer ones are hashed.
  static constexpr uint32_t kHashedRow = 128;

  static inline bool Hashed(uint32_t degree) { return degree > kHashedRow && degree < (1u << 31); }

  // Builds the tables of every long row of g on `threads` threads; false if
  // the pool cannot be allocated.
  template <typename Off>
  bool Build(const CsrView<Off>& g, uint32_t threads) {
    pool_ = AllocateHugeArray<uint32_t>(2 * g.ArcCount());
    if (pool_ == nullptr) return false;
    BlockCounter rows(g.nodeCount, 4096);
    RunThreads(threads, [&](uint32_t) {
      uint64_t b, e;
      while (rows.Take(b, e)) {
        for (uint64_t v = b; v < e; ++v) {
          const uint64_t begin = g.Begin(static_cast<uint32_t>(v));
          const uint32_t degree = static_cast<uint32_t>(g.End(static_cast<uint32_t>(v)) - begin);
          if (Hashed(degree)) Fill(g.targets + begin, begin, degree);
        }
      }
    });
    return true;
  }

  // The slot where the probe for x in row [begin, begin + degree) starts (a
  // hashed row); prefetch it, then call Contains.
  inline const uint32_t* Home(uint64_t begin, uint32_t degree, uint32_t x) const {
    return pool_.get() + 2 * begin + Slot(x, 2ULL * degree);
  }

  // True if the hashed row [begin, begin + degree) holds x.
  inline bool Contains(uint64_t begin, uint32_t degree, uint32_t x) const {
    const uint32_t* table = pool_.get() + 2 * begin;
    const uint64_t size = 2ULL * degree;
    const uint32_t wanted = x + 1;
    for (uint64_t i = Slot(x, size);;) {
      const uint32_t held = table[i];
      if (held == wanted) return true;
      if (held == 0) return false;
      if (++i == size) i = 0;
    }
  }

 private:
  // murmur3's 32-bit finaliser (node ids are often sequential), then
  // multiply-shift onto [0, size): size < 2^32 since degree < 2^31.
  static inline uint64_t Slot(uint32_t x, uint64_t size) {
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return (static_cast<uint64_t>(x) * size) >> 32;
  }

  // Row targets[0, degree) (sorted, so repeats are adjacent) into its table.
  void Fill(const uint32_t* targets, uint64_t begin, uint32_t degree) {
    uint32_t* table = pool_.get() + 2 * begin;
    const uint64_t size = 2ULL * degree;
    std::memset(table, 0, size * sizeof(uint32_t));
    for (uint32_t k = 0; k < degree; ++k) {
      if (k > 0 && targets[k] == targets[k - 1]) continue;
      uint64_t i = Slot(targets[k], size);
      while (table[i] != 0) {
        if (++i == size) i = 0;
      }
      table[i] = targets[k] + 1;
    }
  }

  HugeArray<uint32_t> pool_;
};

}  // namespace graphprof
