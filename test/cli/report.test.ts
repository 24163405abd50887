// `gntbench report`: renders a committed results file from the file alone.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { captureIo, usageErrorOf } from './helpers.js'
import { runCli } from '../../src/cli/main.js'
import { formatAnswerTable } from '../../src/report/answer-table.js'
import { readRunFile } from '../../src/results/run-schema.js'
import { readSweepFile } from '../../src/results/sweep-schema.js'
import { sweepDocument } from '../../src/report/sweep-document.js'
import { renderMarkdown } from '../../src/report/sweep-markdown.js'

const RUN = 'results/bench-20261206-083444.json'

describe('gntbench report', () => {
  it('renders the text report, the Markdown, and the answer table of a results file', async () => {
    const text = captureIo()
    expect(await runCli(['report', RUN], text)).toBe(0)
    expect(text.out).toContain("gntbench run 'bench-20261206-083444'")
    expect(text.out).toContain('Ratio to x at 95% confidence')
    const md = captureIo()
    expect(await runCli(['report', '--format', 'md', RUN], md)).toBe(0)
    expect(md.out).toMatch(/^# gntbench run: bench-20261206-083444/)
    const table = captureIo()
    expect(await runCli(['report', '--table', 'answer', RUN], table)).toBe(0)
    expect(table.out).toBe(formatAnswerTable(readRunFile(RUN)))
  })

  it("names a block's replicates as the engine that made the file started them", async () => {
    const rebuilt = captureIo()
    expect(await runCli(['report', '--format', 'md', 'results/bench-20261206-y-a.json'], rebuilt)).toBe(0)
    expect(rebuilt.out).toContain('a sample = k fresh states of')
    expect(rebuilt.out).toBe(readFileSync('results/bench-20261206-y-a.md', 'utf8'))
    // Engine version 7 (withdrawn) copied one built state back per replicate.
    const copied = captureIo()
    expect(await runCli(['report', '--format', 'md', 'results/bench-20261207-z-a.json'], copied)).toBe(0)
    expect(copied.out).toContain('a sample = k copies of one state built from')
    expect(copied.out).not.toContain('k fresh states')
    expect(copied.out).toBe(readFileSync('results/bench-20261207-z-a.md', 'utf8'))
  })

  it('renders a sweep or a calibration file as its command renders it', async () => {
    const sweep = captureIo()
    expect(await runCli(['report', '--format', 'md', 'results/sweep.json'], sweep)).toBe(0)
    expect(sweep.out).toBe(renderMarkdown(sweepDocument(readSweepFile('results/sweep.json'))))
    const calibration = captureIo()
    expect(await runCli(['report', '--format', 'md', 'results/calibration.json'], calibration)).toBe(0)
    expect(calibration.out).toBe(readFileSync('results/calibration.md', 'utf8'))
    const text = captureIo()
    expect(await runCli(['report', 'results/sweep.json'], text)).toBe(0)
    expect(text.out).toContain('work exponent')
  })

  it.each([
    [[], 'needs one results file'],
    [['--table', 'answer', 'results/sweep.json'], '--table and --transfer take a run file, not a sweep file'],
    [['--format', 'pdf', RUN], "--format must be 'text' or 'md'"],
    [['--table', 'all', RUN], "--table must be 'answer'"],
    [['results/none.json'], 'none.json: cannot read (ENOENT)'],
  ])('%j is a one-line usage error', async (argv, message) => {
    const error = await usageErrorOf(['report', ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })
})
