// The browser host: a file input for Open; Save through the File System Access API where the
// browser has it (showSaveFilePicker, Chromium), else a download; the kept workspace in the
// Origin Private File System; window.open after a confirm (links in the views are plain
// anchors: views/ExternalLink.svelte).
import { blobSource, type Host } from './host.ts';
import { opfsKeptWorkspace } from './opfs-keep.ts';
import { webUrl } from '../core/base/url.ts';
import type { ByteSource } from '../engine/client.ts';

/** showSaveFilePicker (https://wicg.github.io/file-system-access/), absent from TypeScript's DOM types. */
type SaveFilePicker = (options: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function createBrowserHost(): Host {
  /** The file the workspace was last saved to through the picker: Save writes there again. */
  let savedTo: FileSystemFileHandle | null = null;
  return {
    kind: 'browser',
    keep: opfsKeptWorkspace(),
    recent: null,
    pickFiles() {
      return new Promise<ByteSource[]>((resolve) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = true;
        input.addEventListener('change', () => resolve(Array.from(input.files ?? []).map((f) => blobSource(f, f.name))));
        input.addEventListener('cancel', () => resolve([]));
        input.click();
      });
    },
    async saveFile(name, bytes) {
      download(name, bytes);
      return true;
    },
    async saveWorkspace(bytes, suggestedName, saveAs) {
      const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
      if (!picker) {
        download(suggestedName, bytes);
        return suggestedName;
      }
      let target = saveAs ? null : savedTo;
      if (!target) {
        try {
          target = await picker({ suggestedName, types: [{ description: 'Tracedeck workspace', accept: { 'application/vnd.sqlite3': ['.tracedeck'] } }] });
        } catch (e) {
          if ((e as Error).name === 'AbortError') return null; // the user cancelled
          throw e;
        }
      }
      const w = await target.createWritable();
      await w.write(bytes as FileSystemWriteChunkType);
      await w.close();
      savedTo = target;
      return target.name;
    },
    async openExternal(url) {
      const href = webUrl(url);
      if (href === null || !window.confirm(`Open this link in your browser?\n\n${href}`)) return false;
      window.open(href, '_blank', 'noopener,noreferrer');
      return true;
    },
    setUnsaved: () => {},
    onCommand: () => () => {},
    onFilesFromOs: () => () => {},
  };
}
