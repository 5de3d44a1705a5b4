// The browser host. Where the browser has the File System Access API (Chromium), Open and Save
// go through its pickers and files keep their handles, so the recent list opens them again
// (browser-recent.ts); elsewhere a file input for Open and a download for Save. The kept
// workspace is in the Origin Private File System; window.open after a confirm (links in the
// views are plain anchors: views/ExternalLink.svelte).
import { blobSource, droppedSources, type Host } from './host.ts';
import { opfsKeptWorkspace } from './opfs-keep.ts';
import { browserRecent, canKeepHandles, handleSource, type BrowserRecent } from './browser-recent.ts';
import { webUrl } from '../core/base/url.ts';
import type { ByteSource } from '../engine/client.ts';

/** showSaveFilePicker (https://wicg.github.io/file-system-access/), absent from TypeScript's DOM types. */
type SaveFilePicker = (options: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;
/** showOpenFilePicker, the same. */
type OpenFilePicker = (options: { multiple: boolean }) => Promise<FileSystemFileHandle[]>;
/** DataTransferItem.getAsFileSystemHandle (https://wicg.github.io/file-system-access/#drag-and-drop), the same. */
type HandleItem = DataTransferItem & { getAsFileSystemHandle?(): Promise<FileSystemHandle | null> };

/** A source read without a handle: on the recent list (where there is one) as a reminder by name. */
function reminded(src: ByteSource, recent: BrowserRecent | null): ByteSource {
  return recent ? { ...src, remember: (kind) => recent.remind(src.name, kind) } : src;
}

function inputFiles(recent: BrowserRecent | null): Promise<ByteSource[]> {
  return new Promise<ByteSource[]>((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.addEventListener('change', () => resolve(Array.from(input.files ?? []).map((f) => reminded(blobSource(f, f.name), recent))));
    input.addEventListener('cancel', () => resolve([]));
    input.click();
  });
}

async function pickedFiles(picker: OpenFilePicker, recent: BrowserRecent): Promise<ByteSource[]> {
  let handles: FileSystemFileHandle[];
  try {
    handles = await picker({ multiple: true });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return []; // the user cancelled
    throw e;
  }
  return Promise.all(handles.map(async (h) => handleSource(h, await h.getFile(), recent)));
}

/**
 * Dropped files, each remembered by its handle where the browser gives one. The handles are
 * asked for during the drop event itself: the data transfer is emptied once it returns.
 */
function droppedWithHandles(dt: DataTransfer | null, recent: BrowserRecent): ByteSource[] {
  if (!dt) return [];
  const items = Array.from(dt.items).filter((i) => i.kind === 'file') as HandleItem[];
  if (items.length !== dt.files.length || !items.every((i) => i.getAsFileSystemHandle)) return droppedSources(dt).map((src) => reminded(src, recent));
  return Array.from(dt.files).map((f, i) => {
    const handle = items[i].getAsFileSystemHandle!().catch(() => null);
    return {
      ...blobSource(f, f.name),
      async remember(kind: 'workspace' | 'files') {
        const h = await handle;
        if (h?.kind === 'file') await recent.add(h as FileSystemFileHandle, kind);
        else await recent.remind(f.name, kind);
      },
    };
  });
}

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
  const recent = canKeepHandles() ? browserRecent() : null;
  return {
    kind: 'browser',
    keep: opfsKeptWorkspace(),
    recent,
    pickFiles() {
      const picker = (window as unknown as { showOpenFilePicker?: OpenFilePicker }).showOpenFilePicker;
      return picker && recent ? pickedFiles(picker.bind(window), recent) : inputFiles(recent);
    },
    fromDrop: (dt) => (recent ? droppedWithHandles(dt, recent) : droppedSources(dt)),
    async saveFile(name, bytes) {
      download(name, bytes);
      return true;
    },
    async saveWorkspace(save, suggestedName, saveAs) {
      const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker?.bind(window);
      if (!picker) {
        download(suggestedName, await save.bytes());
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
      // The engine worker writes the file through the handle (engine/save-targets.ts).
      await save.to({ kind: 'handle', handle: target, name: target.name });
      savedTo = target;
      await recent?.add(target, 'workspace').catch(() => {}); // the list is a convenience: a save never fails on it
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
