import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding a lock directory, so parallel builds (tests, CI jobs)
 * build a shared artifact once. A lock whose owner died is taken over.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  await fsp.mkdir(path.dirname(lockDir), { recursive: true });
  const owner = path.join(lockDir, 'pid');
  let warned = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      await fsp.writeFile(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await fsp.readFile(owner, 'utf8').catch(() => ''));
      if (pid && !alive(pid)) {
        await fsp.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!warned) {
        warned = true;
        onWait?.();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(lockDir, { recursive: true, force: true });
  }
}
