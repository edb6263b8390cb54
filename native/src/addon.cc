// graphprof native addon: the hot loops (node2vec walks, skip-gram training,
// and the two streamed together). One module per concept, as better-sqlite3
// does; this file only registers them. Every entry point reads its arguments
// with ArgReader (napi_args.h) and runs through StartJob (job_worker.h).
#include <napi.h>

#include "bindings.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  graphprof::InitWalk(env, exports);
  graphprof::InitSgns(env, exports);
  graphprof::InitNode2Vec(env, exports);
  return exports;
}

NODE_API_MODULE(graphprof_native, Init)
