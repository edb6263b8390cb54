// N-API binding of walks streamed into skip-gram (node2vec_job.h):
// node2vecTrain(args, onProgress?) -> { promise, cancel } (job_worker.h).
// args: the walker's (ReadWalkArgs, its seed and threads as walkSeed and
// walkThreads; no 2^32-token limit, nothing is stored),
// the trainer's (ReadSgnsConfig, ReadSgnsMatrices) and randomInit. Resolves to
// the trainer's stats plus { walks, tokens (of one epoch), walkSeconds (the
// counting pass; seconds covers the whole job) }. Progress:
// phase "walks" (the counting pass, in walks), then "train" (corpus tokens
// over all epochs).
#include <chrono>
#include <memory>
#include <string>

#include "bindings.h"
#include "job_worker.h"
#include "node2vec_job.h"

namespace graphprof {
namespace {

constexpr const char* kFn = "node2vecTrain";

template <typename Off>
class Node2VecBinding final : public NativeJob {
 public:
  Node2VecBinding(const CsrView<Off>& g, const WalkArgs& walk, const sgns::Config& cfg, float* input, float* output,
                  const uint8_t* exclude)
      : g_(g), walk_(walk), cfg_(cfg), input_(input), output_(output), exclude_(exclude) {}

  JobStatus Run(const std::atomic<bool>& cancel, std::string& error) override {
    const auto start = std::chrono::steady_clock::now();
    job_ = std::make_unique<Node2VecJob<Off>>(g_, walk_.targetsLength, walk_.starts, walk_.startCount, walk_.settings,
                                              cfg_, input_, output_, exclude_, cancel);
    ready_.store(true, std::memory_order_release);
    const JobStatus status = job_->Run(error);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return status;
  }

  JobProgress Progress() const override {
    if (!ready_.load(std::memory_order_acquire)) return JobProgress{"walks"};
    return job_->Progress();
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = SgnsStatsToJs(env, job_->Totals(), seconds_);
    o.Set("walks", static_cast<double>(job_->WalkCount()));
    o.Set("tokens", static_cast<double>(job_->TokenCount()));
    o.Set("walkSeconds", job_->WalkSeconds());
    return o;
  }

 private:
  const CsrView<Off> g_;
  const WalkArgs walk_;
  const sgns::Config cfg_;
  float* input_;
  float* output_;
  const uint8_t* exclude_;
  std::unique_ptr<Node2VecJob<Off>> job_;
  std::atomic<bool> ready_{false};
  double seconds_ = 0.0;
};

Napi::Value Node2VecTrain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ArgReader r(env, kFn);
  WalkArgs walk;
  sgns::Config cfg;
  float* input = nullptr;
  float* output = nullptr;
  const uint8_t* exclude = nullptr;
  if (!r.Open(info) || !ReadWalkArgs(r, walk, 9007199254740991.0, "walkSeed", "walkThreads") || !ReadSgnsConfig(r, cfg) ||
      !r.Bool("randomInit", cfg.randomInit) || !ReadSgnsMatrices(r, walk.nodeCount, cfg.dim, input, output, exclude)) {
    return env.Undefined();
  }
  std::unique_ptr<NativeJob> job = walk.WithCsr([&](const auto& g) -> std::unique_ptr<NativeJob> {
    using Off = std::remove_const_t<std::remove_pointer_t<decltype(g.offsets)>>;
    return std::make_unique<Node2VecBinding<Off>>(g, walk, cfg, input, output, exclude);
  });
  return StartJob(env, kFn, std::move(job), r.TakeKeepAlive(), r.ProgressCallback(info));
}

}  // namespace

void InitNode2Vec(Napi::Env env, Napi::Object exports) {
  exports.Set("node2vecTrain", Napi::Function::New(env, Node2VecTrain, "node2vecTrain"));
}

}  // namespace graphprof
