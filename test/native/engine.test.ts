// The native engine's contract as the measurement core sees it (src/native/engine.ts): what
// timeNative returns (one finite positive ns/op per sample, the probe's work counts), how it
// refuses strategies it does not model, and how a malformed stream is reported. Behaviour only:
// no assertion here depends on how fast anything ran.

import { describe, expect, it } from 'vitest'
import { strategy as btreeStrategy } from '../../examples/btree-strategy.js'
import { nativeProblem } from './availability.js'
import { checkNativeText, nativeEngineInfo, nativeSpecsOf, prepareNativeRun, timeNative, timeNativeDetailed, timeNativeRound, timePreparedRound } from '../../src/native/engine.js'
import { NotCoveredByNativeError, resolveNativeStrategy } from '../../src/native/resolved-strategy.js'
import { encodeNativeStream, encodeOp, refRanges } from '../../src/native/stream-encoding.js'
import { openState } from '../../src/workloads/device-state.js'
import { recipeFor } from '../../src/runner/untimed-pass.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { StreamBinder } from '../../src/workloads/bind.js'
import { getWorkload } from '../../src/workloads/registry.js'

// test/native/notice.ts prints the one skip line; this file only follows it.
const haveEngine = nativeProblem === null

describe('stream encoding', () => {
  it('writes one line per op in the format native/src/stream.h reads', () => {
    expect(encodeOp({ kind: 'alloc', handle: 3, domid: 1, pages: 4, writable: true })).toBe('A 3 1 4 1')
    expect(encodeOp({ kind: 'map', handle: 0, domid: 1, grantRefs: [8, 9] })).toBe('M 0 1 2 8 9')
    expect(encodeOp({ kind: 'mmap', vma: 2, handle: 0, pageOffset: 1, pages: 1, writable: false })).toBe('V 2 0 1 1 0')
    expect(encodeOp({ kind: 'notify', handle: 1, pageOffset: 0, byteInPage: 7, action: 3, port: 9 })).toBe('N 1 0 7 3 9')
    expect(encodeOp({ kind: 'close' })).toBe('C')
    expect(() => encodeOp({ kind: 'unmap', handle: 0, pages: 1.5 })).toThrow(/not an integer/)
  })

  it('compresses granted refs into runs', () => {
    expect(refRanges([10, 8, 9, 9, 20, 21, 5])).toEqual([
      [5, 1],
      [8, 3],
      [20, 2],
    ])
  })

  it('refuses a strategy built from parts the engine does not have', () => {
    expect(() => resolveNativeStrategy(btreeStrategy.create())).toThrow(NotCoveredByNativeError)
    expect(() => resolveNativeStrategy(btreeStrategy.create())).toThrow(/not covered by the native engine/)
  })

  it('reads policy, limits and quirks off the strategy, not its name', () => {
    const base = createStrategy('freebsd:truncated-compare', { offsetSpacePages: 2 ** 20 })
    const resolved = resolveNativeStrategy({ ...base, policy: { ...base.policy, unmapCountWildcard: true } })
    expect(resolved).toMatchObject({ allocator: 'rbtree', grefStore: 'rbtree', gmapStore: 'rbtree', linearContainment: true, offsetSpacePages: 2 ** 20 })
    expect(resolved.quirks.truncatedCompare).toBe(true)
    expect(resolved.policy.unmapCountWildcard).toBe(true)
    expect(resolveNativeStrategy(createStrategy('linux-gntdev'))).toMatchObject({ allocator: 'linux-gmap-list', gmapStore: 'linux-gmap-list' })
  })

  it('tells one fused maple tree from two separate ones', () => {
    expect(resolveNativeStrategy(createStrategy('maple'))).toMatchObject({ allocator: 'maple-fused', grefStore: 'xarray', gmapStore: 'maple-fused' })
    expect(resolveNativeStrategy(createStrategy('maple+maple'))).toMatchObject({ allocator: 'maple', grefStore: 'xarray', gmapStore: 'maple' })
    expect(resolveNativeStrategy(createStrategy('xarray+maple'))).toMatchObject({ allocator: 'maple', grefStore: 'xarray', gmapStore: 'augtree' })
    expect(resolveNativeStrategy(createStrategy('maple+rbtree'))).toMatchObject({ allocator: 'rbtree', gmapStore: 'maple' })
    expect(resolveNativeStrategy(createStrategy('maple:strict-gap')).quirks.strictGap).toBe(true)
  })

  it('refuses a device policy field it does not model instead of ignoring it', () => {
    const base = createStrategy('rbtree')
    const policy = { ...base.policy, unmapNeedsAlignment: true }
    expect(() => resolveNativeStrategy({ ...base, policy })).toThrow(/policy field 'unmapNeedsAlignment' is not covered by the native engine/)
  })
})

describe.skipIf(!haveEngine)('native engine', () => {
  it('timeNative: one finite positive ns/op per sample, and the same work as the TS probe', () => {
    const workload = getWorkload('qdisk-map')
    const params = { size: 64, seed: 1, ops: 500 }
    const stream = workload.generate(params)
    const spec = 'linux-gntdev'
    const samples = timeNative({ stream, domainNeeds: workload.domainNeeds(params) }, { spec }, { sampleMs: 2, samples: 3, warmupMs: 0 })
    expect(samples).toHaveLength(3)
    for (const value of samples) expect(Number.isFinite(value) && value > 0).toBe(true)

    const recipe = recipeFor(spec, workload, new StreamBinder(stream), params.size, params.seed, params.ops)
    const specs = nativeSpecsOf(recipe)
    const timing = timeNativeDetailed(specs.stream, specs.strategy, { sampleMs: 1, samples: 1, warmupMs: 0 })
    const probe = openState(recipe)
    probe.applier.applyAll(probe.stream.setup)
    const before = { ok: probe.applier.ok, failed: probe.applier.failed, skipped: probe.applier.skipped }
    probe.applier.applyAll(probe.stream.measured)
    expect(timing.references[0]).toEqual({
      ok: probe.applier.ok - before.ok,
      failed: probe.applier.failed - before.failed,
      skipped: probe.applier.skipped - before.skipped,
    })
    expect(timing.opsPerReplicate).toBe(stream.measured.length)
    expect(timing.replicatesPerSample[0]).toBeGreaterThanOrEqual(1)
  })

  it('takes a planted difference: the same work, ns/op still over the nominal replicates', () => {
    const workload = getWorkload('lookup-heavy')
    const stream = workload.generate({ size: 64, seed: 3, ops: 200 })
    const specs = { stream: { stream, domainNeeds: workload.domainNeeds({ size: 64, seed: 3, ops: 200 }) }, strategy: { spec: 'rbtree' } }
    const plain = timeNativeDetailed(specs.stream, specs.strategy, { sampleMs: 1, samples: 2, warmupMs: 0 })
    const planted = timeNativeDetailed(specs.stream, specs.strategy, { sampleMs: 1, samples: 2, warmupMs: 0, plantedPercent: 50, plantedSeed: 7 })
    expect(planted.references).toEqual(plain.references)
    expect(planted.samples).toHaveLength(2)
    for (const value of planted.samples) expect(Number.isFinite(value) && value > 0).toBe(true)
  })

  it('rejects bad timing options before running anything', () => {
    const stream = getWorkload('churn').generate({ size: 64, seed: 1, ops: 10 })
    expect(() => timeNative({ stream }, { spec: 'list' }, { sampleMs: 0, samples: 3 })).toThrow(RangeError)
    expect(() => timeNative({ stream }, { spec: 'list' }, { sampleMs: 5, samples: 0 })).toThrow(RangeError)
  })

  it('records the engine version, compiler and flags', () => {
    const info = nativeEngineInfo()
    expect(info.version).toMatch(/^\d+$/)
    expect(info.compiler.length).toBeGreaterThan(0)
    expect(info.cflags).toContain('-O2')
  })

  it('times several strategies in one process, one timing each, in their order', () => {
    const workload = getWorkload('churn')
    const params = { size: 32, seed: 3, ops: 200 }
    const stream = { stream: workload.generate(params), domainNeeds: workload.domainNeeds(params) }
    const specs = ['list', 'rbtree', 'rangeset']
    const round = timeNativeRound(
      specs.map((spec, i) => ({ stream, strategy: { spec }, plantedPercent: i === 1 ? 20 : 0 })),
      { sampleMs: 1, samples: 3, warmupMs: 0, seed: 9 },
    )
    expect(round).toHaveLength(3)
    specs.forEach((spec, i) => {
      const alone = timeNativeDetailed(stream, { spec }, { sampleMs: 1, samples: 1, warmupMs: 0 })
      expect(round[i]?.references).toEqual(alone.references)
      expect(round[i]?.samples).toHaveLength(3)
      for (const value of round[i]?.samples ?? []) expect(Number.isFinite(value) && value > 0).toBe(true)
    })
  })

  it('times lanes of several streams: sample c replays stream c mod streams, with that stream’s work', () => {
    const workload = getWorkload('churn')
    const streamOf = (seed: number) => {
      const params = { size: 32, seed, ops: 200 }
      return { stream: workload.generate(params), domainNeeds: workload.domainNeeds(params) }
    }
    const seeds = [3, 4]
    const specs = ['list', 'rbtree']
    const round = timePreparedRound(
      specs.map((spec) => ({ runs: seeds.map((seed) => prepareNativeRun(streamOf(seed), { spec })), plantedPercent: 0 })),
      { sampleMs: 1, samples: 4, warmupMs: 0, seed: 9 },
    )
    expect(round).toHaveLength(2)
    specs.forEach((spec, i) => {
      const alone = seeds.map((seed) => timeNativeDetailed(streamOf(seed), { spec }, { sampleMs: 1, samples: 1, warmupMs: 0 }).references[0])
      expect(round[i]?.references).toEqual(alone)
      expect(round[i]?.samples).toHaveLength(4)
    })
  })

  it('refuses lanes of unequal streams, or more streams than samples', () => {
    const run = prepareNativeRun({ stream: getWorkload('churn').generate({ size: 8, seed: 1, ops: 10 }) }, { spec: 'list' })
    const options = { sampleMs: 1, samples: 2, warmupMs: 0, seed: 1 }
    expect(() => timePreparedRound([{ runs: [run, run], plantedPercent: 0 }, { runs: [run], plantedPercent: 0 }], options)).toThrow(RangeError)
    expect(() => timePreparedRound([{ runs: [run, run, run], plantedPercent: 0 }], options)).toThrow(RangeError)
  })

  it('check mode refuses more than one stream', () => {
    const good = prepareNativeRun({ stream: getWorkload('churn').generate({ size: 8, seed: 1, ops: 10 }) }, { spec: 'list' }).text
    expect(() => checkNativeText(good + good, 0)).toThrow(/check takes one stream/)
  })

  it('names the line of a malformed stream', () => {
    expect(() => checkNativeText('gntbench-native-stream 2\nallocator splay\n', 0)).toThrow(/stream line 2: unknown allocator kind/)
    expect(() => checkNativeText('gntbench-native-stream 9\n', 0)).toThrow(/unsupported stream version/)
  })

  it('refuses half of a fused maple tree', () => {
    const stream = getWorkload('churn').generate({ size: 16, seed: 1, ops: 10 })
    const prepared = prepareNativeRun({ stream }, { spec: 'maple' })
    const half = encodeNativeStream({ ...prepared.strategy, allocator: 'maple' }, prepared.input)
    expect(() => checkNativeText(half, prepared.input.setup.length)).toThrow(/a store kind does not fit its role/)
  })
})
