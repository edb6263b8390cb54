#include "job_worker.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace graphprof {
namespace {

struct ProgressReport {
  const char* phase;
  double done;
  double total;
  double seconds;
  double loss;
};

class JobWorker : public Napi::AsyncProgressWorker<ProgressReport> {
 public:
  JobWorker(Napi::Env env, const char* fn, std::unique_ptr<NativeJob> job, std::vector<Napi::ObjectReference> keep,
            Napi::Function onProgress)
      : Napi::AsyncProgressWorker<ProgressReport>(env, fn),
        fn_(fn),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        keep_(std::move(keep)),
        cancel_(std::make_shared<std::atomic<bool>>(false)) {
    if (!onProgress.IsEmpty()) onProgress_ = Napi::Persistent(onProgress);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }
  std::shared_ptr<std::atomic<bool>> CancelFlag() const { return cancel_; }

 protected:
  void Execute(const ExecutionProgress& progress) override {
    start_ = std::chrono::steady_clock::now();
    std::mutex m;
    std::condition_variable cv;
    bool finished = false;
    std::string error;
    std::thread runner([&] {
      JobStatus s;
      try {
        s = job_->Run(*cancel_, error);
      } catch (const std::bad_alloc&) {
        s = JobStatus::kFailed;
        error = "out of memory";
      } catch (const std::exception& e) {
        s = JobStatus::kFailed;
        error = e.what();
      }
      std::lock_guard<std::mutex> lock(m);
      status_ = s;
      finished = true;
      cv.notify_one();
    });
    {
      std::unique_lock<std::mutex> lock(m);
      while (!finished) {
        cv.wait_for(lock, std::chrono::milliseconds(kProgressMillis));
        if (finished) break;
        lock.unlock();
        Report(progress, false);
        lock.lock();
      }
    }
    runner.join();
    if (status_ == JobStatus::kFailed) {
      SetError(std::string(fn_) + ": " + error);
    } else if (status_ == JobStatus::kDone) {
      Report(progress, true);
    }
  }

  void OnProgress(const ProgressReport* data, size_t count) override {
    if (onProgress_.IsEmpty() || data == nullptr || count == 0) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    const ProgressReport& r = data[count - 1];
    Napi::Object report = Napi::Object::New(env);
    report.Set("phase", r.phase);
    report.Set("done", r.done);
    report.Set("total", r.total);
    report.Set("seconds", r.seconds);
    report.Set("loss", r.loss);
    onProgress_.Call({report});
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (status_ == JobStatus::kCancelled) {
      Napi::Error e = Napi::Error::New(env, std::string(fn_) + ": cancelled");
      e.Set("code", Napi::String::New(env, kCancelledCode));
      deferred_.Reject(e.Value());
      return;
    }
    Napi::Value result = job_->Result(env);
    if (env.IsExceptionPending()) {
      deferred_.Reject(env.GetAndClearPendingException().Value());
      return;
    }
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& e) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(e.Value());
  }

 private:
  // Posts the counters when they moved since the last report (or at the end).
  void Report(const ExecutionProgress& progress, bool last) {
    const JobProgress now = job_->Progress();
    if (!last && now.phase == reported_.phase && now.done == reported_.done && now.total == reported_.total) return;
    const uint64_t newPairs = now.pairs >= reported_.pairs ? now.pairs - reported_.pairs : now.pairs;
    const double newLoss = now.pairs >= reported_.pairs ? now.lossSum - reported_.lossSum : now.lossSum;
    if (newPairs > 0) lastLoss_ = newLoss / static_cast<double>(newPairs);
    ProgressReport r{now.phase, static_cast<double>(now.done), static_cast<double>(now.total),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(), lastLoss_};
    reported_ = now;
    progress.Send(&r, 1);
  }

  const char* fn_;
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<NativeJob> job_;
  std::vector<Napi::ObjectReference> keep_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  Napi::FunctionReference onProgress_;
  JobStatus status_ = JobStatus::kFailed;
  std::chrono::steady_clock::time_point start_;
  JobProgress reported_;
  double lastLoss_ = 0.0;
};

void FreeExternal(Napi::Env env, void* data, size_t* byteLength) {
  std::free(data);
  Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(*byteLength));
  delete byteLength;
}

}  // namespace

Napi::Value StartJob(Napi::Env env, const char* fn, std::unique_ptr<NativeJob> job,
                     std::vector<Napi::ObjectReference> keepAlive, Napi::Function onProgress) {
  auto* worker = new JobWorker(env, fn, std::move(job), std::move(keepAlive), onProgress);
  std::shared_ptr<std::atomic<bool>> cancel = worker->CancelFlag();
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

Napi::Uint32Array AdoptUint32Array(Napi::Env env, uint32_t* data, uint64_t count) {
  if (data == nullptr || count == 0) {
    std::free(data);
    return Napi::Uint32Array::New(env, 0);
  }
  const size_t bytes = count * sizeof(uint32_t);
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(bytes));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, data, bytes, FreeExternal, new size_t(bytes));
  return Napi::Uint32Array::New(env, count, buffer, 0);
}

}  // namespace graphprof
