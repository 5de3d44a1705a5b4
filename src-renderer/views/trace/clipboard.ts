// Copy text: the async Clipboard API where allowed, else a hidden textarea and execCommand (older
// Electron builds and pages without clipboard permission). Either way the text is a value, never markup.

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the fallback
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  // Set through the CSSOM (allowed by the CSP, unlike a style attribute): off screen, invisible.
  area.style.position = 'fixed';
  area.style.opacity = '0';
  area.style.left = '-1000px';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
