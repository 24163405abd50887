// The byte-offset boundary: the request and response structures of the grant device ioctls
// (docs/kernel-model.md §1; FreeBSD sys/xen/gntdev.h, Linux include/uapi/xen/gntdev.h and
// gntalloc.h) over a page-level GrantDevice. Offsets here are u64 byte offsets held in bigint;
// everything below this file counts pages.
//
// Validation at the boundary (what the kernel's argument checks and the mmap syscall do before
// the driver sees a page number): a byte offset must be a page-aligned value in [0, 2^64), an
// mmap length a positive multiple of 4096 that does not run past 2^64; otherwise EINVAL.
// Struct fields are checked against their C widths (u16 domid/flags for ALLOC_GREF, u32 counts).
// Two lookups take any byte address: GET_OFFSET_FOR_VADDR finds the mapping that contains it
// (both kernels, §2.4, §3.3), and Linux UNMAP_GRANT_REF shifts the index right by 12
// (policy.unmapIndexShifts, §3.3), so an unaligned index finds the map of its page.
//
// Quirk intPageIndex (Linux gntdev, drivers/xen/gntdev.c, §3.2): the map index is an int in
// pages, so the byte offset handed out is that int shifted left by 12 in 32-bit arithmetic and
// sign-extended to u64: from page 2^19 on it is garbage. Every offset coming back in (UNMAP,
// SET_UNMAP_NOTIFY, mmap's pgoff) is cast back to an int page index, so a garbage offset finds
// nothing (a negative index) and an offset beyond 2^31 pages aliases a low page. The quirk
// applies to every offset of the file (only the Linux gntdev preset, which has no alloc side,
// turns it on). SET_UNMAP_NOTIFY under the quirk uses the same cast; Linux compares garbage with
// garbage there, which this model does not reproduce.
//
// Results are plain objects with `error` = 0 or a positive errno. Not on the timed path.

import { EFAULT, EINVAL } from '../errno.js'
import { GNTDEV_ALLOC_FLAG_WRITABLE, PAGE_SHIFT } from '../abi.js'
import type { GrantDevice, OffsetCount } from './types.js'

const U64_LIMIT = 1n << 64n
const PAGE_MASK = (1n << BigInt(PAGE_SHIFT)) - 1n
const SHIFT = BigInt(PAGE_SHIFT)
const U16_LIMIT = 2 ** 16
const U32_LIMIT = 2 ** 32

/** One entry of MAP_GRANT_REF's refs array (struct ioctl_gntdev_grant_ref). */
export interface IoctlGrantRef {
  readonly domid: number
  readonly ref: number
}

export interface AllocGrefRequest {
  readonly domid: number
  readonly flags: number
  readonly count: number
}

export interface AllocGrefResponse {
  error: number
  index: bigint
  grefIds: number[]
}

export interface DeallocGrefRequest {
  readonly index: bigint
  readonly count: number
}

export interface MapGrantRefRequest {
  readonly count: number
  readonly refs: readonly IoctlGrantRef[]
}

export interface MapGrantRefResponse {
  error: number
  index: bigint
}

export interface UnmapGrantRefRequest {
  readonly index: bigint
  readonly count: number
}

export interface GetOffsetForVaddrRequest {
  readonly vaddr: bigint
}

export interface GetOffsetForVaddrResponse {
  error: number
  offset: bigint
  count: number
}

export interface SetUnmapNotifyRequest {
  /** Byte address inside a mapping: page offset plus the byte within the page. */
  readonly index: bigint
  readonly action: number
  readonly eventChannelPort: number
}

export interface MmapResponse {
  error: number
  /** User address in bytes (page-aligned). */
  vaddr: bigint
}

export interface IoctlResult {
  error: number
}

function isUint(value: number, limit: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < limit
}

function errorOf(result: number): number {
  return result < 0 ? -result : 0
}

/** The ioctl and mm entry points of one open grant device file, in bytes. */
export class IoctlFile {
  readonly device: GrantDevice
  private readonly intPageIndex: boolean
  private readonly offsetOut: OffsetCount = { firstPage: 0, pages: 0 }

  constructor(device: GrantDevice) {
    this.device = device
    this.intPageIndex = device.strategy.quirks.intPageIndex
  }

  /** IOCTL_GNTDEV_ALLOC_GREF / IOCTL_GNTALLOC_ALLOC_GREF. */
  allocGref(request: AllocGrefRequest): AllocGrefResponse {
    const grefIds: number[] = []
    if (!isUint(request.domid, U16_LIMIT) || !isUint(request.flags, U16_LIMIT) || !isUint(request.count, U32_LIMIT)) {
      return { error: EINVAL, index: 0n, grefIds }
    }
    const writable = (request.flags & GNTDEV_ALLOC_FLAG_WRITABLE) !== 0
    const result = this.device.allocGref(request.domid, request.count, writable, grefIds)
    if (result < 0) return { error: -result, index: 0n, grefIds: [] }
    return { error: 0, index: this.offsetOfPage(result), grefIds }
  }

  /** IOCTL_GNTDEV_DEALLOC_GREF / IOCTL_GNTALLOC_DEALLOC_GREF. */
  deallocGref(request: DeallocGrefRequest): IoctlResult {
    if (!isUint(request.count, U32_LIMIT)) return { error: EINVAL }
    const page = this.pageOfOffset(request.index)
    if (page === null) return { error: EINVAL }
    return { error: errorOf(this.device.deallocGref(page, request.count)) }
  }

  /**
   * IOCTL_GNTDEV_MAP_GRANT_REF. The kernel copies `count` entries from user memory: a shorter
   * array would fault (EFAULT); extra entries are not read. The page-level device takes one
   * domid per call (one peer), that of the first entry.
   */
  mapGrantRef(request: MapGrantRefRequest): MapGrantRefResponse {
    if (!isUint(request.count, U32_LIMIT)) return { error: EINVAL, index: 0n }
    if (request.refs.length < request.count) return { error: EFAULT, index: 0n }
    const refs: number[] = new Array<number>(request.count)
    for (let i = 0; i < request.count; i++) {
      const entry = request.refs[i] as IoctlGrantRef
      if (!isUint(entry.domid, U32_LIMIT) || !isUint(entry.ref, U32_LIMIT)) return { error: EINVAL, index: 0n }
      refs[i] = entry.ref
    }
    const domid = request.count > 0 ? (request.refs[0] as IoctlGrantRef).domid : 0
    const result = this.device.mapGrantRef(domid, refs)
    if (result < 0) return { error: -result, index: 0n }
    return { error: 0, index: this.offsetOfPage(result) }
  }

  /** IOCTL_GNTDEV_UNMAP_GRANT_REF (Linux: index >> 12, so the low 12 bits are ignored). */
  unmapGrantRef(request: UnmapGrantRefRequest): IoctlResult {
    if (!isUint(request.count, U32_LIMIT)) return { error: EINVAL }
    const index = request.index
    const shifts = this.device.strategy.policy.unmapIndexShifts && index >= 0n && index < U64_LIMIT
    const page = this.pageOfOffset(shifts ? index & ~PAGE_MASK : index)
    if (page === null) return { error: EINVAL }
    return { error: errorOf(this.device.unmapGrantRef(page, request.count)) }
  }

  /** IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: the mapping containing vaddr (any byte of it). */
  getOffsetForVaddr(request: GetOffsetForVaddrRequest): GetOffsetForVaddrResponse {
    const vaddr = request.vaddr
    if (vaddr < 0n || vaddr >= U64_LIMIT) return { error: EINVAL, offset: 0n, count: 0 }
    const out = this.offsetOut
    const result = this.device.getOffsetForVaddr(Number(vaddr >> SHIFT), out)
    if (result < 0) return { error: -result, offset: 0n, count: 0 }
    return { error: 0, offset: this.offsetOfPage(out.firstPage), count: out.pages }
  }

  /** IOCTL_GNTDEV_SET_UNMAP_NOTIFY / IOCTL_GNTALLOC_SET_UNMAP_NOTIFY: index carries the byte. */
  setUnmapNotify(request: SetUnmapNotifyRequest): IoctlResult {
    const index = request.index
    if (index < 0n || index >= U64_LIMIT) return { error: EINVAL }
    if (!isUint(request.action, U32_LIMIT) || !isUint(request.eventChannelPort, U32_LIMIT)) return { error: EINVAL }
    const byteInPage = Number(index & PAGE_MASK)
    const page = this.pageOfOffset(index - BigInt(byteInPage))
    if (page === null) return { error: EINVAL }
    return { error: errorOf(this.device.setUnmapNotify(page, byteInPage, request.action, request.eventChannelPort)) }
  }

  /** mmap(NULL, lengthBytes, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, offset). */
  mmap(offset: bigint, lengthBytes: bigint, writable: boolean): MmapResponse {
    if (lengthBytes <= 0n || (lengthBytes & PAGE_MASK) !== 0n) return { error: EINVAL, vaddr: 0n }
    if (offset < 0n || offset + lengthBytes > U64_LIMIT) return { error: EINVAL, vaddr: 0n }
    const page = this.pageOfOffset(offset)
    if (page === null) return { error: EINVAL, vaddr: 0n }
    const result = this.device.mmap(page, Number(lengthBytes >> SHIFT), writable)
    if (result < 0) return { error: -result, vaddr: 0n }
    return { error: 0, vaddr: BigInt(result) << SHIFT }
  }

  /** munmap of a whole mapping, by its start address. */
  munmap(vaddr: bigint): IoctlResult {
    if (vaddr < 0n || vaddr >= U64_LIMIT || (vaddr & PAGE_MASK) !== 0n) return { error: EINVAL }
    return { error: errorOf(this.device.munmap(Number(vaddr >> SHIFT))) }
  }

  close(): void {
    this.device.close()
  }

  /** The byte offset user space sees for a page (garbage from 2^19 pages under intPageIndex). */
  offsetOfPage(page: number): bigint {
    const bytes = BigInt(page) << SHIFT
    if (!this.intPageIndex) return bytes
    return BigInt.asUintN(64, BigInt.asIntN(32, bytes))
  }

  /**
   * The page a byte offset names, or null if it is not a page-aligned u64. Under intPageIndex the
   * page index is cast to an int, as Linux gntdev does; a negative index is passed down and
   * finds nothing.
   */
  pageOfOffset(offset: bigint): number | null {
    if (offset < 0n || offset >= U64_LIMIT || (offset & PAGE_MASK) !== 0n) return null
    const pgoff = offset >> SHIFT
    return Number(this.intPageIndex ? BigInt.asIntN(32, pgoff) : pgoff)
  }
}
