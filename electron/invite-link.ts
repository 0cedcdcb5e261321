/**
 * A `plank://join#join=…` link handed to the app by the operating system: untrusted
 * input from any web page, mail or chat message a member clicks. Main reads it strictly
 * before the renderer sees it: one scheme, one shape, a length cap, and a payload that
 * decodes to an invite of the format renderer/src/sync/invite.ts writes (`inviteLink`).
 * The renderer parses it again in full and asks the member before anything changes.
 * A link is never passed to `shell.openExternal`.
 */
import { PIN_PATTERN } from './certificate-pins.ts'

export type InviteLinkReading = { ok: true; link: string } | { ok: false; reason: string }

/** Far above a real invite (a title, a few relays with tokens, a key) and far below argv limits. */
export const MAX_INVITE_LINK_LENGTH = 8192
const MAX_RELAYS = 20
const MAX_FIELD = 2048

const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/
/** A room key or an invitation secret: 32 bytes, base64url. */
const SECRET = /^[A-Za-z0-9_-]{43}$/
const PAYLOAD = /^[A-Za-z0-9_-]+$/

const refuse = (reason: string): InviteLinkReading => ({ ok: false, reason })

/** Whether an argument looks like one of our links at all (case-insensitive scheme, as URLs are). */
export const isPlankLink = (arg: string): boolean => /^plank:/i.test(arg)

const relayShapeOk = (r: unknown): boolean => {
  if (typeof r !== 'object' || r === null) return false
  const { url, token } = r as Record<string, unknown>
  if (typeof url !== 'string' || url.length > MAX_FIELD || !/^wss?:\/\//i.test(url)) return false
  if (token !== undefined && (typeof token !== 'string' || token.length > MAX_FIELD)) return false
  try {
    return new URL(url).hostname !== ''
  } catch {
    return false
  }
}

/** A meeting host's certificate pin (certificate-pins.ts): only on a wss:// address, in its one form. */
const pinShapeOk = (r: unknown): boolean => {
  const { url, pin } = r as Record<string, unknown>
  return pin === undefined || (typeof pin === 'string' && PIN_PATTERN.test(pin) && /^wss:\/\//i.test(String(url)))
}

/** The invite payload (base64url JSON) has the shape of an invite, version 1. */
const payloadProblem = (payload: string): string | null => {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return 'its invite cannot be read'
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'its invite cannot be read'
  const r = raw as Record<string, unknown>
  if (r.v !== 1) return 'it is an invite of another version'
  if (typeof r.d !== 'string' || !DRAFT_ID.test(r.d)) return 'it names no draft'
  if (!Array.isArray(r.r) || r.r.length === 0 || r.r.length > MAX_RELAYS || !r.r.every(relayShapeOk)) return 'its relays are not relay addresses'
  if (!r.r.every(pinShapeOk)) return 'the certificate fingerprint of its meeting host is damaged'
  if (r.t !== undefined && typeof r.t !== 'string') return 'its title is not text'
  if (r.k !== undefined && (typeof r.k !== 'string' || !SECRET.test(r.k))) return 'its key is damaged'
  if (r.i !== undefined && (typeof r.i !== 'string' || !SECRET.test(r.i))) return 'its invitation is damaged'
  return null
}

/**
 * Read a link as the OS delivered it. Accepts exactly `plank://join#join=<base64url>`
 * (a trailing `/` after `join` is tolerated, as some systems add one) and returns it in
 * that canonical form; anything else is refused with a reason fit to show the member.
 */
export const readInviteLink = (raw: unknown): InviteLinkReading => {
  if (typeof raw !== 'string') return refuse('it is not text')
  if (raw.length > MAX_INVITE_LINK_LENGTH) return refuse('it is too long')
  // Printable ASCII only: no spaces, no control characters, nothing that could hide.
  if (!/^[\x21-\x7e]+$/.test(raw)) return refuse('it contains characters an invite never has')
  if (!isPlankLink(raw)) return refuse('it is not a plank:// link')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return refuse('it is not a link')
  }
  if (url.protocol !== 'plank:' || url.host !== 'join' || url.username || url.password || url.port) return refuse('it is not an invite link')
  if (url.pathname !== '' && url.pathname !== '/') return refuse('it is not an invite link')
  if (url.search !== '') return refuse('it is not an invite link')
  if (!url.hash.startsWith('#join=')) return refuse('it holds no invite')
  const payload = url.hash.slice('#join='.length)
  if (!PAYLOAD.test(payload)) return refuse('its invite is damaged')
  const problem = payloadProblem(payload)
  if (problem) return refuse(problem)
  return { ok: true, link: `plank://join#join=${payload}` }
}

/** The links among a launch's arguments (a member may open several at once; each is read). */
export const linksInArgv = (argv: readonly string[]): string[] => argv.filter(isPlankLink)
