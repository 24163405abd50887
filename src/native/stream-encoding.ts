// The native engine's input (format documented in native/src/stream.h): the resolved strategy,
// the domain's settings, the peer's grants and the BOUND op stream — setup and measured — that
// the TS model replays, one op per line. Grants are what the peer gave us (the map hypercall at
// mmap checks them); they are written as ranges because bound pools are runs of refs.

import type { DeviceOp } from '../workloads/types.js'
import type { ResolvedNativeStrategy } from './resolved-strategy.js'
import { NATIVE_CLEANUP_TRIGGERS } from './resolved-strategy.js'

const NATIVE_STREAM_VERSION = 2

/** A bound stream and the domain it runs in. */
export interface NativeStreamInput {
  readonly setup: readonly DeviceOp[]
  readonly measured: readonly DeviceOp[]
  readonly handles: number
  readonly vmas: number
  /** Peer grant refs that are granted (map hypercalls on others fail). */
  readonly grantedRefs: Iterable<number>
  /** Entries of our grant table, reserved ones included. */
  readonly grantTableEntries: number
  /** The applier must remember our grant refs (the stream has foreign mappings). */
  readonly trackGrantRefs: boolean
}

function int(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`native stream: ${what} ${value} is not an integer`)
  return String(value)
}

function limit(value: number, what: string): string {
  return value === Infinity ? 'inf' : int(value, what)
}

function flag(value: boolean): string {
  return value ? '1' : '0'
}

/** One op as a line of the native format. */
export function encodeOp(op: DeviceOp): string {
  switch (op.kind) {
    case 'alloc':
      return `A ${int(op.handle, 'handle')} ${int(op.domid, 'domid')} ${int(op.pages, 'pages')} ${flag(op.writable)}`
    case 'dealloc':
      return `D ${int(op.handle, 'handle')} ${int(op.pageOffset, 'pageOffset')} ${int(op.pages, 'pages')}`
    case 'map':
      return `M ${int(op.handle, 'handle')} ${int(op.domid, 'domid')} ${op.grantRefs.length}${op.grantRefs.map((r) => ` ${int(r, 'grant ref')}`).join('')}`
    case 'unmap':
      return `U ${int(op.handle, 'handle')} ${int(op.pages, 'pages')}`
    case 'mmap':
      return `V ${int(op.vma, 'vma')} ${int(op.handle, 'handle')} ${int(op.pageOffset, 'pageOffset')} ${int(op.pages, 'pages')} ${flag(op.writable)}`
    case 'munmap':
      return `X ${int(op.vma, 'vma')}`
    case 'getOffset':
      return `G ${int(op.vma, 'vma')}`
    case 'notify':
      return `N ${int(op.handle, 'handle')} ${int(op.pageOffset, 'pageOffset')} ${int(op.byteInPage, 'byteInPage')} ${int(op.action, 'action')} ${int(op.port, 'port')}`
    case 'foreignMap':
      return `F ${int(op.handle, 'handle')} ${int(op.pageOffset, 'pageOffset')} ${int(op.pages, 'pages')}`
    case 'foreignUnmap':
      return `f ${int(op.handle, 'handle')} ${int(op.pageOffset, 'pageOffset')} ${int(op.pages, 'pages')}`
    case 'close':
      return 'C'
  }
}

/** Sorted distinct refs as (first, count) runs. */
export function refRanges(refs: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(refs)].sort((a, b) => a - b)
  const ranges: Array<[number, number]> = []
  for (const ref of sorted) {
    const last = ranges[ranges.length - 1]
    if (last !== undefined && last[0] + last[1] === ref) last[1]++
    else ranges.push([ref, 1])
  }
  return ranges
}

/** The whole input text of one native run: the strategy's lines, then the stream's (encodeStreamBody). */
export function encodeNativeStream(strategy: ResolvedNativeStrategy, input: NativeStreamInput, body: string = encodeStreamBody(input)): string {
  const q = strategy.quirks
  const p = strategy.policy
  const cleanup = NATIVE_CLEANUP_TRIGGERS.filter((t) => p.cleanupOn.includes(t))
  const m = strategy.policyMore
  const lines: string[] = [
    `gntbench-native-stream ${NATIVE_STREAM_VERSION}`,
    `allocator ${strategy.allocator}`,
    `gref-store ${strategy.grefStore}`,
    `gmap-store ${strategy.gmapStore}`,
    `linear-containment ${flag(strategy.linearContainment)}`,
    `gref-allocation-order ${flag(strategy.grefAllocationOrder)}`,
    `quirks ${flag(q.truncatedCompare)} ${flag(q.strictGap)} ${flag(q.intPageIndex)} ${flag(q.bumpWrap)} ${flag(q.claimNoMerge)}`,
    `offset-space ${int(strategy.offsetSpacePages, 'offset space')}`,
    `limits ${limit(strategy.limits.maxPagesPerCall, 'maxPagesPerCall')} ${limit(strategy.limits.globalGrefLimit, 'globalGrefLimit')}`,
    `policy ${flag(p.supportsAlloc)} ${flag(p.supportsMap)} ${flag(p.unmapCountWildcard)} ${flag(p.grefSingleMapping)} ${flag(p.gmapSingleMapping)} ${flag(p.deferredCountsAgainstLimit)} ${int(p.unmapMissingErrno, 'errno')} ${int(p.notifyMissingErrno, 'errno')}`,
    `cleanup-on ${cleanup.length}${cleanup.map((t) => ` ${t}`).join('')}`,
    `policy-more ${int(m.mmapMissingErrno, 'errno')} ${flag(m.grefLimitCountsMmapped)} ${flag(m.gmapReadonlyChecks)} ${flag(m.gmapEventWithoutMmap)} ${flag(m.unmapIndexShifts)} ${flag(m.notifyLookupFirst)} ${flag(m.deallocCleansOnFailure)} ${flag(m.failedAllocLeaksOffsets)}`,
    body,
  ]
  return lines.join('\n')
}

/**
 * The stream's part of the input text (from `grant-table` to `end`): the same for every strategy
 * replaying one bound stream, so a round encodes it once.
 */
export function encodeStreamBody(input: NativeStreamInput): string {
  const ranges = refRanges(input.grantedRefs)
  const lines: string[] = [
    `grant-table ${int(input.grantTableEntries, 'grant table entries')}`,
    `granted ${ranges.length}${ranges.map(([first, count]) => ` ${first} ${count}`).join('')}`,
    `track-grant-refs ${flag(input.trackGrantRefs)}`,
    `handles ${int(input.handles, 'handles')}`,
    `vmas ${int(input.vmas, 'vmas')}`,
    `setup ${input.setup.length}`,
  ]
  for (const op of input.setup) lines.push(encodeOp(op))
  lines.push(`measured ${input.measured.length}`)
  for (const op of input.measured) lines.push(encodeOp(op))
  lines.push('end', '')
  return lines.join('\n')
}
