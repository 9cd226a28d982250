import { expect, test } from '@playwright/test';

for (const n of [1, 2, 3, 4, 5, 6]) {
  test(`page ${n} shows its heading`, async ({ page }) => {
    await page.goto(`/page/${n}`);
    await expect(page.getByRole('heading')).toHaveText(`Page ${n}`);
  });
}
