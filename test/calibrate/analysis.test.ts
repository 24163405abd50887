import { describe, expect, it } from 'vitest'
import { analyzeCalibration } from '../../src/calibrate/analysis.js'
import { Prng } from '../../src/workloads/prng.js'

function normal(rng: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
}

const DATASETS = [
  { label: 'A', plantedPercent: 0 },
  { label: "A'", plantedPercent: 0 },
  { label: '+5%', plantedPercent: 5 },
]

/** Trials of i.i.d. normal replicates: mean 1000·(1 + effect), CV 4 %; optional per-host offset. */
function synthetic(seed: number, trials: number, replicates: number, hostSdPercent = 0): number[][][] {
  const rng = new Prng(seed)
  return Array.from({ length: trials }, () =>
    DATASETS.map((dataset) => {
      const hostMean = 1000 * (1 + dataset.plantedPercent / 100) * (1 + (hostSdPercent / 100) * normal(rng))
      return Array.from({ length: replicates }, () => hostMean * (1 + 0.04 * normal(rng)))
    }),
  )
}

describe('analyzeCalibration on synthetic data', () => {
  const iid = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials: synthetic(42, 600, 10) })

  it('finds the nominal false-positive rate for i.i.d. normal replicates', () => {
    for (const test of ['student', 'welch', 'auto'] as const) {
      const r = iid.aa.differences[test]
      expect(r.n).toBe(600)
      expect(r.rate).toBeGreaterThan(0.02)
      expect(r.rate).toBeLessThan(0.09)
      expect(r.wilson[0]).toBeLessThan(r.rate)
      expect(r.wilson[1]).toBeGreaterThan(r.rate)
    }
    expect(iid.nominalFalsePositivePercent).toBe(5)
  })

  it('sees no variance inflation, no trend and no autocorrelation', () => {
    expect(iid.noise.varianceInflation).toBeGreaterThan(0.75)
    expect(iid.noise.varianceInflation).toBeLessThan(1.3)
    expect(iid.noise.stableTrials).toBeGreaterThan(500) // CV 4 %: almost no trial draws a warning
    expect(iid.noise.varianceInflationStable).toBeLessThan(1.3)
    expect(iid.noise.pooledCvPercent).toBeCloseTo(4, 0)
    expect(iid.noise.typicalCvPercent).toBeCloseTo(4, 0)
    expect(iid.control).toBeNull()
    expect(iid.independence.drifting.rate).toBeLessThan(0.1)
    expect(iid.independence.autocorrelated.rate).toBeLessThan(0.08)
    expect(iid.independence.roundProfilePercent).toHaveLength(10)
    expect(iid.advice.join('\n')).not.toContain('not independent')
  })

  it("measures the planted effect and its power, which the t-test calculation predicts", () => {
    const planted = iid.planted[0]
    expect(planted?.measuredPercent.mean).toBeCloseTo(5, 0)
    // d = 5/4 at R = 10: noncentral t power ≈ 0.75
    expect(planted?.predictedPower).toBeGreaterThan(0.6)
    expect(Math.abs((planted?.power.student.rate ?? 0) - (planted?.predictedPower ?? 1))).toBeLessThan(0.08)
    expect(planted?.wrongDirection).toBe(0)
  })

  it('separates the wrapper overhead (control) from the planted work', () => {
    const rng = new Prng(5)
    const datasets = [...DATASETS.slice(0, 2), { label: '+0% (wrapper)', plantedPercent: 0, role: 'control' }, { label: '+10%', plantedPercent: 10 }]
    // The wrapper costs 3 %; the planted work 10 % more on top of it.
    const scale = [1, 1, 1.03, 1.133]
    const trials = Array.from({ length: 300 }, () => scale.map((k) => Array.from({ length: 10 }, () => 1000 * k * (1 + 0.04 * normal(rng)))))
    const a = analyzeCalibration({ confidence: 95, replicates: 10, datasets, trials })
    expect(a.control?.measuredPercent.mean).toBeCloseTo(3, 0)
    expect(a.planted).toHaveLength(1)
    expect(a.planted[0]?.measuredPercent.mean).toBeCloseTo(13.3, 0)
    expect(a.planted[0]?.measuredVsControlPercent?.mean).toBeCloseTo(10, 0)
  })

  it('derives the smallest detectable difference from the typical CV', () => {
    // MDE = 1.3249 σ at R = 10 (80 % power, 95 %), times CV 4 % ≈ 5.3 %
    expect(iid.power.mdePercent).toBeGreaterThan(4.5)
    expect(iid.power.mdePercent).toBeLessThan(6)
    const forTen = iid.power.replicatesFor.find((r) => r.differencePercent === 10)
    expect(forTen?.replicates).toBeGreaterThanOrEqual(3)
    expect(forTen?.replicates).toBeLessThan(6)
  })

  it('finds no host effect across sets of hosts when there is none', () => {
    const generations = Array.from({ length: 600 }, (_, i) => Math.floor(i / 10))
    const a = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials: synthetic(42, 600, 10), generations })
    expect(a.noise.hostEffect?.generations).toBe(60)
    expect(a.noise.hostEffect?.p).toBeGreaterThan(0.01)
  })

  it('detects isolates that stay apart for a whole set of hosts', () => {
    const rng = new Prng(99)
    const trials: number[][][] = []
    const generations: number[] = []
    for (let g = 0; g < 20; g++) {
      // Each host of this set runs 2 % faster or slower than nominal for all its trials.
      const shifts = DATASETS.map(() => 1 + 0.02 * normal(rng))
      for (let t = 0; t < 10; t++) {
        generations.push(g)
        trials.push(DATASETS.map((d, i) => Array.from({ length: 10 }, () => 1000 * (1 + d.plantedPercent / 100) * (shifts[i] ?? 1) * (1 + 0.04 * normal(rng)))))
      }
    }
    const a = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials, generations })
    expect(a.noise.hostEffect?.p).toBeLessThan(0.001)
    expect(a.noise.hostEffect?.betweenSdPercent).toBeGreaterThan(1.5)
    expect(a.advice.join('\n')).toContain('Sets of hosts differ persistently')
  })

  it('flags a host-level effect: inflated variance, too many false Differences, advice to isolate', () => {
    const shared = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials: synthetic(7, 300, 10, 3) })
    expect(shared.noise.varianceInflation).toBeGreaterThan(3)
    expect(shared.noise.varianceInflationStable).toBeGreaterThan(3)
    expect(shared.aa.differences.auto.wilson[0]).toBeGreaterThan(0.05)
    expect(shared.advice.join('\n')).toContain('not independent draws')
  })

  it('finds the design effect clustered replicates need, and judges with the one it is given', () => {
    // A per-host shift of 1.3 % on a 4 % replicate CV: VIF = 1 + R·(1.3/4)² ≈ 2.1 at R = 10.
    const trials = synthetic(11, 400, 10, 1.3)
    const plain = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials })
    expect(plain.aa.designEffect).toBe(1)
    expect(plain.aa.differences.auto.rate).toBeGreaterThan(0.08)
    const needed = plain.aa.designEffectNeeded
    expect(needed).not.toBeNull()
    expect(needed as number).toBeGreaterThan(1.4)
    expect(needed as number).toBeLessThan(3.2)
    expect(plain.advice.join('\n')).toContain(`run --design-effect ${needed}`)
    const judged = analyzeCalibration({ confidence: 95, replicates: 10, datasets: DATASETS, trials, designEffect: needed as number })
    expect(judged.aa.differences.auto.rate).toBeLessThanOrEqual(0.05)
    expect(judged.aa.plainAuto).toEqual(plain.aa.differences.auto)
    expect(judged.power.mdeEffectSize).toBeCloseTo(plain.power.mdeEffectSize * Math.sqrt(needed as number), 9)
    expect(judged.advice.join('\n')).not.toContain('they need about')
  })
})
