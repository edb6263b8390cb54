#include "walk.h"
namespace graphprof {
void InitWalk(Napi::Env, Napi::Object) {}
}
