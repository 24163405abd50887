// What the machine was doing around a measurement: the CPU time other processes took while it
// ran (Linux's /proc), the 1-minute load average (before the run and at every round), and the CPU
// frequency governor where Linux exposes it. A benchmark shares the machine with whatever else
// runs; another job taking CPU time from the isolates makes the run busy, so the report flags
// such a run and `calibrate` refuses to publish one unless told to (pyperf records the same facts
// in its metadata for the same reason).

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

/** CPU time so far: all CPUs' busy time, and this process's own (its threads and waited-for children). */
export interface CpuSnapshot {
  /** Busy clock ticks of all CPUs (/proc/stat: every field but idle and iowait). */
  readonly allBusyTicks: number
  /** This process's user + system ticks, its reaped children's included (/proc/self/stat). */
  readonly ownTicks: number
  readonly atMs: number
}

/** Ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100

/** A snapshot of CPU time, or null where /proc is not Linux's. */
export function cpuSnapshot(): CpuSnapshot | null {
  const stat = readTrimmed('/proc/stat')
  const self = readTrimmed('/proc/self/stat')
  if (stat === null || self === null) return null
  const cpu = /^cpu\s+([\d\s]+)/.exec(stat)?.[1]?.trim().split(/\s+/).map(Number)
  // Fields after the command name (which may hold spaces, hence from the last ')'): utime, stime,
  // cutime, cstime are the 12th to 15th of them.
  const own = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number)
  if (cpu === undefined || cpu.length < 4 || own.length !== 4 || ![...cpu, ...own].every(Number.isFinite)) return null
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0)
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0)
  return { allBusyTicks: total - idle, ownTicks: own.reduce((a, b) => a + b, 0), atMs: performance.now() }
}

/**
 * How many cores other processes kept busy, on average, between two snapshots: all CPUs' busy
 * time less this process's own and its children's. Unlike the load average, which lags by a
 * minute (a run started right after another one read as busy), this is what others took while
 * we measured. Null when unknown or when the interval is too short to say (< 1 s).
 */
export function othersCores(from: CpuSnapshot | null, to: CpuSnapshot | null): number | null {
  if (from === null || to === null) return null
  const seconds = (to.atMs - from.atMs) / 1000
  if (!(seconds >= 1)) return null
  const others = to.allBusyTicks - from.allBusyTicks - (to.ownTicks - from.ownTicks)
  return Math.max(0, others / USER_HZ / seconds)
}

/** Other processes using this much of a core on average make a run busy. */
export const BUSY_OTHERS_CORES = 0.25

/**
 * Why a run counts as made on a busy machine, or null. Where the CPU time of other processes
 * during the run is known (`others`, cores), that decides: a quarter of a core or more. Elsewhere
 * the load average stands in: the 1-minute load, less the one process that measures, at half a
 * core or more before the run started, or any round started with a load above the core count.
 */
export function busyReason(before: number, rounds: readonly number[], cores: number = availableParallelism(), others: number | null = null): string | null {
  if (others !== null) {
    return others >= BUSY_OTHERS_CORES ? `other processes kept ${others.toFixed(2)} of a core busy on average during the run (${cores} cores)` : null
  }
  if (before - 1 >= 0.5) return `load average ${before.toFixed(2)} before the run on ${cores} cores (another job was running)`
  const worst = Math.max(0, ...rounds)
  if (worst > cores) return `load average up to ${worst.toFixed(2)} during the run on ${cores} cores`
  return null
}

/** What a command needs around its measurement: the state before, and why it was busy, after. */
export interface MachineWatch {
  readonly before: MachineState
  /** Call once the measurement is done, with the load at each round. */
  busy(roundLoads: readonly number[]): string | null
}

/** Start watching: the machine state and the CPU time now, compared with the CPU time at busy(). */
export function watchMachine(): MachineWatch {
  const before = machineState()
  const cpu = cpuSnapshot()
  return { before, busy: (roundLoads) => busyReason(before.loadAverage[0], roundLoads, undefined, othersCores(cpu, cpuSnapshot())) }
}
