import { describe, expect, it } from 'vitest'
import { captureIo } from './helpers.js'
import { HELP_WIDTH, wrapList } from '../../src/cli/help-text.js'
import { runCli } from '../../src/cli/main.js'

const COMMANDS = ['list', 'run', 'compare', 'report', 'ministat', 'record', 'replay', 'check', 'calibrate', 'sweep']

describe('help texts', () => {
  it.each([[[] as string[]], ...COMMANDS.map((c) => [[c]])])('%j --help fits in the terminal', async (argv) => {
    const io = captureIo()
    expect(await runCli([...argv, '--help'], io)).toBe(0)
    const wide = io.out.split('\n').filter((line) => line.length > HELP_WIDTH)
    expect(wide).toEqual([])
  })
})

describe('wrapList', () => {
  const names = ['qdisk-persistent', 'qdisk-map', 'gntshr', 'vchan', 'churn', 'lookup-heavy', 'wrap', 'shortage']

  it('keeps a list that fits on one line', () => {
    expect(wrapList(names, 200, 4)).toBe(names.join(', '))
  })

  it('breaks before the item that would pass the room, continuing at the indent', () => {
    const text = wrapList(names, 30, 6)
    expect(text).toBe('qdisk-persistent, qdisk-map,\n      gntshr, vchan, churn, lookup-heavy, wrap, shortage')
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(HELP_WIDTH)
    expect(text.replace(/\n\s+/g, ' ')).toBe(names.join(', '))
  })
})
