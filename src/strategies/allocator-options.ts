// What every offset allocator is built from, and the argument checks they share. The offset
// space defaults to FreeBSD's MAX_OFFSET_COUNT, 2^52 pages (the whole u64 byte space,
// sys/dev/xen/gntdev/gntdev.c); studies of wrap and width hazards shrink it.

import { OFFSET_SPACE_PAGES } from '../abi.js'
import type { Quirks } from './types.js'

export interface AllocatorOptions {
  /** Size of the offset space in pages; default OFFSET_SPACE_PAGES (2^52). */
  offsetSpacePages?: number
  /** Quirks to switch on; each allocator reads only its own. */
  quirks?: Partial<Quirks>
}

/** The offset space of `options`, validated: an integer in [1, 2^52]. Throws RangeError. */
export function offsetSpaceOf(options: AllocatorOptions | undefined): number {
  const space = options?.offsetSpacePages ?? OFFSET_SPACE_PAGES
  if (!Number.isInteger(space) || space < 1 || space > OFFSET_SPACE_PAGES) {
    throw new RangeError(`offsetSpacePages must be an integer in [1, 2^52], got ${space}`)
  }
  return space
}

/** True when `pages` cannot be a run in a space of `space` pages (→ EINVAL, as count == 0 is). */
export function isBadRunLength(pages: number, space: number): boolean {
  return !Number.isInteger(pages) || pages < 1 || pages > space
}
