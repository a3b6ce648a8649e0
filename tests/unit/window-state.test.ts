import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, restoreBounds } from '../../electron/main/window-state';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('the remembered window size and place', () => {
  it('comes back where it was when that place is still on a screen', () => {
    expect(restoreBounds({ x: 100, y: 80, width: 1300, height: 900 }, [screen])).toEqual({
      x: 100,
      y: 80,
      width: 1300,
      height: 900,
    });
  });
  it('keeps the size but not a place that is off every screen (the second monitor is gone)', () => {
    expect(restoreBounds({ x: 2500, y: 100, width: 1300, height: 900 }, [screen])).toEqual({ width: 1300, height: 900 });
  });
  it('falls back to the default for nothing or nonsense', () => {
    expect(restoreBounds(undefined, [screen])).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 'x' }, [screen])).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 10, height: 10 }, [screen])).toEqual(DEFAULT_BOUNDS);
  });
});
