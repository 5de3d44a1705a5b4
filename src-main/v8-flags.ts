// V8 flags of the app's renderer (Electron's js-flags switch; the benchmark gives Chromium the
// same). A young generation of at most 4 MB per semi-space: imports churn through short-lived
// objects in two workers at once, and V8's default young generation held ~100 MB of their
// garbage at the peak of a 1M-span import (renderer RSS growth ~490 MB instead of ~390 MB, for a
// store of 219 MB), with no measurable gain in speed. A page served to a browser runs without it.
export const RENDERER_JS_FLAGS = '--max-semi-space-size=4';
