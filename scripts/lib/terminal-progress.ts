// A progress bar with counts on standard error, for long reconciliation runs on a terminal. The
// command line uses it only when standard error is a terminal; piped, it stays silent.
import cliProgress from 'cli-progress';
import type { Progress } from '../../src/reconcile/check-types.ts';

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let value = 0;
  return {
    start(label: string, total: number | null) {
      bar?.stop();
      value = 0;
      // Without a known total there is nothing to fill: show the count alone.
      const format = total === null ? `${label}  {value}` : `${label}  [{bar}] {percentage}%  {value}/{total}`;
      bar = new cliProgress.SingleBar(
        { format, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, fps: 10, barsize: 30 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? 0, 0);
    },
    tick(count = 1) {
      value += count;
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
