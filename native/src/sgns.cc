// Skip-gram trainer: model preparation (counts, sub-sampling, noise table),
// the ISA dispatch of the hot loop, and the N-API binding that runs training
// on a worker thread with progress reports and cancellation.
#include "sgns.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GRAPHPROF_HAVE_X86 1
#endif

#include "sgns_core.h"

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

constexpr uint64_t kChunkTokens = 10000;
// Seed domain of the initial vectors, apart from the per-chunk training streams.
constexpr uint64_t kInitStream = 0xA5A5A5A5A5A5A5A5ULL;

using ThreadFn = void (*)(Shared&, ThreadCounters&);

ThreadFn PickKernel() {
#ifdef GRAPHPROF_HAVE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2::RunThread;
#endif
  return generic::RunThread;
}

// gensim's / word2vec.c's keep probability (sqrt(c/t) + 1) * t/c with
// t = sample * total, as a 32-bit threshold.
void BuildKeepThresholds(Shared& sh) {
  const double threshold = sh.cfg.sample * static_cast<double>(sh.totalTokens);
  const uint64_t minCount = std::max<uint32_t>(sh.cfg.minCount, 1);
  sh.keepThreshold.assign(sh.counts.size(), kAlwaysKeep);
  for (size_t i = 0; i < sh.counts.size(); ++i) {
    const double c = static_cast<double>(sh.counts[i]);
    if (sh.counts[i] < minCount) {
      sh.keepThreshold[i] = 0;
      continue;
    }
    if (sh.cfg.sample <= 0.0) continue;
    const double p = (std::sqrt(c / threshold) + 1.0) * (threshold / c);
    if (p < 1.0) sh.keepThreshold[i] = static_cast<uint64_t>(std::llround(p * 4294967296.0));
  }
}

void BuildChunks(Shared& sh) {
  sh.chunks.clear();
  size_t offset = 0, first = 0, inChunk = 0;
  for (size_t w = 0; w < sh.data.walkCount; ++w) {
    inChunk += sh.data.lengths[w];
    if (inChunk >= kChunkTokens) {
      sh.chunks.push_back({first, w + 1, offset});
      offset += inChunk;
      first = w + 1;
      inChunk = 0;
    }
  }
  if (first < sh.data.walkCount) sh.chunks.push_back({first, sh.data.walkCount, offset});
}

}  // namespace

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

void NoiseTable::Build(const std::vector<uint64_t>& counts, uint32_t minCount) {
  const uint64_t floor = std::max<uint32_t>(minCount, 1);
  std::vector<uint32_t> nodes;
  std::vector<double> weight;
  double total = 0.0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < floor) continue;
    nodes.push_back(static_cast<uint32_t>(i));
    const double w = std::pow(static_cast<double>(counts[i]), 0.75);
    weight.push_back(w);
    total += w;
  }
  const size_t n = nodes.size();
  entries_.assign(n, AliasEntry{0, 0, 0});
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
    entries_[s] = {static_cast<uint32_t>(scaled[s] * 4294967296.0), nodes[s], nodes[l]};
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left holds (up to rounding) a full slot.
  for (uint32_t i : large) entries_[i] = {0xFFFFFFFFu, nodes[i], nodes[i]};
  for (uint32_t i : small) entries_[i] = {0xFFFFFFFFu, nodes[i], nodes[i]};
}

std::string Prepare(Shared& sh) {
  const Data& d = sh.data;
  sh.counts.assign(d.nodeCount, 0);
  uint64_t sum = 0;
  size_t maxLength = 0;
  for (size_t w = 0; w < d.walkCount; ++w) {
    sum += d.lengths[w];
    maxLength = std::max<size_t>(maxLength, d.lengths[w]);
  }
  if (sum != d.tokenCount) {
    return "sgnsTrain: the walk lengths add up to " + std::to_string(sum) + " but tokens has " +
           std::to_string(d.tokenCount) + " entries";
  }
  for (size_t i = 0; i < d.tokenCount; ++i) {
    const uint32_t t = d.tokens[i];
    if (t >= d.nodeCount) {
      return "sgnsTrain: tokens[" + std::to_string(i) + "] is " + std::to_string(t) +
             ", not a node index below nodeCount " + std::to_string(d.nodeCount);
    }
    ++sh.counts[t];
  }
  sh.totalTokens = d.tokenCount;
  sh.maxWalkLength = maxLength;
  BuildKeepThresholds(sh);
  sh.noise.Build(sh.counts, sh.cfg.minCount);
  BuildChunks(sh);
  return "";
}

void RandomInit(float* input, uint32_t nodeCount, uint32_t dim, uint64_t seed) {
  Rng rng;
  const float scale = 1.0f / static_cast<float>(dim);
  for (uint32_t node = 0; node < nodeCount; ++node) {
    // Seeded per row, so a node's initial vector does not depend on nodeCount.
    rng.Seed(seed ^ kInitStream, node);
    float* row = input + static_cast<size_t>(node) * dim;
    for (uint32_t k = 0; k < dim; ++k) {
      const float u = static_cast<float>(rng.Next() >> 40) * (1.0f / 16777216.0f);
      row[k] = (u - 0.5f) * scale;
    }
  }
}

bool Train(Shared& sh, std::vector<ThreadCounters>& counters) {
  if (sh.chunks.empty() || sh.noise.Empty()) return !sh.cancel->load();
  const ThreadFn run = PickKernel();
  const uint32_t threads = static_cast<uint32_t>(counters.size());
  if (threads == 1) {
    run(sh, counters[0]);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (uint32_t t = 0; t < threads; ++t) pool.emplace_back(run, std::ref(sh), std::ref(counters[t]));
    for (auto& th : pool) th.join();
  }
  return !sh.cancel->load();
}

}  // namespace sgns

namespace {

using sgns::Config;
using sgns::Shared;
using sgns::ThreadCounters;

struct ProgressReport {
  double words;
  double totalWords;
  double seconds;
  double loss;  // mean pair loss since the previous report
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

class SgnsWorker : public Napi::AsyncProgressWorker<ProgressReport> {
 public:
  SgnsWorker(Napi::Env env, std::unique_ptr<Shared> shared, std::shared_ptr<std::atomic<bool>> cancel,
             std::vector<Napi::Reference<Napi::Value>> keepAlive, Napi::Function onProgress)
      : Napi::AsyncProgressWorker<ProgressReport>(env, "graphprof:sgnsTrain"),
        deferred_(Napi::Promise::Deferred::New(env)),
        shared_(std::move(shared)),
        cancel_(std::move(cancel)),
        keepAlive_(std::move(keepAlive)) {
    shared_->cancel = cancel_.get();
    if (!onProgress.IsEmpty()) onProgress_ = Napi::Persistent(onProgress);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute(const ExecutionProgress& progress) override {
    const auto start = std::chrono::steady_clock::now();
    Shared& sh = *shared_;
    const std::string problem = sgns::Prepare(sh);
    if (!problem.empty()) {
      SetError(problem);
      return;
    }
    if (sh.cfg.randomInit) sgns::RandomInit(sh.data.input, sh.data.nodeCount, sh.cfg.dim, sh.cfg.seed);
    std::vector<ThreadCounters> counters(std::max<uint32_t>(1, sh.cfg.threads));
    std::atomic<bool> finished{false};
    bool completed = false;
    std::thread trainer([&] {
      completed = sgns::Train(sh, counters);
      std::lock_guard<std::mutex> lock(doneMutex_);
      finished.store(true);
      doneCv_.notify_all();
    });
    Report(progress, counters, start, false);
    {
      std::unique_lock<std::mutex> lock(doneMutex_);
      while (!finished.load()) {
        doneCv_.wait_for(lock, std::chrono::milliseconds(250));
        if (finished.load()) break;
        lock.unlock();
        Report(progress, counters, start, false);
        lock.lock();
      }
    }
    trainer.join();
    seconds_ = Seconds(start);
    Report(progress, counters, start, true);
    if (!completed) SetError("sgnsTrain: cancelled");
  }

  void OnProgress(const ProgressReport* data, size_t count) override {
    if (onProgress_.IsEmpty() || data == nullptr || count == 0) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Napi::Object report = Napi::Object::New(env);
    report.Set("words", data->words);
    report.Set("totalWords", data->totalWords);
    report.Set("seconds", data->seconds);
    report.Set("loss", data->loss);
    onProgress_.Call({report});
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object stats = Napi::Object::New(env);
    stats.Set("words", static_cast<double>(final_.words));
    stats.Set("pairs", static_cast<double>(final_.pairs));
    stats.Set("seconds", seconds_);
    stats.Set("loss", final_.pairs > 0 ? final_.lossSum / static_cast<double>(final_.pairs) : 0.0);
    stats.Set("vocabulary", static_cast<double>(vocabulary_));
    deferred_.Resolve(stats);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  void Report(const ExecutionProgress& progress, std::vector<ThreadCounters>& counters,
              std::chrono::steady_clock::time_point start, bool last) {
    sgns::Stats now;
    for (auto& c : counters) {
      now.words += c.words.load(std::memory_order_relaxed);
      now.pairs += c.pairs.load(std::memory_order_relaxed);
      now.lossSum += c.lossSum.load(std::memory_order_relaxed);
    }
    const uint64_t newPairs = now.pairs - reported_.pairs;
    ProgressReport r;
    r.words = static_cast<double>(now.words);
    r.totalWords = static_cast<double>(shared_->totalTokens) * shared_->cfg.epochs;
    r.seconds = Seconds(start);
    r.loss = newPairs > 0 ? (now.lossSum - reported_.lossSum) / static_cast<double>(newPairs) : lastLoss_;
    lastLoss_ = r.loss;
    reported_ = now;
    if (last) {
      final_ = now;
      vocabulary_ = 0;
      for (uint64_t c : shared_->counts) vocabulary_ += c > 0 ? 1 : 0;
    }
    progress.Send(&r, 1);
  }

  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Shared> shared_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::vector<Napi::Reference<Napi::Value>> keepAlive_;
  Napi::FunctionReference onProgress_;
  std::mutex doneMutex_;
  std::condition_variable doneCv_;
  sgns::Stats reported_;
  sgns::Stats final_;
  double lastLoss_ = 0.0;
  double seconds_ = 0.0;
  uint64_t vocabulary_ = 0;
};

// Reads a required non-negative integer option; throws a TypeError naming it.
bool ReadUint(Napi::Env env, const Napi::Object& o, const char* key, uint32_t min, uint32_t& out) {
  const Napi::Value v = o.Get(key);
  if (!v.IsNumber()) {
    Napi::TypeError::New(env, std::string("sgnsTrain: option \"") + key + "\" must be a number")
        .ThrowAsJavaScriptException();
    return false;
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min) || d > 4294967295.0 || d != std::floor(d)) {
    Napi::RangeError::New(env, std::string("sgnsTrain: option \"") + key + "\" is " + std::to_string(d) +
                                   "; expected an integer >= " + std::to_string(min))
        .ThrowAsJavaScriptException();
    return false;
  }
  out = static_cast<uint32_t>(d);
  return true;
}

bool ReadDouble(Napi::Env env, const Napi::Object& o, const char* key, double& out) {
  const Napi::Value v = o.Get(key);
  if (!v.IsNumber()) {
    Napi::TypeError::New(env, std::string("sgnsTrain: option \"") + key + "\" must be a number")
        .ThrowAsJavaScriptException();
    return false;
  }
  out = v.As<Napi::Number>().DoubleValue();
  return true;
}

template <typename T>
bool ReadArray(Napi::Env env, const Napi::Object& o, const char* key, napi_typedarray_type type, T*& data,
               size_t& length, std::vector<Napi::Reference<Napi::Value>>& keepAlive) {
  const Napi::Value v = o.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    Napi::TypeError::New(env, std::string("sgnsTrain: \"") + key + "\" must be a " +
                                  (type == napi_uint32_array ? "Uint32Array" : "Float32Array"))
        .ThrowAsJavaScriptException();
    return false;
  }
  auto arr = v.As<Napi::TypedArrayOf<T>>();
  data = arr.Data();
  length = arr.ElementLength();
  keepAlive.push_back(Napi::Persistent(v));
  return true;
}

// sgnsTrain(params, onProgress?) -> { promise, cancel }.
// params: tokens, lengths (Uint32Array), nodeCount, input, output (Float32Array
// nodeCount*dim, updated in place), dim, window, negative, epochs, alpha,
// minAlpha, sample, seed, threads, minCount, randomInit.
Napi::Value SgnsTrain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "sgnsTrain: expected a parameter object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const Napi::Object p = info[0].As<Napi::Object>();
  auto shared = std::make_unique<Shared>();
  Config& cfg = shared->cfg;
  sgns::Data& d = shared->data;
  std::vector<Napi::Reference<Napi::Value>> keepAlive;
  double seed = 0;
  uint32_t nodeCount = 0;
  if (!ReadUint(env, p, "nodeCount", 0, nodeCount) || !ReadUint(env, p, "dim", 1, cfg.dim) ||
      !ReadUint(env, p, "window", 1, cfg.window) || !ReadUint(env, p, "negative", 1, cfg.negative) ||
      !ReadUint(env, p, "epochs", 1, cfg.epochs) || !ReadUint(env, p, "threads", 1, cfg.threads) ||
      !ReadUint(env, p, "minCount", 0, cfg.minCount) || !ReadDouble(env, p, "alpha", cfg.alpha) ||
      !ReadDouble(env, p, "minAlpha", cfg.minAlpha) || !ReadDouble(env, p, "sample", cfg.sample) ||
      !ReadDouble(env, p, "seed", seed)) {
    return env.Undefined();
  }
  cfg.seed = static_cast<uint64_t>(seed);
  cfg.randomInit = p.Get("randomInit").ToBoolean().Value();
  d.nodeCount = nodeCount;
  size_t inputLength = 0, outputLength = 0;
  uint32_t* tokens = nullptr;
  uint32_t* lengths = nullptr;
  if (!ReadArray<uint32_t>(env, p, "tokens", napi_uint32_array, tokens, d.tokenCount, keepAlive) ||
      !ReadArray<uint32_t>(env, p, "lengths", napi_uint32_array, lengths, d.walkCount, keepAlive) ||
      !ReadArray<float>(env, p, "input", napi_float32_array, d.input, inputLength, keepAlive) ||
      !ReadArray<float>(env, p, "output", napi_float32_array, d.output, outputLength, keepAlive)) {
    return env.Undefined();
  }
  d.tokens = tokens;
  d.lengths = lengths;
  const size_t expected = static_cast<size_t>(nodeCount) * cfg.dim;
  if (inputLength != expected || outputLength != expected) {
    Napi::RangeError::New(env, "sgnsTrain: input and output must hold nodeCount * dim = " + std::to_string(expected) +
                                   " floats (got " + std::to_string(inputLength) + " and " +
                                   std::to_string(outputLength) + ")")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Function onProgress;
  if (info.Length() > 1 && info[1].IsFunction()) onProgress = info[1].As<Napi::Function>();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto* worker = new SgnsWorker(env, std::move(shared), cancel, std::move(keepAlive), onProgress);
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("promise", worker->Promise());
  handle.Set("cancel", Napi::Function::New(env, [cancel](const Napi::CallbackInfo&) { cancel->store(true); },
                                           "cancel"));
  worker->Queue();
  return handle;
}

}  // namespace

void InitSgns(Napi::Env env, Napi::Object exports) {
  exports.Set("sgnsTrain", Napi::Function::New(env, SgnsTrain, "sgnsTrain"));
}

}  // namespace graphprof
