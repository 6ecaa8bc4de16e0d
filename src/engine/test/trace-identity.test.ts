/**
 * The engine's output for a 10k-device run, pinned by a hash over the rendered trace (every
 * event's kind, depth, text, citation and touches; every uevent; the final state). Storage and
 * speed work must leave it byte-identical; a deliberate semantic change updates the hash in the
 * same commit, with the reason in the message.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Simulation } from '../index';
import { pinnedScenario } from './trace-scenario';


function traceHash(n: number): { hash: string; events: number } {
  const sim = new Simulation(pinnedScenario(n), { maxEvents: 1e8, maxMillis: 600_000, maxDevices: 1e7 });
  const h = createHash('sha256');
  for (const e of sim.summary().events) h.update(`${e.kind}|${e.depth}|${e.text}|${e.cite}|${JSON.stringify(e.touches)}|${e.errno ?? ''}|${e.log ?? ''}\n`);
  const end = sim.stateAt(sim.lastStep);
  for (const u of end.uevents) h.update(`${u.seq} ${u.env.map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
  // each device with its uevent file, as the views carried it until they left it to Simulation.ueventFile
  h.update(JSON.stringify(end.devices.map((d) => ({ ...d, uevent: sim.ueventFile(sim.lastStep, d.devpath) }))));
  h.update(JSON.stringify(end.drivers));
  h.update(JSON.stringify(end.modules));
  h.update(end.sysfs.join('\n'));
  return { hash: h.digest('hex'), events: sim.lastStep + 1 };
}

describe('trace identity', () => {
  it('the 10k-device bench run renders to the pinned hash', { timeout: 60_000 }, () => {
    const { hash, events } = traceHash(10_000);
    if (process.env.TRACE_HASH_UPDATE) console.log(`10k trace: ${events} events, sha256 ${hash}`);
    expect({ events, hash }).toEqual(EXPECTED);
  });
});

const EXPECTED = { events: 263644, hash: '42afd822f44c407a8230b6e660801d140f04d203b4591320005819d86ec6a22d' };
