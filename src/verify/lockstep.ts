// Runs one op stream on several devices side by side and says where their answers part. This is
// the differential pass of `gntbench replay` (strategies against each other) and of
// `gntbench check` (an outside strategy against ReferenceDevice).
//
// What "agree" means. Offsets and vaddrs differ between strategies by design (FreeBSD hands out
// offsets downward from 2^64, Linux upward from 0), so results are compared symbolically:
// success against success, errno against errno, and GET_OFFSET_FOR_VADDR by the handle and page
// count it resolves to. Lanes are compared with the first lane, the baseline, in one of three modes:
//
//   exact   same policy, limits and quirks: every line must agree, errno included.
//   policy  same quirks, different policy or limits (e.g. linux-gntdev:exact-fit against list): a
//           line is compared only where the policy fields that decide it are equal (RELEVANT), and
//           only success against failure, since the errno of a missing run is itself policy.
//           Where the policies legitimately part, the handle or VMA slot involved is marked and
//           later lines that use it are no longer compared.
//   loose   different quirks (e.g. freebsd, whose comparator truncates, against rbtree): a quirk
//           is a documented deviation, so the first difference is reported as a note and the lane
//           is compared no further.
//
// Capacity. With `tolerateCapacity` (replay), an ALLOC or MAP that fails with ENOSPC or
// EOVERFLOW in one lane and succeeds in the other is not a mismatch: how soon an offset space
// runs out is the allocator's own property (a bump counter never reuses), which the wrap study
// measures on purpose. The first such line is noted and the handle is left out from then on.
// The conformance suite does not tolerate it: against an oracle with 2^52 pages, running out is
// a bug.
//
// Each lane prepares its own peer: before a map, every ref it names is granted, so the map
// hypercall at mmap finds it granted (the device asks nothing else of a ref).

import type { GrantDevice, PeerDomain } from '../device/types.js'
import { ENOSPC, EOVERFLOW, errnoName } from '../errno.js'
import type { DeviceLimits, DevicePolicy, Quirks } from '../strategies/types.js'
import { OpApplier, SKIPPED } from '../workloads/apply.js'
import type { DeviceOp, DeviceOpKind, OpStream } from '../workloads/types.js'

/** The part of the simulated peer (device/peer.ts SimPeer) that grants a given ref. */
export interface RefGranter {
  grantRef(grantRef: number): void
}

/** What decides a device's answers besides its data structures. */
export interface Semantics {
  readonly policy: Readonly<DevicePolicy>
  readonly limits: Readonly<DeviceLimits>
  readonly quirks: Readonly<Quirks>
}

export type CompareMode = 'exact' | 'policy' | 'loose'

/** One device in the lockstep, with the symbolic bookkeeping that makes its answers comparable. */
export class Lane {
  readonly name: string
  readonly device: GrantDevice
  readonly semantics: Semantics
  readonly applier: OpApplier
  private readonly peer: PeerDomain & RefGranter
  /** Handle each VMA slot was mmapped from, and that handle's first page at the time. */
  private readonly vmaHandle: Float64Array
  private readonly vmaBase: Float64Array
  /** The last op's result (a page, vaddr, 0, −errno or SKIPPED). */
  result = 0
  /** For a successful getoffset: the handle, page offset from its first page, and count. */
  offsetHandle = -1
  offsetDelta = 0
  offsetPages = 0

  /**
   * `peer` is the device's domain peer (Domain.peer, ReferenceDevice.peer): it grants the refs of
   * map lines and performs the foreign mappings. trackGrantRefs: the stream has foreign-map lines.
   */
  constructor(
    name: string,
    device: GrantDevice,
    peer: PeerDomain & RefGranter,
    semantics: Semantics,
    tables: Pick<OpStream, 'handles' | 'vmas'>,
    trackGrantRefs: boolean,
  ) {
    this.name = name
    this.device = device
    this.peer = peer
    this.semantics = semantics
    this.applier = new OpApplier(device, peer, tables, trackGrantRefs)
    this.vmaHandle = new Float64Array(tables.vmas).fill(-1)
    this.vmaBase = new Float64Array(tables.vmas).fill(-1)
  }

  apply(op: DeviceOp): number {
    if (op.kind === 'map') {
      const refs = op.grantRefs
      for (let i = 0; i < refs.length; i++) this.peer.grantRef(refs[i] as number)
    } else if (op.kind === 'mmap') {
      this.vmaHandle[op.vma] = op.handle
      this.vmaBase[op.vma] = this.applier.pageOf[op.handle] as number
    }
    const result = this.applier.apply(op)
    this.result = result
    if (op.kind === 'getOffset' && result >= 0) {
      const out = this.applier.lastOffset()
      this.offsetHandle = this.vmaHandle[op.vma] as number
      this.offsetDelta = out.firstPage - (this.vmaBase[op.vma] as number)
      this.offsetPages = out.pages
    }
    return result
  }

  /** The last answer in words: 'OK', 'ENOENT', 'OK → h3+0, 4 pages', 'skipped (…)'. */
  describe(op: DeviceOp): string {
    const result = this.result
    if (result === SKIPPED) return 'skipped (its handle or VMA slot holds no successful result)'
    if (result < 0) return errnoName(result)
    if (op.kind === 'getOffset') return `OK → h${this.offsetHandle}+${this.offsetDelta}, ${this.offsetPages} pages`
    return 'OK'
  }
}

/** A line where a lane and the baseline disagree although their semantics say they must not. */
export interface Mismatch {
  readonly lane: string
  readonly baseline: string
  readonly op: DeviceOp
  /** The baseline's and the lane's answers, in words. */
  readonly expected: string
  readonly got: string
}

/** A documented deviation (other quirks, or an offset space running out) seen for the first time. */
export interface DivergenceNote {
  readonly lane: string
  readonly reason: 'quirks' | 'capacity'
  readonly line: number
  readonly op: DeviceOp
  readonly expected: string
  readonly got: string
}

/** Per op kind, the policy and limit fields that decide success or failure. */
const RELEVANT: Readonly<Record<DeviceOpKind, { policy: readonly (keyof DevicePolicy)[]; limits: readonly (keyof DeviceLimits)[] }>> = {
  alloc: { policy: ['supportsAlloc', 'deferredCountsAgainstLimit', 'grefLimitCountsMmapped', 'deallocCleansOnFailure', 'cleanupOn'], limits: ['maxPagesPerCall', 'globalGrefLimit'] },
  dealloc: { policy: ['supportsAlloc'], limits: [] },
  map: { policy: ['supportsMap'], limits: ['maxPagesPerCall'] },
  unmap: { policy: ['supportsMap', 'unmapCountWildcard'], limits: [] },
  mmap: { policy: ['supportsAlloc', 'supportsMap', 'grefSingleMapping', 'gmapSingleMapping', 'gmapReadonlyChecks'], limits: [] },
  munmap: { policy: [], limits: [] },
  getOffset: { policy: ['supportsMap'], limits: [] },
  notify: { policy: ['supportsAlloc', 'supportsMap', 'gmapReadonlyChecks', 'notifyLookupFirst'], limits: [] },
  foreignMap: { policy: [], limits: [] },
  foreignUnmap: { policy: [], limits: [] },
  close: { policy: [], limits: [] },
}

const OP_KINDS = Object.keys(RELEVANT) as DeviceOpKind[]

interface LaneState {
  readonly lane: Lane
  readonly mode: CompareMode
  /** Per op kind: the fields that decide it are equal to the baseline's. */
  readonly comparable: Readonly<Record<DeviceOpKind, boolean>>
  readonly taintedHandles: Set<number>
  readonly taintedVmas: Set<number>
  stopped: boolean
  /** A legitimate divergence happened: the lanes' final records may differ. */
  diverged: boolean
  capacityNoted: boolean
  /** Lines compared with the baseline, and lines left out because the semantics differ. */
  compared: number
  leftOut: number
}

/** How one lane related to the baseline over a whole run. */
export interface LaneSummary {
  readonly lane: string
  readonly mode: CompareMode
  readonly compared: number
  readonly leftOut: number
}

export class Lockstep {
  readonly lanes: readonly Lane[]
  readonly notes: DivergenceNote[] = []
  private readonly states: LaneState[]

  private readonly tolerateCapacity: boolean

  /** lanes[0] is the baseline every other lane is compared with. */
  constructor(lanes: readonly Lane[], options: { tolerateCapacity?: boolean } = {}) {
    this.tolerateCapacity = options.tolerateCapacity ?? false
    const baseline = lanes[0]
    if (baseline === undefined) throw new RangeError('Lockstep needs at least one lane')
    this.lanes = lanes
    this.states = lanes.slice(1).map((lane) => {
      const mode = compareMode(baseline.semantics, lane.semantics)
      const comparable = {} as Record<DeviceOpKind, boolean>
      for (const kind of OP_KINDS) comparable[kind] = mode === 'exact' || relevantEqual(kind, baseline.semantics, lane.semantics)
      return {
        lane,
        mode,
        comparable,
        taintedHandles: new Set<number>(),
        taintedVmas: new Set<number>(),
        stopped: false,
        diverged: false,
        capacityNoted: false,
        compared: 0,
        leftOut: 0,
      }
    })
  }

  get baseline(): Lane {
    return this.lanes[0] as Lane
  }

  /** Apply `op` on every lane; the first lane whose answer must agree and does not, else null. */
  step(op: DeviceOp, line: number): Mismatch | null {
    const lanes = this.lanes
    for (let i = 0; i < lanes.length; i++) (lanes[i] as Lane).apply(op)
    const base = this.baseline
    let mismatch: Mismatch | null = null
    for (const state of this.states) {
      const found = this.compare(op, line, base, state)
      if (found !== null && mismatch === null) mismatch = found
    }
    return mismatch
  }

  /** After the last op: lanes of the baseline's exact semantics must hold the same records. */
  finalMismatch(): { lane: string; baseline: string; expected: string; got: string } | null {
    const base = this.baseline
    const expected = statsLine(base.device)
    for (const state of this.states) {
      if (state.mode !== 'exact' || state.diverged) continue
      const got = statsLine(state.lane.device)
      if (got !== expected) return { lane: state.lane.name, baseline: base.name, expected, got }
    }
    return null
  }

  summaries(): LaneSummary[] {
    return this.states.map((s) => ({ lane: s.lane.name, mode: s.mode, compared: s.compared, leftOut: s.leftOut }))
  }

  private compare(op: DeviceOp, line: number, base: Lane, state: LaneState): Mismatch | null {
    if (state.stopped) return null
    const lane = state.lane
    // A line that uses a handle or slot whose state legitimately differs cannot be compared.
    if (usesTainted(op, state)) {
      if (op.kind === 'mmap') state.taintedVmas.add(op.vma)
      state.leftOut++
      return null
    }
    const agree = sameOutcome(op, base, lane, state.mode === 'exact')
    if (agree) {
      state.compared++
      untaintCreated(op, state)
      return null
    }
    if (state.mode === 'loose') {
      this.notes.push({ lane: lane.name, reason: 'quirks', line, op, expected: base.describe(op), got: lane.describe(op) })
      state.stopped = true
      return null
    }
    if (this.tolerateCapacity && isCapacityDivergence(op, base.result, lane.result)) {
      if (!state.capacityNoted) {
        this.notes.push({ lane: lane.name, reason: 'capacity', line, op, expected: base.describe(op), got: lane.describe(op) })
        state.capacityNoted = true
      }
      state.leftOut++
      state.diverged = true
      taintTouched(op, state)
      return null
    }
    if (state.comparable[op.kind]) {
      state.compared++
      return { lane: lane.name, baseline: base.name, op, expected: base.describe(op), got: lane.describe(op) }
    }
    state.leftOut++
    state.diverged = true
    taintTouched(op, state)
    return null
  }
}

/** An ALLOC or MAP that ran out of offsets (ENOSPC, EOVERFLOW) in one lane only. */
function isCapacityDivergence(op: DeviceOp, a: number, b: number): boolean {
  if (op.kind !== 'alloc' && op.kind !== 'map') return false
  const outOfSpace = (r: number): boolean => r === -ENOSPC || r === -EOVERFLOW
  return (a >= 0 && outOfSpace(b)) || (b >= 0 && outOfSpace(a))
}

/** How `other` is compared with `base`. */
function compareMode(base: Semantics, other: Semantics): CompareMode {
  if (!sameFields(base.quirks, other.quirks)) return 'loose'
  return sameFields(base.policy, other.policy) && sameFields(base.limits, other.limits) ? 'exact' : 'policy'
}

function relevantEqual(kind: DeviceOpKind, a: Semantics, b: Semantics): boolean {
  const fields = RELEVANT[kind]
  for (const key of fields.policy) if (!sameValue(a.policy[key], b.policy[key])) return false
  for (const key of fields.limits) if (a.limits[key] !== b.limits[key]) return false
  return true
}

function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) {
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  }
  return true
}

/** Equality of policy values: numbers, booleans, or sets of cleanup triggers. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item) => b.includes(item))
  return a === b
}

function sameOutcome(op: DeviceOp, a: Lane, b: Lane, exactErrno: boolean): boolean {
  const ra = a.result
  const rb = b.result
  if (ra === SKIPPED || rb === SKIPPED) return ra === rb
  if (ra < 0 || rb < 0) return ra < 0 && rb < 0 && (!exactErrno || ra === rb)
  switch (op.kind) {
    case 'alloc':
    case 'map':
    case 'mmap':
      // Pages and vaddrs are the strategy's choice; what they lead to is compared later.
      return true
    case 'getOffset':
      return a.offsetHandle === b.offsetHandle && a.offsetDelta === b.offsetDelta && a.offsetPages === b.offsetPages
    default:
      return ra === rb
  }
}

function usesTainted(op: DeviceOp, state: LaneState): boolean {
  switch (op.kind) {
    case 'dealloc':
    case 'unmap':
    case 'mmap':
    case 'notify':
    case 'foreignMap':
    case 'foreignUnmap':
      return state.taintedHandles.has(op.handle)
    case 'munmap':
    case 'getOffset':
      return state.taintedVmas.has(op.vma)
    default:
      return false
  }
}

function taintTouched(op: DeviceOp, state: LaneState): void {
  switch (op.kind) {
    case 'mmap':
    case 'munmap':
    case 'getOffset':
      state.taintedVmas.add(op.vma)
      break
    case 'close':
      break
    default:
      state.taintedHandles.add(op.handle)
  }
}

function untaintCreated(op: DeviceOp, state: LaneState): void {
  if (op.kind === 'alloc' || op.kind === 'map') state.taintedHandles.delete(op.handle)
  else if (op.kind === 'mmap') state.taintedVmas.delete(op.vma)
}

function statsLine(device: GrantDevice): string {
  const s = device.stats()
  return `grefs=${s.grefs} gmaps=${s.gmaps} vmas=${s.vmas} pending=${s.pendingCleanup} reclaimed=${s.reclaimed} notify-cleared=${s.notifyClearedBytes} notify-events=${s.notifyEventsSent}`
}

/** Device stats as one comparable line (conformance compares them after every op). */
export function deviceStatsLine(device: GrantDevice): string {
  return statsLine(device)
}
