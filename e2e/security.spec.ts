import { expect, test } from '@playwright/test';
import { getBuiltinScenario } from '../src/engine/index';

// Nothing executes from input: the built app runs under a Content-Security-Policy that allows
// scripts and workers from its own origin only, and names from a scenario render as text.

test('the Content-Security-Policy is in force: no inline script runs, the app and its worker still do', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', /script-src 'self'/);
  await expect(page.getByTestId('status')).toHaveText('ready'); // the module worker ran the engine
  const { ran, violated } = await page.evaluate(async () => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return { ran: (window as unknown as { __inline?: number }).__inline ?? null, violated: seen };
  });
  expect(ran).toBeNull();
  expect(violated.some((d) => d.startsWith('script-src'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a device named like HTML renders as text, and nothing it names executes', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveText('ready');
  const name = '<img src=x onerror=alert(1)>';
  const s = getBuiltinScenario('mainline') as unknown as { id: string; title: string; modules: unknown[] };
  const mine = { ...s, id: 'xss', title: '<b>bold?</b>', modules: [{ name: 'm', location: 'builtin', initcall: 'device', init: [{ op: 'platform_device_register_simple', name, id: 'NONE' }] }] };
  await page.getByTestId('mode-edit').click();
  const editor = page.getByTestId('editor');
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(mine, null, 2));
  await expect(page.getByTestId('editor-state')).toContainText('valid');
  await expect(page.getByTestId(`node-device-${name}`)).toContainText(name);
  await expect(page.locator('.bs-caption')).toContainText('<b>bold?</b>');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
