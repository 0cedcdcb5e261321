import * as Y from 'yjs'
import { META, NODE, PLANK_LEVEL, ROOT, SCHEMA_VERSION } from './format.ts'
import { ORIGIN } from './origins.ts'

/**
 * A draft's Y.Doc. History is kept (gc off): versions, comparisons and attribution
 * read deleted content back out of it.
 */
export const createDraftDoc = (): Y.Doc => new Y.Doc({ gc: false })

/** A separate copy of a draft, history included, to read or change without touching the draft. */
export const copyDraft = (draft: Y.Doc, origin?: unknown): Y.Doc => {
  const copy = createDraftDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(draft), origin)
  return copy
}

/** Typed accessors for the root types. */
export const content = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(ROOT.content)
export const meta = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.meta)
export const comments = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.comments)
export const amendments = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.amendments)
/** The decision log (positions and decisions), append-only: see decisions.ts. */
export const votes = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.votes)
export const versions = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.versions)
export const members = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.members)
export const people = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.people)

export interface DraftMeta {
  schemaVersion: number | undefined
  chapter: string
  created: number | undefined
}

export const readMeta = (doc: Y.Doc): DraftMeta => {
  const m = meta(doc)
  const schemaVersion = m.get(META.schemaVersion)
  const created = m.get(META.created)
  const chapter = m.get(META.chapter)
  return {
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : undefined,
    chapter: typeof chapter === 'string' ? chapter : '',
    created: typeof created === 'number' ? created : undefined,
  }
}

export interface SeedOptions {
  title: string
  chapter?: string
  /** Plank headings to start with; each gets an empty paragraph. */
  planks?: string[]
  now?: number
}

/**
 * Write a new draft's initial content. Called exactly once, by the draft's creator,
 * before the draft is shared: seeding the editor instead would duplicate text when
 * peers merge (the Y.Doc is always the source of truth).
 */
export const seedDraft = (doc: Y.Doc, opts: SeedOptions): void => {
  if (content(doc).length > 0 || meta(doc).size > 0) {
    throw new Error('seedDraft: the draft already has content; seed only new drafts')
  }
  doc.transact(() => {
    seedMeta(doc, opts)
    const nodes: Y.XmlElement[] = [textElement(NODE.title, opts.title)]
    nodes.push(textElement(NODE.paragraph, ''))
    for (const plank of opts.planks ?? []) {
      const heading = textElement(NODE.heading, plank)
      heading.setAttribute('level', PLANK_LEVEL as unknown as string)
      nodes.push(heading, textElement(NODE.paragraph, ''))
    }
    content(doc).insert(0, nodes)
  }, ORIGIN.seed)
}

/** A new draft's meta (schema version, creation time, chapter); content is written by the caller. */
export const seedMeta = (doc: Y.Doc, opts: { now?: number; chapter?: string }): void => {
  const m = meta(doc)
  m.set(META.schemaVersion, SCHEMA_VERSION)
  m.set(META.created, opts.now ?? Date.now())
  m.set(META.chapter, opts.chapter ?? '')
}

const textElement = (name: string, text: string): Y.XmlElement => {
  const el = new Y.XmlElement(name)
  el.insert(0, [new Y.XmlText(text)])
  return el
}

export type Compatibility =
  | { kind: 'ok' }
  | { kind: 'newer'; schemaVersion: number }
  | { kind: 'empty' }

/**
 * Whether this build may edit the draft. A draft written by a newer schema opens
 * read-only: the older editor would silently drop the nodes it cannot represent.
 */
export const compatibility = (doc: Y.Doc): Compatibility => {
  const { schemaVersion } = readMeta(doc)
  if (schemaVersion === undefined) return { kind: 'empty' }
  if (schemaVersion > SCHEMA_VERSION) return { kind: 'newer', schemaVersion }
  return { kind: 'ok' }
}
