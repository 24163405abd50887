// The strategy registry: every name the CLI, tests, benchmarks and outside plugins can ask for.
// A spec is a name (`freebsd`, `rbtree`, `bump`) or `<stores>+<allocator>` (`list+bump`), then
// optionally `:quirk,quirk` in kebab-case: a quirk's kernel name switches it on, its corrected
// name off (`freebsd:exact-compare` is FreeBSD with an exact comparator). Adding a built-in is one
// line in BUILTIN_ENTRIES; outside code calls registerStrategy. Names are unique per namespace:
// strategies and presets share one (a bare name finds them first), allocators have their own
// (a bare allocator name, e.g. `bump`, runs under its kernel's stores).

import { QUIRK_INFO, parseQuirkWord } from './quirks.js'
import {
  ALLOCATOR_BUILDERS,
  PRESET_QUIRKS,
  STORE_BUILDERS,
  composeStrategy,
  freebsd,
  linuxGntalloc,
  linuxGntdev,
  mapleStrategy,
  strategyName,
  xenRangeset,
} from './presets.js'
import type { Quirks, Strategy, StrategyEntry, StrategyKind, StrategyOptions } from './types.js'

const LINUX_GNTDEV = 'Linux drivers/xen/gntdev.c'
const LINUX_GNTALLOC = 'Linux drivers/xen/gntalloc.c'
const FREEBSD_GNTDEV = 'FreeBSD sys/dev/xen/gntdev/gntdev.c'
const XEN_RANGESET = 'Xen xen/common/rangeset.c'
// The presets name the kernel text whose behaviour they follow (docs/kernel-model.md §0).
const LINUX_GNTDEV_TODAY = `${LINUX_GNTDEV}, Linux since 2022 (async unmap dbe97cff7dd9; per-call limit since 2019-11)`
const LINUX_GNTALLOC_TODAY = `${LINUX_GNTALLOC}, Linux ≥ 6.3`
const FREEBSD_GNTDEV_TODAY = `${FREEBSD_GNTDEV} @ 070e20070043 (recent main)`
const XEN_RANGESET_TODAY = `${XEN_RANGESET} @ c447b7308b13 (2026-08)`
const LINUX_AUGTREE = 'Linux mm/mmap.c vm_unmapped_area (rb_subtree_gap); BSD tree.h RB_AUGMENT'
const LINUX_MAPLE = 'Linux lib/maple_tree.c (mas_empty_area, mtree_alloc_range)'
const LINUX_XARRAY = 'Linux lib/xarray.c'

/**
 * Specs of the structures a kernel developer would reach for today (issue 15): the augmented
 * red-black tree, the maple-like B-tree fused store + allocator, the XArray gref store, and the
 * composites that change one component against the seeds.
 */
export const MODERN_STRATEGIES: readonly string[] = Object.freeze(['augtree', 'maple', 'xarray', 'rbtree+augtree', 'list+augtree', 'xarray+maple'])

// prettier-ignore
const BUILTIN_ENTRIES: readonly StrategyEntry[] = [
  { name: 'list', kind: 'strategy', summary: 'sorted lists everywhere; first-fit offsets from 0 (Linux style, neutral policy)', follows: LINUX_GNTDEV, create: (o) => composeStrategy('list', 'list', o, 'list') },
  { name: 'rbtree', kind: 'strategy', summary: 'red-black trees everywhere; free-region tree, O(log n) notify lookup (neutral policy)', follows: FREEBSD_GNTDEV, create: (o) => composeStrategy('rbtree', 'rbtree', o, 'rbtree') },
  { name: 'rangeset', kind: 'strategy', summary: 'one index node per run of records; offsets claimed from a rangeset (neutral policy)', follows: XEN_RANGESET, create: (o) => composeStrategy('rangeset', 'rangeset', o, 'rangeset') },
  { name: 'bump', kind: 'allocator', summary: 'per-file counter from 0, never reuses; EOVERFLOW at the end of the space (bump-wrap: wraps)', follows: LINUX_GNTALLOC, create: (o) => composeStrategy('list', 'bump', o) },
  { name: 'list', kind: 'allocator', summary: 'first-fit gap search over a sorted list of live extents, low end', follows: LINUX_GNTDEV, create: (o) => composeStrategy('list', 'list', o, 'list') },
  { name: 'rbtree', kind: 'allocator', summary: 'tree of free regions, first fit in comparator order, high end, coalescing', follows: FREEBSD_GNTDEV, create: (o) => composeStrategy('rbtree', 'rbtree', o, 'rbtree') },
  { name: 'rangeset', kind: 'allocator', summary: 'claim_range over the used ranges: first-fit gap from 0, low end', follows: XEN_RANGESET, create: (o) => composeStrategy('rangeset', 'rangeset', o, 'rangeset') },
  { name: 'augtree', kind: 'strategy', summary: 'red-black gref tree + interval-tree gmaps (O(log n) notify) + free-gap tree offsets (O(log n) first fit from 0)', follows: LINUX_AUGTREE, create: (o) => composeStrategy('augtree', 'augtree', o, 'augtree') },
  { name: 'maple', kind: 'strategy', summary: 'B-tree of ranges with gap tracking holds the gmaps and hands out offsets (fused); XArray grefs', follows: LINUX_MAPLE, create: mapleStrategy },
  { name: 'xarray', kind: 'strategy', summary: 'XArray-style radix gref store + interval-tree gmaps; augtree offsets', follows: LINUX_XARRAY, create: (o) => composeStrategy('xarray', 'augtree', o, 'xarray') },
  { name: 'augtree', kind: 'allocator', summary: 'free-region tree augmented with subtree max gap: first fit from 0, low end, O(log n)', follows: LINUX_AUGTREE, create: (o) => composeStrategy('augtree', 'augtree', o, 'augtree') },
  { name: 'maple', kind: 'allocator', summary: 'B-tree of live ranges with per-node max gap: lowest gap from 0, low end, O(log n)', follows: LINUX_MAPLE, create: mapleStrategy },
  { name: 'linux-gntdev', kind: 'preset', summary: 'map side: first-fit fused into the sorted map list (strict gap: count + 1); UNMAP count 0 = any; 65,536 pages per call', follows: LINUX_GNTDEV_TODAY, defaultQuirks: PRESET_QUIRKS['linux-gntdev'], create: linuxGntdev },
  { name: 'linux-gntalloc', kind: 'preset', summary: 'alloc side: bump counter + per-file gref list; 1024 grefs per domain', follows: LINUX_GNTALLOC_TODAY, defaultQuirks: PRESET_QUIRKS['linux-gntalloc'], create: linuxGntalloc },
  { name: 'freebsd', kind: 'preset', summary: 'free-region tree + gref and gmap trees (truncated comparator: freed holes first); notify scans every gmap', follows: FREEBSD_GNTDEV_TODAY, defaultQuirks: PRESET_QUIRKS.freebsd, create: freebsd },
  { name: 'xen-rangeset', kind: 'preset', summary: 'the FreeBSD device with offsets from a Xen rangeset (review D7293); claim without merge', follows: `${FREEBSD_GNTDEV} + ${XEN_RANGESET_TODAY}`, defaultQuirks: PRESET_QUIRKS['xen-rangeset'], create: xenRangeset },
]

/** A strategy name, allocator name or quirk that the registry does not know. One-line message. */
export class UnknownStrategyError extends Error {
  override name = 'UnknownStrategyError'
}

const entries: StrategyEntry[] = []

/** Every registered entry, built-ins first, in registration order. */
export function strategyEntries(): readonly StrategyEntry[] {
  return entries
}

/** Registered names (of one kind, or all kinds without duplicates), in registration order. */
export function strategyNames(kind?: StrategyKind): string[] {
  const names: string[] = []
  for (const entry of entries) {
    if (kind !== undefined ? entry.kind === kind : !names.includes(entry.name)) names.push(entry.name)
  }
  return names
}

/** Add an entry. Throws on a malformed name or one already taken in its namespace. */
export function registerStrategy(entry: StrategyEntry): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(entry.name)) {
    throw new Error(`registerStrategy: name '${entry.name}' must be lower-case letters, digits, '.', '_' or '-' (no '+' or ':')`)
  }
  if (lookup(entry.name, entry.kind === 'allocator') !== undefined) {
    throw new Error(`registerStrategy: '${entry.name}' is already registered as ${entry.kind === 'allocator' ? 'an allocator' : 'a strategy or preset'}`)
  }
  entries.push(entry)
}

/**
 * Build the bookkeeping of one open file from a spec: `name`, or `stores+allocator`, then
 * optionally `:quirk,quirk`. Quirks named in the spec are added to options.quirks.
 * Throws UnknownStrategyError for unknown names or quirks.
 */
export function createStrategy(spec: string, options?: StrategyOptions): Strategy {
  const colon = spec.indexOf(':')
  const base = colon < 0 ? spec : spec.slice(0, colon)
  const merged = colon < 0 ? options : withQuirks(options, parseQuirks(spec.slice(colon + 1), spec))
  const plus = base.indexOf('+')
  if (plus < 0) {
    const entry = lookup(base, false) ?? lookup(base, true)
    if (entry === undefined) throw new UnknownStrategyError(`unknown strategy '${base}' in '${spec}'; ${validNames()}`)
    return entry.create(merged)
  }
  const storesName = base.slice(0, plus)
  const allocatorName = base.slice(plus + 1)
  const stores = lookup(storesName, false)
  const allocator = lookup(allocatorName, true)
  if (stores === undefined || stores.kind !== 'strategy') {
    throw new UnknownStrategyError(`unknown stores '${storesName}' in '${spec}'; ${validNames()}`)
  }
  if (allocator === undefined) throw new UnknownStrategyError(`unknown allocator '${allocatorName}' in '${spec}'; ${validNames()}`)
  if (STORE_BUILDERS[storesName] !== undefined && ALLOCATOR_BUILDERS[allocatorName] !== undefined && isBuiltin(stores) && isBuiltin(allocator)) {
    return composeStrategy(storesName, allocatorName, merged)
  }
  // Outside entries: take the stores of one and the allocator of the other.
  const withStores = stores.create(merged)
  const withAllocator = allocator.create(merged)
  return {
    name: strategyName(base, withStores.quirks),
    allocator: withAllocator.allocator,
    grefStore: withStores.grefStore,
    gmapStore: withStores.gmapStore,
    quirks: withStores.quirks,
    limits: withStores.limits,
    policy: withStores.policy,
  }
}

function lookup(name: string, allocator: boolean): StrategyEntry | undefined {
  return entries.find((entry) => entry.name === name && (entry.kind === 'allocator') === allocator)
}

function isBuiltin(entry: StrategyEntry): boolean {
  return BUILTIN_ENTRIES.includes(entry)
}

function validNames(): string {
  const bare = strategyNames().join(', ')
  const stores = strategyNames('strategy').join('|')
  const allocators = strategyNames('allocator').join('|')
  return `valid: ${bare}, or <stores>+<allocator> with stores ${stores} and allocator ${allocators}, then optionally :quirk,quirk`
}

function parseQuirks(list: string, spec: string): Partial<Quirks> {
  const quirks: Partial<Quirks> = {}
  for (const word of list.split(',')) {
    const parsed = parseQuirkWord(word)
    if (parsed === null) {
      const valid = QUIRK_INFO.map((info) => `${info.name} (off: ${info.fixed})`).join(', ')
      throw new UnknownStrategyError(`unknown quirk '${word}' in '${spec}'; valid quirks: ${valid}`)
    }
    quirks[parsed.key] = parsed.on
  }
  return quirks
}

function withQuirks(options: StrategyOptions | undefined, quirks: Partial<Quirks>): StrategyOptions {
  return { ...options, quirks: { ...options?.quirks, ...quirks } }
}

for (const entry of BUILTIN_ENTRIES) registerStrategy(entry)
