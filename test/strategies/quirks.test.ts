// FreeBSD's truncated comparator and the quirk names (docs/kernel-model.md §2.3).

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { QUIRK_INFO, parseQuirkWord, quirkKey, quirkNamesOn, quirkWords, resolveQuirks, truncatedCompare } from '../../src/strategies/quirks.js'
import { NO_QUIRKS } from '../../src/strategies/types.js'

/** The kernel's arithmetic, literally: u64 byte difference, low 32 bits as a signed int. */
function kernelCompare(a: number, b: number): number {
  const bytes = (BigInt(a) * 4096n - BigInt(b) * 4096n) & 0xffffffffffffffffn
  return Number(BigInt.asIntN(32, bytes))
}

describe('truncatedCompare', () => {
  it('has the sign of the kernel comparator for any two page keys below 2^52', () => {
    const page = fc.integer({ min: 0, max: OFFSET_SPACE_PAGES - 1 })
    fc.assert(
      fc.property(page, page, (a, b) => {
        expect(Math.sign(truncatedCompare(a, b))).toBe(Math.sign(kernelCompare(a, b)))
      }),
      { seed: 0x7c, numRuns: 20_000 },
    )
  })

  it('orders the top of the space before key 0 and collides keys 2^20 pages apart', () => {
    const top = OFFSET_SPACE_PAGES - 1
    expect(truncatedCompare(top, 0)).toBeLessThan(0)
    expect(truncatedCompare(0, top)).toBeGreaterThan(0)
    expect(truncatedCompare(5, 5 + 2 ** 20)).toBe(0)
    expect(truncatedCompare(2 ** 19 - 1, 0)).toBeGreaterThan(0)
    expect(truncatedCompare(2 ** 19, 0)).toBeLessThan(0) // byte difference 2^31: negative as int
  })
})

describe('quirk names', () => {
  it('maps every kebab-case name to its key and back', () => {
    expect(QUIRK_INFO.map((q) => q.name)).toEqual(['truncated-compare', 'strict-gap', 'int-page-index', 'bump-wrap', 'claim-no-merge'])
    for (const info of QUIRK_INFO) expect(quirkKey(info.name)).toBe(info.key)
    expect(quirkKey('truncatedCompare')).toBeNull()
    expect(quirkNamesOn(resolveQuirks({ bumpWrap: true, truncatedCompare: true }))).toEqual(['truncated-compare', 'bump-wrap'])
  })

  it('resolveQuirks defaults every quirk off', () => {
    expect(resolveQuirks()).toEqual(NO_QUIRKS)
    expect(resolveQuirks({ strictGap: true })).toEqual({ ...NO_QUIRKS, strictGap: true })
  })
})

describe('quirk words in a spec', () => {
  it('the kernel name switches a quirk on, the corrected name off; words spell the difference from the defaults', () => {
    expect(parseQuirkWord('truncated-compare')).toEqual({ key: 'truncatedCompare', on: true })
    expect(parseQuirkWord('exact-compare')).toEqual({ key: 'truncatedCompare', on: false })
    expect(parseQuirkWord('no-such')).toBeNull()
    const freebsd = resolveQuirks(undefined, { ...NO_QUIRKS, truncatedCompare: true })
    expect(quirkWords(freebsd, freebsd)).toEqual([])
    expect(quirkWords(resolveQuirks({ truncatedCompare: false, bumpWrap: true }, freebsd), freebsd)).toEqual(['exact-compare', 'bump-wrap'])
    expect(new Set(QUIRK_INFO.flatMap((q) => [q.name, q.fixed])).size).toBe(2 * QUIRK_INFO.length)
  })
})
