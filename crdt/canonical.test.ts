import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { canonicalText, contentHash, hashText } from './canonical.ts'
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

describe('canonical text and content hash, format 1 (versions saved before format 2)', () => {
  it('is defined byte for byte (golden vector), and stays verifiable', async () => {
    const doc = platform()
    expect(canonicalText(doc, 1)).toBe(EXPECTED)
    const hash = await contentHash(doc, 1)
    expect(hash).toBe(createHash('sha256').update(Buffer.from(EXPECTED, 'utf8')).digest('hex'))
    // Pinned: a change of format must be a new format number, not a silent change of hashes.
    expect(hash).toBe('f55cb1ff8d978aa363bc8b3b6cf0e88137d70b2f7c8a6424a6f73256c9b68acf')
  })
})

/** Format 2 of the same platform: the link's href as the editor renders it (normalised). */
const EXPECTED_2 = [
  'title|People’s Platform',
  'heading:2|Health',
  'paragraph|Care is [strong]free[/strong] and [em][strong]fair[/strong][/em] \\[see [link href="https://example.org/a%22b"]the law[/link]] \\\\ end.',
  'blockquote/paragraph|Quoted.',
  'ordered_list:3/list_item/paragraph|Third[br]line two',
].map((l) => `${l}\n`).join('')

describe('canonical text and content hash, format 2', () => {
  it('is defined byte for byte (golden vector)', async () => {
    const doc = platform()
    expect(canonicalText(doc)).toBe(EXPECTED_2)
    expect(await contentHash(doc)).toBe(createHash('sha256').update(Buffer.from(EXPECTED_2, 'utf8')).digest('hex'))
    expect(hashText(EXPECTED_2)).toBe('e119ff26780d276c5fc0b5296953f4bf8745a75a1559c86c846c4ee906c69b6c')
  })

  it('gives texts that read differently different bytes', () => {
    const one = (...blocks: Y.XmlElement[]) => { const d = createDraftDoc(); content(d).insert(0, blocks); return canonicalText(d) }
    const para = (t: string) => el('paragraph', {}, text([t]))
    // A newline (or a line separator) inside a run never passes for a new paragraph.
    expect(one(para('a\nparagraph|b'))).not.toBe(one(para('a'), para('b')))
    expect(one(para('a\nparagraph|b'))).toBe('paragraph|a\\u000aparagraph|b\n')
    expect(one(para('a\u2028b'))).toBe('paragraph|a\\u2028b\n')
    expect(one(para('tab\there \u0000'))).toBe('paragraph|tab\\u0009here \\u0000\n')
    // A list starting at 0 shows 0, 1, 2: it is not the list starting at 1.
    const list = (order: unknown) => one(el('ordered_list', order === undefined ? {} : { order }, el('list_item', {}, para('x'))))
    expect(list(0)).toBe('ordered_list:0/list_item/paragraph|x\n')
    expect(list(undefined)).toBe('ordered_list:1/list_item/paragraph|x\n')
    expect(list(-2)).toBe('ordered_list:-2/list_item/paragraph|x\n')
    expect(list('seven')).toBe('ordered_list:1/list_item/paragraph|x\n') // the editor shows 1
    // Headings: the editor shows level 3 as a subsection, any other level as a plank.
    expect(one(el('heading', { level: 5 }, text(['H'])))).toBe('heading:2|H\n')
    expect(one(el('heading', { level: 3 }, text(['H'])))).toBe('heading:3|H\n')
    // Only a string href is a link target; anything else renders as an inert link.
    const link = (attrs: Record<string, unknown>) => one(el('paragraph', {}, text(['go', { link: attrs }])))
    expect(link({ href: 'example.org' })).toBe('paragraph|[link href="https://example.org/"]go[/link]\n')
    expect(link({ href: { toString: 'https://example.org/' } })).toBe('paragraph|[link]go[/link]\n')
    expect(link({ href: '[object Object]' })).toBe('paragraph|[link]go[/link]\n')
    expect(link({ href: 'javascript:alert(1)' })).toBe('paragraph|[link]go[/link]\n')
    // An insertion mark is a proposal whatever its amendment id: never accepted text.
    expect(one(el('paragraph', {}, text(['kept '], ['proposed', { insertion: { amendment: 42, author: 'x', color: '#000000' } }])))).toBe('paragraph|kept \n')
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
    expect(canonicalText(doc)).toBe(EXPECTED_2)
    expect(canonicalText(doc, 1)).toBe(EXPECTED)
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
