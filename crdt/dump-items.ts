import * as Y from 'yjs'
import { content } from './draft.ts'

/**
 * For debugging a failing seed: every item of every block's text, in order — deleted
 * ones marked ~, as client:clock (client shortened), with its content and origin.
 * The seeded tests print this for their docs when PLANK_DEBUG is set.
 */
export const dumpItems = (doc: Y.Doc): string =>
  (content(doc).toArray() as Y.XmlElement[]).map((el) => {
    const out: string[] = []
    for (let it = (el.get(0) as Y.XmlText | undefined)?._start ?? null; it; it = it.right) {
      const what = it.content instanceof Y.ContentString ? JSON.stringify(it.content.str)
        : it.content instanceof Y.ContentFormat ? `${it.content.key.split('--')[0]}>${JSON.stringify(it.content.value)?.slice(0, 40)}` : '?'
      out.push(`${it.deleted ? '~' : ''}${it.id.client % 1000}:${it.id.clock}=${what}${it.origin ? `<${it.origin.client % 1000}:${it.origin.clock}` : ''}`)
    }
    return `${el.nodeName}: ${out.join(' ')}`
  }).join('\n')
