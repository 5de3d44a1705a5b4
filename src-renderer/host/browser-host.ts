// The browser host: a file input for Open, downloads for Save, window.open after a confirm (links
// in the views are plain anchors: views/ExternalLink.svelte).
import { blobSource, type Host } from './host.ts';
import { webUrl } from '../core/base/url.ts';
import type { ByteSource } from '../engine/client.ts';

export function createBrowserHost(): Host {
  return {
    kind: 'browser',
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
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return true;
    },
    async openExternal(url) {
      const href = webUrl(url);
      if (href === null || !window.confirm(`Open this link in your browser?\n\n${href}`)) return false;
      window.open(href, '_blank', 'noopener,noreferrer');
      return true;
    },
    onCommand: () => () => {},
    onFilesFromOs: () => () => {},
  };
}
