import { describe, expect, it } from 'vitest'
import { GNTDEV_ALLOC_FLAG_WRITABLE } from '../../src/abi.js'
import { UNMAP_NOTIFY_CLEAR_BYTE } from '../../src/abi.js'
import { Domain } from '../../src/device/domain.js'
import { IoctlFile } from '../../src/device/ioctl.js'
import type { IoctlGrantRef } from '../../src/device/ioctl.js'
import { EFAULT, EINVAL, ENOENT } from '../../src/errno.js'
import { createStrategy } from '../../src/strategies/registry.js'
import type { StrategyOptions } from '../../src/strategies/types.js'

const PAGE = 4096n
const U64_MAX = (1n << 64n) - 1n

function openIoctl(spec: string, options?: StrategyOptions): { file: IoctlFile; domain: Domain } {
  const domain = new Domain()
  return { file: new IoctlFile(domain.open(createStrategy(spec, options))), domain }
}

function grants(domain: Domain, count: number): IoctlGrantRef[] {
  const refs: number[] = []
  domain.peer.grantPages(count, refs)
  return refs.map((ref) => ({ domid: domain.peer.domid, ref }))
}

describe('IoctlFile: FreeBSD offsets (docs/kernel-model.md §2.3, §8.3 #1)', () => {
  it('hands out the top page of the u64 space first, then descends', () => {
    const { file } = openIoctl('freebsd')
    const a = file.allocGref({ domid: 1, flags: GNTDEV_ALLOC_FLAG_WRITABLE, count: 1 })
    expect(a).toMatchObject({ error: 0, index: 0xfffffffffffff000n })
    expect(a.grefIds).toHaveLength(1)
    const b = file.allocGref({ domid: 1, flags: 0, count: 2 })
    expect(b.index).toBe(0xfffffffffffff000n - 2n * PAGE)
    const c = file.allocGref({ domid: 1, flags: 0, count: 1 })
    expect(c.index).toBe(b.index - PAGE)
    expect(file.deallocGref({ index: b.index, count: 2 })).toEqual({ error: 0 })
    expect(file.deallocGref({ index: b.index, count: 2 })).toEqual({ error: EINVAL })
  })

  it('maps the top page: mmap at 2^64 − 4096 of length 4096 reaches exactly the end of the space', () => {
    const { file } = openIoctl('freebsd')
    const a = file.allocGref({ domid: 1, flags: 1, count: 1 })
    const m = file.mmap(a.index, PAGE, true)
    expect(m.error).toBe(0)
    expect(m.vaddr % PAGE).toBe(0n)
    expect(file.munmap(m.vaddr)).toEqual({ error: 0 })
    expect(file.mmap(a.index, 2n * PAGE, true).error).toBe(EINVAL) // runs past 2^64
  })
})

describe('IoctlFile: Linux gntdev first fit (§3.2, §8.3 #3)', () => {
  function scenario(options?: StrategyOptions): { file: IoctlFile; domain: Domain } {
    const opened = openIoctl('linux-gntdev', options)
    const { file, domain } = opened
    expect(file.mapGrantRef({ count: 2, refs: grants(domain, 2) }).index).toBe(0n)
    expect(file.mapGrantRef({ count: 3, refs: grants(domain, 3) }).index).toBe(2n * PAGE)
    expect(file.mapGrantRef({ count: 1, refs: grants(domain, 1) }).index).toBe(5n * PAGE)
    expect(file.unmapGrantRef({ index: 2n * PAGE, count: 3 })).toEqual({ error: 0 })
    return opened
  }

  it('by default (today\'s kernel, strict-gap) skips the exact-size hole: add 3 → index 6·4096, add 2 → index 2·4096', () => {
    const { file, domain } = scenario()
    expect(file.mapGrantRef({ count: 3, refs: grants(domain, 3) }).index).toBe(6n * PAGE)
    expect(file.mapGrantRef({ count: 2, refs: grants(domain, 2) }).index).toBe(2n * PAGE)
  })

  it('the corrected variant (exact-fit, strictGap: false) fills the exact-size hole', () => {
    const { file, domain } = scenario({ quirks: { strictGap: false } })
    expect(file.mapGrantRef({ count: 3, refs: grants(domain, 3) }).index).toBe(2n * PAGE)
  })

  it('count 0 unmaps any count; a missing map is ENOENT', () => {
    const { file, domain } = openIoctl('linux-gntdev')
    const m = file.mapGrantRef({ count: 4, refs: grants(domain, 4) })
    expect(file.unmapGrantRef({ index: m.index, count: 3 })).toEqual({ error: ENOENT })
    expect(file.unmapGrantRef({ index: m.index, count: 0 })).toEqual({ error: 0 })
  })
})

describe('IoctlFile: Linux gntdev int page index (quirk int-page-index, §3.2)', () => {
  it('returns a sign-extended garbage offset from page 2^19 on, which mmap and UNMAP cannot find', () => {
    const { file, domain } = openIoctl('linux-gntdev', { quirks: { intPageIndex: true } })
    const refs: IoctlGrantRef[] = new Array<IoctlGrantRef>(65_536).fill({ domid: 1, ref: 8 })
    for (let i = 0; i < 8; i++) {
      expect(file.mapGrantRef({ count: refs.length, refs }).index).toBe(BigInt(i * 65_536) * PAGE)
    }
    const last = file.mapGrantRef({ count: 1, refs: grants(domain, 1) })
    expect(last.error).toBe(0)
    // Page 2^19 × 4096 = 2^31 as a 32-bit int is −2^31, sign-extended to u64.
    expect(last.index).toBe(0xffffffff80000000n)
    expect(file.mmap(last.index, PAGE, true).error).toBe(EINVAL)
    expect(file.unmapGrantRef({ index: last.index, count: 1 })).toEqual({ error: ENOENT })
    // The honest offset still casts to the right int: only what the kernel hands out is wrong.
    const honest = (1n << 19n) * PAGE
    const m = file.mmap(honest, PAGE, true)
    expect(m.error).toBe(0)
    expect(file.getOffsetForVaddr({ vaddr: m.vaddr })).toEqual({ error: 0, offset: 0xffffffff80000000n, count: 1 })
  })

  it('gives correct offsets without the quirk', () => {
    const { file, domain } = openIoctl('linux-gntdev')
    const refs: IoctlGrantRef[] = new Array<IoctlGrantRef>(65_536).fill({ domid: 1, ref: 8 })
    for (let i = 0; i < 8; i++) file.mapGrantRef({ count: refs.length, refs })
    const last = file.mapGrantRef({ count: 1, refs: grants(domain, 1) })
    expect(last.index).toBe((1n << 19n) * PAGE)
    expect(file.mmap(last.index, PAGE, true).error).toBe(0)
  })
})

describe('IoctlFile: validation at the byte boundary', () => {
  it('rejects offsets that are misaligned, negative or beyond 2^64 − 1 with EINVAL', () => {
    const { file } = openIoctl('rbtree')
    const a = file.allocGref({ domid: 1, flags: 1, count: 2 })
    for (const index of [a.index + 1n, a.index + 2048n, -PAGE, 1n << 64n, U64_MAX]) {
      expect(file.deallocGref({ index, count: 1 })).toEqual({ error: EINVAL })
      expect(file.unmapGrantRef({ index, count: 1 })).toEqual({ error: EINVAL })
      expect(file.mmap(index, PAGE, true).error).toBe(EINVAL)
    }
    expect(file.mmap(a.index, 0n, true).error).toBe(EINVAL)
    expect(file.mmap(a.index, 100n, true).error).toBe(EINVAL)
    expect(file.mmap(a.index, PAGE + 1n, true).error).toBe(EINVAL)
    expect(file.mmap(a.index, -PAGE, true).error).toBe(EINVAL)
    expect(file.munmap(4097n)).toEqual({ error: EINVAL })
    expect(file.getOffsetForVaddr({ vaddr: 4097n }).error).toBe(EINVAL)
    expect(file.mmap(a.index, 2n * PAGE, true).error).toBe(0)
  })

  it('checks struct field widths: u16 domid and flags, u32 counts; a short refs array faults', () => {
    const { file } = openIoctl('rbtree')
    expect(file.allocGref({ domid: 1 << 16, flags: 0, count: 1 }).error).toBe(EINVAL)
    expect(file.allocGref({ domid: 1, flags: 1 << 16, count: 1 }).error).toBe(EINVAL)
    expect(file.allocGref({ domid: 1, flags: 0, count: 2 ** 32 }).error).toBe(EINVAL)
    expect(file.allocGref({ domid: 1, flags: 0, count: 0 }).error).toBe(EINVAL)
    expect(file.mapGrantRef({ count: 2, refs: [{ domid: 1, ref: 9 }] }).error).toBe(EFAULT)
    expect(file.mapGrantRef({ count: 0, refs: [] }).error).toBe(EINVAL)
    expect(file.mapGrantRef({ count: 1, refs: [{ domid: 1, ref: -1 }] }).error).toBe(EINVAL)
  })

  it('SET_UNMAP_NOTIFY takes the in-page byte from the low 12 bits of index', () => {
    const { file } = openIoctl('rbtree')
    const a = file.allocGref({ domid: 1, flags: 1, count: 2 })
    expect(file.setUnmapNotify({ index: a.index + PAGE + 100n, action: UNMAP_NOTIFY_CLEAR_BYTE, eventChannelPort: 3 })).toEqual({ error: 0 })
    const gref = file.device.strategy.grefStore.findPage(Number(a.index / PAGE) + 1)
    expect(gref?.notify).toEqual({ action: UNMAP_NOTIFY_CLEAR_BYTE, byteInRecord: 100, port: 3 })
    expect(file.setUnmapNotify({ index: a.index + 100n, action: 8, eventChannelPort: 3 }).error).toBe(EINVAL)
    expect(file.setUnmapNotify({ index: 1n << 64n, action: 1, eventChannelPort: 3 }).error).toBe(EINVAL)
  })

  it('round-trips the libxengnttab unmap: GET_OFFSET_FOR_VADDR → munmap → UNMAP', () => {
    const { file, domain } = openIoctl('freebsd')
    const m = file.mapGrantRef({ count: 3, refs: grants(domain, 3) })
    const v = file.mmap(m.index, 3n * PAGE, false)
    const got = file.getOffsetForVaddr({ vaddr: v.vaddr })
    expect(got).toEqual({ error: 0, offset: m.index, count: 3 })
    expect(file.munmap(v.vaddr)).toEqual({ error: 0 })
    expect(file.unmapGrantRef({ index: got.offset, count: got.count })).toEqual({ error: 0 })
    expect(file.device.stats()).toMatchObject({ gmaps: 0, vmas: 0, pendingCleanup: 0, reclaimed: 1 })
  })
})
