import { useEffect, useRef } from 'react';
import { ACTIVITY_REPORT_EVERY_MS } from '../../../shared/domain/settings';
import { call } from './api';

const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart', 'pointerdown'] as const;

/**
 * Locks the screen after `timeoutSeconds` without keyboard or mouse activity, and tells main the
 * person is still there (main enforces the same limit on its side). Main is told at most every
 * ACTIVITY_REPORT_EVERY_MS: at the first activity, and once more at the end of that time if there
 * was activity since (without it, keys typed just after a report went untold, and main counted
 * the idle time from before them).
 */
export function useIdleLock(timeoutSeconds: number, onIdle: () => void, enabled: boolean): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return;
    let trailing = 0;
    const idle = () => {
      window.clearTimeout(trailing);
      trailing = 0;
      onIdleRef.current();
    };
    let timer = window.setTimeout(idle, timeoutSeconds * 1000);
    let lastTouch = -Infinity;
    const touch = () => {
      trailing = 0;
      lastTouch = Date.now();
      void call('auth.touch', {});
    };
    const activity = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(idle, timeoutSeconds * 1000);
      const since = Date.now() - lastTouch;
      if (since >= ACTIVITY_REPORT_EVERY_MS) touch();
      else if (!trailing) trailing = window.setTimeout(touch, ACTIVITY_REPORT_EVERY_MS - since);
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, activity, { passive: true, capture: true });
    return () => {
      window.clearTimeout(timer);
      window.clearTimeout(trailing);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, activity, { capture: true });
    };
  }, [timeoutSeconds, enabled]);
}
