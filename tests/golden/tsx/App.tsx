import { lazy, Suspense, useEffect, useReducer } from 'react';
import { BrowserRouter as Router, Route, Routes } from 'react-router-dom';
import { Button } from './components/Button';
import { DataTable, TableContext } from './components/DataTable';
import { api } from '@/services/api';
import './global.css';

const Settings = lazy(() => import('./pages/Settings'));

type Action = { type: 'loaded'; items: Item[] } | { type: 'failed'; error: string };

interface Item {
  id: number;
  name: string;
}

interface AppState {
  items: Item[];
  error?: string;
}

/** Reducer for the top-level state. */
function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'loaded':
      return { ...state, items: action.items };
    case 'failed':
      return { ...state, error: action.error };
  }
}

enum Page {
  Home = '/',
  Settings = '/settings',
}

/**
 * Application shell: routing and data loading.
 */
export default function App(): JSX.Element {
  const [state, dispatch] = useReducer(reducer, { items: [] });

  useEffect(() => {
    let cancelled = false;
    api
      .get<Item[]>('/items')
      .then((items) => !cancelled && dispatch({ type: 'loaded', items }))
      .catch((e: Error) => dispatch({ type: 'failed', error: e.message }));
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <Router>
      <Suspense fallback={<p>Loading…</p>}>
        <Routes>
          <Route path={Page.Home} element={<Home items={state.items} />} />
          <Route path={Page.Settings} element={<Settings />} />
        </Routes>
      </Suspense>
    </Router>
  );
}

const Home = ({ items }: { items: Item[] }) => {
  const reload = () => window.location.reload();
  return (
    <main>
      <Button onClick={reload}>Reload</Button>
      <ul>
        {items.map((item) => (
          <li key={item.id}>{item.name}</li>
        ))}
      </ul>
    </main>
  );
};
