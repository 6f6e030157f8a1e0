// A wide table scrolls sideways inside its own box, never the page. The box is a region named
// after the table, and a tab stop only while it overflows: keyboard users can then scroll it
// with the arrow keys, and a table that fits adds no empty stop to the tab order.
import { h } from './dom';

export function scrollRegion(label: string, content: HTMLElement): HTMLDivElement {
  const region = h('div', { class: 'ata-table-wrap', role: 'region', 'aria-label': label }, content);
  const sync = (): void => {
    if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
    else region.removeAttribute('tabindex');
  };
  const observer = new ResizeObserver(sync);
  observer.observe(region);
  observer.observe(content);
  return region;
}
