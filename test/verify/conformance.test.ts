// The conformance suite of `gntbench check`: the worked example and the built-in strategies pass
// it; strategies with planted bugs (defined here) fail the right property, and the failure is
// shrunk to a few ops whose trace reproduces it.

import { describe, expect, it } from 'vitest'
import { parseTrace } from '../../src/workloads/trace-parser.js'
import { strategy as btreeStrategy } from '../../examples/btree-strategy.js'
import { PROPERTIES, runConformance } from '../../src/verify/conformance.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { withGmapStore, withGrefStore } from '../strategies/patched-stores.js'
import type { Gref, OffsetAllocator, Strategy, StrategyOptions } from '../../src/strategies/types.js'

const FAST = { streams: 120 }

/** The first failing property's shrunk trace, parsed back, still fails that property. */
function expectReproducible(report: ReturnType<typeof runConformance>, create: (options?: StrategyOptions) => Strategy): void {
  for (const property of report.properties) {
    if (property.failure === null) continue
    const trace = parseTrace(property.failure.trace, 'counterexample.trace')
    const run = PROPERTIES.find((p) => p.name === property.name)?.run
    expect(run).toBeDefined()
    expect(run?.(create, trace)).not.toBeNull()
    const lines = property.failure.trace.split('\n')
    expect(lines[property.failure.traceLine - 1]).not.toMatch(/^#|^measured$|^gntbench-trace/)
  }
}

/** A working allocator with a planted bug in what it picks; it counts the pages it hands out itself. */
abstract class WrappedAllocator implements OffsetAllocator {
  abstract readonly kind: string
  protected readonly inner: OffsetAllocator
  private live = 0
  constructor(inner: OffsetAllocator) {
    this.inner = inner
  }
  get cost() {
    return this.inner.cost
  }
  alloc(pages: number): number {
    const first = this.pick(pages)
    if (first >= 0) this.live += pages
    return first
  }
  free(first: number, pages: number): void {
    this.live -= pages
    this.forget(first)
  }
  stats() {
    return { ...this.inner.stats(), livePages: this.live }
  }
  check(): void {}
  protected abstract pick(pages: number): number
  protected abstract forget(first: number): void
}

describe('runConformance', () => {
  it('passes the B+ tree example', () => {
    const report = runConformance(btreeStrategy, FAST)
    expect(report.properties.map((p) => [p.name, p.passed])).toEqual([
      ['invariants', true],
      ['disjoint', true],
      ['differential', true],
    ])
    expect(report.passed).toBe(true)
  })

  it('passes the generic strategies and the kernel presets', () => {
    for (const name of ['list', 'rbtree', 'rangeset', 'freebsd', 'linux-gntdev', 'linux-gntalloc', 'xen-rangeset']) {
      const report = runConformance({ name, create: (o) => createStrategy(name, o) }, { streams: 40 })
      expect({ name, failures: report.properties.filter((p) => !p.passed).map((p) => p.failure?.failure.message) }).toEqual({ name, failures: [] })
    }
  })

  it('catches a gref store whose find-run accepts a hole, and shrinks the stream', () => {
    // find-run checks only the first and last page of the run.
    const create = (options?: StrategyOptions): Strategy => {
      const base = createStrategy('rbtree', options)
      const store = base.grefStore
      const findRun = (first: number, pages: number, out: Gref[]): boolean => {
        const head = store.findPage(first)
        const tail = store.findPage(first + pages - 1)
        if (head === null || tail === null || pages < 1) return false
        out.length = 0
        for (let i = 0; i < pages; i++) out.push(store.findPage(first + i) ?? head)
        return true
      }
      return withGrefStore(base, {
        kind: 'holey',
        findRun,
        removeRun: (first, pages, out) => findRun(first, pages, out) && store.removeRun(first, pages, out),
      })
    }
    const report = runConformance({ name: 'holey', create }, FAST)
    const differential = report.properties.find((p) => p.name === 'differential')
    expect(differential?.passed).toBe(false)
    expect(differential?.failure?.ops.length).toBeLessThanOrEqual(8)
    expect(differential?.failure?.failure.message).toMatch(/ReferenceDevice → EINVAL, strategy → OK/)
    expectReproducible(report, create)
  })

  it('catches an allocator that hands out a freed page again whatever the size', () => {
    class ReuseLastFreed extends WrappedAllocator {
      readonly kind = 'reuse-last-freed'
      private readonly freed: number[] = []
      protected pick(pages: number): number {
        const reused = this.freed.pop()
        return reused !== undefined && pages > 0 ? reused : this.inner.alloc(pages)
      }
      protected forget(first: number): void {
        this.freed.push(first)
      }
    }
    const create = (options?: StrategyOptions): Strategy => {
      const base = createStrategy('list', options)
      return { ...base, allocator: new ReuseLastFreed(base.allocator) }
    }
    const report = runConformance({ name: 'reuse', create }, FAST)
    const disjoint = report.properties.find((p) => p.name === 'disjoint')
    expect(disjoint?.passed).toBe(false)
    expect(disjoint?.failure?.failure.message).toMatch(/overlapping live/)
    expect(disjoint?.failure?.ops.length).toBeLessThanOrEqual(6)
    expect(report.passed).toBe(false)
    expectReproducible(report, create)
  })

  it('catches a map whose pages start inside a live gmap (not on its first page)', () => {
    // Map side only: every run handed out is a gmap. Each second run starts one page into the
    // run before it, so only a range check — not a lookup by first page — sees the overlap.
    class IntoTheLast extends WrappedAllocator {
      readonly kind = 'into-the-last'
      private last: { first: number; pages: number } | null = null
      protected pick(pages: number): number {
        const last = this.last
        this.last = null
        const first = last !== null && last.pages >= 2 ? last.first + 1 : this.inner.alloc(pages)
        if (first >= 0 && last === null) this.last = { first, pages }
        return first
      }
      protected forget(first: number): void {
        if (this.last?.first === first) this.last = null
      }
    }
    const create = (options?: StrategyOptions): Strategy => {
      const base = createStrategy('list', options)
      return { ...base, policy: { ...base.policy, supportsAlloc: false }, allocator: new IntoTheLast(base.allocator) }
    }
    const report = runConformance({ name: 'into-the-last', create }, FAST)
    const disjoint = report.properties.find((p) => p.name === 'disjoint')
    expect(disjoint?.passed).toBe(false)
    expect(disjoint?.failure?.failure.message).toMatch(/overlapping live gmap \d+\+\d+/)
    expectReproducible(report, create)
  })

  it('catches a check() that throws, naming the structure', () => {
    const create = (options?: StrategyOptions): Strategy => {
      const base = createStrategy('rangeset', options)
      let inserted = 0
      return withGmapStore(base, {
        insert: (gmap) => {
          inserted++
          return base.gmapStore.insert(gmap)
        },
        check: () => {
          if (inserted >= 3) throw new Error('third insert broke the index')
        },
      })
    }
    const report = runConformance({ name: 'fragile', create }, FAST)
    const invariants = report.properties.find((p) => p.name === 'invariants')
    expect(invariants?.failure?.failure.message).toMatch(/^after 'map h2 domid=1 refs=\S+': gmapStore\.check\(\) threw: third insert broke the index$/)
    expect(invariants?.failure?.ops.length).toBe(3)
  })
})
