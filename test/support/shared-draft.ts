import type { Device } from './chromium.ts'
import type { Fleet } from './fleet.ts'
import type { TcpProxy } from './tcp-proxy.ts'
import { openApp, writeDraft } from './editor-page.ts'
import { joinWith, shareThrough, viaRelays, waitSynced } from './sync-page.ts'
import { setName } from './review-page.ts'

/**
 * Members sharing a draft through a relay, where most multi-member tests begin: the
 * first member opens the app, writes the draft as a member would and shares it (Share ›
 * add a relay, and the relay confirms it holds the draft); each other member opens the
 * invite link on their own device and the draft arrives.
 */
type MemberCount = 2 | 3

export interface SharedDraftSetup<N extends MemberCount> {
  fleet: Fleet
  app: { readonly url: string }
  /** A relay of the fleet's, or any relay's address (the stock relay). */
  relay: { url: string; port: number }
  title: string
  /** The draft's lines after its title (as `writeDraft` types them). */
  lines: string[]
  /** How many members, the writer included (2 unless said). */
  members?: N
  /** Who reaches the relay through a line the test can cut (tcp-proxy.ts): nobody, the writer, or each member. */
  cuttable?: 'writer' | 'each'
  /** An open draft (plain Yjs, for tests that play a foreign or hostile peer) instead of a private one. */
  open?: boolean
  /** Member names, in order: the writer's is set before sharing, the others' once they have joined. */
  names?: string[]
}

export interface SharedDraft<N extends MemberCount> {
  /** Each member's device; the first wrote and shared the draft. */
  members: N extends 3 ? [Device, Device, Device] : [Device, Device]
  /** The invite link as the writer's Share dialog gave it. */
  link: string
  /** The lines asked for (`cuttable`), in member order. */
  lines: TcpProxy[]
}

export const shareDraft = async <N extends MemberCount = 2>(setup: SharedDraftSetup<N>): Promise<SharedDraft<N>> => {
  const { fleet, relay } = setup
  const members: Device[] = []
  while (members.length < (setup.members ?? 2)) members.push(await fleet.device())
  const lines: TcpProxy[] = []
  const lineCount = setup.cuttable === 'each' ? members.length : setup.cuttable === 'writer' ? 1 : 0
  for (let i = 0; i < lineCount; i++) lines.push(await fleet.line(relay.port))
  const urlOf = (i: number) => lines[i]?.url ?? relay.url

  const [writer, ...others] = members as [Device, ...Device[]]
  await openApp(writer.page, setup.app.url)
  await writeDraft(writer.page, setup.title, ...setup.lines)
  if (setup.names?.[0]) await setName(writer.page, setup.names[0])
  const link = await shareThrough(writer.page, urlOf(0), undefined, { open: setup.open })
  await waitSynced(writer.page)
  for (const [i, member] of others.entries()) {
    await joinWith(member.page, viaRelays(link, [urlOf(i + 1)]))
    const name = setup.names?.[i + 1]
    if (name) await setName(member.page, name)
  }
  return { members: members as SharedDraft<N>['members'], link, lines }
}
