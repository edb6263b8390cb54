// Skip-gram with negative sampling (SGNS) over walks, plain C++ (no N-API;
// sgns_binding.cc and node2vec_binding.cc own that).
//
// The objective is word2vec's (Mikolov et al.): each kept token's output
// ("syn1neg") row is predicted from the input ("syn0") rows of the tokens in a
// randomly shrunk window around it, against `negative` noise tokens drawn from
// unigram^0.75; frequent tokens are sub-sampled as word2vec.c does; the
// learning rate decays linearly over the whole schedule; threads share the two
// matrices Hogwild-style. What differs is how the work is laid out, for speed
// on large vocabularies:
//   - HogBatch-style minibatches (Ji et al., "Parallelizing Word2Vec in
//     Shared and Distributed Memory", 2016): a center's `negative` noise draws
//     are drawn once and SHARED by its whole window, and its contexts are
//     trained two at a time as one minibatch: a 2 x (1 + negative) block of
//     dot products in register tiles, then one fused pass that updates the
//     two context rows and the target rows from pre-step values. A window
//     touches 1 + negative output rows instead of (1 + negative) per pair, and
//     they stay in L1 while it trains. Why two and not the whole window (Ji et
//     al.'s choice): on Cora, whole-window batches lost 0.011 link-prediction
//     AUC against word2vec's per-pair steps, batches of two lose ~0.002 (and
//     shared noise none), while running within a few percent as fast.
//   - Frequency relabelling: rows are permuted in place so that row r holds
//     the r-th most frequent node; hot rows share pages (and the TLB), and the
//     per-node tables are read in the same order. Rows go back to node order
//     when training ends.
//   - Prefetching: a walk's windows and noise are drawn before it trains (the
//     noise lookups are independent, so their misses overlap), then the rows a
//     center kPrefetchAhead ahead will need (its output row, its noise rows,
//     the context entering its window) are requested while the current one
//     trains: the first line of each of those rows in one burst (over a 1 GB
//     matrix every row is a TLB miss, and the misses overlap only when
//     requested together), the rest in slices between the minibatches (a
//     burst of ~56 lines fills the L1 miss buffers and the prefetches
//     themselves stall). On the 10M-edge graph's corpus this took skip-gram
//     from ~290k to ~330-390k words per CPU-second (Cora: unchanged).
//
// Work is split into chunks of consecutive walks (about kChunkTokens tokens,
// gensim's batch_words); a chunk's random stream, learning rates and tokens do
// not depend on which thread trains it, so one thread is bit-reproducible and
// a materialised corpus and a streamed one (walks re-generated chunk by chunk,
// node2vec_job.h) train identically.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "job.h"
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

// Walks per chunk are chosen so a chunk holds about this many tokens.
constexpr uint64_t kChunkTokens = 10000;

// A work unit: walks [firstWalk, endWalk), whose first token is token
// `tokenOffset` of the corpus (its place in the learning-rate schedule).
struct Chunk {
  uint64_t firstWalk;
  uint64_t endWalk;
  uint64_t tokenOffset;
};

// Cuts walks into chunks: a chunk ends with the walk that brings it to
// kChunkTokens tokens. The one chunking rule of both corpus kinds.
std::vector<Chunk> BuildChunks(const uint32_t* lengths, uint64_t walkCount);

// What the trainer needs to know of its corpus before it starts.
struct CorpusStats {
  std::vector<uint64_t> counts;  // occurrences per node
  uint64_t totalTokens = 0;
  uint32_t maxWalkLength = 0;
  std::vector<Chunk> chunks;
};

// A chunk's walks, as the trainer reads them.
struct ChunkView {
  const uint32_t* tokens = nullptr;
  const uint32_t* lengths = nullptr;
  uint64_t walkCount = 0;
};

// Thread-owned storage a corpus source may fill (streamed walks).
struct ChunkScratch {
  std::vector<uint32_t> tokens;
  std::vector<uint32_t> lengths;
};

// Where training threads get a chunk's walks from. Called concurrently by
// every training thread, each with its own scratch.
class CorpusSource {
 public:
  virtual ~CorpusSource() = default;
  virtual ChunkView Load(const Chunk& chunk, ChunkScratch& scratch) = 0;
};

// A packed corpus in memory: tokens back to back, one length per walk.
class PackedCorpus final : public CorpusSource {
 public:
  PackedCorpus(const uint32_t* tokens, uint64_t tokenCount, const uint32_t* lengths, uint64_t walkCount)
      : tokens_(tokens), tokenCount_(tokenCount), lengths_(lengths), walkCount_(walkCount) {}
  // Checks lengths against tokens and tokens against nodeCount; counts.
  // Returns an empty string or a message naming the bad value.
  std::string Stats(uint32_t nodeCount, CorpusStats& out) const;
  ChunkView Load(const Chunk& chunk, ChunkScratch&) override {
    return {tokens_ + chunk.tokenOffset, lengths_ + chunk.firstWalk, chunk.endWalk - chunk.firstWalk};
  }

 private:
  const uint32_t* tokens_;
  const uint64_t tokenCount_;
  const uint32_t* lengths_;
  const uint64_t walkCount_;
};

// A fixed-size array of trivially copyable T on transparent huge pages
// (2 MB-aligned, madvise(MADV_HUGEPAGE) before first touch): the per-node
// tables below are read at random rows once per token, and over a million
// nodes 4 KB pages would add a TLB miss to every cache miss. Advisory: where
// the kernel gives no huge pages it is a plain array.
template <typename T>
class HugeArray {
 public:
  HugeArray() = default;
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  ~HugeArray() { std::free(data_); }
  // n copies of `value`; the previous contents are dropped.
  void Assign(size_t n, const T& value);
  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

// Asks for transparent huge pages on the 2 MB-aligned part of [data, data + bytes).
void AdviseHugePages(void* data, size_t bytes);

template <typename T>
void HugeArray<T>::Assign(size_t n, const T& value) {
  static_assert(std::is_trivially_copyable<T>::value, "HugeArray holds plain data");
  std::free(data_);
  data_ = nullptr;
  size_ = n;
  if (n == 0) return;
  constexpr size_t kHuge = size_t{2} << 20;
  const size_t bytes = (n * sizeof(T) + kHuge - 1) / kHuge * kHuge;
  data_ = static_cast<T*>(std::aligned_alloc(kHuge, bytes));
  if (data_ == nullptr) throw std::bad_alloc();
  AdviseHugePages(data_, bytes);
  std::fill_n(data_, n, value);
}

// Walker alias table over the unigram^0.75 distribution of the vocabulary's
// ranks 0..V-1: an exact draw in O(1) with one random memory access, where
// word2vec.c's 1e8-slot table would cost 400 MB and still round rare nodes'
// probabilities. Slot r stands for rank r itself, so an entry is 8 bytes.
struct AliasEntry {
  uint32_t threshold;  // keep the slot's own rank when a uniform 32-bit draw is below this
  uint32_t alias;
};

class NoiseTable {
 public:
  // rankCounts[r] > 0 for every rank r of the vocabulary (ranks are dense).
  void Build(const uint64_t* rankCounts, size_t ranks);
  bool Empty() const { return entries_.empty(); }
  // A draw in two steps so its memory access can be prefetched: Slot() picks
  // the entry from the high 32 random bits, Resolve() reads it and uses the low 32.
  inline uint32_t Slot(uint64_t bits) const {
    return static_cast<uint32_t>(((bits >> 32) * entries_.size()) >> 32);
  }
  inline const AliasEntry* Entry(uint32_t slot) const { return entries_.data() + slot; }
  // Branch-free: the coin is a fair 50/50 guess for the branch predictor, and
  // a mispredict after every cache miss would serialise the misses.
  inline uint32_t Resolve(uint32_t slot, uint32_t coin) const {
    const AliasEntry e = entries_[slot];
    const uint32_t keep = 0u - static_cast<uint32_t>(coin < e.threshold);
    return (slot & keep) | (e.alias & ~keep);
  }

 private:
  HugeArray<AliasEntry> entries_;
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

// Per node, in node order: its rank (row in the relabelled matrices) and its
// sub-sampling threshold: a token is kept when a uniform 32-bit draw is below
// `keep`; kAlwaysKeep skips the draw, 0 drops it (excluded or below minCount).
struct NodeInfo {
  uint32_t rank;
  uint32_t keep;
};
constexpr uint32_t kAlwaysKeep = 0xFFFFFFFFu;

// Per-thread counters the progress loop reads while training runs.
struct alignas(64) ThreadCounters {
  std::atomic<uint64_t> words{0};    // corpus tokens consumed (before sub-sampling)
  std::atomic<uint64_t> pairs{0};    // (center, context) pairs trained
  std::atomic<double> lossSum{0.0};  // sum of per-pair SGNS losses
};

struct Stats {
  uint64_t words = 0;
  uint64_t pairs = 0;
  double lossSum = 0.0;
  uint64_t vocabulary = 0;  // nodes that take part in training
};

// Everything the training threads share; read-only except the matrices.
struct Model {
  Config cfg;
  uint32_t nodeCount = 0;
  float* input = nullptr;   // nodeCount x dim, rows by rank while training
  float* output = nullptr;  // nodeCount x dim, rows by rank while training
  HugeArray<NodeInfo> nodes;  // by node index
  std::vector<uint32_t> order;  // order[rank] = node
  NoiseTable noise;
  std::vector<Chunk> chunks;
  uint64_t totalTokens = 0;
  uint32_t maxWalkLength = 0;
  uint64_t vocabulary = 0;
  std::atomic<uint64_t> nextJob{0};
  const std::atomic<bool>* cancel = nullptr;
};

// Seed of the random stream of training job `job` (= epoch * chunks + chunk).
uint64_t TrainSeed(uint64_t seed, uint64_t job);

class Trainer {
 public:
  // `exclude` (nodeCount bytes, may be null): nodes != 0 are walked through
  // but dropped from every sentence, so they get no vector and are never a
  // noise sample.
  Trainer(const Config& cfg, uint32_t nodeCount, float* input, float* output, const uint8_t* exclude);

  // Counts, sub-sampling thresholds, relabelling and the noise table.
  void Prepare(CorpusStats&& stats);
  // Relabels the rows, trains every (epoch, chunk) on cfg.threads threads and
  // puts the rows back in node order. Returns kCancelled if `cancel` stopped it
  // (the matrices are then unspecified).
  JobStatus Train(CorpusSource& source, const std::atomic<bool>& cancel);

  uint64_t TotalWords() const { return model_.totalTokens * model_.cfg.epochs; }
  JobProgress Progress() const;
  Stats Totals() const;

 private:
  Model model_;
  const uint8_t* exclude_;
  std::unique_ptr<ThreadCounters[]> counters_;
};

}  // namespace sgns
}  // namespace graphprof
