// Sources are named by their path relative to the folder the files opened together share.
import { describe, it, expect } from 'vitest';
import { sourceNames } from '../../src-renderer/core/import/source-names.ts';

describe('sourceNames', () => {
  it('tells same-named files in different folders apart', () => {
    expect(sourceNames(['/var/log/web-1/access.log', '/var/log/web-2/access.log'])).toEqual(['web-1/access.log', 'web-2/access.log']);
    expect(sourceNames(['/srv/a/x/app.log', '/srv/a/y/z/app.log', '/srv/a/trace.json'])).toEqual(['x/app.log', 'y/z/app.log', 'trace.json']);
  });

  it('keeps a lone file, or files of one folder, by their bare names', () => {
    expect(sourceNames(['/tmp/x/trace.json'])).toEqual(['trace.json']);
    expect(sourceNames(['/tmp/x/a.json', '/tmp/x/b.log'])).toEqual(['a.json', 'b.log']);
    expect(sourceNames([])).toEqual([]);
  });

  it('reads Windows paths, and never takes a file name for a shared folder', () => {
    expect(sourceNames(['C:\\logs\\a\\app.log', 'C:\\logs\\b\\app.log'])).toEqual(['a/app.log', 'b/app.log']);
    // One path is a prefix of another's folders: the file itself is not a folder.
    expect(sourceNames(['/d/app', '/d/app/x.log'])).toEqual(['app', 'app/x.log']);
  });
});
