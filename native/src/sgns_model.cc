// Skip-gram model preparation (counts, sub-sampling, relabelling, noise
// table), row permutation, and the ISA dispatch of the hot loop
// (sgns_kernel.inc, compiled once for AVX2+FMA and once for the baseline).
#include "sgns_model.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <thread>

#include <sys/mman.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GRAPHPROF_HAVE_X86 1
#endif

namespace graphprof {
namespace sgns {

#ifdef GRAPHPROF_HAVE_X86
namespace avx2 {
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define SGNS_KERNEL_AVX2 1
#include "sgns_kernel.inc"
#undef SGNS_KERNEL_AVX2
#pragma GCC pop_options
}  // namespace avx2
#endif

namespace generic {
#include "sgns_kernel.inc"
}  // namespace generic

namespace {

// Seed domains of the initial vectors and of the per-chunk training streams.
constexpr uint64_t kInitStream = 0x696e6974ULL;
constexpr uint64_t kTrainStream = 0x747261696eULL;

using ThreadFn = void (*)(Model&, CorpusSource&, ThreadCounters&);

ThreadFn PickKernel() {
#ifdef GRAPHPROF_HAVE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2::RunThread;
#endif
  return generic::RunThread;
}

// word2vec.c's uniform(-0.5/dim, 0.5/dim), seeded per node, so a node's
// initial vector depends on neither nodeCount nor its rank (nor on which
// thread fills it). Row r of `input` belongs to node order[r]. On cfg.threads
// threads: this is the first touch of both matrices (2 x 512 MB at a million
// nodes), so the page clearing is shared too.
void RandomInit(Model& m) {
  const uint32_t dim = m.cfg.dim;
  const float scale = 1.0f / static_cast<float>(dim);
  constexpr uint64_t kRows = 4096;
  BlockCounter blocks(m.nodeCount, kRows);
  RunThreads(std::max<uint32_t>(m.cfg.threads, 1), [&](uint32_t) {
    uint64_t b, e;
    while (blocks.Take(b, e)) {
      for (uint64_t r = b; r < e; ++r) {
        Xoshiro256ss rng(DeriveSeed(m.cfg.seed, kInitStream, m.order[r]));
        float* row = m.input + r * dim;
        for (uint32_t k = 0; k < dim; ++k) {
          const float u = static_cast<float>(rng.Next() >> 40) * (1.0f / 16777216.0f);
          row[k] = (u - 0.5f) * scale;
        }
      }
      std::memset(m.output + b * dim, 0, sizeof(float) * (e - b) * dim);
    }
  });
}

// In place: row i becomes the old row src(i) (src a permutation), following
// cycles with one spare row and a visited bit per row.
template <typename Src>
void PermuteRows(float* m, uint32_t n, uint32_t dim, Src src) {
  std::vector<bool> visited(n, false);
  std::vector<float> spare(dim);
  const size_t bytes = sizeof(float) * dim;
  for (uint32_t start = 0; start < n; ++start) {
    if (visited[start]) continue;
    visited[start] = true;
    uint32_t j = start;
    uint32_t k = src(j);
    if (k == start) continue;
    std::memcpy(spare.data(), m + static_cast<size_t>(start) * dim, bytes);
    while (k != start) {
      std::memcpy(m + static_cast<size_t>(j) * dim, m + static_cast<size_t>(k) * dim, bytes);
      visited[k] = true;
      j = k;
      k = src(j);
    }
    std::memcpy(m + static_cast<size_t>(j) * dim, spare.data(), bytes);
  }
}

// Both matrices at once (they are independent), each on its own thread.
template <typename Src>
void PermuteBoth(Model& m, Src src) {
  std::thread other([&] { PermuteRows(m.output, m.nodeCount, m.cfg.dim, src); });
  PermuteRows(m.input, m.nodeCount, m.cfg.dim, src);
  other.join();
}

}  // namespace

void AdviseHugePages(void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

std::vector<Chunk> BuildChunks(const uint32_t* lengths, uint64_t walkCount) {
  std::vector<Chunk> chunks;
  uint64_t offset = 0, first = 0, inChunk = 0;
  for (uint64_t w = 0; w < walkCount; ++w) {
    inChunk += lengths[w];
    if (inChunk >= kChunkTokens) {
      chunks.push_back({first, w + 1, offset});
      offset += inChunk;
      first = w + 1;
      inChunk = 0;
    }
  }
  if (first < walkCount) chunks.push_back({first, walkCount, offset});
  return chunks;
}

std::string PackedCorpus::Stats(uint32_t nodeCount, CorpusStats& out) const {
  uint64_t sum = 0;
  uint32_t maxLength = 0;
  for (uint64_t w = 0; w < walkCount_; ++w) {
    sum += lengths_[w];
    maxLength = std::max(maxLength, lengths_[w]);
  }
  if (sum != tokenCount_) {
    return "the walk lengths add up to " + std::to_string(sum) + " but tokens has " + std::to_string(tokenCount_) +
           " entries";
  }
  out.counts.assign(nodeCount, 0);
  for (uint64_t i = 0; i < tokenCount_; ++i) {
    const uint32_t t = tokens_[i];
    if (t >= nodeCount) {
      return "tokens[" + std::to_string(i) + "] is " + std::to_string(t) + ", not a node index below nodeCount " +
             std::to_string(nodeCount);
    }
    ++out.counts[t];
  }
  out.totalTokens = tokenCount_;
  out.maxWalkLength = maxLength;
  out.chunks = BuildChunks(lengths_, walkCount_);
  return "";
}

SigmoidTable::SigmoidTable() {
  for (int i = 0; i <= kSigmoidSlots; ++i) {
    // Slot centres, so truncating (x + max) * scale picks the nearest value.
    const double x = (static_cast<double>(i) + 0.5) / kScale - kMaxExp;
    const double s = 1.0 / (1.0 + std::exp(-x));
    sigmoid[i] = static_cast<float>(s);
    logSigmoid[i] = static_cast<float>(std::log(s));
  }
}

const SigmoidTable& Sigmoids() {
  static const SigmoidTable table;
  return table;
}

void NoiseTable::Build(const uint64_t* rankCounts, size_t n) {
  std::vector<double> weight(n);
  double total = 0.0;
  for (size_t r = 0; r < n; ++r) {
    weight[r] = std::pow(static_cast<double>(rankCounts[r]), 0.75);
    total += weight[r];
  }
  entries_.Assign(n, AliasEntry{0, 0});
  if (n == 0) return;
  // Vose's alias method on probabilities scaled so that the mean slot is 1.
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weight[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back(), l = large.back();
    small.pop_back();
    entries_[s] = {static_cast<uint32_t>(scaled[s] * 4294967296.0), l};
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left holds (up to rounding) a full slot.
  for (uint32_t i : large) entries_[i] = {0xFFFFFFFFu, i};
  for (uint32_t i : small) entries_[i] = {0xFFFFFFFFu, i};
}

Trainer::Trainer(const Config& cfg, uint32_t nodeCount, float* input, float* output, const uint8_t* exclude)
    : exclude_(exclude), counters_(new ThreadCounters[std::max<uint32_t>(cfg.threads, 1)]) {
  model_.cfg = cfg;
  model_.nodeCount = nodeCount;
  model_.input = input;
  model_.output = output;
}

void Trainer::Prepare(CorpusStats&& stats) {
  Model& m = model_;
  const uint32_t n = m.nodeCount;
  std::vector<uint64_t>& counts = stats.counts;
  // Nodes that take part: present, not excluded, at least minCount times.
  const uint64_t minCount = std::max<uint32_t>(m.cfg.minCount, 1);
  uint64_t retained = 0;
  for (uint32_t v = 0; v < n; ++v) {
    if (counts[v] < minCount || (exclude_ != nullptr && exclude_[v] != 0)) counts[v] = 0;
    retained += counts[v];
  }
  // Rank = place in descending count order (ties by node index); nodes that
  // do not take part come last, so their rows are never touched.
  m.order.resize(n);
  std::iota(m.order.begin(), m.order.end(), 0u);
  std::stable_sort(m.order.begin(), m.order.end(), [&](uint32_t a, uint32_t b) { return counts[a] > counts[b]; });
  m.nodes.Assign(n, NodeInfo{0, 0});
  std::vector<uint64_t> rankCounts(n);
  m.vocabulary = 0;
  // gensim's / word2vec.c's keep probability (sqrt(c/t) + 1) * t/c with
  // t = sample * (tokens of the vocabulary), as a 32-bit threshold.
  const double threshold = m.cfg.sample * static_cast<double>(retained);
  for (uint32_t r = 0; r < n; ++r) {
    const uint32_t v = m.order[r];
    const uint64_t c = counts[v];
    rankCounts[r] = c;
    uint32_t keep = 0;
    if (c > 0) {
      ++m.vocabulary;
      keep = kAlwaysKeep;
      if (m.cfg.sample > 0.0) {
        const double cd = static_cast<double>(c);
        const double p = (std::sqrt(cd / threshold) + 1.0) * (threshold / cd);
        // Below kAlwaysKeep, which means "no draw".
        if (p < 1.0) keep = static_cast<uint32_t>(std::min<long long>(std::llround(p * 4294967296.0), kAlwaysKeep - 1));
      }
    }
    m.nodes[v] = NodeInfo{r, keep};
  }
  // Ranks with a count are exactly 0..vocabulary-1 (descending counts).
  m.noise.Build(rankCounts.data(), m.vocabulary);
  m.chunks = std::move(stats.chunks);
  m.totalTokens = stats.totalTokens;
  m.maxWalkLength = stats.maxWalkLength;
}

JobStatus Trainer::Train(CorpusSource& source, const std::atomic<bool>& cancel) {
  Model& m = model_;
  m.cancel = &cancel;
  const size_t floats = static_cast<size_t>(m.nodeCount) * m.cfg.dim;
  AdviseHugePages(m.input, floats * sizeof(float));
  AdviseHugePages(m.output, floats * sizeof(float));
  if (m.cfg.randomInit) {
    RandomInit(m);
  } else {
    PermuteBoth(m, [&](uint32_t r) { return m.order[r]; });
  }
  const uint32_t threads = std::max<uint32_t>(m.cfg.threads, 1);
  if (!m.chunks.empty() && !m.noise.Empty()) {
    const ThreadFn run = PickKernel();
    RunThreads(threads, [&](uint32_t t) { run(m, source, counters_[t]); });
  }
  if (cancel.load()) return JobStatus::kCancelled;
  PermuteBoth(m, [&](uint32_t v) { return m.nodes[v].rank; });
  return JobStatus::kDone;
}

JobProgress Trainer::Progress() const {
  JobProgress p;
  p.phase = "train";
  p.total = TotalWords();
  for (uint32_t t = 0; t < std::max<uint32_t>(model_.cfg.threads, 1); ++t) {
    p.done += counters_[t].words.load(std::memory_order_relaxed);
    p.pairs += counters_[t].pairs.load(std::memory_order_relaxed);
    p.lossSum += counters_[t].lossSum.load(std::memory_order_relaxed);
  }
  return p;
}

Stats Trainer::Totals() const {
  const JobProgress p = Progress();
  Stats s;
  s.words = p.done;
  s.pairs = p.pairs;
  s.lossSum = p.lossSum;
  s.vocabulary = model_.vocabulary;
  return s;
}

uint64_t TrainSeed(uint64_t seed, uint64_t job) { return DeriveSeed(seed, kTrainStream, job); }

}  // namespace sgns
}  // namespace graphprof
