// Reading a native job's arguments object, with one rule for every job:
//   - a missing argument or one of the wrong JS type throws a TypeError;
//   - a value of the right type that is out of range, or inconsistent with
//     another argument, throws a RangeError.
// Every message starts with the native function's name and names the argument
// and the bad value, e.g. `sgnsTrain: argument "dim" is 0; expected an integer in [1, 65536]`.
// Typed arrays that are read are kept alive (persistent references) until the
// job that borrows their memory is done: TakeKeepAlive() hands them over.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace graphprof {

class ArgReader {
 public:
  ArgReader(Napi::Env env, const char* fn) : env_(env), fn_(fn) {}

  // The arguments object: info[0]. False (TypeError pending) when absent.
  bool Open(const Napi::CallbackInfo& info);

  // Integer in [lo, hi] (exact in a double, so hi <= 2^53).
  bool Integer(const char* name, double lo, double hi, uint64_t& out);
  bool Uint32(const char* name, uint32_t lo, uint32_t hi, uint32_t& out);
  // Finite number in [lo, hi]; `exclusiveLo` makes the lower bound strict.
  bool Number(const char* name, double lo, double hi, double& out, bool exclusiveLo = false);
  bool Bool(const char* name, bool& out);

  // A typed array of element type T (uint32_t, float, uint64_t, uint8_t).
  template <typename T>
  bool Array(const char* name, T*& data, size_t& length);
  // A typed array of either type A or type B; `isA` says which it is.
  template <typename A, typename B>
  bool EitherArray(const char* name, const void*& data, size_t& length, bool& isA);
  // Like Array, but an absent (undefined) argument leaves data null and is not an error.
  template <typename T>
  bool OptionalArray(const char* name, T*& data, size_t& length);

  // The optional progress callback: info[1] when it is a function.
  Napi::Function ProgressCallback(const Napi::CallbackInfo& info) const;

  // Throws the RangeError of this function about `name` (an argument or a relation).
  bool RangeError(const std::string& message);
  bool TypeError(const std::string& message);

  std::vector<Napi::ObjectReference> TakeKeepAlive() { return std::move(keep_); }
  Napi::Env Env() const { return env_; }
  const char* Fn() const { return fn_; }

 private:
  bool Get(const char* name, Napi::Value& out);
  bool TypedArrayOf(const char* name, napi_typedarray_type type, const char* typeName, Napi::TypedArray& out);
  static napi_typedarray_type TypeOf(const uint32_t*) { return napi_uint32_array; }
  static napi_typedarray_type TypeOf(const float*) { return napi_float32_array; }
  static napi_typedarray_type TypeOf(const uint64_t*) { return napi_biguint64_array; }
  static napi_typedarray_type TypeOf(const uint8_t*) { return napi_uint8_array; }
  static const char* NameOf(const uint32_t*) { return "Uint32Array"; }
  static const char* NameOf(const float*) { return "Float32Array"; }
  static const char* NameOf(const uint64_t*) { return "BigUint64Array"; }
  static const char* NameOf(const uint8_t*) { return "Uint8Array"; }
  static void* DataOf(const Napi::TypedArray& a);

  Napi::Env env_;
  const char* fn_;
  Napi::Object args_;
  std::vector<Napi::ObjectReference> keep_;
};

template <typename T>
bool ArgReader::Array(const char* name, T*& data, size_t& length) {
  Napi::TypedArray a;
  if (!TypedArrayOf(name, TypeOf(static_cast<T*>(nullptr)), NameOf(static_cast<T*>(nullptr)), a)) return false;
  data = static_cast<T*>(DataOf(a));
  length = a.ElementLength();
  keep_.push_back(Napi::Persistent(static_cast<Napi::Object>(a)));
  return true;
}

template <typename A, typename B>
bool ArgReader::EitherArray(const char* name, const void*& data, size_t& length, bool& isA) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  const napi_typedarray_type ta = TypeOf(static_cast<A*>(nullptr)), tb = TypeOf(static_cast<B*>(nullptr));
  if (!v.IsTypedArray() || (v.As<Napi::TypedArray>().TypedArrayType() != ta &&
                            v.As<Napi::TypedArray>().TypedArrayType() != tb)) {
    return TypeError(std::string("argument \"") + name + "\" must be a " + NameOf(static_cast<A*>(nullptr)) +
                     " or a " + NameOf(static_cast<B*>(nullptr)));
  }
  const Napi::TypedArray a = v.As<Napi::TypedArray>();
  isA = a.TypedArrayType() == ta;
  data = DataOf(a);
  length = a.ElementLength();
  keep_.push_back(Napi::Persistent(static_cast<Napi::Object>(a)));
  return true;
}

template <typename T>
bool ArgReader::OptionalArray(const char* name, T*& data, size_t& length) {
  Napi::Value v;
  if (!Get(name, v)) return false;
  if (v.IsUndefined()) {
    data = nullptr;
    length = 0;
    return true;
  }
  return Array<T>(name, data, length);
}

}  // namespace graphprof
