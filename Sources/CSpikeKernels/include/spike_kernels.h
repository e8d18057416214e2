// Kernels written in C because they need instructions Swift's baseline build does not emit
// (AVX-512), chosen at run time by the CPU they run on.
#ifndef SPIKE_KERNELS_H
#define SPIKE_KERNELS_H

/// 1 when this CPU runs the AVX-512 event kernel, else 0 (callers then keep their dense product).
int spk_events_fast(void);

/// Floats of the packed weights of a layer with I inputs and O outputs: ceil(O / 128)·128·I.
long spk_events_packed_count(long inputs, long outputs);

/// Packs W (O, I) row-major (PyTorch's layout) into the event kernel's: for each block of 128
/// outputs, I rows of 128 weights (the last block zero-padded), so that a tile of 64 inputs is
/// one contiguous 32 KiB piece.
void spk_events_pack(const float *w, long inputs, long outputs, float *packed);

/// out (B, O) += Σ_i x[b, i]·W[:, i] over the nonzero x[b, i] only, W packed by `spk_events_pack`:
/// the product of a batch of mostly-zero (spike) inputs with a weight matrix. For each output the
/// terms are added in increasing i, each as one fused multiply-add (exact for x = 1). The work is
/// cut into tiles of 64 inputs × 128 outputs, so the tile stays in the L1 cache while every
/// sample of the batch adds its active rows; AVX-512 when the CPU has it, plain C otherwise.
void spk_dense_events_batch(const float *x, long batch, long inputs, const float *packed, long outputs, float *out);

/// Number of nonzero values among x[0..<n] (what decides between the event and the dense product).
long spk_count_nonzero(const float *x, long n);

/// The same sums in the same order in plain C (what `spk_dense_events_batch` runs without AVX-512);
/// exposed so that tests compare the two.
void spk_dense_events_batch_portable(const float *x, long batch, long inputs, const float *packed, long outputs, float *out);

#endif
