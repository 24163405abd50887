// `gntbench calibrate`'s measurement: T trials of one (workload, N) cell, each measured exactly as
// `gntbench run` measures a cell — the same core (measure-group.ts), the same design (rounds of a
// fresh isolate per arm, precision target included) — with these arms:
//   A        the strategy;
//   A'       the same strategy again: every "Difference" of A' against A is a false one;
//   +p %     the strategy doing p % more of exactly the same work per sample (cell-runner.ts's
//            planted extra), in the first `plantedTrials` trials: every miss is a miss of a real
//            p % difference.
// Each trial draws its own seed (so its streams differ from every other trial's); arms are
// shuffled per round as in run. The load average is read at every round.

import { Prng } from '../workloads/prng.js'
import type { Engine, MeasureDesign } from '../results/shared-schema.js'
import type { Arm, GroupMeasurement } from './measure-group.js'
import { measureGroup } from './measure-group.js'
import { DEFAULT_WRAP_SPACE } from './plan.js'
import { estimateLeft } from './time-left.js'

export interface CalibrationConfig {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  readonly trials: number
  /** Planted differences in percent, and how many of the trials carry them. */
  readonly planted: readonly number[]
  readonly plantedTrials: number
  readonly ops: number
  readonly seed: number
  readonly design: MeasureDesign
  readonly marginPercent: number
  /** Which engine runs the arms (default 'js'). */
  readonly engine?: Engine
}

export const ARM_A = 'A'
export const ARM_A_PRIME = "A'"

export function plantedLabel(percent: number): string {
  return `+${percent}%`
}

function armsOf(config: Pick<CalibrationConfig, 'strategy' | 'planted' | 'engine'>, withPlanted: boolean): Arm[] {
  const engine = config.engine ?? 'js'
  const arms: Arm[] = [
    { label: ARM_A, spec: config.strategy, plantedPercent: 0, engine },
    { label: ARM_A_PRIME, spec: config.strategy, plantedPercent: 0, engine },
  ]
  if (withPlanted) for (const p of config.planted) arms.push({ label: plantedLabel(p), spec: config.strategy, plantedPercent: p, engine })
  return arms
}

/** The seed of trial t: every trial's streams differ. */
export function trialSeed(seed: number, trial: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(trial + 1, 0x85ebca6b)) >>> 0
}

export interface CalibrationProgress {
  readonly trial: number
  readonly trials: number
  readonly elapsedMs: number
  readonly remainingMs: number | null
}

export async function runCalibration(
  config: CalibrationConfig,
  onTrial?: (progress: CalibrationProgress) => void,
): Promise<GroupMeasurement[]> {
  const trials: GroupMeasurement[] = []
  const started = performance.now()
  for (let trial = 0; trial < config.trials; trial++) {
    const elapsedMs = performance.now() - started
    onTrial?.({ trial: trial + 1, trials: config.trials, elapsedMs, remainingMs: estimateLeft(elapsedMs, trial, config.trials) })
    const seed = trialSeed(config.seed, trial)
    trials.push(
      await measureGroup(
        { workload: config.workload, size: config.size, ops: config.ops, wrapOffsetSpacePages: DEFAULT_WRAP_SPACE },
        seed,
        armsOf(config, trial < config.plantedTrials),
        config.design,
        { baseline: ARM_A, shuffle: new Prng(seed) },
      ),
    )
  }
  return trials
}
