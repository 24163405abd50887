// Obviously-correct reference models for the strategy property tests (the sorted-btree
// SortedArray idea): a sorted array of disjoint, merged [start, end) page intervals. Slow and
// simple on purpose; every answer of an allocator or store is checked against it.

export class IntervalSet {
  /** Disjoint, merged, ascending [start, end) pairs. */
  readonly runs: Array<[number, number]> = []

  get pages(): number {
    let total = 0
    for (const [s, e] of this.runs) total += e - s
    return total
  }

  overlaps(start: number, end: number): boolean {
    return this.runs.some(([s, e]) => start < e && s < end)
  }

  covers(start: number, end: number): boolean {
    return this.runs.some(([s, e]) => s <= start && end <= e)
  }

  /** Add [start, end); throws if any page is already in the set. */
  add(start: number, end: number): void {
    if (this.overlaps(start, end)) throw new Error(`IntervalSet.add: [${start}, ${end}) overlaps ${JSON.stringify(this.runs)}`)
    this.runs.push([start, end])
    this.runs.sort((a, b) => a[0] - b[0])
    const merged: Array<[number, number]> = []
    for (const run of this.runs) {
      const last = merged[merged.length - 1]
      if (last !== undefined && last[1] === run[0]) last[1] = run[1]
      else merged.push([run[0], run[1]])
    }
    this.runs.length = 0
    this.runs.push(...merged)
  }

  /** Remove [start, end); throws unless it is wholly inside the set. */
  remove(start: number, end: number): void {
    const i = this.runs.findIndex(([s, e]) => s <= start && end <= e)
    if (i < 0) throw new Error(`IntervalSet.remove: [${start}, ${end}) not covered`)
    const [s, e] = this.runs[i] as [number, number]
    const pieces: Array<[number, number]> = []
    if (s < start) pieces.push([s, start])
    if (end < e) pieces.push([end, e])
    this.runs.splice(i, 1, ...pieces)
  }

  /** First fit from 0 over the gaps below `space`: the low end of the first gap holding `need` pages. */
  firstFitLow(pages: number, space: number, strictGap = false): number {
    let candidate = 0
    for (const [s, e] of this.runs) {
      // Linux's strict test needs one page more in every hole before a run (not at the tail).
      if (candidate + pages + (strictGap ? 1 : 0) <= s) return candidate
      candidate = e
    }
    return candidate + pages <= space ? candidate : -1
  }

  /** First fit over the gaps in ascending address order, taking the HIGH end of the gap. */
  firstFitHigh(pages: number, space: number): number {
    let candidate = 0
    for (const [s, e] of this.runs) {
      if (s - candidate >= pages) return s - pages
      candidate = e
    }
    return space - candidate >= pages ? space - pages : -1
  }
}

/**
 * FreeBSD's free-region allocator re-stated over a plain sorted array, for the truncated
 * comparator while every key lies in one window below the top of the space: the comparator is
 * then circular order, i.e. address order with key 0 counted as `space` (after the top keys).
 * First fit in that order takes the high end; a free coalesces with its neighbours in that order
 * when adjacent modulo the space. An oracle for the tree-based allocator, not a model of the gaps.
 */
export class WindowedRegionsRef {
  readonly regions: Array<{ start: number; pages: number }>
  private readonly space: number

  constructor(space: number) {
    this.space = space
    this.regions = [{ start: 0, pages: space }]
  }

  alloc(pages: number): number {
    for (let i = 0; i < this.regions.length; i++) {
      const r = this.regions[i] as { start: number; pages: number }
      if (r.pages < pages) continue
      r.pages -= pages
      const first = (r.start + r.pages) % this.space
      if (r.pages === 0) this.regions.splice(i, 1)
      return first
    }
    return -1
  }

  free(first: number, pages: number): void {
    const order = (start: number): number => (start === 0 ? this.space : start)
    const node = { start: first % this.space, pages }
    let i = this.regions.findIndex((r) => order(r.start) > order(node.start))
    if (i < 0) i = this.regions.length
    this.regions.splice(i, 0, node)
    const next = this.regions[i + 1]
    if (next !== undefined && (node.start + node.pages) % this.space === next.start) {
      node.pages += next.pages
      this.regions.splice(i + 1, 1)
    }
    const prev = this.regions[i - 1]
    if (prev !== undefined && (prev.start + prev.pages) % this.space === node.start) {
      prev.pages += node.pages
      this.regions.splice(i, 1)
    }
  }
}
