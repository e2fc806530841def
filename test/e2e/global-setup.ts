import { existsSync } from 'node:fs';
import path from 'node:path';
import { findChromium, NO_CHROMIUM_MESSAGE } from './chromium';

/** The e2e suite fails (never skips) without a Chromium or a built renderer. */
export default function setup(): void {
  if (!findChromium()) throw new Error(NO_CHROMIUM_MESSAGE);
  if (!existsSync(path.resolve('out/renderer/index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" first (npm test does it for you).');
  }
}
