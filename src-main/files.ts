// Files handed to the app by the OS rather than chosen in its dialog: paths on the command line
// (`tracedeck trace.json`, a file association on Linux and Windows, a second launch while the app
// runs) and macOS's open-file event. They are queued until the page has loaded, then registered as
// handles and announced on 'files:opened-by-os', exactly like files from the Open dialog.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ArgvContext {
  /** process.defaultApp: true when run as `electron main.cjs …`, so argv[1] is the script. */
  isDefaultApp: boolean;
  /** Folder relative paths are resolved against (the launching shell's, for a second instance). */
  cwd: string;
}

/**
 * The file arguments in an Electron argv: the executable (and the script, in development) are
 * skipped, and so is anything starting with '-' (Chromium switches, macOS's -psn_ serial).
 * Existence is checked later, when the paths are registered.
 */
export function filePathsFromArgv(argv: readonly string[], { isDefaultApp, cwd }: ArgvContext): string[] {
  const args = argv.slice(isDefaultApp ? 2 : 1);
  const out: string[] = [];
  let afterDoubleDash = false;
  for (const a of args) {
    if (!afterDoubleDash && a === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (a === '' || (!afterDoubleDash && a.startsWith('-'))) continue;
    let p = a;
    if (a.startsWith('file://')) {
      try {
        p = fileURLToPath(a);
      } catch {
        continue;
      }
    }
    out.push(path.resolve(cwd, p));
  }
  return out;
}

/**
 * Holds paths until a window can receive them. The OS may hand files over before the window exists
 * (macOS sends open-file before 'ready'; argv is known at start), and the renderer can only
 * subscribe once its page has run.
 */
export class PendingOpens {
  private queue: string[] = [];
  private deliver: ((paths: string[]) => void) | null = null;

  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    if (this.deliver !== null) this.deliver([...paths]);
    else this.queue.push(...paths);
  }

  /** The page is loaded: hand over what waited and deliver later paths at once. */
  ready(deliver: (paths: string[]) => void): void {
    this.deliver = deliver;
    if (this.queue.length > 0) {
      const waiting = this.queue;
      this.queue = [];
      deliver(waiting);
    }
  }

  /** The page is gone or reloading: queue again until the next ready(). */
  notReady(): void {
    this.deliver = null;
  }

  get waiting(): number {
    return this.queue.length;
  }
}
