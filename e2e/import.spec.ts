/**
 * Bring your own machine and device tree: files picked with Load (or dropped) are imported in
 * the worker and run; a machine's run is compared with the machine in the Machine tab.
 */
import { readFileSync } from 'node:fs';
import { expect, ready, test } from './common';

const file = (path: string, name = path.split('/').pop()!) => ({ name, mimeType: 'text/plain', buffer: readFileSync(path) });

test('a .dts with its .dtsi and headers becomes the scenario: OF devices under simple-bus, MODALIAS as the kernel writes it', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.getByTestId('load-json-input').setInputFiles([
    file('test/fixtures/dts/fvp-base-revc.dts'),
    file('test/fixtures/dts/rtsm_ve-motherboard.dtsi'),
    file('test/fixtures/dts/rtsm_ve-motherboard-rs2.dtsi'),
    file('test/fixtures/dts/dt-bindings/interrupt-controller/arm-gic.h'),
    file('test/fixtures/dts/dt-bindings/interrupt-controller/irq.h'),
  ]);
  const msg = page.getByTestId('status-message');
  await expect(msg).toContainText('Imported a device tree');
  await expect(msg).toContainText('18 platform devices populated');
  await ready(page);
  await expect(page.getByTestId('node-device-1c130000.virtio-block')).toBeVisible();
  await page.getByTestId('node-device-1c130000.virtio-block').click();
  await expect(page.getByTestId('details-panel')).toContainText('of:Nvirtio-blockT(null)Cvirtio,mmio');
  await page.screenshot({ path: 'test-results/import-dts.png' });
});

test('a .dts whose header is missing is refused at file:line:col and the design on screen stays', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const before = await page.getByTestId('scenario-select').inputValue();
  await page.getByTestId('load-json-input').setInputFiles([file('test/fixtures/dts/fvp-base-revc.dts')]);
  const msg = page.getByTestId('status-message');
  await expect(msg).toContainText('was not imported; the current design is kept');
  await expect(msg).toContainText(/fvp-base-revc\.dts:\d+:\d+: /);
  await expect(page.getByTestId('scenario-select')).toHaveValue(before);
});

test('a machine capture: imported, replayed from boot, and compared device by device in the Machine tab', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.getByTestId('load-json-input').setInputFiles([file('test/fixtures/machines/qemu-guest.bundle')]);
  const msg = page.getByTestId('status-message');
  await expect(msg).toContainText('Imported a machine', { timeout: 30_000 });
  await expect(msg).toContainText(/replayed: \d+ of \d+ devices on a bus match the machine/);
  await ready(page);
  const report = page.getByTestId('machine-report');
  await expect(report).toBeVisible();
  await expect(page.getByTestId('machine-rate')).toContainText(/\d+ of \d+ devices on a bus match/);
  await page.getByTestId('machine-filter-matched').click();
  await expect(report.locator('tbody tr').first()).toContainText('matched');
  await page.screenshot({ path: 'test-results/import-machine.png' });
  // another design: the comparison (and its tab) goes away
  await page.getByTestId('scenario-select').selectOption('auxiliary');
  await ready(page);
  await expect(page.getByTestId('machine-report')).toHaveCount(0);
});
