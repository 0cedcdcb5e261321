import { Fragment, Mark, Node as PMNode, type Schema } from 'prosemirror-model'

/**
 * Show a comparison word by word. Yjs records edits character by character, so
 * rewording "a fair" as "an affordable" is stored as: keep "a", add "n", remove
 * "fair", add "affordable". Read that way, "a" looks untouched. Here a word that
 * changed at all is shown whole: first as it was (removed), then as it is (added),
 * each attributed to the member whose change it carries. Whitespace is its own unit.
 */
const CHANGE = 'ychange'

interface Char {
  text: string
  marks: readonly Mark[]
  change: { type: 'added' | 'removed'; user: string | null } | null
}

const changeOf = (marks: readonly Mark[]): Char['change'] => {
  const m = marks.find((x) => x.type.name === CHANGE)
  const type = m?.attrs.type
  return type === 'added' || type === 'removed' ? { type, user: (m!.attrs.user as string | null) ?? null } : null
}

const charsOf = (block: PMNode): Array<Char | PMNode> => {
  const out: Array<Char | PMNode> = []
  block.forEach((child) => {
    if (!child.isText) return void out.push(child)
    const marks = child.marks.filter((m) => m.type.name !== CHANGE)
    const change = changeOf(child.marks)
    for (const text of child.text ?? '') out.push({ text, marks, change })
  })
  return out
}

const isChar = (c: Char | PMNode): c is Char => !(c instanceof PMNode)
const isSpace = (c: Char | PMNode): boolean => !isChar(c) || /\s/.test(c.text)

/** Rewrite one unit (a word, or a single space or inline node) as whole removed and added runs. */
const wholeWord = (unit: Char[]): Char[] => {
  const changes = unit.map((c) => c.change).filter((c) => c !== null)
  if (changes.length === 0 || changes.every((c) => c.type === unit[0]!.change?.type) && unit.every((c) => c.change)) return unit
  const remover = changes.find((c) => c.type === 'removed') ?? changes[0]!
  const adder = changes.find((c) => c.type === 'added') ?? changes[0]!
  const kept = unit.filter((c) => c.change?.type !== 'added')
  const made = unit.filter((c) => c.change?.type !== 'removed')
  // Removed and written again as it was (a restore retypes what it brings back): no change.
  if (kept.length === made.length && kept.every((c, i) => c.text === made[i]!.text && Mark.sameSet(c.marks, made[i]!.marks))) {
    return kept.map((c) => ({ ...c, change: null }))
  }
  const before = kept.map((c) => ({ ...c, change: { type: 'removed' as const, user: remover.user } }))
  const after = made.map((c) => ({ ...c, change: { type: 'added' as const, user: adder.user } }))
  return [...before, ...after]
}

const rebuild = (schema: Schema, items: Array<Char | PMNode>): PMNode[] => {
  const nodes: PMNode[] = []
  let run: Char[] = []
  const flush = () => {
    if (run.length === 0) return
    const first = run[0]!
    const marks = first.change ? [...first.marks, schema.marks[CHANGE]!.create({ ...first.change })] : first.marks
    nodes.push(schema.text(run.map((c) => c.text).join(''), marks))
    run = []
  }
  const same = (a: Char, b: Char) => Mark.sameSet(a.marks, b.marks) && a.change?.type === b.change?.type && a.change?.user === b.change?.user
  for (const item of items) {
    if (!isChar(item)) { flush(); nodes.push(item); continue }
    if (run.length > 0 && !same(run[0]!, item)) flush()
    run.push(item)
  }
  flush()
  return nodes
}

const rewriteBlock = (schema: Schema, block: PMNode): PMNode => {
  const items = charsOf(block)
  const out: Array<Char | PMNode> = []
  let word: Char[] = []
  const endWord = () => { out.push(...wholeWord(word)); word = [] }
  for (const item of items) {
    if (isSpace(item) || !isChar(item)) { endWord(); out.push(item) } else word.push(item)
  }
  endWord()
  return block.copy(Fragment.from(rebuild(schema, out)))
}

export const wordLevelChanges = (doc: PMNode): PMNode => {
  const schema = doc.type.schema
  if (!schema.marks[CHANGE]) return doc
  const walk = (node: PMNode): PMNode => {
    if (node.isTextblock) return rewriteBlock(schema, node)
    if (node.isLeaf) return node
    const children: PMNode[] = []
    node.forEach((child) => { children.push(walk(child)) })
    return node.copy(Fragment.from(children))
  }
  return walk(doc)
}
