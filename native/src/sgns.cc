#include "sgns.h"
namespace graphprof {
void InitSgns(Napi::Env, Napi::Object) {}
}
