// Documented kernel quirks as opt-in switches (kernel-models.md §2.3, §3.2, §4.3, §5.2), and
// the one quirk that is a function: FreeBSD gntdev's tree comparator
// (sys/dev/xen/gntdev/gntdev.c), which returns the u64 byte difference of two file offsets
// truncated to a C int. Every strategy defaults to correct behaviour; a quirk is switched on by
// its kebab-case name on the command line (`freebsd:truncated-compare`) or by
// `StrategyOptions.quirks`.

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

/** Every quirk switched off except those named in `partial`. */
export function resolveQuirks(partial?: Partial<Quirks>): Readonly<Quirks> {
  if (partial === undefined) return NO_QUIRKS
  return Object.freeze({
    truncatedCompare: partial.truncatedCompare ?? NO_QUIRKS.truncatedCompare,
    strictGap: partial.strictGap ?? NO_QUIRKS.strictGap,
    intPageIndex: partial.intPageIndex ?? NO_QUIRKS.intPageIndex,
    bumpWrap: partial.bumpWrap ?? NO_QUIRKS.bumpWrap,
    claimNoMerge: partial.claimNoMerge ?? NO_QUIRKS.claimNoMerge,
  })
}

/** A quirk as the CLI and `gntbench list` show it. */
export interface QuirkInfo {
  /** kebab-case name used in strategy specs (`freebsd:truncated-compare`). */
  readonly name: string
  readonly key: keyof Quirks
  readonly summary: string
}

/** All quirks, in the canonical order used when a strategy name spells its quirks. */
export const QUIRK_INFO: readonly QuirkInfo[] = Object.freeze([
  {
    name: 'truncated-compare',
    key: 'truncatedCompare',
    summary: 'FreeBSD: tree comparator = byte difference truncated to int (every RbTree of the strategy)',
  },
  {
    name: 'strict-gap',
    key: 'strictGap',
    summary: 'Linux gntdev: first-fit needs a hole of pages + 1 (strict <), exact-size holes are skipped',
  },
  {
    name: 'int-page-index',
    key: 'intPageIndex',
    summary: 'Linux gntdev: int page index, byte offsets from 2^19 pages on are garbage (device boundary)',
  },
  { name: 'bump-wrap', key: 'bumpWrap', summary: 'bump counter wraps round the offset space instead of failing EOVERFLOW' },
  { name: 'claim-no-merge', key: 'claimNoMerge', summary: 'Xen claim_range extends the previous range without merging the next' },
])

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
