// Instantiates a kernel body once per ISA: include this after defining VISAGE_ISA_BODY as the
// body header's name (a string). The body is included three times with SUFFIX (portable, avx2,
// avx512) naming its functions and VW its vector width in floats (4, 8, 16), the x86 variants
// inside the matching target pragma; the dispatcher then calls the SUFFIX-named functions.
#define SUFFIX portable
#define VW 4
#include VISAGE_ISA_BODY
#undef SUFFIX
#undef VW

#if VISAGE_X86
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define SUFFIX avx2
#define VW 8
#include VISAGE_ISA_BODY
#undef SUFFIX
#undef VW
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define SUFFIX avx512
#define VW 16
#include VISAGE_ISA_BODY
#undef SUFFIX
#undef VW
#pragma clang attribute pop
#endif

#undef VISAGE_ISA_BODY
