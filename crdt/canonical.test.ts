import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { canonicalText, contentHash } from './canonical.ts'
import { content, createDraftDoc } from './draft.ts'

const el = (name: string, attrs: Record<string, unknown>, ...children: Array<Y.XmlElement | Y.XmlText>) => {
  const e = new Y.XmlElement(name)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as string)
  e.insert(0, children)
  return e
}
const text = (...runs: Array<[string, Record<string, unknown>?]>) => {
  const t = new Y.XmlText()
  let at = 0
  for (const [s, attrs] of runs) { t.insert(at, s, attrs ?? {}); at += s.length }
  return t
}

/** A platform using every kind of block and mark the format defines. */
const platform = () => {
  const doc = createDraftDoc()
  content(doc).insert(0, [
    el('title', {}, text(['People’s Platform'])),
    el('heading', { level: 2 }, text(['Health'])),
    el('paragraph', {}, text(['Care is ', {}], ['free', { strong: {} }], [' and ', {}], ['fair', { em: {}, strong: {} }], [' [see ', {}], ['the law', { link: { href: 'https://example.org/a"b' } }], ['] \\ end.', {}])),
    el('blockquote', {}, el('paragraph', {}, text(['Quoted.']))),
    el('ordered_list', { order: 3 }, el('list_item', {}, el('paragraph', {}, text(['Third']), el('hard_break', {}), text(['line two'])))),
  ])
  return doc
}

const EXPECTED = [
  'title|People’s Platform',
  'heading:2|Health',
  'paragraph|Care is [strong]free[/strong] and [em][strong]fair[/strong][/em] \\[see [link href="https://example.org/a\\"b"]the law[/link]] \\\\ end.',
  'blockquote/paragraph|Quoted.',
  'ordered_list:3/list_item/paragraph|Third[br]line two',
].map((l) => `${l}\n`).join('')

describe('canonical text and content hash (format 1)', () => {
  it('is defined byte for byte (golden vector)', async () => {
    const doc = platform()
    expect(canonicalText(doc)).toBe(EXPECTED)
    const hash = await contentHash(doc)
    expect(hash).toBe(createHash('sha256').update(Buffer.from(EXPECTED, 'utf8')).digest('hex'))
    // Pinned: a change of format must be a new format number, not a silent change of hashes.
    expect(hash).toBe('f55cb1ff8d978aa363bc8b3b6cf0e88137d70b2f7c8a6424a6f73256c9b68acf')
  })

  it('is the same on peers that received the same edits in a different order', async () => {
    const [a, b, c] = [platform(), createDraftDoc(), createDraftDoc()]
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a))
    const para = (d: Y.Doc) => (content(d).get(2) as Y.XmlElement).get(0) as Y.XmlText
    para(b).insert(0, 'Now: ')
    para(c).insert(para(c).length, ' Always.', { em: {} })
    for (const [from, to] of [[b, c], [c, b], [b, a], [c, a]] as const) Y.applyUpdate(to, Y.encodeStateAsUpdate(from))
    expect(await contentHash(b)).toBe(await contentHash(c))
    expect(await contentHash(a)).toBe(await contentHash(b))
    expect(await contentHash(a)).not.toBe(await contentHash(platform()))
  })

  it('binds to the accepted text: open proposals are left out, words proposed for deletion kept', () => {
    const doc = platform()
    const para = (content(doc).get(2) as Y.XmlElement).get(0) as Y.XmlText
    const amendment = { amendment: 'a1', author: 'Ana', color: '#0f6b63' }
    para.format(8, 4, { 'deletion--AbCdEfGh': amendment })
    para.insert(12, 'universal', { 'insertion--AbCdEfGh': amendment })
    expect(canonicalText(doc)).toBe(EXPECTED)
    expect(para.toString()).toContain('universal') // the draft itself is untouched
  })

  it('does not depend on how a letter was composed (NFC)', async () => {
    const composed = createDraftDoc()
    content(composed).insert(0, [el('paragraph', {}, text(['café']))])
    const decomposed = createDraftDoc()
    content(decomposed).insert(0, [el('paragraph', {}, text(['cafe\u0301']))])
    expect(await contentHash(composed)).toBe(await contentHash(decomposed))
  })
})
