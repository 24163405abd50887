// Shrinks a failing op stream to a small one that still fails, so `gntbench check` can print a
// trace a person can read in a minute. Delta debugging (Zeller's ddmin, simplified): drop chunks
// of ops, halving the chunk size down to single ops, while the stream still fails; then try
// simpler numbers in each remaining op (one page, offset 0, byte 0); repeat until nothing
// changes; finally renumber handles and VMA slots from 0 in order of first use. Deterministic
// and bounded by a budget of test runs, so it cannot take longer than the suite itself.

import type { DeviceOp, OpStream } from '../workloads/types.js'

/** Returns true while `ops` still shows the failure being shrunk. */
export type FailurePredicate = (ops: readonly DeviceOp[]) => boolean

export interface ShrinkResult {
  readonly ops: DeviceOp[]
  /** How many times the predicate ran. */
  readonly runs: number
}

/** Smallest failing stream found within `budget` predicate runs (`ops` itself must fail). */
export function shrinkOps(ops: readonly DeviceOp[], fails: FailurePredicate, budget = 4000): ShrinkResult {
  let current = ops.slice()
  let runs = 0
  const test = (candidate: readonly DeviceOp[]): boolean => {
    if (runs >= budget) return false
    runs++
    return fails(candidate)
  }
  let progress = true
  while (progress && runs < budget) {
    progress = false
    for (let size = Math.max(1, Math.ceil(current.length / 2)); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      // Chunks from the end: later ops depend on earlier ones, so they are the likelier to go.
      // Removing [start, end) leaves everything before start in place, so the next chunk ends there.
      for (let end = current.length; end > 0 && runs < budget; end -= size) {
        const start = Math.max(0, end - size)
        const candidate = [...current.slice(0, start), ...current.slice(end)]
        if (candidate.length > 0 && test(candidate)) {
          current = candidate
          progress = true
        }
      }
    }
    for (let i = 0; i < current.length && runs < budget; i++) {
      for (const simpler of simplerOps(current[i] as DeviceOp)) {
        const candidate = current.slice()
        candidate[i] = simpler
        if (test(candidate)) {
          current = candidate
          progress = true
          break
        }
      }
    }
  }
  const renumbered = renumber(current)
  if (runs < budget && test(renumbered)) current = renumbered
  return { ops: current, runs }
}

/** Simpler variants of one op, simplest first. */
function simplerOps(op: DeviceOp): DeviceOp[] {
  const out: DeviceOp[] = []
  const smaller = (pages: number): number[] => {
    const options = new Set<number>()
    if (pages > 1) options.add(1)
    if (pages > 2) options.add(Math.floor(pages / 2))
    if (pages > 1) options.add(pages - 1)
    return [...options]
  }
  switch (op.kind) {
    case 'alloc':
      for (const pages of smaller(op.pages)) out.push({ ...op, pages })
      if (!op.writable) out.push({ ...op, writable: true })
      break
    case 'map':
      for (const pages of smaller(op.grantRefs.length)) out.push({ ...op, grantRefs: op.grantRefs.slice(0, pages) })
      break
    case 'dealloc':
    case 'foreignMap':
    case 'foreignUnmap':
      if (op.pageOffset > 0) out.push({ ...op, pageOffset: 0 })
      for (const pages of smaller(op.pages)) out.push({ ...op, pages })
      break
    case 'unmap':
      for (const pages of smaller(op.pages)) out.push({ ...op, pages })
      break
    case 'mmap':
      if (op.pageOffset > 0) out.push({ ...op, pageOffset: 0 })
      for (const pages of smaller(op.pages)) out.push({ ...op, pages })
      if (!op.writable) out.push({ ...op, writable: true })
      break
    case 'notify':
      if (op.pageOffset > 0) out.push({ ...op, pageOffset: 0 })
      if (op.byteInPage > 0) out.push({ ...op, byteInPage: 0 })
      if (op.port > 1) out.push({ ...op, port: 1 })
      break
    default:
      break
  }
  return out
}

/** Handles and VMA slots numbered 0, 1, … in order of first appearance. */
function renumber(ops: readonly DeviceOp[]): DeviceOp[] {
  const handles = new Map<number, number>()
  const vmas = new Map<number, number>()
  const h = (handle: number): number => {
    let mapped = handles.get(handle)
    if (mapped === undefined) handles.set(handle, (mapped = handles.size))
    return mapped
  }
  const v = (vma: number): number => {
    let mapped = vmas.get(vma)
    if (mapped === undefined) vmas.set(vma, (mapped = vmas.size))
    return mapped
  }
  return ops.map((op): DeviceOp => {
    switch (op.kind) {
      case 'mmap':
        return { ...op, vma: v(op.vma), handle: h(op.handle) }
      case 'munmap':
      case 'getOffset':
        return { ...op, vma: v(op.vma) }
      case 'close':
        return op
      default:
        return { ...op, handle: h(op.handle) }
    }
  })
}

/** A stream of `ops` with handle and VMA tables just large enough. */
export function streamOf(ops: readonly DeviceOp[]): OpStream {
  let handles = 0
  let vmas = 0
  for (const op of ops) {
    if (op.kind === 'mmap' || op.kind === 'munmap' || op.kind === 'getOffset') vmas = Math.max(vmas, op.vma + 1)
    if (op.kind !== 'munmap' && op.kind !== 'getOffset' && op.kind !== 'close') handles = Math.max(handles, op.handle + 1)
  }
  return { setup: [], measured: ops, handles, vmas }
}
