// Memory for the walker's randomly read arrays, on transparent huge pages where
// the kernel offers them.
//
// Why: every step reads a random row of an array of megabytes (targets, alias
// slots, membership tables). With 4 KiB pages nearly every such read also
// misses the TLB (a 1M-edge graph's targets span 2,000 pages), which on a
// virtual machine costs a nested page walk; on 2 MiB pages it mostly goes
// away (measured on the 1M-edge bench graph, 2 threads, p = q = 1: 84 -> 111M
// steps/s from the CSR's pages alone). Linux with transparent_hugepage
// "madvise" or "always" honours the advice; elsewhere it is ignored and the
// memory is ordinary.
//
// Memory comes from std::aligned_alloc, so std::free accepts it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace graphprof {

constexpr size_t kHugePage = size_t{2} << 20;

// `bytes` of uninitialised memory (nullptr if out of memory), advised onto
// huge pages when it spans at least one; smaller requests are plain malloc.
inline void* AllocateHuge(size_t bytes) {
  if (bytes < kHugePage) return std::malloc(bytes == 0 ? 1 : bytes);
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (p != nullptr) madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure leaves ordinary pages
#endif
  return p;
}

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

// An owned array of n T on huge pages (T trivially constructible: the
// contents are uninitialised).
template <typename T>
using HugeArray = std::unique_ptr<T[], FreeDeleter>;

template <typename T>
HugeArray<T> AllocateHugeArray(uint64_t n) {
  return HugeArray<T>(static_cast<T*>(AllocateHuge(static_cast<size_t>(n) * sizeof(T))));
}

}  // namespace graphprof
