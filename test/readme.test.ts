// The README's result tables are `gntbench report … --table answer` output for committed result
// files, between marker comments; this test renders them again and fails when the README and
// the file disagree. It also checks that every relative link of the README resolves inside the
// repository.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { countedWorkOf } from '../src/cli/run.js'
import { formatAnswerTable } from '../src/report/answer-table.js'
import { formatTransfer, transferRows } from '../src/report/transfer-table.js'
import { readRunFile } from '../src/results/run-schema.js'

const README = readFileSync('README.md', 'utf8')
const BLOCK = /<!-- gntbench report (\S+) --table answer -->\n([\s\S]*?)<!-- end of gntbench report -->/g
const TRANSFER = /<!-- gntbench report (\S+) --transfer (\S+) -->\n([\s\S]*?)<!-- end of gntbench report -->/g

describe('README', () => {
  const blocks = [...README.matchAll(BLOCK)]

  it('embeds at least one rendered answer table', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  it.each(blocks.map((m) => [m[1] as string, m[2] as string]))('its table from %s is what gntbench report renders from that file', (file, table) => {
    expect(table).toBe(formatAnswerTable(readRunFile(file)))
  })

  it.each([...README.matchAll(TRANSFER)].map((m) => [m[1] as string, m[2] as string, m[3] as string]))('its transfer table from %s and %s is what gntbench report renders', (js, native, table) => {
    const a = readRunFile(js)
    expect(table).toBe(formatTransfer(transferRows(a, readRunFile(native)), countedWorkOf(a.config), true))
  })

  it('has no relative link that leaves the repository or points nowhere', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1] as string).filter((link) => !/^[a-z]+:/.test(link))
    for (const link of links) {
      expect(link.startsWith('../'), link).toBe(false)
      expect(existsSync(link), link).toBe(true)
    }
  })
})
