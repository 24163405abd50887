// ministat's Student-t table, for compat mode only: rows df = 1…100 plus an "∞" row that it
// also uses for every df > 100 (and, by indexing row 0, for df = 0), columns labelled
// 80, 90, 95, 98, 99 and 99.5 % two-sided confidence.
//
// The values are not copied from ministat's source: they are computed — the exact quantile
// (student-t.ts) rounded to three decimals — and then bent to what Debian's binary actually
// uses, recovered by running it (test/fixtures/ministat/generate.ts recovers all 97 usable rows
// and the ∞ row; test/stats/ministat-table.test.ts compares). What the binary does differently:
// * the column labelled 99.5 % holds two-sided **99.8 %** values (one-sided 0.999): 7.173 at
//   df 4 where a true 99.5 % value is 5.598, and 3.090 = z(0.999) in the ∞ row;
// * in that column, df 7 and 8 hold 4.782 and 4.499 (exact 4.785, 4.501: typos), and df 9–12
//   hold 4.296, 4.143, 4.024, 3.929 (exact 4.29681, 4.14370, 4.02470, 3.92963: truncated, not
//   rounded). The first two are easy to spot by eye; the rest need the exact values;
// * rows 1–3 can never be used by the binary (each dataset needs 3 points, so df ≥ 4) and were
//   not recovered; they are computed, except df 1 in the "99.5" column, which ministat's table
//   is known to hold as 318.313 (exact 318.309).

import { tQuantile } from './student-t.js'

/** The confidence levels ministat accepts with -c, in its column order. */
export const MINISTAT_LEVELS: readonly number[] = [80, 90, 95, 98, 99, 99.5]

/** The level each column really holds. */
const TRUE_LEVELS: readonly number[] = [80, 90, 95, 98, 99, 99.8]

/** Largest df with its own row; beyond it ministat uses the ∞ row. */
const MINISTAT_TABLE_MAX_DF = 100

/** Entries of the "99.5" column (really 99.8 %) that are not the rounded exact quantile. */
const COLUMN_99_5_DEVIATIONS: ReadonlyMap<number, number> = new Map([
  [1, 318.313],
  [7, 4.782],
  [8, 4.499],
  [9, 4.296],
  [10, 4.143],
  [11, 4.024],
  [12, 3.929],
])

const cache = new Map<string, number>()

export function isMinistatLevel(confidencePercent: number): boolean {
  return MINISTAT_LEVELS.includes(confidencePercent)
}

/**
 * The critical value ministat uses for `confidencePercent` (one of MINISTAT_LEVELS, matched
 * exactly like its `-c`) at integer `df`.
 */
export function ministatCriticalValue(confidencePercent: number, df: number): number {
  const column = MINISTAT_LEVELS.indexOf(confidencePercent)
  if (column < 0) {
    throw new RangeError(`ministat has no ${confidencePercent}% column (it knows ${MINISTAT_LEVELS.join(', ')})`)
  }
  if (!Number.isInteger(df)) throw new RangeError(`ministat's table has integer rows only, got df ${df}`)
  // Row 0 is the ∞ row, so df ≤ 0 lands there too, as in ministat.
  const row = df > MINISTAT_TABLE_MAX_DF || df <= 0 ? Infinity : df
  const key = `${column}:${row}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const deviation = column === 5 ? COLUMN_99_5_DEVIATIONS.get(row) : undefined
  const level = TRUE_LEVELS[column] as number
  const value = deviation ?? Math.round(tQuantile(level, row) * 1000) / 1000
  cache.set(key, value)
  return value
}
