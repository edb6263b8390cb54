#include "napi_args.h"

#include <cmath>
#include <sstream>

namespace graphprof {
namespace {

// Shortest round-trip form of a double, so messages show the value the caller passed.
std::string Show(double x) {
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

}  // namespace

bool ArgReader::TypeError(const std::string& message) {
  Napi::TypeError::New(env_, std::string(fn_) + ": " + message).ThrowAsJavaScriptException();
  return false;
}

bool ArgReader::RangeError(const std::string& message) {
  Napi::RangeError::New(env_, std::string(fn_) + ": " + message).ThrowAsJavaScriptException();
  return false;
}

bool ArgReader::Open(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject()) return TypeError("expected an arguments object");
  args_ = info[0].As<Napi::Object>();
  return true;
}

bool ArgReader::Get(const char* name, Napi::Value& out) {
  out = args_.Get(name);
  return !env_.IsExceptionPending();
}

bool ArgReader::Integer(const char* name, double lo, double hi, uint64_t& out) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  if (!v.IsNumber()) return TypeError(std::string("argument \"") + name + "\" must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < lo || d > hi || std::floor(d) != d) {
    return RangeError(std::string("argument \"") + name + "\" is " + Show(d) + "; expected an integer in [" +
                      Show(lo) + ", " + Show(hi) + "]");
  }
  out = static_cast<uint64_t>(d);
  return true;
}

bool ArgReader::Uint32(const char* name, uint32_t lo, uint32_t hi, uint32_t& out) {
  uint64_t v;
  if (!Integer(name, lo, hi, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool ArgReader::Number(const char* name, double lo, double hi, double& out, bool exclusiveLo) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  if (!v.IsNumber()) return TypeError(std::string("argument \"") + name + "\" must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < lo || d > hi || (exclusiveLo && d == lo)) {
    return RangeError(std::string("argument \"") + name + "\" is " + Show(d) + "; expected a finite number in " +
                      (exclusiveLo ? "(" : "[") + Show(lo) + ", " + Show(hi) + "]");
  }
  out = d;
  return true;
}

bool ArgReader::Bool(const char* name, bool& out) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  if (!v.IsBoolean()) return TypeError(std::string("argument \"") + name + "\" must be a boolean");
  out = v.As<Napi::Boolean>().Value();
  return true;
}

bool ArgReader::TypedArrayOf(const char* name, napi_typedarray_type type, const char* typeName,
                             Napi::TypedArray& out) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    return TypeError(std::string("argument \"") + name + "\" must be a " + typeName);
  }
  out = v.As<Napi::TypedArray>();
  return true;
}

void* ArgReader::DataOf(const Napi::TypedArray& a) {
  return static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset();
}

Napi::Function ArgReader::ProgressCallback(const Napi::CallbackInfo& info) const {
  if (info.Length() > 1 && info[1].IsFunction()) return info[1].As<Napi::Function>();
  return Napi::Function();
}

}  // namespace graphprof
