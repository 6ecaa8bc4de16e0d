const ITEMS: [string, string][] = [
  ['bs-box bs-box--firmware', 'firmware node (indented under its parent)'],
  ['bs-box bs-box--device bs-tone--platform bs-state--bound', 'platform device, bound'],
  ['bs-box bs-box--device bs-tone--platform bs-state--unbound', 'device, unbound (dashed)'],
  ['bs-box bs-box--device bs-tone--auxiliary bs-state--bound', 'auxiliary device'],
  ['bs-box bs-box--device bs-tone--faux bs-state--faux-bound', 'faux device (bound at once, no MODALIAS)'],
  ['bs-box bs-box--device bs-tone--bus bs-state--bound', 'device on another bus (e.g. arm_smccc)'],
  ['bs-box bs-box--device bs-tone--class bs-state--class', 'class device (e.g. tsm0)'],
  ['bs-box bs-box--driver bs-state--bind-attrs', 'driver (bind/unbind files)'],
  ['bs-box bs-box--driver bs-state--no-bind-attrs', 'driver without bind/unbind'],
  ['bs-box bs-box--module bs-state--builtin', 'module built in (=y)'],
  ['bs-box bs-box--module bs-state--loaded', 'module loaded'],
  ['bs-box bs-box--module bs-state--loading', 'module loading (module_init running)'],
  ['bs-box bs-box--module bs-state--not-loaded', 'module not loaded'],
  ['bs-box bs-box--module bs-state--absent', 'module absent / init failed'],
  ['bs-box bs-box--touched', 'touched by the current event'],
];

const EDGES: [string, string][] = [
  ['parent-child', 'child of'],
  ['firmware-device', 'firmware gave rise to'],
  ['bound-to', 'bound to driver'],
  ['module-provides-driver', 'module provides driver'],
  ['alias-loaded', 'uevent MODALIAS → alias → module loaded'],
  ['alias-pending', 'MODALIAS matches an alias, module not loaded (yet)'],
];

/** The button that shows or hides the legend (it sits above the graph, never over it). */
export function LegendToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" className="bs-legend__toggle" aria-expanded={open} aria-controls="bs-legend" data-testid="legend-toggle" onClick={onToggle}>
      {open ? 'Hide legend' : 'Legend'}
    </button>
  );
}

/** What each node style and edge means: a column beside the graph, so it never covers a node. Draws only. */
export function Legend() {
  return (
    <aside className="bs-legend" data-testid="legend" id="bs-legend" aria-label="Legend">
      <ul aria-label="Legend" className="bs-legend__list">
        {ITEMS.map(([cls, text]) => (
          <li key={text}>
            <span className={`bs-legend__swatch ${cls}`} aria-hidden="true" />
            {text}
          </li>
        ))}
        {EDGES.map(([kind, text]) => (
          <li key={kind}>
            <svg className={`bs-legend__edge bs-edge--${kind}`} width="28" height="8" aria-hidden="true">
              <path d="M0 4 H28" />
            </svg>
            {text}
          </li>
        ))}
      </ul>
    </aside>
  );
}
