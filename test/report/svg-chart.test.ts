// The sweep charts are well-formed XML (parsed by a strict checker, not matched by regex) and
// carry exactly one series group per strategy, with a legend entry for each.

import { describe, expect, it } from 'vitest'
import { formatNs, formatSi, renderBarChart, renderLineChart } from '../../src/report/svg-chart.js'
import { allElements, parseXml } from './xml-well-formed.js'

const sizes = [16, 64, 256, 1024, 4096, 16384, 65536]

function seriesGroups(svg: string): string[] {
  return allElements(parseXml(svg))
    .filter((e) => e.name === 'g' && e.attributes.get('class') === 'series')
    .map((e) => e.attributes.get('data-series') ?? '')
}

describe('xml checker', () => {
  it('rejects unbalanced, misnested and badly escaped documents', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes/)
    expect(() => parseXml('<svg><g>')).toThrow(/never closed/)
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/)
    expect(() => parseXml('<svg>a & b</svg>')).toThrow(/;/)
    expect(() => parseXml('<svg a=1/>')).toThrow(/quoted/)
    expect(() => parseXml('<a/><b/>')).toThrow(/second root/)
    expect(parseXml('<?xml version="1.0"?><svg x="&lt;"><!-- c --><t>&amp;</t></svg>').children[0]?.text).toBe('&')
  })
})

describe('renderLineChart()', () => {
  const names = ['list', 'rbtree', 'rangeset <&> "odd"']
  const svg = renderLineChart({
    title: 'map-churn: time per op',
    xLabel: 'live gmaps N',
    yLabel: 'ns per op',
    formatY: formatNs,
    series: names.map((name, s) => ({
      name,
      points: sizes.map((n) => {
        const y = (s + 1) * 20 * n ** (s === 0 ? 1 : 0.1)
        return { x: n, y, lo: y * 0.9, hi: y * 1.1 }
      }),
    })),
  })

  it('is well-formed XML with an svg root', () => {
    const root = parseXml(svg)
    expect(root.name).toBe('svg')
    expect(root.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg')
  })

  it('has exactly one series per strategy, in order, each with a band and a line', () => {
    expect(seriesGroups(svg)).toEqual(names)
    const groups = allElements(parseXml(svg)).filter((e) => e.attributes.get('class') === 'series')
    for (const g of groups) {
      const classes = g.children.map((c) => c.attributes.get('class'))
      expect(classes.filter((c) => c === 'band')).toHaveLength(1)
      expect(classes.filter((c) => c === 'line')).toHaveLength(1)
    }
  })

  it('labels the axes with ticks and lists every series in the legend', () => {
    const texts = allElements(parseXml(svg))
      .filter((e) => e.name === 'text')
      .map((e) => e.text)
    expect(texts).toContain('1k')
    expect(texts).toContain('10k')
    expect(texts.some((t) => t.endsWith('µs'))).toBe(true)
    expect(texts).toContain('live gmaps N (log scale)')
    const legend = allElements(parseXml(svg)).find((e) => e.attributes.get('class') === 'legend')
    expect(legend?.children.filter((e) => e.name === 'text').map((e) => e.text)).toEqual(names)
  })

  it('draws an empty chart without data and still parses', () => {
    expect(seriesGroups(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] }))).toEqual([])
  })
})

describe('renderBarChart()', () => {
  it('is well-formed and has one series group per bar series', () => {
    const svg = renderBarChart({
      title: 'bytes per record',
      yLabel: 'bytes',
      categories: ['list', 'rbtree', 'rangeset'],
      series: [
        { name: 'modelled kernel (LP64)', values: [64, 56, NaN] },
        { name: 'measured JS heap', values: [120, 150, 140] },
      ],
    })
    expect(seriesGroups(svg)).toEqual(['modelled kernel (LP64)', 'measured JS heap'])
    const bars = allElements(parseXml(svg)).filter((e) => e.name === 'rect' && e.attributes.get('fill') !== '#ffffff' && e.attributes.get('fill') !== 'none')
    // 2 + 3 bars (NaN draws nothing) + 2 legend swatches.
    expect(bars).toHaveLength(7)
  })
})

describe('tick formats', () => {
  it('prints compact SI and durations', () => {
    expect(formatSi(65536)).toBe('65.5k')
    expect(formatSi(1_048_576)).toBe('1.05M')
    expect(formatSi(16)).toBe('16')
    expect(formatNs(1500)).toBe('1.5 µs')
    expect(formatNs(2_000_000)).toBe('2 ms')
  })
})
