#include "spike_kernels.h"
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

enum { OUT_BLOCK = 128, IN_BLOCK = 64 };

static long min_long(long a, long b) { return a < b ? a : b; }

long spk_events_packed_count(long inputs, long outputs) {
    return (outputs + OUT_BLOCK - 1) / OUT_BLOCK * OUT_BLOCK * inputs;
}

void spk_events_pack(const float *w, long inputs, long outputs, float *packed) {
    for (long o0 = 0; o0 < outputs; o0 += OUT_BLOCK) {
        float *block = packed + o0 * inputs;
        for (long i = 0; i < inputs; i++) {
            for (long j = 0; j < OUT_BLOCK; j++) {
                block[i * OUT_BLOCK + j] = o0 + j < outputs ? w[(o0 + j) * inputs + i] : 0;
            }
        }
    }
}

int spk_events_fast(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    return 0;
#endif
}

void spk_dense_events_batch_portable(const float *x, long batch, long inputs, const float *packed, long outputs, float *out) {
    for (long o0 = 0; o0 < outputs; o0 += OUT_BLOCK) {
        long ow = min_long(OUT_BLOCK, outputs - o0);
        for (long i0 = 0; i0 < inputs; i0 += IN_BLOCK) {
            long iw = min_long(IN_BLOCK, inputs - i0);
            for (long b = 0; b < batch; b++) {
                const float *xb = x + b * inputs + i0;
                float *ob = out + b * outputs + o0;
                for (long k = 0; k < iw; k++) {
                    float xv = xb[k];
                    if (xv == 0) continue;
                    const float *w = packed + o0 * inputs + (i0 + k) * OUT_BLOCK;
                    for (long j = 0; j < ow; j++) ob[j] = fmaf(xv, w[j], ob[j]);
                }
            }
        }
    }
}

#if defined(__x86_64__)
/// Bit k set where x[k] != 0, k < n <= IN_BLOCK (64).
__attribute__((target("avx512f")))
static uint64_t nonzero_mask(const float *x, long n) {
    __m512 zero = _mm512_setzero_ps();
    uint64_t m = 0;
    for (long k = 0; k < n; k += 16) {
        long r = n - k;
        __mmask16 lanes = r >= 16 ? 0xFFFF : (__mmask16)((1u << r) - 1);
        m |= (uint64_t)_mm512_mask_cmp_ps_mask(lanes, _mm512_maskz_loadu_ps(lanes, x + k), zero, _CMP_NEQ_UQ) << k;
    }
    return m;
}

__attribute__((target("avx512f")))
static void events_avx512(const float *x, long batch, long inputs, const float *packed, long outputs, float *out) {
    for (long o0 = 0; o0 < outputs; o0 += OUT_BLOCK) {
        long ow = min_long(OUT_BLOCK, outputs - o0);
        for (long i0 = 0; i0 < inputs; i0 += IN_BLOCK) {
            long iw = min_long(IN_BLOCK, inputs - i0);
            const float *tile = packed + o0 * inputs + i0 * OUT_BLOCK;
            for (long b = 0; b < batch; b++) {
                const float *xb = x + b * inputs + i0;
                uint64_t mask = nonzero_mask(xb, iw);
                if (!mask) continue;
                float *ob = out + b * outputs + o0;
                if (ow == OUT_BLOCK) {          // a full block: OUT_BLOCK / 16 registers of sums
                    __m512 a[OUT_BLOCK / 16];
                    for (int j = 0; j < OUT_BLOCK / 16; j++) a[j] = _mm512_loadu_ps(ob + 16 * j);
                    while (mask) {
                        int k = __builtin_ctzll(mask);
                        mask &= mask - 1;
                        __m512 xv = _mm512_set1_ps(xb[k]);
                        const float *w = tile + k * OUT_BLOCK;
                        for (int j = 0; j < OUT_BLOCK / 16; j++) a[j] = _mm512_fmadd_ps(xv, _mm512_loadu_ps(w + 16 * j), a[j]);
                    }
                    for (int j = 0; j < OUT_BLOCK / 16; j++) _mm512_storeu_ps(ob + 16 * j, a[j]);
                } else {                        // the last, narrower block: a register at a time
                    for (long j = 0; j < ow; j += 16) {
                        long r = ow - j;
                        __mmask16 m = r >= 16 ? 0xFFFF : (__mmask16)((1u << r) - 1);
                        __m512 a = _mm512_maskz_loadu_ps(m, ob + j);
                        for (uint64_t bits = mask; bits; bits &= bits - 1) {
                            int k = __builtin_ctzll(bits);
                            a = _mm512_fmadd_ps(_mm512_set1_ps(xb[k]), _mm512_loadu_ps(tile + k * OUT_BLOCK + j), a);
                        }
                        _mm512_mask_storeu_ps(ob + j, m, a);
                    }
                }
            }
        }
    }
}
#endif

#if defined(__x86_64__)
__attribute__((target("avx512f")))
static long count_avx512(const float *x, long n) {
    long count = 0, k = 0;
    __m512 zero = _mm512_setzero_ps();
    for (; k + 16 <= n; k += 16) count += __builtin_popcount(_mm512_cmp_ps_mask(_mm512_loadu_ps(x + k), zero, _CMP_NEQ_UQ));
    for (; k < n; k++) count += x[k] != 0;
    return count;
}
#endif

long spk_count_nonzero(const float *x, long n) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) return count_avx512(x, n);
#endif
    long count = 0;
    for (long k = 0; k < n; k++) count += x[k] != 0;
    return count;
}

void spk_dense_events_batch(const float *x, long batch, long inputs, const float *packed, long outputs, float *out) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) { events_avx512(x, batch, inputs, packed, outputs, out); return; }
#endif
    spk_dense_events_batch_portable(x, batch, inputs, packed, outputs, out);
}
