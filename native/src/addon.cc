// graphprof native addon: the hot loops (node2vec walks, skip-gram training).
// One module per concept, as better-sqlite3 does; this file only registers them.
#include <napi.h>
#include "walk.h"
#include "sgns.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  graphprof::InitWalk(env, exports);
  graphprof::InitSgns(env, exports);
  return exports;
}

NODE_API_MODULE(graphprof_native, Init)
