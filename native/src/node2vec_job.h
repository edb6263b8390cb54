// Walks streamed into skip-gram, plain C++ (node2vec_binding.cc owns N-API).
//
// No corpus is ever held in memory. A first pass runs every walk once, only
// to count node occurrences and walk lengths (what sub-sampling, the noise
// table, the learning-rate schedule and the chunking need; walking costs a few
// percent of training). The lengths give the chunks by the trainer's one rule
// (sgns::BuildChunks), then are dropped. While training, the thread that takes
// chunk c produces its walks itself into its own buffer (kChunkTokens tokens),
// trains them and reuses the buffer: memory is bounded by threads x chunk, and
// a chunk is a walk range [firstWalk, endWalk) that can be produced anywhere.
// Since a walk depends only on (graph, settings, its index) (walk_job.h), the
// walks are those of the materialised corpus, so with one thread the vectors
// equal generateWalks + trainSkipGram bit for bit; epochs re-walk their chunks.
#pragma once
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "job.h"
#include "sgns_model.h"
#include "walk_job.h"

namespace graphprof {

template <typename Off>
class WalkStream final : public sgns::CorpusSource {
 public:
  explicit WalkStream(WalkPlan<Off>& plan) : plan_(plan) {}

  // Lays out the start nodes, then walks everything once on `threads`
  // threads, counting. kCancelled if cancelled midway.
  JobStatus Count(uint32_t nodeCount, sgns::CorpusStats& out) {
    const uint64_t walks = plan_.WalkCount();
    const uint32_t length = plan_.WalkLength();
    startOrder_.assign(walks, 0);
    plan_.PlaceStarts(startOrder_.data(), 1);
    if (plan_.Cancelled()) return JobStatus::kCancelled;
    std::vector<uint32_t> lengths(walks, 0);
    const uint32_t threads = std::max<uint32_t>(plan_.Settings().threads, 1);
    std::vector<std::vector<uint32_t>> counts(threads);
    BlockCounter blocks(walks, kCountBlock);
    RunThreads(threads, [&](uint32_t t) {
      std::vector<uint32_t>& mine = counts[t];
      mine.assign(nodeCount, 0);
      std::vector<uint32_t> buffer(kCountBlock * static_cast<size_t>(length));
      uint64_t b, e;
      while (!plan_.Cancelled() && blocks.Take(b, e)) {
        Produce(b, e, buffer.data(), lengths.data() + b);
        for (uint64_t k = b; k < e; ++k) {
          const uint32_t* walk = buffer.data() + (k - b) * length;
          for (uint32_t i = 0; i < lengths[k]; ++i) ++mine[walk[i]];
        }
      }
    });
    if (plan_.Cancelled()) return JobStatus::kCancelled;
    out.counts.assign(nodeCount, 0);
    for (const std::vector<uint32_t>& mine : counts) {
      for (uint32_t v = 0; v < nodeCount; ++v) out.counts[v] += mine[v];
    }
    out.totalTokens = 0;
    out.maxWalkLength = 0;
    for (uint64_t k = 0; k < walks; ++k) {
      out.totalTokens += lengths[k];
      out.maxWalkLength = std::max(out.maxWalkLength, lengths[k]);
    }
    out.chunks = sgns::BuildChunks(lengths.data(), walks);
    return JobStatus::kDone;
  }

  // Chunk c's walks, produced into the calling thread's scratch and packed.
  sgns::ChunkView Load(const sgns::Chunk& chunk, sgns::ChunkScratch& s) override {
    const uint64_t n = chunk.endWalk - chunk.firstWalk;
    const uint32_t length = plan_.WalkLength();
    s.tokens.resize(n * length);
    s.lengths.resize(n);
    Produce(chunk.firstWalk, chunk.endWalk, s.tokens.data(), s.lengths.data());
    uint64_t used = 0;
    for (uint64_t k = 0; k < n; ++k) {
      if (used != k * length) std::copy_n(s.tokens.data() + k * length, s.lengths[k], s.tokens.data() + used);
      used += s.lengths[k];
    }
    return {s.tokens.data(), s.lengths.data(), n};
  }

  uint64_t WalksDone() const { return plan_.WalksDone(); }

 private:
  static constexpr uint64_t kCountBlock = 1024;

  // Walks [first, end) into out (walkLength slots each), lengths[k - first].
  void Produce(uint64_t first, uint64_t end, uint32_t* out, uint32_t* lengths) {
    const uint32_t length = plan_.WalkLength();
    for (uint64_t k = first; k < end; ++k) out[(k - first) * length] = startOrder_[k];
    plan_.WalkRange(first, end, out, lengths);
  }

  WalkPlan<Off>& plan_;
  std::vector<uint32_t> startOrder_;  // start node of every walk
};

// The whole streamed job: prepare the walker, count, train.
template <typename Off>
class Node2VecJob {
 public:
  Node2VecJob(const CsrView<Off>& g, uint64_t targetsLength, const uint32_t* starts, uint64_t startCount,
              const WalkSettings& walk, const sgns::Config& cfg, float* input, float* output,
              const uint8_t* exclude, const std::atomic<bool>& cancel)
      : plan_(g, targetsLength, starts, startCount, walk, cancel), stream_(plan_),
        trainer_(cfg, g.nodeCount, input, output, exclude), nodeCount_(g.nodeCount), cancel_(cancel) {}

  JobStatus Run(std::string& error) {
    const auto start = std::chrono::steady_clock::now();
    if (!plan_.Prepare(error)) return JobStatus::kFailed;
    sgns::CorpusStats stats;
    const JobStatus counted = stream_.Count(nodeCount_, stats);
    walkSeconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (counted != JobStatus::kDone) return counted;
    walkCount_ = plan_.WalkCount();
    tokenCount_ = stats.totalTokens;
    trainer_.Prepare(std::move(stats));
    training_.store(true, std::memory_order_release);
    return trainer_.Train(stream_, cancel_);
  }

  JobProgress Progress() const {
    if (training_.load(std::memory_order_acquire)) return trainer_.Progress();
    JobProgress p;
    p.phase = "walks";
    p.total = plan_.WalkCount();
    p.done = std::min(plan_.WalksDone(), p.total);
    return p;
  }

  sgns::Stats Totals() const { return trainer_.Totals(); }
  uint64_t WalkCount() const { return walkCount_; }
  uint64_t TokenCount() const { return tokenCount_; }
  // Seconds of the walker's preparation and the counting pass.
  double WalkSeconds() const { return walkSeconds_; }

 private:
  WalkPlan<Off> plan_;
  WalkStream<Off> stream_;
  sgns::Trainer trainer_;
  const uint32_t nodeCount_;
  const std::atomic<bool>& cancel_;
  std::atomic<bool> training_{false};
  uint64_t walkCount_ = 0;
  uint64_t tokenCount_ = 0;
  double walkSeconds_ = 0.0;
};

}  // namespace graphprof
