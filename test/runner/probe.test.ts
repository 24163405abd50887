// The probe in its two steps: openProbe tells a skip by sides and the semantics without replaying,
// replayProbe gives the reference work; together they are probeCell, on a stream generated once.
import { describe, expect, it } from 'vitest'
import { generateGroup, openProbe, probeCell, replayProbe, streamHash, streamHashOf } from '../../src/runner/probe.js'

const GROUP = { workload: 'churn', size: 32, seed: 5, ops: 80, wrapOffsetSpacePages: 1024 }

describe('the probe', () => {
  it('skips a strategy without the workload’s side at the first step', () => {
    expect(openProbe('linux-gntalloc', GROUP)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no MAP_GRANT_REF/) as unknown })
  })

  it('replays a stream generated once as probeCell replays its own', () => {
    const generated = generateGroup(GROUP)
    for (const spec of ['list', 'rbtree', 'linux-gntdev']) {
      const opened = openProbe(spec, GROUP, generated)
      expect(opened.status).toBe('opened')
      if (opened.status !== 'opened') continue
      const replayed = replayProbe(opened)
      const whole = probeCell(spec, GROUP)
      expect(replayed.status).toBe('ready')
      expect(whole.status).toBe('ready')
      if (replayed.status === 'ready' && whole.status === 'ready') {
        expect(replayed.reference).toEqual(whole.reference)
        expect(replayed.semantics).toBe(whole.semantics)
        expect(streamHashOf(replayed.recipe)).toBe(streamHash(generated.stream))
      }
    }
  })

  it('gives strategies of one device semantics one key, and a preset with other rules another', () => {
    const key = (spec: string) => {
      const opened = openProbe(spec, GROUP)
      return opened.status === 'opened' ? opened.semantics : null
    }
    expect(key('list')).toBe(key('maple'))
    expect(key('list')).not.toBe(key('linux-gntdev'))
  })
})
