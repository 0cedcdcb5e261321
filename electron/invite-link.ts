import { INVITE_LINK_BASE } from '../crdt/contracts/host-api.ts'
import { INVITE_FRAGMENT, type InviteProblem, type InviteRelay, decodeInvite } from '../crdt/invite-format.ts'

/**
 * A `plank://join#join=…` link handed to the app by the operating system: untrusted
 * input from any web page, mail or chat message a member clicks. Main reads it strictly
 * before the renderer sees it: one scheme, one shape, a length cap, and a payload that
 * decodes to an invite of the format the app writes (crdt/invite-format.ts).
 * The renderer parses it again in full and asks the member before anything changes.
 * A link is never passed to `shell.openExternal`.
 */
export type InviteLinkReading = { ok: true; link: string } | { ok: false; reason: string }

/** Far above a real invite (a title, a few relays with tokens, a key) and far below argv limits. */
export const MAX_INVITE_LINK_LENGTH = 8192
const MAX_RELAYS = 20
const MAX_FIELD = 2048

const PAYLOAD = /^[A-Za-z0-9_-]+$/

const refuse = (reason: string): InviteLinkReading => ({ ok: false, reason })

/** Whether an argument looks like one of our links at all (case-insensitive scheme, as URLs are). */
export const isPlankLink = (arg: string): boolean => /^plank:/i.test(arg)

/** A relay address main lets through: ws:// or wss:// with a host, of a sane length. */
const relayAddressOk = ({ url, token }: InviteRelay): boolean => {
  if (url.length > MAX_FIELD || !/^wss?:\/\//i.test(url)) return false
  if (token !== undefined && token.length > MAX_FIELD) return false
  try {
    return new URL(url).hostname !== ''
  } catch {
    return false
  }
}

/** Each of the decoder's problems (crdt/invite-format.ts), as main words it. */
const PROBLEM: Record<InviteProblem, string> = {
  unreadable: 'its invite cannot be read',
  newer: 'it is an invite of another version',
  version: 'it is an invite of another version',
  draft: 'it names no draft',
  relays: 'its relays are not relay addresses',
  title: 'its title is not text',
  key: 'its key is damaged',
  invitation: 'its invitation is damaged',
  root: 'its founding entry is damaged',
  pin: 'the certificate fingerprint of its meeting host is damaged',
}

/** The invite payload (base64url JSON) is an invite of format 1, with relays main accepts. */
const payloadProblem = (payload: string): string | null => {
  const decoded = decodeInvite(payload)
  if (!decoded.ok) return PROBLEM[decoded.problem]
  const { relays } = decoded.invite
  if (relays.length > MAX_RELAYS || !relays.every(relayAddressOk)) return PROBLEM.relays
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
  if (`${url.protocol}//${url.host}` !== INVITE_LINK_BASE || url.username || url.password || url.port) return refuse('it is not an invite link')
  if (url.pathname !== '' && url.pathname !== '/') return refuse('it is not an invite link')
  if (url.search !== '') return refuse('it is not an invite link')
  if (!url.hash.startsWith(INVITE_FRAGMENT)) return refuse('it holds no invite')
  const payload = url.hash.slice(INVITE_FRAGMENT.length)
  if (!PAYLOAD.test(payload)) return refuse('its invite is damaged')
  const problem = payloadProblem(payload)
  if (problem) return refuse(problem)
  return { ok: true, link: `${INVITE_LINK_BASE}${INVITE_FRAGMENT}${payload}` }
}

/** The links among a launch's arguments (a member may open several at once; each is read). */
export const linksInArgv = (argv: readonly string[]): string[] => argv.filter(isPlankLink)
