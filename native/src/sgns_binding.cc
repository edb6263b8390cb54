// N-API binding of the skip-gram trainer over a corpus in memory:
// sgnsTrain(args, onProgress?) -> { promise, cancel } (job_worker.h).
// args: tokens, lengths (Uint32Array), nodeCount, input, output (Float32Array
// nodeCount x dim, trained in place), exclude (optional Uint8Array, nodeCount),
// randomInit, and the configuration read by ReadSgnsConfig. Resolves to
// { words, pairs, loss, vocabulary, seconds }. Progress: phase "train",
// done/total in corpus tokens over all epochs.
#include <chrono>
#include <memory>
#include <string>

#include "bindings.h"
#include "job_worker.h"

namespace graphprof {

bool ReadSgnsConfig(ArgReader& r, sgns::Config& cfg) {
  return r.Uint32("dim", 1, 65536, cfg.dim) && r.Uint32("window", 1, 65536, cfg.window) &&
         r.Uint32("negative", 1, 1000, cfg.negative) && r.Uint32("epochs", 1, 100000, cfg.epochs) &&
         r.Number("alpha", 0, 1e6, cfg.alpha, true) && r.Number("minAlpha", 0, cfg.alpha, cfg.minAlpha) &&
         r.Number("sample", 0, 1, cfg.sample) && r.Integer("seed", 0, 9007199254740991.0, cfg.seed) &&
         r.Uint32("threads", 1, 4096, cfg.threads) && r.Uint32("minCount", 0, 0xffffffffu, cfg.minCount);
}

// The matrices (and optional exclusion mask) of a training job, checked
// against nodeCount x dim.
bool ReadSgnsMatrices(ArgReader& r, uint32_t nodeCount, uint32_t dim, float*& input, float*& output,
                      const uint8_t*& exclude) {
  size_t inputLength = 0, outputLength = 0, excludeLength = 0;
  uint8_t* mask = nullptr;
  if (!r.Array<float>("input", input, inputLength) || !r.Array<float>("output", output, outputLength) ||
      !r.OptionalArray<uint8_t>("exclude", mask, excludeLength)) {
    return false;
  }
  const size_t expected = static_cast<size_t>(nodeCount) * dim;
  if (inputLength != expected || outputLength != expected) {
    return r.RangeError("input and output must hold nodeCount x dim = " + std::to_string(expected) + " floats (got " +
                        std::to_string(inputLength) + " and " + std::to_string(outputLength) + ")");
  }
  if (mask != nullptr && excludeLength != nodeCount) {
    return r.RangeError("exclude has " + std::to_string(excludeLength) + " entries, expected nodeCount = " +
                        std::to_string(nodeCount));
  }
  exclude = mask;
  return true;
}

Napi::Object SgnsStatsToJs(Napi::Env env, const sgns::Stats& s, double seconds) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("words", static_cast<double>(s.words));
  o.Set("pairs", static_cast<double>(s.pairs));
  o.Set("loss", s.pairs > 0 ? s.lossSum / static_cast<double>(s.pairs) : 0.0);
  o.Set("vocabulary", static_cast<double>(s.vocabulary));
  o.Set("seconds", seconds);
  return o;
}

namespace {

constexpr const char* kFn = "sgnsTrain";

class SgnsBinding final : public NativeJob {
 public:
  SgnsBinding(const sgns::Config& cfg, uint32_t nodeCount, float* input, float* output, const uint8_t* exclude,
              sgns::PackedCorpus corpus)
      : nodeCount_(nodeCount), corpus_(corpus), trainer_(cfg, nodeCount, input, output, exclude) {}

  JobStatus Run(const std::atomic<bool>& cancel, std::string& error) override {
    const auto start = std::chrono::steady_clock::now();
    sgns::CorpusStats stats;
    error = corpus_.Stats(nodeCount_, stats);
    if (!error.empty()) return JobStatus::kFailed;
    trainer_.Prepare(std::move(stats));
    ready_.store(true, std::memory_order_release);
    const JobStatus status = trainer_.Train(corpus_, cancel);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return status;
  }

  JobProgress Progress() const override {
    if (!ready_.load(std::memory_order_acquire)) return JobProgress{"train"};
    return trainer_.Progress();
  }

  Napi::Value Result(Napi::Env env) override { return SgnsStatsToJs(env, trainer_.Totals(), seconds_); }

 private:
  const uint32_t nodeCount_;
  sgns::PackedCorpus corpus_;
  sgns::Trainer trainer_;
  std::atomic<bool> ready_{false};
  double seconds_ = 0.0;
};

Napi::Value SgnsTrain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ArgReader r(env, kFn);
  sgns::Config cfg;
  uint32_t nodeCount = 0;
  uint32_t* tokens = nullptr;
  uint32_t* lengths = nullptr;
  size_t tokenCount = 0, walkCount = 0;
  float* input = nullptr;
  float* output = nullptr;
  const uint8_t* exclude = nullptr;
  if (!r.Open(info) || !ReadSgnsConfig(r, cfg) || !r.Uint32("nodeCount", 0, 0xffffffffu, nodeCount) ||
      !r.Bool("randomInit", cfg.randomInit) || !r.Array<uint32_t>("tokens", tokens, tokenCount) ||
      !r.Array<uint32_t>("lengths", lengths, walkCount) ||
      !ReadSgnsMatrices(r, nodeCount, cfg.dim, input, output, exclude)) {
    return env.Undefined();
  }
  auto job = std::make_unique<SgnsBinding>(cfg, nodeCount, input, output, exclude,
                                           sgns::PackedCorpus(tokens, tokenCount, lengths, walkCount));
  return StartJob(env, kFn, std::move(job), r.TakeKeepAlive(), r.ProgressCallback(info));
}

}  // namespace

void InitSgns(Napi::Env env, Napi::Object exports) {
  exports.Set("sgnsTrain", Napi::Function::New(env, SgnsTrain, "sgnsTrain"));
}

}  // namespace graphprof
