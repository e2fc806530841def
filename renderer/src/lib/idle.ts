import { useEffect, useRef } from 'react';
import { call } from './api';

const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart', 'pointerdown'] as const;
const TOUCH_EVERY_MS = 10_000;

/**
 * Locks the screen after `timeoutSeconds` without keyboard or mouse activity, and tells main the
 * person is still there (main enforces the same limit on its side).
 */
export function useIdleLock(timeoutSeconds: number, onIdle: () => void, enabled: boolean): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return;
    let timer = window.setTimeout(() => onIdleRef.current(), timeoutSeconds * 1000);
    let lastTouch = 0;
    const activity = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => onIdleRef.current(), timeoutSeconds * 1000);
      const now = Date.now();
      if (now - lastTouch > TOUCH_EVERY_MS) {
        lastTouch = now;
        void call('auth.touch', {});
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, activity, { passive: true, capture: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, activity, { capture: true });
    };
  }, [timeoutSeconds, enabled]);
}
