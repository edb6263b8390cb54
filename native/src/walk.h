// Node2vec random walker: registers startWalks on the addon's exports
// (binding in walk.cc; algorithm in walk_node2vec.h, job in walk_job.h).
#pragma once
#include <napi.h>
namespace graphprof {
void InitWalk(Napi::Env env, Napi::Object exports);
}
