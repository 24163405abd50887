// getopt(3) as glibc implements it, for the drop-in `gntbench ministat`: Debian's ministat
// parses its options with it, and the visible behaviour is glibc's, not POSIX's:
// * options may come after file names (argv is permuted) unless POSIXLY_CORRECT is set, in
//   which case the first non-option ends the options; "--" always ends them, "-" is a file;
// * "-nw60" is a cluster: flags, then an option whose argument is the rest of the word, or
//   else the next word, whatever it looks like ("-d -n" makes "-n" the delimiter);
// * an unknown option prints "<prog>: invalid option -- 'q'", a missing argument
//   "<prog>: option requires an argument -- 'w'", and getopt returns '?'.
// Options come out one at a time, in order, because ministat validates each as it arrives and
// exits on the first bad one: a later malformed option is never even looked at.
//
// gntbench adds whole-word long options ("--json"). glibc's getopt() (not getopt_long) would
// read "--json" as the cluster "-", "j", …, i.e. "invalid option -- '-'", so they cannot change
// what any valid ministat command line means.

export type GetoptEvent =
  | { kind: 'option'; option: string; argument?: string }
  | { kind: 'long'; name: string }
  | { kind: 'error'; message: string }

export interface GetoptSpec {
  /** Program name for the error messages (glibc uses argv[0]). */
  program: string
  /** Option letters; a letter followed by ':' takes an argument. */
  optstring: string
  /** Whole-word long options recognized as "--name". */
  longOptions?: readonly string[]
  /** glibc's POSIXLY_CORRECT: stop at the first non-option. */
  posixlyCorrect?: boolean
}

/** Walks argv; fills `operands` (the files) as it goes, in glibc's final order. */
export function* gnuGetopt(argv: readonly string[], spec: GetoptSpec, operands: string[]): Generator<GetoptEvent> {
  const takesArgument = (ch: string): boolean | undefined => {
    if (ch === ':') return undefined
    const at = spec.optstring.indexOf(ch)
    if (at < 0) return undefined
    return spec.optstring[at + 1] === ':'
  }
  let i = 0
  while (i < argv.length) {
    const word = argv[i] as string
    if (word === '--') {
      operands.push(...argv.slice(i + 1))
      return
    }
    if (!word.startsWith('-') || word === '-') {
      if (spec.posixlyCorrect === true) {
        operands.push(...argv.slice(i))
        return
      }
      operands.push(word)
      i++
      continue
    }
    if (word.startsWith('--') && spec.longOptions?.includes(word.slice(2)) === true) {
      yield { kind: 'long', name: word.slice(2) }
      i++
      continue
    }
    i++
    for (let at = 1; at < word.length; at++) {
      const ch = word[at] as string
      const wantsArgument = takesArgument(ch)
      if (wantsArgument === undefined) {
        yield { kind: 'error', message: `${spec.program}: invalid option -- '${ch}'` }
        return
      }
      if (!wantsArgument) {
        yield { kind: 'option', option: ch }
        continue
      }
      if (at + 1 < word.length) {
        yield { kind: 'option', option: ch, argument: word.slice(at + 1) }
      } else if (i < argv.length) {
        yield { kind: 'option', option: ch, argument: argv[i] as string }
        i++
      } else {
        yield { kind: 'error', message: `${spec.program}: option requires an argument -- '${ch}'` }
        return
      }
      break
    }
  }
}
