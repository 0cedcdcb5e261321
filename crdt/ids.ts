/** Random ids for threads, replies and amendments: 12 base-36 characters (~62 bits). */
export const newId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('')
}
