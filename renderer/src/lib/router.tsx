import type { AnchorHTMLAttributes, ReactNode, Ref } from 'react';
import { useSyncExternalStore } from 'react';

/** Hash routes (#/equipment/123): they work the same from app:// and from the test server. */
export function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string): void {
  if (currentPath() !== path) window.location.hash = path;
}

/** Matches `/equipment/:id` against a path; returns the parameters or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const [pathname] = path.split('?');
  const a = pattern.split('/').filter(Boolean);
  const b = (pathname ?? '').split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const seg = a[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(b[i]!);
    else if (seg !== b[i]) return null;
  }
  return params;
}

export function queryParams(path: string): URLSearchParams {
  return new URLSearchParams(path.split('?')[1] ?? '');
}

export function Link({ to, children, ref, ...rest }: { to: string; children: ReactNode; ref?: Ref<HTMLAnchorElement> } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={`#${to}`} ref={ref} {...rest}>
      {children}
    </a>
  );
}
