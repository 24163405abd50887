// A tiny strict XML well-formedness checker for the report tests (no dependency, no regular
// expressions for structure): one root element, every start tag closed in order, attributes
// quoted and unique, only the five predefined entities or character references, no '<' in
// attribute values, no stray '&' in text. Returns the element tree so tests can count series.

export interface XmlElement {
  name: string
  attributes: Map<string, string>
  children: XmlElement[]
  text: string
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':' || c.charCodeAt(0) > 0x7f
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.'
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r'
}

/** Throws an Error naming the offset of the first violation; returns the root element. */
export function parseXml(source: string): XmlElement {
  let i = 0
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  const fail = (why: string): never => {
    throw new Error(`not well-formed at offset ${i}: ${why}`)
  }
  const readName = (): string => {
    const start = i
    if (!isNameStart(source[i] ?? '')) fail(`expected a name, got ${JSON.stringify(source[i])}`)
    while (i < source.length && isNameChar(source[i] as string)) i++
    return source.slice(start, i)
  }
  const decode = (raw: string): string => {
    let out = ''
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j] as string
      if (c === '<') fail("'<' in text or attribute value")
      if (c !== '&') {
        out += c
        continue
      }
      const end = raw.indexOf(';', j)
      if (end < 0) fail("'&' without ';'")
      const ref = raw.slice(j + 1, end)
      if (ref.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
      else if (ref.startsWith('#')) out += String.fromCodePoint(Number.parseInt(ref.slice(1), 10))
      else if (PREDEFINED[ref] !== undefined) out += PREDEFINED[ref]
      else fail(`unknown entity &${ref};`)
      j = end
    }
    return out
  }
  const skipSpace = (): void => {
    while (isSpace(source[i])) i++
  }

  while (i < source.length) {
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i)
      if (end < 0) fail('unterminated processing instruction')
      i = end + 2
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i)
      if (end < 0) fail('unterminated comment')
      i = end + 3
    } else if (source.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root')
      const end = source.indexOf(']]>', i)
      if (end < 0) fail('unterminated CDATA')
      i = end + 3
    } else if (source.startsWith('</', i)) {
      i += 2
      const name = readName()
      skipSpace()
      if (source[i] !== '>') fail('expected > after end tag name')
      i++
      const open = stack.pop()
      if (open === undefined) fail(`end tag </${name}> without a start tag`)
      else if (open.name !== name) fail(`end tag </${name}> closes <${open.name}>`)
    } else if (source[i] === '<') {
      i++
      const element: XmlElement = { name: readName(), attributes: new Map(), children: [], text: '' }
      for (;;) {
        const hadSpace = isSpace(source[i])
        skipSpace()
        if (source.startsWith('/>', i) || source[i] === '>') break
        if (!hadSpace) fail('attributes must be separated by white space')
        const attr = readName()
        skipSpace()
        if (source[i] !== '=') fail(`attribute ${attr} without '='`)
        i++
        skipSpace()
        const quote = source[i]
        if (quote !== '"' && quote !== "'") fail(`attribute ${attr} value not quoted`)
        const end = source.indexOf(quote as string, i + 1)
        if (end < 0) fail(`unterminated value of ${attr}`)
        if (element.attributes.has(attr)) fail(`duplicate attribute ${attr}`)
        element.attributes.set(attr, decode(source.slice(i + 1, end)))
        i = end + 1
      }
      const parent = stack[stack.length - 1]
      if (parent !== undefined) parent.children.push(element)
      else if (root !== null) fail('a second root element')
      else root = element
      if (source.startsWith('/>', i)) i += 2
      else {
        i++
        stack.push(element)
      }
    } else {
      const next = source.indexOf('<', i)
      const end = next < 0 ? source.length : next
      const raw = source.slice(i, end)
      const parent = stack[stack.length - 1]
      if (parent === undefined) {
        for (const c of raw) if (!isSpace(c)) fail('text outside the root element')
      } else parent.text += decode(raw)
      i = end
    }
  }
  if (stack.length > 0) fail(`<${(stack[stack.length - 1] as XmlElement).name}> never closed`)
  if (root === null) fail('no root element')
  return root as XmlElement
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = []
  const walk = (e: XmlElement): void => {
    out.push(e)
    for (const c of e.children) walk(c)
  }
  walk(root)
  return out
}
