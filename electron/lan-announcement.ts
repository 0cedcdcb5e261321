import { meetingTag, sessionOfPin } from '../crdt/meeting-session.ts'

/**
 * What a meeting host tells the whole local network (DNS-SD, lan-discovery.ts), and
 * what anyone there can learn from it. Every field is readable by every machine on the
 * Wi-Fi, and anyone can announce anything, so an announcement is trusted for nothing:
 * joiners take the host's address, token and certificate pin from the invite link,
 * and use the announcement only to list a host and match it with an invite.
 *
 * - `s`, the session: derived from the pin of the hosting session's certificate, so an
 *   invite names the one session it is for without carrying anything more. It changes
 *   with every hosting session and says nothing anyone connecting to the port could not
 *   read from the certificate itself.
 * - An open draft also announces its id, title and the hosting member's name (its text
 *   is readable by anyone who reaches a relay anyway; the list is more useful with them).
 * - A private draft announces none of these. Its `tag` is an HMAC of the session under
 *   a key derived from the draft's room key (recognition key, computed by the page), so
 *   a member who holds the key recognises the draft in "Hosts near you", and nobody
 *   else can tell which draft it is, or link two hosting sessions of the same draft.
 *   The service's instance name and its host name are neutral and per session too.
 *
 * What is left for a peer on the network: that a Plank host runs at this address and
 * port, whether its draft is private, when it starts and stops, and (by watching the
 * encrypted traffic) who connects and how much they send. The operating system may
 * announce the computer's own name by itself; Plank cannot stop that.
 *
 * The formulas (`sessionOfPin`, `meetingTag`) are crdt/meeting-session.ts's, which the
 * page matches announcements with too (renderer/src/sync/meeting-match.ts).
 */
export const ANNOUNCEMENT_VERSION = '2'

export interface AnnouncedHost {
  draftId: string
  title: string
  member: string
  private: boolean
  /** For a private draft: HMAC key derived from its room key (base64url, 32 bytes). */
  recognitionKey?: string
  port: number
  pin: string
}

export interface Announcement {
  /** DNS-SD instance name (unique on the network: it carries the port or the session). */
  name: string
  /** The host name the service points at, so the laptop's own name is not in it. */
  host: string
  port: number
  txt: Record<string, string>
}

export const announcementFor = (hosted: AnnouncedHost): Announcement => {
  const session = sessionOfPin(hosted.pin)
  const host = `plank-${session.slice(0, 12)}.local`
  if (hosted.private) {
    const tag = hosted.recognitionKey ? meetingTag(hosted.recognitionKey, session) : null
    return {
      name: `Plank meeting ${session.slice(0, 8)}`,
      host,
      port: hosted.port,
      txt: { v: ANNOUNCEMENT_VERSION, s: session, private: '1', ...(tag ? { tag } : {}) },
    }
  }
  return {
    name: `${hosted.member} · ${hosted.title} · ${hosted.port}`.slice(0, 63),
    host,
    port: hosted.port,
    txt: { v: ANNOUNCEMENT_VERSION, s: session, private: '0', draft: hosted.draftId, title: hosted.title, member: hosted.member },
  }
}
