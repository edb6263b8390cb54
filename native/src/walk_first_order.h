// First-order neighbour sampling for the node2vec walker: a read-only view of
// the caller's CSR arrays, their validation, and Vose alias tables (one slot per
// arc, O(E) in total) so a weighted neighbour of v is drawn in O(1). When every
// row's arcs share one weight (unweighted graphs) no table is built at all and a
// neighbour is a uniform pick, which saves 8 bytes per arc and a memory load
// per draw.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "rng.h"

namespace graphprof {

// The caller's CSR arrays (not owned). Off is uint32_t or uint64_t, matching the
// Uint32Array / BigUint64Array offsets that src/graph/csr.ts allows.
template <typename Off>
struct CsrView {
  const Off* offsets = nullptr;  // nodeCount + 1
  const uint32_t* targets = nullptr;
  const float* weights = nullptr;
  uint32_t nodeCount = 0;

  inline uint64_t Begin(uint32_t v) const { return static_cast<uint64_t>(offsets[v]); }
  inline uint64_t End(uint32_t v) const { return static_cast<uint64_t>(offsets[v + 1]); }
  inline uint64_t ArcCount() const { return static_cast<uint64_t>(offsets[nodeCount]); }
};

// Offsets must be non-decreasing from 0; checked once, serially, before rows
// are handed to threads (rows are then independent).
template <typename Off>
bool CheckOffsets(const CsrView<Off>& g, uint64_t targetsLength, std::string& error) {
  if (g.offsets[0] != 0) {
    error = "offsets[0] is " + std::to_string(static_cast<uint64_t>(g.offsets[0])) + ", expected 0";
    return false;
  }
  for (uint32_t v = 0; v < g.nodeCount; ++v) {
    if (g.offsets[v + 1] < g.offsets[v]) {
      error = "offsets decrease at node " + std::to_string(v);
      return false;
    }
    if (g.End(v) - g.Begin(v) > 0xffffffffULL) {
      error = "node " + std::to_string(v) + " has more than 2^32-1 arcs";
      return false;
    }
  }
  if (g.ArcCount() != targetsLength) {
    error = "offsets[nodeCount] is " + std::to_string(g.ArcCount()) + " but targets has " +
            std::to_string(targetsLength) + " entries";
    return false;
  }
  return true;
}

// Row checks (targets in range and sorted, weights finite and > 0); also
// reports whether the row's weights are all equal and its weight sum.
template <typename Off>
bool CheckRow(const CsrView<Off>& g, uint32_t v, bool& uniform, double& weightSum, std::string& error) {
  const uint64_t b = g.Begin(v), e = g.End(v);
  uniform = true;
  weightSum = 0.0;
  for (uint64_t k = b; k < e; ++k) {
    const uint32_t x = g.targets[k];
    const float w = g.weights[k];
    if (x >= g.nodeCount) {
      error = "targets[" + std::to_string(k) + "] is " + std::to_string(x) + ", not a node index (< " +
              std::to_string(g.nodeCount) + ")";
      return false;
    }
    if (k > b && g.targets[k - 1] > x) {
      error = "row of node " + std::to_string(v) + " is not sorted ascending at arc " + std::to_string(k);
      return false;
    }
    if (!(w > 0.0f) || !std::isfinite(w)) {
      error = "weights[" + std::to_string(k) + "] is " + std::to_string(w) + ", expected a finite weight > 0";
      return false;
    }
    if (w != g.weights[b]) uniform = false;
    weightSum += w;
  }
  return true;
}

// One alias slot per arc: keep the drawn column when coin < threshold
// (threshold = probability * 2^32), else jump to `alias` (a row-local index).
struct AliasSlot {
  uint32_t threshold;
  uint32_t alias;
};

// Vose's alias method on one row, in double precision. `scratch` is reused
// across rows by one thread.
template <typename Off>
void BuildAliasRow(const CsrView<Off>& g, uint32_t v, double weightSum, AliasSlot* slots,
                   std::vector<double>& prob, std::vector<uint32_t>& small, std::vector<uint32_t>& large) {
  const uint64_t b = g.Begin(v);
  const uint32_t d = static_cast<uint32_t>(g.End(v) - b);
  if (d == 0) return;
  prob.resize(d);
  small.clear();
  large.clear();
  for (uint32_t i = 0; i < d; ++i) {
    prob[i] = static_cast<double>(g.weights[b + i]) * d / weightSum;
    (prob[i] < 1.0 ? small : large).push_back(i);
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    const double scaled = prob[s] * 4294967296.0;
    slots[s].threshold = scaled >= 4294967295.0 ? 0xffffffffu : static_cast<uint32_t>(scaled);
    slots[s].alias = l;
    prob[l] = (prob[l] + prob[s]) - 1.0;
    if (prob[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers have probability 1 up to rounding: they always keep their column.
  for (uint32_t i : large) slots[i] = AliasSlot{0xffffffffu, i};
  for (uint32_t i : small) slots[i] = AliasSlot{0xffffffffu, i};
}

// Draws an arc position of v's row with probability w(v,x) / sum_x w(v,x).
template <typename Off>
class FirstOrderSampler {
 public:
  FirstOrderSampler(const CsrView<Off>& g, const AliasSlot* slots) : g_(g), slots_(slots) {}

  // Position (arc index) of the drawn arc. Precondition: v has at least one arc.
  inline uint64_t SampleArc(uint32_t v, Xoshiro256ss& rng) const {
    const uint64_t b = g_.Begin(v);
    const uint32_t d = static_cast<uint32_t>(g_.End(v) - b);
    const uint64_t r = rng.Next();
    uint32_t i = rng.Below(d, r);
    if (slots_ != nullptr) {
      const AliasSlot s = slots_[b + i];
      if (static_cast<uint32_t>(r) >= s.threshold) i = s.alias;
    }
    return b + i;
  }

  inline bool Weighted() const { return slots_ != nullptr; }

  // SampleArc split in two so a caller can prefetch in between and work on
  // other walks while the row's cache lines arrive.
  struct Draw {
    uint64_t base;
    uint32_t index;
    uint32_t coin;
  };

  inline Draw Start(uint64_t b, uint32_t degree, Xoshiro256ss& rng) const {
    const uint64_t r = rng.Next();
    return Draw{b, rng.Below(degree, r), static_cast<uint32_t>(r)};
  }

  // Fetches what Finish(d) reads.
  inline void Prefetch(const Draw& d) const {
    __builtin_prefetch(g_.targets + d.base + d.index);
    if (slots_ != nullptr) __builtin_prefetch(slots_ + d.base + d.index);
  }

  inline uint64_t Finish(const Draw& d) const {
    uint32_t i = d.index;
    if (slots_ != nullptr) {
      const AliasSlot s = slots_[d.base + i];
      if (d.coin >= s.threshold) i = s.alias;
    }
    return d.base + i;
  }

 private:
  CsrView<Off> g_;
  const AliasSlot* slots_;  // null when every row is uniform
};

}  // namespace graphprof
