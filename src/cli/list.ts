// `gntbench list`: placeholder until the strategy registry lands.
import type { CliIo } from './main.js'

export async function main(_argv: string[], io: CliIo): Promise<number> {
  io.stdout('no strategies registered yet\n')
  return 0
}
