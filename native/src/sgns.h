#pragma once
#include <napi.h>
namespace graphprof {
void InitSgns(Napi::Env env, Napi::Object exports);
}
