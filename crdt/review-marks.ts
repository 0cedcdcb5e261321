import * as sha256 from 'lib0/hash/sha256'
import * as buf from 'lib0/buffer'
import { MARK } from './format.ts'

/**
 * Writing review marks straight into Yjs text, as the editor would store them.
 * y-prosemirror keeps marks that may overlap (`excludes: ''`) under the key
 * `name--hash`, the hash being of the mark's JSON; writing the same key means the
 * editor reads these marks back as its own and never rewrites them.
 */
export interface ReviewTag {
  amendment: string
  /** The proposer's display name, as the editor's marks carry it. */
  author: string
  color: string
}

/** y-prosemirror's hashOfJSON: SHA-256 of lib0's encoding, folded to 6 bytes, base64. */
const hashOfJSON = (json: unknown): string => {
  const digest = sha256.digest(buf.encodeAny(json))
  const N = 6
  for (let i = N; i < digest.length; i++) digest[i % N] = digest[i % N]! ^ digest[i]!
  return buf.toBase64(digest.slice(0, N))
}

/** The attribute key and value of an insertion or deletion mark for `tag`. */
export const reviewMarkAttribute = (name: typeof MARK.insertion | typeof MARK.deletion, tag: ReviewTag): Record<string, ReviewTag> => {
  // Attribute order as in the editor schema's mark spec: amendment, author, color.
  const attrs = { amendment: tag.amendment, author: tag.author, color: tag.color }
  return { [`${name}--${hashOfJSON({ type: name, attrs })}`]: attrs }
}

/** The attribute key and value of a proposed formatting change (`change` as encodeFormatChange wrote it). */
export const formatMarkAttribute = (tag: ReviewTag, change: string): Record<string, ReviewTag & { change: string }> => {
  // Attribute order as in the editor schema's mark spec: amendment, author, color, change.
  const attrs = { amendment: tag.amendment, author: tag.author, color: tag.color, change }
  return { [`${MARK.format}--${hashOfJSON({ type: MARK.format, attrs })}`]: attrs }
}
