/**
 * The window's size and position, remembered between runs, and kept on a screen that still exists
 * (a laptop taken off its docking station must not open the window off-screen).
 */
export interface Bounds {
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { width: 1200, height: 800 };

/** The saved bounds if they are sane and overlap one of the displays' work areas; otherwise the default size. */
export function restoreBounds(saved: unknown, workAreas: readonly Area[]): Bounds {
  const b = saved as Partial<Bounds> | undefined;
  if (!b || typeof b.width !== 'number' || typeof b.height !== 'number' || b.width < 400 || b.height < 300) return DEFAULT_BOUNDS;
  if (typeof b.x !== 'number' || typeof b.y !== 'number') return { width: b.width, height: b.height };
  const { x, y, width, height } = b as Required<Bounds>;
  const visible = workAreas.some(
    (area) => x < area.x + area.width - 100 && x + width > area.x + 100 && y >= area.y - 10 && y < area.y + area.height - 100,
  );
  return visible ? { x, y, width, height } : { width, height };
}
