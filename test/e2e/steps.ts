import { startOfDay } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { newSession } from '../../main/core/session';
import { caller } from '../helpers/invoke';
import type { LaunchedApp } from './harness';

/**
 * The instant of work done "a minute ago", as ISO text, but never before today's midnight: the tests
 * that log a pass a minute ago and expect it today failed when run in the first minute of a day.
 */
export function aMinuteAgoToday(now = new Date()): string {
  return new Date(Math.max(now.getTime() - 60_000, startOfDay(now).getTime())).toISOString();
}

/** First run: create the administrator through the welcome screen. */
export async function createFirstAdmin(page: Page, name = 'Ada Admin', password = 'correct horse battery', pin = '2468'): Promise<void> {
  await page.getByRole('heading', { name: 'Welcome to Wardkeep' }).waitFor();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password again').fill(password);
  await page.getByLabel('PIN (optional)').fill(pin);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
}

/** Signs in from the sign-in (or lock) screen by typing the name. */
export async function signIn(page: Page, name: string, secret: string): Promise<void> {
  await page.getByLabel('Or type your name').fill(name);
  await page.getByLabel('PIN or password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Calls a channel as the page itself would (window.api), returning its result, typed by the contract. */
export async function pageInvoke<C extends ChannelName>(page: Page, channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  // What crosses page.evaluate is the page's own window.api answer, which the contract types.
  return page.evaluate(([c, i]) => window.api.invoke(c as never, i as never), [channel, input] as const) as Promise<Result<ChannelOutput<C>>>;
}

/** pageInvoke's value; a refusal fails the test with its sentence. */
export async function pageValue<C extends ChannelName>(page: Page, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const res = await pageInvoke(page, channel, input);
  if (!res.ok) throw new Error(`${channel} failed: ${res.error.message}`);
  return res.value;
}

/** Fails the test if the page threw or logged an error (CSP violations included). */
export function expectNoPageProblems(app: LaunchedApp): void {
  expect(app.problems).toEqual([]);
}

/** The side navigation: its links, not the same words elsewhere on a page. */
/**
 * Holds back the page's calls to `channel` until `release` is called (each answered as usual then):
 * what a screen shows while an answer takes seconds, as a year's report does at a hospital's size.
 */
export function holdAnswers(app: LaunchedApp, channel: ChannelName): { release: () => void } {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const backend = app.backend;
  const answer = backend.invoke.bind(backend) as (s: unknown, c: unknown, i: unknown) => Promise<unknown>;
  // The harness's bridge reads backend.invoke at each call.
  Object.assign(backend, {
    invoke: async (s: unknown, c: unknown, i: unknown) => {
      if (c === channel) await held;
      return answer(s, c, i);
    },
  });
  return { release: () => release() };
}

export function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/**
 * A category's setup page, through the Categories screen. Waits for that screen first: until it has replaced the
 * one before, a device link such as "IP-0042 Infusion pump" would also answer to the category's name.
 */
export async function openCategory(page: Page, name: string): Promise<void> {
  await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Categories', exact: true }).waitFor();
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** A refused save's problem, as the person sees it: a link in the error summary, and the same sentence beside its field. */
export async function expectProblem(scope: Page | Locator, message: string): Promise<void> {
  await scope.getByTestId('error-summary').getByRole('link', { name: message, exact: true }).waitFor();
  await scope.locator('span.error', { hasText: message }).first().waitFor();
}

/** Someone with a PIN of their own: added with a temporary one, which they change as at their first sign-in (through the back end). */
export async function personWithPin(
  app: LaunchedApp,
  name: string,
  role: 'ward_staff' | 'technician' | 'supervisor',
  pin: string,
  homeLocationId: string | null = null,
): Promise<void> {
  await pageValue(app.page, 'users.create', { name, role, temporaryPin: '2580', homeLocationId });
  const s = newSession(app.backend.core.clock.now().getTime());
  await caller(app.backend, s)('auth.signIn', { name, secret: '2580' });
  await caller(app.backend, s)('auth.setOwnPin', { currentSecret: '2580', newPin: pin });
}

/** Signs out, then in as someone else through the sign-in screen. */
export async function switchTo(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, name, pin);
  await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
}

/** What has the keyboard focus: its name, text, test id and tag. */
export function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { name: el?.getAttribute('name') ?? '', text: el?.textContent?.trim() ?? '', testid: el?.getAttribute('data-testid') ?? '', tag: el?.tagName ?? '' };
  });
}

/** Presses Tab (or Shift+Tab) until the focus is where `done` says, as a keyboard user would. */
export async function tabTo(page: Page, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, back = false): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (done(await focused(page))) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached the element (focus on ${JSON.stringify(await focused(page))})`);
}

/**
 * A USB barcode scanner: the tag's keys 5 ms apart, then Enter. The keys carry their own times (as
 * a scanner's do), so a busy test machine slow to send them cannot make the burst look typed.
 */
export async function scanKeys(page: Page, tag: string) {
  const cdp = await page.context().newCDPSession(page);
  let t = Date.now() / 1000;
  const key = async (k: string, text: string, code: number) => {
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyDown',
      key: k,
      text,
      unmodifiedText: text,
      windowsVirtualKeyCode: code,
      timestamp: t,
    });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, windowsVirtualKeyCode: code, timestamp: t + 0.002 });
    t += 0.005;
  };
  for (const ch of tag) await key(ch, ch, ch.toUpperCase().charCodeAt(0));
  await key('Enter', '\r', 13);
  await cdp.detach();
}
