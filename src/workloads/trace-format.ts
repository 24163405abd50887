// The gntbench trace format: a symbolic DeviceOp stream (types.ts) as line-oriented text, so a
// workload can be recorded once and replayed on any strategy, or written by hand to pin down a
// bug. This file holds the grammar, its constants and the serialiser; trace-parser.ts parses it
// (one parser shared by the streaming reader, trace-reader.ts, and the in-memory parseTrace).
//
// Grammar (one item per line; blank lines and `#` comments, also after an op, are ignored):
//
//   gntbench-trace 1 handles=H vmas=V          header: first non-comment line. H and V size the
//                                              handle and VMA-slot tables (each optional, default
//                                              0), so a reader can replay while streaming, before
//                                              it has seen every op. Optional `offset-space=P`
//                                              (pages) and `grant-table=E` (entries) carry the
//                                              settings a workload ran under.
//   measured                                   directive: ops before it are setup (untimed), ops
//                                              after it are timed; without it every op is timed
//   alloc hN domid=D pages=P writable|readonly ALLOC_GREF; first page → handle N
//   dealloc hN+K pages=P                       DEALLOC_GREF at handle N's first page + K
//   map hN domid=D refs=R                      MAP_GRANT_REF of the peer's grants R; → handle N
//   unmap hN pages=P                           UNMAP_GRANT_REF (pages=0: Linux wildcard)
//   mmap vM hN+K pages=P rw|ro                 mmap at handle N's page + K; vaddr → VMA slot M
//   munmap vM                                  munmap of the VMA in slot M
//   getoffset vM                               GET_OFFSET_FOR_VADDR on slot M's VMA
//   notify hN+K byte=B action=A port=E         SET_UNMAP_NOTIFY; A = clear|event|clear|event|none
//                                              or a number (bitmask), B = byte within the page
//   foreign-map hN+K pages=P                   the peer maps our grefs (keeps them alive)
//   foreign-unmap hN+K pages=P                 the peer unmaps them
//   close                                      close() of the file
//
// `hN` is shorthand for `hN+0`. Attributes (key=value and flags) may come in any order. Numbers
// are decimal or 0x-hex, non-negative. R is a comma-separated list of refs and inclusive ranges
// (`100-110,200,205-206`), or `none`. Units are the device's: pages, never byte offsets, because
// the strategies hand out different offsets (FreeBSD downward from 2^64, Linux upward from 0).
// Refs are the numbers the op stream carries (a generator's peer grant slots, workloads/bind.ts).
// A replayer has the simulated peer grant each one before the map that names it
// (SimPeer.grantRef). The device only ever asks the peer whether a ref is granted, so results do
// not depend on how refs are numbered, and a hand-written trace may use any numbers.
//
// Every error is a TraceSyntaxError (a UsageError: exit 2) whose message is one line,
// `FILE:LINE:COL: expected …, got …`.

import type { DeviceOp, OpStream } from './types.js'

export const TRACE_MAGIC = 'gntbench-trace'
export const TRACE_VERSION = 1
/** The directive that separates setup from measured ops. */
export const MEASURED_DIRECTIVE = 'measured'
/**
 * Largest handle or VMA table a header may ask for. The applier keeps typed arrays of this
 * length, so the cap bounds a replay's memory whatever the header says (2^24 × 8 bytes = 128 MiB).
 */
export const MAX_TABLE_SIZE = 2 ** 24
/** Largest refs list of one map line: 16× Linux's 65,536-page per-call cap, still bounded memory. */
export const MAX_REFS_PER_MAP = 2 ** 20
/** Largest u32 (counts, ports, actions). */
export const U32_MAX = 0xffff_ffff

export interface TraceHeader {
  readonly version: number
  /** Number of handle slots: every `hN` in the trace has N < handles. */
  readonly handles: number
  /** Number of VMA slots: every `vM` has M < vmas. */
  readonly vmas: number
  /** Offset space of the strategies, in pages (StrategyOptions.offsetSpacePages), if the trace needs one. */
  readonly offsetSpacePages?: number
  /** Entries of our grant table (DomainOptions.grantTableEntries), if the trace needs a size. */
  readonly grantTableEntries?: number
}

/** The settings a header can carry besides the table sizes. */
export type TraceSettings = Pick<TraceHeader, 'offsetSpacePages' | 'grantTableEntries'>

function formatHeader(header: Omit<TraceHeader, 'version'>): string {
  let line = `${TRACE_MAGIC} ${TRACE_VERSION} handles=${header.handles} vmas=${header.vmas}`
  if (header.offsetSpacePages !== undefined) line += ` offset-space=${header.offsetSpacePages}`
  if (header.grantTableEntries !== undefined) line += ` grant-table=${header.grantTableEntries}`
  return line
}

/** The header of a stream: its table sizes and the settings it runs under. */
function headerOf(stream: OpStream, settings: TraceSettings = {}): Omit<TraceHeader, 'version'> {
  return { handles: stream.handles, vmas: stream.vmas, ...settings }
}

/** One op as its canonical trace line (no newline). parseLine(formatOp(op)) gives back op. */
export function formatOp(op: DeviceOp): string {
  switch (op.kind) {
    case 'alloc':
      return `alloc h${op.handle} domid=${op.domid} pages=${op.pages} ${op.writable ? 'writable' : 'readonly'}`
    case 'dealloc':
      return `dealloc h${op.handle}+${op.pageOffset} pages=${op.pages}`
    case 'map':
      return `map h${op.handle} domid=${op.domid} refs=${formatRefs(op.grantRefs)}`
    case 'unmap':
      return `unmap h${op.handle} pages=${op.pages}`
    case 'mmap':
      return `mmap v${op.vma} h${op.handle}+${op.pageOffset} pages=${op.pages} ${op.writable ? 'rw' : 'ro'}`
    case 'munmap':
      return `munmap v${op.vma}`
    case 'getOffset':
      return `getoffset v${op.vma}`
    case 'notify':
      return `notify h${op.handle}+${op.pageOffset} byte=${op.byteInPage} action=${formatAction(op.action)} port=${op.port}`
    case 'foreignMap':
      return `foreign-map h${op.handle}+${op.pageOffset} pages=${op.pages}`
    case 'foreignUnmap':
      return `foreign-unmap h${op.handle}+${op.pageOffset} pages=${op.pages}`
    case 'close':
      return 'close'
  }
}

/** Refs with ascending consecutive runs compressed to lo-hi ('none' for an empty list). */
export function formatRefs(refs: readonly number[]): string {
  if (refs.length === 0) return 'none'
  const parts: string[] = []
  let i = 0
  while (i < refs.length) {
    const lo = refs[i] as number
    let j = i
    while (j + 1 < refs.length && refs[j + 1] === (refs[j] as number) + 1) j++
    parts.push(j === i ? `${lo}` : j === i + 1 ? `${lo},${refs[j]}` : `${lo}-${refs[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

function formatAction(action: number): string {
  if (action === 0) return 'none'
  if (action === 1) return 'clear'
  if (action === 2) return 'event'
  if (action === 3) return 'clear|event'
  return `${action}`
}

/**
 * The lines of a whole trace (each ending in '\n'), generated lazily so a recorder can write
 * a large stream without building one huge string. `comments` go after the header as `# …`.
 */
export function* traceLines(stream: OpStream, comments: readonly string[] = [], settings: TraceSettings = {}): Generator<string> {
  yield `${formatHeader(headerOf(stream, settings))}\n`
  for (const comment of comments) yield `# ${comment}\n`
  for (const op of stream.setup) yield `${formatOp(op)}\n`
  yield `# ---- the timed part: replay measures the ops after this directive ----\n${MEASURED_DIRECTIVE}\n`
  for (const op of stream.measured) yield `${formatOp(op)}\n`
}

/** A whole trace as one string (small streams: tests, conformance counterexamples). */
export function formatTrace(stream: OpStream, comments: readonly string[] = [], settings: TraceSettings = {}): string {
  let text = ''
  for (const line of traceLines(stream, comments, settings)) text += line
  return text
}
