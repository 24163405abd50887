// Builds an OpStream one call at a time for the workload generators: hands out handle and VMA
// slot numbers, keeps the untimed setup apart from the measured part, and trims the measured
// part to exactly K operations. Generators describe *what* a program does (ALLOC then mmap then
// DEALLOC …); numbering and bookkeeping of the symbolic stream live here once.

import type { DeviceOp, OpStream } from './types.js'

/** The peer domain every generated stream talks to (Domain's default peer, docs/kernel-model.md §6). */
export const PEER_DOMID = 1

export class StreamBuilder {
  private readonly setupOps: DeviceOp[] = []
  private readonly measuredOps: DeviceOp[] = []
  private target: DeviceOp[] = this.setupOps
  private nextHandle = 0
  private nextVma = 0

  /** Everything emitted from now on is timed. */
  startMeasured(): void {
    this.target = this.measuredOps
  }

  /** Operations emitted into the measured part so far. */
  get measuredCount(): number {
    return this.measuredOps.length
  }

  alloc(pages: number, writable: boolean): number {
    const handle = this.nextHandle++
    this.target.push({ kind: 'alloc', handle, domid: PEER_DOMID, pages, writable })
    return handle
  }

  /** `grantRefs` are peer grant slots (see bind.ts), not yet the peer's grant refs. */
  map(grantRefs: readonly number[]): number {
    const handle = this.nextHandle++
    this.target.push({ kind: 'map', handle, domid: PEER_DOMID, grantRefs })
    return handle
  }

  dealloc(handle: number, pageOffset: number, pages: number): void {
    this.target.push({ kind: 'dealloc', handle, pageOffset, pages })
  }

  unmap(handle: number, pages: number): void {
    this.target.push({ kind: 'unmap', handle, pages })
  }

  mmap(handle: number, pageOffset: number, pages: number, writable: boolean): number {
    const vma = this.nextVma++
    this.target.push({ kind: 'mmap', vma, handle, pageOffset, pages, writable })
    return vma
  }

  munmap(vma: number): void {
    this.target.push({ kind: 'munmap', vma })
  }

  getOffset(vma: number): void {
    this.target.push({ kind: 'getOffset', vma })
  }

  notify(handle: number, pageOffset: number, byteInPage: number, action: number, port: number): void {
    this.target.push({ kind: 'notify', handle, pageOffset, byteInPage, action, port })
  }

  foreignMap(handle: number, pageOffset: number, pages: number): void {
    this.target.push({ kind: 'foreignMap', handle, pageOffset, pages })
  }

  foreignUnmap(handle: number, pageOffset: number, pages: number): void {
    this.target.push({ kind: 'foreignUnmap', handle, pageOffset, pages })
  }

  /**
   * The finished stream. With `measuredLimit` the measured part is cut to that many operations:
   * generators emit whole request cycles and stop once they reach K, and a replicate must be
   * exactly K operations so its ns/op is comparable across strategies and replicates.
   */
  build(measuredLimit?: number): OpStream {
    const measured = measuredLimit === undefined ? this.measuredOps : this.measuredOps.slice(0, measuredLimit)
    return { setup: this.setupOps, measured, handles: this.nextHandle, vmas: this.nextVma }
  }
}
