// --debug: a stack trace behind the one-line message of an outside module's fault (a method that
// threw, a module that did not load). Accepted anywhere on a command line (`gntbench --debug run
// …`, `gntbench check ./mine.ts --debug`) except ministat's, whose options are ministat(1)'s, and
// except after `--`.

let debug = false

export function setDebug(on: boolean): void {
  debug = on
}

/** `argv` without its --debug flags (and whether there was one). */
export function takeDebugFlag(argv: readonly string[]): { argv: string[]; debug: boolean } {
  const end = argv.indexOf('--')
  const head = end < 0 ? argv : argv.slice(0, end)
  const tail = end < 0 ? [] : argv.slice(end)
  const kept = head.filter((arg) => arg !== '--debug')
  return { argv: [...kept, ...tail], debug: kept.length !== head.length }
}

/** The stack behind a fault, indented, when --debug is on; '' otherwise. */
export function debugDetail(detail: string | null | undefined): string {
  if (!debug || detail === null || detail === undefined || detail === '') return ''
  return `${detail.replace(/\n*$/, '').split('\n').map((line) => `  | ${line}`).join('\n')}\n`
}
