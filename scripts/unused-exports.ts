// `npm run lint`, second half: no unused exports. An export of a file in src/ must be imported
// somewhere else — by another file of the program tsconfig.json describes (src, test, bench,
// examples, scripts), through an import, a re-export, `import()` or `typeof import()` — or be
// part of the public entry (src/index.ts re-exports). A value (function, class, constant) used
// only in its own file need not be exported and is reported; a type (interface, type alias) used
// in its own file is allowed: it names part of an exported signature, which callers may need to
// write down (knip's ignoreExportsUsedInFile for types). One line per finding, exit 1 if any.
//
// Made with the TypeScript compiler API (already a dependency) instead of a tool such as knip:
// the question is small, and the answer then follows tsc's own module resolution exactly.

import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Exports used from outside the TypeScript program: name them with the user. */
const USED_FROM_OUTSIDE: Readonly<Record<string, readonly string[]>> = {
  // bin/gntbench.js (plain JavaScript) calls it from the build.
  'src/cli/main.ts': ['runMain'],
}

function loadProgram(): ts.Program {
  const configPath = resolve(ROOT, 'tsconfig.json')
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
    },
  })
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`)
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })
}

const program = loadProgram()
const checker = program.getTypeChecker()
const ownFiles = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/'))
const rel = (file: ts.SourceFile): string => relative(ROOT, file.fileName).split('\\').join('/')

/** The declaration symbol an alias (import or re-export specifier) finally stands for. */
function target(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
}

/** Symbols used by a file other than their own: key is the symbol, value the files that use it. */
const used = new Map<ts.Symbol, Set<string>>()
function markUsed(symbol: ts.Symbol | undefined, by: string): void {
  if (symbol === undefined) return
  const resolved = target(symbol)
  let users = used.get(resolved)
  if (users === undefined) used.set(resolved, (users = new Set()))
  users.add(by)
}

function moduleSymbolOf(specifier: ts.Expression | ts.TypeNode | undefined): ts.Symbol | undefined {
  if (specifier === undefined) return undefined
  const node = ts.isLiteralTypeNode(specifier) ? specifier.literal : specifier
  return checker.getSymbolAtLocation(node)
}

/** Every export of a module counts as used (namespace imports, import(), typeof import()). */
function markAllExports(moduleSymbol: ts.Symbol | undefined, by: string): void {
  if (moduleSymbol === undefined) return
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) markUsed(symbol, by)
}

/** Symbols referred to in their own file, other than by their declaration. */
const usedInOwnFile = new Set<ts.Symbol>()

for (const file of ownFiles) {
  const by = rel(file)
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isDeclarationName(node)) {
      const symbol = checker.getSymbolAtLocation(node)
      if (symbol !== undefined && symbol.declarations?.some((d) => d.getSourceFile() === file) === true) usedInOwnFile.add(symbol)
    }
    if (ts.isImportDeclaration(node) && node.importClause !== undefined) {
      const clause = node.importClause
      if (clause.name !== undefined) markUsed(checker.getSymbolAtLocation(clause.name), by)
      const bindings = clause.namedBindings
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) markAllExports(moduleSymbolOf(node.moduleSpecifier), by)
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) markUsed(checker.getSymbolAtLocation(element.name), by)
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      if (node.exportClause === undefined || ts.isNamespaceExport(node.exportClause)) markAllExports(moduleSymbolOf(node.moduleSpecifier), by)
      else for (const element of node.exportClause.elements) markUsed(checker.getSymbolAtLocation(element.name), by)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      markAllExports(moduleSymbolOf(node.arguments[0]), by)
    } else if (ts.isImportTypeNode(node)) {
      markAllExports(moduleSymbolOf(node.argument), by)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent
  return (ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isEnumDeclaration(parent)) && parent.name === node
}

const findings: string[] = []
for (const file of ownFiles) {
  const name = rel(file)
  if (!name.startsWith('src/') || name === 'src/index.ts') continue
  const moduleSymbol = checker.getSymbolAtLocation(file)
  if (moduleSymbol === undefined) continue
  const outside = USED_FROM_OUTSIDE[name] ?? []
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    // A re-export is the other module's export; it is checked there.
    if (exported.flags & ts.SymbolFlags.Alias) continue
    if (outside.includes(exported.name)) continue
    const users = used.get(target(exported))
    if (users !== undefined && [...users].some((user) => user !== name)) continue
    const declaration = exported.declarations?.[0]
    const line = declaration === undefined ? 0 : file.getLineAndCharacterOfPosition(declaration.getStart()).line + 1
    const isType = (exported.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 && (exported.flags & ts.SymbolFlags.Value) === 0
    if (isType && usedInOwnFile.has(exported)) continue
    const where = usedInOwnFile.has(exported) ? 'used only in its own file' : 'not used anywhere'
    findings.push(`${name}:${line}: '${exported.name}' is exported but ${where}`)
  }
}

if (findings.length > 0) {
  process.stderr.write(`${findings.join('\n')}\nunused-exports: ${findings.length} unused export(s); drop the export, or use it\n`)
  process.exitCode = 1
} else {
  process.stdout.write(`unused-exports: every export of src/ is used (${ownFiles.length} files read)\n`)
}
