// Plain-text and Markdown tables for the run and compare reports: columns padded to the widest
// cell, numbers right-aligned. Nothing here knows what the cells mean.

export type Align = 'left' | 'right'

export interface Column {
  readonly title: string
  readonly align: Align
}

export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.title.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? ''
        const width = widths[i] ?? 0
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [line(columns.map((column) => column.title)), ...rows.map(line)].join('\n') + '\n'
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const header = `| ${columns.map((column) => escapeCell(column.title)).join(' | ')} |`
  const rule = `|${columns.map((column) => (column.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`
  const body = rows.map((row) => `| ${columns.map((_, i) => escapeCell(row[i] ?? '')).join(' | ')} |`)
  return [header, rule, ...body].join('\n') + '\n'
}
