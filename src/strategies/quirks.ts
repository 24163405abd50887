// Documented kernel quirks as switches (docs/kernel-model.md §2.3, §3.2, §4.3, §5.2), and the
// one quirk that is a function: FreeBSD gntdev's tree comparator (sys/dev/xen/gntdev/gntdev.c),
// which returns the u64 byte difference of two file offsets truncated to a C int.
//
// A kernel preset switches on the quirks today's kernel has (its defaults), so that the baseline
// is the device people run; the generic strategies and allocators have none. Every quirk has two
// names: the kernel's behaviour (`truncated-compare`) switches it on, the corrected design
// (`exact-compare`) switches it off, so a preset's corrected variant is a spec of its own
// (`freebsd:exact-compare`). `StrategyOptions.quirks` does the same from code: true on, false
// off, absent = the strategy's default.

import type { KeyCompare } from '../structures/types.js'
import type { Quirks } from './types.js'
import { NO_QUIRKS } from './types.js'

/** 2^20 pages = 2^32 bytes: the period of the truncated comparator. */
const TRUNCATION_PERIOD_PAGES = 2 ** 20
/** 2^19 pages = 2^31 bytes: differences from here on turn negative when truncated to int. */
const TRUNCATION_HALF_PAGES = 2 ** 19

/**
 * FreeBSD's comparator on page keys. The kernel subtracts two u64 byte offsets (pages × 4096,
 * mod 2^64) and returns the result as a signed 32-bit int, so only the low 32 bits of the byte
 * difference survive: d = (a − b) mod 2^20 pages. d = 0 compares equal (keys 2^20·k pages apart
 * collide), d < 2^19 orders a after b, anything else orders a before b. Consistent only while
 * all keys lie in a window of fewer than 2^19 pages, where it equals circular order.
 * The magnitude returned is d in pages (sign-equal to the kernel's byte value).
 */
export const truncatedCompare: KeyCompare = (a, b) => {
  // a − b is exact (keys < 2^53); % keeps the sign of the dividend, so fold negatives up.
  let d = (a - b) % TRUNCATION_PERIOD_PAGES
  if (d < 0) d += TRUNCATION_PERIOD_PAGES
  if (d === 0) return 0 // also turns −0 into 0
  return d < TRUNCATION_HALF_PAGES ? d : d - TRUNCATION_PERIOD_PAGES
}

/** The quirks of `defaults` (none unless given), overridden by every quirk `partial` names. */
export function resolveQuirks(partial?: Partial<Quirks>, defaults: Readonly<Quirks> = NO_QUIRKS): Readonly<Quirks> {
  if (partial === undefined) return defaults
  return Object.freeze({
    truncatedCompare: partial.truncatedCompare ?? defaults.truncatedCompare,
    strictGap: partial.strictGap ?? defaults.strictGap,
    intPageIndex: partial.intPageIndex ?? defaults.intPageIndex,
    bumpWrap: partial.bumpWrap ?? defaults.bumpWrap,
    claimNoMerge: partial.claimNoMerge ?? defaults.claimNoMerge,
  })
}


/** A quirk as the CLI and `gntbench list` show it. */
export interface QuirkInfo {
  /** kebab-case name of the kernel's behaviour; in a spec it switches the quirk on. */
  readonly name: string
  /** kebab-case name of the corrected design; in a spec it switches the quirk off (`freebsd:exact-compare`). */
  readonly fixed: string
  /** What the corrected design does instead. */
  readonly fixedSummary: string
  readonly key: keyof Quirks
  readonly summary: string
}

/** All quirks, in the canonical order used when a strategy name spells its quirks. */
export const QUIRK_INFO: readonly QuirkInfo[] = Object.freeze([
  {
    name: 'truncated-compare',
    fixed: 'exact-compare',
    key: 'truncatedCompare',
    summary: 'FreeBSD: tree comparator = byte difference truncated to int (every RbTree of the strategy)',
    fixedSummary: 'exact u64 comparator: the base region sorts first, freed holes are never reused',
  },
  {
    name: 'strict-gap',
    fixed: 'exact-fit',
    key: 'strictGap',
    summary: 'Linux gntdev: first-fit needs a hole of pages + 1 (strict <), exact-size holes are skipped',
    fixedSummary: 'first fit takes a hole of exactly the size asked',
  },
  {
    name: 'int-page-index',
    fixed: 'u64-page-index',
    key: 'intPageIndex',
    summary: 'Linux gntdev: int page index, byte offsets from 2^19 pages on are garbage (device boundary)',
    fixedSummary: 'page index as wide as the u64 byte offset',
  },
  {
    name: 'bump-wrap',
    fixed: 'bump-eoverflow',
    key: 'bumpWrap',
    summary: 'bump counter wraps round the offset space instead of failing EOVERFLOW',
    fixedSummary: 'bump counter fails EOVERFLOW at the end of the space',
  },
  {
    name: 'claim-no-merge',
    fixed: 'claim-merge',
    key: 'claimNoMerge',
    summary: 'Xen claim_range extends the previous range without merging the next',
    fixedSummary: 'claim merges the extended range with a next range it now touches',
  },
])

/**
 * A spec's quirk word: the kernel name switches the quirk on, the corrected name off. Null if
 * no quirk has that name.
 */
export function parseQuirkWord(word: string): { key: keyof Quirks; on: boolean } | null {
  for (const info of QUIRK_INFO) {
    if (info.name === word) return { key: info.key, on: true }
    if (info.fixed === word) return { key: info.key, on: false }
  }
  return null
}

/**
 * The quirk words that turn `defaults` into `quirks`, in canonical order: a quirk switched on
 * beyond the defaults by its kernel name, a default switched off by its corrected name.
 */
export function quirkWords(quirks: Readonly<Quirks>, defaults: Readonly<Quirks> = NO_QUIRKS): string[] {
  const words: string[] = []
  for (const info of QUIRK_INFO) {
    if (quirks[info.key] === defaults[info.key]) continue
    words.push(quirks[info.key] ? info.name : info.fixed)
  }
  return words
}

/** The Quirks key of a kebab-case quirk name, or null if there is no such quirk. */
export function quirkKey(name: string): keyof Quirks | null {
  for (const info of QUIRK_INFO) if (info.name === name) return info.key
  return null
}

/** kebab-case names of the quirks that are on, in canonical order ('' → none). */
export function quirkNamesOn(quirks: Readonly<Quirks>): string[] {
  const names: string[] = []
  for (const info of QUIRK_INFO) if (quirks[info.key]) names.push(info.name)
  return names
}
