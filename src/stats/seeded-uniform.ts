// A small seeded uniform generator for the statistics layer's resampling and simulation
// (xorshift32, Marsaglia 2003): enough for drawing indices and normal deviates, deterministic so
// that a rendered report never changes between renderings. The workloads' streams use their own
// generator (workloads/prng.ts); the statistics never reach into the workload layer for it.

/** Uniform in [0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 4294967296
  }
}

/** Standard normal deviates from a uniform generator (Box–Muller, one deviate per call). */
export function normalDeviates(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform() // (0, 1]: log(u) stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())
  }
}
