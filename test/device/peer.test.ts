import { describe, expect, it } from 'vitest'
import { SimPeer } from '../../src/device/peer.js'

describe('SimPeer', () => {
  it('grants fresh refs, honours explicit grants and revocation', () => {
    const peer = new SimPeer(3, null)
    expect(peer.domid).toBe(3)
    peer.grantRef(9)
    const out = [99]
    peer.grantPages(3, out)
    expect(out).toEqual([8, 10, 11]) // skips the explicitly granted 9
    expect(out.every((ref) => peer.isGranted(ref))).toBe(true)
    peer.revokeGrants([8, 9])
    expect(peer.isGranted(8)).toBe(false)
    expect(peer.isGranted(9)).toBe(false)
    expect(peer.isGranted(10)).toBe(true)
  })

  it('counts foreign mappings per grant ref', () => {
    const peer = new SimPeer(1, null)
    peer.mapForeign(20)
    peer.mapForeign(20)
    peer.unmapForeign(20)
    expect(peer.isMappingForeign(20)).toBe(true)
    peer.unmapForeign(20)
    peer.unmapForeign(20)
    expect(peer.isMappingForeign(20)).toBe(false)
    expect(peer.foreignMappedRefs()).toBe(0)
  })

  it('cannot map a grant that our grant table does not hold (the hypercall would fail)', () => {
    const live = new Set([30])
    const peer = new SimPeer(1, { isLive: (ref) => live.has(ref) })
    peer.mapForeign(30)
    peer.mapForeign(31)
    expect(peer.isMappingForeign(30)).toBe(true)
    expect(peer.isMappingForeign(31)).toBe(false)
  })
})
