// A registry strategy with one store method replaced: the deliberate bugs that the differential
// harness, the conformance properties and the trace differential must catch. Every method not
// in the patch forwards to the sound store.

import type { GmapStore, GrefStore, Strategy } from '../../src/strategies/types.js'

export function withGmapStore(base: Strategy, patch: Partial<GmapStore>): Strategy {
  const store = base.gmapStore
  const patched: GmapStore = {
    kind: store.kind,
    cost: store.cost,
    get size() {
      return store.size
    },
    insert: (gmap) => store.insert(gmap),
    findExact: (first, pages) => store.findExact(first, pages),
    findContaining: (page) => store.findContaining(page),
    remove: (gmap) => store.remove(gmap),
    drain: (out) => store.drain(out),
    check: () => store.check(),
    ...patch,
  }
  return { ...base, gmapStore: patched }
}

export function withGrefStore(base: Strategy, patch: Partial<GrefStore>): Strategy {
  const store = base.grefStore
  const patched: GrefStore = {
    kind: store.kind,
    cost: store.cost,
    get size() {
      return store.size
    },
    insertRun: (run) => store.insertRun(run),
    findRun: (first, pages, out) => store.findRun(first, pages, out),
    removeRun: (first, pages, out) => store.removeRun(first, pages, out),
    findPage: (page) => store.findPage(page),
    drain: (out) => store.drain(out),
    check: () => store.check(),
    ...patch,
  }
  return { ...base, grefStore: patched }
}
