import { type Identity, decodeBytes, encodeBytes, identityFromSecret, newIdentity } from '../../../crdt/identity.ts'
import { isColor } from '../../../crdt/author.ts'

/**
 * This member: their identity (an Ed25519 key pair made on this device; the public
 * key is their member id in every draft) and how they appear to others, a display
 * name and a colour.
 */
export interface Profile {
  /** The member id: the identity's public key (base64url). */
  id: string
  name: string
  color: string
  /** The identity's secret key (base64url), kept on this device only. */
  secretKey: string
}

/** Colours with enough contrast for white initials and for a caret on white paper. */
export const PROFILE_COLORS = ['#0f6b63', '#b45309', '#7c3aed', '#be123c', '#1d4ed8', '#15803d', '#a21caf', '#0e7490']

export const defaultProfile = (random: () => number = Math.random, identity: Identity = newIdentity()): Profile => ({
  id: identity.id,
  name: '',
  color: PROFILE_COLORS[Math.floor(random() * PROFILE_COLORS.length)]!,
  secretKey: encodeBytes(identity.secretKey),
})

/**
 * The profile saved on this device, given an identity if it has none yet (profiles
 * from before identities had a random id: the member gets a key and a new id).
 */
export const loadProfile = (saved: Partial<Profile> | undefined): { profile: Profile; identity: Identity; changed: boolean } => {
  const secret = typeof saved?.secretKey === 'string' ? decodeBytes(saved.secretKey) : null
  const identity = secret?.length === 32 ? identityFromSecret(secret) : newIdentity()
  const profile: Profile = {
    id: identity.id,
    name: typeof saved?.name === 'string' ? saved.name.slice(0, 60) : '',
    color: isProfileColor(saved?.color) ? saved.color : PROFILE_COLORS[0]!,
    secretKey: encodeBytes(identity.secretKey),
  }
  return { profile, identity, changed: saved?.id !== profile.id || saved?.secretKey !== profile.secretKey || saved?.name !== profile.name || saved?.color !== profile.color }
}

export const displayName = (profile: Profile): string => profile.name.trim() || 'Anonymous member'

export const initials = (name: string): string =>
  name.trim().split(/\s+/).slice(0, 2).map((w) => [...w][0] ?? '').join('').toUpperCase() || '?'

/** A colour a profile may hold: the one shape every colour from a peer is checked against (crdt/author.ts). */
export const isProfileColor = isColor
