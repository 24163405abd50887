// Streams a trace file (trace-format.ts) op by op in constant memory, so `gntbench replay` can
// apply a ten-million-line trace while it reads it. The file is read in 64 KiB chunks and split
// into lines here (rather than through node:readline) so that a chunk's lines are parsed in one
// synchronous loop and handed out as a batch: one await per chunk instead of one per line.
// Memory is one chunk, one batch of parsed ops and the parser's header — never the whole trace.

import { createReadStream } from 'node:fs'
import { TraceParser } from './trace-parser.js'
import { UsageError } from '../errors.js'
import type { TraceHeader } from './trace-format.js'
import type { DeviceOp } from './types.js'

/** One op of a trace, with where it came from. */
export interface TraceEntry {
  readonly op: DeviceOp
  /** 1-based line number in the file. */
  readonly line: number
  /** True when the op comes after the `measured` directive (see TraceReader.sawMeasuredDirective). */
  readonly measured: boolean
  /** 1-based column of the op's keyword. */
  readonly column: number
}

const CHUNK_BYTES = 64 * 1024

/**
 * An open trace: the header is read by `openTrace`, the ops are read lazily by `batches()`,
 * which can be iterated once.
 */
class TraceReader {
  readonly file: string
  readonly header: TraceHeader
  private readonly parser: TraceParser
  private readonly chunks: AsyncIterator<string>
  private pending: string
  private lineNo: number
  private started = false

  private constructor(file: string, parser: TraceParser, chunks: AsyncIterator<string>, pending: string, lineNo: number) {
    this.file = file
    this.parser = parser
    this.header = parser.header as TraceHeader
    this.chunks = chunks
    this.pending = pending
    this.lineNo = lineNo
  }

  /** Open `file` and read up to and including its header line. */
  static async open(file: string): Promise<TraceReader> {
    const parser = new TraceParser(file)
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })
    const chunks = (stream as AsyncIterable<string>)[Symbol.asyncIterator]()
    let pending = ''
    let lineNo = 0
    for (;;) {
      const next = await nextChunk(chunks, file)
      if (next === null) {
        // End of file before any header line ended with '\n': the last partial line may be it.
        if (pending.length > 0 && parser.parseLine(pending, ++lineNo) === 'header') return new TraceReader(file, parser, chunks, '', lineNo)
        parser.finish(lineNo)
        // finish() throws when there is no header; getting here means the header parsed.
        return new TraceReader(file, parser, chunks, '', lineNo)
      }
      pending += next
      let start = 0
      for (;;) {
        const nl = pending.indexOf('\n', start)
        if (nl < 0) break
        const kind = parser.parseLine(pending.slice(start, nl), ++lineNo)
        start = nl + 1
        // A header cannot be followed by ops on its own line, so anything after it is the rest.
        if (kind === 'header') return new TraceReader(file, parser, chunks, pending.slice(start), lineNo)
      }
      pending = pending.slice(start)
    }
  }

  /**
   * Whether the trace has a `measured` directive is only known at its end; entries before it
   * are reported with measured = false, so a caller that must time "everything" when there is
   * no directive learns so from `sawMeasuredDirective` after the last batch.
   */
  get sawMeasuredDirective(): boolean {
    return this.parser.inMeasured
  }

  /** Ops in file order, a chunk's worth at a time. The arrays are fresh per batch. */
  async *batches(): AsyncGenerator<TraceEntry[]> {
    if (this.started) throw new Error('TraceReader.batches() can be iterated only once')
    this.started = true
    const parser = this.parser
    let pending = this.pending
    this.pending = ''
    let lineNo = this.lineNo
    for (;;) {
      const batch: TraceEntry[] = []
      let start = 0
      for (;;) {
        const nl = pending.indexOf('\n', start)
        if (nl < 0) break
        if (parser.parseLine(pending.slice(start, nl), ++lineNo) === 'op') {
          batch.push({ op: parser.op as DeviceOp, line: lineNo, measured: parser.inMeasured, column: parser.opColumn })
        }
        start = nl + 1
      }
      pending = pending.slice(start)
      if (batch.length > 0) yield batch
      const next = await nextChunk(this.chunks, this.file)
      if (next === null) break
      pending += next
    }
    // A last line without '\n'.
    if (pending.length > 0 && parser.parseLine(pending, ++lineNo) === 'op') {
      yield [{ op: parser.op as DeviceOp, line: lineNo, measured: parser.inMeasured, column: parser.opColumn }]
    }
    this.lineNo = lineNo
    // Nothing to time (no op, or none after `measured`) is an error at the end of the file.
    parser.end(lineNo)
  }

  /** Ops one at a time (convenience over batches()). */
  async *entries(): AsyncGenerator<TraceEntry> {
    for await (const batch of this.batches()) yield* batch
  }

  /** Stop reading early (the generator's return does this too). */
  async close(): Promise<void> {
    await this.chunks.return?.()
  }
}

/** Open a trace; a missing or unreadable file is a UsageError naming it. */
export async function openTrace(file: string): Promise<TraceReader> {
  return TraceReader.open(file)
}

async function nextChunk(chunks: AsyncIterator<string>, file: string): Promise<string | null> {
  try {
    const next = await chunks.next()
    return next.done === true ? null : next.value
  } catch (error: unknown) {
    throw new UsageError(`${file}: cannot read trace: ${describeFsError(error)}`)
  }
}

function describeFsError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code
    if (code === 'ENOENT') return 'no such file'
    if (code === 'EISDIR') return 'is a directory'
    if (code === 'EACCES') return 'permission denied'
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'read error') : 'read error'
}

/**
 * A whole trace file in memory, split into setup and measured ops (the timed pass of replay
 * needs arrays). Without a `measured` directive every op is measured.
 */
export interface LoadedTrace {
  readonly header: TraceHeader
  readonly setup: DeviceOp[]
  readonly measured: DeviceOp[]
  readonly handles: number
  readonly vmas: number
}

export async function loadTrace(file: string): Promise<LoadedTrace> {
  const reader = await openTrace(file)
  const setup: DeviceOp[] = []
  const measured: DeviceOp[] = []
  for await (const batch of reader.batches()) {
    for (const entry of batch) (entry.measured ? measured : setup).push(entry.op)
  }
  const { header } = reader
  if (!reader.sawMeasuredDirective) return { header, setup: [], measured: setup, handles: header.handles, vmas: header.vmas }
  return { header, setup, measured, handles: header.handles, vmas: header.vmas }
}
