import { execFileSync } from 'node:child_process'
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real, small filesystem (tmpfs) that a test can fill up, to see what a member sees
 * when their disk is full. Needs root (CI and the dev machines run as root).
 */
export const mountSmallDisk = (megabytes: number): { dir: string; fill: () => void; free: () => void; unmount: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'plank-small-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir])
  return {
    dir,
    /** Write a filler file until the disk refuses (ENOSPC). */
    fill() {
      const fd = openSync(join(dir, 'filler'), 'w')
      const chunk = Buffer.alloc(1 << 20)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        closeSync(fd)
      }
    },
    /** Delete the filler, as an operator freeing space would. */
    free() {
      rmSync(join(dir, 'filler'), { force: true })
    },
    unmount() {
      execFileSync('umount', ['-l', dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
