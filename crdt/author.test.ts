import { describe, expect, it } from 'vitest'
import { MAX_NAME_LENGTH, readAuthor, safeColor, safeName } from './author.ts'

describe('names and colours from peers', () => {
  it.each([
    ['a CSS injection', '#f00; position:fixed; width:100vw; height:100vh'],
    ['a named colour', 'red'],
    ['a short hex', '#f00'],
    ['a variable', 'var(--accent)'],
    ['an object', { toString: (): string => '#ffffff' }],
    ['nothing', undefined],
  ])('a colour given as %s becomes the fallback', (_what, value) => {
    expect(safeColor(value)).toMatch(/^#[0-9a-f]{6}$/i)
    expect(safeColor(value)).toBe(safeColor(null))
  })

  it('keeps a #rrggbb colour', () => {
    expect(safeColor('#0F6b63')).toBe('#0F6b63')
  })

  it.each([
    ['an RTL override', 'Amina\u202E evil', 'Amina evil'],
    ['bidi isolates and embeddings', '\u2067Bo\u2069 \u202Aand\u202C', 'Bo and'],
    ['control characters', 'Ana\u0000\u0007\u009b', 'Ana'],
    ['line breaks', 'Ana\nfrom\r\nLeeds\u2028too', 'Ana from Leeds too'],
    ['invisible tag characters', 'Ana\u{E0061}\u{E0062}', 'Ana'],
    ['zero-width spaces and marks', 'A\u200Bn\u200Ea\u2060', 'Ana'],
    ['a pile of combining marks', `Z${'\u0301'.repeat(300)}oe`, `Z${'\u0301'.repeat(4)}oe`],
    ['a lone surrogate', 'Ana\uD800', 'Ana'],
    ['markup (kept as text; it is never parsed)', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ])('a name with %s is plain, one line', (_what, given, shown) => {
    expect(safeName(given)).toBe(shown)
  })

  it('keeps right-to-left names, emoji sequences and joiners whole', () => {
    for (const name of ['أمينة', 'مهدی‌زاده', '👩‍👩‍👧 Family', 'Zoë']) expect(safeName(name)).toBe(name)
  })

  it('caps a name at a readable length, by characters as a reader counts them', () => {
    const long = safeName('👩‍👩‍👧'.repeat(500))
    expect([...new Intl.Segmenter().segment(long)]).toHaveLength(MAX_NAME_LENGTH)
    expect(long.endsWith('…')).toBe(true)
    expect(safeName('x'.repeat(10_000_000))).toHaveLength(MAX_NAME_LENGTH)
  })

  it('falls back when nothing readable is left', () => {
    expect(safeName('\u202E\u0000  ')).toBe('Anonymous member')
    expect(safeName(42)).toBe('Anonymous member')
    expect(safeName(null, 'A member')).toBe('A member')
  })

  it('reads a record’s author through both', () => {
    expect(readAuthor({ id: 'k', name: 'Bo\u202E', color: 'red; x:y' })).toEqual({ id: 'k', name: 'Bo', color: safeColor(null) })
  })
})
