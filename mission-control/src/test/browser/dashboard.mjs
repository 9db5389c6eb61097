// The dashboard in headless Chromium, against a running system (started by DashboardBrowserIT).
// Environment: BASE_URL, TOKEN (an API token), SCREENSHOTS (a directory), CHROMIUM (the browser).
// Prints one line per step; exits non-zero on the first failure, or if the page logged an error.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = required('BASE_URL');
const token = required('TOKEN');
const screenshots = required('SCREENSHOTS');
mkdirSync(screenshots, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function step(message) {
  console.log(`step: ${message}`);
}

async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const problems = [];
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
const page = await context.newPage();
try {
  page.on('console', message => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', request => {
    // the live feed's fetch is aborted when the page closes; anything else failing is a problem
    if (!request.url().includes('/api/v1/stream')) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });

  step('a mission with one update, then the page loads');
  await api('POST', '/api/v1/missions', { id: 'voyager-9', name: 'Voyager 9', destination: 'Proxima b', phase: 'CRUISE', expectedReportSeconds: 60 });
  await api('POST', '/api/v1/missions/voyager-9/updates', { subsystem: 'comms', level: 'NOMINAL', message: 'carrier locked' });
  await api('POST', '/api/v1/missions', { id: 'pioneer-12', name: 'Pioneer 12', phase: 'LAUNCHED' });
  await page.goto(`${base}/`);
  const level = page.locator('tr[data-mission="voyager-9"] .level');
  await level.getByText('NOMINAL').waitFor({ timeout: 10_000 });
  await page.locator('#live', { hasText: 'Live' }).waitFor({ timeout: 10_000 });

  step('an update recorded through the API changes the level on screen within 2 s');
  const started = Date.now();
  await api('POST', '/api/v1/missions/voyager-9/updates', { subsystem: 'propulsion', level: 'CRITICAL', message: 'thrust low' });
  await level.getByText('CRITICAL').waitFor({ timeout: 2_000 });
  console.log(`measured: level shown ${Date.now() - started} ms after the update was recorded`);
  await page.screenshot({ path: join(screenshots, 'missions.png'), fullPage: true });

  step('the mission page shows subsystems and history, and follows new updates');
  await page.getByRole('link', { name: 'Voyager 9' }).click();
  await page.locator('tr[data-subsystem="propulsion"]').waitFor();
  await api('POST', '/api/v1/missions/voyager-9/updates', { subsystem: 'power', level: 'WARNING', message: 'battery at 31 %' });
  await page.locator('table.history').getByText('battery at 31 %').waitFor({ timeout: 2_000 });
  await page.screenshot({ path: join(screenshots, 'mission.png'), fullPage: true });

  step('resources: charts per host, filled from the history, then live');
  await page.getByRole('link', { name: 'Resources' }).click();
  const host = page.locator('section.host').first();
  await host.waitFor({ timeout: 10_000 });
  await host.locator('canvas').first().waitFor();
  const before = await host.locator('.summary').textContent();
  await page.waitForFunction(text => document.querySelector('section.host .summary').textContent !== text, before, { timeout: 10_000 });
  await page.screenshot({ path: join(screenshots, 'resources.png'), fullPage: true });

  step('a reading over a threshold shows a firing alert');
  await page.getByRole('link', { name: /^Alerts/ }).click();
  const alert = page.locator('li.alert[data-rule="disk-any"][data-state="FIRING"]').first();
  await alert.waitFor({ timeout: 15_000 });

  step('acknowledging it from the page works (the token is asked once)');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  const tokenDialog = page.locator('#token-dialog');
  await tokenDialog.locator('input').fill(token);
  await tokenDialog.getByRole('button', { name: 'Use token' }).click();
  const ackDialog = page.locator('#ack-dialog');
  await ackDialog.getByLabel('Your name').fill('flight director');
  await ackDialog.getByLabel('Comment').fill('known: the test disk');
  await ackDialog.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('li.alert[data-rule="disk-any"] .acked', { hasText: 'flight director' }).first().waitFor({ timeout: 5_000 });
  await page.locator('table.history').getByText('flight director').first().waitFor({ timeout: 5_000 });
  await page.screenshot({ path: join(screenshots, 'alerts.png'), fullPage: true });

  step('backups: "Back up now" runs a backup that shows up in the catalog');
  await page.getByRole('link', { name: 'Backups' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.locator('tr[data-backup] .backup-SUCCEEDED').first().waitFor({ timeout: 60_000 });
  await page.locator('#backup-age', { hasText: 'Newest verified backup' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(screenshots, 'backups.png'), fullPage: true });

  step('keyboard: links and buttons work with Tab and Enter');
  await page.getByRole('link', { name: 'Missions', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.locator('tr[data-mission="voyager-9"]').waitFor({ timeout: 5_000 });
  await page.getByRole('link', { name: 'Pioneer 12' }).focus();
  // a live update re-renders the list; the keyboard user stays on their link
  await api('POST', '/api/v1/missions/voyager-9/updates', { subsystem: 'propulsion', level: 'WATCH', message: 'thrust recovering' });
  await level.getByText('WARNING').waitFor({ timeout: 2_000 });
  const focused = await page.evaluate(() => document.activeElement.textContent);
  if (focused !== 'Pioneer 12') throw new Error(`a live update moved the focus from "Pioneer 12" to "${focused}"`);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await page.locator('h2[data-mission="pioneer-12"]').waitFor({ timeout: 5_000 });
  await page.getByRole('link', { name: 'Missions', exact: true }).focus();
  await page.keyboard.press('Enter');

  step('a wall screen: the missions view at 3840x2160');
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.screenshot({ path: join(screenshots, 'missions-wall.png') });

  await context.close();
} catch (error) {
  problems.push(`failed: ${error.message}`);
  const shown = await page.locator('#error').textContent().catch(() => '');
  if (shown) problems.push(`the page showed: ${shown}`);
  await page.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}

if (problems.length) {
  for (const problem of problems) console.log(problem);
  process.exit(1);
}
console.log('ok: every step passed, no console errors');
