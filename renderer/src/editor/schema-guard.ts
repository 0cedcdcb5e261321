import * as Y from 'yjs'
import type { Schema } from 'prosemirror-model'
import { markName } from '../../../crdt/content-items.ts'

/**
 * y-prosemirror deletes from the shared document any element or text it cannot build
 * with the schema (sync-plugin.js, createNodeFromYElement). A peer on a newer Plank, or
 * a hostile one, could thereby make every older client delete content for everyone.
 *
 * This guard finds what the schema cannot hold before y-prosemirror sees it: at open,
 * over the whole fragment, and after each change, over what changed. Its observer is
 * registered before the editor's, so the app can stop the editor (whose observer then
 * returns early) and show a read-only copy instead.
 */


const checkText = (schema: Schema, text: Y.XmlText): string | null => {
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string') return 'an embedded object inside text'
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const name = markName(key)
      const type = schema.marks[name]
      if (!type) return `text marked “${name}”`
      for (const [attr, spec] of Object.entries(type.spec.attrs ?? {})) {
        const given = (value as Record<string, unknown> | null)?.[attr]
        if (!('default' in spec) && (given === undefined || given === null)) return `a “${name}” mark without its ${attr}`
      }
    }
  }
  return null
}

const checkElement = (schema: Schema, el: Y.XmlElement | Y.XmlText | Y.XmlHook): string | null => {
  if (el instanceof Y.XmlText) return checkText(schema, el)
  if (el instanceof Y.XmlHook) return 'an embedded hook'
  const type = schema.nodes[el.nodeName]
  if (!type || type.isText || type === schema.topNodeType) return `a “${el.nodeName}” block`
  for (const child of el.toArray()) {
    const problem = checkElement(schema, child as Y.XmlElement | Y.XmlText)
    if (problem) return problem
  }
  return null
}

/** What in the fragment this schema cannot show, or null when everything can be shown. */
export const findUnrenderable = (schema: Schema, fragment: Y.XmlFragment): string | null => {
  for (const child of fragment.toArray()) {
    const problem = checkElement(schema, child as Y.XmlElement | Y.XmlText)
    if (problem) return problem
  }
  return null
}

/** Watch a fragment; `onProblem` runs inside the Yjs observer, before the editor's. */
export const guardFragment = (schema: Schema, fragment: Y.XmlFragment, onProblem: (problem: string) => void): (() => void) => {
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    for (const event of events) {
      const target = event.target
      if (target instanceof Y.XmlText) {
        const problem = checkText(schema, target)
        if (problem) return onProblem(problem)
        continue
      }
      for (const item of event.changes.added) {
        for (const added of item.content.getContent() as unknown[]) {
          if (added instanceof Y.XmlElement || added instanceof Y.XmlText || added instanceof Y.XmlHook) {
            const problem = checkElement(schema, added)
            if (problem) return onProblem(problem)
          }
        }
      }
      if (target instanceof Y.XmlElement && (event as Y.YXmlEvent).attributesChanged.size > 0) {
        const problem = checkElement(schema, target)
        if (problem) return onProblem(problem)
      }
    }
  }
  fragment.observeDeep(observer)
  return () => fragment.unobserveDeep(observer)
}
