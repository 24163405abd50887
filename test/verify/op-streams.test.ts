// The verification streams (src/verify/op-streams.ts): reproducible from the seed, conformance
// streams expressible as traces, and both profiles exercising what they are for — every op kind,
// holes named right after they were punched, releases named again, and (differential only) the
// limit probes. Placement independence itself is what the differential and conformance tests
// check on every strategy.

import { describe, expect, it } from 'vitest'
import { parseTrace } from '../../src/workloads/trace-parser.js'
import { CONFORMANCE_PROFILE, conformanceStream, differentialProfile, randomOpStream } from '../../src/verify/op-streams.js'
import type { GeneratedStream } from '../../src/verify/op-streams.js'
import { formatTrace } from '../../src/workloads/trace-format.js'
import type { DeviceOp, DeviceOpKind } from '../../src/workloads/types.js'

const BOTH = { alloc: true, map: true }

function kinds(stream: GeneratedStream): Set<DeviceOpKind> {
  return new Set(stream.measured.map((op) => op.kind))
}

/** Lines that name a whole ALLOC run right after a DEALLOC punched a hole in it (no ALLOC/MAP between). */
function holeLines(ops: readonly DeviceOp[]): number {
  const pages = new Map<number, number>()
  const holed = new Set<number>()
  let count = 0
  for (const op of ops) {
    if (op.kind === 'alloc' || op.kind === 'map') {
      holed.clear()
      if (op.kind === 'alloc') pages.set(op.handle, op.pages)
    } else if (op.kind === 'dealloc' || op.kind === 'mmap') {
      const whole = pages.get(op.handle) ?? 0
      if (holed.has(op.handle) && op.pageOffset === 0 && op.pages === whole) count++
      else if (op.kind === 'dealloc' && op.pages > 0 && op.pages < whole) holed.add(op.handle)
    }
  }
  return count
}

describe('random op streams', () => {
  it('are the same for the same seed and differ between seeds', () => {
    expect(randomOpStream(5, differentialProfile(2000, BOTH))).toEqual(randomOpStream(5, differentialProfile(2000, BOTH)))
    expect(conformanceStream(1, 7)).toEqual(conformanceStream(1, 7))
    expect(conformanceStream(1, 7).measured).not.toEqual(conformanceStream(1, 8).measured)
  })

  it('conformance streams are short, small and survive a trace round trip', () => {
    for (let i = 0; i < 200; i++) {
      const stream = conformanceStream(3, i)
      expect(stream.measured.length).toBeGreaterThan(0)
      expect(stream.measured.length).toBeLessThanOrEqual(CONFORMANCE_PROFILE.ops + 1)
      for (const op of stream.measured) if (op.kind === 'alloc') expect(op.pages).toBeLessThanOrEqual(CONFORMANCE_PROFILE.maxPages)
      expect(parseTrace(formatTrace(stream, []), 'stream.trace').measured).toEqual(stream.measured)
    }
  })

  it('conformance streams together issue every op kind, and name fresh holes', () => {
    const all = new Set<DeviceOpKind>()
    let holes = 0
    for (let i = 0; i < 100; i++) {
      const stream = conformanceStream(1, i)
      for (const kind of kinds(stream)) all.add(kind)
      holes += holeLines(stream.measured)
    }
    expect([...all].sort()).toEqual(['alloc', 'close', 'dealloc', 'foreignMap', 'foreignUnmap', 'getOffset', 'map', 'mmap', 'munmap', 'notify', 'unmap'])
    expect(holes).toBeGreaterThan(5)
  })

  it('differential streams have the asked length before the epilogue, every kind, the probes and the close epilogue', () => {
    const stream = randomOpStream(1, differentialProfile(10_000, BOTH))
    const ops = stream.measured
    const close = ops.findIndex((op) => op.kind === 'close')
    expect(close).toBe(10_000)
    expect(kinds(stream).size).toBe(11)
    expect(ops.some((op) => op.kind === 'alloc' && op.pages === 1025)).toBe(true)
    expect(ops.some((op) => op.kind === 'map' && op.grantRefs.length === 65_537)).toBe(true)
    expect(ops.some((op) => op.kind === 'notify' && (op.byteInPage < 0 || op.byteInPage >= 4096))).toBe(true)
    expect(holeLines(ops)).toBeGreaterThan(10)
    // Every ref a map names is granted up front, but for the deliberately ungranted one.
    const granted = new Set(stream.grantedRefs)
    const named = ops.flatMap((op) => (op.kind === 'map' ? op.grantRefs : []))
    expect(new Set(named.filter((ref) => !granted.has(ref)))).toEqual(new Set([7]))
    // The tables the harness reads agree with the ops.
    for (const op of ops) if (op.kind === 'mmap') expect(stream.vmaHandle[op.vma]).toBe(op.handle)
    expect(stream.handlePages.length).toBe(stream.handles)
  })

  it('a one-sided device gets mostly its own side and a few calls of the other', () => {
    const stream = randomOpStream(2, differentialProfile(5000, { alloc: false, map: true }))
    const allocs = stream.measured.filter((op) => op.kind === 'alloc').length
    const maps = stream.measured.filter((op) => op.kind === 'map').length
    expect(allocs).toBeGreaterThan(0)
    expect(maps).toBeGreaterThan(allocs * 5)
  })
})
