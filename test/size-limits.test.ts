// Size limits of src/ (docs/architecture.md): no file over 400 lines but the data structures in
// src/structures/ (a red-black tree or a B-tree is one concept however long), and no function over
// 80 lines anywhere. Function-like nodes (declarations, methods, constructors, accessors, arrow
// functions and function expressions) are found with the TypeScript compiler and measured from
// their first line to their last, nested functions included.

import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const MAX_FILE_LINES = 400
const MAX_FUNCTION_LINES = 80
/** Files under these folders may be longer than MAX_FILE_LINES. */
const LONG_FILES_ALLOWED = ['src/structures/']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [relative('.', path).split('\\').join('/')] : []
  })
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

/** Every function-like node with a body, with its name (or a description) and its line span. */
function functionSpans(file: string, text: string): { name: string; line: number; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const spans: { name: string; line: number; lines: number }[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const name = node.name !== undefined ? node.name.getText(source) : ts.SyntaxKind[node.kind]
      spans.push({ name, line: first + 1, lines: last - first + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return spans
}

describe('size limits of src/', () => {
  const files = sourceFiles('src')

  it(`no file over ${MAX_FILE_LINES} lines outside ${LONG_FILES_ALLOWED.join(', ')}`, () => {
    const long = files
      .filter((file) => !LONG_FILES_ALLOWED.some((dir) => file.startsWith(dir)))
      .map((file) => ({ file, lines: lineCount(readFileSync(file, 'utf8')) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`)
    expect(long).toEqual([])
  })

  it(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((file) =>
      functionSpans(file, readFileSync(file, 'utf8'))
        .filter((span) => span.lines > MAX_FUNCTION_LINES)
        .map((span) => `${file}:${span.line} ${span.name}: ${span.lines} lines`),
    )
    expect(long).toEqual([])
  })

  it('measures what it claims', () => {
    const text = 'function f() {\n  return 1\n}\nclass C {\n  m(): void {\n    const g = () => {\n      return 2\n    }\n  }\n}\n'
    expect(functionSpans('x.ts', text).map(({ name, lines }) => [name, lines])).toEqual([
      ['f', 3],
      ['m', 5],
      ['ArrowFunction', 3],
    ])
    expect(lineCount(text)).toBe(10)
  })
})
