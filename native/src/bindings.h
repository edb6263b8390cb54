// The addon's N-API entry points, one Init per concept (addon.cc registers
// them), and the argument readers the bindings share: the walker's CSR and
// settings (walk_binding.cc), the skip-gram configuration (sgns_binding.cc).
#pragma once
#include <napi.h>

#include <cstdint>

#include "napi_args.h"
#include "sgns_model.h"
#include "walk_job.h"

namespace graphprof {

void InitWalk(Napi::Env env, Napi::Object exports);
void InitSgns(Napi::Env env, Napi::Object exports);
void InitNode2Vec(Napi::Env env, Napi::Object exports);

// A CSR graph, its start list and walk settings, borrowed from JS.
struct WalkArgs {
  const void* offsets = nullptr;
  bool wideOffsets = false;
  const uint32_t* targets = nullptr;
  size_t targetsLength = 0;
  const float* weights = nullptr;
  const uint32_t* starts = nullptr;
  size_t startCount = 0;
  uint32_t nodeCount = 0;
  WalkSettings settings;

  // Calls f(CsrView<uint32_t>) or f(CsrView<uint64_t>), matching the offsets' width.
  template <typename F>
  auto WithCsr(F&& f) const {
    if (wideOffsets) return f(View(static_cast<const uint64_t*>(offsets)));
    return f(View(static_cast<const uint32_t*>(offsets)));
  }

 private:
  template <typename Off>
  CsrView<Off> View(const Off* o) const {
    CsrView<Off> g;
    g.offsets = o;
    g.targets = targets;
    g.weights = weights;
    g.nodeCount = nodeCount;
    return g;
  }
};

// offsets, targets, weights, nodeCount, directed, starts, p, q, walkLength,
// walksPerNode, and the walk seed and threads under `seedKey` / `threadsKey`
// (a job that also trains has its own "seed" and "threads"). `maxSlots`
// bounds walks x walkLength (a materialised corpus must fit 2^32-1 tokens; a
// streamed one need not).
bool ReadWalkArgs(ArgReader& r, WalkArgs& out, double maxSlots, const char* seedKey = "seed",
                  const char* threadsKey = "threads");

// dim, window, negative, epochs, alpha, minAlpha, sample, seed, threads,
// minCount into `cfg` (randomInit is the caller's).
bool ReadSgnsConfig(ArgReader& r, sgns::Config& cfg);

// input, output (Float32Array, nodeCount x dim) and the optional exclude mask
// (Uint8Array, nodeCount; null when absent).
bool ReadSgnsMatrices(ArgReader& r, uint32_t nodeCount, uint32_t dim, float*& input, float*& output,
                      const uint8_t*& exclude);

// { words, pairs, loss (mean per pair), vocabulary, seconds }.
Napi::Object SgnsStatsToJs(Napi::Env env, const sgns::Stats& s, double seconds);

}  // namespace graphprof
