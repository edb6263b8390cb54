// Skip-gram with negative sampling (SGNS) over a packed walk corpus, in the
// structure of Mikolov's word2vec.c: Hogwild threads sharing two float
// matrices, a per-thread neu1e accumulator, a precomputed sigmoid table,
// unigram^0.75 negatives, frequent-token sub-sampling and random window
// shrinking. Nothing here knows about N-API, so the model code reads on its own.
#pragma once

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rng.h"

namespace graphprof {
namespace sgns {

struct Config {
  uint32_t dim = 128;
  uint32_t window = 10;
  uint32_t negative = 5;
  uint32_t epochs = 1;
  double alpha = 0.025;
  double minAlpha = 0.0001;
  double sample = 1e-3;
  uint64_t seed = 42;
  uint32_t threads = 1;
  uint32_t minCount = 0;
  // Fill `input` with word2vec.c's uniform(-0.5/dim, 0.5/dim) before training
  // (a cold start); a warm start passes false and keeps the given vectors.
  bool randomInit = true;
};

// Borrowed views of the caller's arrays; the trainer writes input/output in place.
struct Data {
  const uint32_t* tokens = nullptr;
  size_t tokenCount = 0;
  const uint32_t* lengths = nullptr;
  size_t walkCount = 0;
  uint32_t nodeCount = 0;
  float* input = nullptr;   // nodeCount x dim ("syn0")
  float* output = nullptr;  // nodeCount x dim ("syn1neg")
};

// The project's xoshiro256** (rng.h), reseeded per work chunk so that the random
// stream of a chunk does not depend on which thread runs it. Below() skips the
// rejection step of rng.h's exact version: n is at most the node count, so the
// bias is < n / 2^32 and the hot loop stays branch-free.
struct Rng {
  Xoshiro256ss gen{0};
  void Seed(uint64_t seed, uint64_t stream) { gen = Xoshiro256ss(seed ^ (stream * 0xD1B54A32D192ED03ULL)); }
  inline uint64_t Next() { return gen.Next(); }
  inline uint32_t Next32() { return static_cast<uint32_t>(Next() >> 32); }
  // Lemire's multiply-shift: an integer in [0, n) without a division.
  inline uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>((static_cast<uint64_t>(Next32()) * n) >> 32);
  }
};

// Walker alias table over the unigram^0.75 distribution: an exact draw in O(1)
// with one random memory access, where word2vec.c's 1e8-slot table would cost
// 400 MB and still round rare nodes' probabilities.
struct AliasEntry {
  uint32_t threshold;  // keep `node` when a uniform 32-bit draw is below this
  uint32_t node;
  uint32_t alias;
};

class NoiseTable {
 public:
  void Build(const std::vector<uint64_t>& counts, uint32_t minCount);
  bool Empty() const { return entries_.empty(); }
  inline uint32_t Draw(Rng& rng) const {
    const uint64_t r = rng.Next();
    const uint32_t slot = static_cast<uint32_t>(((r >> 32) * entries_.size()) >> 32);
    const AliasEntry& e = entries_[slot];
    return static_cast<uint32_t>(r) < e.threshold ? e.node : e.alias;
  }

 private:
  std::vector<AliasEntry> entries_;
};

// Sigmoid and log-sigmoid tables over [-kMaxExp, kMaxExp], as word2vec.c's
// expTable but finer (word2vec.c uses 1000 slots).
constexpr float kMaxExp = 6.0f;
constexpr int kSigmoidSlots = 4096;
struct SigmoidTable {
  float sigmoid[kSigmoidSlots + 1];
  float logSigmoid[kSigmoidSlots + 1];
  SigmoidTable();
  static constexpr float kScale = kSigmoidSlots / (2.0f * kMaxExp);
};
const SigmoidTable& Sigmoids();

// One work unit: consecutive walks totalling about kChunkTokens tokens (gensim's
// batch_words), handed out to threads through an atomic counter.
struct Chunk {
  size_t firstWalk;
  size_t endWalk;
  size_t tokenOffset;
};

// Per-thread counters the progress reporter reads while training runs.
struct alignas(64) ThreadCounters {
  std::atomic<uint64_t> words{0};         // corpus tokens consumed (before sub-sampling)
  std::atomic<uint64_t> pairs{0};         // (center, context) pairs trained
  std::atomic<double> lossSum{0.0};       // sum of per-pair SGNS losses
};

// Everything the threads share, read-only except the two matrices.
struct Shared {
  Config cfg;
  Data data;
  std::vector<uint64_t> counts;
  // Sub-sampling: a token survives when a uniform 32-bit draw is below its
  // threshold; kAlwaysKeep skips the draw, 0 drops it (below minCount).
  std::vector<uint64_t> keepThreshold;
  NoiseTable noise;
  std::vector<Chunk> chunks;
  size_t maxWalkLength = 0;
  uint64_t totalTokens = 0;
  std::atomic<uint64_t> nextJob{0};
  std::atomic<bool>* cancel = nullptr;
};
constexpr uint64_t kAlwaysKeep = uint64_t{1} << 32;

struct Stats {
  uint64_t words = 0;
  uint64_t pairs = 0;
  double lossSum = 0.0;
};

// Prepares counts, sub-sampling thresholds, the noise table and the chunk list.
// Returns an empty string, or a message naming the bad value.
std::string Prepare(Shared& shared);

// Fills the input matrix with word2vec.c's uniform(-0.5/dim, 0.5/dim), seeded.
void RandomInit(float* input, uint32_t nodeCount, uint32_t dim, uint64_t seed);

// Runs the training threads to completion (or cancellation), updating
// counters[i] for thread i. Returns false when the run was cancelled.
bool Train(Shared& shared, std::vector<ThreadCounters>& counters);

}  // namespace sgns
}  // namespace graphprof
