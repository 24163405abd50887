import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MINISTAT_LEVELS, isMinistatLevel, ministatCriticalValue } from '../../src/stats/ministat-table.js'
import { tQuantile } from '../../src/stats/student-t.js'
import { FIXTURE_DIR, type TTableFixture } from '../fixtures/ministat/manifest.js'

const recovered = JSON.parse(readFileSync(join(FIXTURE_DIR, 't-table.json'), 'utf8')) as TTableFixture

describe("ministat's t table", () => {
  it('equals the table recovered from the binary, for every usable df and level', () => {
    expect(recovered.levels).toEqual(MINISTAT_LEVELS)
    let checked = 0
    for (const [df, row] of Object.entries(recovered.rows)) {
      row.forEach((value, column) => {
        expect(ministatCriticalValue(MINISTAT_LEVELS[column] as number, Number(df)), `df ${df}, column ${column}`).toBe(value)
        checked++
      })
    }
    expect(checked).toBe(98 * 6) // df 4…100 and 101 (= ∞), six columns
  })

  it('holds 99.8 % values in the column labelled 99.5 %', () => {
    expect(ministatCriticalValue(99.5, 4)).toBe(7.173)
    expect(Math.round(tQuantile(99.8, 4) * 1000) / 1000).toBe(7.173)
    expect(Math.round(tQuantile(99.5, 4) * 1000) / 1000).toBe(5.598)
    expect(ministatCriticalValue(99.5, 1000)).toBe(3.09)
  })

  it('keeps the entries that are not rounded exact quantiles', () => {
    // typos at df 7, 8; truncated instead of rounded at df 9–12
    expect([7, 8, 9, 10, 11, 12].map((df) => ministatCriticalValue(99.5, df))).toEqual([4.782, 4.499, 4.296, 4.143, 4.024, 3.929])
    expect([7, 8, 9, 10, 11, 12].map((df) => Math.round(tQuantile(99.8, df) * 1000) / 1000)).toEqual([
      4.785, 4.501, 4.297, 4.144, 4.025, 3.93,
    ])
    expect(ministatCriticalValue(99.5, 1)).toBe(318.313)
  })

  it('uses the ∞ row above df 100 (and at df 0, its row 0)', () => {
    expect(ministatCriticalValue(95, 100)).toBe(1.984)
    expect(ministatCriticalValue(95, 101)).toBe(1.96)
    expect(ministatCriticalValue(95, 1e6)).toBe(1.96)
    expect(ministatCriticalValue(95, 0)).toBe(1.96)
  })

  it('knows only its six levels, matched exactly, and integer df', () => {
    expect(isMinistatLevel(99.5)).toBe(true)
    expect(isMinistatLevel(97)).toBe(false)
    expect(() => ministatCriticalValue(97, 10)).toThrow(RangeError)
    expect(() => ministatCriticalValue(95, 7.5)).toThrow(RangeError)
  })
})
