import { describe, expect, it } from 'vitest'
import { gnuGetopt, type GetoptEvent } from '../../src/cli/gnu-getopt.js'

function parse(argv: string[], posixlyCorrect = false): { events: GetoptEvent[]; operands: string[] } {
  const operands: string[] = []
  const events = [...gnuGetopt(argv, { program: 'ministat', optstring: 'AC:c:d:snw:', longOptions: ['json'], posixlyCorrect }, operands)]
  return { events, operands }
}

describe('gnuGetopt (glibc semantics)', () => {
  it('permutes: options after files still count, files keep their order', () => {
    expect(parse(['a', '-n', 'b', '-w', '60'])).toEqual({
      events: [{ kind: 'option', option: 'n' }, { kind: 'option', option: 'w', argument: '60' }],
      operands: ['a', 'b'],
    })
  })

  it('stops at the first file with POSIXLY_CORRECT, and at "--" always', () => {
    expect(parse(['a', '-n'], true)).toEqual({ events: [], operands: ['a', '-n'] })
    expect(parse(['-s', '--', '-n', 'b'])).toEqual({ events: [{ kind: 'option', option: 's' }], operands: ['-n', 'b'] })
  })

  it('reads clusters and takes the argument from the rest of the word or the next word', () => {
    expect(parse(['-nw60', '-sd', '-A', 'f']).events).toEqual([
      { kind: 'option', option: 'n' },
      { kind: 'option', option: 'w', argument: '60' },
      { kind: 'option', option: 's' },
      { kind: 'option', option: 'd', argument: '-A' },
    ])
  })

  it("prints glibc's messages and stops at the first problem", () => {
    expect(parse(['-nq', '-w']).events).toEqual([
      { kind: 'option', option: 'n' },
      { kind: 'error', message: "ministat: invalid option -- 'q'" },
    ])
    expect(parse(['f', '-w']).events).toEqual([{ kind: 'error', message: "ministat: option requires an argument -- 'w'" }])
    expect(parse(['--nope']).events).toEqual([{ kind: 'error', message: "ministat: invalid option -- '-'" }])
  })

  it('treats "-" as a file and knows only the listed long options', () => {
    expect(parse(['-', '--json'])).toEqual({ events: [{ kind: 'long', name: 'json' }], operands: ['-'] })
  })
})
