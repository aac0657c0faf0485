/** Colour mode: follows the system unless the user (or `?mode=`) chooses light or dark. */
export type Mode = 'system' | 'light' | 'dark';
const KEY = 'spoor.theme';

export function savedMode(): Mode {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const media = matchMedia('(prefers-color-scheme: dark)');

/** Apply the effective mode to the document. */
export function applyMode(mode: Mode = savedMode()): void {
  const forced = new URLSearchParams(location.search).get('mode');
  const effective = forced === 'light' || forced === 'dark' ? forced : mode;
  const dark = effective === 'system' ? media.matches : effective === 'dark';
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function saveMode(mode: Mode): void {
  try {
    if (mode === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, mode);
  } catch {
    // Not remembered without storage; still applied.
  }
  applyMode(mode);
}

media.addEventListener('change', () => applyMode());

/** Appearance switches kept in this browser: colour-blind palette and full-width layout. */
export type Flag = 'colorblind' | 'wide';

export function flagOn(flag: Flag): boolean {
  try {
    return localStorage.getItem(`spoor.${flag}`) === '1';
  } catch {
    return false;
  }
}

export function setFlag(flag: Flag, on: boolean): void {
  try {
    if (on) localStorage.setItem(`spoor.${flag}`, '1');
    else localStorage.removeItem(`spoor.${flag}`);
  } catch {
    // Applied for this page only.
  }
  applyFlags();
}

export function applyFlags(): void {
  for (const flag of ['colorblind', 'wide'] as const)
    document.documentElement.classList.toggle(flag, flagOn(flag));
}

applyFlags();
