/** Screen class from the screen width (SEMANTICS.md §3.5, API.md I.6). */

// Minimum width → class, widest first; the table in force since Pirsch v2.5.1 and unchanged in v7.
const CLASSES: readonly (readonly [number, string])[] = [
  [5120, 'UHD 5K'],
  [3840, 'UHD 4K'],
  [2560, 'WQHD'],
  [1920, 'Full HD'],
  [1280, 'HD'],
  [1024, 'XL'],
  [800, 'L'],
  [600, 'M'],
  [415, 'S'],
  [1, 'XS'],
];

/** The screen class of a width in pixels; `""` when no (or no usable) width was sent. */
export function screenClass(width: number): string {
  if (!Number.isFinite(width)) return '';
  for (const [min, name] of CLASSES) {
    if (width >= min) return name;
  }
  return '';
}

export interface WidthHints {
  secChWidth: string;
  secChViewportWidth: string;
}

/**
 * The width to classify: the sent width when positive, else the `Sec-CH-Width` then
 * `Sec-CH-Viewport-Width` client hint (the v6.21 fall-back), else 0.
 */
export function screenWidthFrom(width: number | undefined, hints: WidthHints): number {
  if (width !== undefined && Number.isFinite(width) && width > 0) return Math.floor(width);
  for (const hint of [hints.secChWidth, hints.secChViewportWidth]) {
    const value = hint.trim();
    // Client hints are decimal numbers (`1920`, `412.5` on some devices); anything else is ignored.
    if (/^\d{1,6}(?:\.\d+)?$/.test(value)) {
      const parsed = Math.floor(Number(value));
      if (parsed > 0) return parsed;
    }
  }
  return 0;
}
