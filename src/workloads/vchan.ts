// vchan: libxenvchan channels (docs/kernel-model.md §6.3; qrexec-style inter-domain pipes). A server
// shares a control page with an unmap notify on its live flag, then one ring per direction: a
// ring of order 10 or 11 lives inside the control page, a larger one is its own share of
// 2^(order−12) pages, up to order 20 = 256 pages. A client maps the peer's control page with a
// notify on its own live flag, then one MAP per out-of-page ring. Channels are long-lived.
//
// One file serves as server for some channels and client for others (each role chosen at
// random), so the stream uses both ioctl families and only a merged device (FreeBSD) or a
// neutral strategy runs it. Size N = open channels. Measured steps close a random channel
// (server: munmap every area and the peer unmaps; client: GET_OFFSET → munmap → UNMAP) and open
// a new one, so the live set is N channels with a realistic mix of 1…256-page mappings.

import { UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../abi.js'
import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import { PeerSlots } from './peer-slots.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

/** Bytes of the control page's live flags (server's, client's); any in-page byte would do. */
const SERVER_LIVE_BYTE = 21
const CLIENT_LIVE_BYTE = 20
const FIRST_PORT = 32
const NOTIFY_ACTION = UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT

/** Ring orders and their weights: small rings dominate, the 1 MiB maximum is rare. */
const ORDERS: readonly (readonly [order: number, weight: number])[] = [
  [10, 0.15],
  [11, 0.15],
  [12, 0.25],
  [13, 0.15],
  [14, 0.15],
  [16, 0.13],
  [20, 0.02],
]

/** Pages of one ring direction mapped or shared on its own (0: inside the control page). */
function ringPages(rng: Prng): number {
  let u = rng.next()
  let order = 20
  for (const [candidate, weight] of ORDERS) {
    if (u < weight) {
      order = candidate
      break
    }
    u -= weight
  }
  return order < 12 ? 0 : 2 ** (order - 12)
}

interface Area {
  handle: number
  vma: number
  pages: number
  /** Client areas only: the peer slots to give back after UNMAP. */
  slots: number[] | null
}

interface Channel {
  server: boolean
  areas: Area[]
}

export const vchan: BenchWorkload = {
  name: 'vchan',
  summary: 'libxenvchan: control page + notify, 1–256-page rings per direction, as server (alloc) or client (map) (§6.3)',
  sizeUnit: 'open channels',
  sides: 'both',
  ...TIMED_DEFAULTS,
  // N counts channels of up to 1 + 2·256 pages; 1024 channels already hold ~9,000 pages.
  defaultSizes: [16, 128, 1024],
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const rng = new Prng(seed)
    const b = new StreamBuilder()
    const slots = new PeerSlots()

    const serverShare = (pages: number, notifyByte: number): Area => {
      const handle = b.alloc(pages, true)
      const vma = b.mmap(handle, 0, pages, true)
      if (notifyByte >= 0) b.notify(handle, 0, notifyByte, NOTIFY_ACTION, FIRST_PORT + rng.int(0, 255))
      b.dealloc(handle, 0, pages)
      b.foreignMap(handle, 0, pages)
      return { handle, vma, pages, slots: null }
    }
    const clientMap = (pages: number, notifyByte: number): Area => {
      const taken = slots.take(pages)
      const handle = b.map(taken)
      const vma = b.mmap(handle, 0, pages, true)
      if (notifyByte >= 0) b.notify(handle, 0, notifyByte, NOTIFY_ACTION, FIRST_PORT + rng.int(0, 255))
      return { handle, vma, pages, slots: taken }
    }

    const open = (): Channel => {
      const server = rng.chance(0.5)
      const areas: Area[] = [server ? serverShare(1, SERVER_LIVE_BYTE) : clientMap(1, CLIENT_LIVE_BYTE)]
      for (let direction = 0; direction < 2; direction++) {
        const pages = ringPages(rng)
        if (pages > 0) areas.push(server ? serverShare(pages, -1) : clientMap(pages, -1))
      }
      return { server, areas }
    }
    const close = (channel: Channel): void => {
      for (const area of channel.areas) {
        if (channel.server) {
          b.munmap(area.vma)
          b.foreignUnmap(area.handle, 0, area.pages)
        } else {
          b.getOffset(area.vma)
          b.munmap(area.vma)
          b.unmap(area.handle, area.pages)
          if (area.slots !== null) slots.give(area.slots)
        }
      }
    }

    const channels: Channel[] = []
    for (let i = 0; i < size; i++) channels.push(open())

    b.startMeasured()
    while (b.measuredCount < ops) {
      const index = rng.int(0, channels.length - 1)
      close(channels[index] as Channel)
      channels[index] = open()
    }
    return b.build(ops)
  },
}
