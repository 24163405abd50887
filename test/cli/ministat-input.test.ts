import { describe, expect, it } from 'vitest'
import { readMinistatData } from '../../src/cli/ministat-input.js'

const read = (text: string, column = 1, delimiters = ' \t') => readMinistatData(Buffer.from(text, 'latin1'), column, delimiters)

describe('readMinistatData', () => {
  it('skips comments, blank lines and lines without the column', () => {
    expect(read('# c\n1\n2 # t\n\n3\n#4\n5\n')).toMatchObject({ ok: true, values: [1, 2, 3, 5] })
    expect(read('a 1\nb # 2\n# 3\nc 4\nd\n', 2)).toMatchObject({ ok: false, error: 'too few' })
  })

  it('strips white space at the end of a line only', () => {
    expect(read('1.5\r\n2 \t\n3\v\n')).toMatchObject({ ok: true, values: [1.5, 2, 3] })
    expect(read('1.5 ,9\n2,9\n3,9\n', 1, ',')).toEqual({ ok: false, error: 'invalid', line: 1 })
  })

  it('counts lines the way fgets with an 8192-byte buffer does', () => {
    expect(read(`1${' '.repeat(9000)}x\n2\n3\n`)).toEqual({ ok: false, error: 'invalid', line: 2 })
    expect(read(`1${' '.repeat(8190)}\n2\n3\nz\n`)).toEqual({ ok: false, error: 'invalid', line: 5 })
    // a number cut by the buffer becomes two
    expect(read(`${' '.repeat(8189)}12345\n6\n7\n`)).toMatchObject({ ok: true, values: [12, 345, 6, 7] })
  })

  it('ends a line at a NUL byte', () => {
    expect(read('1\n2\u00003\n4\n')).toMatchObject({ ok: true, values: [1, 2, 4] })
  })

  it('needs three points', () => {
    expect(read('1\n2\n')).toEqual({ ok: false, error: 'too few' })
  })
})
