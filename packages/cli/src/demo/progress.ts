import type { MikaCliIo } from "../io.ts";

/** Seeding progress: a redrawn bar on a terminal, one line per finished stage otherwise. */
export interface MikaProgress {
  stage(label: string, total: number): (done: number) => void;
}

const WIDTH = 24;

/** Creates the progress display for `io`. */
export function createProgress(io: MikaCliIo): MikaProgress {
  return {
    stage(label, total) {
      let last = -1;
      return (done) => {
        if (io.errIsTTY) {
          const filled = Math.round((done / Math.max(total, 1)) * WIDTH);
          if (filled === last && done !== total) return;
          last = filled;
          io.progress(
            `\r  ${label.padEnd(34)} ${"█".repeat(filled)}${"░".repeat(WIDTH - filled)} ${String(done).padStart(4)}/${total}`,
          );
          if (done === total) io.progress("\n");
        } else if (done === total) {
          io.err(`  seeded ${label}: ${total}`);
        }
      };
    },
  };
}
