// The names sources go by in reports, the files table and the command line: each file's path
// relative to the folder all the files opened together share, so that two `access.log` from two
// servers can be told apart, while a single file keeps its bare name. Zip entries are named by the
// reader as `zip/entry` after this. Paths are plain strings (the core runs in browsers too):
// both `/` and `\` separate folders.
//
//   /var/log/a/access.log, /var/log/b/access.log  →  a/access.log, b/access.log
//   /tmp/x/trace.json                             →  trace.json

/** The names of `paths`, in order: relative to the deepest folder they all share. */
export function sourceNames(paths: readonly string[]): string[] {
  const parts = paths.map((p) => p.split(/[\\/]+/));
  if (parts.length === 0) return [];
  // Folders only: a file's own name is never part of the shared prefix.
  let shared = parts[0].length - 1;
  for (const p of parts) {
    shared = Math.min(shared, p.length - 1);
    for (let i = 0; i < shared; i++) {
      if (p[i] !== parts[0][i]) {
        shared = i;
        break;
      }
    }
  }
  return parts.map((p) => p.slice(shared).join('/'));
}
