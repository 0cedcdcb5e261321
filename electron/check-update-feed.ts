import { pathToFileURL } from 'node:url'

/**
 * `npm run dist` runs this before electron-builder. The update feed's address is fixed
 * in every package built (electron-builder.yml `publish`, from PLANK_UPDATE_FEED), and
 * the installed apps trust what it serves (checked against the feed's own SHA-512 on
 * Linux, and against the publisher's signature on Windows and macOS). So it must be
 * said on purpose, and be HTTPS: over plain HTTP anyone on a member's network could
 * serve them a different "update".
 */
export const updateFeedProblem = (value: string | undefined): string | null => {
  if (!value) return 'PLANK_UPDATE_FEED is not set: say where installed apps look for updates, e.g. PLANK_UPDATE_FEED=https://relay.example.org/plank/'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `PLANK_UPDATE_FEED is not an address: ${value}`
  }
  if (url.protocol !== 'https:') return `PLANK_UPDATE_FEED must be an https:// address (updates over ${url.protocol} could be replaced on the way): ${value}`
  if (url.username || url.password || url.search || url.hash) return 'PLANK_UPDATE_FEED must be a plain folder address, with no login, query or #fragment'
  return null
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = updateFeedProblem(process.env.PLANK_UPDATE_FEED)
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
}
