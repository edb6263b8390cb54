// The one way a native job runs off the JS thread (N-API side).
//
// StartJob(env, fn, job, keepAlive, onProgress) queues `job` and returns
// { promise, cancel } at once:
//   - the job's Run() executes on a worker thread (and the threads it starts);
//   - the worker thread's progress loop wakes every kProgressMillis, reads the
//     job's counters (Progress()) and, when they changed, posts one report to
//     the JS thread: onProgress({ phase, done, total, seconds, loss }), loss
//     being the mean pair loss since the previous report (0 when not a
//     skip-gram phase). The JS thread only wakes for these reports, so it idles
//     while native work runs;
//   - cancel() sets the job's atomic flag; a job that sees it returns
//     kCancelled and the promise REJECTS with an Error whose `code` is
//     "GRAPHPROF_CANCELLED" (runNativeJob in src/native.ts maps it to
//     AbortedError). A job that had already finished resolves normally;
//   - a failure rejects with an Error "fn: message"; on success the promise
//     resolves to job.Result(env), built on the JS thread.
// The typed arrays the job borrows stay referenced until the job is destroyed.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "job.h"

namespace graphprof {

constexpr int kProgressMillis = 200;
constexpr const char* kCancelledCode = "GRAPHPROF_CANCELLED";

class NativeJob {
 public:
  virtual ~NativeJob() = default;
  // On the worker thread. Returns kFailed with `error` set, kCancelled when it
  // stopped because `cancel` was set, else kDone.
  virtual JobStatus Run(const std::atomic<bool>& cancel, std::string& error) = 0;
  // On the progress loop, while Run runs: a snapshot of the job's counters.
  virtual JobProgress Progress() const = 0;
  // On the JS thread, after Run returned kDone.
  virtual Napi::Value Result(Napi::Env env) = 0;
};

Napi::Value StartJob(Napi::Env env, const char* fn, std::unique_ptr<NativeJob> job,
                     std::vector<Napi::ObjectReference> keepAlive, Napi::Function onProgress);

// Hands a malloc'd buffer to JS as a Uint32Array without copying (the
// ArrayBuffer frees it); null or empty buffers give an empty array.
Napi::Uint32Array AdoptUint32Array(Napi::Env env, uint32_t* data, uint64_t count);

}  // namespace graphprof
