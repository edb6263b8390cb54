// Exact second-order node2vec steps by rejection sampling, O(V+E) memory.
//
// A walk at v that came from t moves to x with probability proportional to
// w(v,x) * alpha(t,x), alpha = 1/p if x == t, 1 if t has an arc t->x, 1/q
// otherwise (directed graphs: t's out-neighbours). Rather than node2vec's
// per-(t,v) alias tables (O(sum of squared degrees) memory), we propose x from
// v's first-order distribution (alias table per node, O(E) in total) and accept
// it with probability alpha(t,x) / M, M = max(alpha): the accepted x has
// exactly the wanted distribution, for any weights, self-loops or multi-edges.
// Coins are 32-bit integers compared against thresholds round(prob * 2^32),
// the same resolution as the alias tables.
//
// Why this is fast as well as exact:
// - p = q = 1: every alpha is 1, so we skip rejection altogether.
// - Membership "t->x exists" is a search in t's row (CSR rows are sorted
//   ascending), or one probe of t's hash set when the row is long
//   (walk_neighbour_sets.h); it is only done when the drawn coin cannot decide
//   alone: a coin below the smallest alpha of x != t accepts at once, one above
//   the largest rejects at once (so q == 1 never searches).
// - When 1/p is the largest alpha (p < 1, p < q) the return arc would force a
//   large bound M and many rejections. As in KnightKing, the return node t is
//   treated as an "outlier": its exact mass w(v,t)/p (all arcs v->t summed)
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
//   A probe of a hash set yields the same way: it is prefetched as soon as x
//   is known.
//   Rows of v and t are read from the offsets once per step and kept in the
//   walk's state.
// - A return-split step whose coin falls below its return share goes back to
//   t from the coin alone: v's arc is not fetched, and since both rows are
//   known the next step starts at once, without yielding (at p = 0.25, q = 4
//   on the bench graph a third of the steps are such returns). The draws are
//   the same as when the return was taken after the arc arrived.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <utility>

#include "rng.h"
#include "walk_first_order.h"
#include "walk_neighbour_sets.h"

namespace graphprof {

// True if the sorted row [a, a+n) holds x. Branchless halving down to a
// window of at most kScan values (the window always keeps some copy of x if
// there is one), widened to exactly kScan values of the row, then one
// fixed-width compare the compiler turns into a few vector instructions:
// fewer dependent loads than a full binary search. Rows shorter than kScan
// are scanned one by one.
constexpr uint64_t kScan = 8;

// True if one of a[0..8) is x: two 4-lane compares.
inline bool Holds8(const uint32_t* a, uint32_t x) {
  typedef uint32_t U32x4 __attribute__((vector_size(16)));
  typedef uint64_t U64x2 __attribute__((vector_size(16)));
  U32x4 lo, hi;
  __builtin_memcpy(&lo, a, sizeof lo);
  __builtin_memcpy(&hi, a + 4, sizeof hi);
  const U32x4 wanted = U32x4{} + x;
  const U64x2 hit = reinterpret_cast<U64x2>((lo == wanted) | (hi == wanted));  // all-ones lanes where equal
  return (hit[0] | hit[1]) != 0;
}

inline bool SortedContains(const uint32_t* row, uint64_t n, uint32_t x) {
  if (n < kScan) {
    bool found = false;
    for (uint64_t i = 0; i < n; ++i) found |= row[i] == x;
    return found;
  }
  const uint32_t* a = row;
  const uint32_t* last = row + n - kScan;  // the last window that stays in the row
  while (n > kScan) {
    const uint64_t half = n / 2;
    a = (a[half] <= x) ? a + half : a;
    n -= half;
  }
  return Holds8(a < last ? a : last, x);
}

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

// A 32-bit coin c is below Threshold(prob) with probability prob (to 2^-33).
inline uint64_t CoinThreshold(double prob) {
  if (!(prob > 0.0)) return 0;
  if (prob >= 1.0) return 1ULL << 32;
  return static_cast<uint64_t>(prob * 4294967296.0 + 0.5);
}

struct Node2VecParams {
  double invP;
  double invQ;
  StepMode mode;
  double bound;      // M: envelope over the candidates that go through rejection
  double lowAlpha;   // smallest alpha of x != t
  double highAlpha;  // largest alpha of x != t
  // The same decisions as coin thresholds (probability * 2^32).
  uint64_t acceptReturn;   // alpha(t) / M (rejection mode)
  uint64_t acceptLow;      // lowAlpha / M: accept x != t without a search
  uint64_t acceptHigh;     // highAlpha / M: reject x != t without a search
  bool middleNeedsNeighbour;  // between the two: accept iff x is (1/q < 1) / is not (1/q > 1) t's neighbour

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
    s.acceptReturn = CoinThreshold(s.invP / s.bound);
    s.acceptLow = CoinThreshold(s.lowAlpha / s.bound);
    s.acceptHigh = CoinThreshold(s.highAlpha / s.bound);
    s.middleNeedsNeighbour = s.invQ < 1.0;
    return s;
  }
};

// The arcs between the walk's previous and current node (in undirected graphs
// both directions hold the same ones): how many, and their total weight.
struct Link {
  uint64_t count = 0;
  double weight = 0.0;
};

// Coin thresholds of one step: a coin c < toReturn goes back to t; otherwise
// the proposal x != t is accepted at once if c < acceptLow, rejected at once if
// c >= acceptHigh, and decided by t's row in between. (A proposal x == t is
// accepted iff c < returnAlpha in rejection mode; in return-split mode it is
// rejected, since t's mass is all in [0, toReturn).)
struct StepCoins {
  uint64_t toReturn;
  uint64_t acceptLow;
  uint64_t acceptHigh;
};

// Runs walks on one thread, kInFlight at a time, round-robin.
template <StepMode kMode, typename Off>
class WalkRunner {
 public:
  static constexpr int kInFlight = 32;

  // `sets` holds the hash sets of g's long rows, or is null (rows are then
  // searched in place).
  WalkRunner(const CsrView<Off>& g, const AliasSlot* slots, const double* rowWeight, const NeighbourSets* sets,
             const Node2VecParams& params, bool symmetric, uint32_t walkLength, uint64_t seed, uint32_t* tokens,
             uint32_t* lengths)
      : g_(g), first_(g, slots), rowWeight_(rowWeight), sets_(sets), s_(params), symmetric_(symmetric),
        walkLength_(walkLength), seed_(seed), tokens_(tokens), lengths_(lengths) {
    fixed_ = StepCoins{0, s_.acceptLow, s_.acceptHigh};
    if constexpr (kMode == StepMode::kReturnSplit) {
      for (uint32_t d = 0; d < kShareTable; ++d) unweightedShare_[d] = ReturnSplitCoins(1.0, d);
    }
  }

  // takeBlock(begin, end) hands out walk indices; returns when they run out or
  // on cancel. Walk k reads its start node from tokens[k * walkLength].
  template <typename TakeBlock>
  void Run(TakeBlock&& takeBlock, const std::atomic<bool>& cancel, std::atomic<uint64_t>& walksDone) {
    if (first_.Weighted()) {
      RunAll<true>(takeBlock, cancel, walksDone);
    } else {
      RunAll<false>(takeBlock, cancel, walksDone);
    }
  }

 private:
  // kArrived: at v, its row bounds not read yet; kProposed: a proposal's arc
  // is on its way; kSearching: proposal x waits for the probe of t's hash set.
  enum class Phase : uint8_t { kArrived, kProposed, kSearching };

  struct Walk {
    Xoshiro256ss rng{0};
    uint32_t* out = nullptr;
    uint64_t index = 0;
    uint64_t vBegin = 0;  // v's row
    uint64_t tBegin = 0;  // t's row
    uint32_t vDegree = 0;
    uint32_t tDegree = 0;
    uint32_t len = 0;
    uint32_t t = 0;
    uint32_t v = 0;
    uint32_t x = 0;    // the proposal a search decides (kSearching)
    uint64_t arc = 0;  // its arc in v's row
    uint32_t coin = 0;  // the accept coin of the pending proposal
    Phase phase = Phase::kArrived;
    bool active = false;
    Link link;         // arcs t-v (undirected return split)
    StepCoins coins{};  // this step's thresholds (return split)
    typename FirstOrderSampler<Off>::Draw draw{};
  };

  template <bool kWeighted, typename TakeBlock>
  void RunAll(TakeBlock& takeBlock, const std::atomic<bool>& cancel, std::atomic<uint64_t>& walksDone) {
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
        if (!w.active || !Advance<kWeighted>(w)) continue;
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
    w.tBegin = w.vBegin;
    w.tDegree = w.vDegree;
    w.v = x;
    w.phase = Phase::kArrived;
    __builtin_prefetch(g_.offsets + x);
  }

  // Draws a proposal from v's row and prefetches its arc (first-order steps
  // and the first step of a walk: no accept coin).
  inline void Propose(Walk& w) {
    w.draw = first_.Start(w.vBegin, w.vDegree, w.rng);
    first_.Prefetch(w.draw);
    w.phase = Phase::kProposed;
  }

  // A second-order proposal: the draw and its accept coin (without alias
  // tables, the draw's spare low bits, independent of the drawn index; else a
  // fresh draw). In return-split mode a coin below toReturn decides the step
  // alone (back to t), so that happens at once, without fetching the arc;
  // false then. Otherwise the arc is prefetched and the walk yields.
  template <bool kWeighted>
  inline bool ProposeOrReturn(Walk& w) {
    w.draw = first_.Start(w.vBegin, w.vDegree, w.rng);
    w.coin = kWeighted ? static_cast<uint32_t>(w.rng.Next() >> 32) : w.draw.coin;
    if (kMode == StepMode::kReturnSplit && w.coin < w.coins.toReturn) {
      Return(w);
      return false;
    }
    first_.Prefetch(w.draw);
    w.phase = Phase::kProposed;
    return true;
  }

  // Back to t. Both rows are known, so nothing is read: the next step is
  // planned at once. The link is unchanged (undirected graphs: the arcs t-v
  // are the same both ways; directed ones search it again).
  inline void Return(Walk& w) {
    w.out[w.len++] = w.t;
    std::swap(w.t, w.v);
    std::swap(w.tBegin, w.vBegin);
    std::swap(w.tDegree, w.vDegree);
  }

  // Starts the next step from v, whose row bounds are known: true when the
  // walk is complete. Steps back to t are taken here without yielding.
  template <bool kWeighted>
  inline bool Depart(Walk& w) {
    for (;;) {
      if (w.len == walkLength_ || w.vDegree == 0) return true;
      if constexpr (kMode != StepMode::kFirstOrder) {
        if (w.len > 1) {
          PrefetchSearch(w);
          if (kMode == StepMode::kReturnSplit && !PlanStep<kWeighted>(w)) {
            Return(w);
            continue;
          }
          if (!ProposeOrReturn<kWeighted>(w)) continue;
          return false;
        }
      }
      Propose(w);
      return false;
    }
  }

  // One resumable piece of work on walk w; true when the walk is complete.
  template <bool kWeighted>
  inline bool Advance(Walk& w) {
    if (w.phase == Phase::kArrived) {
      w.vBegin = g_.Begin(w.v);
      w.vDegree = static_cast<uint32_t>(g_.End(w.v) - w.vBegin);
      return Depart<kWeighted>(w);
    }
    if constexpr (kMode == StepMode::kFirstOrder) {
      MoveTo(w, g_.targets[first_.Finish(w.draw)]);
      return false;
    } else {
      if (w.len == 1) {
        const uint64_t arc = first_.Finish(w.draw);
        if (kMode == StepMode::kReturnSplit && symmetric_) w.link = LinkAround(w, arc);
        MoveTo(w, g_.targets[arc]);
        return false;
      }
      if (w.phase == Phase::kSearching) {
        if (sets_->Contains(w.tBegin, w.tDegree, w.x) == s_.middleNeedsNeighbour) {
          Accept(w, w.x, w.arc);
          return false;
        }
        if (!ProposeOrReturn<kWeighted>(w)) return Depart<kWeighted>(w);
        if (w.vDegree > kShortRow) return false;
      }
      // Proposals until one is accepted or waits for a probe; a short row is
      // in cache after the first, so only long rows yield between proposals.
      for (;;) {
        const uint64_t arc = first_.Finish(w.draw);
        const uint32_t x = g_.targets[arc];
        Verdict verdict;
        if constexpr (kMode == StepMode::kRejection) {
          verdict = x == w.t ? (w.coin < s_.acceptReturn ? Verdict::kAccept : Verdict::kReject)
                             : JudgeOther(w, x, arc, w.coin, fixed_);
        } else {
          verdict = x == w.t ? Verdict::kReject : JudgeOther(w, x, arc, w.coin, w.coins);
        }
        if (verdict == Verdict::kAccept) {
          Accept(w, x, arc);
          return false;
        }
        if (verdict == Verdict::kPending) return false;
        if (!ProposeOrReturn<kWeighted>(w)) return Depart<kWeighted>(w);
        if (w.vDegree > kShortRow) return false;
      }
    }
  }

  // Moves to an accepted proposal x != t reached over `arc` (or to t in
  // rejection mode), carrying the new link when the return split needs it.
  inline void Accept(Walk& w, uint32_t x, uint64_t arc) {
    if (kMode == StepMode::kReturnSplit && symmetric_) w.link = LinkAround(w, arc);
    MoveTo(w, x);
  }

  static constexpr uint32_t kShortRow = 16;
  static constexpr uint32_t kLineArcs = 16;      // targets per 64-byte cache line
  static constexpr uint32_t kPrefetchLines = 8;  // t rows up to this many lines are fetched whole
  static_assert(kPrefetchLines * kLineArcs == NeighbourSets::kHashedRow, "rows not fetched whole are hashed");

  // The step's membership searches run in t's row: a short row is fetched
  // whole while v's proposal is on its way; a longer one has a hash set
  // whose probe is prefetched once x is known. (Fetching the first levels of
  // a long row's binary search instead measured slower: too many lines in
  // flight.)
  inline void PrefetchSearch(const Walk& w) const {
    const uint32_t* row = g_.targets + w.tBegin;
    const uint32_t d = w.tDegree;
    if (d <= kPrefetchLines * kLineArcs) {
      for (uint32_t i = 0; i < d; i += kLineArcs) __builtin_prefetch(row + i);
      __builtin_prefetch(row + d - 1);
    }
  }

  static constexpr uint32_t kShareTable = 256;

  // Thresholds of a return-split step: the envelope is t's exact mass
  // w(v,t)/p, taken with a coin below toReturn, plus bound * w(v,x) for every
  // arc of v (a proposal of t itself is then rejected; that keeps one coin per
  // proposal and the distribution exact).
  StepCoins ReturnSplitCoins(double returnWeight, double rowWeight) const {
    const double returnMass = returnWeight * s_.invP;
    const double share = returnMass / (returnMass + rowWeight * s_.bound);
    const double rest = 1.0 - share;
    return StepCoins{CoinThreshold(share), CoinThreshold(share + rest * (s_.lowAlpha / s_.bound)),
                     CoinThreshold(share + rest * (s_.highAlpha / s_.bound))};
  }

  // Start of a return-split step: sets the step's coins; false if the walk
  // must go back to t (every arc of v leads there).
  template <bool kWeighted>
  inline bool PlanStep(Walk& w) {
    const Link back = symmetric_ ? w.link : SearchLink(w);
    if (back.count == w.vDegree) return false;  // link unchanged by the return
    if (back.count == 0) {
      w.coins = fixed_;
    } else if (!kWeighted && back.count == 1 && w.vDegree < kShareTable) {
      w.coins = unweightedShare_[w.vDegree];
    } else {
      // Unweighted rows share one weight, which cancels out of the share.
      w.coins = kWeighted ? ReturnSplitCoins(back.weight, rowWeight_[w.v])
                          : ReturnSplitCoins(static_cast<double>(back.count), static_cast<double>(w.vDegree));
    }
    return true;
  }

  enum class Verdict : uint8_t { kAccept, kReject, kPending };

  // Accept-or-reject of a proposal x != t (over `arc`) against bound M. When
  // only t's hash set can tell, its probe is prefetched and the walk waits
  // in kSearching (kPending).
  inline Verdict JudgeOther(Walk& w, uint32_t x, uint64_t arc, uint32_t coin, const StepCoins& c) const {
    if (coin < c.acceptLow) return Verdict::kAccept;
    if (coin >= c.acceptHigh) return Verdict::kReject;
    if (sets_ != nullptr && NeighbourSets::Hashed(w.tDegree)) {
      __builtin_prefetch(sets_->Home(w.tBegin, w.tDegree, x));
      w.x = x;
      w.arc = arc;
      w.phase = Phase::kSearching;
      return Verdict::kPending;
    }
    return SortedContains(g_.targets + w.tBegin, w.tDegree, x) == s_.middleNeedsNeighbour ? Verdict::kAccept
                                                                                           : Verdict::kReject;
  }

  // The run of arcs v -> targets[arc] around position `arc` of v's row.
  inline Link LinkAround(const Walk& w, uint64_t arc) const {
    const uint64_t b = w.vBegin, e = w.vBegin + w.vDegree;
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
  inline Link SearchLink(const Walk& w) const {
    const uint32_t* pos = LowerBound(g_.targets + w.vBegin, w.vDegree, w.t);
    const uint32_t* end = g_.targets + w.vBegin + w.vDegree;
    Link link;
    for (; pos != end && *pos == w.t; ++pos, ++link.count) link.weight += g_.weights[pos - g_.targets];
    return link;
  }

  const CsrView<Off> g_;
  const FirstOrderSampler<Off> first_;
  const double* rowWeight_;
  const NeighbourSets* sets_;
  const Node2VecParams s_;
  const bool symmetric_;
  const uint32_t walkLength_;
  const uint64_t seed_;
  uint32_t* tokens_;
  uint32_t* lengths_;
  StepCoins fixed_{};  // no return split this step
  StepCoins unweightedShare_[kMode == StepMode::kReturnSplit ? kShareTable : 1];  // one arc back, by degree
};

}  // namespace graphprof
