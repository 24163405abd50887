// Markdown rendering of the sweep document (results/<name>.md). Charts are linked, not inlined:
// the SVG files sit beside the .md in the same directory.

import type { Block } from './sweep-document.js'
import { markdownTable } from './text-table.js'

export function renderMarkdown(blocks: readonly Block[]): string {
  const parts: string[] = []
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        parts.push(`${'#'.repeat(block.level)} ${block.text}\n`)
        break
      case 'paragraph':
        parts.push(`${block.text}\n`)
        break
      case 'table':
        parts.push(markdownTable(block.columns, block.rows))
        break
      case 'chart':
        parts.push(`![${block.chart.title}](${block.chart.file})\n`)
        break
    }
  }
  return parts.join('\n')
}
