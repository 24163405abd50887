// What the machine was doing around a measurement: the 1-minute load average (before the run and
// at every round), and the CPU frequency governor where Linux exposes it. A benchmark shares the
// machine with whatever else runs; a load average above the core count means another job took
// CPU time from the isolates, so the report flags such a run and `calibrate` refuses to publish
// one unless told to (pyperf records the same facts in its metadata for the same reason).

import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import type { MachineState } from '../results/shared-schema.js'

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return null
  }
}

export function machineState(): MachineState {
  const [one = 0, five = 0, fifteen = 0] = loadavg()
  const khz = readTrimmed('/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq')
  return {
    loadAverage: [one, five, fifteen],
    governor: readTrimmed('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor'),
    frequencyMHz: khz === null || !/^\d+$/.test(khz) ? null : Number(khz) / 1000,
  }
}

/**
 * A run is busy when the 1-minute load, less the one process that measures, reached half a core
 * or more before it started, or when any round started with a load above the core count (the
 * run itself keeps one core busy; more than that was someone else's).
 */
export function busyReason(before: number, rounds: readonly number[], cores: number = availableParallelism()): string | null {
  if (before - 1 >= 0.5) return `load average ${before.toFixed(2)} before the run on ${cores} cores (another job was running)`
  const worst = Math.max(0, ...rounds)
  if (worst > cores) return `load average up to ${worst.toFixed(2)} during the run on ${cores} cores`
  return null
}
