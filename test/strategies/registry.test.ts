// The strategy registry: every name builds a strategy, composites and quirk specs parse, unknown
// names and quirks throw one-line UnknownStrategyErrors, presets carry their kernel's policy.

import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { EINVAL, ENOENT } from '../../src/errno.js'
import { LinuxGmapList } from '../../src/strategies/linux-gmap-list.js'
import { RbTreeGmapStore } from '../../src/strategies/rbtree-gmap-store.js'
import {
  UnknownStrategyError,
  createStrategy,
  registerStrategy,
  strategyEntries,
  strategyNames,
} from '../../src/strategies/registry.js'
import { Gmap, NO_QUIRKS } from '../../src/strategies/types.js'

describe('registry', () => {
  it('lists the generic strategies, the four allocators and the four presets', () => {
    expect(strategyNames('strategy')).toEqual(expect.arrayContaining(['list', 'rbtree', 'rangeset']))
    expect(strategyNames('allocator')).toEqual(expect.arrayContaining(['bump', 'list', 'rbtree', 'rangeset']))
    expect(strategyNames('preset')).toEqual(expect.arrayContaining(['linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']))
    expect(new Set(strategyNames()).size).toBe(strategyNames().length)
    for (const entry of strategyEntries()) {
      expect(entry.summary).not.toContain('\n')
      expect(entry.summary.length).toBeGreaterThan(0)
    }
  })

  it('every registered name creates a working strategy whose quirks are its entry\'s defaults (a preset\'s kernel quirks, else none)', () => {
    for (const name of strategyNames()) {
      const strategy = createStrategy(name)
      const entry = strategyEntries().find((e) => e.name === name && e.kind !== 'allocator') ?? strategyEntries().find((e) => e.name === name)
      expect(strategy.quirks).toEqual(entry?.defaultQuirks ?? NO_QUIRKS)
      expect(strategy.name === name || entry?.kind === 'allocator').toBe(true)
      const first = strategy.allocator.alloc(3)
      expect(first).toBeGreaterThanOrEqual(0)
      const gmap = new Gmap(first, 1, [1, 2, 3])
      expect(strategy.gmapStore.insert(gmap)).toBeNull()
      expect(strategy.gmapStore.findExact(first, 3)).toBe(gmap)
      strategy.allocator.check()
      strategy.grefStore.check()
      strategy.gmapStore.check()
    }
  })

  it('each entry factory builds a strategy whose name round-trips through createStrategy', () => {
    for (const entry of strategyEntries()) {
      const strategy = entry.create({ quirks: { truncatedCompare: true } })
      expect(createStrategy(strategy.name).name).toBe(strategy.name)
    }
  })

  it('composes <stores>+<allocator> for every pair', () => {
    for (const stores of ['list', 'rbtree', 'rangeset']) {
      for (const allocator of ['bump', 'list', 'rbtree', 'rangeset']) {
        const strategy = createStrategy(`${stores}+${allocator}`)
        expect(strategy.name).toBe(`${stores}+${allocator}`)
        expect(strategy.allocator.kind).toBe(allocator)
        expect(strategy.grefStore.kind).toBe(stores)
        expect(strategy.gmapStore.kind).toBe(stores)
        expect(strategy.policy.supportsAlloc && strategy.policy.supportsMap).toBe(true)
      }
    }
    expect(createStrategy('bump').name).toBe('list+bump') // a lone allocator runs under its kernel's stores
    expect(createStrategy('list+bump').allocator.alloc(2)).toBe(0)
    expect(createStrategy('rbtree+rangeset').allocator.alloc(2)).toBe(0)
    expect(createStrategy('rangeset+rbtree').allocator.alloc(1)).toBe(OFFSET_SPACE_PAGES - 1)
  })

  it('parses quirk specs and merges them with options', () => {
    // Naming a preset's default quirk changes nothing: the preset already is that kernel.
    const freebsd = createStrategy('freebsd:truncated-compare')
    expect(freebsd.name).toBe('freebsd')
    expect(freebsd.quirks.truncatedCompare).toBe(true)
    const gntdev = createStrategy('linux-gntdev:strict-gap', { quirks: { intPageIndex: true } })
    expect(gntdev.quirks).toEqual({ ...NO_QUIRKS, strictGap: true, intPageIndex: true })
    expect(gntdev.name).toBe('linux-gntdev:int-page-index')
    const generic = createStrategy('list:strict-gap', { quirks: { intPageIndex: true } })
    expect(generic.name).toBe('list:strict-gap,int-page-index')
    const bump = createStrategy('list+bump:bump-wrap', { offsetSpacePages: 4 })
    expect([bump.allocator.alloc(3), bump.allocator.alloc(3)]).toEqual([0, 0])
  })

  it('presets follow today\'s kernels; the corrected design is the variant named by the quirk\'s corrected name', () => {
    expect(createStrategy('linux-gntdev').quirks).toEqual({ ...NO_QUIRKS, strictGap: true })
    expect(createStrategy('freebsd').quirks).toEqual({ ...NO_QUIRKS, truncatedCompare: true })
    expect(createStrategy('xen-rangeset').quirks).toEqual({ ...NO_QUIRKS, claimNoMerge: true })
    expect(createStrategy('linux-gntalloc').quirks).toEqual(NO_QUIRKS)
    for (const [spec, key] of [['linux-gntdev:exact-fit', 'strictGap'], ['freebsd:exact-compare', 'truncatedCompare'], ['xen-rangeset:claim-merge', 'claimNoMerge']] as const) {
      const fixed = createStrategy(spec)
      expect(fixed.quirks).toEqual(NO_QUIRKS)
      expect(fixed.name).toBe(spec)
      expect(createStrategy(fixed.name).quirks[key]).toBe(false)
    }
    // From code, false switches a default off too; a corrected name on a generic strategy is a no-op.
    expect(createStrategy('freebsd', { quirks: { truncatedCompare: false } }).name).toBe('freebsd:exact-compare')
    expect(createStrategy('rbtree:exact-compare').name).toBe('rbtree')
    // FreeBSD's first fit visits freed holes first: free the 2-page block, a 1-page alloc takes its top page.
    const exact = createStrategy('freebsd:exact-compare').allocator
    const truncated = createStrategy('freebsd').allocator
    for (const allocator of [exact, truncated]) {
      allocator.alloc(1)
      const b = allocator.alloc(2)
      allocator.alloc(4)
      allocator.free(b, 2)
    }
    expect(truncated.alloc(1)).toBe(OFFSET_SPACE_PAGES - 2)
    expect(exact.alloc(1)).toBe(OFFSET_SPACE_PAGES - 8)
  })

  it('the truncated comparator reaches every tree of the strategy', () => {
    const strategy = createStrategy('freebsd')
    // Allocator: freed holes are reused first.
    const a = strategy.allocator.alloc(1)
    const b = strategy.allocator.alloc(2)
    strategy.allocator.alloc(4)
    strategy.allocator.free(b, 2)
    expect(strategy.allocator.alloc(1)).toBe(OFFSET_SPACE_PAGES - 2)
    // Gmap tree: keys 2^20 pages apart collide.
    expect(strategy.gmapStore.insert(new Gmap(a, 1, [1]))).toBeNull()
    expect(strategy.gmapStore.insert(new Gmap(a - 2 ** 20, 1, [1]))).not.toBeNull()
  })

  it('presets carry their kernel policy, limits and structures', () => {
    const gntdev = createStrategy('linux-gntdev')
    expect(gntdev.allocator).toBe(gntdev.gmapStore)
    expect(gntdev.allocator).toBeInstanceOf(LinuxGmapList)
    expect(gntdev.policy).toMatchObject({ supportsAlloc: false, supportsMap: true, unmapCountWildcard: true, unmapMissingErrno: ENOENT, notifyMissingErrno: ENOENT })
    expect(gntdev.policy.cleanupOn).toEqual(['unmap', 'munmap', 'close'])
    expect(gntdev.limits.maxPagesPerCall).toBe(65_536)

    const gntalloc = createStrategy('linux-gntalloc')
    expect(gntalloc.allocator.kind).toBe('bump')
    expect(gntalloc.grefStore.kind).toBe('list')
    expect(gntalloc.policy).toMatchObject({ supportsAlloc: true, supportsMap: false, grefSingleMapping: false, unmapMissingErrno: EINVAL, notifyMissingErrno: ENOENT })
    expect(gntalloc.policy.cleanupOn).toEqual(['alloc', 'dealloc', 'munmap', 'close'])
    expect(gntalloc.limits.globalGrefLimit).toBe(1024)

    const freebsd = createStrategy('freebsd')
    expect([freebsd.allocator.kind, freebsd.grefStore.kind, freebsd.gmapStore.kind]).toEqual(['rbtree', 'rbtree', 'rbtree'])
    const gmaps = freebsd.gmapStore
    expect(gmaps instanceof RbTreeGmapStore && gmaps.linearContainment).toBe(true)
    expect(freebsd.policy).toMatchObject({ supportsAlloc: true, supportsMap: true, unmapCountWildcard: false, grefSingleMapping: true, unmapMissingErrno: EINVAL })
    expect(freebsd.policy.cleanupOn).toEqual(['alloc', 'dealloc', 'unmap', 'close'])
    expect(freebsd.limits).toEqual({ maxPagesPerCall: Infinity, globalGrefLimit: Infinity })

    const xen = createStrategy('xen-rangeset')
    expect([xen.allocator.kind, xen.grefStore.kind, xen.gmapStore.kind]).toEqual(['rangeset', 'rbtree', 'rbtree'])
    expect(xen.policy).toEqual(freebsd.policy)

    expect(createStrategy('rbtree').gmapStore).not.toMatchObject({ linearContainment: true })
    expect(createStrategy('freebsd', { limits: { maxPagesPerCall: 16 } }).limits.maxPagesPerCall).toBe(16)
  })

  it('every open gets fresh structures', () => {
    const a = createStrategy('freebsd')
    const b = createStrategy('freebsd')
    expect(a.allocator).not.toBe(b.allocator)
    a.allocator.alloc(1)
    expect(b.allocator.alloc(1)).toBe(OFFSET_SPACE_PAGES - 1)
  })

  it('throws one-line UnknownStrategyErrors that list the valid names', () => {
    const cases = ['nope', 'list+nope', 'nope+bump', 'freebsd+bump', 'freebsd:nope', 'freebsd:', 'list+bump:strict-gap,bogus', '']
    for (const spec of cases) {
      let error: unknown = null
      try {
        createStrategy(spec)
      } catch (caught) {
        error = caught
      }
      expect(error, spec).toBeInstanceOf(UnknownStrategyError)
      const message = (error as Error).message
      expect(message).not.toContain('\n')
      expect(message).toMatch(/valid/)
    }
    expect(() => createStrategy('nope')).toThrow(/linux-gntdev/)
    expect(() => createStrategy('freebsd:nope')).toThrow(/truncated-compare/)
  })

  it('registerStrategy adds an outside strategy in one call and refuses duplicates and bad names', () => {
    registerStrategy({
      name: 'test-outside',
      kind: 'strategy',
      summary: 'rbtree stores under another name',
      follows: '',
      create: (options) => ({ ...createStrategy('rbtree', options), name: 'test-outside' }),
    })
    expect(strategyNames('strategy')).toContain('test-outside')
    const composite = createStrategy('test-outside+bump')
    expect(composite.name).toBe('test-outside+bump')
    expect(composite.allocator.kind).toBe('bump')
    expect(composite.gmapStore.kind).toBe('rbtree')
    expect(() => registerStrategy({ name: 'freebsd', kind: 'strategy', summary: '', follows: '', create: () => createStrategy('rbtree') })).toThrow(/already/)
    expect(() => registerStrategy({ name: 'a+b', kind: 'allocator', summary: '', follows: '', create: () => createStrategy('rbtree') })).toThrow()
    // An allocator may share a strategy's name: the namespaces are separate.
    registerStrategy({ name: 'test-outside', kind: 'allocator', summary: 'bump again', follows: '', create: (o) => createStrategy('list+bump', o) })
    expect(createStrategy('rbtree+test-outside').allocator.kind).toBe('bump')
  })
})
