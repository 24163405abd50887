// Which handles and VMA slots a trace has created, so that a line using one no earlier line made,
// or making one that is still live, is an error where it is written (FILE:LINE:COL) instead of an
// op the replayer silently skips or a record it silently forgets.
//
//   a handle  is created by `alloc hN` or `map hN`, released by `dealloc hN…` or `unmap hN`
//             (any page count: what is left is the device's business) and by `close`. Using a
//             released handle is allowed — the device answers it (EINVAL, ENOENT), which is what
//             a hand-written regression case may want to pin down. Creating one that is live
//             (no release since it was made) is not: the first record would become unreachable.
//   a slot    is created by `mmap vM …` and released by `munmap vM`; close does not release it
//             (a mapping outlives the file descriptor, as in Linux).
//
// Every generated workload and every conformance stream keeps these rules; so does a shrunk
// counterexample (the shrinker only keeps candidates that do).

import type { DeviceOp } from './types.js'

export interface HandleProblem {
  readonly kind: 'handle' | 'vma'
  readonly slot: number
  /** 'undefined': no earlier line created it; 'rebound': it is live. */
  readonly problem: 'undefined' | 'rebound'
  /** Where the live one was created (a line, or an op index + 1), for 'rebound'. */
  readonly createdAt: number
}

export class HandleTracker {
  /** Slot → where it was created (live) or −where (released). */
  private readonly handles = new Map<number, number>()
  private readonly vmas = new Map<number, number>()

  /** Take `op` (at line or position `at`, ≥ 1); the first rule it breaks, or null. */
  step(op: DeviceOp, at: number): HandleProblem | null {
    switch (op.kind) {
      case 'alloc':
      case 'map':
        return this.create(this.handles, 'handle', op.handle, at)
      case 'dealloc':
      case 'unmap':
        return this.use(this.handles, 'handle', op.handle, true)
      case 'notify':
      case 'foreignMap':
      case 'foreignUnmap':
        return this.use(this.handles, 'handle', op.handle, false)
      case 'mmap':
        return this.use(this.handles, 'handle', op.handle, false) ?? this.create(this.vmas, 'vma', op.vma, at)
      case 'munmap':
        return this.use(this.vmas, 'vma', op.vma, true)
      case 'getOffset':
        return this.use(this.vmas, 'vma', op.vma, false)
      case 'close':
        for (const [slot, where] of this.handles) if (where > 0) this.handles.set(slot, -where)
        return null
    }
  }

  private create(table: Map<number, number>, kind: HandleProblem['kind'], slot: number, at: number): HandleProblem | null {
    const where = table.get(slot)
    if (where !== undefined && where > 0) return { kind, slot, problem: 'rebound', createdAt: where }
    table.set(slot, at)
    return null
  }

  private use(table: Map<number, number>, kind: HandleProblem['kind'], slot: number, release: boolean): HandleProblem | null {
    const where = table.get(slot)
    if (where === undefined) return { kind, slot, problem: 'undefined', createdAt: 0 }
    if (release && where > 0) table.set(slot, -where)
    return null
  }
}

/** The first problem of a whole op sequence (positions are 1-based op indices), or null. */
export function handleProblemOf(ops: readonly DeviceOp[]): HandleProblem | null {
  const tracker = new HandleTracker()
  for (let i = 0; i < ops.length; i++) {
    const problem = tracker.step(ops[i] as DeviceOp, i + 1)
    if (problem !== null) return problem
  }
  return null
}
