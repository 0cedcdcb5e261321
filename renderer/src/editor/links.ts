/**
 * Links in a draft may only point at the web or at an e-mail address. The check lives
 * in crdt/ because the canonical text hashes exactly the href the editor renders.
 */
export { safeHref } from '../../../crdt/safe-href.ts'
