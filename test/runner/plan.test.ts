import { describe, expect, it } from 'vitest'
import { defaultBaseline, defaultStrategies, DEFAULT_STRATEGIES, sizesFor } from '../../src/runner/plan.js'
import { STANDARD_SIZES } from '../../src/workloads/bench-workload.js'
import { getWorkload } from '../../src/workloads/registry.js'

describe('the default suite', () => {
  it('runs each workload at its own default sizes, the smallest under --quick, or at the sizes asked for', () => {
    const vchan = getWorkload('vchan')
    const churn = getWorkload('churn')
    expect(sizesFor(churn, { sizes: null, quick: false })).toEqual(STANDARD_SIZES)
    expect(sizesFor(vchan, { sizes: null, quick: false })).toEqual([16, 128, 1024])
    expect(sizesFor(vchan, { sizes: null, quick: true })).toEqual([16])
    expect(sizesFor(vchan, { sizes: [7, 9], quick: true })).toEqual([7, 9])
    expect(sizesFor(getWorkload('wrap'), { sizes: null, quick: false })).toEqual([512])
  })

  it("compares against today's Linux device for the workload's side", () => {
    expect(defaultBaseline('map')).toBe('linux-gntdev')
    expect(defaultBaseline('alloc')).toBe('linux-gntalloc')
    expect(defaultBaseline('both')).toBe('list')
    for (const preset of ['linux-gntdev', 'linux-gntalloc', 'list']) expect(DEFAULT_STRATEGIES).toContain(preset)
    expect(defaultStrategies('churn')).toEqual(DEFAULT_STRATEGIES)
    expect(defaultStrategies('wrap')).toEqual([...DEFAULT_STRATEGIES, 'linux-gntalloc:bump-wrap'])
  })
})
