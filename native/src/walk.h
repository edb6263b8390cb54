#pragma once
#include <napi.h>
namespace graphprof {
void InitWalk(Napi::Env env, Napi::Object exports);
}
