// A small static HTML page of a sweep (results/<name>.html): the same blocks as the Markdown,
// with the SVG charts inlined so the one file opens anywhere, offline, with no scripts. The only
// markup in the text is **bold** (workload names in the answer), rendered as <strong>; every
// other character is escaped.

import type { Block } from './sweep-document.js'
import { escapeXml } from './svg-chart.js'

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px auto; max-width: 1180px; padding: 0 16px; color: #1b1b1b; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 12.5px; }
th, td { border: 1px solid #d6d6d6; padding: 3px 7px; vertical-align: top; }
th { background: #f3f3f3; } td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
code { background: #f5f5f5; padding: 0 3px; }
`

/** Escape, then turn **x** into <strong>x</strong> and `x` into <code>x</code>. */
function inline(text: string): string {
  let out = ''
  const escaped = escapeXml(text)
  let bold = false
  let code = false
  for (let i = 0; i < escaped.length; i++) {
    if (escaped.startsWith('**', i) && !code) {
      out += bold ? '</strong>' : '<strong>'
      bold = !bold
      i++
    } else if (escaped[i] === '`') {
      out += code ? '</code>' : '<code>'
      code = !code
    } else out += escaped.charAt(i)
  }
  if (bold) out += '</strong>'
  if (code) out += '</code>'
  return out
}

export function renderHtmlPage(title: string, blocks: readonly Block[]): string {
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
  ]
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        parts.push(`<h${block.level}>${inline(block.text)}</h${block.level}>`)
        break
      case 'paragraph':
        parts.push(`<p>${inline(block.text)}</p>`)
        break
      case 'table': {
        const cls = (i: number): string => (block.columns[i]?.align === 'right' ? ' class="r"' : '')
        parts.push('<table>')
        parts.push(`<thead><tr>${block.columns.map((c, i) => `<th${cls(i)}>${inline(c.title)}</th>`).join('')}</tr></thead>`)
        parts.push('<tbody>')
        for (const row of block.rows) parts.push(`<tr>${block.columns.map((_, i) => `<td${cls(i)}>${inline(row[i] ?? '')}</td>`).join('')}</tr>`)
        parts.push('</tbody></table>')
        break
      }
      case 'chart':
        parts.push(`<figure id="${escapeXml(block.chart.file)}">${block.chart.svg}<figcaption>${inline(block.chart.title)} (<a href="${escapeXml(block.chart.file)}">${escapeXml(block.chart.file)}</a>)</figcaption></figure>`)
        break
    }
  }
  parts.push('</body>', '</html>', '')
  return parts.join('\n')
}
