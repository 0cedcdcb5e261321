/** Ask the member for a file (the system's own file dialog, in Electron too); null when cancelled. */
export const pickFile = (accept: string): Promise<File | null> => new Promise((resolve) => {
  const input = document.createElement('input')
  input.type = 'file'
  input.accept = accept
  input.addEventListener('cancel', () => resolve(null))
  input.addEventListener('change', () => resolve(input.files?.[0] ?? null))
  input.click()
})

/** A small text file's contents (an identity file), or null when cancelled or too large. */
export const pickTextFile = async (accept: string, maxBytes = 1024 * 1024): Promise<string | null> => {
  const file = await pickFile(accept)
  if (!file || file.size > maxBytes) return null
  return file.text()
}
