import { describe, expect, it } from 'vitest'
import { SimPeer } from '../../src/device/peer.js'
import { bindSlots, slotPoolSize, StreamBinder } from '../../src/workloads/bind.js'
import { PeerSlots } from '../../src/workloads/peer-slots.js'
import { StreamBuilder } from '../../src/workloads/stream-builder.js'

function smallStream() {
  const b = new StreamBuilder()
  const ring = b.map([0, 1])
  b.mmap(ring, 0, 2, true)
  b.startMeasured()
  const h = b.map([2, 0])
  b.unmap(h, 2)
  b.alloc(3, true)
  return b.build()
}

describe('PeerSlots', () => {
  it('reuses freed slots, most recently freed first, and counts the pool', () => {
    const slots = new PeerSlots()
    const a = slots.take(3)
    expect(a).toEqual([0, 1, 2])
    slots.give(a)
    expect(slots.take(2)).toEqual([0, 1])
    expect(slots.take(2)).toEqual([2, 3])
    expect(slots.size).toBe(4)
  })
})

describe('StreamBuilder', () => {
  it('numbers handles and VMAs across setup and measured parts and trims to K', () => {
    const stream = smallStream()
    expect(stream.setup.map((op) => op.kind)).toEqual(['map', 'mmap'])
    expect(stream.measured.map((op) => op.kind)).toEqual(['map', 'unmap', 'alloc'])
    expect(stream.handles).toBe(3)
    expect(stream.vmas).toBe(1)
    const b = new StreamBuilder()
    b.startMeasured()
    for (let i = 0; i < 5; i++) b.alloc(1, true)
    expect(b.build(3).measured).toHaveLength(3)
  })
})

describe('binding slots to a peer', () => {
  it('sizes the pool from the highest slot and rewrites MAP ops only', () => {
    const stream = smallStream()
    expect(slotPoolSize(stream)).toBe(3)
    const bound = bindSlots(stream, [100, 101, 102])
    expect(bound.setup[0]).toMatchObject({ kind: 'map', grantRefs: [100, 101] })
    expect(bound.measured[0]).toMatchObject({ kind: 'map', grantRefs: [102, 100] })
    expect(bound.measured[2]).toBe(stream.measured[2])
    expect(() => bindSlots(stream, [1])).toThrow(RangeError)
  })

  it('grants the pool on each fresh peer and reuses the rewrite when the refs repeat', () => {
    const binder = new StreamBinder(smallStream())
    const first = new SimPeer(1, null)
    const bound = binder.bind(first)
    const refs = bound.setup[0]?.kind === 'map' ? bound.setup[0].grantRefs : []
    for (const ref of refs) expect(first.isGranted(ref)).toBe(true)
    expect(binder.bind(new SimPeer(1, null))).toBe(bound)
  })
})
