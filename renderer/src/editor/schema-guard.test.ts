import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { schema } from './schema.ts'
import { findUnrenderable, guardFragment } from './schema-guard.ts'
import { content, createDraftDoc, seedDraft } from '../../../crdt/index.ts'

const draft = () => {
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'Platform', planks: ['Housing'] })
  return doc
}

describe('schema guard', () => {
  it('accepts everything the editor writes', () => {
    const doc = draft()
    const p = content(doc).get(1) as Y.XmlElement
    ;(p.get(0) as Y.XmlText).insert(0, 'Homes', { strong: true, link: { href: 'https://example.org' } })
    expect(findUnrenderable(schema, content(doc))).toBeNull()
  })

  it.each([
    ['an unknown block', (doc: Y.Doc) => content(doc).insert(1, [new Y.XmlElement('resolution_box')]), /resolution_box/],
    ['an unknown mark', (doc: Y.Doc) => ((content(doc).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x', { glitter: true }), /glitter/],
    ['a link without href', (doc: Y.Doc) => ((content(doc).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x', { link: {} }), /link.*href/],
    ['a nested unknown block', (doc: Y.Doc) => {
      const quote = new Y.XmlElement('blockquote')
      quote.insert(0, [new Y.XmlElement('poll')])
      content(doc).insert(1, [quote])
    }, /poll/],
  ])('finds %s, at open and as it arrives', (_name, change, expected) => {
    const doc = draft()
    const seen: string[] = []
    guardFragment(schema, content(doc), (p) => seen.push(p))
    change(doc)
    expect(seen[0]).toMatch(expected)
    expect(findUnrenderable(schema, content(doc))).toMatch(expected)
  })

  it('checks formatting applied to existing text', () => {
    const doc = draft()
    const text = (content(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
    const seen: string[] = []
    guardFragment(schema, content(doc), (p) => seen.push(p))
    text.format(0, 3, { sparkle: true })
    expect(seen).toEqual(['text marked “sparkle”'])
  })
})
