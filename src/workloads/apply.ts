// Runs symbolic operation streams (types.ts) on a GrantDevice: the one place where handles turn
// into the pages a particular strategy handed out. Used by the benchmark runner, the trace
// replayer and the differential tests, so all three drive the device identically.
//
// The applier is on the timed path: it keeps its handle tables in typed arrays and allocates
// nothing per operation except the grant-ref list it must remember for foreign mappings.

import type { GrantDevice, OffsetCount, PeerDomain } from '../device/types.js'
import type { DeviceOp, OpStream } from './types.js'

/** Result of an operation whose handle or VMA slot holds no successful result. */
export const SKIPPED = -1_000_000

export class OpApplier {
  readonly device: GrantDevice
  readonly peer: PeerDomain
  /** First page per handle; −1 when unset or when the creating call failed. */
  readonly pageOf: Float64Array
  /** vaddr per VMA slot; −1 when unset, failed or unmapped. */
  readonly vaddrOf: Float64Array
  /** Grant refs of allocated grefs per handle (only kept when the stream has foreign mappings). */
  private readonly grantRefsOf: (number[] | null)[]
  private readonly trackGrantRefs: boolean
  private readonly offsetOut: OffsetCount = { firstPage: 0, pages: 0 }
  /** Calls that returned ≥ 0. */
  ok = 0
  /** Calls that returned −errno. */
  failed = 0
  /** Operations not issued because their handle or slot had no result. */
  skipped = 0

  constructor(device: GrantDevice, peer: PeerDomain, stream: Pick<OpStream, 'handles' | 'vmas'>, trackGrantRefs: boolean) {
    this.device = device
    this.peer = peer
    this.pageOf = new Float64Array(stream.handles).fill(-1)
    this.vaddrOf = new Float64Array(stream.vmas).fill(-1)
    this.grantRefsOf = new Array<number[] | null>(trackGrantRefs ? stream.handles : 0).fill(null)
    this.trackGrantRefs = trackGrantRefs
  }

  /** True when any op in the stream needs the grant refs of our grefs. */
  static needsGrantRefs(ops: readonly DeviceOp[]): boolean {
    return ops.some((op) => op.kind === 'foreignMap' || op.kind === 'foreignUnmap')
  }

  applyAll(ops: readonly DeviceOp[]): void {
    for (let i = 0; i < ops.length; i++) this.apply(ops[i] as DeviceOp)
  }

  /** Issue one operation; returns the device's result, or SKIPPED. */
  apply(op: DeviceOp): number {
    const device = this.device
    let result: number
    switch (op.kind) {
      case 'alloc': {
        const refs = this.trackGrantRefs ? [] : null
        result = device.allocGref(op.domid, op.pages, op.writable, refs)
        this.pageOf[op.handle] = result >= 0 ? result : -1
        if (refs !== null) this.grantRefsOf[op.handle] = result >= 0 ? refs : null
        break
      }
      case 'map':
        result = device.mapGrantRef(op.domid, op.grantRefs)
        this.pageOf[op.handle] = result >= 0 ? result : -1
        break
      case 'dealloc': {
        const first = this.pageOf[op.handle] as number
        if (first < 0) return this.skip()
        result = device.deallocGref(first + op.pageOffset, op.pages)
        break
      }
      case 'unmap': {
        const first = this.pageOf[op.handle] as number
        if (first < 0) return this.skip()
        result = device.unmapGrantRef(first, op.pages)
        break
      }
      case 'mmap': {
        const first = this.pageOf[op.handle] as number
        if (first < 0) return this.skip()
        result = device.mmap(first + op.pageOffset, op.pages, op.writable)
        this.vaddrOf[op.vma] = result >= 0 ? result : -1
        break
      }
      case 'munmap': {
        const vaddr = this.vaddrOf[op.vma] as number
        if (vaddr < 0) return this.skip()
        result = device.munmap(vaddr)
        this.vaddrOf[op.vma] = -1
        break
      }
      case 'getOffset': {
        const vaddr = this.vaddrOf[op.vma] as number
        if (vaddr < 0) return this.skip()
        result = device.getOffsetForVaddr(vaddr, this.offsetOut)
        break
      }
      case 'notify': {
        const first = this.pageOf[op.handle] as number
        if (first < 0) return this.skip()
        result = device.setUnmapNotify(first + op.pageOffset, op.byteInPage, op.action, op.port)
        break
      }
      case 'foreignMap':
      case 'foreignUnmap': {
        const refs = this.trackGrantRefs ? this.grantRefsOf[op.handle] : null
        if (refs === null || refs === undefined) return this.skip()
        const end = Math.min(refs.length, op.pageOffset + op.pages)
        for (let i = op.pageOffset; i < end; i++) {
          const ref = refs[i] as number
          if (op.kind === 'foreignMap') this.peer.mapForeign(ref)
          else this.peer.unmapForeign(ref)
        }
        result = 0
        break
      }
      case 'close':
        device.close()
        result = 0
        break
    }
    if (result >= 0) this.ok++
    else this.failed++
    return result
  }

  /** The offset and count the last successful getOffset returned. */
  lastOffset(): Readonly<OffsetCount> {
    return this.offsetOut
  }

  private skip(): number {
    this.skipped++
    return SKIPPED
  }
}
