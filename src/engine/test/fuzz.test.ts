/**
 * Fuzzing: 1,000+ generated runs of mutated scenarios with random user actions, including the
 * hostile shapes (probes that remove devices — their own or others —, creation cycles, deep
 * nesting, msleep, device_attach from module code). The engine must never throw on a valid
 * scenario, every run must end (within its budget, or stopped by it with a named reason), and
 * the driver-model invariants must hold at the end. fast-check prints the failing seed and
 * path; replay with FUZZ_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '..';
import { BUDGET, generated, mutatedBuiltin } from './arbitraries';

const SEED = Number(process.env.FUZZ_SEED ?? 4242);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

describe('fuzzing', () => {
  it(`${RUNS} generated and mutated runs: no throw, every run ends within its budget or is stopped by it, invariants hold`, () => {
    let stopped = 0;
    fc.assert(
      fc.property(fc.oneof(generated, mutatedBuiltin), (scenario) => {
        const sim = new Simulation(scenario, BUDGET);
        // the generators only produce valid scenarios: a validation error is a generator bug
        expect(sim.errors).toEqual([]);
        if (sim.stopped) {
          stopped++;
          expect(['events', 'time', 'devices', 'depth', 'probe-loop', 'deadlock']).toContain(sim.stopped.budget);
          expect(sim.stopped.step).toBeLessThanOrEqual(BUDGET.maxEvents + 1);
        }
        const end = sim.stateAt(sim.lastStep);
        const devpaths = new Set(end.devices.map((d) => d.devpath));
        for (const d of end.devices) {
          if (d.parent) expect(devpaths.has(d.parent), `${d.devpath}: its parent is gone`).toBe(true);
          if (d.driver) expect(end.drivers.some((x) => x.bus === d.bus && x.name === d.driver && x.devices.includes(d.devpath)), `${d.devpath} bound to an unregistered driver`).toBe(true);
        }
        for (let i = 1; i < end.uevents.length; i++) expect(end.uevents[i]!.seq).toBeGreaterThan(end.uevents[i - 1]!.seq);
        // time travel still works on a stopped or odd run
        expect(sim.stateAt(Math.floor(sim.lastStep / 2)).step).toBe(Math.floor(sim.lastStep / 2));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz: ${RUNS} runs, ${stopped} stopped by a budget or guard`);
    // the corpus exercises the budgets and guards, not only the happy path
    expect(stopped).toBeGreaterThan(0);
  }, 300_000);
});
