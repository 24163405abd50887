import { describe, expect, it } from 'vitest'
import { GNTTAB_NR_RESERVED_ENTRIES, GrantTable } from '../../src/device/grant-table.js'

describe('GrantTable', () => {
  it('never hands out the reserved entries and counts what is in use', () => {
    const table = new GrantTable(16)
    expect(table.available()).toBe(16 - GNTTAB_NR_RESERVED_ENTRIES)
    const refs = Array.from({ length: 8 }, () => table.take())
    expect(refs).toEqual([8, 9, 10, 11, 12, 13, 14, 15])
    expect(table.available()).toBe(0)
    expect(table.inUse).toBe(8)
  })

  it('hands out fresh entries first, then the oldest released one', () => {
    const table = new GrantTable(12)
    const [a, b, c] = [table.take(), table.take(), table.take()]
    table.release(b)
    table.release(a)
    expect(table.isLive(a)).toBe(false)
    expect(table.take()).toBe(11) // the last fresh entry
    expect(table.take()).toBe(b) // then the oldest freed
    expect(table.take()).toBe(a)
    expect(table.isLive(c)).toBe(true)
    expect(table.available()).toBe(0)
  })

  it('ignores a release of an entry that is not granted', () => {
    const table = new GrantTable(12)
    const a = table.take()
    table.release(a)
    table.release(a)
    table.release(3)
    expect(table.inUse).toBe(0)
    expect(table.available()).toBe(4)
  })

  it('grows its liveness bitmap on demand up to a large table', () => {
    const table = new GrantTable(2 ** 22)
    let last = 0
    for (let i = 0; i < 5000; i++) last = table.take()
    expect(last).toBe(5007)
    expect(table.isLive(5007)).toBe(true)
    expect(table.isLive(5008)).toBe(false)
  })

  it('rejects impossible sizes', () => {
    expect(() => new GrantTable(8)).toThrow(RangeError)
    expect(() => new GrantTable(1.5)).toThrow(RangeError)
  })
})
