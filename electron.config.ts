// Packaging with electron-builder (`npm run dist`). electron-builder 26 loads a .ts config through
// jiti (app-builder-lib/out/util/config/load.js), so `--config electron.config.ts` works as is;
// only type imports are used here so nothing has to be compiled first.
import type { Configuration } from 'electron-builder';

/** Trace and log files. All are generic kinds other programs own, so Tracedeck only offers itself for them. */
const FILE_TYPES: readonly { ext: string; name: string; mimeType: string }[] = [
  { ext: 'json', name: 'JSON trace or log', mimeType: 'application/json' },
  { ext: 'jsonl', name: 'JSON lines', mimeType: 'application/jsonl' },
  { ext: 'ndjson', name: 'JSON lines', mimeType: 'application/x-ndjson' },
  { ext: 'log', name: 'Log file', mimeType: 'text/x-log' },
  { ext: 'gz', name: 'Gzip archive', mimeType: 'application/gzip' },
  { ext: 'zip', name: 'Zip archive', mimeType: 'application/zip' },
  { ext: 'pb', name: 'OTLP protobuf', mimeType: 'application/x-protobuf' },
];

const config: Configuration = {
  appId: 'dev.tracedeck.app',
  productName: 'Tracedeck',
  copyright: 'Copyright © Tracedeck contributors',
  directories: { output: 'release', buildResources: 'assets' },
  // The app is the two bundles and the renderer build; sources and node_modules are not needed at
  // run time (everything is bundled), so none of them ship.
  files: ['dist/**/*', '!dist/**/*.map', 'package.json'],
  asar: true,
  npmRebuild: false,
  fileAssociations: [
    // The workspace file is Tracedeck's own: it opens it by default (a double-click, `open`, xdg-open).
    { ext: 'tracedeck', name: 'Tracedeck workspace', mimeType: 'application/vnd.tracedeck.workspace+sqlite', role: 'Editor', rank: 'Owner' },
    ...FILE_TYPES.map((t) => ({
      ext: t.ext,
      name: t.name,
      mimeType: t.mimeType,
      role: 'Viewer',
      rank: 'Alternate',
    })),
  ],
  // Fuses are flipped in the packaged binary, where no environment variable or flag can undo them.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    executableName: 'tracedeck',
    maintainer: 'Tracedeck contributors',
    synopsis: 'Offline trace and log explorer',
  },
  mac: {
    target: ['dmg', 'zip'],
    category: 'public.app-category.developer-tools',
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
