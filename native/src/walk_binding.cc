// N-API binding of the node2vec walker: startWalks(args, onProgress?) runs a
// WalkCorpusJob (walk_job.h) through StartJob (job_worker.h) and returns
// { promise, cancel }; the promise resolves to { tokens, lengths }, buffers
// handed to JS as external ArrayBuffers (no copy). Progress: phase "walks",
// done/total in walks.
#include <cmath>
#include <memory>
#include <string>

#include "bindings.h"
#include "job_worker.h"

namespace graphprof {

bool ReadWalkArgs(ArgReader& r, WalkArgs& out, double maxSlots, const char* seedKey, const char* threadsKey) {
  double p, q;
  uint64_t seed;
  size_t offsetsLength = 0;
  bool narrowOffsets = true;
  if (!r.EitherArray<uint32_t, uint64_t>("offsets", out.offsets, offsetsLength, narrowOffsets)) return false;
  out.wideOffsets = !narrowOffsets;
  size_t weightsLength = 0;
  float* weights = nullptr;
  uint32_t* targets = nullptr;
  uint32_t* starts = nullptr;
  bool directed = false;
  if (!r.Array<uint32_t>("targets", targets, out.targetsLength) || !r.Array<float>("weights", weights, weightsLength) ||
      !r.Array<uint32_t>("starts", starts, out.startCount) || !r.Uint32("nodeCount", 0, 0xffffffffu, out.nodeCount) ||
      !r.Bool("directed", directed) || !r.Number("p", 0, HUGE_VAL, p, true) || !r.Number("q", 0, HUGE_VAL, q, true) ||
      !r.Uint32("walkLength", 1, 0xffffffffu, out.settings.walkLength) ||
      !r.Uint32("walksPerNode", 1, 0xffffffffu, out.settings.walksPerNode) ||
      !r.Integer(seedKey, 0, 9007199254740991.0, seed) || !r.Uint32(threadsKey, 1, 4096, out.settings.threads)) {
    return false;
  }
  if (offsetsLength != static_cast<size_t>(out.nodeCount) + 1) {
    return r.RangeError("offsets has " + std::to_string(offsetsLength) + " entries, expected nodeCount + 1 = " +
                        std::to_string(static_cast<uint64_t>(out.nodeCount) + 1));
  }
  if (weightsLength != out.targetsLength) {
    return r.RangeError("weights has " + std::to_string(weightsLength) + " entries but targets has " +
                        std::to_string(out.targetsLength));
  }
  const double slots = static_cast<double>(out.startCount) * out.settings.walksPerNode * out.settings.walkLength;
  if (slots > maxSlots) {
    return r.RangeError("starts x walksPerNode x walkLength is " + std::to_string(slots) + ", more than " +
                        std::to_string(maxSlots) + " tokens");
  }
  out.targets = targets;
  out.weights = weights;
  out.starts = starts;
  out.settings.p = p;
  out.settings.q = q;
  out.settings.seed = seed;
  out.settings.directed = directed;
  return true;
}

namespace {

constexpr const char* kFn = "startWalks";

template <typename Off>
class WalkBinding final : public NativeJob {
 public:
  WalkBinding(const CsrView<Off>& g, const WalkArgs& a)
      : g_(g), targetsLength_(a.targetsLength), starts_(a.starts), startCount_(a.startCount), settings_(a.settings) {}

  ~WalkBinding() override {
    std::free(out_.tokens);
    std::free(out_.lengths);
  }

  JobStatus Run(const std::atomic<bool>& cancel, std::string& error) override {
    job_ = std::make_unique<WalkCorpusJob<Off>>(g_, targetsLength_, starts_, startCount_, settings_, cancel);
    ready_.store(true, std::memory_order_release);
    return job_->Run(out_, error);
  }

  JobProgress Progress() const override {
    JobProgress p;
    p.phase = "walks";
    p.total = startCount_ * settings_.walksPerNode;
    if (ready_.load(std::memory_order_acquire)) p.done = job_->WalksDone();
    return p;
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object result = Napi::Object::New(env);
    result.Set("tokens", AdoptUint32Array(env, out_.tokens, out_.tokenCount));
    result.Set("lengths", AdoptUint32Array(env, out_.lengths, out_.walkCount));
    out_.tokens = nullptr;
    out_.lengths = nullptr;
    return result;
  }

 private:
  const CsrView<Off> g_;
  const uint64_t targetsLength_;
  const uint32_t* starts_;
  const uint64_t startCount_;
  const WalkSettings settings_;
  std::unique_ptr<WalkCorpusJob<Off>> job_;
  std::atomic<bool> ready_{false};
  WalkCorpusBuffers out_;
};

Napi::Value StartWalks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ArgReader r(env, kFn);
  WalkArgs args;
  if (!r.Open(info) || !ReadWalkArgs(r, args, 4294967295.0)) return env.Undefined();
  std::unique_ptr<NativeJob> job = args.WithCsr([&](const auto& g) -> std::unique_ptr<NativeJob> {
    using Off = std::remove_const_t<std::remove_pointer_t<decltype(g.offsets)>>;
    return std::make_unique<WalkBinding<Off>>(g, args);
  });
  return StartJob(env, kFn, std::move(job), r.TakeKeepAlive(), r.ProgressCallback(info));
}

}  // namespace

void InitWalk(Napi::Env env, Napi::Object exports) {
  exports.Set("startWalks", Napi::Function::New(env, StartWalks, "startWalks"));
}

}  // namespace graphprof
