// Workload registry: name → generator, in the order `gntbench run` reports them (real users
// first, docs/kernel-model.md §6; then the synthetic stress and hazard workloads). A new workload is
// one file and one line here.

import type { BenchWorkload } from './bench-workload.js'
import { churn } from './churn.js'
import { gntshr } from './gntshr.js'
import { lookupHeavy } from './lookup-heavy.js'
import { qdiskMap } from './qdisk-map.js'
import { qdiskPersistent } from './qdisk-persistent.js'
import { shortage } from './shortage.js'
import { vchan } from './vchan.js'
import { createWrapWorkload, WRAP_OFFSET_SPACE_PAGES } from './wrap.js'

export interface WorkloadOptions {
  /** Offset space of the wrap workload, in pages (default 2^20). */
  wrapOffsetSpacePages?: number
}

export class UnknownWorkloadError extends Error {
  override name = 'UnknownWorkloadError'
  readonly workload: string

  constructor(workload: string) {
    super(`unknown workload '${workload}' (known: ${workloadNames().join(', ')})`)
    this.workload = workload
  }
}

/** Every workload, in report order. */
export function allWorkloads(options: WorkloadOptions = {}): readonly BenchWorkload[] {
  return [
    qdiskPersistent,
    qdiskMap,
    gntshr,
    vchan,
    churn,
    lookupHeavy,
    createWrapWorkload(options.wrapOffsetSpacePages ?? WRAP_OFFSET_SPACE_PAGES),
    shortage,
  ]
}

export function workloadNames(): string[] {
  return allWorkloads().map((workload) => workload.name)
}

/** The workload called `name`; throws UnknownWorkloadError. */
export function getWorkload(name: string, options: WorkloadOptions = {}): BenchWorkload {
  const workload = allWorkloads(options).find((candidate) => candidate.name === name)
  if (workload === undefined) throw new UnknownWorkloadError(name)
  return workload
}
