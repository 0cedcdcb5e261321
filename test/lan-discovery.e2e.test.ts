import { afterEach, describe, expect, it } from 'vitest'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/**
 * Two apps on one local network, found without typing addresses. Each runs in its own
 * network namespace joined by a virtual Ethernet pair (two laptops on one Wi-Fi), so
 * the announcement really crosses a network; where namespaces cannot be made (not
 * root), both run on this machine's own network and the test says so.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PEER = fileURLToPath(new URL('./support/lan-peer.ts', import.meta.url))
const NS = ['plank-lan-a', 'plank-lan-b'] as const

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' })
const makeNetwork = (): boolean => {
  try {
    removeNetwork()
    for (const ns of NS) ip('netns', 'add', ns)
    ip('link', 'add', 'plank-va', 'type', 'veth', 'peer', 'name', 'plank-vb')
    ip('link', 'set', 'plank-va', 'netns', NS[0])
    ip('link', 'set', 'plank-vb', 'netns', NS[1])
    for (const [ns, dev, addr] of [[NS[0], 'plank-va', '10.231.0.1/24'], [NS[1], 'plank-vb', '10.231.0.2/24']] as const) {
      ip('-n', ns, 'addr', 'add', addr, 'dev', dev)
      ip('-n', ns, 'link', 'set', dev, 'up', 'multicast', 'on')
      ip('-n', ns, 'link', 'set', 'lo', 'up')
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev)
    }
    return true
  } catch {
    removeNetwork()
    return false
  }
}
const removeNetwork = () => { for (const ns of NS) { try { ip('netns', 'del', ns) } catch { /* not there */ } } }

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM')
  removeNetwork()
})

/** Start an app (in a namespace, if given) and read its JSON events. */
const peer = (ns: string | null, ...args: string[]) => {
  const node = [process.execPath, '--import', 'tsx', PEER, ...args]
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...node], { cwd: ROOT }) : spawn(node[0]!, node.slice(1), { cwd: ROOT })
  children.push(child)
  let stderr = ''
  child.stderr!.on('data', (d) => { stderr += String(d) })
  const events: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try { events.push(JSON.parse(line)) } catch { return }
    for (const w of waiters.splice(0)) w()
  })
  const next = (event: string, timeoutMs = 20_000) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" from ${args[0]} within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs)
    const check = () => {
      const found = events.find((e) => e.event === event)
      if (found) { clearTimeout(timer); resolve(found) } else waiters.push(check)
    }
    check()
  })
  return { next, events }
}

describe('hosts near you', () => {
  const meet = async (kind: 'open' | 'private') => {
    const namespaces = process.env.PLANK_NO_NETNS !== '1' && makeNetwork()
    console.log(namespaces ? 'two network namespaces joined by a veth pair' : 'network namespaces unavailable: both apps on this machine’s own network')
    const host = peer(namespaces ? NS[0] : null, 'host', 'draft-lan', kind)
    const hosting = await host.next('hosting')
    if (namespaces) expect(hosting.addresses).toEqual([`wss://10.231.0.1:${hosting.port}`])
    // The joiner holds the invite: the host's address, the token and the certificate pin.
    const url = (hosting.addresses as string[])[0]!
    const joiner = peer(namespaces ? NS[1] : null, 'join', 'draft-lan', url, String(hosting.token), String(hosting.pin))
    const found = (await joiner.next('found')).host as Record<string, unknown>
    expect(found).toMatchObject({ session: hosting.session, port: hosting.port })
    if (namespaces) expect(found.addresses).toEqual([`wss://10.231.0.1:${hosting.port}`])
    expect((await joiner.next('joined')).text).toBe('Hello from the host. Hi from the room.')
    await expect.poll(() => host.events.some((e) => e.event === 'text' && e.text === 'Hello from the host. Hi from the room.'), { timeout: 10_000 }).toBe(true)
    return found
  }

  it('a second app sees an open draft’s announcement (whose laptop, which draft) and joins it over wss:// with the invite’s pin', async () => {
    expect(await meet('open')).toMatchObject({ member: 'Ana', title: 'Platform', draftId: 'draft-lan', private: false })
  })

  it('a private draft’s announcement crosses the network naming neither the draft, its title nor the member', async () => {
    const found = await meet('private')
    expect(found.private).toBe(true)
    expect(found.tag).toMatch(/^[A-Za-z0-9_-]{22}$/)
    for (const named of ['draft-lan', 'Platform', 'Ana']) expect(JSON.stringify(found)).not.toContain(named)
  })
})
