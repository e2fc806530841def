import { Link, usePath } from '../../lib/router';

const TABS = [
  { to: '/stock', label: 'Stock locations' },
  { to: '/stock/items', label: 'Supply items' },
  { to: '/stock/reorder', label: 'Reorder list' },
  { to: '/stock/expiry', label: 'Expiry list' },
] as const;

/** The stock screens' own navigation, under the page title. */
export function StockNav() {
  const path = usePath().split('?')[0] ?? '';
  const current = (to: string) => (to === '/stock' ? path === '/stock' || path.startsWith('/stock/locations') : path.startsWith(to));
  return (
    <nav className="stock-nav" aria-label="Stock">
      <ul>
        {TABS.map((t) => (
          <li key={t.to}>
            <Link to={t.to} aria-current={current(t.to) ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
