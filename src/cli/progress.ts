// Progress of long commands on stderr: cli-progress's bar on a terminal; otherwise (a log file, nohup, CI) one plain
// line at most every PLAIN_PROGRESS_SECONDS, so a job left running in the background says how far it is. A command
// that ends sooner prints nothing, so short runs and piped output stay as they were.
import cliProgress from 'cli-progress';

/** The part of cli-progress's SingleBar the commands use. */
export interface Progress {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** Seconds between plain progress lines (DEXNET_PROGRESS_SECONDS overrides it). */
export const PLAIN_PROGRESS_SECONDS = 30;

export interface PlainProgressOptions {
  /** Where the lines go (default process.stderr). */
  write?: (line: string) => void;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Seconds between lines. */
  intervalSeconds?: number;
}

const duration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
};

/**
 * cli-progress's format without the bar: `{value}`, `{total}`, `{percentage}`, `{eta_formatted}` and the payload's
 * fields, written as a line when the interval has passed since the last one (and at stop, once any was written).
 */
export class PlainProgress implements Progress {
  private total = 0;
  private value = 0;
  private startValue = 0;
  private startedAt = 0;
  private lastLine = 0;
  private wrote = false;
  private payload: Record<string, unknown> = {};
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly format: string,
    options: PlainProgressOptions = {},
  ) {
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.now = options.now ?? Date.now;
    const env = Number(process.env.DEXNET_PROGRESS_SECONDS);
    this.intervalMs = 1000 * (options.intervalSeconds ?? (env > 0 ? env : PLAIN_PROGRESS_SECONDS));
  }

  start(total: number, value: number, payload: Record<string, unknown> = {}): void {
    this.total = total;
    this.value = this.startValue = value;
    this.payload = { ...payload };
    // A bar started again (the next epoch) keeps the clock of the lines.
    if (this.startedAt === 0) this.lastLine = this.now();
    this.startedAt = this.now();
  }

  update(value: number, payload: Record<string, unknown> = {}): void {
    if (this.startedAt === 0) this.start(this.total, value);
    this.value = value;
    Object.assign(this.payload, payload);
    if (this.now() - this.lastLine >= this.intervalMs) this.line();
  }

  stop(): void {
    if (this.wrote && this.lastLine !== this.now()) this.line();
  }

  private line(): void {
    const t = this.now();
    const elapsed = (t - this.startedAt) / 1000;
    const rate = (this.value - this.startValue) / Math.max(elapsed, 1e-3);
    const eta = rate > 0 ? (this.total - this.value) / rate : Infinity;
    const fields: Record<string, unknown> = {
      ...this.payload,
      value: this.value,
      total: this.total,
      percentage: this.total > 0 ? Math.floor((100 * this.value) / this.total) : 0,
      eta_formatted: this.total <= 0 ? '?' : this.value >= this.total ? '0s' : duration(eta),
    };
    const text = this.format
      .replace(/\s*\[\{bar\}\]/g, '')
      .replace(/\{(\w+)\}/g, (whole, key: string) => (key in fields ? String(fields[key]) : whole));
    this.write(text);
    this.lastLine = t;
    this.wrote = true;
  }
}

/** A progress display in `format` (cli-progress tokens): a bar on a terminal, else plain lines. */
export function progress(format: string): Progress {
  if (!process.stderr.isTTY) return new PlainProgress(format);
  return new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
}
