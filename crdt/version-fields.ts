/**
 * The fields of a signed version record (versions.ts): what a version is, and the
 * hashes that bind it — `snap` of its snapshot bytes (stored beside the record) and
 * `hash` of its canonical text in `format`.
 */
export type VersionKind = 'named' | 'checkpoint'
export const MAX_VERSION_NAME = 120
const HASH = /^[0-9a-f]{64}$/

export const versionFieldsOk = (r: Record<string, unknown>): boolean =>
  r.t === 'version' && (r.kind === 'named' || r.kind === 'checkpoint') && typeof r.name === 'string' && r.name.length <= MAX_VERSION_NAME
  && typeof r.snap === 'string' && HASH.test(r.snap) && typeof r.hash === 'string' && HASH.test(r.hash)
  && (r.format === 1 || r.format === 2) && typeof r.color === 'string' && r.color.length <= 20
