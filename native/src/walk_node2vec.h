// Exact second-order node2vec steps by rejection sampling, O(V+E) memory.
//
// A walk at v that came from t moves to x with probability proportional to
// w(v,x) * alpha(t,x), alpha = 1/p if x == t, 1 if t has an arc t->x, 1/q
// otherwise (directed graphs: t's out-neighbours). Rather than node2vec's
// per-(t,v) alias tables (O(sum of squared degrees) memory), we propose x from
// v's first-order distribution (alias table per node, O(E) in total) and accept
// it with probability alpha(t,x) / M, M = max(alpha): the accepted x has
// exactly the wanted distribution, for any weights, self-loops or multi-edges.
//
// Why this is fast as well as exact:
// - p = q = 1: every alpha is 1, so we skip rejection altogether.
// - Membership "t->x exists" is a binary search in t's row (CSR rows are sorted
//   ascending); it is only done when the drawn coin cannot decide alone: a coin
//   below the smallest alpha of x != t accepts at once, one above the largest
//   rejects at once (so q == 1 never searches).
// - When 1/p is the largest alpha (p < 1, p < q) the return arc would force a
//   large bound M and many rejections. As in KnightKing, the return node t is
//   treated as an "outlier": its exact mass w(v,t)/p (all arcs v->t summed,
//   is taken with its exact share against the envelope of the rest, bounded
//   by max(1, 1/q); only the rest goes through rejection (a rejected proposal
//   restarts from the whole envelope). The result is still the exact
//   distribution. In undirected graphs the arcs v->t mirror the arcs t->v the
//   walk just took, so their count and weight are carried along the walk
//   (a `Link`) instead of searched for in v's row; directed graphs search.
// - Walks are memory-latency bound (each step lands on a random row), so each
//   thread keeps kInFlight walks going at once: a walk prefetches the next row
//   it needs and yields, and the others run while the cache lines arrive. A
//   walk's random draws depend only on its own seed, never on this schedule.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "rng.h"
#include "walk_first_order.h"

namespace graphprof {

// First sorted position in [first, first+len) whose value is >= x (branchless,
// so a search costs no mispredictions).
inline const uint32_t* LowerBound(const uint32_t* first, uint64_t len, uint32_t x) {
  if (len == 0) return first;
  while (len > 1) {
    const uint64_t half = len / 2;
    first = (first[half - 1] < x) ? first + half : first;
    len -= half;
  }
  return first + (*first < x);
}

enum class StepMode { kFirstOrder, kRejection, kReturnSplit };

struct Node2VecParams {
  double invP;
  double invQ;
  StepMode mode;
  double bound;      // M: envelope over the candidates that go through rejection
  double lowAlpha;   // smallest alpha of x != t
  double highAlpha;  // largest alpha of x != t

  static Node2VecParams From(double p, double q) {
    Node2VecParams s{};
    s.invP = 1.0 / p;
    s.invQ = 1.0 / q;
    s.lowAlpha = std::min(1.0, s.invQ);
    s.highAlpha = std::max(1.0, s.invQ);
    if (p == 1.0 && q == 1.0) {
      s.mode = StepMode::kFirstOrder;
      s.bound = 1.0;
    } else if (s.invP > s.highAlpha) {
      s.mode = StepMode::kReturnSplit;
      s.bound = s.highAlpha;
    } else {
      s.mode = StepMode::kRejection;
      s.bound = std::max(s.invP, s.highAlpha);
    }
    return s;
  }
};

// The arcs between the walk's previous and current node (in undirected graphs
// both directions hold the same ones): how many, and their total weight.
struct Link {
  uint64_t count = 0;
  double weight = 0.0;
};

// Runs walks on one thread, kInFlight at a time, round-robin.
template <StepMode kMode, typename Off>
class WalkRunner {
 public:
  static constexpr int kInFlight = 32;

  WalkRunner(const CsrView<Off>& g, const AliasSlot* slots, const double* rowWeight, const Node2VecParams& params,
             bool symmetric, uint32_t walkLength, uint64_t seed, uint32_t* tokens, uint32_t* lengths)
      : g_(g), first_(g, slots), rowWeight_(rowWeight), s_(params), symmetric_(symmetric),
        walkLength_(walkLength), seed_(seed), tokens_(tokens), lengths_(lengths) {}

  // takeBlock(begin, end) hands out walk indices; returns when they run out or
  // on cancel. Walk k reads its start node from tokens[k * walkLength].
  template <typename TakeBlock>
  void Run(TakeBlock&& takeBlock, const std::atomic<bool>& cancel, std::atomic<uint64_t>& walksDone) {
    Walk walks[kInFlight];
    uint64_t next = 0, end = 0, finished = 0;
    const auto nextWalk = [&](uint64_t& k) {
      if (next == end) {
        uint64_t b, e;
        if (!takeBlock(b, e)) return false;
        next = b;
        end = e;
      }
      k = next++;
      return true;
    };
    int active = 0;
    for (Walk& w : walks) {
      uint64_t k;
      w.active = nextWalk(k);
      if (w.active) {
        Begin(w, k);
        ++active;
      }
    }
    while (active > 0) {
      if (cancel.load(std::memory_order_relaxed)) break;
      for (Walk& w : walks) {
        if (!w.active || !Advance(w)) continue;
        lengths_[w.index] = w.len;
        if (++finished == 64) {
          walksDone.fetch_add(finished, std::memory_order_relaxed);
          finished = 0;
        }
        uint64_t k;
        if (nextWalk(k)) {
          Begin(w, k);
        } else {
          w.active = false;
          --active;
        }
      }
    }
    walksDone.fetch_add(finished, std::memory_order_relaxed);
  }

 private:
  enum class Phase : uint8_t { kArrived, kProposed };

  struct Walk {
    Xoshiro256ss rng{0};
    uint32_t* out = nullptr;
    uint64_t index = 0;
    uint32_t len = 0;
    uint32_t t = 0;
    uint32_t v = 0;
    Phase phase = Phase::kArrived;
    bool active = false;
    Link link;              // arcs t-v (undirected return split)
    uint64_t backCount = 0;  // arcs v->t this step (return split)
    double returnShare = 0;  // envelope share of the return to t (return split)
    typename FirstOrderSampler<Off>::Draw draw{};
  };

  void Begin(Walk& w, uint64_t k) {
    w.index = k;
    w.out = tokens_ + k * walkLength_;
    w.v = w.out[0];
    w.len = 1;
    w.rng = Xoshiro256ss(DeriveSeed(seed_, w.v, k));
    w.phase = Phase::kArrived;
    __builtin_prefetch(g_.offsets + w.v);
  }

  inline void MoveTo(Walk& w, uint32_t x) {
    w.out[w.len++] = x;
    w.t = w.v;
    w.v = x;
    w.phase = Phase::kArrived;
    __builtin_prefetch(g_.offsets + x);
  }

  inline void Propose(Walk& w, uint64_t b, uint64_t e) {
    w.draw = first_.Start(b, static_cast<uint32_t>(e - b), w.rng);
    w.phase = Phase::kProposed;
    if constexpr (kMode != StepMode::kFirstOrder) {
      // Warm the first two levels of the membership search in t's row.
      if (w.len > 1) {
        const uint64_t tb = g_.Begin(w.t), quarter = (g_.End(w.t) - tb) / 4;
        __builtin_prefetch(g_.targets + tb + 2 * quarter);
        if (quarter >= 16) {
          __builtin_prefetch(g_.targets + tb + quarter);
          __builtin_prefetch(g_.targets + tb + 3 * quarter);
        }
      }
    }
  }

  // One resumable piece of work on walk w; true when the walk is complete.
  inline bool Advance(Walk& w) {
    const uint64_t b = g_.Begin(w.v), e = g_.End(w.v);
    if (w.phase == Phase::kArrived) {
      if (w.len == walkLength_ || b == e) return true;
      if constexpr (kMode == StepMode::kReturnSplit) {
        if (w.len > 1) {
          if (ChooseReturn(w, b, e)) return false;
        }
      }
      Propose(w, b, e);
      return false;
    }
    const uint64_t arc = first_.Finish(w.draw);
    const uint32_t x = g_.targets[arc];
    if (kMode == StepMode::kFirstOrder || w.len == 1) {
      if (kMode == StepMode::kReturnSplit && symmetric_) w.link = LinkAround(w.v, arc);
      MoveTo(w, x);
      return false;
    }
    if constexpr (kMode == StepMode::kRejection) {
      const bool accept = x == w.t ? w.rng.Uniform() * s_.bound <= s_.invP : AcceptOther(w.t, x, w.rng);
      if (accept) {
        MoveTo(w, x);
      } else {
        Propose(w, b, e);
      }
    } else if constexpr (kMode == StepMode::kReturnSplit) {
      if (x == w.t) {
        Propose(w, b, e);  // sampling the non-return part: redraw the arc only
      } else if (AcceptOther(w.t, x, w.rng)) {
        if (symmetric_) w.link = LinkAround(w.v, arc);
        MoveTo(w, x);
      } else if (w.backCount == 0 || w.rng.Uniform() >= w.returnShare) {
        Propose(w, b, e);
      } else {
        MoveTo(w, w.t);
      }
    }
    return false;
  }

  // Start of a return-split step: returns true if the walk went back to t.
  inline bool ChooseReturn(Walk& w, uint64_t b, uint64_t e) {
    const uint64_t degree = e - b;
    const Link back = symmetric_ ? w.link : SearchLink(w.v, w.t);
    w.backCount = back.count;
    if (back.count == degree) {  // every arc of v goes back to t (link unchanged)
      MoveTo(w, w.t);
      return true;
    }
    if (back.count == 0) return false;
    // Envelope: exact mass w(v,t)/p for t, bound * w(v,x) for every other x.
    // Unweighted rows share one weight, which cancels out of the share.
    const bool weighted = first_.Weighted();
    const double returnMass = (weighted ? back.weight : static_cast<double>(back.count)) * s_.invP;
    const double otherWeight = weighted ? rowWeight_[w.v] - back.weight : static_cast<double>(degree - back.count);
    w.returnShare = returnMass / (returnMass + otherWeight * s_.bound);
    if (w.rng.Uniform() < w.returnShare) {
      MoveTo(w, w.t);
      return true;
    }
    return false;
  }

  inline bool IsNeighbour(uint32_t t, uint32_t x) const {
    const uint64_t b = g_.Begin(t), e = g_.End(t);
    const uint32_t* pos = LowerBound(g_.targets + b, e - b, x);
    return pos != g_.targets + e && *pos == x;
  }

  // Accept-or-reject of a proposal x != t against bound M.
  inline bool AcceptOther(uint32_t t, uint32_t x, Xoshiro256ss& rng) const {
    const double u = rng.Uniform() * s_.bound;
    if (u <= s_.lowAlpha) return true;
    if (u > s_.highAlpha) return false;
    return u <= (IsNeighbour(t, x) ? 1.0 : s_.invQ);
  }

  // The run of arcs v -> targets[arc] around position `arc` of v's row.
  inline Link LinkAround(uint32_t v, uint64_t arc) const {
    const uint64_t b = g_.Begin(v), e = g_.End(v);
    const uint32_t x = g_.targets[arc];
    uint64_t lo = arc, hi = arc + 1;
    while (lo > b && g_.targets[lo - 1] == x) --lo;
    while (hi < e && g_.targets[hi] == x) ++hi;
    Link link;
    link.count = hi - lo;
    if (first_.Weighted()) {
      for (uint64_t k = lo; k < hi; ++k) link.weight += g_.weights[k];
    }
    return link;
  }

  // Arcs v -> t found by binary search in v's row (directed graphs).
  inline Link SearchLink(uint32_t v, uint32_t t) const {
    const uint64_t b = g_.Begin(v), e = g_.End(v);
    const uint32_t* pos = LowerBound(g_.targets + b, e - b, t);
    const uint32_t* end = g_.targets + e;
    Link link;
    for (; pos != end && *pos == t; ++pos, ++link.count) link.weight += g_.weights[pos - g_.targets];
    return link;
  }

  const CsrView<Off> g_;
  const FirstOrderSampler<Off> first_;
  const double* rowWeight_;
  const Node2VecParams s_;
  const bool symmetric_;
  const uint32_t walkLength_;
  const uint64_t seed_;
  uint32_t* tokens_;
  uint32_t* lengths_;
};

}  // namespace graphprof
