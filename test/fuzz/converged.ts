import assert from 'node:assert'
import * as Y from 'yjs'
import type { Node as PMNode, Mark } from 'prosemirror-model'
import { content, meta, readAmendments, readThreads, tally } from '../../crdt/index.ts'
import type { Peer } from './convergence.ts'
import { Divergence } from './report.ts'

/**
 * Every peer holds the same Yjs state, editor document, metadata, threads, anchors and
 * tallies. Each is compared as before (exact equality); when two peers differ, the
 * error shows a structural diff of what differs (the document block by block, maps
 * key by key), so a failure says where, not only that.
 */
interface Aspect {
  what: string
  same(a: Peer, b: Peer): boolean
  /** The same thing as plain data, for the diff. */
  show(p: Peer): unknown
}

const json = (value: unknown) => JSON.stringify(value)

/** Yjs content as indented XML, one text block (with its marks as tags) per line. */
const xmlLines = (parent: Y.XmlFragment | Y.XmlElement, indent = ''): string[] => parent.toArray().flatMap((child) => {
  if (!(child instanceof Y.XmlElement) || child.toArray().every((c) => c instanceof Y.XmlText)) return [indent + child.toString()]
  const attrs = Object.entries(child.getAttributes()).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => ` ${k}=${json(v)}`).join('')
  return [`${indent}<${child.nodeName}${attrs}>`, ...xmlLines(child, `${indent}  `), `${indent}</${child.nodeName}>`]
})

/** Attributes that are set (null is every attribute's unset value here), as JSON. */
const attrsOf = (attrs: Record<string, unknown>) => {
  const set = Object.entries(attrs).filter(([, v]) => v !== null)
  return set.length > 0 ? json(Object.fromEntries(set)) : ''
}
const markOf = (m: Mark) => `${m.type.name}${attrsOf(m.attrs)}`

/** The editor document, one text block per line: its type, attributes, and each run's marks. */
const pmLines = (node: PMNode, indent = ''): string[] => {
  const label = `${indent}${node.type.name}${attrsOf(node.attrs)}`
  if (!node.isTextblock) {
    const children: string[] = []
    node.forEach((child) => children.push(...pmLines(child, `${indent}  `)))
    return [label, ...children]
  }
  const runs: string[] = []
  node.forEach((child) => {
    const text = child.isText ? json(child.text) : child.type.name
    runs.push(child.marks.length > 0 ? `${child.marks.map(markOf).join('+')}(${text})` : text)
  })
  return [`${label}: ${runs.join(' ')}`]
}

const review = (p: Peer) => readAmendments(p.doc).map((a) => [a, tally(p.ledger, a.id)])

const ASPECTS: Aspect[] = [
  {
    what: 'Yjs state (client id: clock)',
    same: (a, b) => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(),
    show: (p) => Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(p.doc))].sort(([x], [y]) => x - y)),
  },
  { what: 'content', same: (a, b) => content(a.doc).toJSON() === content(b.doc).toJSON(), show: (p) => xmlLines(content(p.doc)) },
  { what: 'the ProseMirror document', same: (a, b) => a.pm.eq(b.pm), show: (p) => pmLines(p.pm) },
  { what: 'meta', same: (a, b) => json(meta(a.doc).toJSON()) === json(meta(b.doc).toJSON()), show: (p) => meta(p.doc).toJSON() },
  { what: 'comment threads', same: (a, b) => json(readThreads(a.doc)) === json(readThreads(b.doc)), show: (p) => readThreads(p.doc) },
  { what: 'where comments are anchored', same: (a, b) => a.anchors() === b.anchors(), show: (p) => JSON.parse(p.anchors()) as unknown },
  { what: 'amendments or tallies', same: (a, b) => json(review(a)) === json(review(b)), show: (p) => review(p) },
]

/** A readable diff of two values (Node's, as assert prints it); the raw values if it finds none. */
const diff = (actual: unknown, expected: unknown, fallback: [string, string]): string => {
  try {
    assert.deepStrictEqual(actual, expected)
  } catch (err) {
    return (err as Error).message
  }
  return `(no structural difference; as compared)\nactual:   ${fallback[0]}\nexpected: ${fallback[1]}`
}

export const assertConverged = (all: Peer[], label: string): void => {
  const [first, ...rest] = all
  for (const p of rest) {
    for (const aspect of ASPECTS) {
      if (aspect.same(p, first!)) continue
      const raw = (x: Peer) => json(aspect.show(x))
      throw new Divergence(`${label}: peer ${p.id} differs from peer ${first!.id} in ${aspect.what} (actual: peer ${p.id}, expected: peer ${first!.id})\n${diff(aspect.show(p), aspect.show(first!), [raw(p), raw(first!)])}`)
    }
  }
}
