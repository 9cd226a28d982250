// The page, end to end in Chromium: record steps, see totals and the chart change, see a
// validation error, and see the team leaderboard in order. Each test makes its own users
// (and team), so no test depends on another or on the seed data.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

/** A user or team name no other test (or retry) uses. */
const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** ISO date n days from today (UTC), and the Monday of a date's week. */
const day = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const monday = (d: string): string => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
};
// Last week: every day of it is in the past, so any of them can be recorded.
const week = monday(day(-7));
const plus = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function record(page: Page, o: { user: string; date: string; steps: string; team?: string }): Promise<void> {
  const form = page.locator('#entry-form');
  await form.getByLabel('Namn').fill(o.user);
  if (o.team) await form.getByLabel('Lag').fill(o.team);
  await form.getByLabel('Datum').fill(o.date);
  await form.getByLabel('Steg').fill(o.steps);
  await form.getByRole('button', { name: 'Spara' }).click();
}

test('recording steps through the page updates the total, the chart and the list', async ({ page }) => {
  const user = unique('e2e-rec');
  await page.goto(`/?week=${week}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');

  await record(page, { user, date: plus(week, 1), steps: '8000' });
  await expect(page.getByRole('status')).toContainText('Sparat');
  await expect(page.locator('#week-total')).toHaveAttribute('data-steps', '8000');
  await expect(page.locator(`#week-chart g[data-date="${plus(week, 1)}"]`)).toHaveAttribute('data-steps', '8000');
  await expect(page.locator('#entry-list li')).toHaveCount(1);

  await record(page, { user, date: plus(week, 3), steps: '4500' });
  await expect(page.locator('#week-total')).toHaveAttribute('data-steps', '12500');
  await expect(page.locator(`#week-chart g[data-date="${plus(week, 3)}"]`)).toHaveAttribute('data-steps', '4500');
  await expect(page.locator('#entry-list li')).toHaveCount(2);
  // The taller bar is the bigger day.
  const h1 = Number(await page.locator(`#week-chart g[data-date="${plus(week, 1)}"] rect`).getAttribute('height'));
  const h3 = Number(await page.locator(`#week-chart g[data-date="${plus(week, 3)}"] rect`).getAttribute('height'));
  expect(h1).toBeGreaterThan(h3);
});

test('recording the same day again replaces the count instead of adding to it', async ({ page }) => {
  const user = unique('e2e-idem');
  await page.goto(`/?week=${week}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await record(page, { user, date: plus(week, 2), steps: '5000' });
  await expect(page.locator('#week-total')).toHaveAttribute('data-steps', '5000');
  await record(page, { user, date: plus(week, 2), steps: '6000' });
  await expect(page.getByRole('status')).toContainText('Uppdaterat');
  await expect(page.locator('#week-total')).toHaveAttribute('data-steps', '6000');
  await expect(page.locator('#entry-list li')).toHaveCount(1);
});

test('an invalid step count shows an error naming the field, and nothing is saved', async ({ page, request }) => {
  const user = unique('e2e-bad');
  await page.goto(`/?week=${week}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await record(page, { user, date: plus(week, 2), steps: '250000' });
  const error = page.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).toContainText('steps must be between 0 and 100000');
  await expect(error).toHaveAttribute('data-field', 'steps');
  await expect(page.locator('#entry-form').getByLabel('Steg')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#week-total')).toHaveAttribute('data-steps', '0');
  // The user was not even created.
  expect((await request.get(`/api/entries?user=${user}`)).status()).toBe(404);
});

test('the leaderboard lists team members by steps, most first', async ({ page, request }) => {
  const team = unique('e2e-team');
  const [a, b, c] = [unique('e2e-a'), unique('e2e-b'), unique('e2e-c')];
  for (const [user, steps] of [[a, 4000], [b, 15000], [c, 9000]] as const) {
    const res = await request.post('/api/entries', { data: { user, team, date: plus(week, 4), steps } });
    expect(res.status()).toBe(201);
  }
  await page.goto(`/?team=${team}&week=${week}`);
  // Wait for the first load (three API calls) before counting: on a busy 2-core agent it can take seconds.
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const rows = page.locator('#leaderboard tbody tr');
  await expect(rows).toHaveCount(3);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user')))).toEqual([b, c, a]);
  await expect(rows.first()).toContainText('15');

  // Recording through the page moves the new member to the top.
  const d = unique('e2e-d');
  await record(page, { user: d, team, date: plus(week, 5), steps: '20000' });
  await expect(rows.first()).toHaveAttribute('data-user', d);
  await expect(rows).toHaveCount(4);
});
