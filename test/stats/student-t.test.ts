import { describe, expect, it } from 'vitest'
import { normalCdf, normalTwoSidedQuantile } from '../../src/stats/normal.js'
import { tCdf, tQuantile, tTwoSidedTail } from '../../src/stats/student-t.js'

const LEVELS = [80, 90, 95, 98, 99, 99.5, 99.8]

// Two-sided critical values t* with P(|T| ≤ t*) = level, from scipy 1.17.1 `stats.t.ppf((1 + level)/2, df)`
// (the same algorithm as R's qt), 12 significant digits. The df = 1 and 2 rows also have closed
// forms, checked separately below; the ∞ row is the normal quantile (scipy `stats.norm.ppf`).
const REFERENCE: readonly (readonly [number, readonly number[]])[] = [
  [1, [3.07768353718, 6.31375151468, 12.7062047362, 31.8205159538, 63.6567411629, 127.321336469, 318.308838986]],
  [2, [1.88561808316, 2.91998558035, 4.30265272975, 6.96455673428, 9.92484320092, 14.0890472756, 22.3271247701]],
  [5, [1.47588404882, 2.01504837333, 2.57058183564, 3.36492999891, 4.03214298356, 4.77334060486, 5.89342953136]],
  [10, [1.37218364111, 1.81246112281, 2.22813885199, 2.76376945811, 3.16927267262, 3.58140620209, 4.14370049405]],
  [30, [1.31041502539, 1.69726088659, 2.0422724563, 2.4572615424, 2.74999565357, 3.02979822365, 3.38518486683]],
  [100, [1.29007476135, 1.66023432609, 1.98397151852, 2.36421736624, 2.62589052144, 2.87065152384, 3.17373949374]],
  [1000, [1.28239872146, 1.64637881729, 1.96233908083, 2.33008267476, 2.58075469807, 2.81327786049, 3.09840216391]],
  [0.5, [10.2703244102, 41.1360000929, 164.55767348, 1028.49101047, 4113.9645888, 16455.8584919, 102849.11563]],
  [2.5, [1.73025092881, 2.55821861414, 3.574654842, 5.35311117303, 7.16372813895, 9.52807820299, 13.8221931109]],
  [7.3, [1.40892231775, 1.88293001796, 2.34506673655, 2.96394044758, 3.45103165562, 3.96293209212, 4.68886599354]],
  [4.08, [1.52741447254, 2.1198930248, 2.7551062394, 3.70667726697, 4.54302887557, 5.50843580108, 7.03242774302]],
  [1e4, [1.28163622973, 1.64500601807, 1.96020123989, 2.32672083867, 2.57632104667, 2.80765701897, 3.09104751603]],
  [1e6, [1.28155241213, 1.64485515072, 1.95996635681, 2.32635160312, 2.57583422011, 2.80703999958, 3.09024045632]],
  [Infinity, [1.28155156554, 1.64485362695, 1.95996398454, 2.32634787404, 2.57582930355, 2.80703376834, 3.09023230617]],
]

describe('tQuantile', () => {
  for (const [df, values] of REFERENCE) {
    it(`matches the reference values at df = ${df}`, () => {
      values.forEach((expected, i) => {
        const level = LEVELS[i] as number
        // 1e-6 absolute, and 1e-9 relative for the large ones (df 0.5 reaches 1e5).
        expect(Math.abs(tQuantile(level, df) - expected)).toBeLessThan(Math.max(1e-6, expected * 1e-9))
      })
    })
  }

  it('matches the closed forms for df 1 and 2 to 1e-10 relative', () => {
    // df 1 is Cauchy: t* = tan(π·c/2); df 2: t* = c·√(2/(1 − c²)). Near c = 1 both amplify the
    // rounding of c itself, hence relative rather than absolute.
    const relative = (a: number, b: number): number => Math.abs(a / b - 1)
    for (const level of [50, 80, 95, 99.5, 99.99]) {
      const c = level / 100
      expect(relative(tQuantile(level, 1), Math.tan((Math.PI * c) / 2))).toBeLessThan(1e-10)
      expect(relative(tQuantile(level, 2), c * Math.sqrt(2 / (1 - c * c)))).toBeLessThan(1e-10)
    }
  })

  it('agrees with published two-sided t quantiles', () => {
    expect(tQuantile(95, 1)).toBeCloseTo(12.7062047362, 9)
    expect(tQuantile(95, 10)).toBeCloseTo(2.228138852, 9)
    expect(tQuantile(99, 30)).toBeCloseTo(2.7499956536, 9)
    expect(tQuantile(95, 1000)).toBeCloseTo(1.9623390808, 9)
  })

  it('is continuous across the switch to the asymptotic expansion at df 1000', () => {
    for (const level of LEVELS) {
      expect(tQuantile(level, 1000 * (1 + 1e-9)) - tQuantile(level, 1000)).toBeLessThan(1e-10)
      expect(tQuantile(level, 1000) - tQuantile(level, 1000 * (1 + 1e-9))).toBeLessThan(1e-10)
    }
  })

  it('decreases with df and increases with the level', () => {
    let previous = Infinity
    for (const df of [1, 1.5, 2, 3, 7.3, 20, 100, 999, 1001, 1e5, Infinity]) {
      const t = tQuantile(95, df)
      expect(t).toBeLessThan(previous)
      previous = t
    }
    previous = 0
    for (const level of [1, 10, 50, 80, 99.9, 99.999]) {
      const t = tQuantile(level, 6)
      expect(t).toBeGreaterThan(previous)
      previous = t
    }
  })

  it('rejects levels outside (0, 100) and df ≤ 0', () => {
    expect(() => tQuantile(100, 5)).toThrow(RangeError)
    expect(() => tQuantile(0, 5)).toThrow(RangeError)
    expect(() => tQuantile(95, 0)).toThrow(RangeError)
    expect(() => tQuantile(95, Number.NaN)).toThrow(RangeError)
  })
})

describe('tCdf', () => {
  it('matches reference values (scipy stats.t.cdf)', () => {
    expect(tCdf(1.5, 3)).toBeCloseTo(0.8847080673775886, 12)
    expect(tCdf(-2.2, 7.5)).toBeCloseTo(0.03059973295305805, 12)
    expect(tCdf(0.3, 0.7)).toBeCloseTo(0.5853824068143325, 12)
    expect(tCdf(2, 1e7)).toBeCloseTo(0.9772498545540785, 12)
  })

  it('inverts tQuantile', () => {
    for (const df of [1, 3.5, 10, 250, 5000]) {
      for (const level of LEVELS) {
        expect(tTwoSidedTail(tQuantile(level, df), df)).toBeCloseTo(1 - level / 100, 9)
      }
    }
  })

  it('is symmetric, 1/2 at 0, 0 and 1 at the infinities', () => {
    expect(tCdf(0, 4)).toBe(0.5)
    expect(tCdf(1.3, 4) + tCdf(-1.3, 4)).toBeCloseTo(1, 15)
    expect(tCdf(Infinity, 4)).toBe(1)
    expect(tCdf(-Infinity, 4)).toBe(0)
    expect(tCdf(Number.NaN, 4)).toBeNaN()
  })
})

describe('the normal limit', () => {
  it('matches Φ and its quantile (scipy stats.norm)', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15)
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 15)
    expect(normalTwoSidedQuantile(0.002)).toBeCloseTo(3.090232306167813, 12)
  })
})
