// Seeded random numbers for the native hot loops.
// splitmix64 turns (seed, ids...) into well-mixed 64-bit seeds, so every unit of
// work (a walk, a thread's share) gets its own stream that does not depend on
// which thread runs it; xoshiro256** is the fast stream generator. Bounded
// integers use Lemire's multiply-shift with rejection, which is exact (no modulo
// bias) and almost never divides.
#pragma once
#include <cstdint>

namespace graphprof {

inline uint64_t SplitMix64Next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One-shot hash of a 64-bit value (the splitmix64 finaliser).
inline uint64_t Mix64(uint64_t x) {
  uint64_t s = x;
  return SplitMix64Next(s);
}

// Seed for a unit of work identified by up to three integers.
inline uint64_t DeriveSeed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  return Mix64(Mix64(Mix64(seed) ^ a) ^ (b * 0xd1b54a32d192ed03ULL));
}

class Xoshiro256ss {
 public:
  explicit Xoshiro256ss(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = SplitMix64Next(sm);
  }

  inline uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, n), n >= 1, from the high 32 bits of `first`
  // (callers may use the low 32 bits of `first` as an independent coin).
  inline uint32_t Below(uint32_t n, uint64_t first) {
    uint64_t m = static_cast<uint64_t>(static_cast<uint32_t>(first >> 32)) * n;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < n) {
      const uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = static_cast<uint64_t>(static_cast<uint32_t>(Next() >> 32)) * n;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }

  inline uint32_t Below(uint32_t n) { return Below(n, Next()); }

  // Uniform double in [0, 1) with 53 random bits.
  inline double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace graphprof
