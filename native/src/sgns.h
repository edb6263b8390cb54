// N-API entry of the skip-gram trainer: registers `sgnsTrain` on the addon's
// exports. The model itself lives in sgns_core.h / sgns_kernel.inc.
#pragma once
#include <napi.h>
namespace graphprof {
void InitSgns(Napi::Env env, Napi::Object exports);
}
