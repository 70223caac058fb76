import { useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

/**
 * The box a wide table scrolls in (sideways, inside the page). When the table is wider than
 * its box, a shadow on each edge with more beyond it says so, a line over it says "scroll
 * sideways", and the box is focusable (arrow keys scroll it) and named for assistive tech
 * (axe: scrollable-region-focusable). A table that fits shows none of it.
 */
export function TableScroll({ label, children, alwaysFocusable = false }: { label: string; children: ReactNode; alwaysFocusable?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ left: false, right: false });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const max = el.scrollWidth - el.clientWidth;
      const left = max > 1 && el.scrollLeft > 1;
      const right = max > 1 && el.scrollLeft < max - 1;
      setEdges((prev) => (prev.left === left && prev.right === right ? prev : { left, right }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(el);
    if (el.firstElementChild) resized.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', update);
      resized.disconnect();
    };
  }, []);

  const scrolls = edges.left || edges.right;
  const focusable = scrolls || alwaysFocusable;
  return (
    <>
      {scrolls ? (
        <p className="table-scroll__hint muted small" aria-hidden="true">
          {edges.right ? 'More columns to the right: scroll sideways →' : '← More columns to the left'}
        </p>
      ) : null}
      <div className={`table-scroll${edges.left ? ' table-scroll--more-left' : ''}${edges.right ? ' table-scroll--more-right' : ''}`}>
        <div ref={ref} className="table-wrap" {...(focusable ? { tabIndex: 0, role: 'group', 'aria-label': scrolls ? `${label}, scrolls sideways` : label } : {})}>
          {children}
        </div>
      </div>
    </>
  );
}
