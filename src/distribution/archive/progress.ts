/**
 * Download progress: a bar redrawn in place on a terminal (bytes, total,
 * rate); elsewhere (CI logs, pipes) one line when it starts and one when
 * it ends.
 */
const MiB = 1024 * 1024;

function mib(n: number): string {
  return `${(n / MiB).toFixed(1)} MiB`;
}

export class DownloadProgress {
  private bytes = 0;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly url: string,
    private readonly total: number | undefined,
    private readonly tty: boolean,
    private readonly log: (l: string) => void,
  ) {
    if (!tty) log(`downloading ${url}${total ? ` (${mib(total)})` : ''}`);
  }

  private rate(): string {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    return `${mib(this.bytes / seconds)}/s`;
  }

  add(n: number): void {
    this.bytes += n;
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const fraction = this.total ? Math.min(this.bytes / this.total, 1) : 0;
    const bar = this.total ? `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ` : '';
    const of = this.total ? ` / ${mib(this.total)}` : '';
    process.stderr.write(`\r${bar}${mib(this.bytes)}${of}  ${this.rate()}  \x1b[K`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    this.log(`downloaded ${this.url}: ${mib(this.bytes)} at ${this.rate()}`);
  }
}
