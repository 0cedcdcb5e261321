import { type DOMOutputSpec, type MarkSpec, type NodeSpec, Schema } from 'prosemirror-model'
import { schema } from '../editor/schema.ts'
import { colorStyle } from '../ui/color-style.ts'

/**
 * The schema of the comparison view: the editor's own, plus what y-prosemirror's
 * snapshot rendering writes: a `ychange` mark on added and removed text and a `ychange`
 * attribute on added and removed blocks, each `{ type, user }`. Used only in a
 * read-only view of a copy, never for editing, so no parse rule can bring it in.
 */
export interface Change { type: 'added' | 'removed'; user: string | null }

/** How a comparison shows a member: their name and colour. */
export type PersonLookup = (user: string | null) => { name: string; color: string }

const CHANGE = 'ychange'

const readChange = (value: unknown): Change | null => {
  const v = value as Partial<Change> | null
  return v && (v.type === 'added' || v.type === 'removed') ? { type: v.type, user: typeof v.user === 'string' ? v.user : null } : null
}

const changeAttrs = (change: Change, person: PersonLookup): Record<string, string> => {
  const who = person(change.user)
  return {
    class: `pk-diff pk-diff-${change.type}`,
    'data-change': change.type,
    'data-author': who.name,
    title: `${change.type === 'added' ? 'Added' : 'Removed'} by ${who.name}`,
    style: colorStyle('--pk-diff-color', who.color),
  }
}

/** Add the change's attributes to a node's outermost DOM element. */
const withChange = (spec: DOMOutputSpec, change: Change | null, person: PersonLookup): DOMOutputSpec => {
  if (!change || !Array.isArray(spec)) return spec
  const [tag, maybeAttrs, ...rest] = spec as [string, ...unknown[]]
  const hasAttrs = typeof maybeAttrs === 'object' && maybeAttrs !== null && !Array.isArray(maybeAttrs)
  const attrs = { ...(hasAttrs ? maybeAttrs as Record<string, string> : {}), ...changeAttrs(change, person) }
  return [tag, attrs, ...(hasAttrs ? rest : [maybeAttrs, ...rest].filter((x) => x !== undefined))] as unknown as DOMOutputSpec
}

export const compareSchema = (person: PersonLookup): Schema => {
  let nodes = schema.spec.nodes
  schema.spec.nodes.forEach((name, spec) => {
    if (name === 'text' || name === 'doc') return
    const next: NodeSpec = {
      ...spec,
      attrs: { ...(spec.attrs ?? {}), [CHANGE]: { default: null } },
      ...(typeof spec.marks === 'string' ? { marks: `${spec.marks} ${CHANGE}` } : {}),
      parseDOM: [],
      ...(spec.toDOM ? { toDOM: (node) => withChange(spec.toDOM!(node), readChange(node.attrs[CHANGE]), person) } : {}),
    }
    nodes = nodes.update(name, next)
  })
  const changeMark: MarkSpec = {
    attrs: { user: { default: null }, type: { default: null }, color: { default: null } },
    excludes: '',
    inclusive: false,
    parseDOM: [],
    toDOM: (mark): DOMOutputSpec => {
      const change = readChange(mark.attrs)
      return change ? [change.type === 'added' ? 'ins' : 'del', changeAttrs(change, person), 0] : ['span', 0]
    },
  }
  return new Schema({ nodes, marks: schema.spec.marks.addToEnd(CHANGE, changeMark) })
}
