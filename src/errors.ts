// Usage errors: a user's mistake on the command line or in an input file (a flag, a trace, a
// strategy module). Every layer that reads user input throws one; cli/main.ts prints its message
// as one line on stderr and exits 2, with no stack trace. Anything else that escapes is a bug.

export class UsageError extends Error {
  override name = 'UsageError'
  readonly exitCode: number

  constructor(message: string, exitCode = 2) {
    super(message)
    this.exitCode = exitCode
  }
}
