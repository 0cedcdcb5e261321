import * as Y from 'yjs'
import type { ContentMatch, Mark, MarkType, NodeType, Schema } from 'prosemirror-model'
import { markName } from '../../../crdt/content-items.ts'
import { MARK, NODE, SUBSECTION_LEVEL } from '../../../crdt/format.ts'

/**
 * Never delete what you cannot show.
 *
 * y-prosemirror builds each Yjs element with `schema.node(name, attrs, children)`, which
 * checks the node's content expression and the marks its text may carry, and each text
 * run with `schema.text(text, marks)` (sync-plugin.js, createNodeFromYElement and
 * createTextNodesFromYText). Whatever throws there, it deletes from the shared document,
 * for every member: an unknown block or mark, bold text or a link in a plank heading,
 * italics in the title, a paragraph directly in a list, an empty quote, a list item that
 * starts with a heading, a link without its address. Other shapes build but are lost on
 * the next local edit, when the binding writes ProseMirror's reading back: an attribute
 * the schema does not know (ProseMirror drops it, the binding then removes it), a block
 * the top level cannot hold (the replace step wraps or drops it, the binding then
 * rewrites it), an embed or a hook (not handled at all). This guard finds all of them.
 *
 * It runs before the editor binds, over the whole fragment, and then on every change,
 * over what changed: a changed element's own attributes and children (its content
 * expression), every subtree that arrived, and for changed text its marks and its
 * parent's content. Its observer is registered before the binding's, so the app can stop
 * the editor inside the same Yjs event, before the binding sees anything. Attribute
 * values themselves are not judged here: the schema has no `validate` that can throw
 * (schema.ts), so a strange value is made harmless where it is drawn.
 *
 * What it reports is what a member would call it ("bold text in a plank heading") and
 * which Yjs client wrote it, so the app can say who.
 */
export interface Unrenderable {
  /** What arrived, in a member's words: “bold text in a plank heading”. */
  what: string
  /** The Yjs client that wrote it (every Yjs item carries its writer's client id). */
  client: number | null
}

type YNode = Y.XmlElement | Y.XmlText | Y.XmlHook
type Parent = Y.XmlElement | Y.XmlFragment

const MARK_LABEL: Record<string, string> = {
  [MARK.strong]: 'bold text',
  [MARK.em]: 'italic text',
  [MARK.underline]: 'underlined text',
  [MARK.link]: 'a link',
  [MARK.insertion]: 'a proposed insertion',
  [MARK.deletion]: 'a proposed deletion',
}
const NODE_LABEL: Record<string, string> = {
  [NODE.title]: 'the title',
  [NODE.paragraph]: 'a paragraph',
  [NODE.blockquote]: 'a quote',
  [NODE.bulletList]: 'a bulleted list',
  [NODE.orderedList]: 'a numbered list',
  [NODE.listItem]: 'a list item',
  [NODE.hardBreak]: 'a line break',
  [NODE.text]: 'text',
}

const ATTR_LABEL: Record<string, string> = { href: 'address' }

/** A short, quoted, plain rendering of a name a peer chose (it ends up in a banner). */
const quoted = (name: string): string => `“${name.replace(/[^\p{L}\p{N}_:.-]/gu, '').slice(0, 40) || '?'}”`

export const markLabel = (key: string): string => MARK_LABEL[markName(key)] ?? `text marked ${quoted(markName(key))}`

export const nodeLabel = (el: Y.XmlElement | null, type: NodeType | null = null): string => {
  const name = el?.nodeName ?? type?.name ?? ''
  if (name === NODE.heading) return Number(el?.getAttribute('level')) === SUBSECTION_LEVEL ? 'a subsection heading' : 'a plank heading'
  if (NODE_LABEL[name]) return NODE_LABEL[name]
  const shown = quoted(name)
  return `${/^“[aeiou]/i.test(shown) ? 'an' : 'a'} ${shown} block`
}

/** Anything Yjs stores as an item (an element, a text, a hook, a fragment's parent item). */
type Stored = { readonly _item: Y.Item | null }

const itemClient = (type: Stored): number | null => type._item?.id.client ?? null

/** Who set formatting `key` somewhere in a text (the first live format item with a value). */
const formatClient = (text: Y.XmlText, key: string): number | null => {
  for (let n = text._start; n !== null; n = n.right as Y.Item | null) {
    if (!n.deleted && n.content instanceof Y.ContentFormat && n.content.key === key && n.content.value !== null) return n.id.client
  }
  return itemClient(text)
}

const embedClient = (text: Y.XmlText): number | null => {
  for (let n = text._start; n !== null; n = n.right as Y.Item | null) {
    if (!n.deleted && (n.content instanceof Y.ContentEmbed || n.content instanceof Y.ContentType)) return n.id.client
  }
  return itemClient(text)
}

const present = (value: unknown): boolean => value !== null && value !== undefined

/** Attribute keys a peer set that the spec does not know (ProseMirror drops them; an edit then removes them). */
const unknownAttrs = (given: Record<string, unknown>, spec: Record<string, unknown> | undefined): string[] =>
  Object.keys(given).filter((key) => present(given[key]) && !(key in (spec ?? {})))

/** Whether building a node or mark of this spec can fail on its attributes (a required one, a `validate`). */
const strictAttrs = new WeakMap<object, boolean>()
const canRefuse = (spec: { attrs?: Record<string, { default?: unknown; validate?: unknown }> }): boolean => {
  let strict = strictAttrs.get(spec)
  if (strict === undefined) strictAttrs.set(spec, strict = Object.values(spec.attrs ?? {}).some((a) => !('default' in a) || a.validate !== undefined))
  return strict
}

/** Build what ProseMirror would and report why it cannot (required attributes, `validate`). */
const attrsProblem = (spec: Record<string, { default?: unknown }> | undefined, create: () => unknown, given: Record<string, unknown>): string | null => {
  try {
    create()
    return null
  } catch {
    const missing = Object.entries(spec ?? {}).find(([key, s]) => !('default' in s) && given[key] === undefined)
    return missing ? `without its ${ATTR_LABEL[missing[0]] ?? missing[0]}` : 'with a setting this version does not accept'
  }
}

/**
 * The mark a text run's formatting key stands for, or why it cannot be one. `parent`
 * is the node holding the text, whose spec says which marks it allows.
 */
export const readMark = (schema: Schema, key: string, value: unknown, parent: NodeType | null, where = parent ? nodeLabel(null, parent) : ''): { mark: Mark } | { problem: string } => {
  const name = markName(key)
  const type: MarkType | undefined = schema.marks[name]
  if (!type) return { problem: markLabel(key) }
  const attrs = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  let mark: Mark | null = null
  if (canRefuse(type.spec)) {
    const bad = attrsProblem(type.spec.attrs as Record<string, { default?: unknown }> | undefined, () => (mark = type.create(value as Record<string, unknown>)), attrs)
    if (bad) return { problem: `${markLabel(key)} ${bad}` }
  }
  if (parent && !parent.allowsMarkType(type)) return { problem: `${markLabel(key)} in ${where}` }
  const extra = unknownAttrs(attrs, type.spec.attrs)
  if (extra.length > 0) return { problem: `${markLabel(key)} with an unknown ${quoted(extra[0]!)} setting` }
  return { mark: mark ?? type.create(value as Record<string, unknown>) }
}

/** The text nodes y-prosemirror would make of a Y.XmlText, or what stops it. */
const checkText = (schema: Schema, text: Y.XmlText, parent: NodeType, parentEl: Y.XmlElement): Unrenderable | null => {
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string') return { what: 'an embedded object inside text', client: embedClient(text) }
    let set: readonly Mark[] = []
    let count = 0
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const read = readMark(schema, key, value, parent, nodeLabel(parentEl, parent))
      if ('problem' in read) return { what: read.problem, client: formatClient(text, key) }
      set = read.mark.addToSet(set)
      count++
    }
    // Two links on one run, or marks that exclude each other: ProseMirror keeps one of them.
    if (set.length !== count) return { what: 'text with two formats that cannot go together', client: itemClient(text) }
  }
  return null
}

/** The node type a child element stands for, or why it has none (checked without its children). */
const elementType = (schema: Schema, el: Y.XmlElement): { type: NodeType } | Unrenderable => {
  const type = schema.nodes[el.nodeName]
  const client = itemClient(el)
  if (!type || type.isText || type === schema.topNodeType) return { what: nodeLabel(el), client }
  const attrs = el.getAttributes() as Record<string, unknown>
  const bad = canRefuse(type.spec) ? attrsProblem(type.spec.attrs as Record<string, { default?: unknown }> | undefined, () => type.create(attrs), attrs) : null
  if (bad) return { what: `${nodeLabel(el)} ${bad}`, client }
  const extra = unknownAttrs(attrs, type.spec.attrs)
  if (extra.length > 0) return { what: `${nodeLabel(el)} with an unknown ${quoted(extra[0]!)} setting`, client: el._map.get(extra[0]!)?.id.client ?? client }
  return { type }
}

/** Whether a content expression accepts a node type anywhere at all. */
const acceptsAnywhere = (start: ContentMatch, type: NodeType): boolean => {
  const seen = new Set<ContentMatch>([start])
  const queue = [start]
  for (let match = queue.shift(); match; match = queue.shift()) {
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i)
      if (edge.type === type) return true
      if (!seen.has(edge.next)) { seen.add(edge.next); queue.push(edge.next) }
    }
  }
  return false
}

const misfit = (parentEl: Y.XmlElement | null, parentType: NodeType, child: YNode | null, childType: NodeType | null, index: number): string => {
  const where = parentEl ? nodeLabel(parentEl) : 'the draft'
  if (child === null || childType === null) return index === 0 ? `an empty ${where.replace(/^an? /, '')}` : `${where} that is missing its last part`
  const what = child instanceof Y.XmlElement ? nodeLabel(child) : nodeLabel(null, childType)
  if (!parentEl) return `${what} at the top level of the draft`
  if (!acceptsAnywhere(parentType.contentMatch, childType)) return `${what} directly inside ${where}`
  return index === 0 ? `${where} that starts with ${what}` : `${where} with ${what} where it cannot go`
}

/**
 * Check one container: its own attributes, each child's kind and formatting, and its
 * content expression over the children. `deep` also checks inside child elements.
 */
const checkContainer = (schema: Schema, parent: Parent, deep: boolean): Unrenderable | null => {
  const parentEl = parent instanceof Y.XmlElement ? parent : null
  let parentType: NodeType
  if (parentEl) {
    const read = elementType(schema, parentEl)
    if (!('type' in read)) return read
    parentType = read.type
  } else {
    parentType = schema.topNodeType
  }
  let match: ContentMatch | null = parentType.contentMatch
  let index = 0
  for (const child of parent.toArray() as YNode[]) {
    let childType: NodeType
    if (child instanceof Y.XmlHook) return { what: 'an embedded hook', client: itemClient(child) }
    if (child instanceof Y.XmlText) {
      // y-prosemirror builds only elements at the top level; text there throws.
      if (!parentEl) return { what: 'text outside any paragraph', client: itemClient(child) }
      const problem = checkText(schema, child, parentType, parentEl)
      if (problem) return problem
      if (child.length === 0) continue // makes no ProseMirror node at all
      childType = schema.nodes[NODE.text]!
    } else {
      const read = elementType(schema, child)
      if (!('type' in read)) return read
      childType = read.type
      if (deep) {
        const problem = checkContainer(schema, child, true)
        if (problem) return problem
      }
    }
    match = match.matchType(childType)
    if (!match) return { what: misfit(parentEl, parentType, child, childType, index), client: itemClient(child) }
    index++
  }
  // An empty fragment is a draft still arriving; y-prosemirror shows it as one empty paragraph.
  if (!match.validEnd && (parentEl || index > 0)) return { what: misfit(parentEl, parentType, null, null, index), client: itemClient(parent) }
  return null
}

/** What in the fragment this schema cannot show, or null when everything can be shown. */
export const findUnrenderable = (schema: Schema, fragment: Y.XmlFragment): Unrenderable | null =>
  checkContainer(schema, fragment, true)

/** Every top-level block that cannot be shown as it is, by its index, with the first reason. */
export const unrenderableBlocks = (schema: Schema, fragment: Y.XmlFragment): Map<number, Unrenderable> => {
  const found = new Map<number, Unrenderable>()
  let match = schema.topNodeType.contentMatch
  fragment.toArray().forEach((child, index) => {
    if (!(child instanceof Y.XmlElement)) {
      found.set(index, { what: child instanceof Y.XmlText ? 'text outside any paragraph' : 'an embedded hook', client: itemClient(child) })
      return
    }
    const read = elementType(schema, child)
    if (!('type' in read)) return found.set(index, read)
    const next = match.matchType(read.type)
    if (!next) return found.set(index, { what: misfit(null, schema.topNodeType, child, read.type, index), client: itemClient(child) })
    match = next
    const problem = checkContainer(schema, child, true)
    if (problem) found.set(index, problem)
  })
  return found
}

/** Whether a type is still part of the document (not deleted, nor inside something deleted). */
const live = (type: Stored): boolean => {
  for (let t: Stored | null = type; t?._item; t = t._item.parent as Stored | null) {
    if (t._item.deleted) return false
  }
  return true
}

/**
 * Watch a fragment; `onProblem` runs inside the Yjs observer, before the editor's, at
 * most once per transaction. Returns a function that stops watching.
 */
export const guardFragment = (schema: Schema, fragment: Y.XmlFragment, onProblem: (problem: Unrenderable) => void): (() => void) => {
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    const containers = new Set<Parent>()
    const arrived = new Set<Y.XmlElement>()
    for (const event of events) {
      const target = event.target
      if (target instanceof Y.XmlText) {
        if (target.parent instanceof Y.XmlElement || target.parent instanceof Y.XmlFragment) containers.add(target.parent)
        continue
      }
      if (!(target instanceof Y.XmlElement || target instanceof Y.XmlFragment)) continue
      containers.add(target)
      for (const item of event.changes.added) {
        for (const added of item.content.getContent() as unknown[]) if (added instanceof Y.XmlElement) arrived.add(added)
      }
    }
    for (const el of arrived) {
      if (!live(el)) continue
      const problem = checkContainer(schema, el, true)
      if (problem) return onProblem(problem)
    }
    for (const container of containers) {
      if (!live(container)) continue
      const problem = checkContainer(schema, container, false)
      if (problem) return onProblem(problem)
    }
  }
  fragment.observeDeep(observer)
  return () => fragment.unobserveDeep(observer)
}
