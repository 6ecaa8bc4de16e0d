/**
 * Files dropped on the page (or picked with Load), turned into a scenario in the worker: a .dts
 * with the .dtsi and headers dropped beside it (src/import/dts), or a machine capture from
 * scripts/capture-machine.sh or `udevadm info --export-db` (src/import/machine). A .json file is
 * a scenario already and is not handled here. The UI then runs the scenario like any other; for
 * a machine, `machineReport` compares the run with what the machine reported.
 */
import { formatError, importDts } from '../import/dts/index';
import { compareMachine, importMachine, type ImportedMachine, type MachineReport } from '../import/machine/index';
import { SECTION_MARK } from '../import/machine/parse';
import type { Simulation } from '../engine/index';

export interface DroppedFile {
  name: string;
  text: string;
}

export type ImportOutcome =
  | { ok: true; kind: 'dts' | 'machine'; name: string; scenarioJson: string; summary: string[] }
  | { ok: false; kind: 'dts' | 'machine'; name: string; errors: string[] };

/** what kind of import the files are, or null for a scenario .json */
export function importKind(files: DroppedFile[]): 'dts' | 'machine' | null {
  if (files.some((f) => /\.dts$/i.test(f.name))) return 'dts';
  if (files.some((f) => isCapture(f.text))) return 'machine';
  return null;
}

function isCapture(text: string): boolean {
  const head = text.slice(0, 4096).trimStart();
  return head.startsWith(SECTION_MARK) || /^P: \/devices\//.test(head);
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** the machine of the last import: the run that follows is compared with it */
let lastMachine: { machine: ImportedMachine; scenarioId: string } | null = null;

export function importFiles(files: DroppedFile[]): ImportOutcome | null {
  const kind = importKind(files);
  if (kind === 'dts') {
    const main = files.find((f) => /\.dts$/i.test(f.name))!;
    // a drop carries names, not directories: an include resolves to the dropped file of that name
    const byName = new Map(files.map((f) => [basename(f.name), f.text]));
    // <dt-bindings/...> is searched in the one include directory there is: the dropped files
    const r = importDts({ read: (path) => byName.get(basename(path)) }, basename(main.name), { includeDirs: [''] });
    if (!r.ok) return { ok: false, kind, name: main.name, errors: r.errors.map(formatError) };
    const s = r.summary;
    lastMachine = null;
    return {
      ok: true, kind, name: main.name, scenarioJson: JSON.stringify(r.scenario, null, 2),
      summary: [
        `${main.name}: ${s.nodes} nodes from ${s.files.length} file${s.files.length === 1 ? '' : 's'}; ${s.devices.length} platform devices populated`,
        ...(s.amba.length ? [`${s.amba.length} arm,primecell nodes would be AMBA devices (the amba bus is not modelled)`] : []),
        `${s.disabled.length ? `${s.disabled.length} disabled (status), ` : ''}${s.skipped.length} skipped, ${s.declared.length} claimed early (IRQCHIP/CLK_OF_DECLARE)`,
        ...(s.missingHeaders.length ? [`headers not provided: ${s.missingHeaders.join(', ')}`] : []),
      ],
    };
  }
  if (kind === 'machine') {
    const f = files.find((x) => isCapture(x.text))!;
    const r = importMachine(f.text);
    if (!r.ok) return { ok: false, kind, name: f.name, errors: r.errors.map((e) => `${f.name}:${e.line}:${e.col}: ${e.message}`) };
    lastMachine = { machine: r.machine, scenarioId: r.scenario.id };
    const s = r.summary;
    return {
      ok: true, kind, name: f.name, scenarioJson: JSON.stringify(r.scenario, null, 2),
      summary: [
        `${f.name}: ${s.host ?? 'a machine'}${s.kernel ? `, Linux ${s.kernel}` : ''} (${s.forms.join(', ')})`,
        `${s.devices} devices (${s.onBus} on a bus, ${s.classDevices} class devices), ${s.buses.length} buses, ${s.boundDrivers} drivers bound`,
        `scenario: ${s.scenarioDevices} devices, ${s.scenarioDrivers} drivers, ${s.scenarioModules} modules; ${s.unknownTables.length} drivers with no known match table`,
      ],
    };
  }
  return null;
}

/** the last imported machine against a run of its scenario (null when the run is not of an import) */
export function machineReport(sim: Simulation | undefined): MachineReport | null {
  if (!lastMachine || !sim?.scenario || sim.scenario.id !== lastMachine.scenarioId) return null;
  return compareMachine(lastMachine.machine, { snapshot: sim.stateAt(sim.lastStep), events: sim.summary().events });
}
