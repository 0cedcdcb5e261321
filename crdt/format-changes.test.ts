import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { content, createDraftDoc } from './draft.ts'
import { canonicalText } from './canonical.ts'
import { settleInContent } from './settle.ts'
import { openAmendments } from './content-items.ts'
import { formatMarkAttribute } from './review-marks.ts'
import { BLOCK_ATTR, NODE } from './format.ts'
import { ORIGIN } from './origins.ts'
import { decodeBlockChange, decodeFormatChange, encodeBlockChange, encodeFormatChange } from './format-changes.ts'

describe('proposed changes of form, as peers write them', () => {
  it('read back exactly what was written, in one canonical form', () => {
    expect(encodeFormatChange({ strong: {}, link: { href: 'https://example.org' }, em: null })).toBe('{"em":null,"link":{"href":"https://example.org"},"strong":{}}')
    expect(decodeFormatChange(encodeFormatChange({ underline: {}, em: null }))).toEqual({ underline: {}, em: null })
    const change = { amendment: 'a1', author: 'Ana', color: '#0f6b63', node: NODE.orderedList, attrs: { order: 4 } }
    expect(decodeBlockChange(encodeBlockChange(change))).toEqual(change)
  })

  it('read anything malformed or hostile as no change at all', () => {
    for (const raw of [undefined, 7, '', 'not json', '[1,2]', '{"script":{}}', '{"link":{"href":5}}', `{"strong":{}${' '.repeat(20_000)}}`]) {
      expect(decodeFormatChange(raw), String(raw).slice(0, 20)).toEqual({})
    }
    expect(decodeFormatChange('{"strong":{"evil":1},"link":{"href":"javascript:alert(1)","onclick":"x"}}'))
      .toEqual({ strong: {}, link: { href: 'javascript:alert(1)' } }) // the schema renders an unsafe href inert
    for (const raw of [null, '{}', '{"amendment":"a1","node":"script"}', '{"amendment":"","node":"heading"}', '{"amendment":"a1","node":"title"}']) {
      expect(decodeBlockChange(raw), String(raw)).toBeNull()
    }
    // Out-of-range form attributes are clamped to what a block can be.
    expect(decodeBlockChange('{"amendment":"a1","node":"heading","attrs":{"level":99}}')?.attrs).toEqual({ level: 2 })
    expect(decodeBlockChange('{"amendment":"a1","node":"ordered_list","attrs":{"order":-5}}')?.attrs).toEqual({ order: 0 })
  })

  it('settling leaves a malformed proposal alone and the text untouched', () => {
    const doc = createDraftDoc()
    const p = new Y.XmlElement(NODE.paragraph)
    p.insert(0, [new Y.XmlText('Water is public.')])
    p.setAttribute(BLOCK_ATTR.changed, '{"amendment":"a1","node":"iframe"}')
    content(doc).insert(0, [p])
    ;(p.get(0) as Y.XmlText).format(0, 5, formatMarkAttribute({ amendment: 'a1', author: 'Mallory', color: '#000' }, '{"strong":"yes please"}'))
    const before = canonicalText(doc)
    settleInContent(doc, 'a1', 'accept', ORIGIN.local)
    expect(canonicalText(doc)).toBe(before)
    expect(openAmendments(content(doc)).size).toBe(0)
  })
})
