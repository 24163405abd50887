// Binds a generated stream to one peer domain. Generators are pure data and cannot know which
// grant refs a peer will hand out, so their MAP operations name *slots* of one grant pool
// (peer-slots.ts). Before a device state is built the peer grants the pool once and slot s
// becomes the peer's s-th grant ref: the granting happens outside the timed region, as the
// DeviceOp contract requires, and a stream never depends on a peer's numbering.

import type { PeerDomain } from '../device/types.js'
import type { DeviceOp, OpStream } from './types.js'

/** Number of slots a stream's MAP operations use (highest slot + 1). */
export function slotPoolSize(stream: Pick<OpStream, 'setup' | 'measured'>): number {
  let size = 0
  for (const ops of [stream.setup, stream.measured]) {
    for (const op of ops) {
      if (op.kind !== 'map') continue
      for (const slot of op.grantRefs) if (slot + 1 > size) size = slot + 1
    }
  }
  return size
}

/** A stream whose MAP operations carry grant refs of `refs` (refs[slot]). */
export function bindSlots(stream: OpStream, refs: readonly number[]): OpStream {
  const rewrite = (ops: readonly DeviceOp[]): DeviceOp[] =>
    ops.map((op) => {
      if (op.kind !== 'map') return op
      const grantRefs = op.grantRefs.map((slot) => {
        const ref = refs[slot]
        if (ref === undefined) throw new RangeError(`grant slot ${slot} is outside the bound pool of ${refs.length}`)
        return ref
      })
      return { ...op, grantRefs }
    })
  return { setup: rewrite(stream.setup), measured: rewrite(stream.measured), handles: stream.handles, vmas: stream.vmas }
}

/**
 * Binds one stream to any number of fresh peers. A fresh peer of the same kind hands out the
 * same refs, and then the rewritten stream of the previous binding is reused as is, so a
 * benchmark replicate pays for the rewrite only once.
 */
export class StreamBinder {
  readonly stream: OpStream
  readonly poolSize: number
  private lastRefs: number[] | null = null
  private lastBound: OpStream | null = null

  constructor(stream: OpStream) {
    this.stream = stream
    this.poolSize = slotPoolSize(stream)
  }

  /** Grant the pool from `peer` and return the stream with its real refs. */
  bind(peer: PeerDomain): OpStream {
    if (this.poolSize === 0) return this.stream
    const refs: number[] = []
    peer.grantPages(this.poolSize, refs)
    if (refs.length !== this.poolSize) throw new Error(`peer granted ${refs.length} of ${this.poolSize} pages`)
    if (this.lastBound !== null && this.lastRefs !== null && sameRefs(this.lastRefs, refs)) return this.lastBound
    this.lastRefs = refs
    this.lastBound = bindSlots(this.stream, refs)
    return this.lastBound
  }
}

function sameRefs(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
