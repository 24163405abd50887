// The grant table of our own domain: the entries ALLOC_GREF hands out as grant refs for the
// pages it shares (FreeBSD sys/dev/xen/gntdev/gntdev.c and Linux drivers/xen/gntalloc.c both
// claim one entry per page through the kernel's grant-table core, drivers/xen/grant-table.c).
// An entry is released only when the cleanup queue frees the gref, i.e. once no local mmap and
// no foreign mapping is left (docs/kernel-model.md §2.5, §4.4).
//
// Order of reuse: fresh entries first, then freed ones oldest first. The kernels keep a free list
// whose order is an implementation detail; handing out fresh entries first means a stale grant
// ref that the simulated peer still remembers cannot alias a new grant until the whole table has
// cycled, and it makes ref numbering identical on every strategy (the differential tests rely on
// it). Entries 0–7 are reserved, as Linux's GNTTAB_NR_RESERVED_ENTRIES (console, xenstore).
//
// Cost: take and release are O(1) amortised; the liveness bitmap grows by doubling, so a table of
// 2^22 entries costs nothing until it is used.

/** Entries below this are reserved for the toolstack and never handed out. */
export const GNTTAB_NR_RESERVED_ENTRIES = 8

/** Default number of entries: large enough that benchmarks never hit it. */
export const DEFAULT_GRANT_TABLE_ENTRIES = 2 ** 22

export class GrantTable {
  /** Total entries, reserved ones included. */
  readonly entries: number
  /** Next never-used entry. */
  private nextFresh: number
  /** Released entries, oldest at `freedHead`. */
  private freed: number[]
  private freedHead: number
  /** 1 while the entry is granted; grown on demand. */
  private live: Uint8Array
  /** Entries currently granted. */
  inUse: number

  constructor(entries: number = DEFAULT_GRANT_TABLE_ENTRIES) {
    if (!Number.isInteger(entries) || entries <= GNTTAB_NR_RESERVED_ENTRIES || entries > 2 ** 32) {
      throw new RangeError(`grant table entries must be an integer in (${GNTTAB_NR_RESERVED_ENTRIES}, 2^32], got ${entries}`)
    }
    this.entries = entries
    this.nextFresh = GNTTAB_NR_RESERVED_ENTRIES
    this.freed = []
    this.freedHead = 0
    this.live = new Uint8Array(Math.min(entries, 1024))
    this.inUse = 0
  }

  /** Entries that take() can still hand out. */
  available(): number {
    return this.entries - this.nextFresh + (this.freed.length - this.freedHead)
  }

  /** Claim one entry; the caller checked available() ≥ 1. O(1) amortised. */
  take(): number {
    let ref: number
    if (this.nextFresh < this.entries) {
      ref = this.nextFresh++
      if (ref >= this.live.length) this.grow(ref)
    } else {
      ref = this.freed[this.freedHead++] as number
      if (this.freedHead > 1024 && this.freedHead * 2 > this.freed.length) {
        this.freed = this.freed.slice(this.freedHead)
        this.freedHead = 0
      }
    }
    this.live[ref] = 1
    this.inUse++
    return ref
  }

  /** Give an entry back (end of foreign access). Releasing a free entry is a no-op. */
  release(ref: number): void {
    if (!this.isLive(ref)) return
    this.live[ref] = 0
    this.inUse--
    this.freed.push(ref)
  }

  /** True while `ref` is granted (a peer can map only live entries). */
  isLive(ref: number): boolean {
    return ref >= 0 && ref < this.live.length && this.live[ref] === 1
  }

  private grow(ref: number): void {
    let size = this.live.length * 2
    while (size <= ref) size *= 2
    const bigger = new Uint8Array(Math.min(size, this.entries))
    bigger.set(this.live)
    this.live = bigger
  }
}
