import { newId } from '../../../crdt/ids.ts'

/**
 * How this member appears to others in a draft: a display name and a colour. Local
 * to the device (identity with keys comes with the members feature).
 */
export interface Profile {
  /** Random, made once per device: tells this member's comments and positions apart. */
  id: string
  name: string
  color: string
}

/** Colours with enough contrast for white initials and for a caret on white paper. */
export const PROFILE_COLORS = ['#0f6b63', '#b45309', '#7c3aed', '#be123c', '#1d4ed8', '#15803d', '#a21caf', '#0e7490']

export const defaultProfile = (random: () => number = Math.random): Profile => ({
  id: newId(),
  name: '',
  color: PROFILE_COLORS[Math.floor(random() * PROFILE_COLORS.length)]!,
})

export const displayName = (profile: Profile): string => profile.name.trim() || 'Anonymous member'

export const initials = (name: string): string =>
  name.trim().split(/\s+/).slice(0, 2).map((w) => [...w][0] ?? '').join('').toUpperCase() || '?'

export const isProfileColor = (value: unknown): value is string => typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value)
