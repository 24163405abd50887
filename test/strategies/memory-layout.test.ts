// The LP64 memory model: field sums with padding reproduce the kernels' record sizes, the
// per-strategy estimate adds up its lines, and the union of store and cleanup links saves what
// the FreeBSD review said it would.

import { describe, expect, it } from 'vitest'
import { AUG_FREE_REGION, FREE_REGION, LIST_LINK, MAPLE_NODE, paddingOf, QUEUE_LINK, RB_AUG_LINK, RB_LINK, RB_LINK_UNPACKED, REFERENCE_LAYOUTS, sizeOf, XA_NODE, XEN_RANGE } from '../../src/strategies/c-layouts.js'
import { estimateMemory, layoutTable } from '../../src/strategies/memory-layout.js'
import type { LiveCounts } from '../../src/strategies/memory-layout.js'

const none: LiveCounts = { grefs: 0, gmaps: 0, gmapPages: 0, allocatorNodes: 0, grefStoreNodes: 0, gmapStoreNodes: 0 }

describe('LP64 layouts', () => {
  it('gives the link sizes of the brief: list 16, RB 24 packed / 32 with an int colour, queue 8', () => {
    expect(sizeOf(LIST_LINK)).toBe(16)
    expect(sizeOf(RB_LINK)).toBe(24)
    expect(sizeOf(RB_LINK_UNPACKED)).toBe(32)
    expect(paddingOf(RB_LINK_UNPACKED)).toBe(4)
    expect(sizeOf(QUEUE_LINK)).toBe(8)
  })

  it('makes a rangeset node 2 × unsigned long + list link = 32 B and a free region 40 B', () => {
    expect(sizeOf(XEN_RANGE)).toBe(32)
    expect(sizeOf(FREE_REGION)).toBe(40)
  })

  it('reproduces every reference kernel struct size from its fields', () => {
    for (const { layout, kernelBytes } of REFERENCE_LAYOUTS) expect(sizeOf(layout), layout.name).toBe(kernelBytes)
  })

  it('lists each layout once, and each size is the field sum plus padding', () => {
    const rows = layoutTable()
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length)
    for (const r of rows) {
      const sum = r.fields.split(' + ').reduce((s, f) => s + Number(f.slice(f.lastIndexOf(' ') + 1)), 0)
      // Unions report 0 padding and their size is the largest member, not the sum.
      if (r.name.startsWith('union')) expect(r.bytes).toBeLessThanOrEqual(sum)
      else expect(r.bytes, r.name).toBe(sum + r.padding)
    }
  })
})

describe('estimateMemory()', () => {
  it('sums its lines and divides by records and pages (rbtree grefs, rbtree allocator)', () => {
    const e = estimateMemory({ allocator: 'rbtree', grefStore: 'rbtree', gmapStore: 'rbtree' }, { ...none, grefs: 1000, allocatorNodes: 3 })
    // gref record: union{RB 24, STAILQ 8} + 32 B payload = 56 (= FreeBSD gntdev_gref); 3 free regions × 40.
    expect(e.lines.map((l) => [l.what, l.bytesEach, l.count, l.structural])).toEqual([
      ['gref links', 24, 1000, true],
      ['gref payload', 32, 1000, false],
      ['allocator nodes', 40, 3, true],
    ])
    expect(e.structuralBytes).toBe(24 * 1000 + 120)
    expect(e.totalBytes).toBe(56 * 1000 + 120)
    expect(e.totalBytes).toBe(e.lines.reduce((s, l) => s + l.bytes, 0))
    expect(e.bytesPerRecord).toBeCloseTo(56.12, 10)
    expect(e.bytesPerPage).toBe(e.bytesPerRecord)
    // Without the union the record has both links: 24 + 8 + 32 = 64, as the review predicted.
    expect(e.totalBytesWithoutUnion - e.totalBytes).toBe(8 * 1000)
  })

  it('counts gmaps per record and per page, with the per-page map ops the same for every store', () => {
    const counts: LiveCounts = { ...none, gmaps: 100, gmapPages: 1100, allocatorNodes: 0 }
    const list = estimateMemory({ allocator: 'bump', grefStore: 'list', gmapStore: 'list' }, counts)
    const tree = estimateMemory({ allocator: 'bump', grefStore: 'rbtree', gmapStore: 'rbtree' }, counts)
    // gmap record: 40 B payload + union link (list 16, tree 24); 32 B map op per page; 8 B counter.
    expect(list.totalBytes).toBe(100 * 56 + 1100 * 32 + 8)
    expect(tree.totalBytes).toBe(100 * 64 + 1100 * 32 + 8)
    expect(tree.totalBytes - list.totalBytes).toBe(100 * 8)
    expect(list.bytesPerPage).toBeCloseTo(list.totalBytes / 1100, 10)
  })

  it('charges a rangeset store its run nodes instead of per-record links', () => {
    const e = estimateMemory({ allocator: 'rangeset', grefStore: 'rangeset', gmapStore: 'rbtree' }, { ...none, grefs: 1024, grefStoreNodes: 4, allocatorNodes: 4 })
    // record 8 (cleanup link) + 32 payload = 40; 4 run nodes × 40; 4 used ranges × 32.
    expect(e.totalBytes).toBe(1024 * 40 + 4 * 40 + 4 * 32)
  })

  it('uses the kernel presets\' own records: Linux gntalloc has two list heads, Linux gntdev a 120 B map + 129 B per page', () => {
    const counts: LiveCounts = { ...none, grefs: 10, gmaps: 2, gmapPages: 22 }
    const kinds = { allocator: 'linux-gmap-list', grefStore: 'list', gmapStore: 'linux-gmap-list' }
    const gntdev = estimateMemory(kinds, { ...counts, grefs: 0 }, 'linux-gntdev')
    expect(gntdev.totalBytes).toBe(2 * 120 + 22 * 129)
    expect(gntdev.structuralBytes).toBe(2 * 16)
    const gntalloc = estimateMemory({ allocator: 'bump', grefStore: 'list', gmapStore: 'list' }, { ...counts, gmaps: 0, gmapPages: 0 }, 'linux-gntalloc:bumpWrap')
    expect(gntalloc.totalBytes).toBe(10 * 64 + 8)
    expect(gntalloc.structuralBytesPerRecord).toBeCloseTo((10 * 32 + 8) / 10, 10)
    // The same kinds without the preset name get the neutral union model: 16 + 32.
    expect(estimateMemory({ allocator: 'bump', grefStore: 'list', gmapStore: 'list' }, { ...counts, gmaps: 0, gmapPages: 0 }).totalBytes).toBe(10 * 48 + 8)
  })

  it('marks unknown kinds NaN instead of guessing', () => {
    const e = estimateMemory({ allocator: 'mystery', grefStore: 'skiplist', gmapStore: 'list' }, { ...none, grefs: 1, allocatorNodes: 2 })
    expect(e.totalBytes).toBeNaN()
    expect(e.unknownKinds).toEqual(["gref store 'skiplist'", "allocator 'mystery'"])
  })
})

describe('issue-15 layouts', () => {
  it('sizes the augmented link 32 B, the augmented free region 48 B, xa_node 576 B and a maple node 256 B', () => {
    expect(sizeOf(RB_AUG_LINK)).toBe(32)
    expect(sizeOf(AUG_FREE_REGION)).toBe(48)
    expect(sizeOf(XA_NODE)).toBe(576)
    expect(sizeOf(MAPLE_NODE)).toBe(256)
  })

  it('models every issue-15 kind (no unknown kinds), nodes from the structures themselves', () => {
    const counts: LiveCounts = { grefs: 1000, gmaps: 10, gmapPages: 100, allocatorNodes: 5, grefStoreNodes: 17, gmapStoreNodes: 0 }
    const xarray = estimateMemory({ allocator: 'augtree', grefStore: 'xarray', gmapStore: 'augtree' }, counts)
    expect(xarray.unknownKinds).toEqual([])
    expect(xarray.lines.find((l) => l.what === 'gref index nodes')).toMatchObject({ count: 17, bytesEach: 576 })
    expect(xarray.lines.find((l) => l.what === 'gmap links')?.bytesEach).toBe(32)
    expect(xarray.lines.find((l) => l.what === 'allocator nodes')?.bytesEach).toBe(48)
    const maple = estimateMemory({ allocator: 'maple', grefStore: 'xarray', gmapStore: 'maple' }, counts, 'maple')
    expect(maple.unknownKinds).toEqual([])
    expect(maple.lines.find((l) => l.what === 'allocator nodes')).toMatchObject({ count: 5, bytesEach: 256 })
    expect(maple.lines.find((l) => l.what === 'gmap index nodes')).toBeUndefined()
  })
})
