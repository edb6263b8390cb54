// N-API binding of the node2vec walker: startWalks(args) takes the
// CSR typed arrays and start list, runs a WalkJob (walk_job.h) on an
// AsyncProgressWorker so the event loop stays free, and returns
// { promise, cancel }. The promise resolves to { cancelled, tokens, lengths };
// the corpus buffers are handed to JS as external ArrayBuffers (no copy).
// cancel() sets an atomic flag the walk threads poll between blocks of walks.
#include "walk.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "walk_job.h"

namespace graphprof {
namespace {

constexpr const char* kFn = "startWalks";

bool Fail(Napi::Env env, const std::string& what) {
  Napi::TypeError::New(env, std::string(kFn) + ": " + what).ThrowAsJavaScriptException();
  return false;
}

bool GetTypedArray(Napi::Env env, const Napi::Object& args, const char* name, napi_typedarray_type type,
                   Napi::TypedArray& out) {
  const Napi::Value value = args.Get(name);
  if (env.IsExceptionPending()) return false;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    return Fail(env, std::string("argument \"") + name + "\" has the wrong typed-array type");
  }
  out = value.As<Napi::TypedArray>();
  return true;
}

bool GetNumber(Napi::Env env, const Napi::Object& args, const char* name, double lo, double hi, bool integer,
               double& out) {
  const Napi::Value value = args.Get(name);
  if (env.IsExceptionPending()) return false;
  if (!value.IsNumber()) return Fail(env, std::string("argument \"") + name + "\" must be a number");
  out = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(out) || out < lo || out > hi || (integer && std::floor(out) != out)) {
    return Fail(env, std::string("argument \"") + name + "\" is " + std::to_string(out) + ", out of range");
  }
  return true;
}

const void* DataOf(const Napi::TypedArray& a) {
  return static_cast<const uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset();
}

void FreeExternal(Napi::Env env, void* data, size_t* byteLength) {
  std::free(data);
  Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(*byteLength));
  delete byteLength;
}

// Hands a malloc'd buffer to JS as a Uint32Array without copying.
Napi::Uint32Array ToUint32Array(Napi::Env env, uint32_t* data, uint64_t count) {
  if (data == nullptr || count == 0) {
    std::free(data);
    return Napi::Uint32Array::New(env, 0);
  }
  const size_t bytes = count * sizeof(uint32_t);
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(bytes));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, data, bytes, FreeExternal, new size_t(bytes));
  return Napi::Uint32Array::New(env, count, buffer, 0);
}

// Everything the job needs, read from the JS arguments object.
struct WalkArgs {
  Napi::TypedArray offsets, targets, weights, starts;
  Napi::Value onProgress;
  bool wideOffsets = false;
  uint32_t nodeCount = 0;
  WalkSettings settings;
};

// Reads and checks the arguments; false (with a JS exception pending) on error.
bool ParseArgs(Napi::Env env, const Napi::Object& args, WalkArgs& out) {
  const Napi::Value offsetsValue = args.Get("offsets");
  if (env.IsExceptionPending()) return false;
  if (!offsetsValue.IsTypedArray()) return Fail(env, "argument \"offsets\" must be a Uint32Array or BigUint64Array");
  out.offsets = offsetsValue.As<Napi::TypedArray>();
  out.wideOffsets = out.offsets.TypedArrayType() == napi_biguint64_array;
  if (!out.wideOffsets && out.offsets.TypedArrayType() != napi_uint32_array) {
    return Fail(env, "argument \"offsets\" must be a Uint32Array or BigUint64Array");
  }
  if (!GetTypedArray(env, args, "targets", napi_uint32_array, out.targets) ||
      !GetTypedArray(env, args, "weights", napi_float32_array, out.weights) ||
      !GetTypedArray(env, args, "starts", napi_uint32_array, out.starts)) {
    return false;
  }
  double nodeCount, p, q, walkLength, walksPerNode, seed, threads;
  if (!GetNumber(env, args, "nodeCount", 0, 4294967295.0, true, nodeCount) ||
      !GetNumber(env, args, "p", 0, HUGE_VAL, false, p) || !GetNumber(env, args, "q", 0, HUGE_VAL, false, q) ||
      !GetNumber(env, args, "walkLength", 1, 4294967295.0, true, walkLength) ||
      !GetNumber(env, args, "walksPerNode", 1, 4294967295.0, true, walksPerNode) ||
      !GetNumber(env, args, "seed", 0, 9007199254740991.0, true, seed) ||
      !GetNumber(env, args, "threads", 1, 4096, true, threads)) {
    return false;
  }
  if (p <= 0 || q <= 0) return Fail(env, "arguments \"p\" and \"q\" must be > 0");
  if (out.offsets.ElementLength() != static_cast<size_t>(nodeCount) + 1) {
    return Fail(env, "offsets has " + std::to_string(out.offsets.ElementLength()) + " entries, expected nodeCount + 1");
  }
  if (out.weights.ElementLength() != out.targets.ElementLength()) {
    return Fail(env, "weights and targets differ in length");
  }
  const double slots = static_cast<double>(out.starts.ElementLength()) * walksPerNode * walkLength;
  if (slots > 4294967295.0) return Fail(env, "the corpus would exceed 2^32-1 tokens");
  const Napi::Value directed = args.Get("directed");
  if (env.IsExceptionPending()) return false;
  if (!directed.IsBoolean()) return Fail(env, "argument \"directed\" must be a boolean");
  out.settings.directed = directed.As<Napi::Boolean>().Value();
  out.onProgress = args.Get("onProgress");
  if (env.IsExceptionPending()) return false;
  out.nodeCount = static_cast<uint32_t>(nodeCount);
  out.settings.p = p;
  out.settings.q = q;
  out.settings.walkLength = static_cast<uint32_t>(walkLength);
  out.settings.walksPerNode = static_cast<uint32_t>(walksPerNode);
  out.settings.seed = static_cast<uint64_t>(seed);
  out.settings.threads = static_cast<uint32_t>(threads);
  return true;
}

class WalkWorker : public Napi::AsyncProgressWorker<uint64_t> {
 public:
  WalkWorker(Napi::Env env, const WalkArgs& args, std::shared_ptr<std::atomic<bool>> cancel)
      : Napi::AsyncProgressWorker<uint64_t>(env, "graphprof.walk"),
        deferred_(Napi::Promise::Deferred::New(env)),
        cancel_(std::move(cancel)),
        wideOffsets_(args.wideOffsets),
        offsets_(DataOf(args.offsets)),
        targets_(static_cast<const uint32_t*>(DataOf(args.targets))),
        weights_(static_cast<const float*>(DataOf(args.weights))),
        targetsLength_(args.targets.ElementLength()),
        nodeCount_(args.nodeCount),
        starts_(static_cast<const uint32_t*>(DataOf(args.starts))),
        startCount_(args.starts.ElementLength()),
        settings_(args.settings),
        total_(static_cast<uint64_t>(startCount_) * args.settings.walksPerNode) {
    // The arrays must outlive the job: hold them until the worker is deleted.
    for (const Napi::TypedArray& a : {args.offsets, args.targets, args.weights, args.starts}) {
      keep_.push_back(Napi::Persistent(static_cast<Napi::Object>(a)));
    }
    if (args.onProgress.IsFunction()) progress_ = Napi::Persistent(args.onProgress.As<Napi::Function>());
  }

  ~WalkWorker() override {
    std::free(out_.tokens);
    std::free(out_.lengths);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute(const ExecutionProgress& progress) override {
    if (wideOffsets_) {
      Run(static_cast<const uint64_t*>(offsets_), progress);
    } else {
      Run(static_cast<const uint32_t*>(offsets_), progress);
    }
  }

  void OnProgress(const uint64_t* done, size_t count) override {
    if (progress_.IsEmpty() || count == 0) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    progress_.Call({Napi::Number::New(env, static_cast<double>(done[0])),
                    Napi::Number::New(env, static_cast<double>(total_))});
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Napi::Object result = Napi::Object::New(env);
    result.Set("cancelled", Napi::Boolean::New(env, cancelled_));
    if (!cancelled_) {
      result.Set("tokens", ToUint32Array(env, out_.tokens, out_.tokenCount));
      result.Set("lengths", ToUint32Array(env, out_.lengths, out_.walkCount));
      out_.tokens = nullptr;
      out_.lengths = nullptr;
    }
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& e) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(e.Value());
  }

 private:
  template <typename Off>
  void Run(const Off* offsets, const ExecutionProgress& progress) {
    CsrView<Off> g;
    g.offsets = offsets;
    g.targets = targets_;
    g.weights = weights_;
    g.nodeCount = nodeCount_;
    WalkJob<Off> job(g, targetsLength_, starts_, startCount_, settings_, *cancel_);
    const auto tick = [&] {
      const uint64_t done = job.WalksDone();
      progress.Send(&done, 1);
    };
    std::string error;
    JobStatus status;
    try {
      status = job.Run(tick, out_, error);
    } catch (const std::exception& e) {
      status = JobStatus::kFailed;
      error = e.what();
    }
    if (status == JobStatus::kFailed) {
      SetError(std::string(kFn) + ": " + error);
    } else if (status == JobStatus::kCancelled) {
      cancelled_ = true;
    } else {
      tick();
    }
  }

  Napi::Promise::Deferred deferred_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::vector<Napi::ObjectReference> keep_;
  Napi::FunctionReference progress_;
  const bool wideOffsets_;
  const void* offsets_;
  const uint32_t* targets_;
  const float* weights_;
  const uint64_t targetsLength_;
  const uint32_t nodeCount_;
  const uint32_t* starts_;
  const uint64_t startCount_;
  const WalkSettings settings_;
  const uint64_t total_;
  WalkCorpusBuffers out_;
  bool cancelled_ = false;
};

Napi::Value StartWalks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Fail(env, "expected an arguments object");
    return env.Undefined();
  }
  WalkArgs args;
  if (!ParseArgs(env, info[0].As<Napi::Object>(), args)) return env.Undefined();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto* worker = new WalkWorker(env, args, cancel);
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("promise", worker->Promise());
  handle.Set("cancel", Napi::Function::New(
                           env,
                           [cancel](const Napi::CallbackInfo& call) -> Napi::Value {
                             cancel->store(true);
                             return call.Env().Undefined();
                           },
                           "cancel"));
  worker->Queue();
  return handle;
}

}  // namespace

void InitWalk(Napi::Env env, Napi::Object exports) {
  exports.Set("startWalks", Napi::Function::New(env, StartWalks, "startWalks"));
}

}  // namespace graphprof
