// Help texts are read in an 100-column terminal: a list that grows with the registry (workload
// names) is wrapped onto indented continuation lines instead of running past the edge.

/** Help lines end by this column. */
export const HELP_WIDTH = 100

/**
 * `items` joined by ", ", broken before an item that would pass the room left: `firstRoom`
 * columns on the first line, HELP_WIDTH − `indent` on the next ones, which start with `indent`
 * spaces. A closing character the caller adds after the list counts against the room.
 */
export function wrapList(items: readonly string[], firstRoom: number, indent: number): string {
  const lines: string[] = []
  let line = ''
  let room = firstRoom
  for (const [i, item] of items.entries()) {
    const piece = i === items.length - 1 ? item : `${item},`
    const candidate = line === '' ? piece : `${line} ${piece}`
    if (line !== '' && candidate.length > room - 1) {
      lines.push(line)
      line = piece
      room = HELP_WIDTH - indent
    } else {
      line = candidate
    }
  }
  lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}
