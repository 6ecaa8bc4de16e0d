import type { RunSummary, Snapshot } from '../../engine/api';
import { useViewStore, type BottomTab } from '../store';
import { EventList } from './EventList';
import { formatDmesg, formatLsmod, formatUeventLog } from './format';
import { SysfsBrowser } from './SysfsBrowser';

const TABS: [BottomTab, string][] = [
  ['events', 'Events'],
  ['uevents', 'udevadm monitor'],
  ['dmesg', 'dmesg'],
  ['lsmod', 'lsmod'],
  ['sysfs', '/sys'],
];

/** Views beside the graph: the event list, uevent monitor, kernel log, lsmod, sysfs. */
export function BottomPanel({ summary, snapshot }: { summary: RunSummary; snapshot: Snapshot }) {
  const tab = useViewStore((s) => s.bottomTab);
  const setTab = useViewStore((s) => s.setBottomTab);
  const step = useViewStore((s) => s.step);
  const goToStep = useViewStore((s) => s.goToStep);
  return (
    <section className="bs-bottom" aria-label="Views">
      <div role="tablist" className="bs-tabs" aria-label="Views">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            role="tab"
            type="button"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls="bottom-tabpanel"
            data-testid={`tab-${t}`}
            className={tab === t ? 'bs-tab bs-tab--on' : 'bs-tab'}
            onClick={() => setTab(t)}
          >
            {label}
            {t === 'uevents' ? ` (${snapshot.uevents.length})` : ''}
          </button>
        ))}
      </div>
      <div key={tab} role="tabpanel" id="bottom-tabpanel" aria-labelledby={`tab-${tab}`} className="bs-tabpanel" tabIndex={0} data-testid={`view-${tab}`}>
        {tab === 'events' && <EventList events={summary.events} step={step} onJump={(i) => void goToStep(i)} />}
        {tab === 'uevents' && <pre className="bs-term">{formatUeventLog(snapshot.uevents)}</pre>}
        {tab === 'dmesg' && <pre className="bs-term">{formatDmesg(snapshot.log)}</pre>}
        {tab === 'lsmod' && <pre className="bs-term">{formatLsmod(snapshot)}</pre>}
        {tab === 'sysfs' && <SysfsBrowser snapshot={snapshot} />}
      </div>
    </section>
  );
}
